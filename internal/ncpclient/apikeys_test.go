package ncpclient

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/ncp-community/terraform-provider-ncp/internal/emulator"
)

func TestOperationsRoundTrip(t *testing.T) {
	env := newEnv(t, emulator.Config{}, nil)
	ctx := context.Background()

	created, err := env.c.CreateAPIKey(ctx, CreateAPIKeyInput{Name: "web", Description: "for the web"})
	if err != nil {
		t.Fatalf("create: %v", err)
	}
	if want := env.key(t, created.ID); created.PrimaryKey == "" || *created != want {
		t.Errorf("create returned %+v, the emulator has %+v", *created, want)
	}
	got, err := env.c.GetAPIKey(ctx, created.ID)
	if err != nil || *got != *created {
		t.Errorf("get = %+v, %v; want %+v", got, err, *created)
	}
	env.emu.PutKey("webhook", "") // the name filter matches it partially
	page, err := env.c.ListAPIKeys(ctx, ListAPIKeysInput{Name: "web", Limit: 1})
	if err != nil || page.Total != 2 || len(page.APIKeys) != 1 || page.APIKeys[0].ID != created.ID || page.APIKeys[0].PrimaryKey != "" {
		t.Errorf("list = %+v, %v", page, err)
	}

	updated, err := env.c.UpdateAPIKey(ctx, created.ID, UpdateAPIKeyInput{Name: "web2", Enabled: false})
	if err != nil || updated.Name != "web2" || updated.Enabled || updated.Description != "" || *updated != env.key(t, created.ID) {
		t.Errorf("update = %+v, %v", updated, err)
	}
	reqs := env.recordedRequests()
	if body := reqs[len(reqs)-1].body; body != `{"isEnabled":false,"apiKeyName":"web2","apiKeyDescription":""}` {
		t.Errorf("update sent %s, want the whole object", body)
	}

	regenerated, err := env.c.RegenerateAPIKey(ctx, created.ID, KeyTypeSecondary)
	if err != nil || regenerated.SecondaryKey == created.SecondaryKey || regenerated.PrimaryKey != created.PrimaryKey ||
		*regenerated != env.key(t, created.ID) {
		t.Errorf("regenerate = %+v, %v", regenerated, err)
	}
	reqs = env.recordedRequests()
	if r := reqs[len(reqs)-1]; r.method != "PATCH" || r.body != `{"keyType":"SECONDARY"}` {
		t.Errorf("regenerate sent %v %s", r, r.body)
	}

	if err := env.c.DeleteAPIKey(ctx, created.ID); err != nil {
		t.Fatalf("delete: %v", err)
	}
	if _, ok := env.emu.Key(created.ID); ok {
		t.Error("the key survived its deletion")
	}
	if err := env.c.DeleteAPIKey(ctx, created.ID); err != nil {
		t.Errorf("deleting a deleted key: %v, want nil", err)
	}
	if _, err := env.c.GetAPIKey(ctx, created.ID); !IsNotFound(err) {
		t.Errorf("get of a deleted key: %v, want not found", err)
	}
}

// TestAnswerVariants runs the operations against each alternative the
// docs leave open.
func TestAnswerVariants(t *testing.T) {
	for _, ecfg := range []emulator.Config{
		{WrappedGet: true},
		{NotFoundStatus: 400},
		{NumericErrorCodes: true},
		{ExactNameFilter: true},
		{DeleteAnswer: emulator.DeleteEmptyObject},
		{DeleteAnswer: emulator.DeleteEmptyBody},
	} {
		t.Run(fmt.Sprintf("%+v", ecfg), func(t *testing.T) {
			env := newEnv(t, ecfg, nil)
			ctx := context.Background()
			seeded := asAPIKey(env.emu.PutKey("web", ""))
			env.emu.PutKey("webhook", "")
			if got, err := env.c.GetAPIKey(ctx, seeded.ID); err != nil || *got != seeded {
				t.Errorf("get = %+v, %v; want %+v", got, err, seeded)
			}
			if keys, err := env.c.ListAllAPIKeys(ctx, "web"); err != nil || len(keys) == 0 || keys[0].ID != seeded.ID {
				t.Errorf("list = %+v, %v", keys, err)
			}
			if err := env.c.DeleteAPIKey(ctx, seeded.ID); err != nil {
				t.Errorf("delete: %v", err)
			}
			if err := env.c.DeleteAPIKey(ctx, seeded.ID); err != nil {
				t.Errorf("delete of a deleted key: %v", err)
			}
			if _, err := env.c.GetAPIKey(ctx, seeded.ID); !IsNotFound(err) {
				t.Errorf("get of a deleted key: %v, want not found", err)
			}
		})
	}
}

func TestListQuery(t *testing.T) {
	env := newEnv(t, emulator.Config{}, func(cfg *Config) { cfg.PageSize = 50 })
	ctx := context.Background()
	if _, err := env.c.ListAPIKeys(ctx, ListAPIKeysInput{Name: "키-테스트"}); err != nil {
		t.Fatal(err)
	}
	if _, err := env.c.ListAPIKeys(ctx, ListAPIKeysInput{Offset: 3, Limit: 2}); err != nil {
		t.Fatal(err)
	}
	if _, err := env.c.ListAPIKeys(ctx, ListAPIKeysInput{Limit: -1}); err == nil {
		t.Error("a negative limit was sent")
	}
	want := []string{
		"/api/v1/api-keys?apiKeyName=%ED%82%A4-%ED%85%8C%EC%8A%A4%ED%8A%B8&limit=50&offset=0",
		"/api/v1/api-keys?limit=2&offset=3",
	}
	reqs := env.recordedRequests()
	if len(reqs) != len(want) {
		t.Fatalf("requests %v, want %q", reqs, want)
	}
	for i := range want {
		if reqs[i].requestURI != want[i] {
			t.Errorf("request %d = %q, want %q", i, reqs[i].requestURI, want[i])
		}
	}
}

func TestListAllPagesByWhatTheServerReturns(t *testing.T) {
	env := newEnv(t, emulator.Config{MaxPageSize: 7}, nil)
	for i := range 23 {
		env.emu.PutKey(fmt.Sprintf("key-%02d", i), "")
	}
	for i := range 5 {
		env.emu.PutKey(fmt.Sprintf("other-%d", i), "")
	}
	ctx := context.Background()
	for _, tt := range []struct {
		name              string
		wantKeys, wantReq int
	}{
		{"key-", 23, 4}, // ceil(23/7)
		{"", 28, 4},     // ceil(28/7)
		{"other", 5, 1},
		{"none", 0, 1},
	} {
		env.emu.ResetStats()
		keys, err := env.c.ListAllAPIKeys(ctx, tt.name)
		if err != nil {
			t.Fatalf("list all %q: %v", tt.name, err)
		}
		if len(keys) != tt.wantKeys {
			t.Errorf("list all %q: %d keys, want %d", tt.name, len(keys), tt.wantKeys)
		}
		if n := env.count(emulator.RouteList); n != tt.wantReq {
			t.Errorf("list all %q: %d requests, want %d", tt.name, n, tt.wantReq)
		}
	}
	var offsets []string
	for _, r := range env.recordedRequests()[:4] {
		offsets = append(offsets, r.requestURI[strings.LastIndex(r.requestURI, "=")+1:])
	}
	if got := strings.Join(offsets, " "); got != "0 7 14 21" {
		t.Errorf("offsets %s, want the next offset to follow what the server returned", got)
	}
}

func TestListAllStopsAtAnEmptyPage(t *testing.T) {
	env := newEnv(t, emulator.Config{}, nil)
	env.inject(
		emulator.Fault{Route: emulator.RouteList, Kind: emulator.FaultRaw, ContentType: "application/json", Count: 1,
			Body: `{"apiKeys":[{"apiKeyId":"a"},{"apiKeyId":"b"}],"total":100}`},
		emulator.Fault{Route: emulator.RouteList, Kind: emulator.FaultRaw, ContentType: "application/json",
			Body: `{"apiKeys":[],"total":100}`},
	)
	keys, err := env.c.ListAllAPIKeys(context.Background(), "")
	if n := env.count(emulator.RouteList); err != nil || len(keys) != 2 || n != 2 {
		t.Errorf("got %d keys, %v after %d requests; want 2 keys after 2", len(keys), err, n)
	}
}

func TestDeleteTreatsOnlyNCPsGoneAsDone(t *testing.T) {
	for _, tt := range []struct {
		fault   emulator.Fault
		wantErr bool
	}{
		{emulator.Fault{Kind: emulator.FaultRaw, Status: 204}, false},
		{emulator.Fault{Kind: emulator.FaultRaw, Status: 200, ContentType: "application/json", Body: "{}"}, false},
		{emulator.Fault{Kind: emulator.FaultError, Status: 404}, false},
		{emulator.Fault{Kind: emulator.FaultRaw, Status: 400, ContentType: "application/json",
			Body: `{"error":{"errorCode":"100","message":"ApiKey Not Found"}}`}, false},
		{emulator.Fault{Kind: emulator.FaultError, Status: 400}, true},
		{emulator.Fault{Kind: emulator.FaultError, Status: 403}, true},
		{emulator.Fault{Kind: emulator.FaultHTML, Status: 404}, true},
	} {
		env := newEnv(t, emulator.Config{}, nil)
		tt.fault.Route = emulator.RouteDelete
		env.inject(tt.fault)
		if err := env.c.DeleteAPIKey(context.Background(), "k"); (err != nil) != tt.wantErr {
			t.Errorf("%+v: error %v, want error %t", tt.fault, err, tt.wantErr)
		}
	}
}

func TestRejectsBadArguments(t *testing.T) {
	c := newTestClient(t, Config{AccessKey: "a", SecretKey: "s", Endpoint: "http://127.0.0.1:1/api/v1"})
	ctx := context.Background()
	if _, err := c.GetAPIKey(ctx, ""); !errors.Is(err, errEmptyID) {
		t.Errorf("get: %v", err)
	}
	if _, err := c.UpdateAPIKey(ctx, "", UpdateAPIKeyInput{}); !errors.Is(err, errEmptyID) {
		t.Errorf("update: %v", err)
	}
	if _, err := c.RegenerateAPIKey(ctx, "", KeyTypePrimary); !errors.Is(err, errEmptyID) {
		t.Errorf("regenerate: %v", err)
	}
	if err := c.DeleteAPIKey(ctx, ""); !errors.Is(err, errEmptyID) {
		t.Errorf("delete: %v", err)
	}
	if _, err := c.RegenerateAPIKey(ctx, "k", "BOTH"); err == nil || !strings.Contains(err.Error(), `key type "BOTH"`) {
		t.Errorf("regenerate with a bad key type: %v", err)
	}
}

func TestLostRegenerateReturnsTheLiveKey(t *testing.T) {
	for _, kind := range []emulator.FaultKind{emulator.FaultDrop, emulator.FaultTruncated} {
		env := newEnv(t, emulator.Config{}, nil)
		seeded := env.emu.PutKey("web", "")
		env.inject(emulator.Fault{Route: emulator.RouteRegenerate, Kind: kind, Count: 1})
		key, err := env.c.RegenerateAPIKey(context.Background(), seeded.ID, KeyTypePrimary)
		if err != nil {
			t.Fatalf("%s: %v", kind, err)
		}
		if live := env.key(t, seeded.ID); *key != live || key.PrimaryKey == seeded.PrimaryKey || key.SecondaryKey != seeded.SecondaryKey {
			t.Errorf("%s: got %+v, want the live, regenerated key %+v", kind, *key, live)
		}
		if r, g := env.count(emulator.RouteRegenerate), env.count(emulator.RouteGet); r != 2 || g != 0 {
			t.Errorf("%s: %d regenerates and %d gets, want 2 and 0", kind, r, g)
		}
	}
}

func TestRegenerateThatKeepsFailingUncertainlyIsAnError(t *testing.T) {
	env := newEnv(t, emulator.Config{}, func(cfg *Config) { cfg.MaxRetries = 1 })
	seeded := env.emu.PutKey("web", "")
	env.inject(emulator.Fault{Route: emulator.RouteRegenerate, Kind: emulator.FaultDrop})
	if _, err := env.c.RegenerateAPIKey(context.Background(), seeded.ID, KeyTypeSecondary); err == nil {
		t.Fatal("a regenerate whose every answer was lost reported success")
	}
}

func TestRegenerateFailureIsReported(t *testing.T) {
	env := newEnv(t, emulator.Config{}, nil)
	if _, err := env.c.RegenerateAPIKey(context.Background(), "gone", KeyTypePrimary); !IsNotFound(err) {
		t.Errorf("error %v, want not found", err)
	}
	if n := env.count(emulator.RouteGet); n != 0 {
		t.Error("a certain failure was followed by a read")
	}
}

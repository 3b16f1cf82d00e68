package ncpclient

import (
	"context"
	"fmt"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/ncp-community/terraform-provider-ncp/internal/emulator"
)

// newEmulated returns an emulator and a fast-retrying client talking to it.
func newEmulated(t *testing.T, maxPageSize int) (*emulator.Emulator, *Client) {
	t.Helper()
	emu := emulator.New(emulator.Config{AccessKey: testAccessKey, SecretKey: testSecretKey, MaxPageSize: maxPageSize})
	srv := httptest.NewServer(emu)
	t.Cleanup(srv.Close)
	cfg := testConfig(srv)
	cfg.Endpoint = srv.URL + emulator.BasePath
	return emu, newTestClient(t, cfg)
}

// emulatedKey returns the emulator's record of id as the client decodes it.
func emulatedKey(t *testing.T, emu *emulator.Emulator, id string) APIKey {
	t.Helper()
	k, ok := emu.Key(id)
	if !ok {
		t.Fatalf("the emulator has no key %s", id)
	}
	return APIKey{
		ID: k.ID, TenantID: k.TenantID, Name: k.Name, Description: k.Description,
		PrimaryKey: k.PrimaryKey, SecondaryKey: k.SecondaryKey, Modifier: k.Modifier,
		Enabled: k.Enabled, ModTime: k.ModTime.Format(time.RFC3339), DomainCode: k.DomainCode,
	}
}

func TestEmulatorRoundTrip(t *testing.T) {
	emu, c := newEmulated(t, 0)
	ctx := context.Background()

	created, err := c.CreateAPIKey(ctx, CreateAPIKeyInput{Name: "web", Description: "for the web"})
	if err != nil {
		t.Fatalf("create: %v", err)
	}
	if want := emulatedKey(t, emu, created.ID); *created != want {
		t.Errorf("create returned %+v, emulator has %+v", *created, want)
	}
	got, err := c.GetAPIKey(ctx, created.ID)
	if err != nil || *got != *created {
		t.Errorf("get = %+v, %v; want %+v", got, err, *created)
	}
	emu.PutKey("webhook", "") // the name filter matches it partially
	keys, err := c.ListAllAPIKeys(ctx, "web")
	if err != nil || len(keys) != 2 {
		t.Errorf("list all = %d keys, %v; want 2", len(keys), err)
	}
	page, err := c.ListAPIKeys(ctx, ListAPIKeysInput{Name: "web", Limit: 1})
	if err != nil || page.Total != 2 || len(page.APIKeys) != 1 || page.APIKeys[0].PrimaryKey != "" {
		t.Errorf("list = %+v, %v", page, err)
	}
	updated, err := c.UpdateAPIKey(ctx, created.ID, UpdateAPIKeyInput{Name: "web", Description: "off", Enabled: false})
	if err != nil || updated.Enabled || updated.Description != "off" {
		t.Errorf("update = %+v, %v", updated, err)
	}
	if want := emulatedKey(t, emu, created.ID); want.Enabled || want.Description != "off" {
		t.Errorf("the emulator has %+v after the update", want)
	}
	regenerated, err := c.RegenerateAPIKey(ctx, created.ID, KeyTypePrimary)
	if err != nil || regenerated.PrimaryKey == created.PrimaryKey || *regenerated != emulatedKey(t, emu, created.ID) {
		t.Errorf("regenerate = %+v, %v", regenerated, err)
	}
	if err := c.DeleteAPIKey(ctx, created.ID); err != nil {
		t.Fatalf("delete: %v", err)
	}
	if _, ok := emu.Key(created.ID); ok {
		t.Error("the key survived its deletion")
	}
	if err := c.DeleteAPIKey(ctx, created.ID); err != nil {
		t.Errorf("second delete: %v", err)
	}
	if _, err := c.GetAPIKey(ctx, created.ID); !IsNotFound(err) {
		t.Errorf("get of a deleted key: %v, want not found", err)
	}
}

func TestEmulatorPaginationUnderAPageCap(t *testing.T) {
	emu, c := newEmulated(t, 7)
	for i := range 23 {
		emu.PutKey(fmt.Sprintf("key-%02d", i), "")
	}
	for i := range 5 {
		emu.PutKey(fmt.Sprintf("other-%d", i), "")
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
		emu.ResetStats()
		keys, err := c.ListAllAPIKeys(ctx, tt.name)
		if err != nil {
			t.Fatalf("list all %q: %v", tt.name, err)
		}
		if len(keys) != tt.wantKeys {
			t.Errorf("list all %q: %d keys, want %d", tt.name, len(keys), tt.wantKeys)
		}
		if n := emu.Stats().Requests[emulator.RouteList]; n != tt.wantReq {
			t.Errorf("list all %q: %d requests, want %d", tt.name, n, tt.wantReq)
		}
	}
}

func TestEmulatorLostCreateLeavesOneKey(t *testing.T) {
	for _, tt := range []struct {
		fault                 emulator.Fault
		wantCreates, wantGets int
	}{
		// The key was made: found by a list, read by a get.
		{emulator.Fault{Route: emulator.RouteCreate, Kind: emulator.FaultDrop, Count: 1}, 1, 1},
		{emulator.Fault{Route: emulator.RouteCreate, Kind: emulator.FaultTruncated, Count: 1}, 1, 1},
		// Nothing was made: each list finds nothing and the create is retried.
		{emulator.Fault{Route: emulator.RouteCreate, Kind: emulator.FaultError, Status: 503, Count: 2}, 3, 0},
		{emulator.Fault{Route: emulator.RouteCreate, Kind: emulator.FaultHTML, Status: 502, Count: 2}, 3, 0},
	} {
		flt := tt.fault
		emu, c := newEmulated(t, 0)
		// A key of the same name made an hour ago is not a candidate.
		emu.SetFaults(emulator.Faults{ClockOffset: -time.Hour})
		emu.PutKey("web", "")
		emu.SetFaults(emulator.Faults{Faults: []emulator.Fault{flt}})
		key, err := c.CreateAPIKey(context.Background(), CreateAPIKeyInput{Name: "web"})
		if err != nil {
			t.Fatalf("%+v: %v", flt, err)
		}
		if n := len(emu.Keys()); n != 2 {
			t.Errorf("%+v: the emulator has %d keys, want the seeded one and one created", flt, n)
		}
		if want := emulatedKey(t, emu, key.ID); *key != want || key.PrimaryKey == "" {
			t.Errorf("%+v: got %+v, want %+v", flt, *key, want)
		}
		if req := emu.Stats().Requests; req[emulator.RouteCreate] != tt.wantCreates || req[emulator.RouteGet] != tt.wantGets {
			t.Errorf("%+v: requests %v, want %d creates and %d gets", flt, req, tt.wantCreates, tt.wantGets)
		}
	}
}

func TestEmulatorLostRegenerateReturnsLiveValues(t *testing.T) {
	emu, c := newEmulated(t, 0)
	seeded := emu.PutKey("web", "")
	emu.SetFaults(emulator.Faults{Faults: []emulator.Fault{{Route: emulator.RouteRegenerate, Kind: emulator.FaultDrop, Count: 1}}})
	key, err := c.RegenerateAPIKey(context.Background(), seeded.ID, KeyTypeSecondary)
	if err != nil {
		t.Fatal(err)
	}
	live := emulatedKey(t, emu, seeded.ID)
	if *key != live || key.SecondaryKey == seeded.SecondaryKey || key.PrimaryKey != seeded.PrimaryKey {
		t.Errorf("got %+v, want the live key %+v", *key, live)
	}
}

func TestEmulatorClockOffset(t *testing.T) {
	emu, c := newEmulated(t, 0)
	emu.SetFaults(emulator.Faults{ClockOffset: 10 * time.Minute})
	ctx := context.Background()
	if _, err := c.ListAPIKeys(ctx, ListAPIKeysInput{}); err != nil {
		t.Fatalf("list: %v", err)
	}
	if _, err := c.CreateAPIKey(ctx, CreateAPIKeyInput{Name: "web"}); err != nil {
		t.Fatalf("create: %v", err)
	}
	st := emu.Stats()
	if st.Requests[emulator.RouteList] != 2 || st.Responses[401] != 1 || st.Requests[emulator.RouteCreate] != 1 {
		t.Errorf("stats %+v: want one rejected list, its retry, and one create", st)
	}
}

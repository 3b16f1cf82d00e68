package ncpclient

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"
)

func TestOperationsRoundTrip(t *testing.T) {
	f, srv := newFake(t)
	c := newTestClient(t, testConfig(srv))
	ctx := context.Background()

	created, err := c.CreateAPIKey(ctx, CreateAPIKeyInput{Name: "web", Description: "for the web"})
	if err != nil {
		t.Fatalf("create: %v", err)
	}
	if created.PrimaryKey == "" || *created != f.key(created.ID) {
		t.Errorf("create returned %+v, server has %+v", *created, f.key(created.ID))
	}

	got, err := c.GetAPIKey(ctx, created.ID)
	if err != nil || *got != *created {
		t.Errorf("get = %+v, %v; want %+v", got, err, *created)
	}

	page, err := c.ListAPIKeys(ctx, ListAPIKeysInput{Name: "web"})
	if err != nil || page.Total != 1 || len(page.APIKeys) != 1 || page.APIKeys[0].ID != created.ID || page.APIKeys[0].PrimaryKey != "" {
		t.Errorf("list = %+v, %v", page, err)
	}

	updated, err := c.UpdateAPIKey(ctx, created.ID, UpdateAPIKeyInput{Name: "web2", Enabled: false})
	if err != nil || updated.Name != "web2" || updated.Enabled || updated.Description != "" {
		t.Errorf("update = %+v, %v", updated, err)
	}
	reqs := f.recordedRequests()
	if body := reqs[len(reqs)-1].body; body != `{"isEnabled":false,"apiKeyName":"web2","apiKeyDescription":""}` {
		t.Errorf("update sent %s, want the whole object", body)
	}

	regenerated, err := c.RegenerateAPIKey(ctx, created.ID, KeyTypeSecondary)
	if err != nil || regenerated.SecondaryKey == created.SecondaryKey || regenerated.PrimaryKey != created.PrimaryKey {
		t.Errorf("regenerate = %+v, %v", regenerated, err)
	}
	reqs = f.recordedRequests()
	if r := reqs[len(reqs)-1]; r.method != "PATCH" || r.body != `{"keyType":"SECONDARY"}` {
		t.Errorf("regenerate sent %v %s", r, r.body)
	}

	if err := c.DeleteAPIKey(ctx, created.ID); err != nil {
		t.Fatalf("delete: %v", err)
	}
	if f.numKeys() != 0 {
		t.Error("the key was not deleted")
	}
	if err := c.DeleteAPIKey(ctx, created.ID); err != nil {
		t.Errorf("deleting a deleted key: %v, want nil", err)
	}
	if _, err := c.GetAPIKey(ctx, created.ID); !IsNotFound(err) {
		t.Errorf("get of a deleted key: %v, want not found", err)
	}
}

func TestGetAcceptsWrappedKey(t *testing.T) {
	f, srv := newFake(t)
	f.wrapGet = true
	want := f.seed("web", time.Now())
	c := newTestClient(t, testConfig(srv))
	got, err := c.GetAPIKey(context.Background(), want.ID)
	if err != nil || *got != want {
		t.Errorf("get = %+v, %v; want %+v", got, err, want)
	}
}

func TestListQuery(t *testing.T) {
	f, srv := newFake(t)
	cfg := testConfig(srv)
	cfg.PageSize = 50
	c := newTestClient(t, cfg)
	ctx := context.Background()
	if _, err := c.ListAPIKeys(ctx, ListAPIKeysInput{Name: "키-테스트"}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.ListAPIKeys(ctx, ListAPIKeysInput{Offset: 3, Limit: 2}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.ListAPIKeys(ctx, ListAPIKeysInput{Limit: -1}); err == nil {
		t.Error("a negative limit was sent")
	}
	reqs := f.recordedRequests()
	want := []string{
		"/api/v1/api-keys?apiKeyName=%ED%82%A4-%ED%85%8C%EC%8A%A4%ED%8A%B8&limit=50&offset=0",
		"/api/v1/api-keys?limit=2&offset=3",
	}
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
	f, srv := newFake(t)
	f.maxPage = 7
	for i := range 23 {
		f.seed(fmt.Sprintf("key-%02d", i), time.Now())
	}
	f.seed("other", time.Now())
	c := newTestClient(t, testConfig(srv))
	keys, err := c.ListAllAPIKeys(context.Background(), "key-")
	if err != nil {
		t.Fatal(err)
	}
	if len(keys) != 23 {
		t.Errorf("got %d keys, want 23", len(keys))
	}
	var uris []string
	for _, r := range f.recordedRequests() {
		uris = append(uris, r.requestURI)
	}
	want := []string{
		"/api/v1/api-keys?apiKeyName=key-&limit=1000&offset=0",
		"/api/v1/api-keys?apiKeyName=key-&limit=1000&offset=7",
		"/api/v1/api-keys?apiKeyName=key-&limit=1000&offset=14",
		"/api/v1/api-keys?apiKeyName=key-&limit=1000&offset=21",
	}
	if strings.Join(uris, " ") != strings.Join(want, " ") {
		t.Errorf("requests %q, want %q (ceil(23/7) = 4)", uris, want)
	}
}

func TestListAllStopsAtAnEmptyPage(t *testing.T) {
	calls := 0
	srv := newRawServer(t, func(w http.ResponseWriter, r *http.Request) {
		calls++
		if calls == 1 {
			writeJSON(w, 200, `{"apiKeys":[{"apiKeyId":"a"},{"apiKeyId":"b"}],"total":100}`)
			return
		}
		writeJSON(w, 200, `{"apiKeys":[],"total":100}`)
	})
	c := newTestClient(t, testConfig(srv))
	keys, err := c.ListAllAPIKeys(context.Background(), "")
	if err != nil || len(keys) != 2 || calls != 2 {
		t.Errorf("got %d keys, %v after %d requests; want 2 keys after 2", len(keys), err, calls)
	}
}

func TestDeleteTreatsGoneAsDone(t *testing.T) {
	tests := []struct {
		status  int
		body    string
		wantErr bool
	}{
		{204, "", false},
		{200, "{}", false},
		{404, notFoundBody, false},
		{400, `{"error":{"errorCode":"100","message":"ApiKey Not Found"}}`, false},
		{400, `{"error":{"errorCode":"100","message":"Bad Request Exception"}}`, true},
		{403, `{"error":{"errorCode":"230","message":"Forbidden"}}`, true},
	}
	for _, tt := range tests {
		srv := newRawServer(t, func(w http.ResponseWriter, r *http.Request) { writeJSON(w, tt.status, tt.body) })
		c := newTestClient(t, testConfig(srv))
		if err := c.DeleteAPIKey(context.Background(), "k"); (err != nil) != tt.wantErr {
			t.Errorf("HTTP %d %s: error %v, want error %v", tt.status, tt.body, err, tt.wantErr)
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

func TestUndecodableSuccessIsAnError(t *testing.T) {
	tests := []struct {
		name string
		body string
	}{
		{"truncated", `{"apiKey":{"apiKeyId":"k1","primaryKey":"TOPSECRETKEYVALUE`},
		{"not JSON", `<html>OK</html>`},
		{"no apiKeyId", `{"apiKey":{"apiKeyName":"web","primaryKey":"TOPSECRETKEYVALUE"}}`},
		{"no apiKey", `{"apiKeys":[]}`},
		{"empty", ``},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := newRawServer(t, func(w http.ResponseWriter, r *http.Request) { writeJSON(w, 200, tt.body) })
			cfg := testConfig(srv)
			cfg.MaxRetries = 1
			c := newTestClient(t, cfg)
			_, err := c.UpdateAPIKey(context.Background(), "k1", UpdateAPIKeyInput{Name: "web"})
			if err == nil {
				t.Fatal("no error")
			}
			msg := err.Error()
			if !strings.Contains(msg, "could not be decoded") || !strings.Contains(msg, "HTTP 200") || strings.Contains(msg, "TOPSECRET") {
				t.Errorf("error %q: want a decode error with the status and no key value", msg)
			}
		})
	}
}

func newPageBody(n int) []byte {
	page := APIKeyPage{Total: int64(n), InitialCount: int64(n)}
	for i := range n {
		page.APIKeys = append(page.APIKeys, APIKey{
			ID: fmt.Sprintf("key%07d", i), TenantID: "0f4c1b2a3d4e5f60718293a4b5c6d7e8", Name: fmt.Sprintf("key-%d", i),
			Description: "a key for benchmarking", Modifier: "d12c9fd0-0000-0000-0000-246e96591a38",
			Enabled: true, ModTime: "2024-05-07T07:08:12Z", DomainCode: "PUB",
		})
	}
	b, _ := json.Marshal(page)
	return b
}

func BenchmarkDecodeAPIKeyPage(b *testing.B) {
	body := newPageBody(100)
	b.SetBytes(int64(len(body)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := decodePage(body); err != nil {
			b.Fatal(err)
		}
	}
}

// FuzzDecodeAPIKey feeds arbitrary bodies to the view-one and wrapped
// decoders: they must not panic, and whatever they accept has an ID.
func FuzzDecodeAPIKey(f *testing.F) {
	f.Add(`{"apiKeyId":"k1","apiKeyName":"web","primaryKey":"p","isEnabled":true}`)
	f.Add(`{"apiKey":{"apiKeyId":"k1","apiKeyName":"web","primaryKey":"p"}}`)
	f.Add(`{"error":{"errorCode":300,"message":"Not Found Exception"}}`)
	f.Add(`<html><body>502 Bad Gateway</body></html>`)
	f.Add(``)
	f.Add(`{"apiKey":{"apiKeyId":"k1","primaryKey":"abc`)
	f.Add(`{"apiKey":null,"apiKeyId":"k2"}`)
	f.Fuzz(func(t *testing.T, body string) {
		for _, decode := range []func([]byte) (*APIKey, error){decodeKey, decodeWrappedKey} {
			key, err := decode([]byte(body))
			if (err == nil) != (key != nil) || (key != nil && key.ID == "") {
				t.Fatalf("decode(%q) = %+v, %v", body, key, err)
			}
		}
		if _, err := decodePage([]byte(body)); err == nil && !json.Valid([]byte(body)) {
			t.Fatalf("decodePage accepted invalid JSON %q", body)
		}
	})
}

func TestDecodePage(t *testing.T) {
	cases := []struct {
		body      string
		wantKeys  int
		wantTotal int64
		wantErr   bool
	}{
		{body: `{"apiKeys":[{"apiKeyId":"a"}],"total":3,"initialCount":1}`, wantKeys: 1, wantTotal: 3},
		{body: `{"apiKeys":[],"total":0}`, wantKeys: 0, wantTotal: 0},
		{body: `{"total":0}`, wantKeys: 0, wantTotal: 0},
		{body: `{"apiKeys":[{"apiKeyId":"a"}]}`, wantKeys: 1, wantTotal: 0},
		// Answers that are not a list: never an empty page, which would hide keys.
		{body: `null`, wantErr: true},
		{body: `{}`, wantErr: true},
		{body: `{"apiKey":5}`, wantErr: true},
		{body: `[]`, wantErr: true},
		{body: `{"apiKeys":5,"total":1}`, wantErr: true},
		{body: `{"apiKeys":[{"apiKeyId":"a"}`, wantErr: true},
	}
	for _, c := range cases {
		page, err := decodePage([]byte(c.body))
		if c.wantErr {
			if err == nil {
				t.Errorf("decodePage(%s) = %+v, want an error", c.body, page)
			}
			continue
		}
		if err != nil {
			t.Errorf("decodePage(%s): %v", c.body, err)
			continue
		}
		if len(page.APIKeys) != c.wantKeys || page.Total != c.wantTotal {
			t.Errorf("decodePage(%s) = %d keys, total %d; want %d and %d", c.body, len(page.APIKeys), page.Total, c.wantKeys, c.wantTotal)
		}
	}
}

func TestDecodeDeleted(t *testing.T) {
	for body, wantErr := range map[string]bool{
		"":                    false,
		"  \n":                false,
		"{}":                  false,
		`{"result":"ok"}`:     false,
		"<html>Bad Gateway":   true,
		`{"apiKey":{"apiKeyI`: true,
		"OK, deleted (maybe)": true,
	} {
		if err := decodeDeleted([]byte(body)); (err != nil) != wantErr {
			t.Errorf("decodeDeleted(%q) = %v, want error %t", body, err, wantErr)
		}
	}
}

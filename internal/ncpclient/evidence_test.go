package ncpclient

import (
	"context"
	"net/http"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/ncp-community/terraform-provider-ncp/internal/emulator"
)

// foreignNotFounds are 404 answers that did not come from NCP: another
// service's JSON, with and without an {"error": ...} envelope, an empty
// body and a proxy's page.
var foreignNotFounds = []struct{ name, contentType, body string }{
	{"envelope with code", "application/json", `{"error":{"code":404,"message":"Requested entity was not found."}}`},
	{"envelope with message", "application/json", `{"error":{"message":"Not Found"}}`},
	{"message", "application/json", `{"message":"no Route matched with those values"}`},
	{"status and error", "application/json", `{"status":404,"error":"Not Found"}`},
	{"empty", "", ""},
	{"HTML", "text/html", "<html><body><h1>404 Not Found</h1></body></html>"},
}

func TestSaysNotFoundNeedsNCPsErrorCode(t *testing.T) {
	tests := []struct {
		name     string
		status   int
		body     string
		notFound bool
	}{
		{"404 code 300", 404, `{"error":{"errorCode":"300","message":"Not Found Exception"}}`, true},
		{"404 numeric code 300", 404, `{"error":{"errorCode":300,"message":"Not Found Exception"}}`, true},
		{"400 code 100, key not found", 400, `{"error":{"errorCode":"100","message":"Bad Request Exception: API key not found"}}`, true},
		{"400 code NOT_FOUND", 400, `{"error":{"errorCode":"API_KEY_NOT_FOUND","message":""}}`, true},
		{"404 other NCP code", 404, `{"error":{"errorCode":"100","message":"Bad Request Exception"}}`, false},
		{"400 other", 400, `{"error":{"errorCode":"100","message":"Bad Request Exception"}}`, false},
		{"500 not found text", 500, `{"error":{"errorCode":"900","message":"handler not found"}}`, false},
		{"404 message without errorCode", 404, `{"error":{"message":"Not Found Exception"}}`, false},
		{"400 message without errorCode", 400, `{"error":{"message":"API key not found"}}`, false},
	}
	for _, f := range foreignNotFounds {
		tests = append(tests, struct {
			name     string
			status   int
			body     string
			notFound bool
		}{"foreign " + f.name, 404, f.body, false})
	}
	for _, tt := range tests {
		e := newError("GET", "/api/v1/api-keys/k", tt.status, []byte(tt.body))
		if got := e.saysNotFound(); got != tt.notFound {
			t.Errorf("%s: saysNotFound = %v, want %v", tt.name, got, tt.notFound)
		}
		if IsNotFound(e) {
			t.Errorf("%s: IsNotFound before the endpoint was proven", tt.name)
		}
	}
}

func TestGoneIsProvenOncePerClient(t *testing.T) {
	env := newEnv(t, emulator.Config{}, nil)
	ctx := context.Background()
	if _, err := env.c.GetAPIKey(ctx, "missing1"); !IsNotFound(err) {
		t.Fatalf("first missing key: %v, want not found", err)
	}
	if _, err := env.c.GetAPIKey(ctx, "missing2"); !IsNotFound(err) {
		t.Fatalf("second missing key: %v, want not found", err)
	}
	want := []string{"GET /api/v1/api-keys/missing1", "GET /api/v1/api-keys?limit=1&offset=0", "GET /api/v1/api-keys/missing2"}
	if got := requestLines(env); !slices.Equal(got, want) {
		t.Errorf("requests %v, want %v", got, want)
	}

	// A client that has read a page of the list needs no check.
	listed := env.newClient(t, nil)
	if _, err := listed.ListAllAPIKeys(ctx, ""); err != nil {
		t.Fatal(err)
	}
	before := env.count(emulator.RouteList)
	if _, err := listed.GetAPIKey(ctx, "missing3"); !IsNotFound(err) || env.count(emulator.RouteList) != before {
		t.Errorf("after a list: %v and %d more list requests, want not found and none", err, env.count(emulator.RouteList)-before)
	}
}

func TestConcurrentNotFoundsShareOneCheck(t *testing.T) {
	env := newEnv(t, emulator.Config{}, nil)
	var wg sync.WaitGroup
	errs := make([]error, 10)
	for i := range errs {
		wg.Go(func() { _, errs[i] = env.c.GetAPIKey(context.Background(), "missing") })
	}
	wg.Wait()
	for i, err := range errs {
		if !IsNotFound(err) {
			t.Errorf("caller %d: %v, want not found", i, err)
		}
	}
	if n := env.count(emulator.RouteList); n != 1 {
		t.Errorf("%d checks of the list, want 1", n)
	}
}

func TestForeignNotFoundIsNeverGone(t *testing.T) {
	for _, f := range foreignNotFounds {
		t.Run(f.name, func(t *testing.T) {
			env := newEnv(t, emulator.Config{}, nil)
			id := env.emu.PutKey("live", "").ID
			env.inject(emulator.Fault{Kind: emulator.FaultRaw, Status: http.StatusNotFound, ContentType: f.contentType, Body: f.body})
			_, err := env.c.GetAPIKey(context.Background(), id)
			if err == nil || IsNotFound(err) || !strings.Contains(err.Error(), "did not come from NCP") {
				t.Errorf("read: %v, want an error saying the answer did not come from NCP", err)
			}
			if err := env.c.DeleteAPIKey(context.Background(), id); err == nil || IsNotFound(err) {
				t.Errorf("delete: %v, want an error", err)
			}
			if _, ok := env.emu.Key(id); !ok {
				t.Error("the key is gone")
			}
		})
	}
}

// TestWrongBasePathIsNeverGone: a base URL that passes ValidateEndpoint
// but is not the API's, on a gateway that answers NCP's own 404 envelope
// for every path, as NCP's does. Only the check of the list can tell.
func TestWrongBasePathIsNeverGone(t *testing.T) {
	env := newEnv(t, emulator.Config{}, nil)
	id := env.emu.PutKey("live", "").ID
	for name, endpoint := range map[string]string{
		"a path the gateway does not serve": env.srv.URL + "/elsewhere/api/v1",
		"every path answered 404 code 300":  env.srv.URL + emulator.BasePath,
	} {
		t.Run(name, func(t *testing.T) {
			c := newTestClient(t, testConfig(endpoint))
			if strings.HasPrefix(name, "every") {
				env.inject(emulator.Fault{Kind: emulator.FaultError, Status: http.StatusNotFound})
				defer env.inject()
			}
			_, err := c.GetAPIKey(context.Background(), id)
			if err == nil || IsNotFound(err) || !IsWrongEndpoint(err) || !strings.Contains(err.Error(), "the endpoint "+endpoint+" does not serve NCP's API-key API") ||
				!strings.Contains(err.Error(), "ending in /api/v1") || !strings.Contains(err.Error(), "whether it is gone is unknown") {
				t.Errorf("read: %v, want an error naming the endpoint and the /api/v1 rule", err)
			}
			if err := c.DeleteAPIKey(context.Background(), id); err == nil || IsNotFound(err) {
				t.Errorf("delete: %v, want an error", err)
			}
			if _, err := c.ListAllAPIKeys(context.Background(), ""); !IsWrongEndpoint(err) || !strings.Contains(err.Error(), "does not serve NCP's API-key API") {
				t.Errorf("list: %v, want an error naming the endpoint", err)
			}
			if _, ok := env.emu.Key(id); !ok {
				t.Error("the key is gone")
			}
		})
	}
}

// TestFailedCheckLeavesGoneUnknown: a check that fails for a while is an
// error, not "gone", and is not remembered: the next not-found checks again.
func TestFailedCheckLeavesGoneUnknown(t *testing.T) {
	env := newEnv(t, emulator.Config{}, func(c *Config) { c.MaxRetries = -1 })
	env.inject(emulator.Fault{Route: emulator.RouteList, Kind: emulator.FaultError, Status: http.StatusServiceUnavailable, Count: 1})
	_, err := env.c.GetAPIKey(context.Background(), "missing")
	if err == nil || IsNotFound(err) || IsWrongEndpoint(err) || !strings.Contains(err.Error(), "whether it is gone is unknown") || !strings.Contains(err.Error(), "HTTP 503") {
		t.Fatalf("with the check failing: %v, want an error saying whether the key is gone is unknown", err)
	}
	if _, err := env.c.GetAPIKey(context.Background(), "missing"); !IsNotFound(err) {
		t.Fatalf("with the check passing: %v, want not found", err)
	}
	if n := env.count(emulator.RouteList); n != 2 {
		t.Errorf("%d checks, want 2: a failed check is not remembered", n)
	}
}

func requestLines(env *testEnv) []string {
	var lines []string
	for _, r := range env.recordedRequests() {
		lines = append(lines, r.String())
	}
	return lines
}

// TestRefusedByAPI: only NCP's own 4xx refusals and any 429 prove that a
// request took no effect.
func TestRefusedByAPI(t *testing.T) {
	for _, tc := range []struct {
		name    string
		status  int
		body    string
		refused bool
	}{
		{"NCP 400", 400, `{"error":{"errorCode":"100","message":"Bad Request Exception"}}`, true},
		{"NCP 401, numeric code", 401, `{"error":{"errorCode":200,"message":"Authentication Failed"}}`, true},
		{"NCP 403", 403, `{"error":{"errorCode":"230","message":"Forbidden"}}`, true},
		{"NCP 404", 404, `{"error":{"errorCode":"300","message":"Not Found Exception"}}`, true},
		{"NCP 413", 413, `{"error":{"errorCode":"430","message":"Request Entity Too Large"}}`, true},
		{"NCP 429", 429, `{"error":{"errorCode":"410","message":"Throttle Limited"}}`, true},
		{"bare 429", 429, ``, true},
		{"NCP 500", 500, `{"error":{"errorCode":"900","message":"Unexpected Error"}}`, false},
		{"HTML 500", 500, `<html><body>500 Internal Server Error</body></html>`, false},
		{"empty 500", 500, ``, false},
		{"NCP 503", 503, `{"error":{"errorCode":"500","message":"Endpoint Error"}}`, false},
		{"HTML 404", 404, `<html>404 Not Found</html>`, false},
		{"foreign JSON 404", 404, `{"message":"no Route matched with those values"}`, false},
		{"envelope without a code", 400, `{"error":{"message":"Bad Request"}}`, false},
		{"empty 400", 400, ``, false},
	} {
		if got := refusedByAPI(newError("POST", "/api/v1/api-keys", tc.status, []byte(tc.body))); got != tc.refused {
			t.Errorf("%s: refused = %t, want %t", tc.name, got, tc.refused)
		}
	}
}

package ncpclient

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ncp-community/terraform-provider-ncp/internal/emulator"
)

const (
	testAccessKey = "AKIDTESTACCESSKEY"
	testSecretKey = "SecretTestValue-MustNeverBeLogged-0123456789"
)

// testEnv is an emulator behind a test server, which records every request
// it receives, and a fast-retrying client of it.
type testEnv struct {
	emu *emulator.Emulator
	srv *httptest.Server
	c   *Client

	mu       sync.Mutex
	requests []recorded
}

// recorded is one request as the server received it.
type recorded struct {
	method     string
	requestURI string
	header     http.Header
	body       string
}

func (r recorded) String() string {
	return r.method + " " + r.requestURI
}

// newEnv starts an emulator configured by ecfg (its credentials default to
// the test's) and a client configured by testConfig, then adjust.
func newEnv(t *testing.T, ecfg emulator.Config, adjust func(*Config)) *testEnv {
	t.Helper()
	if ecfg.AccessKey == "" {
		ecfg.AccessKey, ecfg.SecretKey = testAccessKey, testSecretKey
	}
	env := &testEnv{emu: emulator.New(ecfg)}
	env.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		r.Body = io.NopCloser(bytes.NewReader(body))
		env.mu.Lock()
		env.requests = append(env.requests, recorded{r.Method, r.RequestURI, r.Header.Clone(), string(body)})
		env.mu.Unlock()
		env.emu.ServeHTTP(w, r)
	}))
	t.Cleanup(env.srv.Close)
	env.c = env.newClient(t, adjust)
	return env
}

// newClient returns another client of the env's server.
func (env *testEnv) newClient(t *testing.T, adjust func(*Config)) *Client {
	t.Helper()
	cfg := testConfig(env.srv.URL + emulator.BasePath)
	if adjust != nil {
		adjust(&cfg)
	}
	return newTestClient(t, cfg)
}

// testConfig is a fast-retrying client configuration for endpoint.
func testConfig(endpoint string) Config {
	return Config{
		AccessKey:      testAccessKey,
		SecretKey:      testSecretKey,
		Endpoint:       endpoint,
		RetryBaseDelay: time.Millisecond,
		RetryMaxDelay:  10 * time.Millisecond,
		RequestTimeout: 5 * time.Second,
		Limiter:        unpacedLimiter(),
	}
}

func newTestClient(t *testing.T, cfg Config) *Client {
	t.Helper()
	c, err := New(cfg)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	return c
}

// unpacedLimiter adapts like any Limiter, but its clock jumps an hour at
// every reading, so that it never makes a caller wait.
func unpacedLimiter() *Limiter {
	l := NewLimiter()
	now := time.Now()
	l.now = func() time.Time { // called with l.mu held
		now = now.Add(time.Hour)
		return now
	}
	return l
}

// inject replaces the emulator's faults with fs.
func (env *testEnv) inject(fs ...emulator.Fault) {
	env.emu.SetFaults(emulator.Faults{Faults: fs})
}

// setClock sets the emulated server's clock offset, without faults.
func (env *testEnv) setClock(offset time.Duration) {
	env.emu.SetFaults(emulator.Faults{ClockOffset: offset})
}

// count is the number of requests the emulator got for route.
func (env *testEnv) count(route emulator.Route) int {
	return env.emu.Stats().Requests[route]
}

func (env *testEnv) recordedRequests() []recorded {
	env.mu.Lock()
	defer env.mu.Unlock()
	return append([]recorded(nil), env.requests...)
}

// signatures are the signature headers of every request received.
func (env *testEnv) signatures() []string {
	var sigs []string
	for _, r := range env.recordedRequests() {
		sigs = append(sigs, r.header.Get(headerSignature))
	}
	return sigs
}

// key returns the emulator's record of id as the client decodes it.
func (env *testEnv) key(t *testing.T, id string) APIKey {
	t.Helper()
	k, ok := env.emu.Key(id)
	if !ok {
		t.Fatalf("the emulator has no key %s", id)
	}
	return asAPIKey(k)
}

func asAPIKey(k emulator.Key) APIKey {
	return APIKey{
		ID: k.ID, TenantID: k.TenantID, Name: k.Name, Description: k.Description,
		PrimaryKey: k.PrimaryKey, SecondaryKey: k.SecondaryKey, Modifier: k.Modifier,
		Enabled: k.Enabled, ModTime: k.ModTime.Format(time.RFC3339), DomainCode: k.DomainCode,
	}
}

// webKeysOf returns the IDs of the keys named "web", the name the create
// tests use, last written by modifier.
func (env *testEnv) webKeysOf(modifier string) []string {
	var ids []string
	for _, k := range env.emu.Keys() {
		if k.Name == "web" && k.Modifier == modifier {
			ids = append(ids, k.ID)
		}
	}
	return ids
}

// seedAt has the other account make a key named name when the server's clock
// read offset.
func (env *testEnv) seedAt(offset time.Duration, name string) emulator.Key {
	saved := env.emu.Faults()
	env.emu.SetFaults(emulator.Faults{ClockOffset: offset})
	defer env.emu.SetFaults(saved)
	return env.emu.PutKey(name, "seeded")
}

// newRawServer serves handler on a test server, for the transport-level
// cases the emulator does not model; handlers run one at a time.
func newRawServer(t *testing.T, handler http.HandlerFunc) *httptest.Server {
	var mu sync.Mutex
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		defer mu.Unlock()
		handler(w, r)
	}))
	t.Cleanup(srv.Close)
	return srv
}

// logRecorder is a Logger keeping every message with its fields rendered.
type logRecorder struct {
	mu    sync.Mutex
	lines []string
}

func (r *logRecorder) log(_ context.Context, msg string, fields map[string]any) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.lines = append(r.lines, msg+" "+fmt.Sprint(fields))
}

func (r *logRecorder) all() string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return strings.Join(r.lines, "\n")
}

// waitFor polls cond until it holds, failing the test after 5 seconds.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(5 * time.Second); !cond(); time.Sleep(time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
	}
}

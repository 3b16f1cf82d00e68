package ncpclient

import (
	"context"
	"errors"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ncp-community/terraform-provider-ncp/internal/emulator"
)

func TestRequestHeaders(t *testing.T) {
	env := newEnv(t, emulator.Config{}, func(cfg *Config) { cfg.UserAgent = "terraform-provider-ncp/1.2.3" })
	ctx := context.Background()
	before := time.Now().UnixMilli()
	key, err := env.c.CreateAPIKey(ctx, CreateAPIKeyInput{Name: "web"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := env.c.GetAPIKey(ctx, key.ID); err != nil {
		t.Fatal(err)
	}
	reqs := env.recordedRequests()
	if len(reqs) != 3 {
		t.Fatalf("requests %v, want a create, its follow-up edit and a get", reqs)
	}
	for _, r := range reqs {
		h := r.header
		if got := h.Get("Accept"); got != "application/json" {
			t.Errorf("%v: Accept = %q", r, got)
		}
		if got := h.Get("User-Agent"); got != "terraform-provider-ncp/1.2.3" {
			t.Errorf("%v: User-Agent = %q", r, got)
		}
		if got := h.Get(headerAccessKey); got != testAccessKey {
			t.Errorf("%v: access key header = %q", r, got)
		}
		wantCT := ""
		if r.method == http.MethodPost || r.method == http.MethodPut {
			wantCT = "application/json"
		}
		if got := h.Get("Content-Type"); got != wantCT {
			t.Errorf("%v: Content-Type = %q, want %q", r, got, wantCT)
		}
		// Signed on the server's clock, as Date's one-second resolution
		// lets the client know it.
		ms, err := strconv.ParseInt(h.Get(headerTimestamp), 10, 64)
		if err != nil || ms < before-1000 || ms > time.Now().UnixMilli()+1000 {
			t.Errorf("%v: timestamp %q is not the current time in milliseconds", r, h.Get(headerTimestamp))
		}
	}
}

func TestEveryAttemptIsSignedAfresh(t *testing.T) {
	var mu sync.Mutex
	now := time.Now()
	env := newEnv(t, emulator.Config{}, func(cfg *Config) {
		cfg.Now = func() time.Time {
			mu.Lock()
			defer mu.Unlock()
			now = now.Add(time.Millisecond)
			return now
		}
	})
	env.inject(emulator.Fault{Route: emulator.RouteList, Kind: emulator.FaultError, Status: 503, Count: 2})
	if _, err := env.c.ListAPIKeys(context.Background(), ListAPIKeysInput{}); err != nil {
		t.Fatal(err)
	}
	reqs := env.recordedRequests()
	if len(reqs) != 3 {
		t.Fatalf("got %d requests, want 3", len(reqs))
	}
	seen := map[string]bool{}
	for _, r := range reqs {
		ts, sig := r.header.Get(headerTimestamp), r.header.Get(headerSignature)
		if seen[ts] || seen[sig] {
			t.Errorf("attempt reuses timestamp %s or its signature", ts)
		}
		seen[ts], seen[sig] = true, true
	}
}

// TestAnswersNotFromNCP: a 404 without NCP's error envelope is not "gone":
// the endpoint is wrong or something else answers in NCP's place. It is
// not retried (a misrouted gateway does not heal) and says where to look.
func TestAnswersNotFromNCP(t *testing.T) {
	for _, tt := range []struct {
		name  string
		fault emulator.Fault
	}{
		{"HTML gateway 404", emulator.Fault{Kind: emulator.FaultHTML, Status: 404}},
		{"empty 404", emulator.Fault{Kind: emulator.FaultRaw, Status: 404}},
		{"foreign JSON 404", emulator.Fault{Kind: emulator.FaultRaw, Status: 404, ContentType: "application/json",
			Body: `{"timestamp":"2024-05-07T07:08:12Z","status":404,"error":"Not Found","path":"/api/v1/api-keys/k"}`}},
		{"foreign JSON message", emulator.Fault{Kind: emulator.FaultRaw, Status: 404, ContentType: "application/json",
			Body: `{"message":"Not Found"}`}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			env := newEnv(t, emulator.Config{}, nil)
			seeded := env.emu.PutKey("web", "")
			env.inject(tt.fault)
			ctx := context.Background()
			_, getErr := env.c.GetAPIKey(ctx, seeded.ID)
			delErr := env.c.DeleteAPIKey(ctx, seeded.ID)
			for op, err := range map[string]error{"get": getErr, "delete": delErr} {
				if err == nil || IsNotFound(err) {
					t.Fatalf("%s: error %v, want one that is not IsNotFound", op, err)
				}
				for _, want := range []string{env.c.BaseURL(), "did not come from NCP's API", "check the endpoint, a proxy, or an outage page"} {
					if !strings.Contains(err.Error(), want) {
						t.Errorf("%s: error %q lacks %q", op, err, want)
					}
				}
			}
			if st := env.emu.Stats(); st.Requests[emulator.RouteGet] != 1 || st.Requests[emulator.RouteDelete] != 1 {
				t.Errorf("requests %v, want one get and one delete: such a 404 is not retried", st.Requests)
			}
			if _, ok := env.emu.Key(seeded.ID); !ok {
				t.Error("the key is gone")
			}
		})
	}
}

func TestUndecodableSuccessIsAnError(t *testing.T) {
	for _, tt := range []struct{ name, body string }{
		{"truncated", `{"apiKey":{"apiKeyId":"k1","primaryKey":"TOPSECRETKEYVALUE`},
		{"not JSON", `<html>OK</html>`},
		{"no apiKeyId", `{"apiKey":{"apiKeyName":"web","primaryKey":"TOPSECRETKEYVALUE"}}`},
		{"no apiKey", `{"apiKeys":[]}`},
		{"empty", ``},
	} {
		t.Run(tt.name, func(t *testing.T) {
			env := newEnv(t, emulator.Config{}, func(cfg *Config) { cfg.MaxRetries = 1 })
			seeded := env.emu.PutKey("web", "")
			env.inject(emulator.Fault{Route: emulator.RouteEdit, Kind: emulator.FaultReplace, ContentType: "application/json", Body: tt.body})
			_, err := env.c.UpdateAPIKey(context.Background(), seeded.ID, UpdateAPIKeyInput{Name: "web"})
			if err == nil {
				t.Fatal("no error")
			}
			msg := err.Error()
			if !strings.Contains(msg, "could not be decoded") || !strings.Contains(msg, "HTTP 200") || strings.Contains(msg, "TOPSECRET") {
				t.Errorf("error %q: want a decode error with the status and no key value", msg)
			}
			if n := env.count(emulator.RouteEdit); n != 2 {
				t.Errorf("%d edits, want 2: an undecodable success is retried", n)
			}
		})
	}
}

// TestBodyCutMidRead: a success whose body ends before its Content-Length
// is retried. A raw server: the emulator cuts answers only at a JSON
// boundary it chooses, not inside the transfer.
func TestBodyCutMidRead(t *testing.T) {
	calls := 0
	srv := newRawServer(t, func(w http.ResponseWriter, r *http.Request) {
		calls++
		body := `{"apiKeyId":"k1","apiKeyName":"web"}`
		if calls > 1 {
			w.Header().Set("Content-Type", "application/json")
			_, _ = io.WriteString(w, body)
			return
		}
		w.Header().Set("Content-Length", strconv.Itoa(len(body)))
		w.WriteHeader(http.StatusOK)
		_, _ = io.WriteString(w, body[:10])
		conn, _, _ := http.NewResponseController(w).Hijack()
		_ = conn.Close()
	})
	c := newTestClient(t, testConfig(srv.URL+"/api/v1"))
	key, err := c.GetAPIKey(context.Background(), "k1")
	if err != nil || key.ID != "k1" || calls != 2 {
		t.Errorf("get = %+v, %v after %d requests; want k1 after 2", key, err, calls)
	}
}

// TestRedirectIsNotFollowed: a raw server, since the emulator never
// redirects.
func TestRedirectIsNotFollowed(t *testing.T) {
	srv := newRawServer(t, func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/elsewhere", http.StatusFound)
	})
	c := newTestClient(t, testConfig(srv.URL+"/api/v1"))
	_, err := c.GetAPIKey(context.Background(), "k")
	var apiErr *Error
	if !errors.As(err, &apiErr) || apiErr.StatusCode != http.StatusFound {
		t.Errorf("error = %v, want an HTTP 302 *Error", err)
	}
}

// TestRefusedCertificateIsNotRetried serves the emulator over TLS with a
// certificate the client does not trust.
func TestRefusedCertificateIsNotRetried(t *testing.T) {
	var reached atomic.Bool
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		reached.Store(true)
	}))
	defer srv.Close()
	srv.Config.ErrorLog = log.New(io.Discard, "", 0)
	var dials atomic.Int32
	transport := http.DefaultTransport.(*http.Transport).Clone()
	dial := transport.DialContext
	transport.DialContext = func(ctx context.Context, network, addr string) (net.Conn, error) {
		dials.Add(1)
		return dial(ctx, network, addr)
	}
	cfg := testConfig(srv.URL + "/api/v1")
	cfg.HTTPClient = &http.Client{Transport: transport}
	c := newTestClient(t, cfg)
	_, err := c.GetAPIKey(context.Background(), "k")
	if err == nil || !strings.Contains(err.Error(), "certificate") {
		t.Errorf("error = %v, want a certificate error", err)
	}
	if n := dials.Load(); n != 1 || reached.Load() {
		t.Errorf("dialled %d times, reached the server %t; want 1 and false", n, reached.Load())
	}
}

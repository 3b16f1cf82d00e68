package ncpclient

import (
	"context"
	"errors"
	"net"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ncp-community/terraform-provider-ncp/internal/emulator"
)

func TestRetryAfterBeyondTheCapFailsAtOnce(t *testing.T) {
	env := newEnv(t, emulator.Config{}, nil)
	env.inject(emulator.Fault{Route: emulator.RouteList, Kind: emulator.FaultError, Status: 503,
		Header: map[string]string{"Retry-After": "3600"}})
	start := time.Now()
	_, err := env.c.ListAPIKeys(context.Background(), ListAPIKeysInput{})
	var waitErr *RetryAfterError
	if !errors.As(err, &waitErr) || waitErr.Wait != time.Hour {
		t.Fatalf("error %v, want a *RetryAfterError asking for an hour", err)
	}
	for _, want := range []string{"HTTP 503", "asked to wait 3600s", env.c.BaseURL(), "the 1m0s the provider waits at most"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not say %q", err, want)
		}
	}
	if n, took := env.count(emulator.RouteList), time.Since(start); n != 1 || took > 5*time.Second {
		t.Errorf("%d requests in %v, want 1 at once", n, took)
	}
}

func TestRetryAfterPastTheDeadlineFailsAtOnce(t *testing.T) {
	env := newEnv(t, emulator.Config{}, nil)
	env.inject(emulator.Fault{Route: emulator.RouteList, Kind: emulator.FaultError, Status: 429,
		Header: map[string]string{"Retry-After": "30"}})
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	start := time.Now()
	_, err := env.c.ListAPIKeys(ctx, ListAPIKeysInput{})
	if !errors.As(err, new(*RetryAfterError)) || !IsThrottled(err) ||
		!strings.Contains(err.Error(), "asked to wait 30s") || !strings.Contains(err.Error(), "left before the operation's deadline") {
		t.Fatalf("error %v, want the 429 and the wait that does not fit the deadline", err)
	}
	if took := time.Since(start); took > 5*time.Second {
		t.Errorf("failed after %v, want at once", took)
	}
}

func TestRetryAfterAsHTTPDateWithinTheCapIsWaitedFor(t *testing.T) {
	env := newEnv(t, emulator.Config{}, nil)
	env.inject(emulator.Fault{Route: emulator.RouteList, Kind: emulator.FaultError, Status: 503, Count: 1,
		Header: map[string]string{"Retry-After": time.Now().Add(2 * time.Second).UTC().Format(http.TimeFormat)}})
	start := time.Now()
	if _, err := env.c.ListAPIKeys(context.Background(), ListAPIKeysInput{}); err != nil {
		t.Fatal(err)
	}
	if took := time.Since(start); took < 500*time.Millisecond {
		t.Errorf("retried after %v, before the Retry-After date", took)
	}
}

// silentServer accepts connections and never answers, as a dead endpoint
// behind a firewall that lets the connection through does.
func silentServer(t *testing.T) (endpoint string, requests *atomic.Int32) {
	requests = new(atomic.Int32)
	srv := newRawServer(t, func(_ http.ResponseWriter, r *http.Request) {
		requests.Add(1)
		<-r.Context().Done()
	})
	return srv.URL + emulator.BasePath, requests
}

func TestNoAnswerTwiceFailsNamingTheEndpoint(t *testing.T) {
	endpoint, requests := silentServer(t)
	var warnings, debug logRecorder
	cfg := testConfig(endpoint)
	cfg.RequestTimeout, cfg.Warn, cfg.Logger = 200*time.Millisecond, warnings.log, debug.log
	c := newTestClient(t, cfg)
	start := time.Now()
	_, err := c.GetAPIKey(context.Background(), "123")
	if !IsUnreachable(err) {
		t.Fatalf("error %v, want an *UnreachableError", err)
	}
	want := "NCP API GET /api/v1/api-keys/123: no answer from " + endpoint + " within 200ms, twice: check the endpoint, a firewall or a proxy"
	if err.Error() != want {
		t.Errorf("error\n%q, want\n%q", err, want)
	}
	if n, took := requests.Load(), time.Since(start); n != 2 || took > 5*time.Second {
		t.Errorf("%d attempts in %v, want 2 in about 400ms", n, took)
	}
	if got := warnings.all(); strings.Count(got, "no answer, trying once more") != 1 || !strings.Contains(got, "within 200ms") {
		t.Errorf("warnings %q, want one about the first attempt", got)
	}
}

func TestLostCreateIsReconciledBeforeGivingUpOnNoAnswer(t *testing.T) {
	env := newEnv(t, emulator.Config{}, func(cfg *Config) { cfg.RequestTimeout = 100 * time.Millisecond })
	env.inject(emulator.Fault{Route: emulator.RouteCreate, Kind: emulator.FaultStall})
	_, err := env.c.CreateAPIKey(context.Background(), CreateAPIKeyInput{Name: "web"})
	if !IsUnreachable(err) || !strings.Contains(err.Error(), "twice") {
		t.Fatalf("error %v, want no answer twice", err)
	}
	if c, l := env.count(emulator.RouteCreate), env.count(emulator.RouteList); c != 2 || l < 2 {
		t.Errorf("%d creates and %d lists, want 2 creates, each reconciled", c, l)
	}
}

func TestMissingHostIsNotRetried(t *testing.T) {
	var dials atomic.Int32
	transport := http.DefaultTransport.(*http.Transport).Clone()
	transport.Proxy = nil
	dial := (&net.Dialer{Timeout: 5 * time.Second}).DialContext
	transport.DialContext = func(ctx context.Context, network, addr string) (net.Conn, error) {
		dials.Add(1)
		return dial(ctx, network, addr)
	}
	cfg := testConfig("https://apigw.nonexistent.invalid/api/v1") // .invalid never resolves (RFC 2606)
	cfg.HTTPClient = &http.Client{Transport: transport}
	c := newTestClient(t, cfg)
	_, err := c.GetAPIKey(context.Background(), "123")
	var dnsErr *net.DNSError
	if !errors.As(err, &dnsErr) || !dnsErr.IsNotFound {
		t.Skipf("this machine's resolver did not say no such host: %v", err)
	}
	if !IsUnreachable(err) || !strings.Contains(err.Error(), "the host apigw.nonexistent.invalid does not exist") ||
		!strings.Contains(err.Error(), "check the endpoint or the site") {
		t.Errorf("error %q, want the host named and what to check", err)
	}
	if n := dials.Load(); n != 1 {
		t.Errorf("%d attempts, want 1", n)
	}
}

func TestRejectedCredentialsFailLaterCallsWithoutSending(t *testing.T) {
	env := newEnv(t, emulator.Config{}, func(cfg *Config) { cfg.SecretKey = "wrong-secret-key" })
	_, err := env.c.ListAPIKeys(context.Background(), ListAPIKeysInput{})
	var first *Error
	if !errors.As(err, &first) || first.StatusCode != 401 || !strings.Contains(err.Error(), "likely causes") {
		t.Fatalf("first error %v, want the 401 with its advice", err)
	}
	sent := len(env.recordedRequests())
	_, err = env.c.GetAPIKey(context.Background(), "123")
	var rejected *CredentialsRejectedError
	if !errors.As(err, &rejected) || !IsAuth(err) {
		t.Fatalf("second error %v, want a *CredentialsRejectedError", err)
	}
	want := "NCP API GET /api/v1/api-keys/123: not sent: NCP rejected these credentials earlier in this run (HTTP 401, error code 200); see that error"
	if err.Error() != want {
		t.Errorf("second error\n%q, want\n%q", err, want)
	}
	if n := len(env.recordedRequests()); n != sent {
		t.Errorf("%d more requests sent", n-sent)
	}
}

func TestRequestTimeoutIsBounded(t *testing.T) {
	cfg := testConfig("https://apigw.example.com/api/v1")
	cfg.RequestTimeout = 2 * time.Minute
	if _, err := New(cfg); err == nil || !strings.Contains(err.Error(), "longer than 1m0s") {
		t.Errorf("New with a 2m request timeout: error %v", err)
	}
}

// TestRejectedCredentialsAreSentOnceByConcurrentCalls: callers waiting at
// the clock gate for the first answer, a 401, see the rejection when the
// gate opens: one request is sent, the other calls fail unsent.
func TestRejectedCredentialsAreSentOnceByConcurrentCalls(t *testing.T) {
	env := newEnv(t, emulator.Config{}, func(cfg *Config) { cfg.SecretKey = "wrong-secret-key" })
	const calls = 50
	errs := make([]error, calls)
	var wg sync.WaitGroup
	for i := range calls {
		wg.Go(func() { _, errs[i] = env.c.GetAPIKey(context.Background(), "123") })
	}
	wg.Wait()
	unsent := 0
	for _, err := range errs {
		var rejected *CredentialsRejectedError
		if errors.As(err, &rejected) {
			unsent++
		}
	}
	if sent := len(env.recordedRequests()); sent != 1 || unsent != calls-1 {
		t.Errorf("%d requests sent and %d calls failed unsent, want 1 and %d", sent, unsent, calls-1)
	}
}

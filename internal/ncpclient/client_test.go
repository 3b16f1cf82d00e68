package ncpclient

import (
	"context"
	"errors"
	"io"
	"log"
	"math"
	"net"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

func TestNewValidatesConfig(t *testing.T) {
	tests := []struct {
		name    string
		cfg     Config
		wantErr string
	}{
		{"no access key", Config{SecretKey: "s"}, "access key is empty"},
		{"no secret key", Config{AccessKey: "a"}, "secret key is empty"},
		{"unknown site", Config{AccessKey: "a", SecretKey: "s", Site: "mars"}, `unknown NCP site "mars": valid sites are public, gov and fin`},
		{"bad endpoint", Config{AccessKey: "a", SecretKey: "s", Endpoint: "http://example.com/api/v1"}, "allowed only for a loopback host"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := New(tt.cfg)
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("New error = %v, want it to contain %q", err, tt.wantErr)
			}
		})
	}
}

func TestNewBaseURL(t *testing.T) {
	tests := []struct{ site, endpoint, want string }{
		{"", "", "https://apigateway.apigw.ntruss.com/api/v1"},
		{"gov", "", "https://apigateway.apigw.gov-ntruss.com/api/v1"},
		{"fin", "", "https://apigateway.apigw.fin-ntruss.com/api/v1"},
		{"fin", "http://127.0.0.1:8080/api/v1/", "http://127.0.0.1:8080/api/v1"},
	}
	for _, tt := range tests {
		c, err := New(Config{AccessKey: "a", SecretKey: "s", Site: tt.site, Endpoint: tt.endpoint})
		if err != nil {
			t.Fatalf("New(site %q, endpoint %q): %v", tt.site, tt.endpoint, err)
		}
		if got := c.BaseURL(); got != tt.want {
			t.Errorf("BaseURL(site %q, endpoint %q) = %q, want %q", tt.site, tt.endpoint, got, tt.want)
		}
	}
}

func TestNewDefaults(t *testing.T) {
	c := newTestClient(t, Config{AccessKey: "a", SecretKey: "s"})
	if c.userAgent != defaultUserAgent || c.pageSize != DefaultPageSize || c.maxRetries != defaultMaxRetries ||
		c.requestTimeout != defaultRequestTimeout || c.retryBaseDelay != defaultRetryBaseDelay || c.retryMaxDelay != defaultRetryMaxDelay {
		t.Errorf("defaults not applied: %+v", c)
	}
	tr, ok := c.httpClient.Transport.(*http.Transport)
	if !ok || tr.Proxy == nil || tr.TLSHandshakeTimeout == 0 || tr.DialContext == nil {
		t.Errorf("default transport lacks proxy or timeouts: %#v", c.httpClient.Transport)
	}
	if c.httpClient.CheckRedirect == nil {
		t.Error("default client follows redirects")
	}
	if c := newTestClient(t, Config{AccessKey: "a", SecretKey: "s", MaxRetries: -1}); c.maxRetries != 0 {
		t.Errorf("MaxRetries -1 gave %d retries, want 0", c.maxRetries)
	}
}

func TestSiteBaseURL(t *testing.T) {
	tests := []struct{ site, want string }{
		{"public", "https://apigateway.apigw.ntruss.com/api/v1"},
		{"", "https://apigateway.apigw.ntruss.com/api/v1"},
		{"gov", "https://apigateway.apigw.gov-ntruss.com/api/v1"},
		{"fin", "https://apigateway.apigw.fin-ntruss.com/api/v1"},
	}
	for _, tt := range tests {
		if got, err := SiteBaseURL(tt.site); err != nil || got != tt.want {
			t.Errorf("SiteBaseURL(%q) = %q, %v; want %q", tt.site, got, err, tt.want)
		}
	}
	if _, err := SiteBaseURL("FIN-x"); err == nil || !strings.Contains(err.Error(), "public, gov and fin") {
		t.Errorf("SiteBaseURL(unknown) error = %v, want one listing the valid sites", err)
	}
}

func TestValidateEndpoint(t *testing.T) {
	tests := []struct {
		raw     string
		wantErr string // "" for valid
	}{
		{"https://apigateway.apigw.ntruss.com/api/v1", ""},
		{"http://127.0.0.1:8080/api/v1", ""},
		{"http://127.9.9.9/api/v1", ""},
		{"http://localhost", ""},
		{"http://LOCALHOST:9/api/v1", ""},
		{"http://[::1]:1", ""},
		{"http://example.com/api/v1", "allowed only for a loopback host"},
		{"http://10.0.0.1/api/v1", "allowed only for a loopback host"},
		{"http://localhost.example.com/", "allowed only for a loopback host"},
		{"ftp://example.com/api/v1", `unsupported scheme "ftp"`},
		{"/api/v1", "must be an absolute URL"},
		{"apigateway.apigw.ntruss.com/api/v1", "must be an absolute URL"},
		{"https:///api/v1", "must be an absolute URL"},
		{"::garbage", "not a valid URL"},
		{"https://h/api/v1?x=1", "must not have a query"},
		{"https://h/api/v1#top", "must not have a fragment"},
		{"https://user:pw@h/api/v1", "must not contain user info"},
	}
	for _, tt := range tests {
		err := ValidateEndpoint(tt.raw)
		switch {
		case tt.wantErr == "" && err != nil:
			t.Errorf("ValidateEndpoint(%q) = %v, want nil", tt.raw, err)
		case tt.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tt.wantErr)):
			t.Errorf("ValidateEndpoint(%q) = %v, want an error containing %q", tt.raw, err, tt.wantErr)
		}
	}
}

func TestRequestHeaders(t *testing.T) {
	f, srv := newFake(t)
	cfg := testConfig(srv)
	cfg.UserAgent = "terraform-provider-ncp/1.2.3"
	c := newTestClient(t, cfg)
	ctx := context.Background()
	before := time.Now().UnixMilli()
	key, err := c.CreateAPIKey(ctx, CreateAPIKeyInput{Name: "web"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.GetAPIKey(ctx, key.ID); err != nil {
		t.Fatal(err)
	}
	for _, r := range f.recordedRequests() {
		h := r.header
		if got := h.Get("Accept"); got != "application/json" {
			t.Errorf("%v: Accept = %q", r, got)
		}
		if got := h.Get("User-Agent"); got != cfg.UserAgent {
			t.Errorf("%v: User-Agent = %q", r, got)
		}
		if got := h.Get(headerAccessKey); got != testAccessKey {
			t.Errorf("%v: access key header = %q", r, got)
		}
		wantCT := ""
		if r.method == http.MethodPost {
			wantCT = "application/json"
		}
		if got := h.Get("Content-Type"); got != wantCT {
			t.Errorf("%v: Content-Type = %q, want %q", r, got, wantCT)
		}
		ms, err := strconv.ParseInt(h.Get(headerTimestamp), 10, 64)
		if err != nil || ms < before || ms > time.Now().UnixMilli() {
			t.Errorf("%v: timestamp %q is not the current time in milliseconds", r, h.Get(headerTimestamp))
		}
	}
}

func TestEveryAttemptIsSignedAfresh(t *testing.T) {
	f, srv := newFake(t)
	f.fault = failNext("list", 2, fault{kind: faultRespond, status: 503})
	cfg := testConfig(srv)
	var mu sync.Mutex
	now := time.Now()
	cfg.Now = func() time.Time {
		mu.Lock()
		defer mu.Unlock()
		now = now.Add(time.Millisecond)
		return now
	}
	c := newTestClient(t, cfg)
	if _, err := c.ListAPIKeys(context.Background(), ListAPIKeysInput{}); err != nil {
		t.Fatal(err)
	}
	reqs := f.recordedRequests()
	if len(reqs) != 3 {
		t.Fatalf("got %d requests, want 3", len(reqs))
	}
	seen := map[string]bool{}
	for _, r := range reqs {
		ts := r.header.Get(headerTimestamp)
		if seen[ts] || seen[r.header.Get(headerSignature)] {
			t.Errorf("attempt reuses timestamp %s or its signature", ts)
		}
		seen[ts], seen[r.header.Get(headerSignature)] = true, true
	}
}

func TestRetriesTransientFailures(t *testing.T) {
	tests := []struct {
		name  string
		fault fault
	}{
		{"HTML 502", fault{kind: faultRespond, status: 502, body: "<html><body><h1>502 Bad Gateway</h1></body></html>"}},
		{"empty 503", fault{kind: faultRespond, status: 503}},
		{"504", fault{kind: faultRespond, status: 504, body: `{"error":{"errorCode":"510","message":"Endpoint Timeout"}}`}},
		{"429", fault{kind: faultRespond, status: 429, body: `{"error":{"errorCode":"410","message":"Throttle Limited"}}`}},
		{"dropped connection", fault{kind: faultDrop}},
		{"truncated body", fault{kind: faultTruncate}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, srv := newFake(t)
			want := f.seed("web", time.Now())
			f.fault = failNext("get", 2, tt.fault)
			c := newTestClient(t, testConfig(srv))
			got, err := c.GetAPIKey(context.Background(), want.ID)
			if err != nil {
				t.Fatal(err)
			}
			if *got != want {
				t.Errorf("got %+v, want %+v", *got, want)
			}
			if n := f.count("get"); n != 3 {
				t.Errorf("got %d GETs, want 3", n)
			}
			if throttled := !math.IsInf(c.limiter.Rate(), 1); throttled != (tt.fault.status == 429) {
				t.Errorf("limiter rate %v after %s", c.limiter.Rate(), tt.name)
			}
		})
	}
}

func TestDoesNotRetryClientErrors(t *testing.T) {
	for _, status := range []int{400, 403, 404, 413, 500} {
		f, srv := newFake(t)
		f.fault = failNext("list", 100, fault{kind: faultRespond, status: status, body: `{"error":{"errorCode":"100","message":"nope"}}`})
		c := newTestClient(t, testConfig(srv))
		_, err := c.ListAPIKeys(context.Background(), ListAPIKeysInput{})
		var apiErr *Error
		if !errors.As(err, &apiErr) || apiErr.StatusCode != status {
			t.Errorf("HTTP %d: error = %v", status, err)
		}
		if n := f.count("list"); n != 1 {
			t.Errorf("HTTP %d: got %d requests, want 1", status, n)
		}
	}
}

func TestRetryAfterIsHonoured(t *testing.T) {
	f, srv := newFake(t)
	f.fault = failNext("list", 1, fault{kind: faultRespond, status: 503, header: map[string]string{"Retry-After": "1"}})
	c := newTestClient(t, testConfig(srv))
	start := time.Now()
	if _, err := c.ListAPIKeys(context.Background(), ListAPIKeysInput{}); err != nil {
		t.Fatal(err)
	}
	if elapsed := time.Since(start); elapsed < time.Second {
		t.Errorf("retried after %v, before Retry-After's 1s", elapsed)
	}
}

func TestRetryAfterParsing(t *testing.T) {
	date := time.Date(2024, 5, 7, 7, 8, 12, 0, time.UTC)
	tests := []struct {
		value, date string
		want        time.Duration
	}{
		{"", "", 0},
		{"3", "", 3 * time.Second},
		{" 0 ", "", 0},
		{"-5", "", 0},
		{"soon", "", 0},
		{date.Add(90 * time.Second).Format(http.TimeFormat), date.Format(http.TimeFormat), 90 * time.Second},
		{date.Add(-time.Minute).Format(http.TimeFormat), date.Format(http.TimeFormat), 0},
	}
	for _, tt := range tests {
		h := http.Header{}
		h.Set("Retry-After", tt.value)
		if tt.date != "" {
			h.Set("Date", tt.date)
		}
		if got := retryAfter(h); got != tt.want {
			t.Errorf("retryAfter(%q, Date %q) = %v, want %v", tt.value, tt.date, got, tt.want)
		}
	}
}

func TestBackoffIsBoundedAndGrows(t *testing.T) {
	c := newTestClient(t, Config{AccessKey: "a", SecretKey: "s", RetryBaseDelay: 100 * time.Millisecond, RetryMaxDelay: time.Second})
	for attempt, ceiling := range map[int]time.Duration{1: 100 * time.Millisecond, 3: 400 * time.Millisecond, 5: time.Second, 60: time.Second} {
		var maxSeen time.Duration
		for range 500 {
			d := c.backoff(attempt)
			if d < 0 || d > ceiling {
				t.Fatalf("backoff(%d) = %v, outside [0, %v]", attempt, d, ceiling)
			}
			maxSeen = max(maxSeen, d)
		}
		if maxSeen < ceiling/2 {
			t.Errorf("backoff(%d) never exceeded %v in 500 draws: not full jitter up to %v", attempt, maxSeen, ceiling)
		}
	}
}

func TestContextDeadlineBoundsRetries(t *testing.T) {
	f, srv := newFake(t)
	f.fault = func(string) *fault {
		return &fault{kind: faultRespond, status: 503, body: `{"error":{"errorCode":"500","message":"Endpoint Error"}}`}
	}
	cfg := testConfig(srv)
	cfg.RetryBaseDelay, cfg.RetryMaxDelay, cfg.MaxRetries = 50*time.Millisecond, 200*time.Millisecond, 1000
	c := newTestClient(t, cfg)
	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()
	start := time.Now()
	_, err := c.ListAPIKeys(ctx, ListAPIKeysInput{})
	elapsed := time.Since(start)
	if err == nil || !strings.Contains(err.Error(), "HTTP 503") || !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("error = %v, want the last HTTP 503 and context.DeadlineExceeded", err)
	}
	if elapsed > time.Second {
		t.Errorf("returned after %v, want about 300ms", elapsed)
	}
	t.Logf("gave up after %v and %d attempts: %v", elapsed, f.count("list"), err)
}

func TestMaxRetriesBoundsRetries(t *testing.T) {
	f, srv := newFake(t)
	f.fault = func(string) *fault { return &fault{kind: faultRespond, status: 502} }
	cfg := testConfig(srv)
	cfg.MaxRetries = 2
	c := newTestClient(t, cfg)
	_, err := c.ListAPIKeys(context.Background(), ListAPIKeysInput{})
	if err == nil || !strings.Contains(err.Error(), "gave up after 3 attempts") {
		t.Errorf("error = %v, want one saying it gave up after 3 attempts", err)
	}
	if n := f.count("list"); n != 3 {
		t.Errorf("got %d requests, want 3", n)
	}
}

func TestAttemptTimeoutIsRetried(t *testing.T) {
	f, srv := newFake(t)
	f.fault = failNext("list", 1, fault{kind: faultHang})
	cfg := testConfig(srv)
	cfg.RequestTimeout = 100 * time.Millisecond
	c := newTestClient(t, cfg)
	if _, err := c.ListAPIKeys(context.Background(), ListAPIKeysInput{}); err != nil {
		t.Fatal(err)
	}
	if n := f.count("list"); n != 2 {
		t.Errorf("got %d requests, want 2", n)
	}
}

// TestClockSkewWithConcurrentRequests: every request signed before the
// offset was learnt is rejected, and each must retry with the offset the
// first answer taught, not give up because the offset is already stored.
func TestClockSkewWithConcurrentRequests(t *testing.T) {
	f, srv := newFake(t)
	f.skew = -10 * time.Minute
	c := newTestClient(t, testConfig(srv))
	const callers = 8
	errs := make(chan error, callers)
	start := make(chan struct{})
	for range callers {
		go func() {
			<-start
			_, err := c.ListAPIKeys(context.Background(), ListAPIKeysInput{})
			errs <- err
		}()
	}
	close(start)
	for range callers {
		if err := <-errs; err != nil {
			t.Errorf("a concurrent request failed under clock skew: %v", err)
		}
	}
	if n := f.count("list"); n > 2*callers {
		t.Errorf("%d list requests for %d callers, want at most one retry each", n, callers)
	}
}

func TestClockSkewIsCorrectedOnce(t *testing.T) {
	f, srv := newFake(t)
	f.skew = 10 * time.Minute
	c := newTestClient(t, testConfig(srv))
	ctx := context.Background()
	if _, err := c.ListAPIKeys(ctx, ListAPIKeysInput{}); err != nil {
		t.Fatalf("list with a skewed server clock: %v", err)
	}
	if n := f.count("list"); n != 2 {
		t.Errorf("got %d requests, want a rejected one and a corrected retry", n)
	}
	if off := c.offset(); (off - 10*time.Minute).Abs() > 2*time.Second {
		t.Errorf("adopted offset %v, want about 10m", off)
	}
	if _, err := c.ListAPIKeys(ctx, ListAPIKeysInput{}); err != nil {
		t.Fatal(err)
	}
	if n := f.count("list"); n != 3 {
		t.Errorf("the offset was not kept: %d requests in all, want 3", n)
	}
}

func TestAuthenticationFailureExplainsCauses(t *testing.T) {
	for _, skew := range []time.Duration{0, 10 * time.Minute} {
		f, srv := newFake(t)
		f.skew, f.wrongKey = skew, true
		c := newTestClient(t, testConfig(srv))
		_, err := c.ListAPIKeys(context.Background(), ListAPIKeysInput{})
		if !IsAuth(err) {
			t.Fatalf("skew %v: error %v is not an authentication error", skew, err)
		}
		msg := err.Error()
		for _, want := range []string{"HTTP 401, error code 200: Authentication Failed", "wrong access key or secret key", "check the system clock / NTP"} {
			if !strings.Contains(msg, want) {
				t.Errorf("skew %v: error %q lacks %q", skew, msg, want)
			}
		}
		wantRequests := 1
		if skew != 0 {
			wantRequests = 2
			if !strings.Contains(msg, "by 10m0s") {
				t.Errorf("skew %v: error %q does not state the measured offset", skew, msg)
			}
		}
		if n := f.count("list"); n != wantRequests {
			t.Errorf("skew %v: got %d requests, want %d", skew, n, wantRequests)
		}
	}
}

func TestRedirectIsNotFollowed(t *testing.T) {
	srv := newRawServer(t, func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/elsewhere", http.StatusFound)
	})
	c := newTestClient(t, testConfig(srv))
	_, err := c.GetAPIKey(context.Background(), "k")
	var apiErr *Error
	if !errors.As(err, &apiErr) || apiErr.StatusCode != http.StatusFound {
		t.Errorf("error = %v, want an HTTP 302 *Error", err)
	}
}

func TestRefusedCertificateIsNotRetried(t *testing.T) {
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		t.Error("a request got through an untrusted certificate")
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
	cfg := testConfig(srv)
	cfg.HTTPClient = &http.Client{Transport: transport}
	c := newTestClient(t, cfg)
	_, err := c.GetAPIKey(context.Background(), "k")
	if err == nil || !strings.Contains(err.Error(), "certificate") {
		t.Errorf("error = %v, want a certificate error", err)
	}
	if n := dials.Load(); n != 1 {
		t.Errorf("dialled %d times, want 1", n)
	}
}

package ncpclient

import (
	"context"
	"errors"
	"math"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/ncp-community/terraform-provider-ncp/internal/emulator"
)

func TestRetriesTransientFailures(t *testing.T) {
	for _, tt := range []struct {
		name      string
		fault     emulator.Fault
		throttled bool
	}{
		{"HTML 502", emulator.Fault{Kind: emulator.FaultHTML, Status: 502}, false},
		{"empty 503", emulator.Fault{Kind: emulator.FaultRaw, Status: 503}, false},
		{"NCP 504", emulator.Fault{Kind: emulator.FaultError, Status: 504}, false},
		{"NCP 500", emulator.Fault{Kind: emulator.FaultError, Status: 500}, false},
		{"HTML 500", emulator.Fault{Kind: emulator.FaultHTML, Status: 500}, false},
		{"NCP 429", emulator.Fault{Kind: emulator.FaultError, Status: 429}, true},
		{"echoing proxy 502", emulator.Fault{Kind: emulator.FaultEcho}, false},
		{"reset connection", emulator.Fault{Kind: emulator.FaultReset}, false},
		{"dropped connection", emulator.Fault{Kind: emulator.FaultDrop}, false},
		{"truncated body", emulator.Fault{Kind: emulator.FaultTruncated}, false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			env := newEnv(t, emulator.Config{}, nil)
			want := asAPIKey(env.emu.PutKey("web", ""))
			tt.fault.Route, tt.fault.Count = emulator.RouteGet, 2
			env.inject(tt.fault)
			got, err := env.c.GetAPIKey(context.Background(), want.ID)
			if err != nil {
				t.Fatal(err)
			}
			if *got != want {
				t.Errorf("got %+v, want %+v", *got, want)
			}
			if n := env.count(emulator.RouteGet); n != 3 {
				t.Errorf("got %d GETs, want 3", n)
			}
			if throttled := !math.IsInf(env.c.limiter.Rate(), 1); throttled != tt.throttled {
				t.Errorf("limiter rate %v after %s", env.c.limiter.Rate(), tt.name)
			}
		})
	}
}

func TestDoesNotRetryClientErrors(t *testing.T) {
	faults := []emulator.Fault{
		{Kind: emulator.FaultRaw, Status: 401, ContentType: "application/json", Body: `{"error":{"errorCode":"210","message":"Permission Denied"}}`},
	}
	for _, status := range []int{400, 403, 404, 413, 501} {
		faults = append(faults, emulator.Fault{Kind: emulator.FaultError, Status: status})
	}
	for _, flt := range faults {
		env := newEnv(t, emulator.Config{}, nil)
		flt.Route = emulator.RouteList
		env.inject(flt)
		_, err := env.c.ListAPIKeys(context.Background(), ListAPIKeysInput{})
		var apiErr *Error
		if !errors.As(err, &apiErr) || apiErr.StatusCode != flt.Status {
			t.Errorf("HTTP %d: error = %v", flt.Status, err)
		}
		if n := env.count(emulator.RouteList); n != 1 {
			t.Errorf("HTTP %d: got %d requests, want 1", flt.Status, n)
		}
	}
}

func TestRetryAfterIsHonoured(t *testing.T) {
	env := newEnv(t, emulator.Config{}, nil)
	env.inject(emulator.Fault{Route: emulator.RouteList, Kind: emulator.FaultError, Status: 503, Count: 1,
		Header: map[string]string{"Retry-After": "1"}})
	start := time.Now()
	if _, err := env.c.ListAPIKeys(context.Background(), ListAPIKeysInput{}); err != nil {
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
	in90s := time.Now().Add(90 * time.Second).Format(http.TimeFormat)
	if got := retryAfter(http.Header{"Retry-After": {in90s}}); got < 88*time.Second || got > 90*time.Second {
		t.Errorf("retryAfter(%q) without Date = %v, want about 90s from now", in90s, got)
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
	env := newEnv(t, emulator.Config{}, func(cfg *Config) {
		cfg.RetryBaseDelay, cfg.RetryMaxDelay, cfg.MaxRetries = 50*time.Millisecond, 200*time.Millisecond, 1000
	})
	env.inject(emulator.Fault{Kind: emulator.FaultError, Status: 503})
	// The deadline leaves time for attempts even on a loaded machine; 1,000
	// retries would take minutes, so returning within a few seconds proves
	// the deadline, not MaxRetries, ended them.
	const deadline = time.Second
	ctx, cancel := context.WithTimeout(context.Background(), deadline)
	defer cancel()
	start := time.Now()
	_, err := env.c.ListAPIKeys(ctx, ListAPIKeysInput{})
	elapsed := time.Since(start)
	if err == nil || !strings.Contains(err.Error(), "HTTP 503") || !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("error = %v, want the last HTTP 503 and context.DeadlineExceeded", err)
	}
	if elapsed > 5*deadline {
		t.Errorf("returned after %v, want about %v", elapsed, deadline)
	}
}

func TestMaxRetriesBoundsRetries(t *testing.T) {
	env := newEnv(t, emulator.Config{}, func(cfg *Config) { cfg.MaxRetries = 2 })
	env.inject(emulator.Fault{Kind: emulator.FaultHTML, Status: 502})
	_, err := env.c.ListAPIKeys(context.Background(), ListAPIKeysInput{})
	if err == nil || !strings.Contains(err.Error(), "gave up after 3 attempts") {
		t.Errorf("error = %v, want one saying it gave up after 3 attempts", err)
	}
	if n := env.count(emulator.RouteList); n != 3 {
		t.Errorf("got %d requests, want 3", n)
	}
}

func TestAttemptTimeoutIsRetried(t *testing.T) {
	env := newEnv(t, emulator.Config{}, func(cfg *Config) { cfg.RequestTimeout = 100 * time.Millisecond })
	env.inject(emulator.Fault{Route: emulator.RouteList, Kind: emulator.FaultStall, Count: 1})
	if _, err := env.c.ListAPIKeys(context.Background(), ListAPIKeysInput{}); err != nil {
		t.Fatal(err)
	}
	if n := env.count(emulator.RouteList); n != 2 {
		t.Errorf("got %d requests, want 2", n)
	}
}

func TestEndedContextSendsNothing(t *testing.T) {
	env := newEnv(t, emulator.Config{}, nil)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := env.c.ListAPIKeys(ctx, ListAPIKeysInput{})
	if !errors.Is(err, context.Canceled) || !strings.Contains(err.Error(), "NCP API GET /api/v1/api-keys") {
		t.Errorf("error %v, want the request named and context.Canceled", err)
	}
	if n := env.count(emulator.RouteList); n != 0 {
		t.Errorf("%d requests sent", n)
	}
}

func TestCancelDuringBackoff(t *testing.T) {
	env := newEnv(t, emulator.Config{}, nil)
	env.inject(emulator.Fault{Route: emulator.RouteList, Kind: emulator.FaultError, Status: 503,
		Header: map[string]string{"Retry-After": "60"}})
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(100*time.Millisecond, cancel)
	start := time.Now()
	_, err := env.c.ListAPIKeys(ctx, ListAPIKeysInput{})
	if !errors.Is(err, context.Canceled) || !strings.Contains(err.Error(), "HTTP 503") || time.Since(start) > 5*time.Second {
		t.Errorf("error %v after %v, want the 503 and context.Canceled at once", err, time.Since(start))
	}
}

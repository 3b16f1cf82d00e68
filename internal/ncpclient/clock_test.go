package ncpclient

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ncp-community/terraform-provider-ncp/internal/emulator"
)

func TestClockSkewIsCorrectedOnce(t *testing.T) {
	env := newEnv(t, emulator.Config{}, nil)
	env.setClock(10 * time.Minute)
	ctx := context.Background()
	if _, err := env.c.ListAPIKeys(ctx, ListAPIKeysInput{}); err != nil {
		t.Fatalf("list with a skewed server clock: %v", err)
	}
	if n := env.count(emulator.RouteList); n != 2 {
		t.Errorf("got %d requests, want a rejected one and a corrected retry", n)
	}
	if off := env.c.clock.offset(); (off - 10*time.Minute).Abs() > 2*time.Second {
		t.Errorf("adopted offset %v, want about 10m", off)
	}
	if _, err := env.c.CreateAPIKey(ctx, CreateAPIKeyInput{Name: "web"}); err != nil {
		t.Fatal(err)
	}
	if st := env.emu.Stats(); st.Requests[emulator.RouteList] != 2 || st.Requests[emulator.RouteCreate] != 1 || st.Responses[401] != 1 {
		t.Errorf("stats %+v: the offset was not kept", st)
	}
}

// TestOneClockSkew401PerClient: until the first NCP answer tells the client
// the server's clock, its requests go one at a time, so a clock 10 minutes
// off costs one rejected request, however many callers there are.
func TestOneClockSkew401PerClient(t *testing.T) {
	env := newEnv(t, emulator.Config{}, nil)
	for _, offset := range []time.Duration{10 * time.Minute, -10 * time.Minute} {
		env.setClock(offset)
		env.emu.ResetStats()
		c := env.newClient(t, nil)
		const callers = 20
		var wg sync.WaitGroup
		start := make(chan struct{})
		for range callers {
			wg.Go(func() {
				<-start
				if _, err := c.ListAPIKeys(context.Background(), ListAPIKeysInput{}); err != nil {
					t.Errorf("offset %v: a concurrent request failed: %v", offset, err)
				}
			})
		}
		close(start)
		wg.Wait()
		if n := env.emu.Stats().Responses[401]; n != 1 {
			t.Errorf("offset %v: %d rejected requests for %d concurrent callers, want 1", offset, n, callers)
		}
	}
}

// TestRequestsWaitForTheFirstNCPAnswer: while the first request is in
// flight, others wait, as long as their context allows.
func TestRequestsWaitForTheFirstNCPAnswer(t *testing.T) {
	env := newEnv(t, emulator.Config{}, nil)
	env.inject(emulator.Fault{Route: emulator.RouteList, Kind: emulator.FaultStall, Delay: 300 * time.Millisecond, Count: 1})
	first := make(chan error)
	go func() {
		_, err := env.c.ListAPIKeys(context.Background(), ListAPIKeysInput{})
		first <- err
	}()
	waitFor(t, "the first request", func() bool { return env.emu.Stats().Faults[emulator.FaultStall] == 1 })
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	if _, err := env.c.GetAPIKey(ctx, "k"); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("a second request while the first is in flight: %v, want it to wait until its deadline", err)
	}
	if n := env.count(emulator.RouteGet); n != 0 {
		t.Errorf("%d gets were sent before the first answer", n)
	}
	if err := <-first; err != nil {
		t.Fatal(err)
	}
	if _, err := env.c.GetAPIKey(context.Background(), "k"); !IsNotFound(err) {
		t.Errorf("get after the first answer: %v", err)
	}
}

// TestClockIsLearntFromEveryNCPAnswer: successes and NCP's error answers
// move the offset with the server's clock; pages from proxies, dated by
// their own host's clock, do not.
func TestClockIsLearntFromEveryNCPAnswer(t *testing.T) {
	env := newEnv(t, emulator.Config{}, nil)
	ctx := context.Background()
	near := func(want time.Duration) {
		t.Helper()
		if got := env.c.clock.offset(); (got - want).Abs() > 2*time.Second {
			t.Errorf("offset %v, want about %v", got, want)
		}
	}
	// A proxy's page first: it neither teaches the clock nor lets
	// requests run concurrently.
	env.inject(emulator.Fault{Route: emulator.RouteGet, Kind: emulator.FaultHTML, Status: 404, Count: 1})
	if _, err := env.c.GetAPIKey(ctx, "missing"); err == nil || IsNotFound(err) {
		t.Fatalf("get answered by a proxy: %v", err)
	}
	select {
	case <-env.c.clock.calibrated:
		t.Error("a proxy page calibrated the clock")
	default:
	}

	env.setClock(2 * time.Minute) // within the signature window: no 401
	if _, err := env.c.ListAPIKeys(ctx, ListAPIKeysInput{}); err != nil {
		t.Fatal(err)
	}
	near(2 * time.Minute)

	env.setClock(-2 * time.Minute)
	if _, err := env.c.GetAPIKey(ctx, "missing"); !IsNotFound(err) {
		t.Fatalf("get of a missing key: %v", err)
	}
	near(-2 * time.Minute)

	// Proxy pages, dated by the host's clock: 2 minutes from the server's.
	env.emu.SetFaults(emulator.Faults{ClockOffset: -2 * time.Minute, Faults: []emulator.Fault{
		{Route: emulator.RouteGet, Kind: emulator.FaultHTML, Status: 404},
		{Route: emulator.RouteEdit, Kind: emulator.FaultRaw, Status: 409, ContentType: "application/json", Body: `{"status":"conflict"}`},
	}})
	if _, err := env.c.GetAPIKey(ctx, "missing"); err == nil {
		t.Fatal("a proxy's 404 page was taken for a key")
	}
	if _, err := env.c.UpdateAPIKey(ctx, "k", UpdateAPIKeyInput{Name: "web"}); err == nil {
		t.Fatal("a proxy's 409 was taken for success")
	}
	near(-2 * time.Minute)
	if st := env.emu.Stats(); st.Responses[401] != 0 {
		t.Errorf("%d requests rejected, want none within the signature window", st.Responses[401])
	}
}

func TestAuthenticationFailureExplainsCauses(t *testing.T) {
	for _, skew := range []time.Duration{0, 10 * time.Minute} {
		env := newEnv(t, emulator.Config{}, func(cfg *Config) { cfg.SecretKey = "a-wrong-secret" })
		env.setClock(skew)
		_, err := env.c.ListAPIKeys(context.Background(), ListAPIKeysInput{})
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
		if n := env.count(emulator.RouteList); n != wantRequests {
			t.Errorf("skew %v: got %d requests, want %d", skew, n, wantRequests)
		}
	}
}

func TestClockReading(t *testing.T) {
	sent := time.Date(2024, 5, 7, 7, 0, 0, 0, time.UTC)
	at := sent.Add(200 * time.Millisecond)
	h := http.Header{}
	h.Set("Date", sent.Add(90*time.Second).Format(http.TimeFormat))
	r := readClock(h, sent, at)
	if !r.ok() || r.offset() != 90400*time.Millisecond {
		t.Errorf("offset %v, want 1m30.4s (the middle of Date's second, less half the round trip)", r.offset())
	}
	for offset, want := range map[time.Duration]bool{
		89800 * time.Millisecond: true, 91 * time.Second: true, // the bounds
		89799 * time.Millisecond: false, 91001 * time.Millisecond: false, 0: false,
	} {
		if r.allows(offset) != want {
			t.Errorf("allows(%v) = %t, want %t", offset, !want, want)
		}
	}
	if !r.skewedFrom(0) || r.skewedFrom(time.Minute) {
		t.Error("a 90s offset is skewed from 0 and not from 1m")
	}
	if r := readClock(http.Header{}, sent, at); r.ok() || r.skewedFrom(time.Hour) {
		t.Errorf("an answer without Date gave the reading %+v", r)
	}
	if !strings.Contains(authHint(clockReading{}), "check the system clock") {
		t.Error("the hint without a reading does not mention the clock")
	}
}

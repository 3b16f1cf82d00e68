package ncpclient

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ncp-community/terraform-provider-ncp/internal/emulator"
)

// lostAnswers are the faults that commit a create and lose its answer.
var lostAnswers = []emulator.Fault{
	{Kind: emulator.FaultDrop},
	{Kind: emulator.FaultTruncated},
	{Kind: emulator.FaultLate}, // never answered: the attempt times out
	{Kind: emulator.FaultReplace, Status: 502, ContentType: "text/html", Body: "<html>502 Bad Gateway</html>"},
}

func TestLostCreateIsReconciled(t *testing.T) {
	for _, flt := range lostAnswers {
		t.Run(string(flt.Kind), func(t *testing.T) {
			env := newEnv(t, emulator.Config{}, func(cfg *Config) { cfg.RequestTimeout = 300 * time.Millisecond })
			env.seedAt(-time.Hour, "web") // old: not a candidate
			env.emu.PutKey("web-2", "")   // another name: not a candidate
			flt.Route, flt.Count = emulator.RouteCreate, 1
			env.inject(flt)
			key, err := env.c.CreateAPIKey(context.Background(), CreateAPIKeyInput{Name: "web"})
			if err != nil {
				t.Fatal(err)
			}
			if ours := env.webKeysOf(env.emu.Modifier()); len(ours) != 1 || ours[0] != key.ID {
				t.Errorf("the client made keys %v and returned %s", ours, key.ID)
			}
			if want := env.key(t, key.ID); *key != want || key.PrimaryKey == "" {
				t.Errorf("got %+v, want the created key with its values %+v", *key, want)
			}
			if req := env.emu.Stats().Requests; req[emulator.RouteCreate] != 1 || req[emulator.RouteList] != 1 || req[emulator.RouteGet] != 1 {
				t.Errorf("requests %v, want 1 create, 1 list, 1 get", req)
			}
		})
	}
}

func TestCreateIsRetriedWhenNothingWasCreated(t *testing.T) {
	for _, flt := range []emulator.Fault{
		{Kind: emulator.FaultError, Status: 503},
		{Kind: emulator.FaultHTML, Status: 502},
		{Kind: emulator.FaultEcho},
		{Kind: emulator.FaultReset},
	} {
		t.Run(string(flt.Kind), func(t *testing.T) {
			env := newEnv(t, emulator.Config{}, nil)
			flt.Route, flt.Count = emulator.RouteCreate, 2
			env.inject(flt)
			key, err := env.c.CreateAPIKey(context.Background(), CreateAPIKeyInput{Name: "web"})
			if err != nil {
				t.Fatal(err)
			}
			if n := len(env.emu.Keys()); n != 1 || *key != env.key(t, key.ID) {
				t.Errorf("the emulator has %d keys; got %+v", n, *key)
			}
			if c, l := env.count(emulator.RouteCreate), env.count(emulator.RouteList); c != 3 || l != 2 {
				t.Errorf("%d creates and %d lists, want 3 and 2", c, l)
			}
		})
	}
}

// TestLostCreateUnderServerClockOffsets: with the server's clock anywhere
// in the signature window, so that no 401 warns the client, a create lost
// after it committed, or before, as the client's very first request, leaves
// exactly the key it returns: no duplicate, no orphan. A same-name key made
// two minutes before, on the server's clock, is told apart by time alone.
func TestLostCreateUnderServerClockOffsets(t *testing.T) {
	faults := append(slices.Clone(lostAnswers[:3]), emulator.Fault{Kind: emulator.FaultReset})
	for _, offset := range []time.Duration{-4 * time.Minute, -40 * time.Second, 0, 40 * time.Second, 4 * time.Minute} {
		for _, flt := range faults {
			t.Run(fmt.Sprintf("%v/%s", offset, flt.Kind), func(t *testing.T) {
				env := newEnv(t, emulator.Config{}, func(cfg *Config) { cfg.RequestTimeout = 300 * time.Millisecond })
				older := env.seedAt(offset-2*time.Minute, "web")
				flt.Route, flt.Count = emulator.RouteCreate, 1
				env.emu.SetFaults(emulator.Faults{ClockOffset: offset, Faults: []emulator.Fault{flt}})
				key, err := env.c.CreateAPIKey(context.Background(), CreateAPIKeyInput{Name: "web"})
				if err != nil {
					t.Fatal(err)
				}
				if ours := env.webKeysOf(env.emu.Modifier()); len(ours) != 1 || ours[0] != key.ID {
					t.Errorf("the client made keys %v and returned %s; want exactly the one returned", ours, key.ID)
				}
				if _, ok := env.emu.Key(older.ID); !ok || key.ID == older.ID {
					t.Errorf("returned %s, the older key %s", key.ID, older.ID)
				}
				if n := env.emu.Stats().Responses[401]; n != 0 {
					t.Errorf("%d requests were rejected, want none", n)
				}
			})
		}
	}
}

// TestSameNameCreatesNeverShareAKey: two creates of one name; the first is
// lost before it commits while the second's answer is slow. The first's
// reconciliation must not adopt the second's key.
func TestSameNameCreatesNeverShareAKey(t *testing.T) {
	env := newEnv(t, emulator.Config{}, nil)
	env.inject(
		emulator.Fault{Route: emulator.RouteCreate, Kind: emulator.FaultReset, Count: 1},
		emulator.Fault{Route: emulator.RouteList, Kind: emulator.FaultStall, Delay: 300 * time.Millisecond, Count: 1},
		emulator.Fault{Route: emulator.RouteCreate, Kind: emulator.FaultLate, Delay: time.Second, Count: 1},
	)
	type result struct {
		key *APIKey
		err error
	}
	results := make(chan result, 2)
	create := func() {
		key, err := env.c.CreateAPIKey(context.Background(), CreateAPIKeyInput{Name: "web"})
		results <- result{key, err}
	}
	go create()
	waitFor(t, "the first create to be reset", func() bool { return env.emu.Stats().Faults[emulator.FaultReset] == 1 })
	go create()
	var ids []string
	for range 2 {
		r := <-results
		if r.err != nil {
			t.Fatalf("create: %v", r.err)
		}
		ids = append(ids, r.key.ID)
	}
	slices.Sort(ids)
	ours := env.webKeysOf(env.emu.Modifier())
	slices.Sort(ours)
	if ids[0] == ids[1] || !slices.Equal(ids, ours) {
		t.Errorf("the callers got keys %v, the client made %v; want two distinct keys, both handed out", ids, ours)
	}
	if n := env.c.creating.count(); n != 0 {
		t.Errorf("%d name locks left after the creates", n)
	}
}

// TestLostCreateWithATwinOfAnotherAccount: another account creates a key
// of the same name just before a create commits, and the create's answer is
// lost. Once the client knows which account it writes as, the keys can be
// told apart; before, they cannot, and the error names both.
func TestLostCreateWithATwinOfAnotherAccount(t *testing.T) {
	twin := []emulator.Fault{
		{Route: emulator.RouteCreate, Kind: emulator.FaultTwin, Count: 1},
		{Route: emulator.RouteCreate, Kind: emulator.FaultDrop, Count: 1},
	}
	ctx := context.Background()

	env := newEnv(t, emulator.Config{}, nil)
	env.inject(twin...)
	_, err := env.c.CreateAPIKey(ctx, CreateAPIKeyInput{Name: "web"})
	var amb *AmbiguousCreateError
	if !errors.As(err, &amb) {
		t.Fatalf("error %v, want an *AmbiguousCreateError", err)
	}
	all := append(env.webKeysOf(env.emu.Modifier()), env.webKeysOf(env.emu.OtherModifier())...)
	slices.Sort(all)
	if len(all) != 2 || !slices.Equal(amb.CandidateIDs, all) {
		t.Errorf("candidates %v, want both keys %v", amb.CandidateIDs, all)
	}

	env = newEnv(t, emulator.Config{}, nil)
	if _, err := env.c.CreateAPIKey(ctx, CreateAPIKeyInput{Name: "first"}); err != nil {
		t.Fatal(err)
	}
	env.inject(twin...)
	key, err := env.c.CreateAPIKey(ctx, CreateAPIKeyInput{Name: "web"})
	if err != nil {
		t.Fatalf("with the modifier known: %v", err)
	}
	if ours := env.webKeysOf(env.emu.Modifier()); len(ours) != 1 || ours[0] != key.ID || *key != env.key(t, key.ID) {
		t.Errorf("returned %+v, the client made %v", *key, ours)
	}
	if others := env.webKeysOf(env.emu.OtherModifier()); len(others) != 1 {
		t.Errorf("the other account has keys %v, want its twin", others)
	}
}

// TestCreateCutShortByItsContext: when the caller's context ends while an
// attempt's outcome is unknown, the create still finds out, on a context of
// its own: a key that was made is returned, else the timeout is.
func TestCreateCutShortByItsContext(t *testing.T) {
	for _, tt := range []struct {
		name      string
		fault     emulator.Fault
		committed bool
	}{
		{"committed, never answered", emulator.Fault{Kind: emulator.FaultLate}, true},
		{"held before commit", emulator.Fault{Kind: emulator.FaultStall}, false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			env := newEnv(t, emulator.Config{}, nil)
			tt.fault.Route, tt.fault.Count = emulator.RouteCreate, 1
			env.inject(tt.fault)
			ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
			defer cancel()
			key, err := env.c.CreateAPIKey(ctx, CreateAPIKeyInput{Name: "web"})
			ours := env.webKeysOf(env.emu.Modifier())
			if tt.committed {
				if err != nil || len(ours) != 1 || ours[0] != key.ID || *key != env.key(t, key.ID) {
					t.Fatalf("create = %v, %v; the client made %v; want that key returned", key, err, ours)
				}
				return
			}
			var amb *AmbiguousCreateError
			if !errors.Is(err, context.DeadlineExceeded) || errors.As(err, &amb) || len(ours) != 0 {
				t.Errorf("create = %v, %v; the client made %v; want the timeout and no key", key, err, ours)
			}
			if n := env.count(emulator.RouteList); n != 1 {
				t.Errorf("%d lists, want one reconciliation", n)
			}
		})
	}
}

func TestWithGrace(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	graced, stop := withGrace(ctx, 50*time.Millisecond)
	defer stop()
	cancel()
	if graced.Err() != nil {
		t.Fatal("the graced context ended with its parent")
	}
	select {
	case <-graced.Done():
	case <-time.After(5 * time.Second):
		t.Fatal("the graced context outlived its grace")
	}
	graced, stop = withGrace(context.Background(), time.Hour)
	stop()
	if graced.Err() == nil {
		t.Error("stop did not end the graced context")
	}
}

func TestCreateRetriesThrottlingWithoutReconciling(t *testing.T) {
	env := newEnv(t, emulator.Config{}, nil)
	env.inject(emulator.Fault{Route: emulator.RouteCreate, Kind: emulator.FaultError, Status: 429, Count: 2})
	if _, err := env.c.CreateAPIKey(context.Background(), CreateAPIKeyInput{Name: "web"}); err != nil {
		t.Fatal(err)
	}
	if c, l := env.count(emulator.RouteCreate), env.count(emulator.RouteList); c != 3 || l != 0 {
		t.Errorf("%d creates and %d lists, want 3 and 0", c, l)
	}
}

func TestCreateRetriesDialErrorsWithoutReconciling(t *testing.T) {
	var dials atomic.Int32
	transport := http.DefaultTransport.(*http.Transport).Clone()
	dial := transport.DialContext
	transport.DialContext = func(ctx context.Context, network, addr string) (net.Conn, error) {
		if dials.Add(1) == 1 { // a second in a row would end the call: see maxNoAnswer
			return nil, &net.OpError{Op: "dial", Net: network, Err: errors.New("connection refused")}
		}
		return dial(ctx, network, addr)
	}
	env := newEnv(t, emulator.Config{}, func(cfg *Config) { cfg.HTTPClient = &http.Client{Transport: transport} })
	if _, err := env.c.CreateAPIKey(context.Background(), CreateAPIKeyInput{Name: "web"}); err != nil {
		t.Fatal(err)
	}
	if c, l := env.count(emulator.RouteCreate), env.count(emulator.RouteList); c != 1 || l != 0 || len(env.emu.Keys()) != 1 {
		t.Errorf("%d creates reached the server, %d lists, %d keys; want 1, 0, 1", c, l, len(env.emu.Keys()))
	}
}

func TestLostCreateWithSeveralCandidatesIsAmbiguous(t *testing.T) {
	env := newEnv(t, emulator.Config{}, nil)
	other := env.emu.PutKey("web", "") // made meanwhile by someone else
	env.inject(emulator.Fault{Route: emulator.RouteCreate, Kind: emulator.FaultDrop, Count: 1})
	_, err := env.c.CreateAPIKey(context.Background(), CreateAPIKeyInput{Name: "web"})
	var amb *AmbiguousCreateError
	if !errors.As(err, &amb) {
		t.Fatalf("error %v, want an *AmbiguousCreateError", err)
	}
	if len(amb.CandidateIDs) != 2 || !slices.Contains(amb.CandidateIDs, other.ID) {
		t.Errorf("candidates %v, want 2 including %s", amb.CandidateIDs, other.ID)
	}
	if !strings.Contains(err.Error(), "terraform import") {
		t.Errorf("error %q does not say what to do", err)
	}
	if n := env.count(emulator.RouteCreate); n != 1 {
		t.Errorf("%d creates, want 1", n)
	}
}

func TestReconcileIgnoresKeysTheClientKnows(t *testing.T) {
	env := newEnv(t, emulator.Config{}, nil)
	ctx := context.Background()
	first, err := env.c.CreateAPIKey(ctx, CreateAPIKeyInput{Name: "web"})
	if err != nil {
		t.Fatal(err)
	}
	env.inject(emulator.Fault{Route: emulator.RouteCreate, Kind: emulator.FaultDrop, Count: 1})
	second, err := env.c.CreateAPIKey(ctx, CreateAPIKeyInput{Name: "web"})
	if err != nil {
		t.Fatalf("second create: %v", err)
	}
	if second.ID == first.ID || *second != env.key(t, second.ID) || len(env.emu.Keys()) != 2 {
		t.Errorf("second create returned %s (first %s), the emulator has %d keys", second.ID, first.ID, len(env.emu.Keys()))
	}
}

func TestLostCreateWithFailedLookupIsAmbiguous(t *testing.T) {
	env := newEnv(t, emulator.Config{}, nil)
	env.inject(
		emulator.Fault{Route: emulator.RouteCreate, Kind: emulator.FaultDrop},
		emulator.Fault{Route: emulator.RouteList, Kind: emulator.FaultError, Status: 403},
	)
	_, err := env.c.CreateAPIKey(context.Background(), CreateAPIKeyInput{Name: "web"})
	var amb *AmbiguousCreateError
	if !errors.As(err, &amb) || len(amb.CandidateIDs) != 0 || !IsAuth(err) {
		t.Fatalf("error %v, want an *AmbiguousCreateError without candidates wrapping the 403", err)
	}
	if msg := err.Error(); !strings.Contains(msg, "may have been created") || !strings.Contains(msg, "data source") {
		t.Errorf("error %q does not say what to do", msg)
	}
	if n := env.count(emulator.RouteCreate); n != 1 {
		t.Errorf("%d creates, want 1", n)
	}
}

func TestLostCreateWhoseKeyCannotBeRead(t *testing.T) {
	env := newEnv(t, emulator.Config{}, nil)
	env.inject(
		emulator.Fault{Route: emulator.RouteCreate, Kind: emulator.FaultDrop, Count: 1},
		emulator.Fault{Route: emulator.RouteGet, Kind: emulator.FaultError, Status: 403},
	)
	_, err := env.c.CreateAPIKey(context.Background(), CreateAPIKeyInput{Name: "web"})
	var amb *AmbiguousCreateError
	ours := env.webKeysOf(env.emu.Modifier())
	if !errors.As(err, &amb) || len(ours) != 1 || !slices.Equal(amb.CandidateIDs, ours) || !IsAuth(err) {
		t.Fatalf("error %v, want an *AmbiguousCreateError naming the key %v and wrapping the 403", err, ours)
	}
	if !strings.Contains(err.Error(), "terraform import ncp_apigw_api_key.<name> "+ours[0]) {
		t.Errorf("error %q does not say how to import the key", err)
	}
}

// TestReconcileWithoutTheListsDate: a list answer without a Date falls
// back to the offset learnt so far.
func TestReconcileWithoutTheListsDate(t *testing.T) {
	env := newEnv(t, emulator.Config{}, nil)
	env.inject(
		emulator.Fault{Route: emulator.RouteCreate, Kind: emulator.FaultReset, Count: 1},
		emulator.Fault{Route: emulator.RouteList, Kind: emulator.FaultRaw, ContentType: "application/json", Count: 1,
			Body: `{"apiKeys":[],"total":0}`, Header: map[string]string{"Date": ""}},
	)
	key, err := env.c.CreateAPIKey(context.Background(), CreateAPIKeyInput{Name: "web"})
	if err != nil {
		t.Fatal(err)
	}
	if ours := env.webKeysOf(env.emu.Modifier()); len(ours) != 1 || ours[0] != key.ID || env.count(emulator.RouteCreate) != 2 {
		t.Errorf("the client made %v in %d creates and returned %s", ours, env.count(emulator.RouteCreate), key.ID)
	}
}

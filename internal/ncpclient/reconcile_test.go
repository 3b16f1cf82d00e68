package ncpclient

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ncp-community/terraform-provider-ncp/internal/emulator"
)

// lostAnswers are the faults that commit a create and lose its answer or
// leave it unknown: NCP's 500 after the change, bare 500 pages, a proxy's
// 502.
var lostAnswers = []emulator.Fault{
	{Kind: emulator.FaultDrop},
	{Kind: emulator.FaultTruncated},
	{Kind: emulator.FaultLate}, // never answered: the attempt times out
	{Kind: emulator.FaultFailed},
	{Kind: emulator.FaultReplace, Status: 500, ContentType: "text/html", Body: "<html>500 Internal Server Error</html>"},
	{Kind: emulator.FaultReplace, Status: 500},
	{Kind: emulator.FaultReplace, Status: 502, ContentType: "text/html", Body: "<html>502 Bad Gateway</html>"},
	{Kind: emulator.FaultReplace, Status: 404, ContentType: "text/html", Body: "<html>404 Not Found</html>"},
}

// TestLostCreateIsReconciled: a create that committed and whose outcome is
// unknown returns the key it made, found by its marker, given the caller's
// description by the follow-up edit: no duplicate, no orphan, and the
// colleague's key of the same name, edited just now, untouched.
func TestLostCreateIsReconciled(t *testing.T) {
	for _, flt := range lostAnswers {
		t.Run(fmt.Sprintf("%s %d", flt.Kind, flt.Status), func(t *testing.T) {
			env := newEnv(t, emulator.Config{}, func(cfg *Config) { cfg.RequestTimeout = 300 * time.Millisecond })
			colleagues := env.emu.PutKey("web", "the colleague's") // modified just now
			env.emu.PutKey("web-2", "")                            // another name
			flt.Route, flt.Count = emulator.RouteCreate, 1
			env.inject(flt)
			key, err := env.c.CreateAPIKey(context.Background(), CreateAPIKeyInput{Name: "web", Description: "mine", Enabled: true})
			if err != nil {
				t.Fatal(err)
			}
			if ours := env.webKeysOf(env.emu.Modifier()); len(ours) != 1 || ours[0] != key.ID {
				t.Errorf("the client made keys %v and returned %s", ours, key.ID)
			}
			if want := env.key(t, key.ID); *key != want || key.PrimaryKey == "" || key.Description != "mine" || !key.Enabled {
				t.Errorf("got %+v, want the created key, described, with its values %+v", *key, want)
			}
			if k := env.key(t, colleagues.ID); k != asAPIKey(colleagues) {
				t.Errorf("the colleague's key became %+v", k)
			}
			if req := env.emu.Stats().Requests; req[emulator.RouteCreate] != 1 || req[emulator.RouteList] != 1 || req[emulator.RouteEdit] != 1 || req[emulator.RouteGet] != 0 {
				t.Errorf("requests %v, want 1 create, 1 list, 1 edit", req)
			}
		})
	}
}

func TestCreateIsRetriedWhenNothingWasCreated(t *testing.T) {
	for _, flt := range []emulator.Fault{
		{Kind: emulator.FaultError, Status: 500},
		{Kind: emulator.FaultError, Status: 503},
		{Kind: emulator.FaultHTML, Status: 502},
		{Kind: emulator.FaultHTML, Status: 500},
		{Kind: emulator.FaultEcho},
		{Kind: emulator.FaultReset},
	} {
		t.Run(fmt.Sprintf("%s %d", flt.Kind, flt.Status), func(t *testing.T) {
			env := newEnv(t, emulator.Config{}, nil)
			flt.Route, flt.Count = emulator.RouteCreate, 2
			env.inject(flt)
			key, err := env.c.CreateAPIKey(context.Background(), CreateAPIKeyInput{Name: "web", Enabled: true})
			if err != nil {
				t.Fatal(err)
			}
			if n := len(env.emu.Keys()); n != 1 || *key != env.key(t, key.ID) {
				t.Errorf("the emulator has %d keys; got %+v", n, *key)
			}
			if c, l := env.count(emulator.RouteCreate), env.count(emulator.RouteList); c != 3 || l != 2 {
				t.Errorf("%d creates and %d lists, want 3 and 2", c, l)
			}
			// Every attempt carries the same marker.
			markers := map[string]bool{}
			for _, r := range env.recordedRequests() {
				if r.method == http.MethodPost {
					markers[r.body] = true
				}
			}
			if len(markers) != 1 {
				t.Errorf("the attempts sent %d different bodies, want one: %v", len(markers), markers)
			}
		})
	}
}

// TestCreateCarriesAMarkerThenTheCallersSettings: the create's description
// is a marker unique to it; one edit gives the key its description and
// enabled flag, whatever that flag: 2 requests.
func TestCreateCarriesAMarkerThenTheCallersSettings(t *testing.T) {
	marker := regexp.MustCompile(`^\{"apiKeyName":"web","apiKeyDescription":"terraform-provider-ncp create [0-9a-f]{16}"\}$`)
	for _, enabled := range []bool{true, false} {
		env := newEnv(t, emulator.Config{}, nil)
		key, err := env.c.CreateAPIKey(context.Background(), CreateAPIKeyInput{Name: "web", Description: "for the web", Enabled: enabled})
		if err != nil {
			t.Fatal(err)
		}
		if *key != env.key(t, key.ID) || key.Description != "for the web" || key.Enabled != enabled || key.PrimaryKey == "" {
			t.Errorf("enabled %t: got %+v", enabled, *key)
		}
		reqs := env.recordedRequests()
		if len(reqs) != 2 || reqs[0].method != http.MethodPost || !marker.MatchString(reqs[0].body) || reqs[1].method != http.MethodPut {
			t.Fatalf("enabled %t: requests %v (first body %s), want a create carrying a marker, then an edit", enabled, reqs, reqs[0].body)
		}
		if want := fmt.Sprintf(`{"isEnabled":%t,"apiKeyName":"web","apiKeyDescription":"for the web"}`, enabled); reqs[1].body != want {
			t.Errorf("edit body %s, want %s", reqs[1].body, want)
		}
	}
	a, _ := newCreateMarker()
	b, _ := newCreateMarker()
	if a == b || len(a) > 50 {
		t.Errorf("markers %q and %q: want distinct, at most 50 characters", a, b)
	}
}

// TestLostCreateUnderServerClockOffsets: with the server's clock anywhere
// in the signature window, so that no 401 warns the client, a create lost
// after it committed, or before, as the client's very first request, leaves
// exactly the key it returns: no duplicate, no orphan, and a same-name key
// made two minutes before, on the server's clock, untouched.
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
}

// TestLostCreateNeverAdoptsAnotherAccountsKey: the colleague makes a key
// of the same name just before a create commits (twin), or edits theirs
// while the create's answer is lost, before it commits (rival_reset) or
// after (rival_drop). A fresh client, which knows nothing of its own
// account, returns only the key it made, or makes one, and leaves the
// colleague's key as it is.
func TestLostCreateNeverAdoptsAnotherAccountsKey(t *testing.T) {
	for _, faults := range [][]emulator.Fault{
		{{Route: emulator.RouteCreate, Kind: emulator.FaultTwin, Count: 1}, {Route: emulator.RouteCreate, Kind: emulator.FaultDrop, Count: 1}},
		{{Route: emulator.RouteCreate, Kind: emulator.FaultRivalReset, Count: 1}},
		{{Route: emulator.RouteCreate, Kind: emulator.FaultRivalDrop, Count: 1}},
	} {
		t.Run(string(faults[0].Kind), func(t *testing.T) {
			env := newEnv(t, emulator.Config{}, nil)
			env.seedAt(-time.Hour, "web") // the colleague's old key
			env.inject(faults...)
			key, err := env.c.CreateAPIKey(context.Background(), CreateAPIKeyInput{Name: "web", Description: "mine", Enabled: true})
			if err != nil {
				t.Fatal(err)
			}
			if ours := env.webKeysOf(env.emu.Modifier()); len(ours) != 1 || ours[0] != key.ID || *key != env.key(t, key.ID) {
				t.Errorf("returned %+v, the client made %v", *key, ours)
			}
			for _, id := range env.webKeysOf(env.emu.OtherModifier()) {
				if k := env.key(t, id); k.Description == "mine" {
					t.Errorf("the colleague's key %s was given our settings", id)
				}
			}
			if n := env.count(emulator.RouteEdit); n != 1 {
				t.Errorf("%d edits, want only the follow-up of our create", n)
			}
		})
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

// TestLostCreateThatCommittedTwice: the first attempt commits and its
// answer is lost, the list misses the key, the retry commits and is lost
// too. Both keys carry the marker: one is returned, the other deleted.
func TestLostCreateThatCommittedTwice(t *testing.T) {
	env := newEnv(t, emulator.Config{}, nil)
	env.inject(
		emulator.Fault{Route: emulator.RouteCreate, Kind: emulator.FaultDrop, Count: 2},
		emulator.Fault{Route: emulator.RouteList, Kind: emulator.FaultRaw, ContentType: "application/json", Body: `{"apiKeys":[],"total":0}`, Count: 1},
	)
	key, err := env.c.CreateAPIKey(context.Background(), CreateAPIKeyInput{Name: "web", Enabled: true})
	if err != nil {
		t.Fatal(err)
	}
	if ours := env.webKeysOf(env.emu.Modifier()); len(ours) != 1 || ours[0] != key.ID || *key != env.key(t, key.ID) {
		t.Errorf("returned %+v; the server keeps %v", *key, ours)
	}
	if c, d := env.count(emulator.RouteCreate), env.count(emulator.RouteDelete); c != 2 || d != 1 {
		t.Errorf("%d creates and %d deletes, want 2 and 1", c, d)
	}
}

// TestCreateWhoseFollowUpFails: the key exists; it is returned with the
// error, carrying its marker, so that the caller records it.
func TestCreateWhoseFollowUpFails(t *testing.T) {
	for _, lost := range []bool{false, true} {
		env := newEnv(t, emulator.Config{}, nil)
		faults := []emulator.Fault{{Route: emulator.RouteEdit, Kind: emulator.FaultError, Status: 403}}
		if lost {
			faults = append(faults, emulator.Fault{Route: emulator.RouteCreate, Kind: emulator.FaultDrop, Count: 1})
		}
		env.inject(faults...)
		key, err := env.c.CreateAPIKey(context.Background(), CreateAPIKeyInput{Name: "web", Description: "mine"})
		var unfinished *UnfinishedCreateError
		ours := env.webKeysOf(env.emu.Modifier())
		if !errors.As(err, &unfinished) || !IsAuth(err) || key == nil || len(ours) != 1 || key.ID != ours[0] || unfinished.Key.ID != key.ID {
			t.Fatalf("lost %t: create = %+v, %v; the server has %v; want the key and an *UnfinishedCreateError", lost, key, err, ours)
		}
		live := env.key(t, key.ID)
		if live.Description != unfinished.Marker || !strings.Contains(err.Error(), unfinished.Marker) || !strings.Contains(err.Error(), "was created") {
			t.Errorf("lost %t: the key is %+v; error %q; want it to carry the marker the error names", lost, live, err)
		}
	}
}

// TestLostCreateWhoseExtraKeyCannotBeDeleted: the key is returned, edited,
// and the error names the extra key to delete.
func TestLostCreateWhoseExtraKeyCannotBeDeleted(t *testing.T) {
	env := newEnv(t, emulator.Config{}, nil)
	env.inject(
		emulator.Fault{Route: emulator.RouteCreate, Kind: emulator.FaultDrop, Count: 2},
		emulator.Fault{Route: emulator.RouteList, Kind: emulator.FaultRaw, ContentType: "application/json", Body: `{"apiKeys":[],"total":0}`, Count: 1},
		emulator.Fault{Route: emulator.RouteDelete, Kind: emulator.FaultError, Status: 403},
	)
	key, err := env.c.CreateAPIKey(context.Background(), CreateAPIKeyInput{Name: "web", Enabled: true})
	var unfinished *UnfinishedCreateError
	ours := env.webKeysOf(env.emu.Modifier())
	if !errors.As(err, &unfinished) || !unfinished.Edited || len(ours) != 2 || key == nil || *key != env.key(t, key.ID) {
		t.Fatalf("create = %+v, %v; the server has %v", key, err, ours)
	}
	extra := ours[0]
	if extra == key.ID {
		extra = ours[1]
	}
	if !slices.Equal(unfinished.Extras, []string{extra}) || !strings.Contains(err.Error(), "delete "+extra) {
		t.Errorf("error %q, want it to name %s to delete", err, extra)
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
	if !errors.As(err, &amb) || len(amb.Candidates) != 0 || !IsAuth(err) {
		t.Fatalf("error %v, want an *AmbiguousCreateError without candidates wrapping the 403", err)
	}
	msg := err.Error()
	for _, want := range []string{"may have been created", "data source", amb.Marker, "terraform import ncp_apigw_api_key.<name> <id>"} {
		if !strings.Contains(msg, want) {
			t.Errorf("error %q does not say %q", msg, want)
		}
	}
	if n := env.count(emulator.RouteCreate); n != 1 {
		t.Errorf("%d creates, want 1", n)
	}
}

// TestLostCreateWithAPartialListIsAmbiguous: the second page of the list
// fails; the keys of that name seen so far are listed, each with its
// modTime and writer, and the one carrying the marker with its import
// command. Nothing is adopted: the unread pages may hold another.
func TestLostCreateWithAPartialListIsAmbiguous(t *testing.T) {
	env := newEnv(t, emulator.Config{}, func(cfg *Config) { cfg.PageSize = 1 })
	env.inject(
		// The colleague's key comes after ours: the second page.
		emulator.Fault{Route: emulator.RouteCreate, Kind: emulator.FaultRivalDrop, Count: 1},
		emulator.Fault{Route: emulator.RouteList, Kind: emulator.FaultError, Status: 403, After: 1},
	)
	_, err := env.c.CreateAPIKey(context.Background(), CreateAPIKeyInput{Name: "web"})
	var amb *AmbiguousCreateError
	ours := env.webKeysOf(env.emu.Modifier())
	if !errors.As(err, &amb) || len(ours) != 1 || len(amb.Candidates) != 1 || amb.Candidates[0].ID != ours[0] {
		t.Fatalf("error %v; the server has %v; want an *AmbiguousCreateError naming it", err, ours)
	}
	k := amb.Candidates[0]
	for _, want := range []string{"id " + k.ID, k.ModTime, k.Modifier, "carries the marker: terraform import ncp_apigw_api_key.<name> " + k.ID} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not say %q", err, want)
		}
	}
}

package ncpclient

import (
	"context"
	"fmt"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/ncp-community/terraform-provider-ncp/internal/emulator"
)

// putKeys puts n keys in the emulator and returns their IDs in list order.
func putKeys(env *testEnv, n int) []string {
	ids := make([]string, n)
	for i := range ids {
		ids[i] = env.emu.PutKey(fmt.Sprintf("key-%03d", i), "").ID
	}
	return ids
}

// lookupAll looks every ID up at once, as concurrent refreshes do, and
// returns which were listed.
func lookupAll(ctx context.Context, t *testing.T, l *AccountListing, ids []string) map[string]bool {
	t.Helper()
	var (
		mu     sync.Mutex
		wg     sync.WaitGroup
		listed = map[string]bool{}
	)
	for _, id := range ids {
		wg.Go(func() {
			row, ok, err := l.Lookup(ctx, id)
			if err != nil {
				t.Errorf("Lookup(%s): %v", id, err)
			}
			if ok && row.ID != id {
				t.Errorf("Lookup(%s) answered the row of %s", id, row.ID)
			}
			mu.Lock()
			listed[id] = ok
			mu.Unlock()
		})
	}
	wg.Wait()
	return listed
}

func TestAccountListingServesConcurrentLookupsFromOneListing(t *testing.T) {
	env := newEnv(t, emulator.Config{MaxPageSize: 7}, nil)
	ids := putKeys(env, 100)
	// Several listings, so that callers that saw an older count of pages
	// meet fetches in flight in many orders.
	for range 10 {
		env.emu.ResetStats()
		l := env.c.NewAccountListing(0)
		listed := lookupAll(context.Background(), t, l, ids)
		for _, id := range ids {
			if !listed[id] {
				t.Errorf("key %s was not served by the listing", id)
			}
		}
		// 100 keys in pages of 7: 15 pages, each fetched once.
		if got := env.count(emulator.RouteList); got != 15 {
			t.Errorf("%d list requests, want 15", got)
		}
		if got := env.count(emulator.RouteGet); got != 0 {
			t.Errorf("%d GETs, want 0", got)
		}
		if s := l.Stats(); !s.Complete || s.Pages != 15 || s.Rows != 100 || s.Asked != 100 {
			t.Errorf("stats %+v, want complete, 15 pages, 100 rows, 100 asked", s)
		}
	}
}

func TestAccountListingSpendsNoMorePagesThanLookupsPlusOne(t *testing.T) {
	env := newEnv(t, emulator.Config{MaxPageSize: 5}, nil)
	ids := putKeys(env, 100)
	l := env.c.NewAccountListing(0)

	// The last key, alone: 2 pages are allowed, and it is on neither.
	if _, ok, err := l.Lookup(context.Background(), ids[99]); ok || err != nil {
		t.Fatalf("Lookup of the last key: listed %t, %v; want not listed", ok, err)
	}
	if got := env.count(emulator.RouteList); got != 2 {
		t.Errorf("%d list requests for one lookup, want 2", got)
	}
	// A key on a page already fetched costs nothing.
	if _, ok, _ := l.Lookup(context.Background(), ids[3]); !ok {
		t.Error("a key of the first page was not served")
	}
	// Three lookups in all allow 4 pages: the 16th key, on page 4, is found.
	if _, ok, _ := l.Lookup(context.Background(), ids[15]); !ok {
		t.Error("the key of page 4 was not served")
	}
	if got := env.count(emulator.RouteList); got != 4 {
		t.Errorf("%d list requests for three lookups, want 4", got)
	}
}

func TestAccountListingDoesNotServeKeysThisClientWrote(t *testing.T) {
	env := newEnv(t, emulator.Config{}, nil)
	ids := putKeys(env, 3)
	l := env.c.NewAccountListing(0)
	lookupAll(context.Background(), t, l, ids)

	ctx := context.Background()
	if _, err := env.c.UpdateAPIKey(ctx, ids[0], UpdateAPIKeyInput{Name: "edited", Enabled: true}); err != nil {
		t.Fatal(err)
	}
	if _, err := env.c.RegenerateAPIKey(ctx, ids[1], KeyTypeSecondary); err != nil {
		t.Fatal(err)
	}
	if err := env.c.DeleteAPIKey(ctx, ids[2]); err != nil {
		t.Fatal(err)
	}
	// Another client's write is someone else's: its row stays listed.
	for _, id := range ids {
		if row, ok, _ := l.Lookup(ctx, id); ok {
			t.Errorf("key %s, written by this client, is still served (name %q)", id, row.Name)
		}
	}
	if got := env.count(emulator.RouteList); got != 1 {
		t.Errorf("%d list requests, want 1: a key this client wrote is no reason to list again", got)
	}
}

func TestAccountListingDoesNotServeOldRows(t *testing.T) {
	env := newEnv(t, emulator.Config{}, nil)
	ids := putKeys(env, 2)
	now := time.Now()
	env.c.now = func() time.Time { return now }
	l := env.c.NewAccountListing(time.Minute)
	if _, ok, _ := l.Lookup(context.Background(), ids[0]); !ok {
		t.Fatal("a fresh row was not served")
	}
	now = now.Add(time.Minute + time.Second)
	if _, ok, _ := l.Lookup(context.Background(), ids[1]); ok {
		t.Error("a row older than the listing's maximum age was served")
	}
}

func TestAccountListingThatFailsServesNothingAndListsNoMore(t *testing.T) {
	for name, fault := range map[string]emulator.Fault{
		"error":     {Route: emulator.RouteList, Kind: emulator.FaultError, Status: http.StatusInternalServerError},
		"throttled": {Route: emulator.RouteList, Kind: emulator.FaultError, Status: http.StatusTooManyRequests, Header: map[string]string{"Retry-After": "1"}},
		"garbled":   {Route: emulator.RouteList, Kind: emulator.FaultRaw, ContentType: "text/html", Body: "<html>proxy</html>"},
	} {
		t.Run(name, func(t *testing.T) {
			env := newEnv(t, emulator.Config{}, nil)
			ids := putKeys(env, 3)
			env.inject(fault)
			l := env.c.NewAccountListing(0)
			ctx, cancel := context.WithTimeout(context.Background(), 4*time.Second)
			defer cancel()
			started := time.Now()
			listed := lookupAll(ctx, t, l, ids)
			// The page fetch takes at most half the time its caller had.
			if took := time.Since(started); took > 3*time.Second {
				t.Errorf("the failed listing took %v, want at most half the caller's 4s", took)
			}
			for id, ok := range listed {
				if ok {
					t.Errorf("key %s was served by a listing that failed", id)
				}
			}
			if s := l.Stats(); s.Failed == nil || s.Pages != 1 {
				t.Errorf("stats %+v, want 1 failed page", s)
			}
			lists := env.count(emulator.RouteList)
			if _, ok, err := l.Lookup(ctx, ids[0]); ok || err != nil {
				t.Errorf("after the failure: listed %t, %v", ok, err)
			}
			if got := env.count(emulator.RouteList); got != lists {
				t.Errorf("a failed listing was fetched again: %d list requests, then %d", lists, got)
			}
		})
	}
}

func TestAccountListingLookupEndsWithItsContext(t *testing.T) {
	env := newEnv(t, emulator.Config{}, nil)
	ids := putKeys(env, 1)
	env.emu.SetFaults(emulator.Faults{Faults: []emulator.Fault{{Route: emulator.RouteList, Kind: emulator.FaultStall, Delay: time.Second}}})
	l := env.c.NewAccountListing(0)
	first := make(chan bool)
	go func() {
		_, ok, _ := l.Lookup(context.Background(), ids[0])
		first <- ok
	}()
	waitFor(t, "the first page to be asked for", func() bool { return env.count(emulator.RouteList) == 1 })
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	started := time.Now()
	if _, ok, err := l.Lookup(ctx, ids[0]); ok || err == nil || time.Since(started) > 500*time.Millisecond {
		t.Errorf("Lookup waiting with a context that ends: listed %t, error %v after %v; want the context's error at once", ok, err, time.Since(started))
	}
	// The caller that started the page still gets it.
	if !<-first {
		t.Error("the first caller's key was not served")
	}
	if got := env.count(emulator.RouteList); got != 1 {
		t.Errorf("%d list requests, want 1", got)
	}
}

// TestAccountListingWaitsBrieflyForTheOtherLookups: a lookup beyond the
// page budget waits for the lookups about to come, as a refresh's reads do
// not all start at one instant, rather than reading its key by GET.
func TestAccountListingWaitsBrieflyForTheOtherLookups(t *testing.T) {
	env := newEnv(t, emulator.Config{MaxPageSize: 5}, nil)
	ids := putKeys(env, 20)
	l := env.c.NewAccountListing(0)
	var wg sync.WaitGroup
	wg.Go(func() {
		if _, ok, err := l.Lookup(context.Background(), ids[19]); !ok || err != nil {
			t.Errorf("the key of the last page: listed %t, %v; want listed", ok, err)
		}
	})
	time.Sleep(listingAskGrace / 4)
	lookupAll(context.Background(), t, l, ids[:3])
	wg.Wait()
	if got := env.count(emulator.RouteGet); got != 0 {
		t.Errorf("%d GETs, want 0", got)
	}
}

// TestAccountListingWithoutTotalReadsToAnEmptyPage: answers without
// "total" are listed until a page comes back empty.
func TestAccountListingWithoutTotalReadsToAnEmptyPage(t *testing.T) {
	env := newEnv(t, emulator.Config{MaxPageSize: 7, OmitListTotal: true}, nil)
	ids := putKeys(env, 20)
	l := env.c.NewAccountListing(0)
	for id, ok := range lookupAll(context.Background(), t, l, ids) {
		if !ok {
			t.Errorf("key %s was not served by the listing", id)
		}
	}
	// A key not listed is looked for to the end: the empty fourth page.
	if _, ok, _ := l.Lookup(context.Background(), "not-listed"); ok {
		t.Error("a key that is not listed was served")
	}
	if s := l.Stats(); !s.Complete || s.Pages != 4 {
		t.Errorf("stats %+v, want complete after 4 pages (7, 7, 6 and an empty one)", s)
	}
}

package ncpclient

import (
	"context"
	"strconv"
	"sync"
	"time"

	"golang.org/x/sync/singleflight"
)

// Defaults of an AccountListing.
const (
	// DefaultListingMaxAge is how long a listed row may answer Lookup.
	DefaultListingMaxAge = 2 * time.Minute
	// listingPagePatience bounds a page fetch, so that a throttled or
	// failing listing leaves its callers time for their own reads.
	listingPagePatience = 30 * time.Second
	// listingAskGrace is how long a caller whose key lies beyond the page
	// budget waits for other callers to raise it before reading the key
	// itself: Terraform starts its reads together, but not at one instant.
	listingAskGrace = time.Second
)

// AccountListing is one listing of the account's keys, fetched page by page
// on demand and shared by every caller of Lookup, so that N readers of
// single keys cost about N / page size requests rather than N. A page is
// fetched once (concurrent callers wait for the same fetch), and only while
// the budget allows: pages fetched never exceed the distinct IDs looked up
// plus one, so that looking up a few keys in a big account costs at most
// one page more than reading them one by one.
//
// Lookup's answer is never proof that a key is gone: a key may be created
// or moved between pages while listing, and the budget may stop the
// listing early. A caller that gets no row reads the key itself.
//
// A listing is meant to live no longer than one command: every write this
// client makes to a key marks that key stale (Lookup answers no row for it
// from then on), and no row older than maxAge is answered.
type AccountListing struct {
	c      *Client
	maxAge time.Duration
	pages  singleflight.Group

	mu       sync.Mutex
	rows     map[string]listedRow
	asked    map[string]bool // distinct IDs looked up: the page budget
	newAsk   chan struct{}   // closed, and replaced, when asked grows
	stale    map[string]bool // IDs this client wrote since the listing began
	fetched  int             // pages fetched
	offset   int64
	complete bool  // every page was read
	failed   error // the page fetch that failed; no page is fetched after it
}

type listedRow struct {
	key APIKey
	at  time.Time
}

// NewAccountListing returns an empty listing of the account's keys; pages
// are fetched by Lookup. maxAge bounds the age of a row it answers
// (0: DefaultListingMaxAge).
func (c *Client) NewAccountListing(maxAge time.Duration) *AccountListing {
	l := &AccountListing{
		c:      c,
		maxAge: positive(maxAge, DefaultListingMaxAge),
		rows:   map[string]listedRow{},
		asked:  map[string]bool{},
		newAsk: make(chan struct{}),
		stale:  map[string]bool{},
	}
	c.listings.add(l)
	return l
}

// ListingStats says what a listing has spent and found, for logs and tests.
type ListingStats struct {
	Pages    int   // pages fetched
	Rows     int   // distinct keys listed
	Asked    int   // distinct IDs looked up
	Complete bool  // every page was read
	Failed   error // why no further page is fetched, when a page failed
}

// Stats reports what the listing has done so far.
func (l *AccountListing) Stats() ListingStats {
	l.mu.Lock()
	defer l.mu.Unlock()
	return ListingStats{Pages: l.fetched, Rows: len(l.rows), Asked: len(l.asked), Complete: l.complete, Failed: l.failed}
}

// Lookup returns the listed row of key id, without key values, fetching
// further pages while the key is not among the rows listed and the budget
// allows. ok is false when the key is not listed, when its row is older
// than maxAge, when this client wrote the key since the listing began, or
// when the listing failed: the caller reads the key itself, and only that
// read can tell that the key is gone. err is only ctx's error.
func (l *AccountListing) Lookup(ctx context.Context, id string) (row APIKey, ok bool, err error) {
	l.mu.Lock()
	if !l.asked[id] {
		l.asked[id] = true
		close(l.newAsk)
		l.newAsk = make(chan struct{})
	}
	l.mu.Unlock()
	waited := false
	for {
		l.mu.Lock()
		r, listed := l.rows[id]
		stale := l.stale[id]
		open := !l.complete && l.failed == nil
		more := open && l.fetched < len(l.asked)+1
		fetched, newAsk := l.fetched, l.newAsk
		l.mu.Unlock()
		switch {
		case stale:
			return APIKey{}, false, nil
		case listed:
			return r.key, l.c.now().Sub(r.at) <= l.maxAge, nil
		case !more && open && !waited:
			// Over budget for now: the other keys of a refresh may be
			// about to ask, which raises it.
			waited = true
			select {
			case <-ctx.Done():
				return APIKey{}, false, ctx.Err()
			case <-newAsk:
				waited = false
			case <-time.After(listingAskGrace):
			}
			continue
		case !more:
			return APIKey{}, false, nil
		}
		// The page after the ones seen: callers that arrive while it is
		// being fetched wait for the same fetch.
		wait := l.pages.DoChan(strconv.Itoa(fetched), func() (any, error) {
			return nil, l.fetchPage(context.WithoutCancel(ctx), deadlineOf(ctx), fetched)
		})
		select {
		case <-ctx.Done():
			return APIKey{}, false, ctx.Err()
		case <-wait:
		}
	}
}

// deadlineOf is ctx's deadline, or none (zero).
func deadlineOf(ctx context.Context) time.Time {
	d, _ := ctx.Deadline()
	return d
}

// fetchPage reads page number page (from 0) and adds its rows, unless that
// page was fetched already: a caller that saw an older count of pages finds
// its page done, and two fetches never read the same offset. It takes at
// most half of the time its first caller has left (and
// listingPagePatience): a page that is throttled or fails ends the listing,
// and its callers fall back to their own reads within their deadlines.
func (l *AccountListing) fetchPage(ctx context.Context, callerDeadline time.Time, page int) error {
	l.mu.Lock()
	if l.fetched != page || l.complete || l.failed != nil || l.fetched >= len(l.asked)+1 {
		l.mu.Unlock()
		return nil
	}
	offset := l.offset
	l.mu.Unlock()

	patience := listingPagePatience
	if !callerDeadline.IsZero() {
		patience = min(patience, time.Until(callerDeadline)/2)
	}
	ctx, cancel := context.WithTimeout(ctx, patience)
	defer cancel()
	answer, err := l.c.ListAPIKeys(ctx, ListAPIKeysInput{Offset: offset, Limit: l.c.pageSize})

	l.mu.Lock()
	defer l.mu.Unlock()
	l.fetched++
	if err != nil {
		l.failed = err
		return err
	}
	at := l.c.now()
	for _, k := range answer.APIKeys {
		if _, dup := l.rows[k.ID]; !dup {
			l.rows[k.ID] = listedRow{key: k, at: at}
		}
	}
	l.offset += int64(len(answer.APIKeys))
	total := answer.reportedTotal() // without one, the list ends at an empty page
	l.complete = len(answer.APIKeys) == 0 || total != nil && l.offset >= *total
	return nil
}

// forget marks key id stale: this client wrote it, so a row listed before
// (or by a page in flight during) the write may be out of date.
func (l *AccountListing) forget(id string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.stale[id] = true
	delete(l.rows, id)
}

// listingSet is the listings of a client, told of its writes.
type listingSet struct {
	mu       sync.Mutex
	listings []*AccountListing
}

func (s *listingSet) add(l *AccountListing) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.listings = append(s.listings, l)
}

// wrote tells every listing that this client wrote key id.
func (s *listingSet) wrote(id string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, l := range s.listings {
		l.forget(id)
	}
}

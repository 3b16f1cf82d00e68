package ncpclient

import (
	"context"
	"slices"
	"sync"
	"time"
)

const (
	// modTimeSlack widens the window in which a key counts as just created:
	// modTime has second precision.
	modTimeSlack = 2 * time.Second
	// reconcileGrace is how long a reconciliation may outlive the caller's
	// context: a key that was made is better returned than orphaned.
	reconcileGrace = 30 * time.Second
)

// reconciler finds out whether create attempts whose answer was lost created
// a key. The API has no idempotency token, so it looks for keys with the
// requested name that were modified since the first uncertain attempt and
// that this client was never handed: those can only be ours, since creates
// of one name run one at a time in a client (see CreateAPIKey).
type reconciler struct {
	c     *Client
	name  string
	since time.Time // start of the first uncertain attempt, on our clock
}

// reconcile returns the key the lost create made, or nil when none was made
// and the create may be retried. Anything in between is an
// *AmbiguousCreateError. It runs on ctx and, if the caller gives up
// meanwhile, reconcileGrace longer.
func (r *reconciler) reconcile(ctx context.Context, started time.Time, cause error) (*APIKey, error) {
	if r.since.IsZero() || started.Before(r.since) {
		r.since = started
	}
	ctx, cancel := withGrace(ctx, reconcileGrace)
	defer cancel()

	keys, reading, err := r.c.listAll(ctx, r.name)
	if err != nil {
		return nil, &AmbiguousCreateError{Name: r.name, Err: err}
	}
	if !reading.ok() {
		// No Date on the list: fall back to the offset learnt so far, less
		// a second so that, like a reading, it errs early.
		now := r.c.now()
		reading = clockReading{date: now.Add(r.c.clock.offset() - time.Second), sent: now, at: now}
	}
	ids := r.candidates(keys, reading.serverTime(r.since))
	fields := map[string]any{"api_key_name": r.name, "candidates": ids}
	switch len(ids) {
	case 0:
		r.c.debug(ctx, "NCP API lost create did not create a key", fields)
		return nil, nil
	case 1:
		key, err := r.c.GetAPIKey(ctx, ids[0])
		if err != nil {
			return nil, &AmbiguousCreateError{Name: r.name, CandidateIDs: ids, Err: err}
		}
		r.c.debug(ctx, "NCP API lost create response was reconciled", fields)
		return key, nil
	default:
		r.c.debug(ctx, "NCP API lost create could not be reconciled", fields)
		return nil, &AmbiguousCreateError{Name: r.name, CandidateIDs: ids, Err: cause}
	}
}

// candidates are the keys named exactly r.name, modified since start (on
// the server's clock, less modTimeSlack), unknown to the client and not
// last written by another account. A modTime that does not parse counts as
// recent: better to ask the user than to create a duplicate.
func (r *reconciler) candidates(keys []APIKey, start time.Time) []string {
	cutoff := start.Add(-modTimeSlack)
	var ids []string
	for _, k := range keys {
		if k.Name != r.name || r.c.seen.has(k.ID) || !r.c.modifier.mayBe(k.Modifier) {
			continue
		}
		if mod, err := time.Parse(time.RFC3339, k.ModTime); err == nil && mod.Before(cutoff) {
			continue
		}
		ids = append(ids, k.ID)
	}
	slices.Sort(ids)
	return ids
}

// withGrace returns a context that ends when ctx does, or, if ctx ends
// first, grace after that.
func withGrace(ctx context.Context, grace time.Duration) (context.Context, context.CancelFunc) {
	detached, cancel := context.WithCancel(context.WithoutCancel(ctx))
	stop := context.AfterFunc(ctx, func() { time.AfterFunc(grace, cancel) })
	return detached, func() {
		stop()
		cancel()
	}
}

// idSet is a concurrency-safe set of key IDs.
//
// Only IDs of single keys handed to a caller (create, get, edit, regenerate,
// reconciliation) are recorded, not those of lists: a list running
// concurrently with a lost create could otherwise hide the created key from
// its reconciliation and cause a duplicate.
type idSet struct {
	mu  sync.Mutex
	ids map[string]struct{}
}

func (s *idSet) add(id string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.ids == nil {
		s.ids = map[string]struct{}{}
	}
	s.ids[id] = struct{}{}
}

func (s *idSet) has(id string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	_, ok := s.ids[id]
	return ok
}

// modifier is the account this client writes as, learnt from the
// "modifier" of the key in the answer to one of its creates. A key whose
// modifier is another account's was not created by this client.
type modifier struct {
	mu sync.Mutex
	id string
}

func (m *modifier) learn(id string) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.id == "" {
		m.id = id
	}
}

// mayBe reports whether id may be this client's account: it is, or one of
// the two is unknown.
func (m *modifier) mayBe(id string) bool {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.id == "" || id == "" || id == m.id
}

package ncpclient

import (
	"context"
	"sync"
	"time"
)

// modTimeSlack widens the window in which a key counts as just created:
// modTime has second precision and the two clocks are only roughly in step.
const modTimeSlack = 2 * time.Second

// reconciler finds out whether create attempts whose answer was lost created
// a key. The API has no idempotency token, so it looks for keys with the
// requested name that were modified since the first uncertain attempt and
// that this client was never handed: those can only be ours.
type reconciler struct {
	c     *Client
	name  string
	since time.Time // start of the first uncertain attempt, server clock
}

// reconcile returns the key the lost create made, or nil when none was made
// and the create may be retried. Anything in between is an
// *AmbiguousCreateError.
func (r *reconciler) reconcile(ctx context.Context, started time.Time, cause error) (*APIKey, error) {
	if r.since.IsZero() || started.Before(r.since) {
		r.since = started
	}
	keys, err := r.c.ListAllAPIKeys(ctx, r.name)
	if err != nil {
		return nil, &AmbiguousCreateError{Name: r.name, Err: err}
	}
	ids := r.candidates(keys)
	fields := map[string]any{"api_key_name": r.name, "candidates": ids}
	switch len(ids) {
	case 0:
		r.c.debug(ctx, "NCP API lost create did not create a key; retrying", fields)
		return nil, nil
	case 1:
		// Claim the key before reading it, so that a concurrent
		// reconciliation of a same-named create does not adopt it too.
		if !r.c.seen.claim(ids[0]) {
			r.c.debug(ctx, "NCP API lost create's candidate was claimed by another create; retrying", fields)
			return nil, nil
		}
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

// candidates are the keys named exactly r.name, modified since r.since (less
// modTimeSlack) and unknown to the client. A modTime that does not parse
// counts as recent: better to ask the user than to create a duplicate.
func (r *reconciler) candidates(keys []APIKey) []string {
	cutoff := r.since.Add(-modTimeSlack)
	var ids []string
	for _, k := range keys {
		if k.Name != r.name || r.c.seen.has(k.ID) {
			continue
		}
		if mod, err := time.Parse(time.RFC3339, k.ModTime); err == nil && mod.Before(cutoff) {
			continue
		}
		ids = append(ids, k.ID)
	}
	return ids
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
	s.claim(id)
}

// claim adds id and reports whether it was new.
func (s *idSet) claim(id string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.ids[id]; ok {
		return false
	}
	if s.ids == nil {
		s.ids = map[string]struct{}{}
	}
	s.ids[id] = struct{}{}
	return true
}

func (s *idSet) has(id string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	_, ok := s.ids[id]
	return ok
}

package ncpclient

import (
	"context"
	"time"
)

// reconcileGrace is how long a reconciliation may outlive the caller's
// context: a key that was made is better returned than orphaned.
const reconcileGrace = 30 * time.Second

// reconciler finds out whether create attempts whose outcome is unknown
// made a key, by the marker they carry (see "Ours" in evidence.go).
type reconciler struct {
	c      *Client
	name   string
	marker string
	// extras are keys the create made besides the one it returns: more than
	// one attempt committed. They were never handed to anyone.
	extras []APIKey
}

// reconcile returns the key the create made, or nil when it made none and
// may be retried. When the keys of the name cannot all be listed, it adopts
// nothing and returns an *AmbiguousCreateError. It runs on ctx and, if the
// caller gives up meanwhile, reconcileGrace longer.
func (r *reconciler) reconcile(ctx context.Context, cause error) (*APIKey, error) {
	ctx, cancel := withGrace(ctx, reconcileGrace)
	defer cancel()

	keys, err := r.c.listAll(ctx, r.name)
	if err != nil {
		return nil, &AmbiguousCreateError{Name: r.name, Marker: r.marker, Candidates: sameName(keys, r.name), Cause: cause, Err: err}
	}
	ours := provenOurs(keys, r.name, r.marker)
	fields := map[string]any{"api_key_name": r.name, "found": len(ours)}
	if len(ours) == 0 {
		r.c.debug(ctx, "NCP API lost create did not create a key", fields)
		return nil, nil
	}
	r.c.debug(ctx, "NCP API lost create response was reconciled", fields)
	r.extras = ours[1:]
	return &ours[0], nil
}

// sameName returns the keys named exactly name.
func sameName(keys []APIKey, name string) []APIKey {
	var named []APIKey
	for _, k := range keys {
		if k.Name == name {
			named = append(named, k)
		}
	}
	return named
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

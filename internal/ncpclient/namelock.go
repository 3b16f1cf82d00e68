package ncpclient

import (
	"context"
	"sync"
)

// nameLocks is a lock per key name, held by a create from its first attempt
// to its answer, so that the reconciliation of a lost create never meets the
// key of another create of the same name still in flight in this client.
// An entry lives only while someone holds or awaits it.
type nameLocks struct {
	mu    sync.Mutex
	locks map[string]*nameLock
}

type nameLock struct {
	held  chan struct{} // holds a token while locked
	users int           // holders and waiters
}

// lock waits for name's lock, or fails when ctx ends first.
func (l *nameLocks) lock(ctx context.Context, name string) (unlock func(), err error) {
	l.mu.Lock()
	if l.locks == nil {
		l.locks = map[string]*nameLock{}
	}
	nl := l.locks[name]
	if nl == nil {
		nl = &nameLock{held: make(chan struct{}, 1)}
		l.locks[name] = nl
	}
	nl.users++
	l.mu.Unlock()

	select {
	case nl.held <- struct{}{}:
		return func() {
			<-nl.held
			l.leave(name, nl)
		}, nil
	case <-ctx.Done():
		l.leave(name, nl)
		return nil, ctx.Err()
	}
}

func (l *nameLocks) leave(name string, nl *nameLock) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if nl.users--; nl.users == 0 {
		delete(l.locks, name)
	}
}

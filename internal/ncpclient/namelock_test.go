package ncpclient

import (
	"context"
	"errors"
	"testing"
	"time"
)

func TestNameLocksSerializeOneName(t *testing.T) {
	var l nameLocks
	ctx := context.Background()
	unlockWeb, err := l.lock(ctx, "web")
	if err != nil {
		t.Fatal(err)
	}
	unlockAPI, err := l.lock(ctx, "api") // another name does not wait
	if err != nil {
		t.Fatal(err)
	}
	got := make(chan func())
	go func() {
		unlock, err := l.lock(ctx, "web")
		if err != nil {
			t.Error(err)
		}
		got <- unlock
	}()
	select {
	case <-got:
		t.Fatal("a second holder of the same name got the lock")
	case <-time.After(50 * time.Millisecond):
	}
	unlockWeb()
	(<-got)()
	unlockAPI()
	if n := l.count(); n != 0 {
		t.Errorf("%d locks left, want none", n)
	}
}

func TestNameLockWaitEndsWithTheContext(t *testing.T) {
	var l nameLocks
	unlock, err := l.lock(context.Background(), "web")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	if _, err := l.lock(ctx, "web"); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("lock = %v, want the deadline", err)
	}
	unlock()
	if n := l.count(); n != 0 {
		t.Errorf("%d locks left after a waiter gave up, want none", n)
	}
}

package ncpclient

import (
	"context"
	"errors"
	"net"
	"net/http"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

func TestLostCreateIsReconciled(t *testing.T) {
	for _, kind := range []faultKind{faultDrop, faultTruncate} {
		f, srv := newFake(t)
		f.seed("web", time.Now().Add(-time.Hour)) // old: not a candidate
		f.seed("web-2", time.Now())               // another name: not a candidate
		f.fault = failNext("create", 1, fault{kind: kind})
		c := newTestClient(t, testConfig(srv))
		key, err := c.CreateAPIKey(context.Background(), CreateAPIKeyInput{Name: "web"})
		if err != nil {
			t.Fatalf("fault %d: %v", kind, err)
		}
		if f.numKeys() != 3 {
			t.Errorf("fault %d: the server has %d keys, want exactly one created", kind, f.numKeys())
		}
		if want := f.key(key.ID); *key != want || key.PrimaryKey == "" {
			t.Errorf("fault %d: got %+v, want the created key with its values %+v", kind, *key, want)
		}
		if c, l, g := f.count("create"), f.count("list"), f.count("get"); c != 1 || l != 1 || g != 1 {
			t.Errorf("fault %d: %d creates, %d lists, %d gets; want 1, 1, 1", kind, c, l, g)
		}
	}
}

func TestCreateIsRetriedWhenNothingWasCreated(t *testing.T) {
	f, srv := newFake(t)
	f.fault = failNext("create", 2, fault{kind: faultRespond, status: 503, body: `{"error":{"errorCode":"500","message":"Endpoint Error"}}`})
	c := newTestClient(t, testConfig(srv))
	key, err := c.CreateAPIKey(context.Background(), CreateAPIKeyInput{Name: "web"})
	if err != nil {
		t.Fatal(err)
	}
	if f.numKeys() != 1 || *key != f.key(key.ID) {
		t.Errorf("the server has %d keys; got %+v", f.numKeys(), *key)
	}
	if c, l := f.count("create"), f.count("list"); c != 3 || l != 2 {
		t.Errorf("%d creates and %d lists, want 3 and 2", c, l)
	}
}

func TestCreateRetriesThrottlingWithoutReconciling(t *testing.T) {
	f, srv := newFake(t)
	f.fault = failNext("create", 2, fault{kind: faultRespond, status: 429, body: `{"error":{"errorCode":"420","message":"Rate Limited"}}`})
	c := newTestClient(t, testConfig(srv))
	if _, err := c.CreateAPIKey(context.Background(), CreateAPIKeyInput{Name: "web"}); err != nil {
		t.Fatal(err)
	}
	if c, l := f.count("create"), f.count("list"); c != 3 || l != 0 {
		t.Errorf("%d creates and %d lists, want 3 and 0", c, l)
	}
}

func TestCreateRetriesDialErrorsWithoutReconciling(t *testing.T) {
	f, srv := newFake(t)
	var dials atomic.Int32
	transport := http.DefaultTransport.(*http.Transport).Clone()
	dial := transport.DialContext
	transport.DialContext = func(ctx context.Context, network, addr string) (net.Conn, error) {
		if dials.Add(1) <= 2 {
			return nil, &net.OpError{Op: "dial", Net: network, Err: errors.New("connection refused")}
		}
		return dial(ctx, network, addr)
	}
	cfg := testConfig(srv)
	cfg.HTTPClient = &http.Client{Transport: transport}
	c := newTestClient(t, cfg)
	if _, err := c.CreateAPIKey(context.Background(), CreateAPIKeyInput{Name: "web"}); err != nil {
		t.Fatal(err)
	}
	if c, l := f.count("create"), f.count("list"); c != 1 || l != 0 || f.numKeys() != 1 {
		t.Errorf("%d creates reached the server, %d lists, %d keys; want 1, 0, 1", c, l, f.numKeys())
	}
}

func TestLostCreateWithSeveralCandidatesIsAmbiguous(t *testing.T) {
	f, srv := newFake(t)
	other := f.seed("web", time.Now()) // made meanwhile by someone else
	f.fault = failNext("create", 1, fault{kind: faultDrop})
	c := newTestClient(t, testConfig(srv))
	_, err := c.CreateAPIKey(context.Background(), CreateAPIKeyInput{Name: "web"})
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
	if f.count("create") != 1 {
		t.Errorf("%d creates, want 1", f.count("create"))
	}
}

func TestReconcileIgnoresKeysTheClientKnows(t *testing.T) {
	f, srv := newFake(t)
	c := newTestClient(t, testConfig(srv))
	ctx := context.Background()
	first, err := c.CreateAPIKey(ctx, CreateAPIKeyInput{Name: "web"})
	if err != nil {
		t.Fatal(err)
	}
	f.fault = failNext("create", 1, fault{kind: faultDrop})
	second, err := c.CreateAPIKey(ctx, CreateAPIKeyInput{Name: "web"})
	if err != nil {
		t.Fatalf("second create: %v", err)
	}
	if second.ID == first.ID || *second != f.key(second.ID) || f.numKeys() != 2 {
		t.Errorf("second create returned %s (first %s), server has %d keys", second.ID, first.ID, f.numKeys())
	}
}

func TestLostCreateWithFailedLookupIsAmbiguous(t *testing.T) {
	f, srv := newFake(t)
	f.fault = func(op string) *fault {
		switch op {
		case "create":
			return &fault{kind: faultDrop}
		case "list":
			return &fault{kind: faultRespond, status: 403, body: `{"error":{"errorCode":"230","message":"Forbidden"}}`}
		}
		return nil
	}
	c := newTestClient(t, testConfig(srv))
	_, err := c.CreateAPIKey(context.Background(), CreateAPIKeyInput{Name: "web"})
	var amb *AmbiguousCreateError
	if !errors.As(err, &amb) || len(amb.CandidateIDs) != 0 || !IsAuth(err) {
		t.Fatalf("error %v, want an *AmbiguousCreateError without candidates wrapping the 403", err)
	}
	if msg := err.Error(); !strings.Contains(msg, "may have been created") || !strings.Contains(msg, "data source") {
		t.Errorf("error %q does not say what to do", msg)
	}
	if f.count("create") != 1 {
		t.Errorf("%d creates, want 1", f.count("create"))
	}
}

func TestCreateCutShortByContextIsAmbiguous(t *testing.T) {
	f, srv := newFake(t)
	f.fault = failNext("create", 1, fault{kind: faultHang})
	c := newTestClient(t, testConfig(srv))
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	_, err := c.CreateAPIKey(ctx, CreateAPIKeyInput{Name: "web"})
	var amb *AmbiguousCreateError
	if !errors.As(err, &amb) || !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("error %v, want an *AmbiguousCreateError wrapping the deadline", err)
	}
}

func TestLostRegenerateReturnsTheLiveKey(t *testing.T) {
	for _, kind := range []faultKind{faultDrop, faultTruncate} {
		f, srv := newFake(t)
		seeded := f.seed("web", time.Now())
		f.fault = failNext("regenerate", 1, fault{kind: kind})
		c := newTestClient(t, testConfig(srv))
		key, err := c.RegenerateAPIKey(context.Background(), seeded.ID, KeyTypePrimary)
		if err != nil {
			t.Fatalf("fault %d: %v", kind, err)
		}
		if live := f.key(seeded.ID); *key != live || key.PrimaryKey == seeded.PrimaryKey {
			t.Errorf("fault %d: got %+v, want the live, regenerated key %+v", kind, *key, live)
		}
		if r, g := f.count("regenerate"), f.count("get"); r != 2 || g != 0 {
			t.Errorf("fault %d: %d regenerates and %d gets, want 2 and 0", kind, r, g)
		}
	}
}

func TestRegenerateThatKeepsFailingUncertainlyIsAnError(t *testing.T) {
	f, srv := newFake(t)
	seeded := f.seed("web", time.Now())
	f.fault = failNext("regenerate", 100, fault{kind: faultDrop})
	cfg := testConfig(srv)
	cfg.MaxRetries = 1
	c := newTestClient(t, cfg)
	if _, err := c.RegenerateAPIKey(context.Background(), seeded.ID, KeyTypeSecondary); err == nil {
		t.Fatal("a regenerate whose every answer was lost reported success")
	}
}

func TestRegenerateFailureIsReported(t *testing.T) {
	f, srv := newFake(t)
	f.fault = failNext("regenerate", 1, fault{kind: faultRespond, status: 404, body: notFoundBody})
	c := newTestClient(t, testConfig(srv))
	if _, err := c.RegenerateAPIKey(context.Background(), "gone", KeyTypePrimary); !IsNotFound(err) {
		t.Errorf("error %v, want not found", err)
	}
	if f.count("get") != 0 {
		t.Error("a certain failure was followed by a read")
	}
}

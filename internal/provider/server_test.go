package provider

import (
	"context"
	"errors"
	"runtime"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
)

type payloadKey struct{}

// The framework keeps every request's context until StopProvider; the
// server must not let it keep what the request carried. Each request here
// carries 1 MiB, as tf6server's loggers and values would carry less.
func TestServerDoesNotRetainRequests(t *testing.T) {
	const requests, payload = 100, 1 << 20
	server := NewProtocol6(New("test")())()
	liveHeap := func() uint64 {
		runtime.GC()
		var m runtime.MemStats
		runtime.ReadMemStats(&m)
		return m.HeapAlloc
	}
	before := liveHeap()
	for range requests {
		ctx := context.WithValue(context.Background(), payloadKey{}, make([]byte, payload))
		if _, err := server.ValidateResourceConfig(ctx, &tfprotov6.ValidateResourceConfigRequest{TypeName: "ncp_apigw_api_key"}); err != nil {
			t.Fatal(err)
		}
	}
	after := liveHeap()
	runtime.KeepAlive(server) // what the framework holds lives as long as its server
	// Retaining the requests would add 100 MiB; other tests running at the
	// same time add a few MiB at most.
	if after > before && after-before > requests*payload/4 {
		t.Errorf("the live heap grew by %d MiB over %d requests: the server retains what they carried", (after-before)>>20, requests)
	}
}

func TestRequestContextIsTheRequestsUntilReleased(t *testing.T) {
	deadline := time.Now().Add(time.Hour)
	parent, cancel := context.WithDeadline(context.WithValue(context.Background(), payloadKey{}, "request"), deadline)
	c := newRequestContext(parent)
	derived, stop := context.WithCancel(c) // as the framework derives its own
	defer stop()

	if got, ok := derived.Deadline(); derived.Value(payloadKey{}) != "request" || derived.Err() != nil || !ok || !got.Equal(deadline) {
		t.Errorf("before release: value %v, err %v, deadline %v %t; want the request's", derived.Value(payloadKey{}), derived.Err(), got, ok)
	}
	cancel() // Terraform cancels the request
	select {
	case <-derived.Done():
	case <-time.After(5 * time.Second):
		t.Fatal("the request's cancellation did not reach the context derived from it")
	}

	c.release()
	if c.Value(payloadKey{}) != nil || !errors.Is(c.Err(), context.Canceled) {
		t.Errorf("after release: value %v, err %v; want nothing and canceled", c.Value(payloadKey{}), c.Err())
	}
	if _, ok := c.Deadline(); ok {
		t.Error("after release the context still has the request's deadline")
	}
}

// The server keeps the framework's parts outside ProviderServer, which
// tf6server finds by type assertion.
func TestServerServesListResourcesAndActions(t *testing.T) {
	server := NewProtocol6(New("test")())()
	if _, ok := server.(tfprotov6.ListResourceServer); !ok {
		t.Error("the server does not serve list resources")
	}
	if _, ok := server.(tfprotov6.ActionServer); !ok {
		t.Error("the server does not serve actions")
	}
}

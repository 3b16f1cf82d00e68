package ncpclient

import (
	"context"
	"strings"
	"testing"

	"github.com/ncp-community/terraform-provider-ncp/internal/emulator"
)

// TestDeleteIsConfirmedByNCP: a proxy, or a mock, answers the delete with a
// success NCP could also have given (200 and {}), without passing it on. The
// read that follows shows the key still there, so the delete is sent again,
// and when it never takes effect the delete fails saying so; the key stays,
// as state must.
func TestDeleteIsConfirmedByNCP(t *testing.T) {
	answeredByProxy := emulator.Fault{Route: emulator.RouteDelete, Kind: emulator.FaultRaw, Status: 200, ContentType: "application/json", Body: "{}"}

	t.Run("never passed on", func(t *testing.T) {
		env := newEnv(t, emulator.Config{}, nil)
		key := env.emu.PutKey("kept", "")
		env.inject(answeredByProxy)
		err := env.c.DeleteAPIKey(context.Background(), key.ID)
		if err == nil || !strings.Contains(err.Error(), "NCP still shows it") || !strings.Contains(err.Error(), "may not come from NCP's API") {
			t.Fatalf("error %v, want one saying NCP still shows the key", err)
		}
		if _, ok := env.emu.Key(key.ID); !ok {
			t.Fatal("the key is gone")
		}
		if d, g := env.count(emulator.RouteDelete), env.count(emulator.RouteGet); d != removalChecks || g != removalChecks {
			t.Errorf("%d deletes and %d reads, want %d of each", d, g, removalChecks)
		}
	})

	t.Run("passed on the second time", func(t *testing.T) {
		env := newEnv(t, emulator.Config{}, nil)
		key := env.emu.PutKey("deleted", "")
		answeredByProxy.Count = 1
		env.inject(answeredByProxy)
		if err := env.c.DeleteAPIKey(context.Background(), key.ID); err != nil {
			t.Fatal(err)
		}
		if _, ok := env.emu.Key(key.ID); ok {
			t.Fatal("the key is still there")
		}
		if d, g := env.count(emulator.RouteDelete), env.count(emulator.RouteGet); d != 2 || g != 2 {
			t.Errorf("%d deletes and %d reads, want 2 of each", d, g)
		}
	})

	t.Run("NCP's own answer", func(t *testing.T) {
		env := newEnv(t, emulator.Config{}, nil)
		key := env.emu.PutKey("deleted", "")
		if err := env.c.DeleteAPIKey(context.Background(), key.ID); err != nil {
			t.Fatal(err)
		}
		if d, g := env.count(emulator.RouteDelete), env.count(emulator.RouteGet); d != 1 || g != 1 {
			t.Errorf("%d deletes and %d reads, want one of each", d, g)
		}
	})
}

// TestUnsubscribeIsConfirmedByNCP is TestDeleteIsConfirmedByNCP for an
// unsubscribe answered in NCP's place.
func TestUnsubscribeIsConfirmedByNCP(t *testing.T) {
	env := newSubscriptionEnv(t, emulator.Config{}, nil)
	ctx := context.Background()
	if err := env.c.Subscribe(ctx, env.key.ID, env.publicID); err != nil {
		t.Fatal(err)
	}
	env.emu.SetFaults(emulator.Faults{Faults: []emulator.Fault{
		{Route: emulator.RouteUnsubscribe, Kind: emulator.FaultRaw, Status: 200, ContentType: "application/json", Body: "{}"},
	}})
	err := env.c.Unsubscribe(ctx, env.key.ID, env.publicID)
	if err == nil || !strings.Contains(err.Error(), "NCP still shows it") {
		t.Fatalf("error %v, want one saying NCP still shows the subscription", err)
	}
	if p, err := env.c.KeyProduct(ctx, env.key.ID, env.publicID); err != nil || p == nil {
		t.Fatalf("the subscription is gone: %v", err)
	}
}

package emulator

import (
	"net/http"
	"testing"
)

func TestOutOfBandSubscriptions(t *testing.T) {
	emu, c := newAPI(t, Config{})
	k := c.create("web", "")
	public, protected := putProduct(t, emu, SubscriptionPublic), putProduct(t, emu, SubscriptionProtected)

	s, ok := emu.Subscribe(k.ID, public.ID)
	if !ok || s.Status != StatusAccepted || s.APIKeyID != k.ID || s.RegTime.IsZero() {
		t.Fatalf("Subscribe to a public product: %+v %v", s, ok)
	}
	if s, ok := emu.Subscribe(k.ID, protected.ID); !ok || s.Status != StatusRequest {
		t.Fatalf("Subscribe to a protected product: %+v %v", s, ok)
	}
	for _, tc := range []struct{ key, product string }{{k.ID, public.ID}, {"nosuchkey0", public.ID}, {k.ID, "nosuchprod"}} {
		if _, ok := emu.Subscribe(tc.key, tc.product); ok {
			t.Errorf("Subscribe(%s, %s) succeeded", tc.key, tc.product)
		}
	}
	if got := c.statuses(k.ID); got[public.ID] != "ACCEPTED" || got[protected.ID] != "REQUEST" {
		t.Fatalf("the API shows %v", got)
	}

	// The publisher's decisions, any of the statuses NCP lists.
	for _, status := range []SubscriptionStatus{StatusAccepted, StatusBlockedRequest, StatusDeny, StatusRejected, StatusRequest} {
		if !emu.SetSubscriptionStatus(k.ID, protected.ID, status) {
			t.Fatalf("SetSubscriptionStatus %s failed", status)
		}
		if got := c.statuses(k.ID)[protected.ID]; got != string(status) {
			t.Fatalf("after %s the API shows %q", status, got)
		}
	}
	if emu.SetSubscriptionStatus(k.ID, protected.ID, "MAYBE") || emu.SetSubscriptionStatus(k.ID, "nosuchprod", StatusAccepted) {
		t.Fatal("SetSubscriptionStatus accepted an unknown status or subscription")
	}

	if !emu.Unsubscribe(k.ID, public.ID) || emu.Unsubscribe(k.ID, public.ID) {
		t.Fatal("Unsubscribe should succeed once")
	}
	if subs := emu.Subscriptions(); len(subs) != 1 || subs[0].ProductID != protected.ID {
		t.Fatalf("Subscriptions: %+v", subs)
	}
	if got := emu.Stats().Requests[RouteSubscribe] + emu.Stats().Requests[RouteUnsubscribe]; got != 0 {
		t.Fatalf("out-of-band changes counted as %d requests", got)
	}
}

func TestDropRejectedOutOfBand(t *testing.T) {
	emu := New(Config{AccessKey: "AK", SecretKey: "SK", SubscriptionSwitches: SubscriptionSwitches{DropRejected: true}})
	k := emu.PutKey("web", "")
	p := putProduct(t, emu, SubscriptionProtected)
	for _, status := range []SubscriptionStatus{StatusDeny, StatusRejected} {
		emu.Subscribe(k.ID, p.ID)
		if !emu.SetSubscriptionStatus(k.ID, p.ID, status) {
			t.Fatalf("%s failed", status)
		}
		if _, ok := emu.Subscription(k.ID, p.ID); ok {
			t.Fatalf("a subscription set to %s was kept", status)
		}
	}
	emu.Subscribe(k.ID, p.ID)
	emu.SetSubscriptionStatus(k.ID, p.ID, StatusBlockedRequest)
	if s, ok := emu.Subscription(k.ID, p.ID); !ok || s.Status != StatusBlockedRequest {
		t.Fatalf("a blocked request was dropped: %+v %v", s, ok)
	}
}

func TestDeletingAKeyRemovesItsSubscriptions(t *testing.T) {
	emu, c := newAPI(t, Config{})
	viaAPI, outOfBand, kept := c.create("a", ""), c.create("b", ""), c.create("c", "")
	p := putProduct(t, emu, SubscriptionPublic)
	for _, k := range []wireKey{viaAPI, outOfBand, kept} {
		c.subscribe(k.ID, p.ID)
	}
	c.expect(http.StatusNoContent, "DELETE", "/api/v1/api-keys/"+viaAPI.ID, "")
	emu.DeleteKey(outOfBand.ID)
	if subs := emu.Subscriptions(); len(subs) != 1 || subs[0].APIKeyID != kept.ID {
		t.Fatalf("subscriptions %+v, want only the kept key's", subs)
	}
	c.expectError(http.StatusNotFound, "300", "GET", "/api/v1/api-keys/"+viaAPI.ID+"/products", "")
}

func TestRefuseDeleteSubscribedKey(t *testing.T) {
	emu, c := newAPI(t, Config{SubscriptionSwitches: SubscriptionSwitches{RefuseDeleteSubscribedKey: true}})
	k := c.create("web", "")
	p := putProduct(t, emu, SubscriptionProtected)
	c.subscribe(k.ID, p.ID)
	c.expectError(http.StatusBadRequest, "100", "DELETE", "/api/v1/api-keys/"+k.ID, "")
	if _, ok := emu.Key(k.ID); !ok {
		t.Fatal("the refused delete removed the key")
	}
	c.expect(http.StatusOK, "POST", "/api/v1/api-keys/"+k.ID+"/unsubscribe", `{"productId":"`+p.ID+`"}`)
	c.expect(http.StatusNoContent, "DELETE", "/api/v1/api-keys/"+k.ID, "")
}

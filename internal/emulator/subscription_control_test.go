package emulator

import (
	"net/http"
	"testing"
)

func TestControlEndpointsOfSubscriptions(t *testing.T) {
	emu, c := newAPI(t, Config{})
	k := c.create("web", "")

	status, data := c.control("POST", "/_emulator/products", `{"productId":"weather001","productName":"weather","subscriptionCode":"PROTECTED",
		"apis":[{"apiName":"forecast","stages":[{"stageName":"v1"}]}]}`)
	p := decode[Product](t, data)
	if status != http.StatusOK || p.ID != "weather001" || !p.RequiresApproval() || !idPattern.MatchString(p.APIs[0].Stages[0].ID) {
		t.Fatalf("seed product: %d %s", status, data)
	}
	for _, bad := range []string{`{"productId":"weather001","productName":"again"}`, `{"productName":""}`, `[]`} {
		if status, _ := c.control("POST", "/_emulator/products", bad); status != http.StatusBadRequest {
			t.Errorf("seed %s: %d, want 400", bad, status)
		}
	}
	_, data = c.control("GET", "/_emulator/products", "")
	if list := decode[productList](t, data); list.Total != 1 || list.Products[0].PublisherID != emu.cfg.TenantID {
		t.Fatalf("products: %s", data)
	}

	subs := "/_emulator/keys/" + k.ID + "/subscriptions"
	status, data = c.control("POST", subs, `{"productId":"weather001"}`)
	if s := decode[Subscription](t, data); status != http.StatusOK || s.Status != StatusRequest {
		t.Fatalf("subscribe: %d %s", status, data)
	}
	if status, _ := c.control("POST", subs, `{"productId":"weather001"}`); status != http.StatusConflict {
		t.Fatalf("subscribing twice: %d, want 409", status)
	}
	status, data = c.control("PUT", subs+"/weather001", `{"status":"ACCEPTED"}`)
	if s := decode[Subscription](t, data); status != http.StatusOK || s.Status != StatusAccepted {
		t.Fatalf("approve: %d %s", status, data)
	}
	if got := c.statuses(k.ID)["weather001"]; got != "ACCEPTED" {
		t.Fatalf("the API shows %q", got)
	}
	for _, tc := range []struct {
		method, path, body string
		want               int
	}{
		{"PUT", subs + "/weather001", `{"status":"MAYBE"}`, http.StatusBadRequest},
		{"PUT", subs + "/nosuchprod", `{"status":"ACCEPTED"}`, http.StatusNotFound},
		{"DELETE", subs + "/nosuchprod", "", http.StatusNotFound},
	} {
		if status, _ := c.control(tc.method, tc.path, tc.body); status != tc.want {
			t.Errorf("%s %s: %d, want %d", tc.method, tc.path, status, tc.want)
		}
	}
	_, data = c.control("GET", "/_emulator/subscriptions", "")
	if list := decode[subscriptionList](t, data); list.Total != 1 || list.Subscriptions[0].APIKeyID != k.ID {
		t.Fatalf("subscriptions: %s", data)
	}
	if status, _ := c.control("DELETE", subs+"/weather001", ""); status != http.StatusNoContent || len(emu.Subscriptions()) != 0 {
		t.Fatalf("unsubscribe: %d", status)
	}
	if stats := emu.Stats(); stats.Requests[RouteSubscribe]+stats.Requests[RouteApproval] != 0 {
		t.Fatalf("control requests were counted: %+v", stats)
	}
}

func TestControlRejectionUnderDropRejected(t *testing.T) {
	emu, c := newAPI(t, Config{SubscriptionSwitches: SubscriptionSwitches{DropRejected: true}})
	k := c.create("web", "")
	p := putProduct(t, emu, SubscriptionProtected)
	emu.Subscribe(k.ID, p.ID)
	if status, data := c.control("PUT", "/_emulator/keys/"+k.ID+"/subscriptions/"+p.ID, `{"status":"REJECTED"}`); status != http.StatusNoContent {
		t.Fatalf("reject: %d %s, want 204: the subscription is gone", status, data)
	}
}

package emulator

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"reflect"
	"slices"
	"strings"
	"testing"
)

func TestSubscribeToAPublicProductAcceptsAtOnce(t *testing.T) {
	emu, c := newAPI(t, Config{})
	k := c.create("web", "")
	p := putProduct(t, emu, SubscriptionPublic)

	status, body, header := c.do("POST", "/api/v1/api-keys/"+k.ID+"/subscribe", fmt.Sprintf(`{"productId":%q}`, p.ID))
	if status != http.StatusOK || len(body) != 0 || header.Get("Content-Type") != "application/json" {
		t.Fatalf("subscribe answered %d %q (%s), want 200 with an empty body labelled JSON", status, body, header.Get("Content-Type"))
	}
	data := c.expect(http.StatusOK, "GET", "/api/v1/api-keys/"+k.ID+"/products", "")
	if got := fieldNames(decode[map[string]json.RawMessage](t, data)); !slices.Equal(got, []string{"apiKeyRelateProductDtos", "total"}) {
		t.Fatalf("top-level fields %v", got)
	}
	page := decode[struct {
		Products []map[string]json.RawMessage `json:"apiKeyRelateProductDtos"`
	}](t, data)
	want := []string{"isSelfProduct", "modTime", "productDescription", "productId", "productName", "publisherId", "regTime", "status"}
	if len(page.Products) != 1 || !slices.Equal(fieldNames(page.Products[0]), want) {
		t.Fatalf("products %s, want one with the fields %v", data, want)
	}
	got := c.keyProducts(k.ID, "").Products[0]
	if got.ProductID != p.ID || got.ProductName != p.Name || got.Status != "ACCEPTED" || got.PublisherID != k.TenantID ||
		got.IsSelfProduct == nil || !*got.IsSelfProduct || !modTimePattern.MatchString(got.RegTime) {
		t.Fatalf("product %+v, want %s accepted, published by the key's own tenant", got, p.ID)
	}
}

func TestSubscribeToAProtectedProductAwaitsTheApproval(t *testing.T) {
	emu, c := newAPI(t, Config{})
	k := c.create("web", "")
	p := putProduct(t, emu, SubscriptionProtected)

	c.subscribe(k.ID, p.ID)
	for _, step := range []struct{ decision, want string }{
		{"", "REQUEST"},
		{"ACCEPTED", "ACCEPTED"},
		{"ACCEPTED", "ACCEPTED"}, // the same decision again changes nothing
		{"REJECTED", "REJECTED"}, // kept in the list, so that the consumer sees why
		{"ACCEPTED", "ACCEPTED"}, // a rejection may be reversed
	} {
		if step.decision != "" {
			c.approval(p.ID, k.ID, step.decision)
		}
		if got := c.statuses(k.ID)[p.ID]; got != step.want {
			t.Fatalf("after %q: status %q, want %q", step.decision, got, step.want)
		}
	}
}

func TestSubscribeRefusalsChangeNothing(t *testing.T) {
	emu, c := newAPI(t, Config{})
	k := c.create("web", "")
	public := putProduct(t, emu, SubscriptionPublic)
	unpublished, err := emu.PutProduct(Product{Name: "draft", Unpublished: true})
	if err != nil {
		t.Fatal(err)
	}
	c.subscribe(k.ID, public.ID)

	subscribe := "/api/v1/api-keys/" + k.ID + "/subscribe"
	for _, tc := range []struct {
		name, uri, body string
		status          int
		code            string
	}{
		{"unknown key", "/api/v1/api-keys/nosuchkey0/subscribe", fmt.Sprintf(`{"productId":%q}`, public.ID), http.StatusNotFound, "300"},
		{"unknown product", subscribe, `{"productId":"nosuchprod"}`, http.StatusNotFound, "300"},
		{"unpublished product", subscribe, fmt.Sprintf(`{"productId":%q}`, unpublished.ID), http.StatusBadRequest, "100"},
		{"already subscribed", subscribe, fmt.Sprintf(`{"productId":%q}`, public.ID), http.StatusBadRequest, "100"},
		{"no productId", subscribe, `{}`, http.StatusBadRequest, "100"},
		{"not JSON", subscribe, `productId=x`, http.StatusBadRequest, "100"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c.expectError(tc.status, tc.code, "POST", tc.uri, tc.body)
		})
	}
	if subs := emu.Subscriptions(); len(subs) != 1 || subs[0].ProductID != public.ID {
		t.Fatalf("subscriptions %+v, want only the first", subs)
	}
}

func TestSubscriptionSwitchesOfSubscribe(t *testing.T) {
	t.Run("IdempotentSubscribe", func(t *testing.T) {
		emu, c := newAPI(t, Config{SubscriptionSwitches: SubscriptionSwitches{IdempotentSubscribe: true}})
		k := c.create("web", "")
		p := putProduct(t, emu, SubscriptionProtected)
		c.subscribe(k.ID, p.ID)
		emu.SetSubscriptionStatus(k.ID, p.ID, StatusRejected)
		c.subscribe(k.ID, p.ID)
		if subs := emu.Subscriptions(); len(subs) != 1 || subs[0].Status != StatusRejected {
			t.Fatalf("subscriptions %+v, want the one rejected subscription unchanged", subs)
		}
	})
	t.Run("AllowUnpublished", func(t *testing.T) {
		emu, c := newAPI(t, Config{SubscriptionSwitches: SubscriptionSwitches{AllowUnpublished: true}})
		k := c.create("web", "")
		p, _ := emu.PutProduct(Product{Name: "draft", Unpublished: true})
		c.subscribe(k.ID, p.ID)
		if got := c.statuses(k.ID)[p.ID]; got != "ACCEPTED" {
			t.Fatalf("status %q", got)
		}
	})
	t.Run("AutoAcceptOwnProducts", func(t *testing.T) {
		emu, c := newAPI(t, Config{SubscriptionSwitches: SubscriptionSwitches{AutoAcceptOwnProducts: true}})
		k := c.create("web", "")
		own := putProduct(t, emu, SubscriptionProtected)
		foreign, _ := emu.PutProduct(Product{Name: "maps", PublisherID: "0123456789abcdef0123456789abcdef", SubscriptionCode: SubscriptionProtected})
		c.subscribe(k.ID, own.ID)
		c.subscribe(k.ID, foreign.ID)
		if got := c.statuses(k.ID); got[own.ID] != "ACCEPTED" || got[foreign.ID] != "REQUEST" {
			t.Fatalf("statuses %v: want our own product accepted, another tenant's awaiting approval", got)
		}
	})
}

func TestSubscriptionAnswers(t *testing.T) {
	for _, tc := range []struct {
		answer      DeleteAnswer
		status      int
		contentType string
		body        string
	}{
		{"", http.StatusOK, "application/json", ""},
		{DeleteNoContent, http.StatusNoContent, "", ""},
		{DeleteEmptyObject, http.StatusOK, "application/json", "{}"},
	} {
		t.Run(string(tc.answer), func(t *testing.T) {
			emu, c := newAPI(t, Config{SubscriptionSwitches: SubscriptionSwitches{SubscriptionAnswer: tc.answer}})
			k := c.create("web", "")
			p := putProduct(t, emu, SubscriptionProtected)
			body := fmt.Sprintf(`{"productId":%q}`, p.ID)
			for _, req := range []struct{ method, uri, body string }{
				{"POST", "/api/v1/api-keys/" + k.ID + "/subscribe", body},
				{"PATCH", "/api/v1/products/" + p.ID + "/api-keys/" + k.ID, `{"status":"ACCEPTED"}`},
				{"POST", "/api/v1/api-keys/" + k.ID + "/unsubscribe", body},
			} {
				status, data, header := c.do(req.method, req.uri, req.body)
				if status != tc.status || string(data) != tc.body || header.Get("Content-Type") != tc.contentType {
					t.Errorf("%s %s: %d %q (%q), want %d %q (%q)", req.method, req.uri, status, data, header.Get("Content-Type"), tc.status, tc.body, tc.contentType)
				}
			}
			if subs := emu.Subscriptions(); len(subs) != 0 {
				t.Fatalf("subscriptions left: %+v", subs)
			}
		})
	}
}

func TestUnsubscribeRemovesEveryStatus(t *testing.T) {
	emu, c := newAPI(t, Config{})
	k := c.create("web", "")
	for _, status := range []SubscriptionStatus{StatusAccepted, StatusRequest, StatusRejected, StatusDeny, StatusBlockedRequest} {
		p := putProduct(t, emu, SubscriptionProtected)
		c.subscribe(k.ID, p.ID)
		emu.SetSubscriptionStatus(k.ID, p.ID, status)
		c.expect(http.StatusOK, "POST", "/api/v1/api-keys/"+k.ID+"/unsubscribe", fmt.Sprintf(`{"productId":%q}`, p.ID))
		if _, ok := emu.Subscription(k.ID, p.ID); ok {
			t.Fatalf("a %s subscription survived unsubscribe", status)
		}
	}
	c.expectError(http.StatusNotFound, "300", "POST", "/api/v1/api-keys/nosuchkey0/unsubscribe", `{"productId":"x"}`)
	c.expectError(http.StatusBadRequest, "100", "POST", "/api/v1/api-keys/"+k.ID+"/unsubscribe", `{}`)
}

func TestUnsubscribeOfAKeyNotSubscribed(t *testing.T) {
	for _, tc := range []struct {
		setting int
		status  int
		code    string
	}{
		{0, http.StatusNotFound, "300"},
		{http.StatusBadRequest, http.StatusBadRequest, "100"},
		{http.StatusOK, http.StatusOK, ""},
	} {
		t.Run(fmt.Sprint(tc.setting), func(t *testing.T) {
			emu, c := newAPI(t, Config{SubscriptionSwitches: SubscriptionSwitches{NotSubscribedStatus: tc.setting}})
			k := c.create("web", "")
			p := putProduct(t, emu, SubscriptionPublic)
			uri, body := "/api/v1/api-keys/"+k.ID+"/unsubscribe", fmt.Sprintf(`{"productId":%q}`, p.ID)
			if tc.code == "" {
				c.expect(tc.status, "POST", uri, body)
				return
			}
			data := c.expect(tc.status, "POST", uri, body)
			if e := decode[wireError](t, data).Error; e.Code != tc.code || !strings.Contains(e.Message, "not subscribed") {
				t.Fatalf("error %+v, want code %s saying the key is not subscribed", e, tc.code)
			}
		})
	}
}

func TestRefuseUnsubscribePending(t *testing.T) {
	emu, c := newAPI(t, Config{SubscriptionSwitches: SubscriptionSwitches{RefuseUnsubscribePending: true}})
	k := c.create("web", "")
	p := putProduct(t, emu, SubscriptionProtected)
	c.subscribe(k.ID, p.ID)
	uri, body := "/api/v1/api-keys/"+k.ID+"/unsubscribe", fmt.Sprintf(`{"productId":%q}`, p.ID)
	c.expectError(http.StatusBadRequest, "100", "POST", uri, body)
	c.approval(p.ID, k.ID, "ACCEPTED")
	c.expect(http.StatusOK, "POST", uri, body)
	if len(emu.Subscriptions()) != 0 {
		t.Fatal("an accepted subscription survived unsubscribe")
	}
}

func TestKeyProductsPagesAreCapped(t *testing.T) {
	emu, c := newAPI(t, Config{})
	k := c.create("web", "")
	var ids []string
	for range 25 {
		p := putProduct(t, emu, SubscriptionPublic)
		c.subscribe(k.ID, p.ID)
		ids = append(ids, p.ID)
	}
	var read []string
	for _, tc := range []struct {
		query     string
		wantCount int
	}{
		{"", 10},                      // no limit: 10
		{"?offset=10&limit=1000", 15}, // capped at 20, but only 15 are left
		{"?limit=100", 20},            // capped at 20 whatever is asked
	} {
		page := c.keyProducts(k.ID, tc.query)
		if page.Total != 25 || len(page.Products) != tc.wantCount {
			t.Fatalf("%s: %d products of %d, want %d of 25", tc.query, len(page.Products), page.Total, tc.wantCount)
		}
		if tc.query != "?limit=100" {
			for _, p := range page.Products {
				read = append(read, p.ProductID)
			}
		}
	}
	if !slices.Equal(read, ids) {
		t.Fatalf("pages read %v, want the products in the order subscribed %v", read, ids)
	}
	if page := c.keyProducts(k.ID, "?offset=30"); page.Total != 25 || page.Products == nil || len(page.Products) != 0 {
		t.Fatalf("past the end: %+v, want an empty list and the total", page)
	}
	c.expectError(http.StatusBadRequest, "100", "GET", "/api/v1/api-keys/"+k.ID+"/products?limit=0", "")
	c.expectError(http.StatusNotFound, "300", "GET", "/api/v1/api-keys/nosuchkey0/products", "")
}

func TestMaxSubscriptionPageSize(t *testing.T) {
	emu, c := newAPI(t, Config{SubscriptionSwitches: SubscriptionSwitches{MaxSubscriptionPageSize: 2}})
	k := c.create("web", "")
	for range 3 {
		c.subscribe(k.ID, putProduct(t, emu, SubscriptionPublic).ID)
	}
	if page := c.keyProducts(k.ID, "?limit=100"); len(page.Products) != 2 || page.Total != 3 {
		t.Fatalf("page %+v, want 2 of 3", page)
	}
}

func TestSubscriptionListsWithoutTotal(t *testing.T) {
	emu, c := newAPI(t, Config{OmitListTotal: true})
	k := c.create("web", "")
	p := putProduct(t, emu, SubscriptionPublic)
	c.subscribe(k.ID, p.ID)
	for _, call := range [][2]string{
		{"GET", "/api/v1/api-keys/" + k.ID + "/products"},
		{"GET", "/api/v1/api-keys/" + k.ID + "/subscription-detail?productId=" + p.ID},
	} {
		if data := c.expect(http.StatusOK, call[0], call[1], ""); strings.Contains(string(data), `"total"`) || !strings.Contains(string(data), `[{`) {
			t.Errorf("%s %s: %s, want a list and no total", call[0], call[1], data)
		}
	}
	own := putProduct(t, emu, SubscriptionProtected)
	c.subscribe(k.ID, own.ID)
	if data := c.expect(http.StatusOK, "POST", "/api/v1/products/"+own.ID+"/api-keys/search", "{}"); strings.Contains(string(data), `"total"`) || !strings.Contains(string(data), `"content":[{`) {
		t.Errorf("search: %s, want a list and no total", data)
	}
}

func TestSubscriptionLag(t *testing.T) {
	emu, c := newAPI(t, Config{SubscriptionSwitches: SubscriptionSwitches{SubscriptionLag: 2}})
	k := c.create("web", "")
	p := putProduct(t, emu, SubscriptionPublic)
	c.subscribe(k.ID, p.ID)
	for read := 1; read <= 3; read++ {
		page := c.keyProducts(k.ID, "")
		if shown := page.Total == 1; shown != (read == 3) {
			t.Fatalf("read %d: %+v; want the subscription shown from the third read on", read, page)
		}
	}
	if _, ok := emu.Subscription(k.ID, p.ID); !ok {
		t.Fatal("the subscription is not recorded while it is hidden")
	}
}

func TestSelfProduct(t *testing.T) {
	emu, c := newAPI(t, Config{})
	k := c.create("web", "")
	foreign, _ := emu.PutProduct(Product{Name: "maps", PublisherID: "0123456789abcdef0123456789abcdef"})
	c.subscribe(k.ID, foreign.ID)
	if got := c.keyProducts(k.ID, "").Products[0]; got.IsSelfProduct == nil || *got.IsSelfProduct || got.PublisherID != foreign.PublisherID {
		t.Fatalf("another tenant's product: %+v", got)
	}

	emu, c = newAPI(t, Config{SubscriptionSwitches: SubscriptionSwitches{OmitSelfProduct: true}})
	k = c.create("web", "")
	c.subscribe(k.ID, putProduct(t, emu, SubscriptionPublic).ID)
	if data := c.expect(http.StatusOK, "GET", "/api/v1/api-keys/"+k.ID+"/products", ""); strings.Contains(string(data), "isSelfProduct") {
		t.Fatalf("OmitSelfProduct: %s", data)
	}
}

func TestSubscriptionDetail(t *testing.T) {
	emu, c := newAPI(t, Config{})
	k := c.create("web", "")
	p := putProduct(t, emu, SubscriptionProtected)
	api := p.APIs[0]
	uri := "/api/v1/api-keys/" + k.ID + "/subscription-detail?productId=" + p.ID
	type relation struct {
		APIID, APIName, StageID, StageName, APIKeyID, APIKeyName, UsagePlanID, UsagePlanName string
	}
	type page struct {
		Relations struct {
			Content []relation `json:"content"`
			Total   int        `json:"total"`
		} `json:"apiKeyRelations"`
	}
	stages := func(method, uri string) page {
		t.Helper()
		return decode[page](t, c.expect(http.StatusOK, method, uri, ""))
	}

	if got := stages("GET", uri); got.Relations.Total != 0 || got.Relations.Content == nil {
		t.Fatalf("not subscribed: %+v, want an empty page", got)
	}
	c.subscribe(k.ID, p.ID)
	if got := stages("GET", uri); got.Relations.Total != 0 {
		t.Fatalf("awaiting approval: %+v, want an empty page", got)
	}
	c.approval(p.ID, k.ID, "ACCEPTED")
	want := []relation{
		{api.ID, "forecast", api.Stages[0].ID, "v1", k.ID, "web", "plan000001", "basic"},
		{api.ID, "forecast", api.Stages[1].ID, "v2", k.ID, "web", "", ""},
	}
	for _, method := range []string{"GET", "POST"} { // NCP's page shows both
		if got := stages(method, uri); got.Relations.Total != 2 || !reflect.DeepEqual(got.Relations.Content, want) {
			t.Fatalf("%s: %+v, want %+v", method, got, want)
		}
	}
	data := c.expect(http.StatusOK, "GET", uri, "")
	for _, field := range []string{`"dayCallCount":0`, `"monthCallCount":0`, `"dailyUsage":0`, `"domainCode":"PUB"`, `"regTime":"`} {
		if !strings.Contains(string(data), field) {
			t.Errorf("the detail lacks %s: %s", field, data)
		}
	}
	if got := stages("GET", uri+"&stageId="+api.Stages[1].ID); !reflect.DeepEqual(got.Relations.Content, want[1:]) {
		t.Fatalf("by stage: %+v", got)
	}
	if got := stages("GET", uri+"&apiId=other"); got.Relations.Total != 0 {
		t.Fatalf("another API: %+v", got)
	}
	if got := stages("GET", uri+"&limit=1&offset=1"); got.Relations.Total != 2 || !reflect.DeepEqual(got.Relations.Content, want[1:]) {
		t.Fatalf("second page of one: %+v", got)
	}
	c.expectError(http.StatusBadRequest, "100", "GET", "/api/v1/api-keys/"+k.ID+"/subscription-detail", "")
	c.expectError(http.StatusNotFound, "300", "GET", "/api/v1/api-keys/"+k.ID+"/subscription-detail?productId=nosuchprod", "")
	c.expectError(http.StatusNotFound, "300", "GET", "/api/v1/api-keys/nosuchkey0/subscription-detail?productId="+p.ID, "")
}

func TestApprovalRefusals(t *testing.T) {
	emu, c := newAPI(t, Config{})
	k := c.create("web", "")
	unsubscribed := c.create("idle", "")
	protected := putProduct(t, emu, SubscriptionProtected)
	public := putProduct(t, emu, SubscriptionPublic)
	foreign, _ := emu.PutProduct(Product{Name: "maps", PublisherID: "0123456789abcdef0123456789abcdef", SubscriptionCode: SubscriptionProtected})
	for _, p := range []Product{protected, public, foreign} {
		c.subscribe(k.ID, p.ID)
	}
	before := emu.Subscriptions()

	for _, tc := range []struct {
		name, productID, keyID, body string
		status                       int
		code                         string
	}{
		{"unknown product", "nosuchprod", k.ID, `{"status":"ACCEPTED"}`, http.StatusNotFound, "300"},
		{"another publisher's product", foreign.ID, k.ID, `{"status":"ACCEPTED"}`, http.StatusForbidden, "230"},
		{"a public product", public.ID, k.ID, `{"status":"REJECTED"}`, http.StatusBadRequest, "100"},
		{"unknown key", protected.ID, "nosuchkey0", `{"status":"ACCEPTED"}`, http.StatusNotFound, "300"},
		{"a key that did not subscribe", protected.ID, unsubscribed.ID, `{"status":"ACCEPTED"}`, http.StatusNotFound, "300"},
		{"a status PATCH does not take", protected.ID, k.ID, `{"status":"DENY"}`, http.StatusBadRequest, "100"},
		{"no status", protected.ID, k.ID, `{}`, http.StatusBadRequest, "100"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c.expectError(tc.status, tc.code, "PATCH", "/api/v1/products/"+tc.productID+"/api-keys/"+tc.keyID, tc.body)
		})
	}
	if after := emu.Subscriptions(); !reflect.DeepEqual(after, before) {
		t.Fatalf("refused approvals changed the subscriptions: %+v, was %+v", after, before)
	}
}

// TestViewProduct: the publisher reads its product in NCP's shape, with
// its subscription code; another tenant's product is refused, an unknown
// one is NCP's 404.
func TestViewProduct(t *testing.T) {
	emu, c := newAPI(t, Config{})
	public := putProduct(t, emu, SubscriptionPublic)
	protected := putProduct(t, emu, SubscriptionProtected)
	foreign, _ := emu.PutProduct(Product{Name: "maps", PublisherID: "0123456789abcdef0123456789abcdef"})
	for _, p := range []Product{public, protected} {
		answer := decode[struct {
			Product map[string]json.RawMessage `json:"product"`
		}](t, c.expect(http.StatusOK, "GET", "/api/v1/products/"+p.ID, ""))
		if got, want := string(answer.Product["subscriptionCode"]), `"`+p.SubscriptionCode+`"`; got != want {
			t.Errorf("product %s: subscriptionCode %s, want %s", p.ID, got, want)
		}
		if got := string(answer.Product["productId"]); got != `"`+p.ID+`"` {
			t.Errorf("product %s: productId %s", p.ID, got)
		}
	}
	c.expectError(http.StatusForbidden, "230", "GET", "/api/v1/products/"+foreign.ID, "")
	c.expectError(http.StatusNotFound, "300", "GET", "/api/v1/products/nosuchprod", "")
}

func TestSubscriptionSwitchesOfApproval(t *testing.T) {
	t.Run("LenientApproval", func(t *testing.T) {
		emu, c := newAPI(t, Config{SubscriptionSwitches: SubscriptionSwitches{LenientApproval: true}})
		k := c.create("web", "")
		public, protected := putProduct(t, emu, SubscriptionPublic), putProduct(t, emu, SubscriptionProtected)
		c.subscribe(k.ID, public.ID)
		c.approval(public.ID, k.ID, "REJECTED")
		c.approval(protected.ID, k.ID, "ACCEPTED")
		if subs := emu.Subscriptions(); len(subs) != 1 || subs[0].Status != StatusAccepted {
			t.Fatalf("subscriptions %+v: lenient approvals must change nothing", subs)
		}
	})
	t.Run("RefuseReapproval", func(t *testing.T) {
		emu, c := newAPI(t, Config{SubscriptionSwitches: SubscriptionSwitches{RefuseReapproval: true}})
		k := c.create("web", "")
		p := putProduct(t, emu, SubscriptionProtected)
		c.subscribe(k.ID, p.ID)
		c.approval(p.ID, k.ID, "REJECTED")
		c.expectError(http.StatusBadRequest, "100", "PATCH", "/api/v1/products/"+p.ID+"/api-keys/"+k.ID, `{"status":"ACCEPTED"}`)
		c.approval(p.ID, k.ID, "REJECTED")
	})
	t.Run("DropRejected", func(t *testing.T) {
		emu, c := newAPI(t, Config{SubscriptionSwitches: SubscriptionSwitches{DropRejected: true}})
		k := c.create("web", "")
		p := putProduct(t, emu, SubscriptionProtected)
		c.subscribe(k.ID, p.ID)
		c.approval(p.ID, k.ID, "REJECTED")
		if got := c.keyProducts(k.ID, ""); got.Total != 0 {
			t.Fatalf("a rejected subscription is still listed: %+v", got)
		}
		c.subscribe(k.ID, p.ID) // the key may ask again
		if got := c.statuses(k.ID)[p.ID]; got != "REQUEST" {
			t.Fatalf("after asking again: %q", got)
		}
	})
}

func TestProductKeysSearch(t *testing.T) {
	emu, c := newAPI(t, Config{SubscriptionSwitches: SubscriptionSwitches{MaxSubscriptionPageSize: 2}})
	p := putProduct(t, emu, SubscriptionProtected)
	var keys []wireKey
	for _, name := range []string{"a", "b", "c"} {
		k := c.create(name, "")
		c.subscribe(k.ID, p.ID)
		keys = append(keys, k)
	}
	c.approval(p.ID, keys[1].ID, "ACCEPTED")
	uri := "/api/v1/products/" + p.ID + "/api-keys/search"
	type row struct {
		APIKeyID, APIKeyName, PrimaryKey, SecondaryKey, Status string
	}
	type page struct {
		Page struct {
			Content []row `json:"content"`
			Total   int   `json:"total"`
		} `json:"apiKeyPage"`
	}
	search := func(body string) page {
		t.Helper()
		return decode[page](t, c.expect(http.StatusOK, "POST", uri, body))
	}

	all := search(`{"limit":100}`)
	if all.Page.Total != 3 || len(all.Page.Content) != 2 || all.Page.Content[0].APIKeyID != keys[0].ID {
		t.Fatalf("all, capped at 2: %+v", all)
	}
	// NCP's page documents both key values in the answer: a trap for a
	// client that logs or stores it.
	if r := all.Page.Content[0]; r.PrimaryKey != keys[0].PrimaryKey || r.SecondaryKey != keys[0].SecondaryKey || r.Status != "REQUEST" {
		t.Fatalf("first row %+v lacks the key's values or status", r.APIKeyID)
	}
	for _, tc := range []struct {
		body string
		want []string
	}{
		{fmt.Sprintf(`{"apiKeyId":%q}`, keys[2].ID), []string{keys[2].ID}},
		{fmt.Sprintf(`{"apiKeyValue":%q}`, keys[1].SecondaryKey), []string{keys[1].ID}},
		{`{"statusSet":["ACCEPTED"]}`, []string{keys[1].ID}},
		{`{"statusSet":["REQUEST","REJECTED"],"offset":1}`, []string{keys[2].ID}},
	} {
		var got []string
		for _, r := range search(tc.body).Page.Content {
			got = append(got, r.APIKeyID)
		}
		if !slices.Equal(got, tc.want) {
			t.Errorf("%s: %v, want %v", tc.body, got, tc.want)
		}
	}
	foreign, _ := emu.PutProduct(Product{Name: "maps", PublisherID: "0123456789abcdef0123456789abcdef"})
	c.expectError(http.StatusForbidden, "230", "POST", "/api/v1/products/"+foreign.ID+"/api-keys/search", `{}`)
	c.expectError(http.StatusNotFound, "300", "POST", "/api/v1/products/nosuchprod/api-keys/search", `{}`)
	c.expectError(http.StatusBadRequest, "100", "POST", uri, `{"limit":0}`)
	c.expectError(http.StatusBadRequest, "100", "POST", uri, ``)
}

func TestSubscriptionRoutes(t *testing.T) {
	emu, c := newAPI(t, Config{})
	k := c.create("web", "")
	p := putProduct(t, emu, SubscriptionProtected)
	emu.ResetStats()
	for _, tc := range []struct {
		method, uri string
		status      int
		allow       string
	}{
		{"GET", "/api/v1/api-keys/" + k.ID + "/subscribe", http.StatusMethodNotAllowed, "POST"},
		{"DELETE", "/api/v1/api-keys/" + k.ID + "/unsubscribe", http.StatusMethodNotAllowed, "POST"},
		{"POST", "/api/v1/api-keys/" + k.ID + "/products", http.StatusMethodNotAllowed, "GET"},
		{"PUT", "/api/v1/api-keys/" + k.ID + "/subscription-detail", http.StatusMethodNotAllowed, "GET, POST"},
		{"GET", "/api/v1/products/" + p.ID + "/api-keys/" + k.ID, http.StatusMethodNotAllowed, "PATCH"},
		{"GET", "/api/v1/products/" + p.ID + "/api-keys/search", http.StatusMethodNotAllowed, "POST, PATCH"},
		{"GET", "/api/v1/api-keys/" + k.ID + "/usage", http.StatusNotFound, ""},
		{"DELETE", "/api/v1/products/" + p.ID, http.StatusMethodNotAllowed, "GET"},
		{"GET", "/api/v1/products/" + p.ID + "/apis", http.StatusNotFound, ""},
		{"GET", "/api/v1/api-keys/" + k.ID + "/products/extra", http.StatusNotFound, ""},
		{"GET", "/api/v1/api-keys//products", http.StatusNotFound, ""},
	} {
		status, _, header := c.do(tc.method, tc.uri, "")
		if status != tc.status || header.Get("Allow") != tc.allow {
			t.Errorf("%s %s: %d (Allow %q), want %d (Allow %q)", tc.method, tc.uri, status, header.Get("Allow"), tc.status, tc.allow)
		}
	}
	if got := emu.Stats().Requests; len(got) != 0 {
		t.Fatalf("requests without a route were counted: %v", got)
	}

	c.subscribe(k.ID, p.ID)
	c.keyProducts(k.ID, "")
	c.expect(http.StatusOK, "GET", "/api/v1/api-keys/"+k.ID+"/subscription-detail?productId="+p.ID, "")
	c.expect(http.StatusOK, "POST", "/api/v1/api-keys/"+k.ID+"/subscription-detail?productId="+p.ID, "")
	c.approval(p.ID, k.ID, "ACCEPTED")
	c.expect(http.StatusOK, "POST", "/api/v1/products/"+p.ID+"/api-keys/search", `{}`)
	c.expect(http.StatusOK, "POST", "/api/v1/api-keys/"+k.ID+"/unsubscribe", fmt.Sprintf(`{"productId":%q}`, p.ID))
	c.expect(http.StatusOK, "GET", "/api/v1/products/"+p.ID, "")
	want := map[Route]int{RouteSubscribe: 1, RouteKeyProducts: 1, RouteSubscriptionDetail: 2, RouteApproval: 1, RouteProductKeys: 1, RouteUnsubscribe: 1, RouteProduct: 1}
	if got := emu.Stats().Requests; !reflect.DeepEqual(got, want) {
		t.Fatalf("requests %v, want %v", got, want)
	}
}

// TestFaultsOnSubscriptionRoutes: a fault that refuses a subscribe commits
// nothing; one that loses its answer commits it, which only a read of the
// key's products tells.
func TestFaultsOnSubscriptionRoutes(t *testing.T) {
	emu, c := newAPI(t, Config{})
	k := c.create("web", "")
	p := putProduct(t, emu, SubscriptionPublic)
	body := fmt.Sprintf(`{"productId":%q}`, p.ID)

	emu.SetFaults(Faults{Faults: []Fault{{Route: RouteSubscribe, Kind: FaultError, Status: 503, Count: 1}}})
	c.expectError(http.StatusServiceUnavailable, "500", "POST", "/api/v1/api-keys/"+k.ID+"/subscribe", body)
	if len(emu.Subscriptions()) != 0 {
		t.Fatal("a refused subscribe was committed")
	}

	emu.SetFaults(Faults{Faults: []Fault{{Route: RouteSubscribe, Kind: FaultDrop, Count: 1}}})
	resp, err := c.hc.Do(c.newRequest(context.Background(), "POST", "/api/v1/api-keys/"+k.ID+"/subscribe", body))
	if err == nil {
		resp.Body.Close()
		t.Fatalf("a dropped subscribe was answered %d", resp.StatusCode)
	}
	if got := c.statuses(k.ID)[p.ID]; got != "ACCEPTED" {
		t.Fatalf("after a dropped answer the product's status is %q, want the subscription committed", got)
	}

	emu.SetFaults(Faults{Faults: []Fault{{Route: RouteKeyProducts, Kind: FaultHTML, Status: 502}}})
	if status, data, _ := c.do("GET", "/api/v1/api-keys/"+k.ID+"/products", ""); status != http.StatusBadGateway || !strings.Contains(string(data), "<html>") {
		t.Fatalf("products under a proxy fault: %d %s", status, data)
	}
	if got := emu.Stats().Faults; got[FaultError] != 1 || got[FaultDrop] != 1 || got[FaultHTML] != 1 {
		t.Fatalf("faults %v", got)
	}
}

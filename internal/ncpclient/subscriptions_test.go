package ncpclient

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/ncp-community/terraform-provider-ncp/internal/emulator"
)

// subscriptionEnv is a test env with a key and products of the emulator's
// own tenant, one PUBLIC and one PROTECTED, each with one API of two stages.
type subscriptionEnv struct {
	*testEnv
	key                 emulator.Key
	public, protected   emulator.Product
	publicID, protectID string
}

func newSubscriptionEnv(t *testing.T, ecfg emulator.Config, adjust func(*Config)) subscriptionEnv {
	t.Helper()
	env := subscriptionEnv{testEnv: newEnv(t, ecfg, adjust)}
	env.key = env.emu.PutKey("web", "")
	env.public = env.product(t, emulator.SubscriptionPublic)
	env.protected = env.product(t, emulator.SubscriptionProtected)
	env.publicID, env.protectID = env.public.ID, env.protected.ID
	return env
}

func (env subscriptionEnv) product(t *testing.T, code string) emulator.Product {
	t.Helper()
	p, err := env.emu.PutProduct(emulator.Product{Name: "weather", SubscriptionCode: code, APIs: []emulator.ProductAPI{
		{Name: "forecast", Stages: []emulator.Stage{{Name: "v1", UsagePlanID: "plan000001", UsagePlanName: "basic"}, {Name: "v2"}}},
	}})
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// requests are the emulator's request counts of the subscription routes.
func (env subscriptionEnv) requests() string {
	r := env.emu.Stats().Requests
	return fmt.Sprintf("subscribe %d, unsubscribe %d, products %d, detail %d, approval %d, search %d",
		r[emulator.RouteSubscribe], r[emulator.RouteUnsubscribe], r[emulator.RouteKeyProducts],
		r[emulator.RouteSubscriptionDetail], r[emulator.RouteApproval], r[emulator.RouteProductKeys])
}

func (env subscriptionEnv) wantRequests(t *testing.T, want string) {
	t.Helper()
	if got := env.requests(); got != want {
		t.Errorf("requests: %s; want %s", got, want)
	}
}

func TestSubscriptionRoundTrip(t *testing.T) {
	env := newSubscriptionEnv(t, emulator.Config{}, nil)
	ctx := context.Background()

	if err := env.c.Subscribe(ctx, env.key.ID, env.protectID); err != nil {
		t.Fatalf("subscribe: %v", err)
	}
	reqs := env.recordedRequests()
	if r := reqs[len(reqs)-1]; r.String() != "POST /api/v1/api-keys/"+env.key.ID+"/subscribe" || r.body != `{"productId":"`+env.protectID+`"}` {
		t.Fatalf("subscribe sent %v %s", r, r.body)
	}
	p, err := env.c.KeyProduct(ctx, env.key.ID, env.protectID)
	if err != nil || p == nil || p.Status != SubscriptionRequested || p.ProductName != "weather" || p.PublisherID != env.key.TenantID ||
		p.SelfProduct == nil || !*p.SelfProduct || p.RegTime == "" {
		t.Fatalf("the product after subscribing: %+v, %v", p, err)
	}
	if stages, err := env.c.SubscribedStages(ctx, env.key.ID, env.protectID); err != nil || len(stages) != 0 {
		t.Fatalf("stages awaiting approval: %+v, %v; want none", stages, err)
	}

	if err := env.c.SetSubscriptionStatus(ctx, env.protectID, env.key.ID, SubscriptionAccepted); err != nil {
		t.Fatalf("approve: %v", err)
	}
	status, found, err := env.c.SubscriberStatus(ctx, env.protectID, env.key.ID)
	if err != nil || !found || status != SubscriptionAccepted {
		t.Fatalf("the publisher's view: %q %v %v", status, found, err)
	}
	stages, err := env.c.SubscribedStages(ctx, env.key.ID, env.protectID)
	api := env.protected.APIs[0]
	want := []SubscribedStage{
		{APIID: api.ID, APIName: "forecast", StageID: api.Stages[0].ID, StageName: "v1", UsagePlanID: "plan000001", UsagePlanName: "basic"},
		{APIID: api.ID, APIName: "forecast", StageID: api.Stages[1].ID, StageName: "v2"},
	}
	if err != nil || fmt.Sprint(stages) != fmt.Sprint(want) {
		t.Fatalf("stages: %+v, %v; want %+v", stages, err, want)
	}

	if err := env.c.Unsubscribe(ctx, env.key.ID, env.protectID); err != nil {
		t.Fatalf("unsubscribe: %v", err)
	}
	if p, err := env.c.KeyProduct(ctx, env.key.ID, env.protectID); err != nil || p != nil {
		t.Fatalf("after unsubscribing: %+v, %v", p, err)
	}
	if _, found, err := env.c.SubscriberStatus(ctx, env.protectID, env.key.ID); err != nil || found {
		t.Fatalf("the publisher still sees the key: %v %v", found, err)
	}
	// The unsubscribe is confirmed by one read of the key's products.
	env.wantRequests(t, "subscribe 1, unsubscribe 1, products 3, detail 2, approval 1, search 2")
}

// TestSubscriptionWritesAcceptEveryEmptyAnswer: NCP documents no answer;
// none is read, and an unsubscribe is confirmed by one read of the key's
// products.
func TestSubscriptionWritesAcceptEveryEmptyAnswer(t *testing.T) {
	for _, answer := range []emulator.DeleteAnswer{emulator.DeleteEmptyBody, emulator.DeleteNoContent, emulator.DeleteEmptyObject} {
		t.Run(string(answer), func(t *testing.T) {
			env := newSubscriptionEnv(t, emulator.Config{SubscriptionSwitches: emulator.SubscriptionSwitches{SubscriptionAnswer: answer}}, nil)
			ctx := context.Background()
			if err := env.c.Subscribe(ctx, env.key.ID, env.protectID); err != nil {
				t.Fatal(err)
			}
			if err := env.c.SetSubscriptionStatus(ctx, env.protectID, env.key.ID, SubscriptionRejected); err != nil {
				t.Fatal(err)
			}
			if err := env.c.Unsubscribe(ctx, env.key.ID, env.protectID); err != nil {
				t.Fatal(err)
			}
			env.wantRequests(t, "subscribe 1, unsubscribe 1, products 1, detail 0, approval 1, search 0")
		})
	}
}

// TestLostSubscribeIsCheckedBeforeItIsRepeated: whether an attempt whose
// outcome is unknown took effect or not, exactly one subscription is left,
// and the subscribe is repeated only when a read showed none.
func TestLostSubscribeIsCheckedBeforeItIsRepeated(t *testing.T) {
	for _, tc := range []struct {
		name  string
		fault emulator.Fault
		want  string
	}{
		{"dropped after commit", emulator.Fault{Kind: emulator.FaultDrop}, "subscribe 1, unsubscribe 0, products 1"},
		{"late after commit", emulator.Fault{Kind: emulator.FaultLate}, "subscribe 1, unsubscribe 0, products 1"},
		{"garbled after commit", emulator.Fault{Kind: emulator.FaultReplace, ContentType: "text/html", Body: "<html>OK</html>"}, "subscribe 1, unsubscribe 0, products 1"},
		{"gateway error before commit", emulator.Fault{Kind: emulator.FaultError, Status: http.StatusBadGateway}, "subscribe 2, unsubscribe 0, products 1"},
		{"reset before commit", emulator.Fault{Kind: emulator.FaultReset}, "subscribe 2, unsubscribe 0, products 1"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			env := newSubscriptionEnv(t, emulator.Config{}, func(cfg *Config) { cfg.RequestTimeout = 300 * time.Millisecond })
			tc.fault.Route, tc.fault.Count = emulator.RouteSubscribe, 1
			env.inject(tc.fault)
			if err := env.c.Subscribe(context.Background(), env.key.ID, env.publicID); err != nil {
				t.Fatalf("subscribe: %v", err)
			}
			if subs := env.emu.Subscriptions(); len(subs) != 1 {
				t.Fatalf("%d subscriptions, want 1", len(subs))
			}
			if got := env.requests(); !strings.HasPrefix(got, tc.want) {
				t.Errorf("requests: %s; want %s", got, tc.want)
			}
		})
	}
}

// TestLostSubscribeUnderLag: the check of a lost subscribe does not see it
// yet, so it is repeated; NCP refuses the repeat, and a second look finds
// the subscription the lost attempt made.
func TestLostSubscribeUnderLag(t *testing.T) {
	env := newSubscriptionEnv(t, emulator.Config{SubscriptionSwitches: emulator.SubscriptionSwitches{SubscriptionLag: 1}}, nil)
	env.inject(emulator.Fault{Route: emulator.RouteSubscribe, Kind: emulator.FaultDrop, Count: 1})
	if err := env.c.Subscribe(context.Background(), env.key.ID, env.publicID); err != nil {
		t.Fatalf("subscribe: %v", err)
	}
	if subs := env.emu.Subscriptions(); len(subs) != 1 {
		t.Fatalf("%d subscriptions, want 1", len(subs))
	}
	env.wantRequests(t, "subscribe 2, unsubscribe 0, products 2, detail 0, approval 0, search 0")
}

func TestSubscribeTwiceIsAlreadySubscribed(t *testing.T) {
	env := newSubscriptionEnv(t, emulator.Config{}, nil)
	ctx := context.Background()
	env.emu.Subscribe(env.key.ID, env.protectID) // by someone else
	err := env.c.Subscribe(ctx, env.key.ID, env.protectID)
	var already *AlreadySubscribedError
	if !errors.As(err, &already) || already.Status != SubscriptionRequested || already.APIKeyID != env.key.ID || !strings.Contains(err.Error(), "HTTP 400") {
		t.Fatalf("subscribing a subscribed key: %v", err)
	}
	env.wantRequests(t, "subscribe 1, unsubscribe 0, products 1, detail 0, approval 0, search 0")

	idempotent := newSubscriptionEnv(t, emulator.Config{SubscriptionSwitches: emulator.SubscriptionSwitches{IdempotentSubscribe: true}}, nil)
	idempotent.emu.Subscribe(idempotent.key.ID, idempotent.publicID)
	if err := idempotent.c.Subscribe(ctx, idempotent.key.ID, idempotent.publicID); err != nil {
		t.Fatalf("where NCP takes a second subscribe: %v", err)
	}
}

func TestSubscribeFailures(t *testing.T) {
	ctx := context.Background()
	t.Run("the check of a lost answer fails", func(t *testing.T) {
		env := newSubscriptionEnv(t, emulator.Config{}, func(cfg *Config) { cfg.MaxRetries = 1 })
		env.inject(
			emulator.Fault{Route: emulator.RouteSubscribe, Kind: emulator.FaultDrop, Count: 1},
			emulator.Fault{Route: emulator.RouteKeyProducts, Kind: emulator.FaultError, Status: http.StatusInternalServerError},
		)
		err := env.c.Subscribe(ctx, env.key.ID, env.publicID)
		var ambiguous *AmbiguousSubscribeError
		if !errors.As(err, &ambiguous) || !strings.Contains(err.Error(), "ncp_apigw_api_key_products") || !strings.Contains(err.Error(), "HTTP 500") {
			t.Fatalf("error %v, want an *AmbiguousSubscribeError naming the data source and the failure", err)
		}
		env.wantRequests(t, "subscribe 1, unsubscribe 0, products 2, detail 0, approval 0, search 0") // the 500 retried once
	})
	t.Run("unknown product", func(t *testing.T) {
		env := newSubscriptionEnv(t, emulator.Config{}, nil)
		err := env.c.Subscribe(ctx, env.key.ID, "nosuchprod")
		var already *AlreadySubscribedError
		if !IsNotFound(err) || errors.As(err, &already) {
			t.Fatalf("error %v, want NCP's 404", err)
		}
		env.wantRequests(t, "subscribe 1, unsubscribe 0, products 0, detail 0, approval 0, search 0")
	})
	t.Run("unpublished product", func(t *testing.T) {
		env := newSubscriptionEnv(t, emulator.Config{}, nil)
		draft, _ := env.emu.PutProduct(emulator.Product{Name: "draft", Unpublished: true})
		err := env.c.Subscribe(ctx, env.key.ID, draft.ID)
		if !hasStatus(err, http.StatusBadRequest) || !strings.Contains(err.Error(), "not published") {
			t.Fatalf("error %v, want NCP's refusal", err)
		}
		env.wantRequests(t, "subscribe 1, unsubscribe 0, products 1, detail 0, approval 0, search 0")
	})
	t.Run("empty IDs", func(t *testing.T) {
		env := newSubscriptionEnv(t, emulator.Config{}, nil)
		for _, err := range []error{
			env.c.Subscribe(ctx, "", env.publicID), env.c.Subscribe(ctx, env.key.ID, ""),
			env.c.Unsubscribe(ctx, "", env.publicID), env.c.SetSubscriptionStatus(ctx, "", env.key.ID, SubscriptionAccepted),
			env.c.SetSubscriptionStatus(ctx, env.protectID, env.key.ID, SubscriptionDenied),
		} {
			if err == nil {
				t.Error("accepted")
			}
		}
		if len(env.recordedRequests()) != 0 {
			t.Fatal("requests were sent")
		}
	})
}

func TestUnsubscribeOfWhatIsGone(t *testing.T) {
	ctx := context.Background()
	for _, tc := range []struct {
		name     string
		switches emulator.SubscriptionSwitches
		want     string
	}{
		{"404 envelope", emulator.SubscriptionSwitches{}, "subscribe 0, unsubscribe 1, products 0"},
		{"400 not subscribed", emulator.SubscriptionSwitches{NotSubscribedStatus: http.StatusBadRequest}, "subscribe 0, unsubscribe 1, products 1"},
		// A success is confirmed by a read.
		{"idempotent", emulator.SubscriptionSwitches{NotSubscribedStatus: http.StatusOK}, "subscribe 0, unsubscribe 1, products 1"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			env := newSubscriptionEnv(t, emulator.Config{SubscriptionSwitches: tc.switches}, nil)
			if err := env.c.Unsubscribe(ctx, env.key.ID, env.publicID); err != nil {
				t.Fatalf("unsubscribing a key not subscribed: %v", err)
			}
			if got := env.requests(); !strings.HasPrefix(got, tc.want) {
				t.Errorf("requests: %s; want %s", got, tc.want)
			}
		})
	}
	t.Run("key gone", func(t *testing.T) {
		env := newSubscriptionEnv(t, emulator.Config{NotFoundStatus: http.StatusBadRequest}, nil)
		env.emu.DeleteKey(env.key.ID)
		if err := env.c.Unsubscribe(ctx, env.key.ID, env.publicID); err != nil {
			t.Fatal(err)
		}
	})
	t.Run("lost answer", func(t *testing.T) {
		env := newSubscriptionEnv(t, emulator.Config{}, nil)
		env.emu.Subscribe(env.key.ID, env.publicID)
		env.inject(emulator.Fault{Route: emulator.RouteUnsubscribe, Kind: emulator.FaultDrop, Count: 1})
		if err := env.c.Unsubscribe(ctx, env.key.ID, env.publicID); err != nil || len(env.emu.Subscriptions()) != 0 {
			t.Fatalf("%v; %d subscriptions left", err, len(env.emu.Subscriptions()))
		}
		env.wantRequests(t, "subscribe 0, unsubscribe 2, products 0, detail 0, approval 0, search 0")
	})
}

func TestUnsubscribeFailures(t *testing.T) {
	ctx := context.Background()
	t.Run("refused while pending", func(t *testing.T) {
		env := newSubscriptionEnv(t, emulator.Config{SubscriptionSwitches: emulator.SubscriptionSwitches{RefuseUnsubscribePending: true}}, nil)
		env.emu.Subscribe(env.key.ID, env.protectID)
		if err := env.c.Unsubscribe(ctx, env.key.ID, env.protectID); !hasStatus(err, http.StatusBadRequest) {
			t.Fatalf("error %v, want NCP's refusal", err)
		}
		env.wantRequests(t, "subscribe 0, unsubscribe 1, products 1, detail 0, approval 0, search 0")
	})
	t.Run("a 404 page that is not NCP's", func(t *testing.T) {
		env := newSubscriptionEnv(t, emulator.Config{}, nil)
		env.emu.Subscribe(env.key.ID, env.publicID)
		env.inject(emulator.Fault{Route: emulator.RouteUnsubscribe, Kind: emulator.FaultHTML, Status: http.StatusNotFound})
		err := env.c.Unsubscribe(ctx, env.key.ID, env.publicID)
		if err == nil || IsNotFound(err) || !strings.Contains(err.Error(), "did not come from NCP") {
			t.Fatalf("error %v, want one saying the answer was not NCP's", err)
		}
		if len(env.emu.Subscriptions()) != 1 {
			t.Fatal("the subscription is gone")
		}
	})
}

// TestKeyProductsReadsEveryPage: the emulator caps pages at 20 whatever the
// client asks; the client reads on by what it got, and stops as soon as it
// has found the product it looks for.
func TestKeyProductsReadsEveryPage(t *testing.T) {
	env := newSubscriptionEnv(t, emulator.Config{}, nil)
	ctx := context.Background()
	var ids []string
	for range 45 {
		p := env.product(t, emulator.SubscriptionPublic)
		env.emu.Subscribe(env.key.ID, p.ID)
		ids = append(ids, p.ID)
	}
	products, err := env.c.KeyProducts(ctx, env.key.ID)
	if err != nil || len(products) != 45 || products[44].ProductID != ids[44] {
		t.Fatalf("%d products, %v", len(products), err)
	}
	if got := env.count(emulator.RouteKeyProducts); got != 3 {
		t.Fatalf("%d requests for 45 products in pages of 20, want 3", got)
	}
	for _, tc := range []struct {
		productID string
		requests  int
	}{{ids[4], 1}, {ids[24], 2}, {"nosuchprod", 3}} {
		env.emu.ResetStats()
		p, err := env.c.KeyProduct(ctx, env.key.ID, tc.productID)
		if err != nil || (p == nil) != (tc.productID == "nosuchprod") || env.count(emulator.RouteKeyProducts) != tc.requests {
			t.Errorf("KeyProduct %s: %+v, %v after %d requests, want %d", tc.productID, p, err, env.count(emulator.RouteKeyProducts), tc.requests)
		}
	}
	reqs := env.recordedRequests()
	if uri := reqs[len(reqs)-1].requestURI; !strings.HasSuffix(uri, "/products?limit=1000&offset=40") {
		t.Errorf("the last page was asked as %s", uri)
	}
}

// TestListsThatAreNotPages: an answer without the list and its total is
// not taken for an empty page, which would make a subscription look gone.
func TestListsThatAreNotPages(t *testing.T) {
	env := newSubscriptionEnv(t, emulator.Config{}, func(cfg *Config) { cfg.MaxRetries = -1 })
	ctx := context.Background()
	env.emu.Subscribe(env.key.ID, env.protectID)
	for _, body := range []string{`{}`, `null`, `{"content":[]}`, `{"apiKeyRelateProductDtos":[{"status":"ACCEPTED"}],"total":1}`} {
		env.inject(emulator.Fault{Kind: emulator.FaultReplace, ContentType: "application/json", Body: body})
		if p, err := env.c.KeyProduct(ctx, env.key.ID, env.protectID); err == nil {
			t.Errorf("products answered %s: %+v, want an error", body, p)
		}
		if s, err := env.c.SubscribedStages(ctx, env.key.ID, env.protectID); err == nil {
			t.Errorf("detail answered %s: %+v, want an error", body, s)
		}
		if _, found, err := env.c.SubscriberStatus(ctx, env.protectID, env.key.ID); err == nil {
			t.Errorf("search answered %s: found %v, want an error", body, found)
		}
	}
}

// TestSubscriberStatusDecodesNoKeyValue: the publisher's search answers the
// subscribers' key values; they reach neither the result nor the log.
func TestSubscriberStatusDecodesNoKeyValue(t *testing.T) {
	rec := &logRecorder{}
	env := newSubscriptionEnv(t, emulator.Config{}, func(cfg *Config) { cfg.Logger = rec.log })
	ctx := context.Background()
	other := env.emu.PutKey("other", "")
	env.emu.Subscribe(env.key.ID, env.protectID)
	env.emu.Subscribe(other.ID, env.protectID)
	env.emu.SetSubscriptionStatus(other.ID, env.protectID, emulator.StatusRejected)

	for _, tc := range []struct {
		keyID, want string
	}{{env.key.ID, SubscriptionRequested}, {other.ID, SubscriptionRejected}} {
		status, found, err := env.c.SubscriberStatus(ctx, env.protectID, tc.keyID)
		if err != nil || !found || status != tc.want {
			t.Errorf("%s: %q %v %v; want %s", tc.keyID, status, found, err, tc.want)
		}
	}
	reqs := env.recordedRequests()
	if r := reqs[len(reqs)-1]; r.String() != "POST /api/v1/products/"+env.protectID+"/api-keys/search" || r.body != `{"apiKeyId":"`+other.ID+`","offset":0,"limit":1000}` {
		t.Errorf("search sent %v %s", r, r.body)
	}
	logged := rec.all()
	if !strings.Contains(logged, `"primaryKey":"***"`) {
		t.Fatal("the log does not show the search's answer: nothing was checked")
	}
	for _, k := range []emulator.Key{env.key, other} {
		if strings.Contains(logged, k.PrimaryKey) || strings.Contains(logged, k.SecondaryKey) {
			t.Errorf("the log holds a key value of %s", k.ID)
		}
	}
}

func TestSetSubscriptionStatus(t *testing.T) {
	ctx := context.Background()
	env := newSubscriptionEnv(t, emulator.Config{}, nil)
	env.emu.Subscribe(env.key.ID, env.protectID)
	env.inject(emulator.Fault{Route: emulator.RouteApproval, Kind: emulator.FaultDrop, Count: 1})
	if err := env.c.SetSubscriptionStatus(ctx, env.protectID, env.key.ID, SubscriptionAccepted); err != nil {
		t.Fatalf("a decision whose answer was lost: %v", err)
	}
	if s, _ := env.emu.Subscription(env.key.ID, env.protectID); s.Status != emulator.StatusAccepted {
		t.Fatalf("status %s", s.Status)
	}
	env.wantRequests(t, "subscribe 0, unsubscribe 0, products 0, detail 0, approval 2, search 0")
	reqs := env.recordedRequests()
	if r := reqs[len(reqs)-1]; r.String() != "PATCH /api/v1/products/"+env.protectID+"/api-keys/"+env.key.ID || r.body != `{"status":"ACCEPTED"}` {
		t.Errorf("approval sent %v %s", r, r.body)
	}

	for _, tc := range []struct {
		productID, keyID string
		notFound         bool
	}{
		{env.publicID, env.key.ID, false}, // nothing to approve
		{env.protectID, env.emu.PutKey("idle", "").ID, true},
		{"nosuchprod", env.key.ID, true},
	} {
		err := env.c.SetSubscriptionStatus(ctx, tc.productID, tc.keyID, SubscriptionRejected)
		if err == nil || IsNotFound(err) != tc.notFound {
			t.Errorf("%s/%s: %v, want an error (not found: %v)", tc.productID, tc.keyID, err, tc.notFound)
		}
	}
}

// TestRevokeApproval: a revocation sets an accepted subscription REJECTED;
// on a PUBLIC product, which NCP refuses to decide on, it is done once NCP's
// own product says PUBLIC, and only then: a refusal on a PROTECTED product,
// a product read that fails, and an answer that is not NCP's stand.
func TestRevokeApproval(t *testing.T) {
	ctx := context.Background()
	products := func(env subscriptionEnv) int { return env.count(emulator.RouteProduct) }

	env := newSubscriptionEnv(t, emulator.Config{}, nil)
	env.emu.Subscribe(env.key.ID, env.protectID)
	env.emu.SetSubscriptionStatus(env.key.ID, env.protectID, emulator.StatusAccepted)
	if err := env.c.RevokeApproval(ctx, env.protectID, env.key.ID); err != nil {
		t.Fatalf("revoking an approval: %v", err)
	}
	if s, _ := env.emu.Subscription(env.key.ID, env.protectID); s.Status != emulator.StatusRejected || products(env) != 0 {
		t.Fatalf("status %s after %d product reads, want REJECTED after none", s.Status, products(env))
	}

	env.emu.Subscribe(env.key.ID, env.publicID)
	if err := env.c.RevokeApproval(ctx, env.publicID, env.key.ID); err != nil {
		t.Fatalf("revoking on a PUBLIC product: %v, want nothing to revoke", err)
	}
	if s, _ := env.emu.Subscription(env.key.ID, env.publicID); s.Status != emulator.StatusAccepted || products(env) != 1 {
		t.Fatalf("status %s after %d product reads, want ACCEPTED untouched after 1", s.Status, products(env))
	}

	for _, tc := range []struct {
		name      string
		productID string
		faults    []emulator.Fault
	}{
		{"a refusal on a PROTECTED product", env.protectID, []emulator.Fault{{Route: emulator.RouteApproval, Kind: emulator.FaultError, Status: http.StatusBadRequest, Count: 1}}},
		{"the product read fails", env.publicID, []emulator.Fault{{Route: emulator.RouteProduct, Kind: emulator.FaultError, Status: http.StatusForbidden, Count: 1}}},
		{"a proxy's 400 page", env.publicID, []emulator.Fault{{Route: emulator.RouteApproval, Kind: emulator.FaultHTML, Status: http.StatusBadRequest, Count: 1}}},
		{"a product answer without the product", env.publicID, []emulator.Fault{{Route: emulator.RouteProduct, Kind: emulator.FaultReplace, ContentType: "application/json", Body: `{"subscriptionCode":"PUBLIC"}`}}}, // on every retry
	} {
		t.Run(tc.name, func(t *testing.T) {
			env.inject(tc.faults...)
			if err := env.c.RevokeApproval(ctx, tc.productID, env.key.ID); err == nil {
				t.Fatal("the revocation succeeded without proof that there is nothing to revoke")
			}
		})
	}
}

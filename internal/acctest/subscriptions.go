package acctest

import (
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	tfjson "github.com/hashicorp/terraform-json"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/ncp-community/terraform-provider-ncp/internal/emulator"
)

// SeedProduct puts a product of the emulator's own tenant, of subscription
// code code (PUBLIC or PROTECTED), with one API of two stages, the first
// under a usage plan. It needs the emulator: NCP has no product to spare.
func (e *Env) SeedProduct(t *testing.T, code string) emulator.Product {
	t.Helper()
	e.NeedsEmulator(t)
	p, err := e.Emulator.PutProduct(emulator.Product{
		Name:             "acc-" + code,
		Description:      "seeded by an acceptance test",
		SubscriptionCode: code,
		APIs: []emulator.ProductAPI{{Name: "weather", Stages: []emulator.Stage{
			{Name: "v1", UsagePlanID: "plan000001", UsagePlanName: "basic"},
			{Name: "v2"},
		}}},
	})
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// DecideWhenRequested plays the product's publisher, who decides on the
// first subscription to productID that awaits approval, out of band, as
// soon as it appears. It stops at the end of the test.
func (e *Env) DecideWhenRequested(t *testing.T, productID string, status emulator.SubscriptionStatus) {
	t.Helper()
	e.NeedsEmulator(t)
	ctx := t.Context() // done before the cleanups run
	var wg sync.WaitGroup
	t.Cleanup(wg.Wait)
	wg.Go(func() {
		for ctx.Err() == nil {
			for _, s := range e.Emulator.Subscriptions() {
				if s.ProductID == productID && s.Status == emulator.StatusRequest {
					e.Emulator.SetSubscriptionStatus(s.APIKeyID, productID, status)
					return
				}
			}
			time.Sleep(5 * time.Millisecond)
		}
	})
}

// ExpectSubscriptionStatuses asserts the emulator's subscriptions: their
// number, and the status of each to the products of want.
func (e *Env) ExpectSubscriptionStatuses(count int, want map[string]emulator.SubscriptionStatus) statecheck.StateCheck {
	return StateCheckFunc(func(*tfjson.State) error {
		subs := e.Emulator.Subscriptions()
		if len(subs) != count {
			return fmt.Errorf("the emulator holds %d subscriptions, want %d: %+v", len(subs), count, subs)
		}
		for _, s := range subs {
			if status, ok := want[s.ProductID]; ok && s.Status != status {
				return fmt.Errorf("the subscription of key %s to product %s is %s, want %s", s.APIKeyID, s.ProductID, s.Status, status)
			}
		}
		return nil
	})
}

// CheckSubscriptionsDestroyed is CheckDestroyed(0) for tests of
// subscriptions: no subscription is left either.
func (e *Env) CheckSubscriptionsDestroyed(s *terraform.State) error {
	return errors.Join(e.CheckDestroyed(0)(s), CheckAPI(e.ExpectSubscriptionStatuses(0, nil))(s))
}

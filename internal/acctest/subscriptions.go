package acctest

import (
	"sync"
	"testing"
	"time"

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

// DecideWhenRequested plays the product's publisher, deciding out of band on
// the first subscription to productID awaiting approval, until the test ends.
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

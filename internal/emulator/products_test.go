package emulator

import (
	"strings"
	"testing"
)

func TestPutProductFillsInDefaults(t *testing.T) {
	emu := New(Config{AccessKey: "AK", SecretKey: "SK", Seed: 1})
	p := putProduct(t, emu, "")
	if !idPattern.MatchString(p.ID) || p.PublisherID != emu.cfg.TenantID || p.SubscriptionCode != SubscriptionPublic || p.RequiresApproval() {
		t.Fatalf("defaults: %+v; want a made-up ID, the emulator's tenant as publisher, PUBLIC", p)
	}
	api := p.APIs[0]
	if !idPattern.MatchString(api.ID) || !idPattern.MatchString(api.Stages[0].ID) || api.Stages[0].ID == api.Stages[1].ID {
		t.Fatalf("API and stage IDs: %+v", api)
	}
	chosen, err := emu.PutProduct(Product{ID: "weather001", Name: "weather", SubscriptionCode: SubscriptionProtected,
		APIs: []ProductAPI{{ID: "api0000001", Name: "forecast", Stages: []Stage{{ID: "stage00001", Name: "v1"}}}}})
	if err != nil || chosen.ID != "weather001" || chosen.APIs[0].Stages[0].ID != "stage00001" || !chosen.RequiresApproval() {
		t.Fatalf("chosen IDs: %+v %v", chosen, err)
	}
	if got, ok := emu.Product("weather001"); !ok || got.Name != "weather" {
		t.Fatalf("Product: %+v %v", got, ok)
	}
	if all := emu.Products(); len(all) != 2 || all[0].ID != p.ID || all[1].ID != "weather001" {
		t.Fatalf("Products: %+v", all)
	}
}

func TestPutProductRefusals(t *testing.T) {
	emu := New(Config{AccessKey: "AK", SecretKey: "SK"})
	if _, err := emu.PutProduct(Product{ID: "taken00001", Name: "first"}); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		product Product
		want    string
	}{
		{Product{ID: "taken00001", Name: "second"}, "already exists"},
		{Product{}, "productName must be 1-100 characters"},
		{Product{Name: strings.Repeat("n", 101)}, "productName must be 1-100 characters"},
		{Product{Name: "n", Description: strings.Repeat("d", 301)}, "productDescription must be 0-300"},
		{Product{Name: "n", SubscriptionCode: "PRIVATE"}, `subscriptionCode "PRIVATE"`},
		{Product{ID: "a/b", Name: "n"}, "cannot be in a path"},
		{Product{Name: "n", APIs: []ProductAPI{{Stages: []Stage{{ID: "v 1"}}}}}, "cannot be in a path"},
	} {
		if _, err := emu.PutProduct(tc.product); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%+v: %v, want an error saying %q", tc.product, err, tc.want)
		}
	}
	if n := len(emu.Products()); n != 1 {
		t.Fatalf("%d products after refusals, want 1", n)
	}
}

// TestProductsAreCopies: neither the caller's product nor a snapshot
// shares its APIs with the emulator.
func TestProductsAreCopies(t *testing.T) {
	emu := New(Config{AccessKey: "AK", SecretKey: "SK"})
	in := Product{Name: "n", APIs: []ProductAPI{{Name: "a", Stages: []Stage{{Name: "v1"}}}}}
	p, err := emu.PutProduct(in)
	if err != nil {
		t.Fatal(err)
	}
	in.APIs[0].Stages[0].Name = "changed by the caller"
	p.APIs[0].Stages[0].Name = "changed in the copy"
	emu.Products()[0].APIs[0].Stages[0].Name = "changed in a snapshot"
	if got, _ := emu.Product(p.ID); got.APIs[0].Stages[0].Name != "v1" || in.APIs[0].Stages[0].ID != "" {
		t.Fatalf("the emulator's product is shared: %+v", got)
	}
}

package provider

import (
	"fmt"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/ncp-community/terraform-provider-ncp/internal/acctest"
	"github.com/ncp-community/terraform-provider-ncp/internal/emulator"
)

// TestAccAPIKeyProductsDataSource lists a key's products, with their
// statuses, and for one product the stages the key may call.
func TestAccAPIKeyProductsDataSource(t *testing.T) {
	env := acctest.NewEnv(t, emulator.Config{})
	public := env.SeedProduct(t, emulator.SubscriptionPublic)
	protected := env.SeedProduct(t, emulator.SubscriptionProtected)
	idle := env.SeedProduct(t, emulator.SubscriptionPublic)
	key := env.Emulator.PutKey("subscriber", "")
	env.Emulator.Subscribe(key.ID, public.ID)
	env.Emulator.Subscribe(key.ID, protected.ID)
	stages := public.APIs[0].Stages
	product := func(p emulator.Product, status string) knownvalue.Check {
		return knownvalue.ObjectPartial(map[string]knownvalue.Check{
			"product_id":          knownvalue.StringExact(p.ID),
			"product_name":        knownvalue.StringExact(p.Name),
			"product_description": knownvalue.StringExact(p.Description),
			"publisher_id":        knownvalue.StringExact(p.PublisherID),
			"status":              knownvalue.StringExact(status),
			"self_product":        knownvalue.Bool(true),
			"reg_time":            knownvalue.NotNull(),
		})
	}
	value := func(name, attr string, check knownvalue.Check) statecheck.StateCheck {
		return statecheck.ExpectKnownValue("data.ncp_apigw_api_key_products."+name, tfjsonpath.New(attr), check)
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: factories(env),
		Steps: []resource.TestStep{{
			PreConfig: env.Emulator.ResetStats,
			Config: env.Config(fmt.Sprintf(`
data "ncp_apigw_api_key_products" "all" {
  api_key_id = %[1]q
}

data "ncp_apigw_api_key_products" "public" {
  api_key_id = %[1]q
  product_id = %[2]q
}

data "ncp_apigw_api_key_products" "pending" {
  api_key_id = %[1]q
  product_id = %[3]q
}

data "ncp_apigw_api_key_products" "idle" {
  api_key_id = %[1]q
  product_id = %[4]q
}
`, key.ID, public.ID, protected.ID, idle.ID)),
			ConfigStateChecks: []statecheck.StateCheck{
				value("all", "products", knownvalue.ListExact([]knownvalue.Check{product(public, "ACCEPTED"), product(protected, "REQUEST")})),
				value("all", "stages", knownvalue.Null()),
				value("public", "products", knownvalue.ListExact([]knownvalue.Check{product(public, "ACCEPTED")})),
				value("public", "stages", knownvalue.ListExact([]knownvalue.Check{
					knownvalue.ObjectExact(map[string]knownvalue.Check{
						"api_id": knownvalue.StringExact(public.APIs[0].ID), "api_name": knownvalue.StringExact("weather"),
						"stage_id": knownvalue.StringExact(stages[0].ID), "stage_name": knownvalue.StringExact("v1"),
						"usage_plan_id": knownvalue.StringExact("plan000001"), "usage_plan_name": knownvalue.StringExact("basic"),
					}),
					knownvalue.ObjectPartial(map[string]knownvalue.Check{
						"stage_id": knownvalue.StringExact(stages[1].ID), "usage_plan_id": knownvalue.StringExact(""),
					}),
				})),
				value("pending", "products", knownvalue.ListExact([]knownvalue.Check{product(protected, "REQUEST")})),
				value("pending", "stages", knownvalue.ListSizeExact(0)),
				value("idle", "products", knownvalue.ListSizeExact(0)),
				value("idle", "stages", knownvalue.ListSizeExact(0)),
				env.ExpectRouteRequests(map[emulator.Route]int{emulator.RouteKeyProducts: 4, emulator.RouteSubscriptionDetail: 2}),
			},
			// One read of the key's products per data source, and of the
			// stages for each product the key is associated with.
		}},
	})
}

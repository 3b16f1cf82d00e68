package provider

import (
	"context"
	"fmt"
	"regexp"
	"testing"

	tfjson "github.com/hashicorp/terraform-json"
	"github.com/hashicorp/terraform-plugin-testing/compare"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/ncp-community/terraform-provider-ncp/internal/acctest"
	"github.com/ncp-community/terraform-provider-ncp/internal/emulator"
	"github.com/ncp-community/terraform-provider-ncp/internal/ncpclient"
)

// pageCap is the emulator's page size in TestAccAPIKeysDataSource.
const pageCap = 3

// TestAccAPIKeysDataSource lists more keys than fit in one of the server's
// pages, with each filter, and reads every page exactly once.
func TestAccAPIKeysDataSource(t *testing.T) {
	env := acctest.NewEnv(t, emulator.Config{MaxPageSize: pageCap})
	env.NeedsEmulator(t)
	// Made by hand: 2 "other" keys, one disabled, on top of Terraform's 7.
	for _, name := range []string{"other-1", "other-2"} {
		env.Emulator.PutKey(name, "made in the console")
	}
	if _, err := env.Client.UpdateAPIKey(context.Background(), env.Emulator.Keys()[1].ID, ncpclient.UpdateAPIKeyInput{Name: "other-2"}); err != nil {
		t.Fatal(err)
	}

	keys := env.Config(`
resource "ncp_apigw_api_key" "fleet" {
  count   = 7
  name    = "fleet-${count.index}"
  enabled = count.index != 3
}
`)
	lists := `
data "ncp_apigw_api_keys" "all" {
  depends_on = [ncp_apigw_api_key.fleet]
}
data "ncp_apigw_api_keys" "fleet" {
  name       = "fleet"
  depends_on = [ncp_apigw_api_key.fleet]
}
data "ncp_apigw_api_keys" "regex" {
  name_regex = "^(fleet-[0-2]|other-1)$"
  depends_on = [ncp_apigw_api_key.fleet]
}
data "ncp_apigw_api_keys" "disabled" {
  enabled    = false
  depends_on = [ncp_apigw_api_key.fleet]
}
`
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: factories(env),
		CheckDestroy:             env.CheckDestroyed(2),
		Steps: []resource.TestStep{
			{Config: keys},
			{
				PreConfig: env.Emulator.ResetStats,
				Config:    keys + lists,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue("data.ncp_apigw_api_keys.all", tfjsonpath.New("ids"), knownvalue.ListSizeExact(9)),
					statecheck.ExpectKnownValue("data.ncp_apigw_api_keys.fleet", tfjsonpath.New("api_keys"), knownvalue.ListSizeExact(7)),
					statecheck.ExpectKnownValue("data.ncp_apigw_api_keys.regex", tfjsonpath.New("api_keys"), knownvalue.ListSizeExact(4)),
					statecheck.ExpectKnownValue("data.ncp_apigw_api_keys.disabled", tfjsonpath.New("api_keys"), knownvalue.ListExact([]knownvalue.Check{
						knownvalue.ObjectPartial(map[string]knownvalue.Check{"name": knownvalue.StringExact("other-2"), "enabled": knownvalue.Bool(false)}),
						knownvalue.ObjectPartial(map[string]knownvalue.Check{"name": knownvalue.StringExact("fleet-3"), "enabled": knownvalue.Bool(false)}),
					})),
					// Terraform creates the fleet in parallel, so its order is the API's, not count's.
					statecheck.ExpectKnownValue("data.ncp_apigw_api_keys.fleet", tfjsonpath.New("api_keys"), knownvalue.SetPartial([]knownvalue.Check{knownvalue.ObjectExact(map[string]knownvalue.Check{
						"id":          knownvalue.NotNull(),
						"name":        knownvalue.StringExact("fleet-0"),
						"description": knownvalue.StringExact(""),
						"enabled":     knownvalue.Bool(true),
						"tenant_id":   knownvalue.NotNull(),
						"modifier":    knownvalue.NotNull(),
						"mod_time":    knownvalue.NotNull(),
						"domain_code": knownvalue.NotNull(),
					})})),
					statecheck.CompareValueCollection(
						"data.ncp_apigw_api_keys.fleet", []tfjsonpath.Path{tfjsonpath.New("ids")},
						"ncp_apigw_api_key.fleet[6]", tfjsonpath.New("id"), compare.ValuesSame()),
					acctest.StateCheckFunc(func(*tfjson.State) error {
						// Each command of the step reads each data source once, and
						// refreshes the keys from one listing of the account's 9;
						// every read is ceil(K / page cap) requests for the K keys
						// it lists.
						got := env.Emulator.Stats().Requests[emulator.RouteList]
						perCommand := pages(9) + pages(7) + pages(9) + pages(9) + pages(9)
						if got%perCommand != 0 || got == 0 {
							return fmt.Errorf("%d list requests, want a multiple of %d (one full pass over each data source and over the account)", got, perCommand)
						}
						return nil
					}),
				},
			},
		},
	})
}

// TestAccAPIKeysDataSource_withoutTotal: list answers without the
// documented "total" (issue 17, case 5) are read until a page comes back
// empty, not only their first page: all 12 keys, in 3 requests (7, 5, and
// the empty page).
func TestAccAPIKeysDataSource_withoutTotal(t *testing.T) {
	env := acctest.NewEnv(t, emulator.Config{MaxPageSize: 7, OmitListTotal: true})
	env.NeedsEmulator(t)
	for i := range 12 {
		env.Emulator.PutKey(fmt.Sprintf("console-%02d", i), "made in the console")
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: factories(env),
		Steps: []resource.TestStep{{
			Config: env.Config(`data "ncp_apigw_api_keys" "all" {}`),
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue("data.ncp_apigw_api_keys.all", tfjsonpath.New("ids"), knownvalue.ListSizeExact(12)),
				acctest.StateCheckFunc(func(*tfjson.State) error {
					// Terraform reads the data source in the plan and again in the apply.
					if got := env.Emulator.Stats().Requests[emulator.RouteList]; got%3 != 0 || got == 0 {
						return fmt.Errorf("%d list requests, want a multiple of 3", got)
					}
					return nil
				}),
			},
		}},
	})
}

// pages is how many list requests read k keys, pageCap at a time.
func pages(k int) int { return (k + pageCap - 1) / pageCap }

func TestAccAPIKeysDataSource_invalidRegex(t *testing.T) {
	env := acctest.NewEnv(t, emulator.Config{})
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: factories(env),
		Steps: []resource.TestStep{{
			Config:      env.Config(`data "ncp_apigw_api_keys" "bad" { name_regex = "fleet-(" }`),
			ExpectError: regexp.MustCompile(`not a valid RE2 regular expression`),
		}},
	})
}

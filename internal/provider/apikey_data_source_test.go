package provider

import (
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/compare"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/ncp-community/terraform-provider-ncp/internal/acctest"
	"github.com/ncp-community/terraform-provider-ncp/internal/emulator"
)

func TestAccAPIKeyDataSource(t *testing.T) {
	env := acctest.NewEnv(t, emulator.Config{MaxPageSize: 2})
	config := env.Config(`
resource "ncp_apigw_api_key" "test" {
  name        = "lookup-me"
  description = "found by id and by name"
}
resource "ncp_apigw_api_key" "twin" {
  count = 2
  name  = "twin"
}
resource "ncp_apigw_api_key" "filler" {
  count = 3
  name  = "lookup-me-not-${count.index}"
}

data "ncp_apigw_api_key" "by_id" {
  id = ncp_apigw_api_key.test.id
}
data "ncp_apigw_api_key" "by_name" {
  name       = "lookup-me"
  depends_on = [ncp_apigw_api_key.test, ncp_apigw_api_key.filler]
}
`)
	same := func(attr string) []statecheck.StateCheck {
		return []statecheck.StateCheck{
			statecheck.CompareValuePairs("data.ncp_apigw_api_key.by_id", tfjsonpath.New(attr), acctest.KeyAddr, tfjsonpath.New(attr), compare.ValuesSame()),
			statecheck.CompareValuePairs("data.ncp_apigw_api_key.by_name", tfjsonpath.New(attr), acctest.KeyAddr, tfjsonpath.New(attr), compare.ValuesSame()),
		}
	}
	var checks []statecheck.StateCheck
	for _, attr := range []string{"id", "name", "description", "enabled", "tenant_id", "primary_key", "secondary_key", "mod_time", "modifier", "domain_code"} {
		checks = append(checks, same(attr)...)
	}
	checks = append(checks,
		statecheck.ExpectSensitiveValue("data.ncp_apigw_api_key.by_id", tfjsonpath.New("primary_key")),
		statecheck.ExpectSensitiveValue("data.ncp_apigw_api_key.by_name", tfjsonpath.New("secondary_key")),
		statecheck.ExpectKnownValue("data.ncp_apigw_api_key.by_name", tfjsonpath.New("name"), knownvalue.StringExact("lookup-me")),
	)

	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: factories(env),
		CheckDestroy:             env.CheckDestroyed(0),
		Steps: []resource.TestStep{
			{
				Config:            config,
				ConfigStateChecks: checks,
			},
			{
				Config:      config + `data "ncp_apigw_api_key" "several" { name = "twin" }`,
				ExpectError: regexp.MustCompile(`(?s)2 API keys are named\s+"twin"`),
			},
			{
				Config:      config + `data "ncp_apigw_api_key" "none" { name = "nobody" }`,
				ExpectError: regexp.MustCompile(`(?s)No API key is named\s+"nobody"`),
			},
			{
				Config:      config + `data "ncp_apigw_api_key" "neither" {}`,
				ExpectError: regexp.MustCompile(`(?s)Exactly one of these attributes\s+must be configured`),
			},
			{
				Config: config + `
data "ncp_apigw_api_key" "both" {
  id   = "x"
  name = "y"
}`,
				ExpectError: regexp.MustCompile(`(?s)Exactly one of these attributes\s+must be configured`),
			},
			{
				// Back to a valid configuration, for the destroy.
				Config: config,
			},
		},
	})
}

// TestAccAPIKeyDataSource_timeout: a lookup that NCP keeps failing ends at
// its deadline, which a timeouts block sets; before, data sources had none.
func TestAccAPIKeyDataSource_timeout(t *testing.T) {
	env := acctest.NewEnv(t, emulator.Config{})
	env.NeedsEmulator(t)
	key := env.Emulator.PutKey("slow", "")
	env.Emulator.SetFaults(emulator.Faults{Faults: []emulator.Fault{{Route: emulator.RouteGet, Kind: emulator.FaultError, Status: 503}}})
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: factories(env),
		Steps: []resource.TestStep{{
			Config: env.Config(`
data "ncp_apigw_api_key" "k" {
  id = "` + key.ID + `"
  timeouts {
    read = "2s"
  }
}
`),
			ExpectError: regexp.MustCompile(`(?s)HTTP 503.*context deadline exceeded.*did not finish within its timeout`),
		}},
	})
}

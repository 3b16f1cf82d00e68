package provider

import (
	"fmt"
	"regexp"
	"testing"

	tfjson "github.com/hashicorp/terraform-json"
	"github.com/hashicorp/terraform-plugin-testing/echoprovider"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/ncp-community/terraform-provider-ncp/internal/acctest"
	"github.com/ncp-community/terraform-provider-ncp/internal/emulator"
)

// TestAccAPIKeyEphemeral_valuesStayOut opens the ephemeral resource by id
// and by name, next to a key whose values state does not keep: no key
// value reaches a plan or the state, though the resource was opened.
func TestAccAPIKeyEphemeral_valuesStayOut(t *testing.T) {
	env := acctest.NewEnv(t, emulator.Config{})
	env.NeedsEmulator(t)
	env.Emulator.PutKey("by-hand", "")
	var readsBefore int
	opened := acctest.StateCheckFunc(func(*tfjson.State) error {
		// Creating the managed key reads nothing: every read of the plan
		// and the apply opened an ephemeral resource. Terraform opens both
		// in the apply; OpenTofu 1.12, which opens fewer of those nothing
		// uses, opens the one by name in the plan.
		want := 2
		if acctest.OpenTofu() {
			want = 1
		}
		if got := env.Emulator.Stats().Requests[emulator.RouteGet] - readsBefore; got < want {
			return fmt.Errorf("%d reads in the plan and the apply, want %d: the ephemeral resources were not opened", got, want)
		}
		return nil
	})
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: factories(env),
		TerraformVersionChecks:   acctest.EphemeralCLIs,
		CheckDestroy:             env.CheckDestroyed(1),
		Steps: []resource.TestStep{{
			PreConfig: func() { readsBefore = env.Emulator.Stats().Requests[emulator.RouteGet] },
			Config: env.Config(acctest.KeyConfig(`
  name             = "acc-ephemeral"
  store_key_values = false
`) + `
ephemeral "ncp_apigw_api_key" "managed" {
  id = ncp_apigw_api_key.test.id
}

ephemeral "ncp_apigw_api_key" "by_hand" {
  name = "by-hand"
}
`),
			ConfigPlanChecks: resource.ConfigPlanChecks{
				PreApply:             []plancheck.PlanCheck{env.ExpectNoKeyValuesInPlan()},
				PostApplyPostRefresh: []plancheck.PlanCheck{env.ExpectNoKeyValuesInPlan()},
			},
			ConfigStateChecks: []statecheck.StateCheck{
				env.ExpectNoKeyValuesInState(),
				opened,
			},
		}},
	})
}

// TestAccAPIKeyEphemeral_values passes what the ephemeral resource opens to
// the echo provider, which keeps it in state on purpose, to check it.
func TestAccAPIKeyEphemeral_values(t *testing.T) {
	env := acctest.NewEnv(t, emulator.Config{})
	env.NeedsEmulator(t)
	key := env.Emulator.PutKey("by-hand", "made in the console")
	echoed := func(name, attr string, check knownvalue.Check) statecheck.StateCheck {
		return statecheck.ExpectKnownValue("echo.test", tfjsonpath.New("data").AtMapKey(name).AtMapKey(attr), check)
	}
	var checks []statecheck.StateCheck
	for _, name := range []string{"by_id", "by_name"} {
		checks = append(checks,
			echoed(name, "id", knownvalue.StringExact(key.ID)),
			echoed(name, "name", knownvalue.StringExact("by-hand")),
			echoed(name, "description", knownvalue.StringExact("made in the console")),
			echoed(name, "enabled", knownvalue.Bool(true)),
			echoed(name, "tenant_id", knownvalue.StringExact(key.TenantID)),
			echoed(name, "primary_key", knownvalue.StringExact(key.PrimaryKey)),
			echoed(name, "secondary_key", knownvalue.StringExact(key.SecondaryKey)),
		)
	}
	withEcho := factories(env)
	withEcho["echo"] = echoprovider.NewProviderServer()
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: withEcho,
		TerraformVersionChecks:   acctest.EphemeralCLIs,
		Steps: []resource.TestStep{{
			Config: env.Config(fmt.Sprintf(`
ephemeral "ncp_apigw_api_key" "by_id" {
  id = %q
}

ephemeral "ncp_apigw_api_key" "by_name" {
  name = "by-hand"
}

# One echo provider configuration: the echo provider's server is not safe
# for several configured at once.
provider "echo" {
  data = {
    by_id   = ephemeral.ncp_apigw_api_key.by_id
    by_name = ephemeral.ncp_apigw_api_key.by_name
  }
}

resource "echo" "test" {}
`, key.ID)),
			ConfigStateChecks: checks,
		}},
	})
}

// TestAccAPIKeyEphemeral_errors: a name must match exactly one key, and
// exactly one of id and name is set. Errors name keys by ID only.
func TestAccAPIKeyEphemeral_errors(t *testing.T) {
	env := acctest.NewEnv(t, emulator.Config{})
	env.NeedsEmulator(t)
	first, second := env.Emulator.PutKey("twin", ""), env.Emulator.PutKey("twin", "")
	env.Emulator.PutKey("twins", "") // the API's partial match finds it too
	step := func(args string, want *regexp.Regexp) resource.TestStep {
		return resource.TestStep{
			Config:      env.Config(fmt.Sprintf("ephemeral \"ncp_apigw_api_key\" \"k\" {\n%s\n}\n", args)),
			ExpectError: want,
		}
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: factories(env),
		TerraformVersionChecks:   acctest.EphemeralCLIs,
		Steps: []resource.TestStep{
			step(`name = "twin"`, regexp.MustCompile(acctest.Wrapped(fmt.Sprintf(`2 API keys are named "twin" (ids: %s, %s)`, first.ID, second.ID)))),
			step(`name = "nobody"`, regexp.MustCompile(acctest.Wrapped(`No API key is named "nobody"`))),
			step(`id = "missing"`, regexp.MustCompile(acctest.Wrapped(`No API key with ID "missing" exists: NCP API GET /api/v1/api-keys/missing: HTTP 404, error code 300`))),
			step(`
  id   = "`+first.ID+`"
  name = "twin"`, regexp.MustCompile(`Invalid Attribute Combination`)),
			step(``, regexp.MustCompile(`Missing Attribute Configuration`)),
		},
	})
}

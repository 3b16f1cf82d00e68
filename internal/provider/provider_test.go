package provider

import (
	"fmt"
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/ncp-community/terraform-provider-ncp/internal/acctest"
	"github.com/ncp-community/terraform-provider-ncp/internal/emulator"
)

// TestAccInvalidArguments proves each bad value fails at plan time, with a
// clear error, and sends no write to the API.
func TestAccInvalidArguments(t *testing.T) {
	env := acctest.NewEnv(t, emulator.Config{})
	env.NeedsEmulator(t)
	cases := []struct {
		name, config string
		want         string
	}{
		{"name too long", env.Config(acctest.KeyConfig(`name = "abcdefghijklmnopqrstu"`)), `must be between 1 and 20`},
		{"name empty", env.Config(acctest.KeyConfig(`name = ""`)), `must be between 1 and 20`},
		{"name missing", env.Config(acctest.KeyConfig(`description = "x"`)), `The argument "name" is required`},
		{"description too long", env.Config(acctest.KeyConfig(`
  name        = "ok"
  description = "` + fmt.Sprintf("%051d", 0) + `"`)), `must be at most 50`},
		{"rotate_key_type unknown", env.Config(acctest.KeyConfig(`
  name            = "ok"
  rotate_key_type = "TERTIARY"
`)), `value must be one of`},
		{"site unknown", `provider "ncp" {
  site       = "moon"
  access_key = "a"
  secret_key = "b"
}` + acctest.KeyConfig(`name = "ok"`), `(?s)value must be one of:.*"public" "gov" "fin"`},
		{"endpoint plain http", `provider "ncp" {
  endpoint   = "http://apigateway.example.com/api/v1"
  access_key = "a"
  secret_key = "b"
}` + acctest.KeyConfig(`name = "ok"`), `Invalid NCP API endpoint`},
		{"endpoint malformed", `provider "ncp" {
  endpoint   = "::not a url"
  access_key = "a"
  secret_key = "b"
}` + acctest.KeyConfig(`name = "ok"`), `Invalid NCP API endpoint`},
		{"request_timeout too long", `provider "ncp" {
  request_timeout = "2m"
  access_key      = "a"
  secret_key      = "b"
}` + acctest.KeyConfig(`name = "ok"`), `(?s)Invalid NCP request timeout.*outside the accepted range, 1s to 1m0s`},
		{"request_timeout not a duration", `provider "ncp" {
  request_timeout = "soon"
  access_key      = "a"
  secret_key      = "b"
}` + acctest.KeyConfig(`name = "ok"`), `(?s)Invalid NCP request timeout.*is not a duration`},
	}
	var steps []resource.TestStep
	for _, c := range cases {
		steps = append(steps, resource.TestStep{
			Config:      c.config,
			PlanOnly:    true,
			ExpectError: regexp.MustCompile(c.want),
		})
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: factories(env),
		Steps:                    steps,
	})
	// Checked here: CheckDestroy does not run when nothing is left in state.
	if n := env.Writes(); n != 0 {
		t.Errorf("invalid arguments caused %d API writes", n)
	}
}

// TestAccMissingCredentials: validate and plans that need no API work with
// no credentials; the apply fails with one error naming every source.
func TestAccMissingCredentials(t *testing.T) {
	env := acctest.NewEnv(t, emulator.Config{})
	env.NeedsEmulator(t) // against NCP, credentials are in the environment
	for _, name := range []string{"NCLOUD_ACCESS_KEY", "NCLOUD_SECRET_KEY", "NCLOUD_ACCESS_KEY_ID", "NCLOUD_SECRET_ACCESS_KEY", "NCP_APIGW_ENDPOINT", "NCLOUD_SITE"} {
		t.Setenv(name, "")
	}
	t.Setenv("HOME", t.TempDir())
	config := `provider "ncp" {}` + acctest.KeyConfig(`name = "no-credentials"`)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: factories(env),
		Steps: []resource.TestStep{
			{
				Config:             config,
				PlanOnly:           true,
				ExpectNonEmptyPlan: true,
			},
			{
				Config:      config,
				ExpectError: regexp.MustCompile(`(?s)Missing NCP credentials.*NCLOUD_ACCESS_KEY_ID.*NCLOUD_ACCESS_KEY.*\.ncloud/configure`),
			},
		},
	})
}

// TestAccUnknownProviderConfig configures the provider, and names a key,
// from values only known after apply: the plan works, and the apply
// configures the provider with the known values.
func TestAccUnknownProviderConfig(t *testing.T) {
	env := acctest.NewEnv(t, emulator.Config{})
	env.NeedsEmulator(t)
	endpoint := env.Client.BaseURL()
	config := fmt.Sprintf(`
resource "terraform_data" "settings" {
  input = {
    endpoint = %q
    name     = "late-name"
  }
}

provider "ncp" {
  endpoint   = terraform_data.settings.output.endpoint
  access_key = %q
  secret_key = %q
}
`, endpoint, acctest.AccessKey, acctest.SecretKey) + acctest.KeyConfig(`name = terraform_data.settings.output.name`)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: factories(env),
		CheckDestroy:             env.CheckDestroyed(0),
		Steps: []resource.TestStep{{
			Config: config,
			ConfigPlanChecks: resource.ConfigPlanChecks{
				PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(acctest.KeyAddr, plancheck.ResourceActionCreate),
					plancheck.ExpectUnknownValue(acctest.KeyAddr, tfjsonpath.New("name")),
				},
			},
			ConfigStateChecks: []statecheck.StateCheck{env.ExpectKeyMatchesAPI(acctest.KeyAddr)},
		}},
	})
}

package provider

import (
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"

	"github.com/ncp-community/terraform-provider-ncp/internal/acctest"
	"github.com/ncp-community/terraform-provider-ncp/internal/emulator"
)

// TestAccReliability_badInputs extends TestAccInvalidArguments to the
// arguments and values it leaves out: lengths counted in characters, not
// bytes (multibyte values at and past each limit), the data sources'
// arguments, wrong types, timeouts, endpoints with parts the API cannot
// have, and import IDs. Each bad value fails the plan with an error whose
// summary says what is wrong; the values at the limit pass; nothing is
// written to the API.
func TestAccReliability_badInputs(t *testing.T) {
	env := acctest.NewEnv(t, emulator.Config{})
	env.NeedsEmulator(t)
	provider := func(attrs string) string {
		return "provider \"ncp\" {\n" + attrs + "\n  access_key = \"a\"\n  secret_key = \"b\"\n}\n" + acctest.KeyConfig(`name = "ok"`)
	}
	hangul := func(n int) string { return strings.Repeat("가", n) } // 3 bytes each in UTF-8
	cases := []struct {
		name, config string
		summary      string // of the error; "" for a valid value
		detail       string // a part of the error's detail
	}{
		{"name of 20 multibyte characters", env.Config(acctest.KeyConfig(fmt.Sprintf("name = %q", hangul(20)))), "", ""},
		{"name of 21 multibyte characters", env.Config(acctest.KeyConfig(fmt.Sprintf("name = %q", hangul(21)))),
			"Invalid Attribute Value Length", "UTF-8 character count must be between 1 and 20, got: 21"},
		{"description of 50 multibyte characters", env.Config(acctest.KeyConfig(fmt.Sprintf("name = \"ok\"\ndescription = %q", hangul(50)))), "", ""},
		{"description of 51 multibyte characters", env.Config(acctest.KeyConfig(fmt.Sprintf("name = \"ok\"\ndescription = %q", hangul(51)))),
			"Invalid Attribute Value Length", "UTF-8 character count must be at most 50, got: 51"},
		{"rotate_key_type in lower case", env.Config(acctest.KeyConfig("name = \"ok\"\nrotate_key_type = \"primary\"")),
			"Invalid Attribute Value Match", "value must be one of"},
		{"enabled not a bool", env.Config(acctest.KeyConfig("name = \"ok\"\nenabled = \"maybe\"")),
			"Incorrect attribute value type", ""},
		{"timeout not a duration", env.Config(acctest.KeyConfig("name = \"ok\"\ntimeouts {\n  create = \"soon\"\n}")),
			"Invalid Attribute Value Time Duration", `"soon" must be a string containing a sequence of decimal numbers`},
		{"data source with neither id nor name", env.Config(`data "ncp_apigw_api_key" "neither" {}`),
			"Missing Attribute Configuration", "Exactly one of these attributes must be configured: [id,name]"},
		{"data source with an empty id", env.Config(`data "ncp_apigw_api_key" "empty" { id = "" }`),
			"Invalid Attribute Value Length", "string length must be at least 1, got: 0"},
		{"data source name of 21 characters", env.Config(`data "ncp_apigw_api_key" "long" { name = "abcdefghijklmnopqrstu" }`),
			"Invalid Attribute Value Length", "UTF-8 character count must be between 1 and 20, got: 21"},
		{"list name empty", env.Config(`data "ncp_apigw_api_keys" "empty" { name = "" }`),
			"Invalid Attribute Value Length", "UTF-8 character count must be between 1 and 20, got: 0"},
		{"list name_regex invalid", env.Config(`data "ncp_apigw_api_keys" "bad" { name_regex = "fleet-(" }`),
			"Invalid regular expression", "not a valid RE2 regular expression"},
		{"site empty", provider(`site = ""`), "Invalid Attribute Value Match", "value must be one of"},
		{"endpoint empty", provider(`endpoint = ""`), "Invalid NCP API endpoint", "must be an absolute URL"},
		{"endpoint with a query", provider(`endpoint = "https://apigateway.apigw.ntruss.com/api/v1?debug=1"`), "Invalid NCP API endpoint", "must not have a query"},
		{"endpoint with another scheme", provider(`endpoint = "ftp://apigateway.apigw.ntruss.com/api/v1"`), "Invalid NCP API endpoint", "unsupported scheme \"ftp\""},
		// The password is replaced in the message: it must not reach the plan's output.
		{"endpoint with user info", provider(`endpoint = "https://user:hunter2@apigateway.apigw.ntruss.com/api/v1"`),
			"Invalid NCP API endpoint", `endpoint "https://user:xxxxx@apigateway.apigw.ntruss.com/api/v1" must not contain user info`},
	}
	var steps []resource.TestStep
	for _, c := range cases {
		step := resource.TestStep{Config: c.config, PlanOnly: true}
		if c.summary == "" {
			step.ExpectNonEmptyPlan = true
		} else {
			step.ExpectError = regexp.MustCompile(`(?s)Error: ` + regexp.QuoteMeta(c.summary) + `\n.*` + acctest.Wrapped(c.detail))
		}
		steps = append(steps, step)
	}
	// Import IDs are known only at import: they fail there, before any write.
	valid := env.Config(acctest.KeyConfig(`name = "ok"`))
	for _, id := range []string{" ", "a/b", "doesnotexist"} {
		want := `Invalid import ID`
		if id == "doesnotexist" {
			want = `Cannot import non-existent remote object`
		}
		steps = append(steps, resource.TestStep{
			Config: valid, ResourceName: acctest.KeyAddr, ImportState: true, ImportStateId: id,
			ExpectError: regexp.MustCompile(want),
		})
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: factories(env),
		Steps:                    steps,
	})
	// Checked here, not in CheckDestroy, which does not run when the steps
	// leave nothing in state.
	stats := env.Emulator.Stats().Requests
	t.Logf("bad inputs: %d plans and imports, %d API writes, %d API reads", len(steps), env.Writes(), stats[emulator.RouteGet]+stats[emulator.RouteList])
	if n := env.Writes(); n != 0 {
		t.Errorf("bad inputs caused %d API writes", n)
	}
}

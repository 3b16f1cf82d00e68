package provider

import (
	"encoding/json"
	"fmt"
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/ncp-community/terraform-provider-ncp/internal/emulator"
)

// malformedBodies are answers no operation of the API gives with HTTP 200:
// a proxy's page, nothing, cut-off JSON, and JSON of the wrong shape.
var malformedBodies = []struct{ name, body string }{
	{"HTML page", `<html><body><h1>Down for maintenance</h1></body></html>`},
	{"empty body", ``},
	{"truncated JSON", `{"apiKey":{"apiKeyId":"abc`},
	{"apiKey not an object", `{"apiKey": 5}`},
	{"apiKeys not a list", `{"apiKeys": 5}`},
	{"array", `[]`},
	{"null", `null`},
}

// malformedSteps is one step per malformed body: the proxy answers
// requests of route with it, without the API seeing them, and config must
// fail with wantError.
func malformedSteps(p *proxy, route emulator.Route, config, wantError string) []resource.TestStep {
	var steps []resource.TestStep
	for _, b := range malformedBodies {
		steps = append(steps, resource.TestStep{
			PreConfig:   func() { p.set(proxyFault{route: route, mode: answerWithoutForwarding, body: b.body}) },
			Config:      config,
			ExpectError: regexp.MustCompile(wantError),
		})
	}
	return steps
}

// newMalformedEnv is a test's API behind a proxy, with a provider that
// retries in milliseconds: a malformed success answer is retried like a
// lost one, and each of these tests exhausts the retries many times.
func newMalformedEnv(t *testing.T) (*testEnv, *proxy) {
	direct := newTestEnv(t, emulator.Config{})
	direct.needsEmulator(t)
	env, p := direct.withProxy(t)
	env.clients().fastRetries.Store(true)
	return env, p
}

// passThroughStep turns the proxy off and applies config, whose plan must
// pass the checks; the state must then match the emulator.
func passThroughStep(env *testEnv, p *proxy, config string, checks ...plancheck.PlanCheck) resource.TestStep {
	return resource.TestStep{
		PreConfig: func() { p.set(proxyFault{}) },
		Config:    config,
		ConfigPlanChecks: resource.ConfigPlanChecks{
			PreApply:             checks,
			PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
		},
		Check: env.checkStateMatchesEmulator,
	}
}

// checkPicked asserts that the proxy misbehaved on want requests.
func checkPicked(p *proxy, want int) resource.TestCheckFunc {
	return func(*terraform.State) error {
		if got := p.picked(); got != want {
			return fmt.Errorf("the proxy misbehaved on %d requests, want %d", got, want)
		}
		return nil
	}
}

// TestAccReliability_malformedAnswers answers each operation with each
// malformed body, as a proxy in front of the API would, without the API
// seeing the request: every one ends in an error that names the operation
// and says the answer could not be decoded, never in a panic or a silent
// success, and state stays equal to the API.
func TestAccReliability_malformedAnswers(t *testing.T) {
	const undecodable = `could\s+not\s+be\s+decoded`
	key := func(env *testEnv, description, trigger string) string {
		return env.config(apiKeyConfig(fmt.Sprintf("name = \"malformed\"\ndescription = %q\nrotate_trigger = %q", description, trigger)))
	}
	tests := []struct {
		route emulator.Route
		steps func(env *testEnv, p *proxy) []resource.TestStep
	}{
		{emulator.RouteCreate, func(env *testEnv, p *proxy) []resource.TestStep {
			config := key(env, "", "t0")
			return append(
				malformedSteps(p, emulator.RouteCreate, config, `(?s)Error creating API key "malformed".*`+undecodable),
				// No key was left behind: now exactly one is created.
				passThroughStep(env, p, config, plancheck.ExpectResourceAction(testKeyAddr, plancheck.ResourceActionCreate)),
			)
		}},
		{emulator.RouteGet, func(env *testEnv, p *proxy) []resource.TestStep {
			config := key(env, "", "t0")
			steps := []resource.TestStep{{Config: config}}
			steps = append(steps, malformedSteps(p, emulator.RouteGet, config, `(?s)Error reading API key "malformed".*`+undecodable)...)
			return append(steps, passThroughStep(env, p, config, expectNoDrift, plancheck.ExpectEmptyPlan()))
		}},
		{emulator.RouteList, func(env *testEnv, p *proxy) []resource.TestStep {
			config := key(env, "", "t0")
			lists := config + `
data "ncp_apigw_api_keys" "all" {
  depends_on = [ncp_apigw_api_key.test]
}
data "ncp_apigw_api_key" "by_name" {
  name       = "malformed"
  depends_on = [ncp_apigw_api_key.test]
}
`
			steps := []resource.TestStep{{Config: config}}
			steps = append(steps, malformedSteps(p, emulator.RouteList, lists, `(?s)Error listing API keys.*`+undecodable)...)
			return append(steps, passThroughStep(env, p, lists, expectNoDrift))
		}},
		{emulator.RouteEdit, func(env *testEnv, p *proxy) []resource.TestStep {
			steps := []resource.TestStep{{Config: key(env, "v0", "t0")}}
			steps = append(steps, malformedSteps(p, emulator.RouteEdit, key(env, "v1", "t0"), `(?s)Error editing API key "malformed".*`+undecodable)...)
			return append(steps, passThroughStep(env, p, key(env, "v1", "t0"), expectNoDrift, plancheck.ExpectResourceAction(testKeyAddr, plancheck.ResourceActionUpdate)))
		}},
		{emulator.RouteRegenerate, func(env *testEnv, p *proxy) []resource.TestStep {
			steps := []resource.TestStep{{Config: key(env, "", "t0")}}
			steps = append(steps, malformedSteps(p, emulator.RouteRegenerate, key(env, "", "t1"), `(?s)Error regenerating the PRIMARY key of API key "malformed".*`+undecodable)...)
			return append(steps, passThroughStep(env, p, key(env, "", "t1"), expectNoDrift, plancheck.ExpectResourceAction(testKeyAddr, plancheck.ResourceActionUpdate)))
		}},
	}
	for _, tt := range tests {
		t.Run(string(tt.route), func(t *testing.T) {
			env, p := newMalformedEnv(t)
			resource.ParallelTest(t, resource.TestCase{
				ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
				CheckDestroy:             env.checkDestroyed,
				Steps:                    tt.steps(env, p),
			})
		})
	}
}

// TestAccReliability_malformedAnswersAfterTakingEffect lets the API act,
// then replaces its answer with each malformed body: the change happened
// but its answer was lost. A create is reconciled (the key is adopted, not
// made twice); an edit or regenerate fails once its retries are spent, with
// state holding the key as it is live; a delete is retried, finds the key
// gone and succeeds.
func TestAccReliability_malformedAnswersAfterTakingEffect(t *testing.T) {
	t.Run("create", func(t *testing.T) {
		env, p := newMalformedEnv(t)
		// Step i adds key i, whose create is answered with body i.
		var steps []resource.TestStep
		for i, b := range malformedBodies {
			steps = append(steps, resource.TestStep{
				PreConfig: func() { p.set(proxyFault{route: emulator.RouteCreate, mode: garbleAfterForwarding, body: b.body}) },
				Config: env.config(fmt.Sprintf(`
resource "ncp_apigw_api_key" "adopted" {
  count = %d
  name  = "adopted-${count.index}"
}
`, i+1)),
				ConfigPlanChecks: emptyPlanAfterApply,
				Check: resource.ComposeAggregateTestCheckFunc(
					env.checkStateMatchesEmulator,
					env.checkKeyCount(i+1),
					checkPicked(p, 1),
				),
			})
		}
		resource.ParallelTest(t, resource.TestCase{
			ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
			CheckDestroy:             env.checkDestroyed,
			Steps:                    steps,
		})
	})

	t.Run("edit and regenerate", func(t *testing.T) {
		env, p := newMalformedEnv(t)
		config := func(description, trigger string) string {
			return env.config(apiKeyConfig(fmt.Sprintf("name = \"garbled\"\ndescription = %q\nrotate_trigger = %q", description, trigger)))
		}
		html := malformedBodies[0].body
		resource.ParallelTest(t, resource.TestCase{
			ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
			CheckDestroy:             env.checkDestroyed,
			Steps: []resource.TestStep{
				{Config: config("v0", "t0")},
				{
					PreConfig:   func() { p.set(proxyFault{route: emulator.RouteEdit, mode: garbleAfterForwarding, body: html}) },
					Config:      config("v1", "t0"),
					ExpectError: regexp.MustCompile(`Error editing API key "garbled"`),
				},
				// State recorded the edit that was made: nothing is left to do.
				passThroughStep(env, p, config("v1", "t0"), expectNoDrift, plancheck.ExpectEmptyPlan()),
				{
					PreConfig:   func() { p.set(proxyFault{route: emulator.RouteRegenerate, mode: garbleAfterForwarding, body: html}) },
					Config:      config("v1", "t1"),
					ExpectError: regexp.MustCompile(`Error regenerating the PRIMARY key of API key "garbled"`),
				},
				// State holds the live key values; the rotation is redone.
				passThroughStep(env, p, config("v1", "t1"), expectNoDrift, plancheck.ExpectResourceAction(testKeyAddr, plancheck.ResourceActionUpdate)),
			},
		})
	})

	t.Run("delete", func(t *testing.T) {
		env, p := newMalformedEnv(t)
		keys := func(n int) string {
			return env.config(fmt.Sprintf(`
resource "ncp_apigw_api_key" "deleted" {
  count = %d
  name  = "deleted-${count.index}"
}
`, n))
		}
		n := len(malformedBodies)
		// Step i deletes the last key, whose delete is answered with body i.
		steps := []resource.TestStep{{Config: keys(n)}}
		for i, b := range malformedBodies {
			steps = append(steps, resource.TestStep{
				PreConfig: func() {
					p.set(proxyFault{route: emulator.RouteDelete, mode: garbleAfterForwarding, body: b.body, count: 1})
				},
				Config:           keys(n - i - 1),
				ConfigPlanChecks: emptyPlanAfterApply,
				Check: resource.ComposeAggregateTestCheckFunc(
					env.checkStateMatchesEmulator,
					env.checkKeyCount(n-i-1),
					checkPicked(p, 1),
				),
			})
		}
		resource.ParallelTest(t, resource.TestCase{
			ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
			CheckDestroy:             env.checkDestroyed,
			Steps:                    steps,
		})
	})
}

// TestAccReliability_deleteAnsweredByProxy answers deletes with a page that
// did not come from the API, which never saw them: the destroy fails and
// the key stays in state, as it stays in the API. (A delete answered with
// HTTP 200 and nothing, or any JSON, is taken as done: the API documents
// no body for it.)
func TestAccReliability_deleteAnsweredByProxy(t *testing.T) {
	env, p := newMalformedEnv(t)
	config := env.config(apiKeyConfig(`name = "undeletable"`))
	var steps []resource.TestStep
	steps = append(steps, resource.TestStep{Config: config})
	for _, b := range malformedBodies {
		if b.body == "" || json.Valid([]byte(b.body)) {
			continue // accepted as success, as the comment above says
		}
		steps = append(steps, resource.TestStep{
			PreConfig:   func() { p.set(proxyFault{route: emulator.RouteDelete, mode: answerWithoutForwarding, body: b.body}) },
			Config:      env.config(""),
			ExpectError: regexp.MustCompile(`(?s)Error deleting API key "undeletable".*could\s+not\s+be\s+decoded`),
		})
	}
	steps = append(steps, passThroughStep(env, p, config, expectNoDrift, plancheck.ExpectEmptyPlan()))
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             env.checkDestroyed,
		Steps:                    steps,
	})
}

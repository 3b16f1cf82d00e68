package provider

import (
	"encoding/json"
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"

	"github.com/ncp-community/terraform-provider-ncp/internal/acctest"
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

// answeredWith makes the emulator's answers to route be body with HTTP 200:
// in place of the API's, which never sees the request (FaultRaw), or after
// the API acted (FaultReplace). It resets the counters, so that a step can
// count the faults it met. The faults in also are injected too.
func answeredWith(env *acctest.Env, route emulator.Route, kind emulator.FaultKind, body string, also ...emulator.Fault) {
	contentType := "application/json"
	if strings.HasPrefix(body, "<") {
		contentType = "text/html"
	}
	env.Emulator.ResetStats()
	env.Emulator.SetFaults(emulator.Faults{Faults: append([]emulator.Fault{{Route: route, Kind: kind, ContentType: contentType, Body: body}}, also...)})
}

// malformedSteps is one step per malformed body: the emulator answers
// requests of route with it, without acting on them, and config must fail
// with wantError. The faults in also are injected too.
func malformedSteps(env *acctest.Env, route emulator.Route, config, wantError string, also ...emulator.Fault) []resource.TestStep {
	var steps []resource.TestStep
	for _, b := range malformedBodies {
		steps = append(steps, resource.TestStep{
			PreConfig:   func() { answeredWith(env, route, emulator.FaultRaw, b.body, also...) },
			Config:      config,
			ExpectError: regexp.MustCompile(wantError),
		})
	}
	return steps
}

// newMalformedEnv is a test's API with a provider that retries in
// milliseconds: a malformed success answer is retried like a lost one, and
// each of these tests exhausts the retries many times.
func newMalformedEnv(t *testing.T) *acctest.Env {
	env := acctest.NewEnv(t, emulator.Config{})
	env.NeedsEmulator(t)
	env.UseFastRetries()
	return env
}

// healedStep turns the faults off and applies config, whose plan must pass
// the checks; the state must then match the emulator.
func healedStep(env *acctest.Env, config string, checks ...plancheck.PlanCheck) resource.TestStep {
	return resource.TestStep{
		PreConfig: func() { env.Emulator.SetFaults(emulator.Faults{}) },
		Config:    config,
		ConfigPlanChecks: resource.ConfigPlanChecks{
			PreApply: checks,
		},
		ConfigStateChecks: []statecheck.StateCheck{env.ExpectStateMatchesEmulator()},
	}
}

// TestAccReliability_malformedAnswers answers each operation with each
// malformed body, as a proxy in front of the API would, without the API
// seeing the request: every one ends in an error that names the operation
// and says the answer could not be decoded, never in a panic or a silent
// success, and state stays equal to the API.
func TestAccReliability_malformedAnswers(t *testing.T) {
	const undecodable = `could\s+not\s+be\s+decoded`
	key := func(env *acctest.Env, description, trigger string) string {
		return env.Config(acctest.KeyConfig(fmt.Sprintf("name = \"malformed\"\ndescription = %q\nrotate_trigger = %q", description, trigger)))
	}
	tests := []struct {
		route emulator.Route
		steps func(env *acctest.Env) []resource.TestStep
	}{
		{emulator.RouteCreate, func(env *acctest.Env) []resource.TestStep {
			config := key(env, "", "t0")
			return append(
				malformedSteps(env, emulator.RouteCreate, config, `(?s)Error creating API key "malformed".*`+undecodable),
				// No key was left behind: now exactly one is created.
				healedStep(env, config, plancheck.ExpectResourceAction(acctest.KeyAddr, plancheck.ResourceActionCreate)),
			)
		}},
		{emulator.RouteGet, func(env *acctest.Env) []resource.TestStep {
			config := key(env, "", "t0")
			steps := []resource.TestStep{{Config: config}}
			// A refresh reads by GET only a key the account listing does
			// not serve: the listing fails.
			listingFails := emulator.Fault{Route: emulator.RouteList, Kind: emulator.FaultError, Status: http.StatusInternalServerError}
			steps = append(steps, malformedSteps(env, emulator.RouteGet, config, `(?s)Error reading API key "malformed".*`+undecodable, listingFails)...)
			return append(steps, healedStep(env, config, acctest.ExpectNoDrift, plancheck.ExpectEmptyPlan()))
		}},
		{emulator.RouteList, func(env *acctest.Env) []resource.TestStep {
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
			steps = append(steps, malformedSteps(env, emulator.RouteList, lists, `(?s)Error listing API keys.*`+undecodable)...)
			return append(steps, healedStep(env, lists, acctest.ExpectNoDrift))
		}},
		{emulator.RouteEdit, func(env *acctest.Env) []resource.TestStep {
			steps := []resource.TestStep{{Config: key(env, "v0", "t0")}}
			steps = append(steps, malformedSteps(env, emulator.RouteEdit, key(env, "v1", "t0"), `(?s)Error editing API key "malformed".*`+undecodable)...)
			return append(steps, healedStep(env, key(env, "v1", "t0"), acctest.ExpectNoDrift, plancheck.ExpectResourceAction(acctest.KeyAddr, plancheck.ResourceActionUpdate)))
		}},
		{emulator.RouteRegenerate, func(env *acctest.Env) []resource.TestStep {
			steps := []resource.TestStep{{Config: key(env, "", "t0")}}
			steps = append(steps, malformedSteps(env, emulator.RouteRegenerate, key(env, "", "t1"), `(?s)Error regenerating the PRIMARY key of API key "malformed".*`+undecodable)...)
			return append(steps, healedStep(env, key(env, "", "t1"), acctest.ExpectNoDrift, plancheck.ExpectResourceAction(acctest.KeyAddr, plancheck.ResourceActionUpdate)))
		}},
	}
	for _, tt := range tests {
		t.Run(string(tt.route), func(t *testing.T) {
			env := newMalformedEnv(t)
			resource.ParallelTest(t, resource.TestCase{
				ProtoV6ProviderFactories: factories(env),
				CheckDestroy:             env.CheckDestroyed(0),
				Steps:                    tt.steps(env),
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
		env := newMalformedEnv(t)
		// Step i adds key i, whose create is answered with body i.
		var steps []resource.TestStep
		for i, b := range malformedBodies {
			steps = append(steps, resource.TestStep{
				PreConfig: func() { answeredWith(env, emulator.RouteCreate, emulator.FaultReplace, b.body) },
				Config: env.Config(fmt.Sprintf(`
resource "ncp_apigw_api_key" "adopted" {
  count = %d
  name  = "adopted-${count.index}"
}
`, i+1)),
				ConfigStateChecks: []statecheck.StateCheck{
					env.ExpectStateMatchesEmulator(),
					env.ExpectKeyCount(i + 1),
					env.ExpectFaults(map[emulator.FaultKind]int{emulator.FaultReplace: 1}),
				},
			})
		}
		resource.ParallelTest(t, resource.TestCase{
			ProtoV6ProviderFactories: factories(env),
			CheckDestroy:             env.CheckDestroyed(0),
			Steps:                    steps,
		})
	})

	t.Run("edit and regenerate", func(t *testing.T) {
		env := newMalformedEnv(t)
		config := func(description, trigger string) string {
			return env.Config(acctest.KeyConfig(fmt.Sprintf("name = \"garbled\"\ndescription = %q\nrotate_trigger = %q", description, trigger)))
		}
		html := malformedBodies[0].body
		resource.ParallelTest(t, resource.TestCase{
			ProtoV6ProviderFactories: factories(env),
			CheckDestroy:             env.CheckDestroyed(0),
			Steps: []resource.TestStep{
				{Config: config("v0", "t0")},
				{
					PreConfig:   func() { answeredWith(env, emulator.RouteEdit, emulator.FaultReplace, html) },
					Config:      config("v1", "t0"),
					ExpectError: regexp.MustCompile(`Error editing API key "garbled"`),
				},
				// State recorded the edit that was made: nothing is left to do.
				healedStep(env, config("v1", "t0"), acctest.ExpectNoDrift, plancheck.ExpectEmptyPlan()),
				{
					PreConfig:   func() { answeredWith(env, emulator.RouteRegenerate, emulator.FaultReplace, html) },
					Config:      config("v1", "t1"),
					ExpectError: regexp.MustCompile(`Error regenerating the PRIMARY key of API key "garbled"`),
				},
				// State holds the live key values; the rotation is redone.
				healedStep(env, config("v1", "t1"), acctest.ExpectNoDrift, plancheck.ExpectResourceAction(acctest.KeyAddr, plancheck.ResourceActionUpdate)),
			},
		})
	})

	t.Run("delete", func(t *testing.T) {
		env := newMalformedEnv(t)
		keys := func(n int) string {
			return env.Config(fmt.Sprintf(`
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
					answeredWith(env, emulator.RouteDelete, emulator.FaultReplace, b.body)
				},
				Config: keys(n - i - 1),
				ConfigStateChecks: []statecheck.StateCheck{
					env.ExpectStateMatchesEmulator(),
					env.ExpectKeyCount(n - i - 1),
					env.ExpectFaults(map[emulator.FaultKind]int{emulator.FaultReplace: 1}),
				},
			})
		}
		resource.ParallelTest(t, resource.TestCase{
			ProtoV6ProviderFactories: factories(env),
			CheckDestroy:             env.CheckDestroyed(0),
			Steps:                    steps,
		})
	})
}

// TestAccReliability_deleteAnsweredByProxy answers deletes with a page that
// did not come from the API, which never saw them: the destroy fails and
// the key stays in state, as it stays in the API. Pages that cannot be
// NCP's fail at once; a success NCP could have given too (200 with nothing,
// or with JSON: NCP documents no body) fails once NCP, asked, still shows
// the key.
func TestAccReliability_deleteAnsweredByProxy(t *testing.T) {
	env := newMalformedEnv(t)
	config := env.Config(acctest.KeyConfig(`name = "undeletable"`))
	var steps []resource.TestStep
	steps = append(steps, resource.TestStep{Config: config})
	for _, b := range malformedBodies {
		wantError := `(?s)Error deleting API key "undeletable".*could\s+not\s+be\s+decoded`
		if b.body == "" || json.Valid([]byte(b.body)) {
			wantError = `(?s)Error deleting API key "undeletable".*NCP\s+still\s+shows\s+it`
		}
		steps = append(steps, resource.TestStep{
			PreConfig:   func() { answeredWith(env, emulator.RouteDelete, emulator.FaultRaw, b.body) },
			Config:      env.Config(""),
			ExpectError: regexp.MustCompile(wantError),
		})
	}
	steps = append(steps, healedStep(env, config, acctest.ExpectNoDrift, plancheck.ExpectEmptyPlan()))
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: factories(env),
		CheckDestroy:             env.CheckDestroyed(0),
		Steps:                    steps,
	})
}

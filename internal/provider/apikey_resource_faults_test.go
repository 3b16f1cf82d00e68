package provider

// Tests of ncp_apigw_api_key under the faults of a real cloud API, injected
// by the emulator: state must stay equal to what the API holds, with no key
// lost or made twice. contributing/reliability.md summarises them; the
// figures it quotes are the t.Logf lines of a `go test -v` run.

import (
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	tfjson "github.com/hashicorp/terraform-json"
	"github.com/hashicorp/terraform-plugin-testing/compare"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/ncp-community/terraform-provider-ncp/internal/acctest"
	"github.com/ncp-community/terraform-provider-ncp/internal/emulator"
)

// reliabilityCase is one fault scenario: the emulator's configuration, the
// faults it injects from the start, and the test case run against it, to
// which the runner adds the provider and, when the case has none of its
// own, CheckDestroy: env.CheckDestroyed(0).
type reliabilityCase struct {
	name   string
	config emulator.Config
	faults emulator.Faults
	test   func(t *testing.T, env *acctest.Env) resource.TestCase
}

func TestAccReliability(t *testing.T) {
	// oneFault injects fault on route, count times.
	oneFault := func(route emulator.Route, count int, fault emulator.Fault) emulator.Faults {
		fault.Route, fault.Count = route, count
		return emulator.Faults{Faults: []emulator.Fault{fault}}
	}
	cases := []reliabilityCase{
		{name: "lostCreateResponses", config: emulator.Config{Seed: 20}, test: lostCreateResponses,
			faults: emulator.Faults{Faults: []emulator.Fault{{Route: emulator.RouteCreate, Kind: emulator.FaultDrop, Rate: 0.3}}}},
		{name: "truncatedCreateResponses", test: truncatedCreateResponses,
			faults: oneFault(emulator.RouteCreate, 3, emulator.Fault{Kind: emulator.FaultTruncated})},
		{name: "lostCreateWithATwin", test: lostCreateWithATwin, faults: emulator.Faults{Faults: []emulator.Fault{
			{Route: emulator.RouteCreate, Kind: emulator.FaultTwin, Count: 1},
			{Route: emulator.RouteCreate, Kind: emulator.FaultDrop, Count: 1},
		}}},
		{name: "createCommitsThenFails/NCP_900", test: createCommitsThenFails,
			faults: oneFault(emulator.RouteCreate, 1, emulator.Fault{Kind: emulator.FaultFailed})},
		{name: "createCommitsThenFails/HTML_500", test: createCommitsThenFails,
			faults: oneFault(emulator.RouteCreate, 1, emulator.Fault{Kind: emulator.FaultReplace, Status: http.StatusInternalServerError, ContentType: "text/html", Body: "<html><body><h1>500 Internal Server Error</h1></body></html>"})},
		{name: "createCommitsThenFails/empty_500", test: createCommitsThenFails,
			faults: oneFault(emulator.RouteCreate, 1, emulator.Fault{Kind: emulator.FaultReplace, Status: http.StatusInternalServerError})},
		{name: "lostCreateMeetsAColleaguesEditedKey/rival_reset", test: lostCreateMeetsAColleaguesEditedKey,
			faults: oneFault(emulator.RouteCreate, 1, emulator.Fault{Kind: emulator.FaultRivalReset})},
		{name: "lostCreateMeetsAColleaguesEditedKey/rival_drop", test: lostCreateMeetsAColleaguesEditedKey,
			faults: oneFault(emulator.RouteCreate, 1, emulator.Fault{Kind: emulator.FaultRivalDrop})},
		{name: "lostCreateLookupFails", test: lostCreateLookupFails, faults: emulator.Faults{Faults: []emulator.Fault{
			{Route: emulator.RouteCreate, Kind: emulator.FaultDrop, Count: 1},
			{Route: emulator.RouteList, Kind: emulator.FaultError, Status: http.StatusInternalServerError},
		}}},
		{name: "lostRegenerateResponse", test: lostRegenerateResponse},
		{name: "updateTimesOutAfterTakingEffect/edit", test: updateTimesOutAfterTakingEffect(emulator.RouteEdit, "edited", "t0",
			`(?s)Error editing API key "slow".*did not finish within its timeout`,
			acctest.ExpectNoDrift, plancheck.ExpectEmptyPlan())},
		{name: "updateTimesOutAfterTakingEffect/regenerate", test: updateTimesOutAfterTakingEffect(emulator.RouteRegenerate, "", "t1",
			`(?s)Error regenerating the PRIMARY key of API key "slow".*did not finish within its timeout`,
			acctest.ExpectNoDrift,
			plancheck.ExpectResourceAction(acctest.KeyAddr, plancheck.ResourceActionUpdate),
			plancheck.ExpectUnknownValue(acctest.KeyAddr, tfjsonpath.New("primary_key")))},
		{name: "partialUpdate", test: partialUpdate},
		{name: "createDisabledEditFails/answered", test: createDisabledEditFails,
			faults: oneFault(emulator.RouteEdit, 0, emulator.Fault{Kind: emulator.FaultError, Status: http.StatusInternalServerError})},
		{name: "createDisabledEditFails/lost", test: createDisabledEditFails, faults: emulator.Faults{Faults: []emulator.Fault{
			{Route: emulator.RouteCreate, Kind: emulator.FaultDrop, Count: 1},
			{Route: emulator.RouteEdit, Kind: emulator.FaultError, Status: http.StatusForbidden},
		}}},
		{name: "transientErrors", config: emulator.Config{Seed: 7}, test: transientErrors, faults: transientFaults(0.05)},
		{name: "throttled", test: throttled, faults: emulator.Faults{RateLimit: 5, RateBurst: 5}},
		{name: "loadUnderErrors", config: emulator.Config{Seed: 50}, test: loadUnderErrors,
			faults: emulator.Faults{Faults: []emulator.Fault{{Kind: emulator.FaultError, Status: http.StatusServiceUnavailable, Rate: 0.3}}}},
		{name: "misroutedGateway", test: misroutedGateway},
		{name: "foreignNotFound", test: foreignNotFound},
		{name: "endpointWithoutBasePath", test: endpointWithoutBasePath},
		{name: "sameNameCreatesRace", test: sameNameCreatesRace, faults: emulator.Faults{Faults: []emulator.Fault{
			{Route: emulator.RouteCreate, Kind: emulator.FaultReset, Count: 1},
			{Route: emulator.RouteCreate, Kind: emulator.FaultLate, Delay: 2 * time.Second, Count: 1},
		}}},
		{name: "createTimesOutAfterCommitting", test: createTimesOutAfterCommitting,
			faults: emulator.Faults{Faults: []emulator.Fault{{Route: emulator.RouteCreate, Kind: emulator.FaultLate}}}},
		{name: "partialBothRotation", test: partialBothRotation},
	}
	for _, offset := range []time.Duration{10 * time.Minute, -10 * time.Minute} {
		cases = append(cases, reliabilityCase{name: "clockSkew/" + offset.String(), test: clockSkew(offset),
			faults: emulator.Faults{ClockOffset: offset}})
	}
	for _, offset := range []time.Duration{-4 * time.Minute, -40 * time.Second, 40 * time.Second, 4 * time.Minute} {
		cases = append(cases, reliabilityCase{name: "lostCreateWithServerClockApart/" + offset.String(), test: lostCreateWithServerClockApart(offset),
			faults: emulator.Faults{ClockOffset: offset, Faults: []emulator.Fault{
				{Route: emulator.RouteCreate, Kind: emulator.FaultDrop, Count: 2},
				{Route: emulator.RouteCreate, Kind: emulator.FaultReset, Count: 2},
			}}})
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			env := acctest.NewEnv(t, tc.config)
			env.NeedsEmulator(t)
			env.Emulator.SetFaults(tc.faults)
			test := tc.test(t, env)
			test.ProtoV6ProviderFactories = factories(env)
			if test.CheckDestroy == nil {
				test.CheckDestroy = env.CheckDestroyed(0)
			}
			resource.ParallelTest(t, test)
		})
	}
}

// lostCreateResponses creates 20 keys while 30% of the create answers are
// lost after the key was made (the connection closes): each lost create is
// reconciled by listing the name, so that no key is created twice and none
// is left out of state.
func lostCreateResponses(t *testing.T, env *acctest.Env) resource.TestCase {
	return resource.TestCase{Steps: []resource.TestStep{{
		Config: env.Config(`
resource "ncp_apigw_api_key" "lost" {
  count = 20
  name  = "lost-${count.index}"
}
`),
		ConfigStateChecks: []statecheck.StateCheck{
			acctest.StateCheckFunc(func(s *tfjson.State) error {
				stats := env.Emulator.Stats()
				t.Logf("lost create responses: %d creates sent, %d answers lost; %d keys in state, %d in the emulator",
					stats.Requests[emulator.RouteCreate], stats.Responses[0], len(acctest.StateKeys(s)), len(env.Emulator.Keys()))
				if stats.Responses[0] == 0 {
					return fmt.Errorf("no create answer was lost: the fault was not exercised")
				}
				return nil
			}),
			env.ExpectStateMatchesEmulator(),
		},
	}}}
}

// truncatedCreateResponses: a create answered with half of its JSON made
// the key; the client cannot read it, finds it by name and adopts it.
func truncatedCreateResponses(_ *testing.T, env *acctest.Env) resource.TestCase {
	return resource.TestCase{Steps: []resource.TestStep{{
		Config: env.Config(`
resource "ncp_apigw_api_key" "cut" {
  count = 4
  name  = "cut-${count.index}"
}
`),
		ConfigStateChecks: []statecheck.StateCheck{
			env.ExpectStateMatchesEmulator(),
			env.ExpectKeyCount(4),
			// 3 truncated answers, then 4 good ones: no create was repeated.
			env.ExpectRouteRequests(map[emulator.Route]int{emulator.RouteCreate: 4}),
		},
	}}}
}

// lostCreateWithATwin loses the answer of a create while the colleague
// makes a key of the same name just before it commits, in a fresh process:
// the create's marker tells its key from the twin, so the apply succeeds
// with its own key, and the twin stays the colleague's.
func lostCreateWithATwin(_ *testing.T, env *acctest.Env) resource.TestCase {
	return resource.TestCase{
		CheckDestroy: env.CheckDestroyed(1),
		Steps: []resource.TestStep{{
			Config: env.Config(acctest.KeyConfig(`name = "twin"`)),
			ConfigStateChecks: []statecheck.StateCheck{
				acctest.KeyValue("modifier", knownvalue.StringExact(env.Emulator.Modifier())),
				acctest.KeyValue("description", knownvalue.StringExact("")),
				env.ExpectKeyMatchesAPI(acctest.KeyAddr),
				env.ExpectKeyCount(2),
				env.ExpectRouteRequests(map[emulator.Route]int{emulator.RouteCreate: 1, emulator.RouteList: 1, emulator.RouteEdit: 1}),
			},
		}},
	}
}

// createCommitsThenFails: the create commits, then NCP answers 500 (its
// envelope with errorCode 900, or a bare page): the outcome is unknown, not
// "not created". The key is found by its marker and recorded; no second key
// is made, none is orphaned.
func createCommitsThenFails(_ *testing.T, env *acctest.Env) resource.TestCase {
	return resource.TestCase{Steps: []resource.TestStep{{
		Config: env.Config(acctest.KeyConfig(`
  name        = "committed"
  description = "kept"
`)),
		ConfigStateChecks: []statecheck.StateCheck{
			acctest.KeyValue("description", knownvalue.StringExact("kept")),
			env.ExpectStateMatchesEmulator(),
			env.ExpectKeyCount(1),
			env.ExpectRouteRequests(map[emulator.Route]int{emulator.RouteCreate: 1, emulator.RouteList: 1, emulator.RouteEdit: 1}),
		},
	}}}
}

// lostCreateMeetsAColleaguesEditedKey: the colleague's old key of the same
// name is edited in the console while our create's answer is lost, before
// our create commits or after. The edit moves its modTime into the
// create's window, but it does not carry our create's marker: the apply
// manages only its own key, and destroying it leaves the colleague's key as
// the colleague left it.
func lostCreateMeetsAColleaguesEditedKey(_ *testing.T, env *acctest.Env) resource.TestCase {
	colleagues := env.Emulator.PutKey("shared", "the colleague's")
	return resource.TestCase{
		CheckDestroy: resource.ComposeAggregateTestCheckFunc(
			env.CheckDestroyed(1),
			func(*terraform.State) error {
				k, ok := env.Emulator.Key(colleagues.ID)
				if !ok || k.Description != emulator.RivalDescription || k.Modifier != env.Emulator.OtherModifier() || k.PrimaryKey != colleagues.PrimaryKey {
					return fmt.Errorf("the colleague's key is %+v (present %t), want it as the colleague left it", k.ID, ok)
				}
				return nil
			},
		),
		Steps: []resource.TestStep{{
			Config: env.Config(acctest.KeyConfig(`
  name        = "shared"
  description = "ours"
  enabled     = false
`)),
			ConfigStateChecks: []statecheck.StateCheck{
				acctest.KeyValue("id", knownvalue.StringFunc(func(id string) error {
					if id == colleagues.ID {
						return fmt.Errorf("state adopted the colleague's key %s", id)
					}
					return nil
				})),
				acctest.KeyValue("modifier", knownvalue.StringExact(env.Emulator.Modifier())),
				env.ExpectKeyMatchesAPI(acctest.KeyAddr),
				env.ExpectKeyCount(2),
				acctest.StateCheckFunc(func(*tfjson.State) error {
					if k, _ := env.Emulator.Key(colleagues.ID); k.Description != emulator.RivalDescription || !k.Enabled {
						return fmt.Errorf("the colleague's key was changed: description %q, enabled %t", k.Description, k.Enabled)
					}
					return nil
				}),
			},
		}},
	}
}

// lostCreateLookupFails loses the answer of a create that made the key,
// and fails the list that would find it: the error says the key may exist
// and how to import it, and following it (import, then apply) leaves one
// key, managed, and nothing else.
func lostCreateLookupFails(t *testing.T, env *acctest.Env) resource.TestCase {
	config := env.Config(acctest.KeyConfig(`name = "unsure"`))
	return resource.TestCase{Steps: []resource.TestStep{
		{
			Config: config,
			ExpectError: regexp.MustCompile(`(?s)Error creating API key "unsure".*` +
				acctest.Wrapped(`the API's answer was lost (`) + `.*` + acctest.Wrapped(`) and checking whether the key was created failed`) + `.*` +
				acctest.Wrapped(`the key may have been created, with the description "terraform-provider-ncp create `) + `[0-9a-f]{16}` +
				acctest.Wrapped(`": list the keys named "unsure" in the console or with the ncp_apigw_api_keys data source; if one has that description, it is this create's: import it with terraform import ncp_apigw_api_key.<name> <id>`)),
		},
		{
			PreConfig: func() {
				env.Emulator.SetFaults(emulator.Faults{})
				if n := len(env.Emulator.Keys()); n != 1 {
					t.Fatalf("the emulator holds %d keys, want the 1 the lost create made", n)
				}
			},
			Config:             config,
			ResourceName:       acctest.KeyAddr,
			ImportState:        true,
			ImportStateIdFunc:  func(*terraform.State) (string, error) { return env.Emulator.Keys()[0].ID, nil },
			ImportStatePersist: true,
		},
		{
			// The imported key still carries the marker: the apply
			// gives it the configured description.
			Config:           config,
			ConfigPlanChecks: acctest.ExpectUpdateInPlace(acctest.KeyAddr),
			ConfigStateChecks: []statecheck.StateCheck{
				env.ExpectStateMatchesEmulator(),
				env.ExpectKeyCount(1),
			},
		},
	}}
}

// lostRegenerateResponse loses the answer of a regenerate that took
// effect: the client retries, and state holds the key values of the retry,
// which are the live ones.
func lostRegenerateResponse(_ *testing.T, env *acctest.Env) resource.TestCase {
	config := func(trigger string) string {
		return env.Config(acctest.KeyConfig(fmt.Sprintf(`
  name            = "lost-regenerate"
  rotate_trigger  = %q
  rotate_key_type = "BOTH"
`, trigger)))
	}
	return resource.TestCase{Steps: []resource.TestStep{
		{Config: config("t0")},
		{
			PreConfig: func() {
				env.Emulator.ResetStats()
				env.Emulator.SetFaults(emulator.Faults{Faults: []emulator.Fault{{Route: emulator.RouteRegenerate, Kind: emulator.FaultDrop, Count: 1}}})
			},
			Config:           config("t1"),
			ConfigPlanChecks: acctest.ExpectUpdateInPlace(acctest.KeyAddr),
			ConfigStateChecks: []statecheck.StateCheck{
				env.ExpectKeyMatchesAPI(acctest.KeyAddr),
				// PRIMARY lost once and sent again, then SECONDARY.
				env.ExpectRouteRequests(map[emulator.Route]int{emulator.RouteRegenerate: 3, emulator.RouteEdit: 0}),
			},
		},
	}}
}

// updateTimesOutAfterTakingEffect makes an edit, then a regenerate, take
// effect and answer nothing until the update's timeout ends: the apply
// fails, and state still holds the key as it is live, read back after the
// timeout, so the next refresh finds no drift. The edit is then done; the
// rotation is planned again, since the provider cannot know that the
// regenerate whose answer it lost took effect. The configuration that times
// out has description and trigger; wantPlan checks the next apply's plan.
func updateTimesOutAfterTakingEffect(route emulator.Route, description, trigger, wantError string, wantPlan ...plancheck.PlanCheck) func(*testing.T, *acctest.Env) resource.TestCase {
	return func(t *testing.T, env *acctest.Env) resource.TestCase {
		config := func(description, trigger string) string {
			return env.Config(acctest.KeyConfig(fmt.Sprintf(`
  name           = "slow"
  description    = %q
  rotate_trigger = %q
  timeouts {
    update = "2s"
  }
`, description, trigger)))
		}
		var before emulator.Key
		return resource.TestCase{Steps: []resource.TestStep{
			{Config: config("", "t0")},
			{
				PreConfig: func() {
					before = env.Emulator.Keys()[0]
					// The change is made; its answer never comes.
					env.Emulator.SetFaults(emulator.Faults{Faults: []emulator.Fault{{Route: route, Kind: emulator.FaultLate}}})
				},
				Config:      config(description, trigger),
				ExpectError: regexp.MustCompile(wantError),
			},
			{
				PreConfig: func() {
					env.Emulator.SetFaults(emulator.Faults{})
					if after := env.Emulator.Keys()[0]; after.ModTime.Equal(before.ModTime) && after == before {
						t.Errorf("the %s that timed out did not take effect: the test proves nothing", route)
					}
				},
				Config:            config(description, trigger),
				ConfigPlanChecks:  resource.ConfigPlanChecks{PreApply: wantPlan},
				ConfigStateChecks: []statecheck.StateCheck{env.ExpectKeyMatchesAPI(acctest.KeyAddr)},
			},
		}}
	}
}

// partialUpdate renames a key and rotates it in one apply; the edit
// succeeds and the regenerate fails for good. State records the new name,
// so the next apply sends no edit, only the regenerate.
func partialUpdate(t *testing.T, env *acctest.Env) resource.TestCase {
	config := func(name, trigger string) string {
		return env.Config(acctest.KeyConfig(fmt.Sprintf("name = %q\nrotate_trigger = %q", name, trigger)))
	}
	return resource.TestCase{Steps: []resource.TestStep{
		{Config: config("partial-old", "t0")},
		{
			PreConfig: func() {
				env.Emulator.ResetStats()
				env.Emulator.SetFaults(emulator.Faults{Faults: []emulator.Fault{{Route: emulator.RouteRegenerate, Kind: emulator.FaultError, Status: http.StatusInternalServerError}}})
			},
			Config:      config("partial-new", "t1"),
			ExpectError: regexp.MustCompile(`(?s)Error regenerating the PRIMARY key of API key "partial-new".*HTTP 500, error code 900`),
		},
		{
			PreConfig: func() {
				// A 500 is retried (a regenerate wants a fresh value
				// either way): one edit, and 11 attempts of the regenerate.
				if r := env.Emulator.Stats().Requests; r[emulator.RouteEdit] != 1 || r[emulator.RouteRegenerate] != 11 {
					t.Errorf("the failed apply sent %d edits and %d regenerates, want 1 and 11", r[emulator.RouteEdit], r[emulator.RouteRegenerate])
				}
				env.Emulator.SetFaults(emulator.Faults{})
				env.Emulator.ResetStats()
			},
			Config: config("partial-new", "t1"),
			ConfigPlanChecks: acctest.ExpectUpdateInPlace(acctest.KeyAddr,
				acctest.ExpectNoDrift,
				acctest.InPriorState(acctest.KeyValue("name", knownvalue.StringExact("partial-new"))),
				plancheck.ExpectKnownValue(acctest.KeyAddr, tfjsonpath.New("name"), knownvalue.StringExact("partial-new")),
				plancheck.ExpectUnknownValue(acctest.KeyAddr, tfjsonpath.New("primary_key")),
			),
			ConfigStateChecks: []statecheck.StateCheck{
				env.ExpectKeyMatchesAPI(acctest.KeyAddr),
				env.ExpectRouteRequests(map[emulator.Route]int{emulator.RouteEdit: 0, emulator.RouteRegenerate: 1}),
			},
		},
	}}
}

// createDisabledEditFails creates a key meant to start disabled and fails
// the follow-up edit that disables it and replaces its marker, after a
// create that was answered (the edit answers 500 for good) or lost and
// reconciled (the edit is refused: 403): the key is recorded (tainted,
// without key values when a list found it), so the next apply replaces it
// and leaves exactly one key.
func createDisabledEditFails(t *testing.T, env *acctest.Env) resource.TestCase {
	config := env.Config(acctest.KeyConfig(`
  name    = "start-disabled"
  enabled = false
`))
	var first string
	return resource.TestCase{Steps: []resource.TestStep{
		{
			Config: config,
			ExpectError: regexp.MustCompile(`(?s)API key "start-disabled" \(id [a-z0-9]+\) was created, but the edit` + `.*` +
				acctest.Wrapped(`it still has the description "terraform-provider-ncp create `) + `.*` + acctest.Wrapped(`marked tainted`)),
		},
		{
			PreConfig: func() {
				env.Emulator.SetFaults(emulator.Faults{})
				keys := env.Emulator.Keys()
				if len(keys) != 1 || !keys[0].Enabled || !strings.HasPrefix(keys[0].Description, "terraform-provider-ncp create ") {
					t.Fatalf("after the failed edit the emulator holds %+v, want 1 key, still enabled, with its marker", keys)
				}
				first = keys[0].ID
			},
			Config: config,
			ConfigPlanChecks: resource.ConfigPlanChecks{
				PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(acctest.KeyAddr, plancheck.ResourceActionReplace)},
			},
			ConfigStateChecks: []statecheck.StateCheck{
				acctest.KeyValue("enabled", knownvalue.Bool(false)),
				env.ExpectStateMatchesEmulator(),
				env.ExpectKeyCount(1),
				acctest.StateCheckFunc(func(*tfjson.State) error {
					if _, ok := env.Emulator.Key(first); ok {
						return fmt.Errorf("the tainted key %s was not deleted", first)
					}
					return nil
				}),
			},
		},
	}}
}

// clockSkew runs a lifecycle of keys applied concurrently against a server
// whose clock is 10 minutes ahead, then behind: the first signatures are
// rejected, the client adopts the server's clock from the Date header,
// retries, and nothing fails.
func clockSkew(offset time.Duration) func(*testing.T, *acctest.Env) resource.TestCase {
	return func(t *testing.T, env *acctest.Env) resource.TestCase {
		config := func(description, trigger string) string {
			return env.Config(fmt.Sprintf(`
resource "ncp_apigw_api_key" "test" {
  name           = "skew"
  description    = %q
  rotate_trigger = %q
}
resource "ncp_apigw_api_key" "more" {
  count = 3
  name  = "skew-${count.index}"
}
`, description, trigger))
		}
		matches := []statecheck.StateCheck{env.ExpectStateMatchesEmulator()}
		return resource.TestCase{
			CheckDestroy: func(s *terraform.State) error {
				stats := env.Emulator.Stats()
				clients := env.ClientsMade()
				t.Logf("clock offset %s: %d requests, %d answered 401, %d provider instances (%.1f 401s each)",
					offset, acctest.Total(stats.Requests), stats.Responses[401], clients, float64(stats.Responses[401])/float64(clients))
				if stats.Responses[401] == 0 {
					return fmt.Errorf("no request was rejected: the clock offset was not exercised")
				}
				if int64(stats.Responses[401]) > clients {
					return fmt.Errorf("%d requests were rejected for the clock by %d provider instances: each should learn the clock from its first answer", stats.Responses[401], clients)
				}
				return env.CheckDestroyed(0)(s)
			},
			Steps: []resource.TestStep{
				{Config: config("v1", "t1"), ConfigStateChecks: matches},
				{Config: config("v2", "t1"), ConfigStateChecks: matches},
				{Config: config("v2", "t2"), ConfigStateChecks: matches},
				{ResourceName: acctest.KeyAddr, ImportState: true, ImportStateVerify: true, ImportStateVerifyIgnore: []string{"rotate_trigger"}},
			},
		}
	}
}

// transientFaults makes about a third of all requests fail transiently:
// HTTP 429, a proxy's HTML 502 and 503 pages, NCP's 503 and 504, answers
// lost after the API acted, and connections reset before the request
// reached it, each kind at rate; every answer comes after a random latency.
func transientFaults(rate float64) emulator.Faults {
	return emulator.Faults{
		LatencyJitter: 30 * time.Millisecond,
		Faults: []emulator.Fault{
			// A tenth of all connections are reset before the request is run.
			{Kind: emulator.FaultReset, Rate: 0.1},
			// Each kind strikes at least once, on a different operation...
			{Route: emulator.RouteCreate, Kind: emulator.FaultError, Status: http.StatusTooManyRequests, Count: 1},
			{Route: emulator.RouteGet, Kind: emulator.FaultError, Status: http.StatusBadGateway, Count: 1}, // always HTML, as from a proxy
			{Route: emulator.RouteEdit, Kind: emulator.FaultHTML, Status: http.StatusServiceUnavailable, Count: 1},
			{Route: emulator.RouteRegenerate, Kind: emulator.FaultError, Status: http.StatusServiceUnavailable, Count: 1},
			{Route: emulator.RouteList, Kind: emulator.FaultError, Status: http.StatusGatewayTimeout, Count: 1},
			{Route: emulator.RouteDelete, Kind: emulator.FaultDrop, Count: 1},
			{Route: emulator.RouteCreate, Kind: emulator.FaultDrop, Count: 1},
			// ...and any, on any operation, at random.
			{Kind: emulator.FaultError, Status: http.StatusTooManyRequests, Rate: rate},
			{Kind: emulator.FaultError, Status: http.StatusBadGateway, Rate: rate},
			{Kind: emulator.FaultHTML, Status: http.StatusServiceUnavailable, Rate: rate},
			{Kind: emulator.FaultError, Status: http.StatusServiceUnavailable, Rate: rate},
			{Kind: emulator.FaultError, Status: http.StatusGatewayTimeout, Rate: rate},
			{Kind: emulator.FaultDrop, Rate: rate},
		},
	}
}

// transientErrors runs a whole lifecycle (create with one key disabled,
// edit, rotate, both data sources, import, destroy) under transientFaults.
// Every operation retries, and state stays equal to the emulator at every
// step.
func transientErrors(t *testing.T, env *acctest.Env) resource.TestCase {
	config := func(description, trigger string, enabled bool) string {
		return env.Config(fmt.Sprintf(`
resource "ncp_apigw_api_key" "test" {
  name            = "flaky"
  description     = %[1]q
  enabled         = %[3]t
  rotate_trigger  = %[2]q
  rotate_key_type = "BOTH"
}
resource "ncp_apigw_api_key" "more" {
  count       = 3
  name        = "flaky-${count.index}"
  description = %[1]q
}
data "ncp_apigw_api_keys" "all" {
  name_regex = "^flaky"
  depends_on = [ncp_apigw_api_key.test, ncp_apigw_api_key.more]
}
data "ncp_apigw_api_key" "by_name" {
  name       = "flaky"
  depends_on = [ncp_apigw_api_key.test]
}
`, description, trigger, enabled))
	}
	checks := []statecheck.StateCheck{
		statecheck.ExpectKnownValue("data.ncp_apigw_api_keys.all", tfjsonpath.New("ids"), knownvalue.ListSizeExact(4)),
		statecheck.CompareValuePairs("data.ncp_apigw_api_key.by_name", tfjsonpath.New("primary_key"), acctest.KeyAddr, tfjsonpath.New("primary_key"), compare.ValuesSame()),
		env.ExpectStateMatchesEmulator(),
	}
	return resource.TestCase{
		Steps: []resource.TestStep{
			{Config: config("v1", "t0", false), ConfigStateChecks: checks},
			{Config: config("v2", "t0", true), ConfigStateChecks: checks},
			{Config: config("v2", "t1", true), ConfigStateChecks: checks},
			{ResourceName: acctest.KeyAddr, ImportState: true, ImportStateVerify: true, ImportStateVerifyIgnore: []string{"rotate_trigger", "rotate_key_type"}},
		},
		CheckDestroy: func(s *terraform.State) error {
			stats := env.Emulator.Stats()
			t.Logf("transient errors: %d requests to the emulator, answered %v; faults injected %v",
				acctest.Total(stats.Requests), stats.Responses, stats.Faults)
			for _, status := range []int{0, http.StatusTooManyRequests, http.StatusBadGateway, http.StatusServiceUnavailable, http.StatusGatewayTimeout} {
				if stats.Responses[status] == 0 {
					return fmt.Errorf("no answer had status %d (0: dropped): that fault was not exercised", status)
				}
			}
			if stats.Faults[emulator.FaultReset] == 0 {
				return fmt.Errorf("no connection was reset: that fault was not exercised")
			}
			return env.CheckDestroyed(0)(s)
		},
	}
}

// throttled creates and destroys 20 keys against an API that allows 5
// requests a second with a burst of 5: the client slows down on the 429s
// and nothing fails.
func throttled(t *testing.T, env *acctest.Env) resource.TestCase {
	return resource.TestCase{
		CheckDestroy: func(s *terraform.State) error {
			stats := env.Emulator.Stats()
			t.Logf("throttled at 5 requests/s: %d requests, %d answered 429", acctest.Total(stats.Requests), stats.Throttled)
			if stats.Throttled == 0 {
				return fmt.Errorf("no request was throttled: the rate limit was not exercised")
			}
			return env.CheckDestroyed(0)(s)
		},
		Steps: []resource.TestStep{{
			Config: env.Config(`
resource "ncp_apigw_api_key" "throttled" {
  count = 20
  name  = "throttled-${count.index}"
}
`),
			ConfigStateChecks: []statecheck.StateCheck{
				env.ExpectStateMatchesEmulator(),
				env.ExpectKeyCount(20),
			},
		}},
	}
}

const loadKeys = 50

// loadUnderErrors runs the whole life of 50 keys, applied with Terraform's
// default parallelism of 10, against an API that answers 30% of all
// requests with 503: create (5 of them disabled, so created then edited),
// edit every description, rotate 10 keys, destroy. Every apply succeeds,
// and after each one the emulator holds exactly the keys in state with the
// same names and key values. The client keeps its real retry delays.
func loadUnderErrors(t *testing.T, env *acctest.Env) resource.TestCase {
	config := func(description, trigger string) string {
		return env.Config(fmt.Sprintf(`
resource "ncp_apigw_api_key" "load" {
  count          = %d
  name           = "load-${count.index}"
  description    = %q
  enabled        = count.index %% 10 != 0
  rotate_trigger = count.index < 10 ? %q : null
}
`, loadKeys, description, trigger))
	}
	// primaries holds each key's primary key after the last step, to count
	// the keys a step rotated.
	primaries := map[string]string{}
	applies := 0
	step := func(cfg string, want int) resource.TestStep {
		rotated := acctest.StateCheckFunc(func(s *tfjson.State) error {
			applies++
			rotated := 0
			for _, attrs := range acctest.StateKeys(s) {
				if old, ok := primaries[attrs["id"]]; ok && old != attrs["primary_key"] {
					rotated++
				}
				primaries[attrs["id"]] = attrs["primary_key"]
			}
			if rotated != want {
				return fmt.Errorf("%d keys were rotated, want %d", rotated, want)
			}
			return nil
		})
		return resource.TestStep{
			Config: cfg,
			ConfigStateChecks: []statecheck.StateCheck{
				env.ExpectStateMatchesEmulator(),
				env.ExpectKeyCount(loadKeys),
				rotated,
			},
		}
	}
	var start time.Time // of the first step, once ParallelTest lets the test run
	first := step(config("v1", "t0"), 0)
	first.PreConfig = func() { start = time.Now() }
	return resource.TestCase{
		Steps: []resource.TestStep{
			first,
			step(config("v2", "t0"), 0),
			step(config("v2", "t1"), 10),
		},
		CheckDestroy: func(s *terraform.State) error {
			if err := env.CheckDestroyed(0)(s); err != nil {
				return err
			}
			applies++ // the destroy
			stats := env.Emulator.Stats()
			t.Logf("lifecycle of %d keys under a 30%% error rate: %d applies (create, edit, rotate, destroy), 0 failed; "+
				"%d requests, %d answered 503 (%.0f%%); creates %d, edits %d, regenerates %d, deletes %d; %s",
				loadKeys, applies, acctest.Total(stats.Requests), stats.Responses[http.StatusServiceUnavailable],
				100*float64(stats.Responses[http.StatusServiceUnavailable])/float64(acctest.Total(stats.Requests)),
				stats.Requests[emulator.RouteCreate], stats.Requests[emulator.RouteEdit],
				stats.Requests[emulator.RouteRegenerate], stats.Requests[emulator.RouteDelete],
				time.Since(start).Round(time.Second))
			return nil
		},
	}
}

// misroutedGateway: every request is answered by an HTML 404 page, as from
// a wrong endpoint, a proxy or an outage page. That is not NCP saying the
// keys are gone: the refresh fails naming the endpoint instead of planning
// to create every key again, the destroy fails instead of reporting
// success, and state keeps every key.
func misroutedGateway(_ *testing.T, env *acctest.Env) resource.TestCase {
	config := env.Config(`
resource "ncp_apigw_api_key" "routed" {
  count = 3
  name  = "routed-${count.index}"
}
`)
	misrouted := func() {
		env.Emulator.SetFaults(emulator.Faults{Faults: []emulator.Fault{{Kind: emulator.FaultHTML, Status: http.StatusNotFound}}})
	}
	notFromNCP := regexp.MustCompile(`(?s)Error reading API key "routed-\d".*HTTP 404.*` + regexp.QuoteMeta(env.Endpoint) + `.*not come from NCP`)
	return resource.TestCase{Steps: []resource.TestStep{
		{Config: config, ConfigStateChecks: []statecheck.StateCheck{env.ExpectKeyCount(3)}},
		{
			PreConfig:   misrouted,
			Config:      config,
			PlanOnly:    true,
			ExpectError: notFromNCP,
		},
		{
			PreConfig:   misrouted,
			Config:      config,
			Destroy:     true,
			ExpectError: notFromNCP,
		},
		gatewayFixed(env, config, 3),
	}}
}

// gatewayFixed is the step after a gateway's faults end: every key is
// still there, as state has it.
func gatewayFixed(env *acctest.Env, config string, keys int) resource.TestStep {
	return resource.TestStep{
		PreConfig:         func() { env.Emulator.SetFaults(emulator.Faults{}) },
		Config:            config,
		ConfigPlanChecks:  resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{acctest.ExpectNoDrift, plancheck.ExpectEmptyPlan()}},
		ConfigStateChecks: []statecheck.StateCheck{env.ExpectKeyCount(keys), env.ExpectStateMatchesEmulator()},
	}
}

// foreignNotFound: every request is answered by another service's JSON
// 404, with an {"error": ...} envelope but without NCP's errorCode (issue
// 17, case 1); then every delete is. That is not NCP saying the keys are
// gone: the refresh fails naming the endpoint instead of planning to create
// every key again, the destroy fails instead of reporting success while the
// keys stay live, and state keeps every key.
func foreignNotFound(_ *testing.T, env *acctest.Env) resource.TestCase {
	config := env.Config(`
resource "ncp_apigw_api_key" "kept" {
  count = 3
  name  = "kept-${count.index}"
}
`)
	foreign := func(route emulator.Route, body string) func() {
		return func() {
			env.Emulator.SetFaults(emulator.Faults{Faults: []emulator.Fault{{Route: route, Kind: emulator.FaultRaw, Status: http.StatusNotFound, ContentType: "application/json", Body: body}}})
		}
	}
	notFromNCP := func(operation string) *regexp.Regexp {
		return regexp.MustCompile(`(?s)Error ` + operation + ` API key "kept-\d".*HTTP 404.*` + regexp.QuoteMeta(env.Endpoint) + `.*not come from NCP`)
	}
	return resource.TestCase{Steps: []resource.TestStep{
		{Config: config, ConfigStateChecks: []statecheck.StateCheck{env.ExpectKeyCount(3)}},
		{
			PreConfig:   foreign("", `{"error":{"code":404,"message":"Requested entity was not found."}}`),
			Config:      config,
			PlanOnly:    true,
			ExpectError: notFromNCP("reading"),
		},
		{
			// The refresh passes; each delete is answered in NCP's place.
			PreConfig:   foreign(emulator.RouteDelete, `{"error":{"message":"Not Found"}}`),
			Config:      config,
			Destroy:     true,
			ExpectError: notFromNCP("deleting"),
		},
		gatewayFixed(env, config, 3),
	}}
}

// endpointWithoutBasePath: an endpoint that misses /api/v1, to which NCP's
// gateway answers every key with its own "not found" envelope (issue 17,
// case 2). The endpoint is refused before any request, saying it must end
// in /api/v1; one with a wrong base path that does end in /api/v1 fails at
// the first "not found", as the list of keys is "not found" too. Neither
// plans to create a key again nor drops one from state.
func endpointWithoutBasePath(t *testing.T, env *acctest.Env) resource.TestCase {
	keys := `
resource "ncp_apigw_api_key" "kept" {
  count = 3
  name  = "kept-${count.index}"
}
`
	withoutBasePath := regexp.MustCompile(`(?s)Invalid NCP API endpoint.*` + acctest.Wrapped("must end in /api/v1") + `.*https://apigateway\.apigw\.ntruss\.com/api/v1`)
	wrongBasePath := regexp.MustCompile(`(?s)Error reading API key "kept-\d".*` + regexp.QuoteMeta(env.ServerURL()+"/gateway/api/v1") +
		`\s+` + acctest.Wrapped("does not serve NCP's API-key API") + `.*` + acctest.Wrapped("ending in /api/v1") + `.*` + acctest.Wrapped("Set the provider's endpoint"))
	var requests int
	countRequests := func() { requests = acctest.Total(env.Emulator.Stats().Requests) }
	return resource.TestCase{Steps: []resource.TestStep{
		{Config: env.Config(keys), ConfigStateChecks: []statecheck.StateCheck{env.ExpectKeyCount(3)}},
		{
			PreConfig:   countRequests,
			Config:      env.ConfigAt("", keys),
			PlanOnly:    true,
			ExpectError: withoutBasePath,
		},
		{
			Config:      env.ConfigAt("/", keys),
			Destroy:     true,
			ExpectError: withoutBasePath,
		},
		{
			PreConfig: func() {
				if now := acctest.Total(env.Emulator.Stats().Requests); now != requests {
					t.Errorf("%d requests to an endpoint without /api/v1, want none", now-requests)
				}
			},
			Config:      env.ConfigAt("/gateway/api/v1", keys),
			PlanOnly:    true,
			ExpectError: wrongBasePath,
		},
		{
			Config:           env.Config(keys),
			ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{acctest.ExpectNoDrift, plancheck.ExpectEmptyPlan()}},
			ConfigStateChecks: []statecheck.StateCheck{
				env.ExpectKeyCount(3),
				env.ExpectStateMatchesEmulator(),
			},
		},
	}}
}

// sameNameCreatesRace creates two keys of one name at once: one create is
// lost before it commits while the other's answer is late. The lost one's
// reconciliation must not adopt the other's key (which would leave one key
// shared by two resources, and destroying one would delete the other's):
// the apply ends with two keys and two IDs.
func sameNameCreatesRace(_ *testing.T, env *acctest.Env) resource.TestCase {
	return resource.TestCase{Steps: []resource.TestStep{{
		Config: env.Config(`
resource "ncp_apigw_api_key" "same" {
  count = 2
  name  = "same-name"
}
`),
		ConfigStateChecks: []statecheck.StateCheck{
			env.ExpectKeyCount(2),
			env.ExpectStateMatchesEmulator(),
			statecheck.CompareValuePairs("ncp_apigw_api_key.same[0]", tfjsonpath.New("id"), "ncp_apigw_api_key.same[1]", tfjsonpath.New("id"), compare.ValuesDiffer()),
			env.ExpectFaults(map[emulator.FaultKind]int{emulator.FaultReset: 1, emulator.FaultLate: 1}),
		},
	}}}
}

// createTimesOutAfterCommitting: the create commits but its answer never
// comes, and the create's own timeout ends first. The provider still finds
// the key it made, with a short time of its own, and records it: nothing is
// orphaned, nothing is made twice.
func createTimesOutAfterCommitting(_ *testing.T, env *acctest.Env) resource.TestCase {
	return resource.TestCase{Steps: []resource.TestStep{{
		Config: env.Config(acctest.KeyConfig(`
  name = "timed-out"
  timeouts {
    create = "3s"
  }
`)),
		ConfigStateChecks: []statecheck.StateCheck{
			env.ExpectKeyCount(1),
			env.ExpectStateMatchesEmulator(),
			env.ExpectRouteRequests(map[emulator.Route]int{emulator.RouteCreate: 1}),
		},
	}}}
}

// lostCreateWithServerClockApart loses create answers, after and before the
// create commits, against a server whose clock is up to 4 minutes from
// ours: inside NCP's 5-minute signature window, so no request is refused to
// warn the client. Reconciliation looks for the key in the server's time:
// no key is made twice, none is orphaned.
func lostCreateWithServerClockApart(offset time.Duration) func(*testing.T, *acctest.Env) resource.TestCase {
	return func(t *testing.T, env *acctest.Env) resource.TestCase {
		return resource.TestCase{Steps: []resource.TestStep{{
			Config: env.Config(`
resource "ncp_apigw_api_key" "skewed" {
  count = 6
  name  = "skewed-${count.index}"
}
`),
			ConfigStateChecks: []statecheck.StateCheck{
				acctest.StateCheckFunc(func(s *tfjson.State) error {
					faults := env.Emulator.Stats().Faults
					t.Logf("server clock %s from ours: %d creates lost after commit, %d before; %d keys in state, %d in the emulator",
						offset, faults[emulator.FaultDrop], faults[emulator.FaultReset], len(acctest.StateKeys(s)), len(env.Emulator.Keys()))
					return nil
				}),
				env.ExpectFaults(map[emulator.FaultKind]int{emulator.FaultDrop: 2, emulator.FaultReset: 2}),
				env.ExpectStateMatchesEmulator(),
			},
		}}}
	}
}

// partialBothRotation rotates BOTH keys; the primary is regenerated and the
// secondary fails for good. The next apply regenerates only the secondary
// key, the one not rotated yet.
func partialBothRotation(t *testing.T, env *acctest.Env) resource.TestCase {
	config := func(trigger string) string {
		return env.Config(acctest.KeyConfig(fmt.Sprintf(`
  name            = "half-rotated"
  rotate_trigger  = %q
  rotate_key_type = "BOTH"
`, trigger)))
	}
	var before emulator.Key
	return resource.TestCase{Steps: []resource.TestStep{
		{Config: config("t0")},
		{
			PreConfig: func() {
				before = env.Emulator.Keys()[0]
				env.Emulator.ResetStats()
				env.Emulator.SetFaults(emulator.Faults{Faults: []emulator.Fault{
					{Route: emulator.RouteRegenerate, Kind: emulator.FaultError, Status: http.StatusInternalServerError, After: 1},
				}})
			},
			Config:      config("t1"),
			ExpectError: regexp.MustCompile(`Error regenerating the SECONDARY key of API key "half-rotated"`),
		},
		{
			PreConfig: func() {
				after := env.Emulator.Keys()[0]
				if after.PrimaryKey == before.PrimaryKey || after.SecondaryKey != before.SecondaryKey {
					t.Errorf("the failed apply did not rotate exactly the primary key")
				}
				env.Emulator.SetFaults(emulator.Faults{})
				env.Emulator.ResetStats()
			},
			Config: config("t1"),
			ConfigPlanChecks: acctest.ExpectUpdateInPlace(acctest.KeyAddr,
				acctest.ExpectNoDrift,
				acctest.KeyPlanned("primary_key", false),
				acctest.KeyPlanned("secondary_key", true),
			),
			ConfigStateChecks: []statecheck.StateCheck{
				env.ExpectKeyMatchesAPI(acctest.KeyAddr),
				env.ExpectRouteRequests(map[emulator.Route]int{emulator.RouteRegenerate: 1}),
			},
		},
	}}
}

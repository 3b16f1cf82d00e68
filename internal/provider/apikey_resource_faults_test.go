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

// TestAccReliability_lostCreateResponses creates 20 keys while 30% of the
// create answers are lost after the key was made (the connection closes):
// each lost create is reconciled by listing the name, so that no key is
// created twice and none is left out of state.
func TestAccReliability_lostCreateResponses(t *testing.T) {
	env := acctest.NewEnv(t, emulator.Config{Seed: 20})
	env.NeedsEmulator(t)
	env.Emulator.SetFaults(emulator.Faults{Faults: []emulator.Fault{{Route: emulator.RouteCreate, Kind: emulator.FaultDrop, Rate: 0.3}}})
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: factories(env),
		CheckDestroy:             env.CheckDestroyed,
		Steps: []resource.TestStep{{
			Config: env.Config(`
resource "ncp_apigw_api_key" "lost" {
  count = 20
  name  = "lost-${count.index}"
}
`),
			ConfigPlanChecks: acctest.EmptyPlanAfterApply,
			Check: func(s *terraform.State) error {
				stats := env.Emulator.Stats()
				orphans, duplicates := env.OrphansAndDuplicates(s)
				t.Logf("lost create responses: %d creates sent, %d answers lost; %d keys in state, %d in the emulator: %d orphans, %d duplicates",
					stats.Requests[emulator.RouteCreate], stats.Responses[0], len(acctest.StateKeys(s)), len(env.Emulator.Keys()), orphans, duplicates)
				if stats.Responses[0] == 0 {
					return fmt.Errorf("no create answer was lost: the fault was not exercised")
				}
				return env.CheckStateMatchesEmulator(s)
			},
		}},
	})
}

// TestAccReliability_truncatedCreateResponses: a create answered with half
// of its JSON made the key; the client cannot read it, finds it by name and
// adopts it.
func TestAccReliability_truncatedCreateResponses(t *testing.T) {
	env := acctest.NewEnv(t, emulator.Config{})
	env.NeedsEmulator(t)
	env.Emulator.SetFaults(emulator.Faults{Faults: []emulator.Fault{{Route: emulator.RouteCreate, Kind: emulator.FaultTruncated, Count: 3}}})
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: factories(env),
		CheckDestroy:             env.CheckDestroyed,
		Steps: []resource.TestStep{{
			Config: env.Config(`
resource "ncp_apigw_api_key" "cut" {
  count = 4
  name  = "cut-${count.index}"
}
`),
			ConfigPlanChecks: acctest.EmptyPlanAfterApply,
			Check: resource.ComposeAggregateTestCheckFunc(
				env.CheckStateMatchesEmulator,
				env.CheckKeyCount(4),
				// 3 truncated answers, then 4 good ones: no create was repeated.
				env.CheckRequests(map[emulator.Route]int{emulator.RouteCreate: 4}),
			),
		}},
	})
}

// TestAccReliability_lostCreateWithATwin loses the answer of a create
// while the colleague makes a key of the same name just before it commits,
// in a fresh process: the create's marker tells its key from the twin, so
// the apply succeeds with its own key, and the twin stays the colleague's.
func TestAccReliability_lostCreateWithATwin(t *testing.T) {
	env := acctest.NewEnv(t, emulator.Config{})
	env.NeedsEmulator(t)
	env.Emulator.SetFaults(emulator.Faults{Faults: []emulator.Fault{
		{Route: emulator.RouteCreate, Kind: emulator.FaultTwin, Count: 1},
		{Route: emulator.RouteCreate, Kind: emulator.FaultDrop, Count: 1},
	}})
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: factories(env),
		CheckDestroy:             env.CheckDestroyedExcept(1),
		Steps: []resource.TestStep{{
			Config:           env.Config(acctest.KeyConfig(`name = "twin"`)),
			ConfigPlanChecks: acctest.EmptyPlanAfterApply,
			ConfigStateChecks: []statecheck.StateCheck{
				acctest.KeyValue("modifier", knownvalue.StringExact(env.Emulator.Modifier())),
				acctest.KeyValue("description", knownvalue.StringExact("")),
			},
			Check: resource.ComposeAggregateTestCheckFunc(
				env.CheckKeyMatchesAPI(acctest.KeyAddr),
				env.CheckKeyCount(2),
				env.CheckRequests(map[emulator.Route]int{emulator.RouteCreate: 1, emulator.RouteList: 1, emulator.RouteEdit: 1}),
			),
		}},
	})
}

// TestAccReliability_createCommitsThenFails: the create commits, then NCP
// answers 500 (its envelope with errorCode 900, or a bare page): the
// outcome is unknown, not "not created". The key is found by its marker and
// recorded; no second key is made, none is orphaned.
func TestAccReliability_createCommitsThenFails(t *testing.T) {
	for _, tc := range []struct {
		name  string
		fault emulator.Fault
	}{
		{"NCP 900", emulator.Fault{Kind: emulator.FaultFailed}},
		{"HTML 500", emulator.Fault{Kind: emulator.FaultReplace, Status: http.StatusInternalServerError, ContentType: "text/html", Body: "<html><body><h1>500 Internal Server Error</h1></body></html>"}},
		{"empty 500", emulator.Fault{Kind: emulator.FaultReplace, Status: http.StatusInternalServerError}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			env := acctest.NewEnv(t, emulator.Config{})
			env.NeedsEmulator(t)
			tc.fault.Route, tc.fault.Count = emulator.RouteCreate, 1
			env.Emulator.SetFaults(emulator.Faults{Faults: []emulator.Fault{tc.fault}})
			resource.ParallelTest(t, resource.TestCase{
				ProtoV6ProviderFactories: factories(env),
				CheckDestroy:             env.CheckDestroyed,
				Steps: []resource.TestStep{{
					Config: env.Config(acctest.KeyConfig(`
  name        = "committed"
  description = "kept"
`)),
					ConfigPlanChecks:  acctest.EmptyPlanAfterApply,
					ConfigStateChecks: []statecheck.StateCheck{acctest.KeyValue("description", knownvalue.StringExact("kept"))},
					Check: resource.ComposeAggregateTestCheckFunc(
						env.CheckStateMatchesEmulator,
						env.CheckKeyCount(1),
						env.CheckRequests(map[emulator.Route]int{emulator.RouteCreate: 1, emulator.RouteList: 1, emulator.RouteEdit: 1}),
					),
				}},
			})
		})
	}
}

// TestAccReliability_lostCreateMeetsAColleaguesEditedKey: the colleague's
// old key of the same name is edited in the console while our create's
// answer is lost, before our create commits or after. The edit moves its
// modTime into the create's window, but it does not carry our create's
// marker: the apply manages only its own key, and destroying it leaves the
// colleague's key as the colleague left it.
func TestAccReliability_lostCreateMeetsAColleaguesEditedKey(t *testing.T) {
	for _, kind := range []emulator.FaultKind{emulator.FaultRivalReset, emulator.FaultRivalDrop} {
		t.Run(string(kind), func(t *testing.T) {
			env := acctest.NewEnv(t, emulator.Config{})
			env.NeedsEmulator(t)
			colleagues := env.Emulator.PutKey("shared", "the colleague's")
			env.Emulator.SetFaults(emulator.Faults{Faults: []emulator.Fault{{Route: emulator.RouteCreate, Kind: kind, Count: 1}}})
			resource.ParallelTest(t, resource.TestCase{
				ProtoV6ProviderFactories: factories(env),
				CheckDestroy: resource.ComposeAggregateTestCheckFunc(
					env.CheckDestroyedExcept(1),
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
					ConfigPlanChecks: acctest.EmptyPlanAfterApply,
					ConfigStateChecks: []statecheck.StateCheck{
						statecheck.ExpectKnownValue(acctest.KeyAddr, tfjsonpath.New("id"), knownvalue.StringFunc(func(id string) error {
							if id == colleagues.ID {
								return fmt.Errorf("state adopted the colleague's key %s", id)
							}
							return nil
						})),
						acctest.KeyValue("modifier", knownvalue.StringExact(env.Emulator.Modifier())),
					},
					Check: resource.ComposeAggregateTestCheckFunc(
						env.CheckKeyMatchesAPI(acctest.KeyAddr),
						env.CheckKeyCount(2),
						func(*terraform.State) error {
							if k, _ := env.Emulator.Key(colleagues.ID); k.Description != emulator.RivalDescription || !k.Enabled {
								return fmt.Errorf("the colleague's key was changed: description %q, enabled %t", k.Description, k.Enabled)
							}
							return nil
						},
					),
				}},
			})
		})
	}
}

// TestAccReliability_lostCreateLookupFails loses the answer of a create
// that made the key, and fails the list that would find it: the error says
// the key may exist and how to import it, and following it (import, then
// apply) leaves one key, managed, and nothing else.
func TestAccReliability_lostCreateLookupFails(t *testing.T) {
	env := acctest.NewEnv(t, emulator.Config{})
	env.NeedsEmulator(t)
	env.Emulator.SetFaults(emulator.Faults{Faults: []emulator.Fault{
		{Route: emulator.RouteCreate, Kind: emulator.FaultDrop, Count: 1},
		{Route: emulator.RouteList, Kind: emulator.FaultError, Status: http.StatusInternalServerError},
	}})
	config := env.Config(acctest.KeyConfig(`name = "unsure"`))
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: factories(env),
		CheckDestroy:             env.CheckDestroyed,
		Steps: []resource.TestStep{
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
				Check:            resource.ComposeAggregateTestCheckFunc(env.CheckStateMatchesEmulator, env.CheckKeyCount(1)),
			},
		},
	})
}

// TestAccReliability_lostRegenerateResponse loses the answer of a
// regenerate that took effect: the client retries, and state holds the key
// values of the retry, which are the live ones.
func TestAccReliability_lostRegenerateResponse(t *testing.T) {
	env := acctest.NewEnv(t, emulator.Config{})
	env.NeedsEmulator(t)
	config := func(trigger string) string {
		return env.Config(acctest.KeyConfig(fmt.Sprintf(`
  name            = "lost-regenerate"
  rotate_trigger  = %q
  rotate_key_type = "BOTH"
`, trigger)))
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: factories(env),
		CheckDestroy:             env.CheckDestroyed,
		Steps: []resource.TestStep{
			{Config: config("t0")},
			{
				PreConfig: func() {
					env.Emulator.ResetStats()
					env.Emulator.SetFaults(emulator.Faults{Faults: []emulator.Fault{{Route: emulator.RouteRegenerate, Kind: emulator.FaultDrop, Count: 1}}})
				},
				Config:           config("t1"),
				ConfigPlanChecks: acctest.ExpectUpdateInPlace(acctest.KeyAddr),
				Check: resource.ComposeAggregateTestCheckFunc(
					env.CheckKeyMatchesAPI(acctest.KeyAddr),
					// PRIMARY lost once and sent again, then SECONDARY.
					env.CheckRequests(map[emulator.Route]int{emulator.RouteRegenerate: 3, emulator.RouteEdit: 0}),
				),
			},
		},
	})
}

// TestAccReliability_updateTimesOutAfterTakingEffect makes an edit, then a
// regenerate, take effect and answer nothing until the update's timeout
// ends: the apply fails, and state still holds the key as it is live, read
// back after the timeout, so the next refresh finds no drift. The edit is
// then done; the rotation is planned again, since the provider cannot know
// that the regenerate whose answer it lost took effect.
func TestAccReliability_updateTimesOutAfterTakingEffect(t *testing.T) {
	tests := []struct {
		route       emulator.Route
		description string // of the config that times out
		trigger     string
		wantError   string
		wantPlan    []plancheck.PlanCheck // of the next apply
	}{
		{
			route: emulator.RouteEdit, description: "edited", trigger: "t0",
			wantError: `(?s)Error editing API key "slow".*did not finish within its timeout`,
			wantPlan:  []plancheck.PlanCheck{acctest.ExpectNoDrift, plancheck.ExpectEmptyPlan()},
		},
		{
			route: emulator.RouteRegenerate, description: "", trigger: "t1",
			wantError: `(?s)Error regenerating the PRIMARY key of API key "slow".*did not finish within its timeout`,
			wantPlan: []plancheck.PlanCheck{
				acctest.ExpectNoDrift,
				plancheck.ExpectResourceAction(acctest.KeyAddr, plancheck.ResourceActionUpdate),
				plancheck.ExpectUnknownValue(acctest.KeyAddr, tfjsonpath.New("primary_key")),
			},
		},
	}
	for _, tt := range tests {
		t.Run(string(tt.route), func(t *testing.T) {
			env := acctest.NewEnv(t, emulator.Config{})
			env.NeedsEmulator(t)
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
			resource.ParallelTest(t, resource.TestCase{
				ProtoV6ProviderFactories: factories(env),
				CheckDestroy:             env.CheckDestroyed,
				Steps: []resource.TestStep{
					{Config: config("", "t0")},
					{
						PreConfig: func() {
							before = env.Emulator.Keys()[0]
							// The change is made; its answer never comes.
							env.Emulator.SetFaults(emulator.Faults{Faults: []emulator.Fault{{Route: tt.route, Kind: emulator.FaultLate}}})
						},
						Config:      config(tt.description, tt.trigger),
						ExpectError: regexp.MustCompile(tt.wantError),
					},
					{
						PreConfig: func() {
							env.Emulator.SetFaults(emulator.Faults{})
							if after := env.Emulator.Keys()[0]; after.ModTime.Equal(before.ModTime) && after == before {
								t.Errorf("the %s that timed out did not take effect: the test proves nothing", tt.route)
							}
						},
						Config:           config(tt.description, tt.trigger),
						ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: tt.wantPlan, PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
						Check:            env.CheckKeyMatchesAPI(acctest.KeyAddr),
					},
				},
			})
		})
	}
}

// TestAccReliability_partialUpdate renames a key and rotates it in one
// apply; the edit succeeds and the regenerate fails for good. State records
// the new name, so the next apply sends no edit, only the regenerate.
func TestAccReliability_partialUpdate(t *testing.T) {
	env := acctest.NewEnv(t, emulator.Config{})
	env.NeedsEmulator(t)
	config := func(name, trigger string) string {
		return env.Config(acctest.KeyConfig(fmt.Sprintf("name = %q\nrotate_trigger = %q", name, trigger)))
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: factories(env),
		CheckDestroy:             env.CheckDestroyed,
		Steps: []resource.TestStep{
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
					acctest.ExpectPlannedUnchanged(acctest.KeyAddr, "name"),
					plancheck.ExpectUnknownValue(acctest.KeyAddr, tfjsonpath.New("primary_key")),
				),
				Check: resource.ComposeAggregateTestCheckFunc(
					env.CheckKeyMatchesAPI(acctest.KeyAddr),
					env.CheckRequests(map[emulator.Route]int{emulator.RouteEdit: 0, emulator.RouteRegenerate: 1}),
				),
			},
		},
	})
}

// TestAccReliability_createDisabledEditFails creates a key meant to start
// disabled and fails the follow-up edit that disables it and replaces its
// marker, after a create that was answered (the edit answers 500 for good)
// or lost and reconciled (the edit is refused: 403): the key is recorded
// (tainted, without key values when a list found it), so the next apply
// replaces it and leaves exactly one key.
func TestAccReliability_createDisabledEditFails(t *testing.T) {
	for _, tc := range []struct {
		name   string
		faults []emulator.Fault
	}{
		{"answered", []emulator.Fault{{Route: emulator.RouteEdit, Kind: emulator.FaultError, Status: http.StatusInternalServerError}}},
		{"lost", []emulator.Fault{
			{Route: emulator.RouteCreate, Kind: emulator.FaultDrop, Count: 1},
			{Route: emulator.RouteEdit, Kind: emulator.FaultError, Status: http.StatusForbidden},
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			env := acctest.NewEnv(t, emulator.Config{})
			env.NeedsEmulator(t)
			env.Emulator.SetFaults(emulator.Faults{Faults: tc.faults})
			config := env.Config(acctest.KeyConfig(`
  name    = "start-disabled"
  enabled = false
`))
			var first string
			resource.ParallelTest(t, resource.TestCase{
				ProtoV6ProviderFactories: factories(env),
				CheckDestroy:             env.CheckDestroyed,
				Steps: []resource.TestStep{
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
							PreApply:             []plancheck.PlanCheck{plancheck.ExpectResourceAction(acctest.KeyAddr, plancheck.ResourceActionReplace)},
							PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
						},
						ConfigStateChecks: []statecheck.StateCheck{acctest.KeyValue("enabled", knownvalue.Bool(false))},
						Check: resource.ComposeAggregateTestCheckFunc(
							env.CheckStateMatchesEmulator,
							env.CheckKeyCount(1),
							func(*terraform.State) error {
								if _, ok := env.Emulator.Key(first); ok {
									return fmt.Errorf("the tainted key %s was not deleted", first)
								}
								return nil
							},
						),
					},
				},
			})
		})
	}
}

// TestAccReliability_clockSkew runs a lifecycle of keys applied
// concurrently against a server whose clock is 10 minutes ahead, then
// behind: the first signatures are rejected, the client adopts the server's
// clock from the Date header, retries, and nothing fails.
func TestAccReliability_clockSkew(t *testing.T) {
	for _, offset := range []time.Duration{10 * time.Minute, -10 * time.Minute} {
		t.Run(offset.String(), func(t *testing.T) {
			env := acctest.NewEnv(t, emulator.Config{})
			env.NeedsEmulator(t)
			env.Emulator.SetFaults(emulator.Faults{ClockOffset: offset})
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
			steps := []resource.TestStep{
				{Config: config("v1", "t1")},
				{Config: config("v2", "t1")},
				{Config: config("v2", "t2")},
				{ResourceName: acctest.KeyAddr, ImportState: true, ImportStateVerify: true, ImportStateVerifyIgnore: []string{"rotate_trigger"}},
			}
			for i := range steps[:3] {
				steps[i].Check = env.CheckStateMatchesEmulator
				steps[i].ConfigPlanChecks = acctest.EmptyPlanAfterApply
			}
			resource.ParallelTest(t, resource.TestCase{
				ProtoV6ProviderFactories: factories(env),
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
					return env.CheckDestroyed(s)
				},
				Steps: steps,
			})
		})
	}
}

// TestAccReliability_transientErrors runs a whole lifecycle (create with
// one key disabled, edit, rotate, both data sources, import, destroy) while
// about a third of all requests fail transiently: HTTP 429, a proxy's HTML
// 502 and 503 pages, NCP's 503 and 504, answers lost after the API acted,
// and connections reset before the request reached it; every answer comes
// after a random latency. Every operation retries, and state stays equal
// to the emulator at every step.
func TestAccReliability_transientErrors(t *testing.T) {
	env := acctest.NewEnv(t, emulator.Config{Seed: 7})
	env.NeedsEmulator(t)
	const rate = 0.05
	env.Emulator.SetFaults(emulator.Faults{
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
	})
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
	listsAll := []statecheck.StateCheck{
		statecheck.ExpectKnownValue("data.ncp_apigw_api_keys.all", tfjsonpath.New("ids"), knownvalue.ListSizeExact(4)),
		statecheck.CompareValuePairs("data.ncp_apigw_api_key.by_name", tfjsonpath.New("primary_key"), acctest.KeyAddr, tfjsonpath.New("primary_key"), compare.ValuesSame()),
	}
	steps := []resource.TestStep{
		{Config: config("v1", "t0", false)},
		{Config: config("v2", "t0", true)},
		{Config: config("v2", "t1", true)},
	}
	for i := range steps {
		steps[i].ConfigPlanChecks = acctest.EmptyPlanAfterApply
		steps[i].ConfigStateChecks = listsAll
		steps[i].Check = env.CheckStateMatchesEmulator
	}
	steps = append(steps, resource.TestStep{
		ResourceName: acctest.KeyAddr, ImportState: true, ImportStateVerify: true, ImportStateVerifyIgnore: []string{"rotate_trigger", "rotate_key_type"},
	})
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: factories(env),
		Steps:                    steps,
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
			return env.CheckDestroyed(s)
		},
	})
}

// TestAccReliability_throttled creates and destroys 20 keys against an API
// that allows 5 requests a second with a burst of 5: the client slows down
// on the 429s and nothing fails.
func TestAccReliability_throttled(t *testing.T) {
	env := acctest.NewEnv(t, emulator.Config{})
	env.NeedsEmulator(t)
	env.Emulator.SetFaults(emulator.Faults{RateLimit: 5, RateBurst: 5})
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: factories(env),
		CheckDestroy: func(s *terraform.State) error {
			stats := env.Emulator.Stats()
			t.Logf("throttled at 5 requests/s: %d requests, %d answered 429", acctest.Total(stats.Requests), stats.Throttled)
			if stats.Throttled == 0 {
				return fmt.Errorf("no request was throttled: the rate limit was not exercised")
			}
			return env.CheckDestroyed(s)
		},
		Steps: []resource.TestStep{{
			Config: env.Config(`
resource "ncp_apigw_api_key" "throttled" {
  count = 20
  name  = "throttled-${count.index}"
}
`),
			Check: resource.ComposeAggregateTestCheckFunc(env.CheckStateMatchesEmulator, env.CheckKeyCount(20)),
		}},
	})
}

const loadKeys = 50

// TestAccReliability_loadUnderErrors runs the whole life of 50 keys, applied
// with Terraform's default parallelism of 10, against an API that answers
// 30% of all requests with 503: create (5 of them disabled, so created then
// edited), edit every description, rotate 10 keys, destroy. Every apply
// succeeds, and after each one the emulator holds exactly the keys in state
// with the same names and key values. The client keeps its real retry
// delays.
func TestAccReliability_loadUnderErrors(t *testing.T) {
	env := acctest.NewEnv(t, emulator.Config{Seed: 50})
	env.NeedsEmulator(t)
	env.Emulator.SetFaults(emulator.Faults{Faults: []emulator.Fault{{Kind: emulator.FaultError, Status: http.StatusServiceUnavailable, Rate: 0.3}}})
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
	checkRotated := func(want int) resource.TestCheckFunc {
		return func(s *terraform.State) error {
			rotated := 0
			for id, attrs := range acctest.StateKeys(s) {
				if old, ok := primaries[id]; ok && old != attrs["primary_key"] {
					rotated++
				}
				primaries[id] = attrs["primary_key"]
			}
			if rotated != want {
				return fmt.Errorf("%d keys were rotated, want %d", rotated, want)
			}
			return nil
		}
	}
	applies := 0
	step := func(cfg string, rotated int) resource.TestStep {
		return resource.TestStep{
			Config:           cfg,
			ConfigPlanChecks: acctest.EmptyPlanAfterApply,
			Check: resource.ComposeAggregateTestCheckFunc(
				env.CheckStateMatchesEmulator,
				env.CheckKeyCount(loadKeys),
				checkRotated(rotated),
				func(*terraform.State) error { applies++; return nil },
			),
		}
	}
	var start time.Time // of the first step, once ParallelTest lets the test run
	first := step(config("v1", "t0"), 0)
	first.PreConfig = func() { start = time.Now() }
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: factories(env),
		Steps: []resource.TestStep{
			first,
			step(config("v2", "t0"), 0),
			step(config("v2", "t1"), 10),
		},
		CheckDestroy: func(s *terraform.State) error {
			if err := env.CheckDestroyed(s); err != nil {
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
	})
}

// TestAccReliability_misroutedGateway: every request is answered by an HTML
// 404 page, as from a wrong endpoint, a proxy or an outage page. That is not
// NCP saying the keys are gone: the refresh fails naming the endpoint
// instead of planning to create every key again, the destroy fails instead
// of reporting success, and state keeps every key.
func TestAccReliability_misroutedGateway(t *testing.T) {
	env := acctest.NewEnv(t, emulator.Config{})
	env.NeedsEmulator(t)
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
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: factories(env),
		CheckDestroy:             env.CheckDestroyed,
		Steps: []resource.TestStep{
			{Config: config, Check: env.CheckKeyCount(3)},
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
			{
				// The gateway is fixed: every key is still there and in state.
				PreConfig:        func() { env.Emulator.SetFaults(emulator.Faults{}) },
				Config:           config,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{acctest.ExpectNoDrift, plancheck.ExpectEmptyPlan()}},
				Check:            resource.ComposeAggregateTestCheckFunc(env.CheckKeyCount(3), env.CheckStateMatchesEmulator),
			},
		},
	})
}

// TestAccReliability_foreignNotFound: every request is answered by another
// service's JSON 404, with an {"error": ...} envelope but without NCP's
// errorCode (issue 17, case 1); then every delete is. That is not NCP
// saying the keys are gone: the refresh fails naming the endpoint instead
// of planning to create every key again, the destroy fails instead of
// reporting success while the keys stay live, and state keeps every key.
func TestAccReliability_foreignNotFound(t *testing.T) {
	env := acctest.NewEnv(t, emulator.Config{})
	env.NeedsEmulator(t)
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
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: factories(env),
		CheckDestroy:             env.CheckDestroyed,
		Steps: []resource.TestStep{
			{Config: config, Check: env.CheckKeyCount(3)},
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
			{
				// The gateway is fixed: every key is still there and in state.
				PreConfig:        func() { env.Emulator.SetFaults(emulator.Faults{}) },
				Config:           config,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{acctest.ExpectNoDrift, plancheck.ExpectEmptyPlan()}},
				Check:            resource.ComposeAggregateTestCheckFunc(env.CheckKeyCount(3), env.CheckStateMatchesEmulator),
			},
		},
	})
}

// TestAccReliability_endpointWithoutBasePath: an endpoint that misses
// /api/v1, to which NCP's gateway answers every key with its own "not
// found" envelope (issue 17, case 2). The endpoint is refused before any
// request, saying it must end in /api/v1; one with a wrong base path that
// does end in /api/v1 fails at the first "not found", as the list of keys
// is "not found" too. Neither plans to create a key again nor drops one
// from state.
func TestAccReliability_endpointWithoutBasePath(t *testing.T) {
	env := acctest.NewEnv(t, emulator.Config{})
	env.NeedsEmulator(t)
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
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: factories(env),
		CheckDestroy:             env.CheckDestroyed,
		Steps: []resource.TestStep{
			{Config: env.Config(keys), Check: env.CheckKeyCount(3)},
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
				Check:            resource.ComposeAggregateTestCheckFunc(env.CheckKeyCount(3), env.CheckStateMatchesEmulator),
			},
		},
	})
}

// TestAccReliability_sameNameCreatesRace creates two keys of one name at
// once: one create is lost before it commits while the other's answer is
// late. The lost one's reconciliation must not adopt the other's key (which
// would leave one key shared by two resources, and destroying one would
// delete the other's): the apply ends with two keys and two IDs.
func TestAccReliability_sameNameCreatesRace(t *testing.T) {
	env := acctest.NewEnv(t, emulator.Config{})
	env.NeedsEmulator(t)
	env.Emulator.SetFaults(emulator.Faults{Faults: []emulator.Fault{
		{Route: emulator.RouteCreate, Kind: emulator.FaultReset, Count: 1},
		{Route: emulator.RouteCreate, Kind: emulator.FaultLate, Delay: 2 * time.Second, Count: 1},
	}})
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: factories(env),
		CheckDestroy:             env.CheckDestroyed,
		Steps: []resource.TestStep{{
			Config: env.Config(`
resource "ncp_apigw_api_key" "same" {
  count = 2
  name  = "same-name"
}
`),
			ConfigPlanChecks: acctest.EmptyPlanAfterApply,
			Check: resource.ComposeAggregateTestCheckFunc(
				env.CheckKeyCount(2),
				env.CheckStateMatchesEmulator,
				func(s *terraform.State) error {
					if n := len(acctest.StateKeys(s)); n != 2 {
						return fmt.Errorf("state holds %d distinct keys for 2 resources", n)
					}
					if f := env.Emulator.Stats().Faults; f[emulator.FaultReset] != 1 || f[emulator.FaultLate] != 1 {
						return fmt.Errorf("faults injected %v, want one reset and one late answer", f)
					}
					return nil
				},
			),
		}},
	})
}

// TestAccReliability_createTimesOutAfterCommitting: the create commits but
// its answer never comes, and the create's own timeout ends first. The
// provider still finds the key it made, with a short time of its own, and
// records it: nothing is orphaned, nothing is made twice.
func TestAccReliability_createTimesOutAfterCommitting(t *testing.T) {
	env := acctest.NewEnv(t, emulator.Config{})
	env.NeedsEmulator(t)
	env.Emulator.SetFaults(emulator.Faults{Faults: []emulator.Fault{{Route: emulator.RouteCreate, Kind: emulator.FaultLate}}})
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: factories(env),
		CheckDestroy:             env.CheckDestroyed,
		Steps: []resource.TestStep{{
			Config: env.Config(acctest.KeyConfig(`
  name = "timed-out"
  timeouts {
    create = "3s"
  }
`)),
			ConfigPlanChecks: acctest.EmptyPlanAfterApply,
			Check: resource.ComposeAggregateTestCheckFunc(
				env.CheckKeyCount(1),
				env.CheckStateMatchesEmulator,
				env.CheckRequests(map[emulator.Route]int{emulator.RouteCreate: 1}),
			),
		}},
	})
}

// TestAccReliability_lostCreateWithServerClockApart loses create answers,
// after and before the create commits, against a server whose clock is up
// to 4 minutes from ours: inside NCP's 5-minute signature window, so no
// request is refused to warn the client. Reconciliation looks for the key in
// the server's time: no key is made twice, none is orphaned.
func TestAccReliability_lostCreateWithServerClockApart(t *testing.T) {
	for _, offset := range []time.Duration{-4 * time.Minute, -40 * time.Second, 40 * time.Second, 4 * time.Minute} {
		t.Run(offset.String(), func(t *testing.T) {
			env := acctest.NewEnv(t, emulator.Config{})
			env.NeedsEmulator(t)
			env.Emulator.SetFaults(emulator.Faults{
				ClockOffset: offset,
				Faults: []emulator.Fault{
					{Route: emulator.RouteCreate, Kind: emulator.FaultDrop, Count: 2},
					{Route: emulator.RouteCreate, Kind: emulator.FaultReset, Count: 2},
				},
			})
			resource.ParallelTest(t, resource.TestCase{
				ProtoV6ProviderFactories: factories(env),
				CheckDestroy:             env.CheckDestroyed,
				Steps: []resource.TestStep{{
					Config: env.Config(`
resource "ncp_apigw_api_key" "skewed" {
  count = 6
  name  = "skewed-${count.index}"
}
`),
					ConfigPlanChecks: acctest.EmptyPlanAfterApply,
					Check: func(s *terraform.State) error {
						orphans, duplicates := env.OrphansAndDuplicates(s)
						faults := env.Emulator.Stats().Faults
						t.Logf("server clock %s from ours: %d creates lost after commit, %d before; %d orphans, %d duplicates",
							offset, faults[emulator.FaultDrop], faults[emulator.FaultReset], orphans, duplicates)
						if faults[emulator.FaultDrop] != 2 || faults[emulator.FaultReset] != 2 {
							return fmt.Errorf("faults injected %v, want 2 drops and 2 resets", faults)
						}
						return env.StateMatchesEmulator(s)
					},
				}},
			})
		})
	}
}

// TestAccReliability_partialBothRotation rotates BOTH keys; the primary is
// regenerated and the secondary fails for good. The next apply regenerates
// only the secondary key, the one not rotated yet.
func TestAccReliability_partialBothRotation(t *testing.T) {
	env := acctest.NewEnv(t, emulator.Config{})
	env.NeedsEmulator(t)
	config := func(trigger string) string {
		return env.Config(acctest.KeyConfig(fmt.Sprintf(`
  name            = "half-rotated"
  rotate_trigger  = %q
  rotate_key_type = "BOTH"
`, trigger)))
	}
	var before emulator.Key
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: factories(env),
		CheckDestroy:             env.CheckDestroyed,
		Steps: []resource.TestStep{
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
				Check: resource.ComposeAggregateTestCheckFunc(
					env.CheckKeyMatchesAPI(acctest.KeyAddr),
					env.CheckRequests(map[emulator.Route]int{emulator.RouteRegenerate: 1}),
				),
			},
		},
	})
}

package provider

import (
	"fmt"
	"slices"
	"testing"

	tfjson "github.com/hashicorp/terraform-json"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/ncp-community/terraform-provider-ncp/internal/acctest"
	"github.com/ncp-community/terraform-provider-ncp/internal/emulator"
)

// applyRequests counts the requests of each apply alone: Snapshot, as a
// pre-apply plan check, takes the counters after the plan; Since, in the
// step's Check, compares them after the apply.
type applyRequests struct {
	env    *acctest.Env
	before emulator.Stats
	key    emulator.Key // the key at KeyAddr before the apply
}

func (a *applyRequests) Snapshot() plancheck.PlanCheck {
	return acctest.ActBeforeApply(func() {
		a.before = a.env.Emulator.Stats()
		if keys := a.env.Emulator.Keys(); len(keys) == 1 {
			a.key = keys[0]
		}
	})
}

// Expect asserts the apply's request count of each route in want, and of
// every other route zero.
func (a *applyRequests) Expect(want map[emulator.Route]int) statecheck.StateCheck {
	return acctest.StateCheckFunc(func(*tfjson.State) error {
		after := a.env.Emulator.Stats().Requests
		for _, route := range []emulator.Route{emulator.RouteCreate, emulator.RouteGet, emulator.RouteList, emulator.RouteEdit, emulator.RouteRegenerate, emulator.RouteDelete} {
			if got := after[route] - a.before.Requests[route]; got != want[route] {
				return fmt.Errorf("the apply sent %d %s requests, want %d", got, route, want[route])
			}
		}
		return nil
	})
}

// The checks that a plan or a state has no key values.
var (
	plannedNullKeyValues = []plancheck.PlanCheck{
		plancheck.ExpectKnownValue(acctest.KeyAddr, tfjsonpath.New("primary_key"), knownvalue.Null()),
		plancheck.ExpectKnownValue(acctest.KeyAddr, tfjsonpath.New("secondary_key"), knownvalue.Null()),
	}
	nullKeyValues = []statecheck.StateCheck{
		acctest.KeyValue("primary_key", knownvalue.Null()),
		acctest.KeyValue("secondary_key", knownvalue.Null()),
	}
)

// TestAccAPIKey_storeKeyValues creates a key whose values state does not
// keep, rotates it, then turns store_key_values on and off: the values are
// null in every plan and state while it is false, and appear in no state or
// plan JSON; rotation regenerates all the same; turning it off writes
// nothing, and turning it on reads the values once.
func TestAccAPIKey_storeKeyValues(t *testing.T) {
	env := acctest.NewEnv(t, emulator.Config{})
	env.NeedsEmulator(t)
	apply := &applyRequests{env: env}
	config := func(store bool, trigger string) string {
		return env.Config(acctest.KeyConfig(fmt.Sprintf(`
  name             = "acc-unstored"
  store_key_values = %t
  rotate_trigger   = %q
  rotate_key_type  = "BOTH"
`, store, trigger)))
	}
	keyValuesChanged := acctest.StateCheckFunc(func(*tfjson.State) error {
		now := acctest.KeyByName(t, env.Emulator, "acc-unstored")
		if now.PrimaryKey == apply.key.PrimaryKey || now.SecondaryKey == apply.key.SecondaryKey {
			return fmt.Errorf("the emulator's key values did not change")
		}
		return nil
	})
	// An update in place to store_key_values = false and trigger: null key
	// values in its plan and state, and none in either's JSON.
	unstoredUpdate := func(trigger string, checks ...statecheck.StateCheck) resource.TestStep {
		return resource.TestStep{
			Config: config(false, trigger),
			ConfigPlanChecks: resource.ConfigPlanChecks{
				PreApply: append([]plancheck.PlanCheck{
					apply.Snapshot(),
					plancheck.ExpectResourceAction(acctest.KeyAddr, plancheck.ResourceActionUpdate),
				}, plannedNullKeyValues...),
				PostApplyPostRefresh: []plancheck.PlanCheck{env.ExpectNoKeyValuesInPlan()},
			},
			ConfigStateChecks: slices.Concat(checks, []statecheck.StateCheck{env.ExpectNoKeyValuesInState(), env.ExpectKeyMatchesAPI(acctest.KeyAddr)}, nullKeyValues),
		}
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: factories(env),
		CheckDestroy:             env.CheckDestroyed(0),
		Steps: []resource.TestStep{
			{
				Config: config(false, "t0"),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply:             append([]plancheck.PlanCheck{apply.Snapshot()}, plannedNullKeyValues...),
					PostApplyPostRefresh: []plancheck.PlanCheck{env.ExpectNoKeyValuesInPlan()},
				},
				ConfigStateChecks: append(append([]statecheck.StateCheck{
					acctest.KeyValue("store_key_values", knownvalue.Bool(false)),
					env.ExpectNoKeyValuesInState(),
				}, nullKeyValues...), apply.Expect(map[emulator.Route]int{emulator.RouteCreate: 1, emulator.RouteEdit: 1}), env.ExpectKeyMatchesAPI(acctest.KeyAddr)),
			},
			// Rotation regenerates both keys; state still keeps neither.
			unstoredUpdate("t1", apply.Expect(map[emulator.Route]int{emulator.RouteRegenerate: 2}), keyValuesChanged),
			{
				// false → true: one read fetches the values.
				Config: config(true, "t1"),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{
						apply.Snapshot(),
						plancheck.ExpectResourceAction(acctest.KeyAddr, plancheck.ResourceActionUpdate),
						plancheck.ExpectUnknownValue(acctest.KeyAddr, tfjsonpath.New("primary_key")),
						plancheck.ExpectUnknownValue(acctest.KeyAddr, tfjsonpath.New("secondary_key")),
					},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					acctest.KeyValue("primary_key", knownvalue.StringRegexp(acctest.KeyValueRegexp)),
					acctest.KeyValue("secondary_key", knownvalue.StringRegexp(acctest.KeyValueRegexp)),
					apply.Expect(map[emulator.Route]int{emulator.RouteGet: 1}),
					env.ExpectKeyMatchesAPI(acctest.KeyAddr),
				},
			},
			// true → false: the values leave state; nothing is sent.
			unstoredUpdate("t1", apply.Expect(nil)),
		},
	})
}

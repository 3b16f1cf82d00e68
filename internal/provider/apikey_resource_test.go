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
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/ncp-community/terraform-provider-ncp/internal/acctest"
	"github.com/ncp-community/terraform-provider-ncp/internal/emulator"
	"github.com/ncp-community/terraform-provider-ncp/internal/ncpclient"
)

func TestAccAPIKey_createAndImport(t *testing.T) {
	env := acctest.NewEnv(t, emulator.Config{})
	config := env.Config(acctest.KeyConfig(`
  name        = "acc-basic"
  description = "created by an acceptance test"
`))
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: factories(env),
		CheckDestroy:             env.CheckDestroyed(0),
		Steps: []resource.TestStep{
			{
				Config: config,
				ConfigStateChecks: []statecheck.StateCheck{
					acctest.KeyValue("id", knownvalue.StringRegexp(regexp.MustCompile(`^\w+$`))),
					acctest.KeyValue("name", knownvalue.StringExact("acc-basic")),
					acctest.KeyValue("description", knownvalue.StringExact("created by an acceptance test")),
					acctest.KeyValue("enabled", knownvalue.Bool(true)),
					acctest.KeyValue("rotate_key_type", knownvalue.StringExact("PRIMARY")),
					acctest.KeyValue("rotate_trigger", knownvalue.Null()),
					acctest.KeyValue("primary_key", knownvalue.StringRegexp(acctest.KeyValueRegexp)),
					acctest.KeyValue("secondary_key", knownvalue.StringRegexp(acctest.KeyValueRegexp)),
					acctest.KeyValue("tenant_id", knownvalue.NotNull()),
					acctest.KeyValue("modifier", knownvalue.NotNull()),
					acctest.KeyValue("domain_code", knownvalue.NotNull()),
					acctest.KeyValue("mod_time", knownvalue.StringRegexp(regexp.MustCompile(`^\d{4}-\d\d-\d\dT`))),
					statecheck.ExpectSensitiveValue(acctest.KeyAddr, tfjsonpath.New("primary_key")),
					statecheck.ExpectSensitiveValue(acctest.KeyAddr, tfjsonpath.New("secondary_key")),
					env.ExpectKeyMatchesAPI(acctest.KeyAddr),
				},
			},
			{
				ResourceName:      acctest.KeyAddr,
				ImportState:       true,
				ImportStateVerify: true,
			},
			{
				ResourceName:    acctest.KeyAddr,
				ImportState:     true,
				ImportStateKind: resource.ImportBlockWithID,
				Config:          config,
				ImportPlanChecks: resource.ImportPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(acctest.KeyAddr, plancheck.ResourceActionNoop)},
				},
			},
		},
	})
}

func TestAccAPIKey_createDisabled(t *testing.T) {
	env := acctest.NewEnv(t, emulator.Config{})
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: factories(env),
		CheckDestroy:             env.CheckDestroyed(0),
		Steps: []resource.TestStep{
			{
				Config: env.Config(acctest.KeyConfig(`
  name    = "acc-disabled"
  enabled = false
`)),
				ConfigStateChecks: []statecheck.StateCheck{
					acctest.KeyValue("enabled", knownvalue.Bool(false)),
					acctest.KeyValue("description", knownvalue.StringExact("")),
					env.ExpectKeyMatchesAPI(acctest.KeyAddr),
				},
			},
		},
	})
}

// TestAccAPIKey_updateInPlace changes each argument in turn and proves that
// every change is an in-place update of the same key, with key values kept.
func TestAccAPIKey_updateInPlace(t *testing.T) {
	env := acctest.NewEnv(t, emulator.Config{})
	sameID := statecheck.CompareValue(compare.ValuesSame())
	samePrimary := statecheck.CompareValue(compare.ValuesSame())
	sameSecondary := statecheck.CompareValue(compare.ValuesSame())
	unchangedKey := func(checks ...statecheck.StateCheck) []statecheck.StateCheck {
		return append(checks,
			sameID.AddStateValue(acctest.KeyAddr, tfjsonpath.New("id")),
			samePrimary.AddStateValue(acctest.KeyAddr, tfjsonpath.New("primary_key")),
			sameSecondary.AddStateValue(acctest.KeyAddr, tfjsonpath.New("secondary_key")),
		)
	}
	// An edit plans a new mod_time and nothing else unknown.
	editPlan := acctest.ExpectUpdateInPlace(acctest.KeyAddr,
		plancheck.ExpectUnknownValue(acctest.KeyAddr, tfjsonpath.New("mod_time")),
		plancheck.ExpectKnownValue(acctest.KeyAddr, tfjsonpath.New("primary_key"), knownvalue.StringRegexp(acctest.KeyValueRegexp)),
		plancheck.ExpectKnownValue(acctest.KeyAddr, tfjsonpath.New("secondary_key"), knownvalue.StringRegexp(acctest.KeyValueRegexp)),
	)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: factories(env),
		CheckDestroy:             env.CheckDestroyed(0),
		Steps: []resource.TestStep{
			{
				Config:            env.Config(acctest.KeyConfig(`name = "acc-update"`)),
				ConfigStateChecks: unchangedKey(acctest.KeyValue("description", knownvalue.StringExact(""))),
			},
			{
				// "" and unset are the same description: no diff.
				Config:   env.Config(acctest.KeyConfig(`name = "acc-update"` + "\n" + `description = ""`)),
				PlanOnly: true,
			},
			{
				Config:            env.Config(acctest.KeyConfig(`name = "acc-renamed"`)),
				ConfigPlanChecks:  editPlan,
				ConfigStateChecks: append(unchangedKey(acctest.KeyValue("name", knownvalue.StringExact("acc-renamed"))), env.ExpectKeyMatchesAPI(acctest.KeyAddr)),
			},
			{
				Config:            env.Config(acctest.KeyConfig(`name = "acc-renamed"` + "\n" + `description = "now described"`)),
				ConfigPlanChecks:  editPlan,
				ConfigStateChecks: append(unchangedKey(acctest.KeyValue("description", knownvalue.StringExact("now described"))), env.ExpectKeyMatchesAPI(acctest.KeyAddr)),
			},
			{
				Config:            env.Config(acctest.KeyConfig(`name = "acc-renamed"` + "\n" + `description = "now described"` + "\n" + `enabled = false`)),
				ConfigPlanChecks:  editPlan,
				ConfigStateChecks: append(unchangedKey(acctest.KeyValue("enabled", knownvalue.Bool(false))), env.ExpectKeyMatchesAPI(acctest.KeyAddr)),
			},
			{
				Config:            env.Config(acctest.KeyConfig(`name = "acc-renamed"`)),
				ConfigPlanChecks:  editPlan,
				ConfigStateChecks: append(unchangedKey(acctest.KeyValue("enabled", knownvalue.Bool(true)), acctest.KeyValue("description", knownvalue.StringExact(""))), env.ExpectKeyMatchesAPI(acctest.KeyAddr)),
			},
		},
	})
}

// rotationStep applies a trigger and key type and checks which key changed.
type rotationStep struct {
	trigger, keyType         string
	primaryNew, secondaryNew bool
	wantRegenerates          int
}

// TestAccAPIKey_rotate rotates PRIMARY, SECONDARY and BOTH in place and
// proves that only the chosen keys change, the id never does, and each
// rotation costs exactly one regenerate request per key.
func TestAccAPIKey_rotate(t *testing.T) {
	env := acctest.NewEnv(t, emulator.Config{})
	steps := []rotationStep{
		{trigger: "", keyType: ""}, // create: no trigger
		{trigger: "v1", keyType: "", primaryNew: true, wantRegenerates: 1},                         // unset -> value rotates, PRIMARY by default
		{trigger: "v2", keyType: "SECONDARY", secondaryNew: true, wantRegenerates: 2},              // change both: only the secondary rotates
		{trigger: "v3", keyType: "BOTH", primaryNew: true, secondaryNew: true, wantRegenerates: 4}, // both
		{trigger: "v3", keyType: "PRIMARY", wantRegenerates: 4},                                    // key type alone: nothing
		{trigger: "", keyType: "PRIMARY", wantRegenerates: 4},                                      // trigger removed: nothing
	}

	sameID := statecheck.CompareValue(compare.ValuesSame())
	var previousKeys [2]string
	var testSteps []resource.TestStep
	for i, s := range steps {
		attrs := `name = "acc-rotate"`
		if s.trigger != "" {
			attrs += fmt.Sprintf("\nrotate_trigger = %q", s.trigger)
		}
		if s.keyType != "" {
			attrs += fmt.Sprintf("\nrotate_key_type = %q", s.keyType)
		}
		step := resource.TestStep{
			Config: env.Config(acctest.KeyConfig(attrs)),
			ConfigStateChecks: []statecheck.StateCheck{
				sameID.AddStateValue(acctest.KeyAddr, tfjsonpath.New("id")),
			},
		}
		if i > 0 {
			step.ConfigPlanChecks = acctest.ExpectUpdateInPlace(acctest.KeyAddr,
				acctest.KeyPlanned("primary_key", s.primaryNew),
				acctest.KeyPlanned("secondary_key", s.secondaryNew),
				acctest.KeyPlanned("mod_time", s.primaryNew || s.secondaryNew),
			)
		}
		want := s.wantRegenerates
		step.ConfigStateChecks = append(step.ConfigStateChecks,
			env.ExpectKeyMatchesAPI(acctest.KeyAddr),
			checkKeyChanges(&previousKeys, i, s.primaryNew, s.secondaryNew),
			acctest.StateCheckFunc(func(*tfjson.State) error {
				if env.Emulator == nil {
					return nil
				}
				if got := env.Emulator.Stats().Requests[emulator.RouteRegenerate]; got != want {
					return fmt.Errorf("after step %d: %d regenerate requests, want %d", i+1, got, want)
				}
				return nil
			}),
		)
		testSteps = append(testSteps, step)
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: factories(env),
		CheckDestroy:             env.CheckDestroyed(0),
		Steps:                    testSteps,
	})
}

// checkKeyChanges compares the key values with those of the previous step,
// kept in previous, asserting which changed without printing them.
func checkKeyChanges(previous *[2]string, step int, primaryNew, secondaryNew bool) statecheck.StateCheck {
	return acctest.StateCheckFunc(func(s *tfjson.State) error {
		attrs := acctest.StateKeys(s)[acctest.KeyAddr]
		current := [2]string{attrs["primary_key"], attrs["secondary_key"]}
		last := *previous
		*previous = current
		if step == 0 {
			return nil
		}
		if changed := current[0] != last[0]; changed != primaryNew {
			return fmt.Errorf("step %d: primary key changed = %t, want %t", step+1, changed, primaryNew)
		}
		if changed := current[1] != last[1]; changed != secondaryNew {
			return fmt.Errorf("step %d: secondary key changed = %t, want %t", step+1, changed, secondaryNew)
		}
		return nil
	})
}

func TestAccAPIKey_rotateTriggerAtCreateRegeneratesNothing(t *testing.T) {
	env := acctest.NewEnv(t, emulator.Config{})
	env.NeedsEmulator(t)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: factories(env),
		CheckDestroy:             env.CheckDestroyed(0),
		Steps: []resource.TestStep{{
			Config: env.Config(acctest.KeyConfig(`
  name            = "acc-rotate-create"
  rotate_trigger  = "initial"
  rotate_key_type = "BOTH"
`)),
			ConfigStateChecks: []statecheck.StateCheck{env.ExpectRouteRequests(map[emulator.Route]int{emulator.RouteCreate: 1, emulator.RouteRegenerate: 0})},
		}},
	})
}

// TestAccAPIKey_driftOutOfBand changes the key behind Terraform's back:
// a rename, a disable and a rotation show up on refresh, and the plan puts
// name and state back in place; a delete makes the plan re-create it.
func TestAccAPIKey_driftOutOfBand(t *testing.T) {
	env := acctest.NewEnv(t, emulator.Config{})
	config := env.Config(acctest.KeyConfig(`name = "acc-drift"`))
	var id string
	sameID := statecheck.CompareValue(compare.ValuesSame())
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: factories(env),
		CheckDestroy:             env.CheckDestroyed(0),
		Steps: []resource.TestStep{
			{
				Config: config,
				ConfigStateChecks: []statecheck.StateCheck{
					sameID.AddStateValue(acctest.KeyAddr, tfjsonpath.New("id")),
					acctest.CaptureKeyID(&id),
				},
			},
			{
				PreConfig: func() {
					if _, err := env.Client.UpdateAPIKey(context.Background(), id, ncpclient.UpdateAPIKeyInput{Name: "renamed-by-hand", Enabled: false}); err != nil {
						t.Fatal(err)
					}
				},
				Config:             config,
				PlanOnly:           true,
				ExpectNonEmptyPlan: true,
			},
			{
				Config: config,
				ConfigPlanChecks: acctest.ExpectUpdateInPlace(acctest.KeyAddr,
					plancheck.ExpectKnownValue(acctest.KeyAddr, tfjsonpath.New("name"), knownvalue.StringExact("acc-drift")),
					plancheck.ExpectKnownValue(acctest.KeyAddr, tfjsonpath.New("enabled"), knownvalue.Bool(true)),
				),
				ConfigStateChecks: []statecheck.StateCheck{
					sameID.AddStateValue(acctest.KeyAddr, tfjsonpath.New("id")),
					env.ExpectKeyMatchesAPI(acctest.KeyAddr),
				},
			},
			{
				// A rotation by hand is read back: state holds the live key, and nothing is planned.
				PreConfig: func() {
					outlastModTimeSecond()
					if _, err := env.Client.RegenerateAPIKey(context.Background(), id, ncpclient.KeyTypePrimary); err != nil {
						t.Fatal(err)
					}
				},
				RefreshState:      true,
				RefreshPlanChecks: afterRefresh(env.ExpectKeyMatchesAPI(acctest.KeyAddr)),
			},
			{
				Config:           config,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
			},
			{
				PreConfig: func() {
					if err := env.Client.DeleteAPIKey(context.Background(), id); err != nil {
						t.Fatal(err)
					}
				},
				Config: config,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(acctest.KeyAddr, plancheck.ResourceActionCreate)},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					env.ExpectKeyMatchesAPI(acctest.KeyAddr),
					acctest.KeyValue("id", knownvalue.StringFunc(func(v string) error {
						if v == id {
							return fmt.Errorf("re-created key kept the deleted id %s", id)
						}
						return nil
					})),
				},
			},
		},
	})
}

func TestAccAPIKey_importErrors(t *testing.T) {
	env := acctest.NewEnv(t, emulator.Config{})
	config := env.Config(acctest.KeyConfig(`name = "acc-import"`))
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: factories(env),
		Steps: []resource.TestStep{
			{
				Config:        config,
				ResourceName:  acctest.KeyAddr,
				ImportState:   true,
				ImportStateId: "doesnotexist",
				ExpectError:   regexp.MustCompile(`Cannot import non-existent remote object`),
			},
			{
				Config:        config,
				ResourceName:  acctest.KeyAddr,
				ImportState:   true,
				ImportStateId: "a/b",
				ExpectError:   regexp.MustCompile(`Invalid import ID`),
			},
		},
	})
}

// TestAccAPIKey_timeouts accepts a timeouts block, and a too short timeout
// ends the operation with an error that says so.
func TestAccAPIKey_timeouts(t *testing.T) {
	env := acctest.NewEnv(t, emulator.Config{})
	env.NeedsEmulator(t)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: factories(env),
		CheckDestroy:             env.CheckDestroyed(0),
		Steps: []resource.TestStep{
			{
				PreConfig: func() {
					env.Emulator.SetFaults(emulator.Faults{Faults: []emulator.Fault{{Route: emulator.RouteCreate, Kind: emulator.FaultError, Status: 503}}})
				},
				Config: env.Config(acctest.KeyConfig(`
  name = "acc-timeouts"
  timeouts {
    create = "2s"
  }
`)),
				ExpectError: regexp.MustCompile(`Error creating API key "acc-timeouts"`),
			},
			{
				PreConfig: func() { env.Emulator.SetFaults(emulator.Faults{}) },
				Config: env.Config(acctest.KeyConfig(`
  name = "acc-timeouts"
  timeouts {
    create = "1m"
    update = "1m"
  }
`)),
				ConfigStateChecks: []statecheck.StateCheck{env.ExpectKeyMatchesAPI(acctest.KeyAddr)},
			},
		},
	})
}

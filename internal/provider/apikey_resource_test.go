package provider

import (
	"context"
	"fmt"
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/compare"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/ncp-community/terraform-provider-ncp/internal/emulator"
	"github.com/ncp-community/terraform-provider-ncp/internal/ncpclient"
)

const testKeyAddr = "ncp_apigw_api_key.test"

var keyValueRegexp = regexp.MustCompile(`^[A-Za-z0-9]{40}$`)

func apiKeyConfig(attrs string) string {
	return fmt.Sprintf(`
resource "ncp_apigw_api_key" "test" {
%s
}
`, attrs)
}

// emptyPlanAfterApply is the check every applying step ends with.
var emptyPlanAfterApply = resource.ConfigPlanChecks{
	PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
}

func expectUpdateInPlace(extra ...plancheck.PlanCheck) resource.ConfigPlanChecks {
	return resource.ConfigPlanChecks{
		PreApply:             append([]plancheck.PlanCheck{plancheck.ExpectResourceAction(testKeyAddr, plancheck.ResourceActionUpdate)}, extra...),
		PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
	}
}

func stateValue(attr string, check knownvalue.Check) statecheck.StateCheck {
	return statecheck.ExpectKnownValue(testKeyAddr, tfjsonpath.New(attr), check)
}

func TestAccAPIKey_createAndImport(t *testing.T) {
	env := newTestEnv(t, emulator.Config{})
	config := env.config(apiKeyConfig(`
  name        = "acc-basic"
  description = "created by an acceptance test"
`))
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             env.checkDestroyed,
		Steps: []resource.TestStep{
			{
				Config: config,
				ConfigStateChecks: []statecheck.StateCheck{
					stateValue("id", knownvalue.StringRegexp(regexp.MustCompile(`^\w+$`))),
					stateValue("name", knownvalue.StringExact("acc-basic")),
					stateValue("description", knownvalue.StringExact("created by an acceptance test")),
					stateValue("enabled", knownvalue.Bool(true)),
					stateValue("rotate_key_type", knownvalue.StringExact("PRIMARY")),
					stateValue("rotate_trigger", knownvalue.Null()),
					stateValue("primary_key", knownvalue.StringRegexp(keyValueRegexp)),
					stateValue("secondary_key", knownvalue.StringRegexp(keyValueRegexp)),
					stateValue("tenant_id", knownvalue.NotNull()),
					stateValue("modifier", knownvalue.NotNull()),
					stateValue("domain_code", knownvalue.NotNull()),
					stateValue("mod_time", knownvalue.StringRegexp(regexp.MustCompile(`^\d{4}-\d\d-\d\dT`))),
					statecheck.ExpectSensitiveValue(testKeyAddr, tfjsonpath.New("primary_key")),
					statecheck.ExpectSensitiveValue(testKeyAddr, tfjsonpath.New("secondary_key")),
				},
				Check:            env.checkKeyMatchesAPI,
				ConfigPlanChecks: emptyPlanAfterApply,
			},
			{
				ResourceName:      testKeyAddr,
				ImportState:       true,
				ImportStateVerify: true,
			},
			{
				ResourceName:    testKeyAddr,
				ImportState:     true,
				ImportStateKind: resource.ImportBlockWithID,
				Config:          config,
				ImportPlanChecks: resource.ImportPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(testKeyAddr, plancheck.ResourceActionNoop)},
				},
			},
		},
	})
}

func TestAccAPIKey_createDisabled(t *testing.T) {
	env := newTestEnv(t, emulator.Config{})
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             env.checkDestroyed,
		Steps: []resource.TestStep{
			{
				Config: env.config(apiKeyConfig(`
  name    = "acc-disabled"
  enabled = false
`)),
				ConfigStateChecks: []statecheck.StateCheck{
					stateValue("enabled", knownvalue.Bool(false)),
					stateValue("description", knownvalue.StringExact("")),
				},
				Check:            env.checkKeyMatchesAPI,
				ConfigPlanChecks: emptyPlanAfterApply,
			},
		},
	})
}

// TestAccAPIKey_updateInPlace changes each argument in turn and proves that
// every change is an in-place update of the same key, with key values kept.
func TestAccAPIKey_updateInPlace(t *testing.T) {
	env := newTestEnv(t, emulator.Config{})
	sameID := statecheck.CompareValue(compare.ValuesSame())
	samePrimary := statecheck.CompareValue(compare.ValuesSame())
	sameSecondary := statecheck.CompareValue(compare.ValuesSame())
	unchangedKey := func(checks ...statecheck.StateCheck) []statecheck.StateCheck {
		return append(checks,
			sameID.AddStateValue(testKeyAddr, tfjsonpath.New("id")),
			samePrimary.AddStateValue(testKeyAddr, tfjsonpath.New("primary_key")),
			sameSecondary.AddStateValue(testKeyAddr, tfjsonpath.New("secondary_key")),
		)
	}
	// An edit plans a new mod_time and nothing else unknown.
	editPlan := expectUpdateInPlace(
		plancheck.ExpectUnknownValue(testKeyAddr, tfjsonpath.New("mod_time")),
		plancheck.ExpectKnownValue(testKeyAddr, tfjsonpath.New("primary_key"), knownvalue.StringRegexp(keyValueRegexp)),
		plancheck.ExpectKnownValue(testKeyAddr, tfjsonpath.New("secondary_key"), knownvalue.StringRegexp(keyValueRegexp)),
	)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             env.checkDestroyed,
		Steps: []resource.TestStep{
			{
				Config:            env.config(apiKeyConfig(`name = "acc-update"`)),
				ConfigStateChecks: unchangedKey(stateValue("description", knownvalue.StringExact(""))),
				ConfigPlanChecks:  emptyPlanAfterApply,
			},
			{
				// "" and unset are the same description: no diff.
				Config:   env.config(apiKeyConfig(`name = "acc-update"` + "\n" + `description = ""`)),
				PlanOnly: true,
			},
			{
				Config:            env.config(apiKeyConfig(`name = "acc-renamed"`)),
				ConfigPlanChecks:  editPlan,
				ConfigStateChecks: unchangedKey(stateValue("name", knownvalue.StringExact("acc-renamed"))),
				Check:             env.checkKeyMatchesAPI,
			},
			{
				Config:            env.config(apiKeyConfig(`name = "acc-renamed"` + "\n" + `description = "now described"`)),
				ConfigPlanChecks:  editPlan,
				ConfigStateChecks: unchangedKey(stateValue("description", knownvalue.StringExact("now described"))),
				Check:             env.checkKeyMatchesAPI,
			},
			{
				Config:            env.config(apiKeyConfig(`name = "acc-renamed"` + "\n" + `description = "now described"` + "\n" + `enabled = false`)),
				ConfigPlanChecks:  editPlan,
				ConfigStateChecks: unchangedKey(stateValue("enabled", knownvalue.Bool(false))),
				Check:             env.checkKeyMatchesAPI,
			},
			{
				Config:            env.config(apiKeyConfig(`name = "acc-renamed"`)),
				ConfigPlanChecks:  editPlan,
				ConfigStateChecks: unchangedKey(stateValue("enabled", knownvalue.Bool(true)), stateValue("description", knownvalue.StringExact(""))),
				Check:             env.checkKeyMatchesAPI,
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
	env := newTestEnv(t, emulator.Config{})
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
			Config: env.config(apiKeyConfig(attrs)),
			ConfigStateChecks: []statecheck.StateCheck{
				sameID.AddStateValue(testKeyAddr, tfjsonpath.New("id")),
			},
			ConfigPlanChecks: emptyPlanAfterApply,
		}
		if i > 0 {
			step.ConfigPlanChecks = expectUpdateInPlace(
				keyPlanCheck("primary_key", s.primaryNew),
				keyPlanCheck("secondary_key", s.secondaryNew),
				keyPlanCheck("mod_time", s.primaryNew || s.secondaryNew),
			)
		}
		want := s.wantRegenerates
		step.Check = resource.ComposeAggregateTestCheckFunc(
			env.checkKeyMatchesAPI,
			checkKeyChanges(&previousKeys, i, s.primaryNew, s.secondaryNew),
			func(*terraform.State) error {
				if env.emu == nil {
					return nil
				}
				if got := env.emu.Stats().Requests[emulator.RouteRegenerate]; got != want {
					return fmt.Errorf("after step %d: %d regenerate requests, want %d", i+1, got, want)
				}
				return nil
			},
		)
		testSteps = append(testSteps, step)
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             env.checkDestroyed,
		Steps:                    testSteps,
	})
}

// keyPlanCheck expects a key attribute unknown in the plan when it is to
// change, and known otherwise.
func keyPlanCheck(attr string, changes bool) plancheck.PlanCheck {
	if changes {
		return plancheck.ExpectUnknownValue(testKeyAddr, tfjsonpath.New(attr))
	}
	return plancheck.ExpectKnownValue(testKeyAddr, tfjsonpath.New(attr), knownvalue.NotNull())
}

// checkKeyChanges compares the key values with those of the previous step,
// kept in previous, asserting which changed without printing them.
func checkKeyChanges(previous *[2]string, step int, primaryNew, secondaryNew bool) resource.TestCheckFunc {
	return func(s *terraform.State) error {
		attrs := s.RootModule().Resources[testKeyAddr].Primary.Attributes
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
	}
}

func TestAccAPIKey_rotateTriggerAtCreateRegeneratesNothing(t *testing.T) {
	env := newTestEnv(t, emulator.Config{})
	env.needsEmulator(t)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             env.checkDestroyed,
		Steps: []resource.TestStep{{
			Config: env.config(apiKeyConfig(`
  name            = "acc-rotate-create"
  rotate_trigger  = "initial"
  rotate_key_type = "BOTH"
`)),
			ConfigPlanChecks: emptyPlanAfterApply,
			Check: func(*terraform.State) error {
				stats := env.emu.Stats().Requests
				if stats[emulator.RouteRegenerate] != 0 || stats[emulator.RouteCreate] != 1 {
					return fmt.Errorf("create with a trigger sent %d creates and %d regenerates, want 1 and 0",
						stats[emulator.RouteCreate], stats[emulator.RouteRegenerate])
				}
				return nil
			},
		}},
	})
}

// TestAccAPIKey_driftOutOfBand changes the key behind Terraform's back:
// a rename, a disable and a rotation show up on refresh, and the plan puts
// name and state back in place; a delete makes the plan re-create it.
func TestAccAPIKey_driftOutOfBand(t *testing.T) {
	env := newTestEnv(t, emulator.Config{})
	config := env.config(apiKeyConfig(`name = "acc-drift"`))
	var id string
	sameID := statecheck.CompareValue(compare.ValuesSame())
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             env.checkDestroyed,
		Steps: []resource.TestStep{
			{
				Config:            config,
				ConfigStateChecks: []statecheck.StateCheck{sameID.AddStateValue(testKeyAddr, tfjsonpath.New("id"))},
				Check:             resource.TestCheckResourceAttrWith(testKeyAddr, "id", func(v string) error { id = v; return nil }),
			},
			{
				PreConfig: func() {
					if _, err := env.client.UpdateAPIKey(context.Background(), id, ncpclient.UpdateAPIKeyInput{Name: "renamed-by-hand", Enabled: false}); err != nil {
						t.Fatal(err)
					}
				},
				Config:             config,
				PlanOnly:           true,
				ExpectNonEmptyPlan: true,
			},
			{
				Config: config,
				ConfigPlanChecks: expectUpdateInPlace(
					plancheck.ExpectKnownValue(testKeyAddr, tfjsonpath.New("name"), knownvalue.StringExact("acc-drift")),
					plancheck.ExpectKnownValue(testKeyAddr, tfjsonpath.New("enabled"), knownvalue.Bool(true)),
				),
				ConfigStateChecks: []statecheck.StateCheck{sameID.AddStateValue(testKeyAddr, tfjsonpath.New("id"))},
				Check:             env.checkKeyMatchesAPI,
			},
			{
				// A rotation by hand is read back: state holds the live key, and nothing is planned.
				PreConfig: func() {
					if _, err := env.client.RegenerateAPIKey(context.Background(), id, ncpclient.KeyTypePrimary); err != nil {
						t.Fatal(err)
					}
				},
				RefreshState: true,
				Check:        env.checkKeyMatchesAPI,
			},
			{
				Config:           config,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
			},
			{
				PreConfig: func() {
					if err := env.client.DeleteAPIKey(context.Background(), id); err != nil {
						t.Fatal(err)
					}
				},
				Config: config,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply:             []plancheck.PlanCheck{plancheck.ExpectResourceAction(testKeyAddr, plancheck.ResourceActionCreate)},
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				Check: resource.ComposeAggregateTestCheckFunc(
					env.checkKeyMatchesAPI,
					resource.TestCheckResourceAttrWith(testKeyAddr, "id", func(v string) error {
						if v == id {
							return fmt.Errorf("re-created key kept the deleted id %s", id)
						}
						return nil
					}),
				),
			},
		},
	})
}

func TestAccAPIKey_importErrors(t *testing.T) {
	env := newTestEnv(t, emulator.Config{})
	config := env.config(apiKeyConfig(`name = "acc-import"`))
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config:        config,
				ResourceName:  testKeyAddr,
				ImportState:   true,
				ImportStateId: "doesnotexist",
				ExpectError:   regexp.MustCompile(`Cannot import non-existent remote object`),
			},
			{
				Config:        config,
				ResourceName:  testKeyAddr,
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
	env := newTestEnv(t, emulator.Config{})
	env.needsEmulator(t)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             env.checkDestroyed,
		Steps: []resource.TestStep{
			{
				PreConfig: func() {
					env.emu.SetFaults(emulator.Faults{Faults: []emulator.Fault{{Route: emulator.RouteCreate, Kind: emulator.FaultError, Status: 503}}})
				},
				Config: env.config(apiKeyConfig(`
  name = "acc-timeouts"
  timeouts {
    create = "2s"
  }
`)),
				ExpectError: regexp.MustCompile(`Error creating API key "acc-timeouts"`),
			},
			{
				PreConfig: func() { env.emu.SetFaults(emulator.Faults{}) },
				Config: env.config(apiKeyConfig(`
  name = "acc-timeouts"
  timeouts {
    create = "1m"
    update = "1m"
  }
`)),
				ConfigPlanChecks: emptyPlanAfterApply,
				Check:            env.checkKeyMatchesAPI,
			},
		},
	})
}

// TestAccAPIKey_importHandMadeKey imports a key made outside Terraform into
// a configuration that sets rotate_trigger: the first apply records the
// trigger without rotating, and a later change of it rotates as usual.
func TestAccAPIKey_importHandMadeKey(t *testing.T) {
	env := newTestEnv(t, emulator.Config{})
	env.needsEmulator(t)
	made, err := env.client.CreateAPIKey(context.Background(), ncpclient.CreateAPIKeyInput{Name: "hand-made", Description: "console"})
	if err != nil {
		t.Fatal(err)
	}
	config := func(trigger string) string {
		return env.config(apiKeyConfig(fmt.Sprintf(`
  name           = "hand-made"
  description    = "console"
  rotate_trigger = %q
`, trigger)))
	}
	regenerates := func(want int) resource.TestCheckFunc {
		return func(*terraform.State) error {
			if got := env.emu.Stats().Requests[emulator.RouteRegenerate]; got != want {
				return fmt.Errorf("%d regenerate requests, want %d", got, want)
			}
			return nil
		}
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             env.checkDestroyed,
		Steps: []resource.TestStep{
			{
				Config:             config("2026-11"),
				ResourceName:       testKeyAddr,
				ImportState:        true,
				ImportStateId:      made.ID,
				ImportStatePersist: true,
			},
			{
				Config: config("2026-11"),
				ConfigPlanChecks: expectUpdateInPlace(
					keyPlanCheck("primary_key", false),
					keyPlanCheck("mod_time", false),
				),
				ConfigStateChecks: []statecheck.StateCheck{stateValue("id", knownvalue.StringExact(made.ID))},
				Check:             resource.ComposeAggregateTestCheckFunc(env.checkKeyMatchesAPI, regenerates(0)),
			},
			{
				Config:           config("2026-12"),
				ConfigPlanChecks: expectUpdateInPlace(keyPlanCheck("primary_key", true), keyPlanCheck("secondary_key", false)),
				Check:            resource.ComposeAggregateTestCheckFunc(env.checkKeyMatchesAPI, regenerates(1)),
			},
		},
	})
}

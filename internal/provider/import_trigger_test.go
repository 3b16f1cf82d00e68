package provider

import (
	"context"
	"fmt"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"

	"github.com/ncp-community/terraform-provider-ncp/internal/acctest"
	"github.com/ncp-community/terraform-provider-ncp/internal/emulator"
)

// importTriggerTest is a key made in the console, and what the steps of a
// test of its import need.
type importTriggerTest struct {
	env  *acctest.Env
	made emulator.Key
}

func newImportTriggerTest(t *testing.T) importTriggerTest {
	env := acctest.NewEnv(t, emulator.Config{})
	env.NeedsEmulator(t)
	return importTriggerTest{env: env, made: env.Emulator.PutKey("hand-made", "console")}
}

// config declares the key with trigger ("" for none), and an import block
// for it when withImportBlock is set.
func (it importTriggerTest) config(trigger string, withImportBlock bool) string {
	attrs := "name = \"hand-made\"\ndescription = \"console\""
	if trigger != "" {
		attrs += fmt.Sprintf("\nrotate_trigger = %q", trigger)
	}
	config := acctest.KeyConfig(attrs)
	if withImportBlock {
		config += fmt.Sprintf("import {\n  to = %s\n  id = %q\n}\n", acctest.KeyAddr, it.made.ID)
	}
	return it.env.Config(config)
}

func (it importTriggerTest) cliImportStep(trigger string) resource.TestStep {
	return resource.TestStep{
		Config:             it.config(trigger, false),
		ResourceName:       acctest.KeyAddr,
		ImportState:        true,
		ImportStateId:      it.made.ID,
		ImportStatePersist: true,
	}
}

// applyStep applies the configuration and checks whether the apply rotated
// the primary key, and how many regenerates were sent in all.
func (it importTriggerTest) applyStep(config string, action plancheck.ResourceActionType, rotates bool, regenerates int) resource.TestStep {
	return resource.TestStep{
		Config: config,
		ConfigPlanChecks: resource.ConfigPlanChecks{
			PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(acctest.KeyAddr, action), acctest.KeyPlanned("primary_key", rotates)},
		},
		ConfigStateChecks: []statecheck.StateCheck{
			acctest.KeyValue("id", knownvalue.StringExact(it.made.ID)),
			it.env.ExpectKeyMatchesAPI(acctest.KeyAddr),
			it.env.ExpectRouteRequests(map[emulator.Route]int{emulator.RouteRegenerate: regenerates}),
		},
	}
}

func (it importTriggerTest) run(t *testing.T, steps ...resource.TestStep) {
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: factories(it.env),
		CheckDestroy:             it.env.CheckDestroyed(0),
		Steps:                    steps,
	})
}

// TestAccImportTrigger_cliImportWithTrigger: `terraform import` of a key
// made by hand into a configuration that sets rotate_trigger. The first
// apply records the trigger without rotating; a later change rotates.
func TestAccImportTrigger_cliImportWithTrigger(t *testing.T) {
	it := newImportTriggerTest(t)
	it.run(t,
		it.cliImportStep("2026-11"),
		it.applyStep(it.config("2026-11", false), plancheck.ResourceActionUpdate, false, 0),
		it.applyStep(it.config("2026-12", false), plancheck.ResourceActionUpdate, true, 1),
	)
}

// TestAccImportTrigger_triggerAddedAfterImport: a key imported with no
// trigger in the configuration, one apply that changes nothing, then a
// trigger added: that apply is the first to record a trigger, and Terraform
// called the provider in the apply before only to refresh, so it records
// the trigger without rotating; the change after it rotates.
func TestAccImportTrigger_triggerAddedAfterImport(t *testing.T) {
	it := newImportTriggerTest(t)
	it.run(t,
		it.cliImportStep(""),
		it.applyStep(it.config("", false), plancheck.ResourceActionNoop, false, 0),
		it.applyStep(it.config("2026-11", false), plancheck.ResourceActionUpdate, false, 0),
		it.applyStep(it.config("2026-12", false), plancheck.ResourceActionUpdate, true, 1),
	)
}

// TestAccImportTrigger_refreshOnlyBeforeFirstApply: `terraform apply
// -refresh-only` (twice) between the import and the first apply keeps its
// refreshes in state, and they do not use up the adoption: the first apply
// records the trigger without rotating (issue 17, case 10).
func TestAccImportTrigger_refreshOnlyBeforeFirstApply(t *testing.T) {
	it := newImportTriggerTest(t)
	refreshOnly := resource.TestStep{ // of the import step's configuration
		RefreshState:       true,
		ExpectNonEmptyPlan: true, // the trigger is recorded by an update
	}
	it.run(t,
		it.cliImportStep("2026-11"),
		refreshOnly, refreshOnly,
		it.applyStep(it.config("2026-11", false), plancheck.ResourceActionUpdate, false, 0),
		it.applyStep(it.config("2026-12", false), plancheck.ResourceActionUpdate, true, 1),
	)
}

// TestAccImportTrigger_editEndsAdoption: an apply that updates the key ends
// the adoption, whether or not it records a trigger: a trigger added after
// an edit rotates.
func TestAccImportTrigger_editEndsAdoption(t *testing.T) {
	it := newImportTriggerTest(t)
	edited := func(trigger string) string {
		attrs := "name = \"hand-made\"\ndescription = \"edited\""
		if trigger != "" {
			attrs += fmt.Sprintf("\nrotate_trigger = %q", trigger)
		}
		return it.env.Config(acctest.KeyConfig(attrs))
	}
	it.run(t,
		it.cliImportStep(""),
		it.applyStep(edited(""), plancheck.ResourceActionUpdate, false, 0),
		it.applyStep(edited("2026-11"), plancheck.ResourceActionUpdate, true, 1),
	)
}

// TestAccImportTrigger_planBeforeFirstApply: plans made between the import
// and the first apply are kept by no one, so they do not use up the
// adoption: the first apply still records the trigger without rotating.
func TestAccImportTrigger_planBeforeFirstApply(t *testing.T) {
	it := newImportTriggerTest(t)
	plan := resource.TestStep{
		Config:             it.config("2026-11", false),
		PlanOnly:           true,
		ExpectNonEmptyPlan: true, // the trigger is recorded by an update
	}
	it.run(t,
		it.cliImportStep("2026-11"),
		plan, plan,
		it.applyStep(it.config("2026-11", false), plancheck.ResourceActionUpdate, false, 0),
	)
}

// TestAccImportTrigger_importBlockWithTrigger: an import block imports the
// key and, in the same apply, records the configured trigger without
// rotating; a later change rotates.
func TestAccImportTrigger_importBlockWithTrigger(t *testing.T) {
	it := newImportTriggerTest(t)
	it.run(t,
		it.applyStep(it.config("2026-11", true), plancheck.ResourceActionUpdate, false, 0),
		it.applyStep(it.config("2026-12", false), plancheck.ResourceActionUpdate, true, 1),
	)
}

// TestAccImportTrigger_importBlockWithoutTrigger pins the one case
// Terraform leaves the provider no way to tell apart (see
// import_trigger.go): an import block with no trigger configured changes
// nothing, so the apply after it still adopts a trigger added then; the
// apply after that rotates.
func TestAccImportTrigger_importBlockWithoutTrigger(t *testing.T) {
	it := newImportTriggerTest(t)
	it.run(t,
		it.applyStep(it.config("", true), plancheck.ResourceActionNoop, false, 0),
		it.applyStep(it.config("2026-11", false), plancheck.ResourceActionUpdate, false, 0),
		it.applyStep(it.config("2026-12", false), plancheck.ResourceActionUpdate, true, 1),
	)
}

// TestImportMarkOfEveryVersion: the marks earlier versions wrote ("true",
// then a count of refreshes, whatever it says) still adopt, until an update
// forgets them.
func TestImportMarkOfEveryVersion(t *testing.T) {
	ctx := context.Background()
	for _, mark := range []string{`true`, `{"refreshes":0}`, `{"refreshes":1}`, "written now"} {
		private := privateMap{privateKeyImported: []byte(mark)}
		if mark == "written now" {
			private = privateMap{}
			markImported(ctx, private)
		}
		if adopt, _ := adoptsImportedTrigger(ctx, private); !adopt {
			t.Errorf("mark %s: not adopted", mark)
		}
		forgetImport(ctx, private)
		if adopt, _ := adoptsImportedTrigger(ctx, private); adopt || len(private) != 0 {
			t.Errorf("mark %s: still adopted after an update (%v)", mark, private)
		}
	}
}

package provider

import (
	"fmt"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/ncp-community/terraform-provider-ncp/internal/acctest"
	"github.com/ncp-community/terraform-provider-ncp/internal/emulator"
)

func TestPlannedEdit(t *testing.T) {
	base := apiKeyResourceModel{apiKeyModel: apiKeyModel{
		Name: types.StringValue("a"), Description: types.StringValue(""), Enabled: types.BoolValue(true),
	}}
	changed := func(f func(*apiKeyResourceModel)) apiKeyResourceModel { m := base; f(&m); return m }
	cases := []struct {
		name string
		plan apiKeyResourceModel
		want bool
	}{
		{"nothing", base, false},
		{"only the trigger", changed(func(m *apiKeyResourceModel) { m.RotateTrigger = types.StringValue("x") }), false},
		{"name", changed(func(m *apiKeyResourceModel) { m.Name = types.StringValue("b") }), true},
		{"name unknown", changed(func(m *apiKeyResourceModel) { m.Name = types.StringUnknown() }), true},
		{"description", changed(func(m *apiKeyResourceModel) { m.Description = types.StringValue("d") }), true},
		{"enabled", changed(func(m *apiKeyResourceModel) { m.Enabled = types.BoolValue(false) }), true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := plannedEdit(c.plan, base); got != c.want {
				t.Errorf("plannedEdit = %t, want %t", got, c.want)
			}
		})
	}
}

// TestAccAPIKey_anotherWriter: a colleague changes the key in the console
// (NCP then records their account as the modifier); the next apply, which
// puts the description back, promises no modifier and no mod_time, takes
// them from the API's answer, and ends with state equal to the API.
func TestAccAPIKey_anotherWriter(t *testing.T) {
	env := acctest.NewEnv(t, emulator.Config{})
	env.NeedsEmulator(t)
	config := env.Config(acctest.KeyConfig(`
  name        = "shared"
  description = "ours"
`))
	var id string
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: factories(env),
		CheckDestroy:             env.CheckDestroyed(0),
		Steps: []resource.TestStep{
			{
				Config: config,
				ConfigStateChecks: []statecheck.StateCheck{
					acctest.KeyValue("modifier", knownvalue.StringExact(env.Emulator.Modifier())),
					acctest.CaptureKeyID(&id),
				},
			},
			{
				PreConfig: func() {
					env.Emulator.UpdateKey(id, func(k *emulator.Key) { k.Description = "theirs" })
				},
				Config: config,
				ConfigPlanChecks: acctest.ExpectUpdateInPlace(acctest.KeyAddr,
					plancheck.ExpectUnknownValue(acctest.KeyAddr, tfjsonpath.New("modifier")),
					plancheck.ExpectUnknownValue(acctest.KeyAddr, tfjsonpath.New("mod_time")),
					acctest.KeyPlanned("primary_key", false),
				),
				ConfigStateChecks: []statecheck.StateCheck{
					acctest.KeyValue("modifier", knownvalue.StringExact(env.Emulator.Modifier())),
					env.ExpectKeyMatchesAPI(acctest.KeyAddr),
				},
			},
		},
	})
}

// TestAccAPIKey_anotherWriterBetweenPlanAndApply: the colleague renames the
// key and regenerates its secondary key after the plan was made, while the
// apply rotates the primary key. The apply keeps the plan's promises (name,
// secondary key) in state with a warning, and the next plan reads the key
// again and shows the difference: no "inconsistent result" error, no value
// lost for good.
func TestAccAPIKey_anotherWriterBetweenPlanAndApply(t *testing.T) {
	env := acctest.NewEnv(t, emulator.Config{})
	env.NeedsEmulator(t)
	config := func(trigger string) string {
		return env.Config(acctest.KeyConfig(fmt.Sprintf(`
  name           = "raced"
  rotate_trigger = %q
`, trigger)))
	}
	var id string
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: factories(env),
		CheckDestroy:             env.CheckDestroyed(0),
		Steps: []resource.TestStep{
			{
				Config:            config("t0"),
				ConfigStateChecks: []statecheck.StateCheck{acctest.CaptureKeyID(&id)},
			},
			{
				Config: config("t1"),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction(acctest.KeyAddr, plancheck.ResourceActionUpdate),
						acctest.ActBeforeApply(func() {
							env.Emulator.UpdateKey(id, func(k *emulator.Key) { k.Name = "renamed-meanwhile" })
							env.Emulator.RegenerateKey(id, "SECONDARY")
						}),
					},
					// The refresh finds what the colleague did: the name is put
					// back, and the new secondary key is read.
					PostApplyPostRefresh: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction(acctest.KeyAddr, plancheck.ResourceActionUpdate),
						plancheck.ExpectKnownValue(acctest.KeyAddr, tfjsonpath.New("name"), knownvalue.StringExact("raced")),
					},
				},
				ExpectNonEmptyPlan: true,
			},
			{
				Config:            config("t1"),
				ConfigStateChecks: []statecheck.StateCheck{env.ExpectKeyMatchesAPI(acctest.KeyAddr)},
			},
		},
	})
}

// TestAccAPIKey_importedConsoleKeyFirstEdit imports a key a colleague made
// in the console and edits it: the plan promises no modifier, and the apply
// records ours.
func TestAccAPIKey_importedConsoleKeyFirstEdit(t *testing.T) {
	env := acctest.NewEnv(t, emulator.Config{})
	env.NeedsEmulator(t)
	made := env.Emulator.PutKey("console-made", "by a colleague")
	config := env.Config(acctest.KeyConfig(`
  name        = "console-made"
  description = "now ours"
`))
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: factories(env),
		CheckDestroy:             env.CheckDestroyed(0),
		Steps: []resource.TestStep{
			{
				Config:             config,
				ResourceName:       acctest.KeyAddr,
				ImportState:        true,
				ImportStateId:      made.ID,
				ImportStatePersist: true,
			},
			{
				Config: config,
				ConfigPlanChecks: acctest.ExpectUpdateInPlace(acctest.KeyAddr,
					plancheck.ExpectUnknownValue(acctest.KeyAddr, tfjsonpath.New("modifier")),
				),
				ConfigStateChecks: []statecheck.StateCheck{
					acctest.KeyValue("modifier", knownvalue.StringExact(env.Emulator.Modifier())),
					env.ExpectKeyMatchesAPI(acctest.KeyAddr),
				},
			},
		},
	})
}

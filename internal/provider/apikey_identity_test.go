package provider

import (
	"fmt"
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/compare"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/ncp-community/terraform-provider-ncp/internal/acctest"
	"github.com/ncp-community/terraform-provider-ncp/internal/emulator"
)

// identityIs checks the identity of KeyAddr in state, and that it is the
// state's id.
func identityIs(id knownvalue.Check) []statecheck.StateCheck {
	return []statecheck.StateCheck{
		statecheck.ExpectIdentity(acctest.KeyAddr, map[string]knownvalue.Check{"id": id}),
		statecheck.ExpectIdentityValueMatchesState(acctest.KeyAddr, tfjsonpath.New("id")),
	}
}

// noopImport expects an import plan that changes nothing.
var noopImport = resource.ImportPlanChecks{
	PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(acctest.KeyAddr, plancheck.ResourceActionNoop)},
}

// TestAccAPIKeyIdentity follows the identity through create and update, and
// imports the key back by identity and by ID with import blocks.
func TestAccAPIKeyIdentity(t *testing.T) {
	env := acctest.NewEnv(t, emulator.Config{})
	sameID := statecheck.CompareValue(compare.ValuesSame())
	config := func(name string) string {
		return env.Config(acctest.KeyConfig(fmt.Sprintf("name = %q", name)))
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: factories(env),
		TerraformVersionChecks:   identityCLIs,
		CheckDestroy:             env.CheckDestroyed,
		Steps: []resource.TestStep{
			{
				Config:            config("acc-identity"),
				ConfigStateChecks: append(identityIs(knownvalue.StringRegexp(regexp.MustCompile(`^\w+$`))), sameID.AddStateValue(acctest.KeyAddr, tfjsonpath.New("id"))),
				ConfigPlanChecks:  acctest.EmptyPlanAfterApply,
			},
			{
				Config:            config("acc-identity-2"),
				ConfigPlanChecks:  acctest.ExpectUpdateInPlace(acctest.KeyAddr),
				ConfigStateChecks: append(identityIs(knownvalue.NotNull()), sameID.AddStateValue(acctest.KeyAddr, tfjsonpath.New("id"))),
			},
			{
				ResourceName:     acctest.KeyAddr,
				Config:           config("acc-identity-2"),
				ImportState:      true,
				ImportStateKind:  resource.ImportBlockWithResourceIdentity,
				ImportPlanChecks: noopImport,
			},
			{
				ResourceName:     acctest.KeyAddr,
				Config:           config("acc-identity-2"),
				ImportState:      true,
				ImportStateKind:  resource.ImportBlockWithID,
				ImportPlanChecks: noopImport,
			},
		},
	})
}

// TestAccAPIKeyIdentity_importCommand imports a key made by hand with
// `terraform import` and its ID: state then has the key's identity.
func TestAccAPIKeyIdentity_importCommand(t *testing.T) {
	env := acctest.NewEnv(t, emulator.Config{})
	env.NeedsEmulator(t)
	key := env.Emulator.PutKey("by-hand", "made in the console")
	config := env.Config(acctest.KeyConfig(`
  name        = "by-hand"
  description = "made in the console"
`))
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: factories(env),
		TerraformVersionChecks:   identityCLIs,
		CheckDestroy:             env.CheckDestroyed,
		Steps: []resource.TestStep{
			{
				ResourceName:       acctest.KeyAddr,
				Config:             config,
				ImportState:        true,
				ImportStateId:      key.ID,
				ImportStatePersist: true,
			},
			{
				Config: config,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				ConfigStateChecks: identityIs(knownvalue.StringExact(key.ID)),
				Check:             env.CheckKeyMatchesAPI(acctest.KeyAddr),
			},
		},
	})
}

// TestAccAPIKeyIdentity_importBlock imports a key made by hand with an
// import block that names it by identity, as the resource's docs show.
func TestAccAPIKeyIdentity_importBlock(t *testing.T) {
	env := acctest.NewEnv(t, emulator.Config{})
	env.NeedsEmulator(t)
	key := env.Emulator.PutKey("by-hand", "")
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: factories(env),
		TerraformVersionChecks:   identityCLIs,
		CheckDestroy:             env.CheckDestroyed,
		Steps: []resource.TestStep{{
			Config: env.Config(acctest.KeyConfig(`name = "by-hand"`) + fmt.Sprintf(`
import {
  to       = %s
  identity = { id = %q }
}
`, acctest.KeyAddr, key.ID)),
			ConfigPlanChecks: resource.ConfigPlanChecks{
				PreApply:             []plancheck.PlanCheck{plancheck.ExpectResourceAction(acctest.KeyAddr, plancheck.ResourceActionNoop)},
				PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
			},
			ConfigStateChecks: identityIs(knownvalue.StringExact(key.ID)),
			Check:             env.CheckKeyMatchesAPI(acctest.KeyAddr),
		}},
	})
}

package provider

import (
	"context"
	"fmt"
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
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
		TerraformVersionChecks:   acctest.IdentityCLIs,
		CheckDestroy:             env.CheckDestroyed(0),
		Steps: []resource.TestStep{
			{
				Config:            config("acc-identity"),
				ConfigStateChecks: append(identityIs(knownvalue.StringRegexp(regexp.MustCompile(`^\w+$`))), sameID.AddStateValue(acctest.KeyAddr, tfjsonpath.New("id"))),
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
		TerraformVersionChecks:   acctest.IdentityCLIs,
		CheckDestroy:             env.CheckDestroyed(0),
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
				ConfigStateChecks: append(identityIs(knownvalue.StringExact(key.ID)), env.ExpectKeyMatchesAPI(acctest.KeyAddr)),
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
		TerraformVersionChecks:   acctest.IdentityCLIs,
		CheckDestroy:             env.CheckDestroyed(0),
		Steps: []resource.TestStep{{
			Config: env.Config(acctest.KeyConfig(`name = "by-hand"`) + fmt.Sprintf(`
import {
  to       = %s
  identity = { id = %q }
}
`, acctest.KeyAddr, key.ID)),
			ConfigPlanChecks: resource.ConfigPlanChecks{
				PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(acctest.KeyAddr, plancheck.ResourceActionNoop)},
			},
			ConfigStateChecks: append(identityIs(knownvalue.StringExact(key.ID)), env.ExpectKeyMatchesAPI(acctest.KeyAddr)),
		}},
	})
}

// TestImportByIdentity imports through the protocol with an identity and no
// ID, as an import block with `identity` does on Terraform 1.12 and later,
// which the CLIs of CI do not send: the state and the identity get the ID,
// and a bad ID is refused before any request.
func TestImportByIdentity(t *testing.T) {
	env := acctest.NewEnv(t, emulator.Config{})
	ps := newProtocolServer(t, env)
	ctx := context.Background()
	identityType := tftypes.Object{AttributeTypes: map[string]tftypes.Type{"id": tftypes.String}}
	identity := func(id string) *tfprotov6.ResourceIdentityData {
		dv, err := tfprotov6.NewDynamicValue(identityType, tftypes.NewValue(identityType, map[string]tftypes.Value{"id": tftypes.NewValue(tftypes.String, id)}))
		if err != nil {
			t.Fatal(err)
		}
		return &tfprotov6.ResourceIdentityData{IdentityData: &dv}
	}
	schemas, err := ps.GetProviderSchema(ctx, &tfprotov6.GetProviderSchemaRequest{})
	if err != nil {
		t.Fatal(err)
	}
	stateType := schemas.ResourceSchemas["ncp_apigw_api_key"].ValueType()

	resp, err := ps.ImportResourceState(ctx, &tfprotov6.ImportResourceStateRequest{TypeName: "ncp_apigw_api_key", Identity: identity("a1b2c3vg07")})
	if err != nil || len(resp.Diagnostics) > 0 || len(resp.ImportedResources) != 1 {
		t.Fatalf("import: %v %v", err, diagnosticSummaries(resp.Diagnostics))
	}
	imported := resp.ImportedResources[0]
	var id, identityID string
	if err := objectAttributes(t, imported.State, stateType)["id"].As(&id); err != nil || id != "a1b2c3vg07" {
		t.Errorf("state id %q (%v), want a1b2c3vg07", id, err)
	}
	if err := objectAttributes(t, imported.Identity.IdentityData, identityType)["id"].As(&identityID); err != nil || identityID != "a1b2c3vg07" {
		t.Errorf("identity id %q (%v), want a1b2c3vg07", identityID, err)
	}

	resp, err = ps.ImportResourceState(ctx, &tfprotov6.ImportResourceStateRequest{TypeName: "ncp_apigw_api_key", Identity: identity("a/b")})
	if err != nil || len(resp.Diagnostics) != 1 || resp.Diagnostics[0].Summary != "Invalid import ID" {
		t.Errorf("importing identity a/b: %v %v, want the error Invalid import ID", err, diagnosticSummaries(resp.Diagnostics))
	}
	if n := acctest.Total(env.Emulator.Stats().Requests); n != 0 {
		t.Errorf("the imports sent %d requests, want none: Read fetches the key", n)
	}
}

package e2e

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-exec/tfexec"

	"github.com/ncp-community/terraform-provider-ncp/internal/acctest"
	"github.com/ncp-community/terraform-provider-ncp/internal/emulator"
)

// fleetConfig is a dozen keys, key 5 disabled, plus a hand-made key under
// import when imported is set, and a list of them all.
func fleetConfig(description, trigger, keyType string, imported string) string {
	config := fmt.Sprintf(`
terraform {
  required_providers {
    ncp = { source = "ncp-community/ncp" }
  }
}

resource "ncp_apigw_api_key" "fleet" {
  count           = 12
  name            = "fleet-${count.index}"
  description     = %q
  enabled         = count.index != 5
  rotate_trigger  = count.index == 0 ? %q : null
  rotate_key_type = %q
}

data "ncp_apigw_api_keys" "fleet" {
  name_regex = "^fleet-"
  depends_on = [ncp_apigw_api_key.fleet]
}

output "listed" {
  value = length(data.ncp_apigw_api_keys.fleet.ids)
}
`, description, trigger, keyType)
	if imported != "" {
		config += fmt.Sprintf(`
import {
  to = ncp_apigw_api_key.hand_made
  id = %q
}

resource "ncp_apigw_api_key" "hand_made" {
  name        = "hand-made"
  description = "made in the console"
}
`, imported)
	}
	return config
}

// TestLifecycleThroughTerraformCLI is the whole life of a fleet of keys, as
// a user drives it with TF_LOG=trace: every apply is followed by an empty
// plan, drift shows as drift, nothing is left behind, and no secret (secret
// key, signature, key value) appears in any output or log.
func TestLifecycleThroughTerraformCLI(t *testing.T) {
	emu, recorder, endpoint := acctest.StartRecordedEmulator(t, emulator.Config{MaxPageSize: 5})
	tf := acctest.NewCLI(t, acctest.BuildProvider(t, repoRoot), endpoint)
	wantKeys := func(n int) {
		t.Helper()
		if got := len(emu.Keys()); got != n {
			t.Fatalf("the emulator holds %d keys, want %d", got, n)
		}
	}

	out := tf.Apply(fleetConfig("v1", "t0", "PRIMARY", ""))
	wantKeys(12)
	if k := acctest.KeyByName(t, emu, "fleet-5"); k.Enabled {
		t.Error("fleet-5 was created enabled, want disabled")
	}
	var outputs map[string]tfexec.OutputMeta
	tf.Do(nil, func(ctx context.Context, tf *tfexec.Terraform) (err error) {
		outputs, err = tf.Output(ctx)
		return err
	})
	if listed := string(outputs["listed"].Value); listed != "12" {
		t.Fatalf("the list data source found %s keys, want 12\n%s", listed, out)
	}

	// Edit: one edit request per key, nothing else.
	emu.ResetStats()
	tf.Apply(fleetConfig("v2", "t0", "PRIMARY", ""))
	if got := emu.Stats().Requests; got[emulator.RouteEdit] != 12 || got[emulator.RouteRegenerate] != 0 || got[emulator.RouteCreate] != 0 {
		t.Fatalf("editing 12 descriptions sent %v", got)
	}

	// Rotate the primary key of fleet-0, then its secondary key.
	before := acctest.KeyByName(t, emu, "fleet-0")
	tf.Apply(fleetConfig("v2", "t1", "PRIMARY", ""))
	afterPrimary := acctest.KeyByName(t, emu, "fleet-0")
	if afterPrimary.ID != before.ID || afterPrimary.PrimaryKey == before.PrimaryKey || afterPrimary.SecondaryKey != before.SecondaryKey {
		t.Fatal("rotating PRIMARY did not regenerate exactly the primary key in place")
	}
	tf.Apply(fleetConfig("v2", "t2", "SECONDARY", ""))
	afterSecondary := acctest.KeyByName(t, emu, "fleet-0")
	if afterSecondary.ID != before.ID || afterSecondary.PrimaryKey != afterPrimary.PrimaryKey || afterSecondary.SecondaryKey == afterPrimary.SecondaryKey {
		t.Fatal("rotating SECONDARY did not regenerate exactly the secondary key in place")
	}

	// Import a key made outside Terraform.
	handMade := emu.PutKey("hand-made", "made in the console")
	tf.Apply(fleetConfig("v2", "t2", "SECONDARY", handMade.ID))
	wantKeys(13)

	// Drift: one key deleted and one renamed outside Terraform.
	deleted := acctest.KeyByName(t, emu, "fleet-3")
	emu.DeleteKey(deleted.ID)
	renamed := acctest.KeyByName(t, emu, "fleet-4")
	emu.UpdateKey(renamed.ID, func(k *emulator.Key) { k.Name = "renamed-by-hand" })
	plan := tf.ExpectExit(2, acctest.Plan(true))
	for _, want := range []string{
		`ncp_apigw_api_key.fleet[3] will be created`,
		`ncp_apigw_api_key.fleet[4] will be updated in-place`,
		`"renamed-by-hand" -> "fleet-4"`,
	} {
		if !strings.Contains(plan, want) {
			t.Errorf("the plan after drift does not say %q:\n%s", want, plan)
		}
	}
	tf.Apply(fleetConfig("v2", "t2", "SECONDARY", handMade.ID))
	wantKeys(13)
	if acctest.KeyByName(t, emu, "fleet-4").ID != renamed.ID {
		t.Error("the renamed key was replaced instead of renamed back")
	}

	tf.ExpectExit(0, acctest.Destroy())
	wantKeys(0)

	// Nothing secret in anything printed or logged.
	acctest.LeakedSecrets(t, tf.Printed(), recorder, 30)
}

package e2e

import (
	"strings"
	"testing"

	"github.com/hashicorp/terraform-exec/tfexec"

	"github.com/ncp-community/terraform-provider-ncp/internal/acctest"
	"github.com/ncp-community/terraform-provider-ncp/internal/emulator"
)

const actionConfig = providerConfig + `
resource "ncp_apigw_api_key" "svc" {
  name = "svc"
}

action "ncp_apigw_api_key_regenerate" "secondary" {
  config {
    id       = ncp_apigw_api_key.svc.id
    key_type = "SECONDARY"
  }
}
`

// TestRegenerateActionThroughTheCLI invokes the action with `terraform
// apply -invoke`, as the action's docs show: the CLI prints its progress,
// the key's secondary value changes, and state records it at the next
// refresh.
func TestRegenerateActionThroughTheCLI(t *testing.T) {
	if skip := acctest.CLISkips(t, acctest.QueryAndActionCLIs...); skip != "" {
		t.Skip(skip)
	}
	emu, recorder, endpoint := acctest.StartRecordedEmulator(t, emulator.Config{})
	tf := acctest.NewCLI(t, acctest.BuildProvider(t, repoRoot), endpoint)
	tf.Apply(actionConfig)
	before := acctest.KeyByName(t, emu, "svc")

	emu.ResetStats()
	// tfexec has no option for -invoke yet (hashicorp/terraform-exec#605); Terraform reads
	// flags wherever they stand, so the flag takes the place of the saved plan.
	code, out := tf.Do(nil, acctest.Apply(tfexec.DirOrPlan("-invoke=action.ncp_apigw_api_key_regenerate.secondary")))
	if code != 0 {
		t.Fatalf("terraform apply -invoke failed (exit %d):\n%s", code, out)
	}
	for _, want := range []string{
		"Regenerating the SECONDARY key of API key " + before.ID,
		`Regenerated the SECONDARY key of API key "svc" (id ` + before.ID + ")",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("the apply does not print %q:\n%s", want, out)
		}
	}
	after := acctest.KeyByName(t, emu, "svc")
	// A second regenerate, a second later, when the first fell in the second
	// of the apply's last write: the progress says so.
	got := emu.Stats().Requests
	again, regenerates := strings.Contains(out, "SECONDARY key of API key "+before.ID+" once more"), 1
	if again {
		regenerates = 2
	}
	if got[emulator.RouteRegenerate] != regenerates || after.SecondaryKey == before.SecondaryKey || after.PrimaryKey != before.PrimaryKey {
		t.Fatalf("requests %v (once more printed: %t): want one regenerate of the secondary key only, or two with the second announced", got, again)
	}

	// State has the old value until a refresh records the new one.
	state := stateFile(t, tf.Dir)
	if !strings.Contains(state, before.SecondaryKey) || strings.Contains(state, after.SecondaryKey) {
		t.Error("the action changed state; actions cannot")
	}
	tf.ExpectExit(0, acctest.Plan(true))
	if code, out := tf.Do(nil, acctest.Apply(tfexec.RefreshOnly(true))); code != 0 {
		t.Fatalf("terraform apply -refresh-only failed:\n%s", out)
	}
	state = stateFile(t, tf.Dir)
	if !strings.Contains(state, after.SecondaryKey) || strings.Contains(state, before.SecondaryKey) {
		t.Error("the refresh did not record the new secondary value")
	}
	acctest.LeakedSecrets(t, tf.Printed(), recorder, 10)
}

package e2e

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/tfversion"

	"github.com/ncp-community/terraform-provider-ncp/internal/acctest"
	"github.com/ncp-community/terraform-provider-ncp/internal/emulator"
)

// TestStateOfVersion0Upgrades starts from a state file as provider 0.1
// wrote it (schema version 0, no store_key_values) for a live key: the plan
// with the same configuration is empty (on Terraform 1.11 and later), and
// the first apply writes the state at the current schema version with
// store_key_values = true, sending no write to the API.
func TestStateOfVersion0Upgrades(t *testing.T) {
	t.Parallel()
	emu, recorder, endpoint := acctest.StartRecordedEmulator(t, emulator.Config{})
	tf := acctest.NewCLI(t, acctest.BuildProvider(t, repoRoot), endpoint)
	key := emu.PutKey("upgraded", "from 0.1")
	recorder.Add(key.PrimaryKey)
	recorder.Add(key.SecondaryKey)

	attributes, err := json.Marshal(map[string]any{
		"id": key.ID, "name": key.Name, "description": key.Description, "enabled": key.Enabled,
		"tenant_id": key.TenantID, "modifier": key.Modifier, "mod_time": key.ModTime.UTC().Format(time.RFC3339),
		"domain_code": key.DomainCode, "rotate_trigger": "t0", "rotate_key_type": "PRIMARY",
		"primary_key": key.PrimaryKey, "secondary_key": key.SecondaryKey, "timeouts": nil,
	})
	if err != nil {
		t.Fatal(err)
	}
	acctest.WriteFile(t, filepath.Join(tf.Dir, "terraform.tfstate"), fmt.Sprintf(`{
  "version": 4,
  "terraform_version": "1.11.4",
  "serial": 1,
  "lineage": "3f2c0e3e-5b1a-4c36-9d77-0c1b1a2f4e51",
  "outputs": {},
  "resources": [{
    "mode": "managed",
    "type": "ncp_apigw_api_key",
    "name": "web",
    "provider": "provider[\"registry.terraform.io/ncp-community/ncp\"]",
    "instances": [{
      "schema_version": 0,
      "attributes": %s,
      "sensitive_attributes": [[{"type": "get_attr", "value": "primary_key"}], [{"type": "get_attr", "value": "secondary_key"}]]
    }]
  }],
  "check_results": null
}
`, attributes))
	config := requiredProviders + `
resource "ncp_apigw_api_key" "web" {
  name           = "upgraded"
  description    = "from 0.1"
  rotate_trigger = "t0"
}
`
	tf.WriteConfig(config)
	// Terraform 1.5 plans an in-place update that shows no change after a
	// state upgrade (the values' sensitivity, which it does not carry over);
	// the apply of it calls no API, as the check of writes below shows.
	if acctest.CLISkips(t, tfversion.SkipBelow(tfversion.Version1_11_0)) == "" {
		tf.ExpectExit(0, acctest.Plan(true))
	}
	tf.Apply(config)

	raw, err := os.ReadFile(filepath.Join(tf.Dir, "terraform.tfstate"))
	if err != nil {
		t.Fatal(err)
	}
	var state struct {
		Resources []struct {
			Instances []struct {
				SchemaVersion int            `json:"schema_version"`
				Attributes    map[string]any `json:"attributes"`
			} `json:"instances"`
		} `json:"resources"`
	}
	if err := json.Unmarshal(raw, &state); err != nil {
		t.Fatal(err)
	}
	instance := state.Resources[0].Instances[0]
	if instance.SchemaVersion != 1 || instance.Attributes["store_key_values"] != true || instance.Attributes["id"] != key.ID {
		t.Errorf("after the apply: schema version %d, store_key_values %v, id %v; want 1, true, %s",
			instance.SchemaVersion, instance.Attributes["store_key_values"], instance.Attributes["id"], key.ID)
	}
	if n := emu.Stats().Requests[emulator.RouteEdit] + emu.Stats().Requests[emulator.RouteRegenerate] + emu.Stats().Requests[emulator.RouteCreate]; n != 0 {
		t.Errorf("the upgrade sent %d writes, want none", n)
	}
	acctest.LeakedSecrets(t, tf.Printed(), recorder, 3)
}

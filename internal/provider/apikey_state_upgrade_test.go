package provider

import (
	"context"
	"testing"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/ncp-community/terraform-provider-ncp/internal/acctest"
	"github.com/ncp-community/terraform-provider-ncp/internal/emulator"
)

// stateV0 is a key's state as provider version 0.1 wrote it (schema version
// 0), taken from a state file.
const stateV0 = `{
  "id": "a1b2c3vg07",
  "name": "web",
  "description": "front end",
  "enabled": false,
  "tenant_id": "ff024dbf87d45bae0477417585648a00",
  "modifier": "67838746-44ce-629c-c291-5f4dfa5cccee",
  "mod_time": "2026-11-01T07:08:12Z",
  "domain_code": "PUB",
  "rotate_trigger": "2026-11",
  "rotate_key_type": "SECONDARY",
  "primary_key": "tFvYiMGosSIYcMTT0qWNe2ozqfHVxhenJ3JN99iA",
  "secondary_key": "6GGJZMWa9V5WBAd45LvPzGemaHOhONG6SNMYhxpj",
  "timeouts": {"create": "20m", "delete": null, "read": null, "update": null}
}`

// TestUpgradeStateFromVersion0 upgrades a state of version 0 as Terraform
// does, through the protocol: every value stays, and store_key_values,
// which version 0 did not have, is true, since that version stored them.
func TestUpgradeStateFromVersion0(t *testing.T) {
	ps := newProtocolServer(t, acctest.NewEnv(t, emulator.Config{}))
	ctx := context.Background()
	schemas, err := ps.GetProviderSchema(ctx, &tfprotov6.GetProviderSchemaRequest{})
	if err != nil {
		t.Fatal(err)
	}
	schema := schemas.ResourceSchemas["ncp_apigw_api_key"]
	if schema.Version != apiKeySchemaVersion {
		t.Fatalf("schema version %d, want %d", schema.Version, apiKeySchemaVersion)
	}
	resp, err := ps.UpgradeResourceState(ctx, &tfprotov6.UpgradeResourceStateRequest{
		TypeName: "ncp_apigw_api_key",
		Version:  0,
		RawState: &tfprotov6.RawState{JSON: []byte(stateV0)},
	})
	if err != nil || len(resp.Diagnostics) > 0 {
		t.Fatalf("upgrading: %v %v", err, diagnosticSummaries(resp.Diagnostics))
	}
	got := objectAttributes(t, resp.UpgradedState, schema.ValueType())
	want := map[string]any{
		"id": "a1b2c3vg07", "name": "web", "description": "front end", "enabled": false,
		"tenant_id": "ff024dbf87d45bae0477417585648a00", "modifier": "67838746-44ce-629c-c291-5f4dfa5cccee",
		"mod_time": "2026-11-01T07:08:12Z", "domain_code": "PUB", "rotate_trigger": "2026-11",
		"rotate_key_type": "SECONDARY", "primary_key": "tFvYiMGosSIYcMTT0qWNe2ozqfHVxhenJ3JN99iA",
		"secondary_key": "6GGJZMWa9V5WBAd45LvPzGemaHOhONG6SNMYhxpj", "store_key_values": true,
	}
	for name, w := range want {
		v, ok := got[name]
		if !ok {
			t.Errorf("%s is missing", name)
			continue
		}
		var s string
		var b bool
		switch w.(type) {
		case string:
			err = v.As(&s)
			if err == nil && s != w {
				t.Errorf("%s = %q, want %q", name, s, w)
			}
		case bool:
			err = v.As(&b)
			if err == nil && b != w {
				t.Errorf("%s = %t, want %t", name, b, w)
			}
		}
		if err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
	var timeouts map[string]tftypes.Value
	var create string
	if err := got["timeouts"].As(&timeouts); err != nil || timeouts["create"].As(&create) != nil || create != "20m" {
		t.Errorf("timeouts were not kept: %v", got["timeouts"])
	}
}

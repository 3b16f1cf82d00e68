package provider

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	tfjson "github.com/hashicorp/terraform-json"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"

	"github.com/ncp-community/terraform-provider-ncp/internal/acctest"
	"github.com/ncp-community/terraform-provider-ncp/internal/emulator"
)

// regenerateConfig is the action's configuration; an empty keyType is null.
func regenerateConfig(t *testing.T, id, keyType string) *tfprotov6.DynamicValue {
	t.Helper()
	kt := tftypes.NewValue(tftypes.String, nil)
	if keyType != "" {
		kt = tftypes.NewValue(tftypes.String, keyType)
	}
	return dynamicValue(t, map[string]tftypes.Value{"id": tftypes.NewValue(tftypes.String, id), "key_type": kt, "timeouts": noTimeouts("invoke")})
}

// invokeRegenerate invokes the action and returns its progress messages
// and the diagnostics it completed with.
func invokeRegenerate(t *testing.T, server protocolServer, id, keyType string) ([]string, []*tfprotov6.Diagnostic) {
	t.Helper()
	stream, err := server.InvokeAction(context.Background(), &tfprotov6.InvokeActionRequest{
		ActionType: "ncp_apigw_api_key_regenerate",
		Config:     regenerateConfig(t, id, keyType),
	})
	if err != nil {
		t.Fatal(err)
	}
	var messages []string
	var diags []*tfprotov6.Diagnostic
	completed := 0
	for event := range stream.Events {
		switch e := event.Type.(type) {
		case tfprotov6.ProgressInvokeActionEventType:
			messages = append(messages, e.Message)
		case tfprotov6.CompletedInvokeActionEventType:
			diags = e.Diagnostics
			completed++
		}
	}
	if completed != 1 {
		t.Fatalf("%d completed events, want 1", completed)
	}
	return messages, diags
}

// TestRegenerateAction_invoke regenerates each key type through the
// protocol, as `terraform apply -invoke` would: a read, one regenerate per
// key, progress before and after each, and no key value in any message.
// Each invoke starts in a second after the key's last write, so no
// regenerate is repeated.
func TestRegenerateAction_invoke(t *testing.T) {
	env := acctest.NewEnv(t, emulator.Config{})
	server := newProtocolServer(t, env)
	key := env.Emulator.PutKey("on-demand", "")

	for _, tt := range []struct {
		keyType            string // "" is unset
		primary, secondary bool   // which values change
	}{
		{"", true, false},
		{"PRIMARY", true, false},
		{"SECONDARY", false, true},
		{"BOTH", true, true},
	} {
		startOfNextSecond()
		before, _ := env.Emulator.Key(key.ID)
		env.Emulator.ResetStats()
		messages, diags := invokeRegenerate(t, server, key.ID, tt.keyType)
		if len(diags) > 0 {
			t.Fatalf("key_type %q: %v", tt.keyType, diagnosticSummaries(diags))
		}
		after, _ := env.Emulator.Key(key.ID)

		var regenerated []string
		if tt.primary {
			regenerated = append(regenerated, "PRIMARY")
		}
		if tt.secondary {
			regenerated = append(regenerated, "SECONDARY")
		}
		if got := env.Emulator.Stats().Requests; got[emulator.RouteGet] != 1 || got[emulator.RouteRegenerate] != len(regenerated) || acctest.Total(got) != 1+len(regenerated) {
			t.Errorf("key_type %q: requests %v, want a read and %d regenerates", tt.keyType, got, len(regenerated))
		}
		if (after.PrimaryKey != before.PrimaryKey) != tt.primary || (after.SecondaryKey != before.SecondaryKey) != tt.secondary {
			t.Errorf("key_type %q: primary changed %t, secondary changed %t; want %t, %t", tt.keyType,
				after.PrimaryKey != before.PrimaryKey, after.SecondaryKey != before.SecondaryKey, tt.primary, tt.secondary)
		}
		var want []string
		for _, kt := range regenerated {
			want = append(want,
				fmt.Sprintf("Regenerating the %s key of API key %s", kt, key.ID),
				fmt.Sprintf(`Regenerated the %s key of API key "on-demand" (id %s)`, kt, key.ID))
		}
		want = append(want, fmt.Sprintf("API key %s: resources that manage it record the new key values at their next refresh", key.ID))
		if strings.Join(messages, "\n") != strings.Join(want, "\n") {
			t.Errorf("key_type %q: progress\n%s\nwant\n%s", tt.keyType, strings.Join(messages, "\n"), strings.Join(want, "\n"))
		}
		if found, err := acctest.KeyValuesIn([]emulator.Key{before, after}, strings.Join(messages, "\n")); err != nil || found > 0 {
			t.Errorf("key_type %q: %d key values in the progress messages (%v)", tt.keyType, found, err)
		}
	}
}

// startOfNextSecond sleeps into the next second: modTime has whole seconds.
func startOfNextSecond() {
	time.Sleep(time.Until(time.Now().Truncate(time.Second).Add(time.Second + 5*time.Millisecond)))
}

// TestRegenerateAction_sameSecond: a key written in the second the action
// regenerates it, as state records it when an action_trigger follows the
// resource's update, is regenerated once more a second later, so that its
// modTime tells a refresh that the values changed. When NCP keeps the
// modTime through a regenerate, the action warns rather than try again.
func TestRegenerateAction_sameSecond(t *testing.T) {
	for _, keepsStamp := range []bool{false, true} {
		env := acctest.NewEnv(t, emulator.Config{RegenerateKeepsStamp: keepsStamp})
		server := newProtocolServer(t, env)
		// The put, the invoke's read and its first regenerates fall in one
		// second when they start at its beginning: they take milliseconds.
		startOfNextSecond()
		key := env.Emulator.PutKey("just-written", "")
		before, _ := env.Emulator.Key(key.ID)
		env.Emulator.ResetStats()

		messages, diags := invokeRegenerate(t, server, key.ID, "BOTH")
		after, _ := env.Emulator.Key(key.ID)
		if got := env.Emulator.Stats().Requests; got[emulator.RouteGet] != 1 || got[emulator.RouteRegenerate] != 3 {
			t.Errorf("keeps stamp %t: requests %v, want a read and 3 regenerates", keepsStamp, got)
		}
		once := fmt.Sprintf("Regenerating the SECONDARY key of API key %s once more, as the first kept its modTime", key.ID)
		if !slices.Contains(messages, once) {
			t.Errorf("keeps stamp %t: progress %q lacks %q", keepsStamp, messages, once)
		}
		if keepsStamp {
			if len(diags) != 1 || diags[0].Severity != tfprotov6.DiagnosticSeverityWarning || !strings.Contains(diags[0].Detail, "import it by ID "+key.ID) {
				t.Errorf("diagnostics %v, want the warning that names the import", diagnosticSummaries(diags))
			}
			continue
		}
		if len(diags) > 0 || after.ModTime.Equal(before.ModTime) {
			t.Errorf("diagnostics %v, modTime %v after %v: want a new modTime", diagnosticSummaries(diags), after.ModTime, before.ModTime)
		}
	}
}

// TestRegenerateAction_errors: an unknown key fails with the API's error,
// before any regenerate; a key type other than PRIMARY, SECONDARY and BOTH
// fails validation, at plan time.
func TestRegenerateAction_errors(t *testing.T) {
	env := acctest.NewEnv(t, emulator.Config{})
	server := newProtocolServer(t, env)

	_, diags := invokeRegenerate(t, server, "missing", "PRIMARY")
	if len(diags) != 1 || diags[0].Summary != "Error reading API key missing before regenerating it" || !strings.Contains(diags[0].Detail, "error code 300") {
		t.Errorf("diagnostics %v, want the read's error with NCP's code", diagnosticSummaries(diags))
	}

	resp, err := server.ValidateActionConfig(context.Background(), &tfprotov6.ValidateActionConfigRequest{
		ActionType: "ncp_apigw_api_key_regenerate",
		Config:     regenerateConfig(t, "k", "TERTIARY"),
	})
	if err != nil || len(resp.Diagnostics) != 1 || !strings.Contains(resp.Diagnostics[0].Detail, `value must be one of: ["PRIMARY" "SECONDARY" "BOTH"]`) {
		t.Errorf("diagnostics %v, %v; want key_type rejected", diagnosticSummaries(resp.Diagnostics), err)
	}
}

// TestAccAPIKeyRegenerateAction_trigger regenerates from a terraform_data's
// action_trigger, right after the apply's update of the key, most likely in
// the update's second: state keeps the old values until the next refresh,
// which records the new ones.
func TestAccAPIKeyRegenerateAction_trigger(t *testing.T) {
	env := acctest.NewEnv(t, emulator.Config{})
	env.NeedsEmulator(t)
	apply := &applyRequests{env: env}
	config := func(description string) string {
		return env.Config(acctest.KeyConfig(fmt.Sprintf(`
  name        = "acc-action"
  description = %q
`, description)) + `
action "ncp_apigw_api_key_regenerate" "both" {
  config {
    id       = ncp_apigw_api_key.test.id
    key_type = "BOTH"
  }
}

resource "terraform_data" "rotation" {
  input = ncp_apigw_api_key.test.description
  lifecycle {
    action_trigger {
      events  = [after_update]
      actions = [action.ncp_apigw_api_key_regenerate.both]
    }
  }
}
`)
	}
	staleUntilRefresh := acctest.StateCheckFunc(func(s *tfjson.State) error {
		inState := acctest.StateKeys(s)[acctest.KeyAddr]
		live := acctest.KeyByName(t, env.Emulator, "acc-action")
		if live.PrimaryKey == apply.key.PrimaryKey || live.SecondaryKey == apply.key.SecondaryKey {
			return fmt.Errorf("the action did not change the emulator's key values")
		}
		if inState["primary_key"] != apply.key.PrimaryKey || inState["secondary_key"] != apply.key.SecondaryKey {
			return fmt.Errorf("state changed before a refresh: an action cannot write state")
		}
		return nil
	})
	// The update, the action's read and its regenerates; a third regenerate
	// when the second kept the update's modTime.
	updateThenAction := acctest.StateCheckFunc(func(*tfjson.State) error {
		got := env.Emulator.Stats().Requests
		edits, reads, regenerates := got[emulator.RouteEdit]-apply.before.Requests[emulator.RouteEdit],
			got[emulator.RouteGet]-apply.before.Requests[emulator.RouteGet], got[emulator.RouteRegenerate]-apply.before.Requests[emulator.RouteRegenerate]
		if edits != 1 || reads != 1 || (regenerates != 2 && regenerates != 3) {
			return fmt.Errorf("the apply sent %d edits, %d reads and %d regenerates; want 1, 1 and 2 or 3", edits, reads, regenerates)
		}
		return nil
	})
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: factories(env),
		TerraformVersionChecks:   acctest.QueryAndActionCLIs,
		CheckDestroy:             env.CheckDestroyed(0),
		Steps: []resource.TestStep{
			{
				// Created, not updated: the trigger does not fire.
				Config: config("first"),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{apply.Snapshot()},
				},
				ConfigStateChecks: []statecheck.StateCheck{apply.Expect(map[emulator.Route]int{emulator.RouteCreate: 1, emulator.RouteEdit: 1})},
			},
			{
				Config: config("second"),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{apply.Snapshot()},
				},
				ConfigStateChecks: []statecheck.StateCheck{updateThenAction, staleUntilRefresh},
			},
			{
				RefreshState:      true,
				RefreshPlanChecks: afterRefresh(env.ExpectKeyMatchesAPI(acctest.KeyAddr)),
			},
		},
	})
}

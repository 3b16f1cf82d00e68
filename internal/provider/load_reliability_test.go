package provider

import (
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/ncp-community/terraform-provider-ncp/internal/emulator"
)

const loadKeys = 50

// TestAccReliability_loadUnderErrors runs the whole life of 50 keys, applied
// with Terraform's default parallelism of 10, against an API that answers
// 30% of all requests with 503: create (5 of them disabled, so created then
// edited), edit every description, rotate 10 keys, destroy. Every apply
// succeeds, and after each one the emulator holds exactly the keys in state
// with the same names and key values. The client keeps its real retry
// delays.
func TestAccReliability_loadUnderErrors(t *testing.T) {
	env := newTestEnv(t, emulator.Config{Seed: 50})
	env.needsEmulator(t)
	env.emu.SetFaults(emulator.Faults{Faults: []emulator.Fault{{Kind: emulator.FaultError, Status: http.StatusServiceUnavailable, Rate: 0.3}}})
	config := func(description, trigger string) string {
		return env.config(fmt.Sprintf(`
resource "ncp_apigw_api_key" "load" {
  count          = %d
  name           = "load-${count.index}"
  description    = %q
  enabled        = count.index %% 10 != 0
  rotate_trigger = count.index < 10 ? %q : null
}
`, loadKeys, description, trigger))
	}
	// primaries holds each key's primary key after the last step, to count
	// the keys a step rotated.
	primaries := map[string]string{}
	checkRotated := func(want int) resource.TestCheckFunc {
		return func(s *terraform.State) error {
			rotated := 0
			for id, attrs := range stateKeys(s) {
				if old, ok := primaries[id]; ok && old != attrs["primary_key"] {
					rotated++
				}
				primaries[id] = attrs["primary_key"]
			}
			if rotated != want {
				return fmt.Errorf("%d keys were rotated, want %d", rotated, want)
			}
			return nil
		}
	}
	applies := 0
	step := func(cfg string, rotated int) resource.TestStep {
		return resource.TestStep{
			Config:           cfg,
			ConfigPlanChecks: emptyPlanAfterApply,
			Check: resource.ComposeAggregateTestCheckFunc(
				env.checkStateMatchesEmulator,
				env.checkKeyCount(loadKeys),
				checkRotated(rotated),
				func(*terraform.State) error { applies++; return nil },
			),
		}
	}
	var start time.Time // of the first step, once ParallelTest lets the test run
	first := step(config("v1", "t0"), 0)
	first.PreConfig = func() { start = time.Now() }
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			first,
			step(config("v2", "t0"), 0),
			step(config("v2", "t1"), 10),
		},
		CheckDestroy: func(s *terraform.State) error {
			if err := env.checkDestroyed(s); err != nil {
				return err
			}
			applies++ // the destroy
			stats := env.emu.Stats()
			t.Logf("lifecycle of %d keys under a 30%% error rate: %d applies (create, edit, rotate, destroy), 0 failed; "+
				"%d requests, %d answered 503 (%.0f%%); creates %d, edits %d, regenerates %d, deletes %d; %s",
				loadKeys, applies, total(stats.Requests), stats.Responses[http.StatusServiceUnavailable],
				100*float64(stats.Responses[http.StatusServiceUnavailable])/float64(total(stats.Requests)),
				stats.Requests[emulator.RouteCreate], stats.Requests[emulator.RouteEdit],
				stats.Requests[emulator.RouteRegenerate], stats.Requests[emulator.RouteDelete],
				time.Since(start).Round(time.Second))
			return nil
		},
	})
}

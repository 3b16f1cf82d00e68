package e2e

import (
	"fmt"
	"net/http"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/ncp-community/terraform-provider-ncp/internal/acctest"
	"github.com/ncp-community/terraform-provider-ncp/internal/emulator"
)

// failuresConfig is three keys, the first rotated by trigger, plus extra
// HCL.
func failuresConfig(trigger, extra string) string {
	return fmt.Sprintf(`
terraform {
  required_providers {
    ncp = { source = "ncp-community/ncp" }
  }
}

resource "ncp_apigw_api_key" "key" {
  count          = 3
  name           = "failing-${count.index}"
  rotate_trigger = count.index == 0 ? %q : null
}
`, trigger) + extra
}

// wantInOutput fails the test unless out says each of wants, however
// Terraform wrapped its lines.
func wantInOutput(t *testing.T, out string, wants ...string) {
	t.Helper()
	flat := strings.Join(strings.Fields(out), " ")
	for _, want := range wants {
		if !strings.Contains(flat, want) {
			t.Errorf("the output does not say %q:\n%s", want, out)
		}
	}
}

// TestFailedAppliesLeakNoSecret drives applies that fail, as a user with
// TF_LOG=trace would meet them: a wrong secret key, a regenerate that fails
// for good, a lost create that cannot be told apart from someone else's
// key, and an import of a key that does not exist. Each error explains
// itself, each failure leaves state as the API is, and no secret (secret
// keys, the wrong one included, signatures, key values) appears in any
// output or in the trace log.
func TestFailedAppliesLeakNoSecret(t *testing.T) {
	t.Parallel()
	emu, recorder, endpoint := acctest.StartRecordedEmulator(t, emulator.Config{MaxPageSize: 5})
	tf := acctest.NewCLI(t, acctest.BuildProvider(t, repoRoot), endpoint)
	wantKeys := func(n int) {
		t.Helper()
		if got := len(emu.Keys()); got != n {
			t.Fatalf("the emulator holds %d keys, want %d", got, n)
		}
	}

	// A wrong secret key: every signature is refused, nothing is created,
	// and the error says why.
	const wrongSecret = "wrong-secret-key-never-logged-987654321"
	recorder.Add(wrongSecret)
	out := tf.ApplyFails(failuresConfig("t0", ""), "NCLOUD_SECRET_KEY="+wrongSecret)
	wantInOutput(t, out, "HTTP 401, error code 200: Authentication Failed", "a wrong access key or secret key", "check the system clock")
	wantKeys(0)

	tf.Apply(failuresConfig("t0", ""))
	wantKeys(3)

	// A regenerate that fails for good: the apply fails, the key values in
	// state are the live ones, and the next plan still has the rotation.
	emu.SetFaults(emulator.Faults{Faults: []emulator.Fault{{Route: emulator.RouteRegenerate, Kind: emulator.FaultError, Status: http.StatusInternalServerError}}})
	out = tf.ApplyFails(failuresConfig("t1", ""))
	wantInOutput(t, out, `Error: Error regenerating the PRIMARY key of API key "failing-0"`, "HTTP 500, error code 900: Unexpected Error")
	emu.SetFaults(emulator.Faults{})
	wantInOutput(t, tf.ExpectExit(2, acctest.Plan(true)), "ncp_apigw_api_key.key[0] will be updated in-place")
	tf.Apply(failuresConfig("t1", ""))

	// A lost create whose check fails: the error gives the create's marker
	// and how to import; following it (import the key with that
	// description) ends with every key managed and none extra.
	emu.SetFaults(emulator.Faults{Faults: []emulator.Fault{
		{Route: emulator.RouteCreate, Kind: emulator.FaultDrop, Count: 1},
		// After the refresh's listing of the account, the check of the lost create.
		{Route: emulator.RouteList, Kind: emulator.FaultError, Status: http.StatusForbidden, Count: 1, After: 1},
	}})
	twin := `
resource "ncp_apigw_api_key" "twin" {
  name = "twin"
}
`
	out = tf.ApplyFails(failuresConfig("t1", twin))
	emu.SetFaults(emulator.Faults{})
	wantKeys(4)
	lost := acctest.KeyByName(t, emu, "twin")
	wantInOutput(t, out, `Error: Error creating API key "twin"`, "checking whether the key was created failed",
		"terraform import ncp_apigw_api_key.<name> <id>", "No key was adopted")
	if !strings.HasPrefix(lost.Description, "terraform-provider-ncp create ") || !strings.Contains(strings.Join(strings.Fields(out), " "), lost.Description) {
		t.Errorf("the error does not give the marker %q the lost key carries:\n%s", lost.Description, out)
	}
	tf.Apply(failuresConfig("t1", twin+fmt.Sprintf("import {\n  to = ncp_apigw_api_key.twin\n  id = %q\n}\n", lost.ID)))
	wantKeys(4)
	if k := acctest.KeyByName(t, emu, "twin"); k.ID != lost.ID || k.Description != "" {
		t.Errorf("the imported key is %s with description %q, want %s given the configured description", k.ID, k.Description, lost.ID)
	}

	// An import of a key that does not exist fails before anything is written.
	writes := func() int {
		r := emu.Stats().Requests
		return r[emulator.RouteCreate] + r[emulator.RouteEdit] + r[emulator.RouteRegenerate] + r[emulator.RouteDelete]
	}
	before := writes()
	out = tf.ApplyFails(failuresConfig("t1", twin+`
import {
  to = ncp_apigw_api_key.ghost
  id = "doesnotexist"
}
resource "ncp_apigw_api_key" "ghost" {
  name = "ghost"
}
`))
	wantInOutput(t, out, "Cannot import non-existent remote object")
	if n := writes() - before; n != 0 {
		t.Errorf("the failed import sent %d writes", n)
	}

	// Back to a configuration without the failing import: Terraform 1.5
	// processes import blocks during destroy too.
	tf.WriteConfig(failuresConfig("t1", twin))
	tf.ExpectExit(0, acctest.Destroy())
	wantKeys(0)
	acctest.LeakedSecrets(t, tf.Printed(), recorder, 20)
}

// TestClockSkewThroughTerraformCLI applies, edits and destroys keys, one
// terraform command at a time, against a server whose clock is 10 minutes
// ahead, then behind. Every command succeeds; the log shows how many
// requests were refused for the clock in each provider process, which
// must learn the server's clock afresh, at the cost of one refused request
// at most.
func TestClockSkewThroughTerraformCLI(t *testing.T) {
	t.Parallel()
	for _, offset := range []time.Duration{10 * time.Minute, -10 * time.Minute} {
		t.Run(offset.String(), func(t *testing.T) {
			emu, _, endpoint := acctest.StartRecordedEmulator(t, emulator.Config{})
			emu.SetFaults(emulator.Faults{ClockOffset: offset})
			tf := acctest.NewCLI(t, acctest.BuildProvider(t, repoRoot), endpoint)
			configured := func() int {
				log, err := os.ReadFile(tf.LogPath)
				if err != nil && !os.IsNotExist(err) {
					t.Fatal(err)
				}
				return strings.Count(string(log), "configured NCP API Gateway client")
			}
			commands := []struct {
				description, verb string
				command           acctest.Command
			}{
				{"v1", "apply", acctest.Apply()},
				{"v2", "apply", acctest.Apply()},
				{"v2", "plan", acctest.Plan(true)},
				{"v2", "destroy", acctest.Destroy()},
			}
			var report []string
			refused, processes := 0, 0
			for _, c := range commands {
				tf.WriteConfig(failuresConfig("t0", "") + fmt.Sprintf(`
resource "ncp_apigw_api_key" "described" {
  count       = 2
  name        = "described-${count.index}"
  description = %q
}
`, c.description))
				emu.ResetStats()
				before := configured()
				if code, out := tf.Do(nil, c.command); code != 0 {
					t.Fatalf("terraform %s exited %d:\n%s", c.verb, code, out)
				}
				n401, clients := emu.Stats().Responses[http.StatusUnauthorized], configured()-before
				refused, processes = refused+n401, processes+clients
				report = append(report, fmt.Sprintf("%s: %d 401s in %d provider processes", c.verb, n401, clients))
			}
			if len(emu.Keys()) != 0 {
				t.Errorf("the emulator holds %d keys after destroy", len(emu.Keys()))
			}
			if refused == 0 {
				t.Fatal("no request was refused: the clock offset was not exercised")
			}
			if refused > processes {
				t.Errorf("%d requests were refused for the clock in %d provider processes: each should learn the clock from its first answer", refused, processes)
			}
			t.Logf("clock offset %s through the CLI: %s; in all %d 401s for %d provider processes", offset, strings.Join(report, ", "), refused, processes)
		})
	}
}

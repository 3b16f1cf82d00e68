package e2e

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-exec/tfexec"

	"github.com/ncp-community/terraform-provider-ncp/internal/acctest"
	"github.com/ncp-community/terraform-provider-ncp/internal/emulator"
)

// requiredProviders names the provider built from this tree.
const requiredProviders = `
terraform {
  required_providers {
    ncp = { source = "ncp-community/ncp" }
  }
}
`

// providerConfig is the root module of the e2e tests: the provider takes
// its endpoint and credentials from the environment NewCLI sets.
const providerConfig = requiredProviders + `
provider "ncp" {}
`

// TestBulkImportThroughTerraformQuery walks through the bulk-import guide
// (templates/guides/bulk-import.md.tmpl): 50 keys made by hand are listed by
// `terraform query -generate-config-out`, the generated import blocks and
// resources apply with no change to any key, and the next plan is empty.
func TestBulkImportThroughTerraformQuery(t *testing.T) {
	if skip := acctest.CLISkips(t, acctest.QueryAndActionCLIs...); skip != "" {
		t.Skip(skip)
	}
	emu, recorder, endpoint := acctest.StartRecordedEmulator(t, emulator.Config{MaxPageSize: 20})
	tf := acctest.NewCLI(t, acctest.BuildProvider(t, repoRoot), endpoint)

	// 50 keys made by hand, some described, every seventh disabled.
	for i := range 50 {
		description := ""
		if i%2 == 0 {
			description = fmt.Sprintf("service %d", i)
		}
		k := emu.PutKey(fmt.Sprintf("svc-%02d", i), description)
		if i%7 == 0 {
			emu.UpdateKey(k.ID, func(k *emulator.Key) { k.Enabled = false })
		}
	}

	// The guide's files, as it shows them.
	guide := filepath.Join(repoRoot, "examples", "bulk-import")
	for _, name := range []string{"main.tf", "keys.tfquery.hcl"} {
		b, err := os.ReadFile(filepath.Join(guide, name))
		if err != nil {
			t.Fatal(err)
		}
		acctest.WriteFile(t, filepath.Join(tf.Dir, name), string(b))
	}
	emu.ResetStats()
	if code, out := tf.Query(tfexec.GenerateConfigOut("generated.tf")); code != 0 {
		t.Fatalf("terraform query failed (exit %d):\n%s", code, out)
	}
	if got := emu.Stats().Requests; got[emulator.RouteList] != 3 || acctest.Total(got) != 3 {
		t.Errorf("the query sent %v, want 3 list requests (50 keys, pages of 20) and nothing else", got)
	}
	generated, err := os.ReadFile(filepath.Join(tf.Dir, "generated.tf"))
	if err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(string(generated), "\nimport {"); n != 50 {
		t.Errorf("the generated configuration has %d import blocks, want 50:\n%s", n, generated)
	}
	if n := strings.Count(string(generated), `resource "ncp_apigw_api_key"`); n != 50 {
		t.Errorf("the generated configuration has %d resources, want 50", n)
	}
	if found, err := acctest.KeyValuesIn(emu.Keys(), string(generated)); err != nil || found > 0 {
		t.Errorf("the generated configuration holds %d key values (%v)", found, err)
	}

	emu.ResetStats()
	code, out := tf.Do(nil, acctest.Apply())
	if code != 0 {
		t.Fatalf("terraform apply failed (exit %d):\n%s", code, out)
	}
	for _, want := range []string{
		"Plan: 50 to import, 0 to add, 0 to change, 0 to destroy.",
		"Apply complete! Resources: 50 imported, 0 added, 0 changed, 0 destroyed.",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("the apply does not say %q:\n%s", want, out)
		}
	}
	if plan := tf.ExpectExit(0, acctest.Plan(true)); !strings.Contains(plan, "No changes. Your infrastructure matches the configuration.") {
		t.Errorf("the plan after the import is not empty:\n%s", plan)
	}
	got := emu.Stats().Requests
	if writes := got[emulator.RouteCreate] + got[emulator.RouteEdit] + got[emulator.RouteRegenerate] + got[emulator.RouteDelete]; writes != 0 {
		t.Errorf("importing sent %d writes (%v), want none", writes, got)
	}

	// The imported keys are managed: a change to one of them plans as an
	// update of that key alone.
	acctest.WriteFile(t, filepath.Join(tf.Dir, "generated.tf"),
		strings.Replace(string(generated), `name             = "svc-01"`, `name             = "svc-01-renamed"`, 1))
	plan := tf.ExpectExit(2, acctest.Plan(true))
	if !strings.Contains(plan, "1 to change") || !strings.Contains(plan, `"svc-01" -> "svc-01-renamed"`) {
		t.Errorf("renaming svc-01 in the generated configuration plans:\n%s", plan)
	}

	acctest.LeakedSecrets(t, tf.Printed(), recorder, 100)
}

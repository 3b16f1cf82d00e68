package e2e

import (
	"archive/zip"
	"context"
	"io"
	"path/filepath"
	"testing"

	"github.com/hashicorp/terraform-exec/tfexec"

	"github.com/ncp-community/terraform-provider-ncp/internal/acctest"
	"github.com/ncp-community/terraform-provider-ncp/internal/emulator"
)

// ephemeralConfig manages a key whose values state does not keep, and
// opens it and a key made by hand as ephemeral resources.
func ephemeralConfig(description string) string {
	return providerConfig + `
resource "ncp_apigw_api_key" "svc" {
  name             = "svc"
  description      = "` + description + `"
  store_key_values = false
}

ephemeral "ncp_apigw_api_key" "svc" {
  id = ncp_apigw_api_key.svc.id
}

ephemeral "ncp_apigw_api_key" "by_hand" {
  name = "by-hand"
}
`
}

// TestEphemeralKeyValuesStayOutOfFiles reads the files Terraform writes, as
// they are on disk: the state file and a saved plan hold no key value,
// though the ephemeral resources were opened in the plan and the apply.
func TestEphemeralKeyValuesStayOutOfFiles(t *testing.T) {
	if skip := acctest.CLISkips(t, acctest.EphemeralCLIs...); skip != "" {
		t.Skip(skip)
	}
	emu, recorder, endpoint := acctest.StartRecordedEmulator(t, emulator.Config{})
	tf := acctest.NewCLI(t, acctest.BuildProvider(t, repoRoot), endpoint)
	emu.PutKey("by-hand", "made in the console")

	emu.ResetStats()
	tf.Apply(ephemeralConfig("v1"))
	if reads := emu.Stats().Requests[emulator.RouteGet]; reads < 2 {
		t.Fatalf("%d reads: the ephemeral resources were not opened", reads)
	}

	// A saved plan of a change, with both ephemeral resources opened.
	tf.WriteConfig(ephemeralConfig("v2"))
	emu.ResetStats()
	if code, out := tf.Do(nil, acctest.Plan(false, tfexec.Out("tfplan"))); code != 0 {
		t.Fatalf("terraform plan failed (exit %d):\n%s", code, out)
	}
	// The refresh reads the managed key from the account's listing, without
	// a GET; Terraform opens both ephemeral resources, OpenTofu 1.12 only
	// the one by name.
	if reads := emu.Stats().Requests[emulator.RouteGet]; reads < 1 {
		t.Fatalf("%d reads in the plan: no ephemeral resource was opened", reads)
	}
	code, planJSON := tf.Do(nil, func(ctx context.Context, tf *tfexec.Terraform) error {
		_, err := tf.ShowPlanFile(ctx, "tfplan")
		return err
	})
	if code != 0 {
		t.Fatalf("terraform show -json tfplan failed:\n%s", planJSON)
	}
	files := zipFiles(t, filepath.Join(tf.Dir, "tfplan"))
	files["show -json of the saved plan"] = planJSON
	files["terraform.tfstate"] = stateFile(t, tf.Dir)
	for name, content := range files {
		if found, err := acctest.KeyValuesIn(emu.Keys(), content); err != nil || found > 0 {
			t.Errorf("%s holds %d key values (%v)", name, found, err)
		}
	}

	if code, out := tf.Do(nil, acctest.Apply(tfexec.DirOrPlan("tfplan"))); code != 0 {
		t.Fatalf("applying the saved plan failed:\n%s", out)
	}
	if found, err := acctest.KeyValuesIn(emu.Keys(), stateFile(t, tf.Dir)); err != nil || found > 0 {
		t.Errorf("the state file holds %d key values after the saved plan's apply (%v)", found, err)
	}
	acctest.LeakedSecrets(t, tf.Printed(), recorder, 10)
}

// zipFiles reads the files of a zip archive, such as a saved plan, whose
// files are compressed.
func zipFiles(t *testing.T, path string) map[string]string {
	t.Helper()
	archive, err := zip.OpenReader(path)
	if err != nil {
		t.Fatal(err)
	}
	files := map[string]string{}
	for _, f := range archive.File {
		r, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		b, err := io.ReadAll(r)
		if err == nil {
			err = r.Close()
		}
		if err != nil {
			t.Fatal(err)
		}
		files[path+":"+f.Name] = string(b)
	}
	if err := archive.Close(); err != nil {
		t.Fatal(err)
	}
	if len(files) < 3 {
		t.Fatalf("%s holds %d files; is a saved plan still a zip of plan, state and configuration?", path, len(files))
	}
	return files
}

package e2e

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ncp-community/terraform-provider-ncp/internal/acctest"
	"github.com/ncp-community/terraform-provider-ncp/internal/emulator"
)

// TestExamplesValidate runs `terraform validate` on the examples the docs
// show, each where the CLI has what it uses; `-query` validates the query
// files too. Examples that need another provider than ncp are left out:
// it cannot be installed offline.
func TestExamplesValidate(t *testing.T) {
	examples := filepath.Join(repoRoot, "examples")
	from := func(version string) func(*testing.T) {
		return func(t *testing.T) { acctest.SkipBelow(t, version) }
	}
	for _, tt := range []struct {
		name  string
		skip  func(*testing.T) // unless the CLI has what the example uses
		files []string
	}{
		{"provider", from("1.0.0"), []string{"provider/provider.tf"}},
		{"quickstart", from("1.0.0"), []string{"quickstart/main.tf"}},
		{"resource", from("1.0.0"), []string{"resources/ncp_apigw_api_key/resource.tf"}},
		{"import by id", from("1.5.0"), []string{"resources/ncp_apigw_api_key/resource.tf", "resources/ncp_apigw_api_key/import-by-string-id.tf"}},
		{"import by identity", from("1.12.0"), []string{"resources/ncp_apigw_api_key/resource.tf", "resources/ncp_apigw_api_key/import-by-identity.tf"}},
		{"data source", from("1.0.0"), []string{"data-sources/ncp_apigw_api_key/data-source.tf"}},
		{"list data source", from("1.0.0"), []string{"data-sources/ncp_apigw_api_keys/data-source.tf"}},
		{"ephemeral resource", from("1.10.0"), []string{"ephemeral-resources/ncp_apigw_api_key/ephemeral-resource.tf"}},
		{"action", acctest.SkipWithoutQueryAndActions, []string{"actions/ncp_apigw_api_key_regenerate/action.tf"}},
		{"list resource", acctest.SkipWithoutQueryAndActions, []string{"list-resources/ncp_apigw_api_key/list-resource.tfquery.hcl"}},
		{"bulk import", acctest.SkipWithoutQueryAndActions, []string{"bulk-import/main.tf", "bulk-import/keys.tfquery.hcl"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			tt.skip(t)
			_, _, endpoint := acctest.StartRecordedEmulator(t, emulator.Config{})
			tf := acctest.NewCLI(t, acctest.BuildProvider(t, repoRoot), endpoint)
			declared := false
			for _, name := range tt.files {
				b, err := os.ReadFile(filepath.Join(examples, name))
				if err != nil {
					t.Fatal(err)
				}
				declared = declared || strings.Contains(string(b), "required_providers")
				acctest.WriteFile(t, filepath.Join(tf.Dir, filepath.Base(name)), string(b))
			}
			if !declared {
				tf.WriteConfig(requiredProviders)
			}
			args := []string{"validate"}
			if acctest.TerraformAtLeast(t, "1.14.0") && !acctest.OpenTofu() {
				args = append(args, "-query")
			}
			if code, out := tf.Run(args...); code != 0 {
				t.Errorf("terraform %s failed (exit %d):\n%s", strings.Join(args, " "), code, out)
			}
		})
	}
}

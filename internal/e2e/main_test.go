package e2e

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/ncp-community/terraform-provider-ncp/internal/acctest"
)

// repoRoot is where the provider is built from.
const repoRoot = "../.."

func TestMain(m *testing.M) {
	code := m.Run()
	acctest.RemoveProviderBuild()
	os.Exit(code)
}

// stateFile reads the state file of a working directory, as it is on disk.
func stateFile(t *testing.T, dir string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(dir, "terraform.tfstate"))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

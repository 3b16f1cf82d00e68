package e2e

import (
	"os"
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

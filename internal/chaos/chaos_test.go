package chaos

import (
	"os"
	"testing"

	"github.com/ncp-community/terraform-provider-ncp/internal/acctest"
)

// TestChaos runs the seeded fault campaign (see the package doc): make
// chaos SEEDS=n, or make chaos SEED=s for one seed.
func TestChaos(t *testing.T) {
	s, err := settingsFrom(os.Getenv)
	if err != nil {
		t.Fatal(err)
	}
	if len(s.Seeds) == 0 {
		t.Skip("the fault campaign runs with TF_ACC=1, CHAOS_SEEDS=n or CHAOS_SEED=s (make chaos SEEDS=n)")
	}
	pluginDir := acctest.BuildProvider(t, "../..")
	t.Cleanup(acctest.RemoveProviderBuild)

	rep := runCampaign(t, s.Seeds, pluginDir)
	t.Log(rep)
	if s.Report != "" {
		if err := rep.write(s.Report); err != nil {
			t.Error(err)
		}
	}
}

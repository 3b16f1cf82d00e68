package chaos

import (
	"flag"
	"strconv"
	"testing"
	"time"

	"github.com/ncp-community/terraform-provider-ncp/internal/emulator"
)

// runCampaign runs every seed as a parallel subtest of t, as many at once
// as go test's -parallel allows, and returns the report. A seed that breaks
// an invariant fails its subtest with how to rerun it alone.
func runCampaign(t *testing.T, seeds []int64, pluginDir string) *report {
	rep := &report{tally: tally{Faults: map[emulator.FaultKind]int{}}, Workers: 1}
	if n, err := strconv.Atoi(flag.Lookup("test.parallel").Value.String()); err == nil {
		rep.Workers = n
	}
	start := time.Now()
	t.Run("seed", func(t *testing.T) {
		for _, seed := range seeds {
			t.Run(strconv.FormatInt(seed, 10), func(t *testing.T) {
				t.Parallel()
				begin := time.Now()
				result := runSeed(t, seed, pluginDir)
				rep.add(result, time.Since(begin))
				for _, v := range result.Violations {
					t.Errorf("seed %d step %d: %s: %s", v.Seed, v.Step, v.Invariant, v.Detail)
				}
				if t.Failed() {
					t.Logf("the plan of this seed:\n%s", generate(seed))
					t.Logf("rerun this seed alone: make chaos SEED=%d", seed)
				}
			})
		}
	})
	rep.finish(time.Since(start))
	return rep
}

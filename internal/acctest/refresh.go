package acctest

import (
	"fmt"
	"slices"
	"strings"

	tfjson "github.com/hashicorp/terraform-json"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"

	"github.com/ncp-community/terraform-provider-ncp/internal/emulator"
)

// ExpectRefreshedAsEmulator asserts that the refresh before the plan left
// every key in the plan's prior state as the emulator holds it, key values
// included, and that the keys the emulator no longer holds are gone from
// it: the plan saw every change made out of band.
func (e *Env) ExpectRefreshedAsEmulator() plancheck.PlanCheck {
	return planCheckFunc(func(plan *tfjson.Plan) error {
		if plan.PriorState == nil || plan.PriorState.Values == nil {
			return fmt.Errorf("the plan has no prior state")
		}
		held := map[string]emulator.Key{}
		for _, k := range e.Emulator.Keys() {
			held[k.ID] = k
		}
		var problems []string
		for addr, attrs := range StateKeys(plan.PriorState) {
			k, ok := held[attrs["id"]]
			if !ok {
				problems = append(problems, fmt.Sprintf("%s: key %s is gone but still in the refreshed state", addr, attrs["id"]))
				continue
			}
			if differ := EmulatorKeyDifferences(attrs, k); len(differ) > 0 {
				problems = append(problems, fmt.Sprintf("%s: the refreshed state differs from the emulator in %s", addr, strings.Join(differ, ", ")))
			}
		}
		if len(problems) > 0 {
			return fmt.Errorf("%s", strings.Join(slices.Sorted(slices.Values(problems)), "\n"))
		}
		return nil
	})
}

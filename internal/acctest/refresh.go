package acctest

import (
	"fmt"
	"slices"
	"strings"

	tfjson "github.com/hashicorp/terraform-json"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"

	"github.com/ncp-community/terraform-provider-ncp/internal/emulator"
)

// ExpectRequests asserts, when the plan is made, that the emulator got
// exactly the requests want since its counters were last reset: the
// requests of that plan's refresh when the step's PreConfig reset them.
func (e *Env) ExpectRequests(want map[emulator.Route]int) plancheck.PlanCheck {
	return planCheckFunc(func(*tfjson.Plan) error {
		got := e.Emulator.Stats().Requests
		for route, n := range got {
			if n != want[route] {
				return fmt.Errorf("the plan's refresh sent %d %s requests, want %d (all: %v, want %v)", n, route, want[route], got, want)
			}
		}
		for route, n := range want {
			if got[route] != n {
				return fmt.Errorf("the plan's refresh sent %d %s requests, want %d (all: %v)", got[route], route, n, got)
			}
		}
		return nil
	})
}

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
		for _, r := range plan.PriorState.Values.RootModule.Resources {
			if r.Type != KeyResourceType {
				continue
			}
			attrs := map[string]string{}
			for name, v := range r.AttributeValues {
				if v != nil {
					attrs[name] = fmt.Sprint(v)
				}
			}
			k, ok := held[attrs["id"]]
			if !ok {
				problems = append(problems, fmt.Sprintf("%s: key %s is gone but still in the refreshed state", r.Address, attrs["id"]))
				continue
			}
			if differ := EmulatorKeyDifferences(attrs, k); len(differ) > 0 {
				problems = append(problems, fmt.Sprintf("%s: the refreshed state differs from the emulator in %s", r.Address, strings.Join(differ, ", ")))
			}
		}
		if len(problems) > 0 {
			return fmt.Errorf("%s", strings.Join(slices.Sorted(slices.Values(problems)), "\n"))
		}
		return nil
	})
}

// ExpectRouteRequests asserts, when the plan is made, that the emulator got
// n requests of route since its counters were last reset, whatever it got
// of the other routes.
func (e *Env) ExpectRouteRequests(route emulator.Route, n int) plancheck.PlanCheck {
	return planCheckFunc(func(*tfjson.Plan) error {
		if got := e.Emulator.Stats().Requests; got[route] != n {
			return fmt.Errorf("the plan's refresh sent %d %s requests, want %d (all: %v)", got[route], route, n, got)
		}
		return nil
	})
}

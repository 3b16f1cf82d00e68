package acctest

import (
	"encoding/json"
	"fmt"
	"strings"

	tfjson "github.com/hashicorp/terraform-json"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"

	"github.com/ncp-community/terraform-provider-ncp/internal/emulator"
)

// KeyValuesIn counts the key values of keys that appear in text. It never
// says which, so that a failing test prints no secret. Keys without values
// count as an error: they would make the search vacuous.
func KeyValuesIn(keys []emulator.Key, text string) (int, error) {
	if len(keys) == 0 {
		return 0, fmt.Errorf("no key to search for: the search would prove nothing")
	}
	found := 0
	for _, k := range keys {
		for _, v := range []string{k.PrimaryKey, k.SecondaryKey} {
			if v == "" {
				return 0, fmt.Errorf("key %s has no value to search for", k.ID)
			}
			if strings.Contains(text, v) {
				found++
			}
		}
	}
	return found, nil
}

// expectNoKeyValues fails when the JSON of doc holds a value of any key the
// emulator holds when the check runs.
func (e *Env) expectNoKeyValues(what string, doc any) error {
	b, err := json.Marshal(doc)
	if err != nil {
		return err
	}
	found, err := KeyValuesIn(e.Emulator.Keys(), string(b))
	if err != nil {
		return err
	}
	if found > 0 {
		return fmt.Errorf("the %s JSON holds %d key values", what, found)
	}
	return nil
}

// ExpectNoKeyValuesInState asserts that no key value of the emulator's
// keys is in the state (`terraform show -json`). It needs the emulator.
func (e *Env) ExpectNoKeyValuesInState() statecheck.StateCheck {
	return StateCheckFunc(func(state *tfjson.State) error {
		return e.expectNoKeyValues("state", state)
	})
}

// ExpectNoKeyValuesInPlan asserts that no key value of the emulator's
// keys is in the plan (`terraform show -json` of the saved plan), prior
// state included. It needs the emulator.
func (e *Env) ExpectNoKeyValuesInPlan() plancheck.PlanCheck {
	return planCheckFunc(func(plan *tfjson.Plan) error {
		return e.expectNoKeyValues("plan", plan)
	})
}

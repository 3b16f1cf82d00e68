package acctest

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	tfjson "github.com/hashicorp/terraform-json"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/ncp-community/terraform-provider-ncp/internal/emulator"
	"github.com/ncp-community/terraform-provider-ncp/internal/ncpclient"
)

// KeyResourceType is the type of the resource whose state these checks read.
const KeyResourceType = "ncp_apigw_api_key"

// KeyAddr is the address of the key KeyConfig declares.
const KeyAddr = KeyResourceType + ".test"

// KeyValueRegexp matches a key value as NCP makes them.
var KeyValueRegexp = regexp.MustCompile(`^[A-Za-z0-9]{40}$`)

// KeyConfig declares the key KeyAddr with the attributes attrs (HCL).
func KeyConfig(attrs string) string {
	return fmt.Sprintf(`
resource "ncp_apigw_api_key" "test" {
%s
}
`, attrs)
}

// KeyValue checks attr of KeyAddr in state.
func KeyValue(attr string, check knownvalue.Check) statecheck.StateCheck {
	return statecheck.ExpectKnownValue(KeyAddr, tfjsonpath.New(attr), check)
}

// CaptureKeyID records KeyAddr's id in *id, for the steps after it.
func CaptureKeyID(id *string) statecheck.StateCheck {
	return KeyValue("id", knownvalue.StringFunc(func(v string) error { *id = v; return nil }))
}

// KeyPlanned expects attr of KeyAddr unknown in the plan when it is to
// change, and known otherwise.
func KeyPlanned(attr string, changes bool) plancheck.PlanCheck {
	if changes {
		return plancheck.ExpectUnknownValue(KeyAddr, tfjsonpath.New(attr))
	}
	return plancheck.ExpectKnownValue(KeyAddr, tfjsonpath.New(attr), knownvalue.NotNull())
}

// StateKeys returns the attributes of every ncp_apigw_api_key in state, by
// address, rendered as strings; null ones are absent.
func StateKeys(state *tfjson.State) map[string]map[string]string {
	keys := map[string]map[string]string{}
	if state == nil || state.Values == nil || state.Values.RootModule == nil {
		return keys
	}
	for _, r := range state.Values.RootModule.Resources {
		if r.Mode != tfjson.ManagedResourceMode || r.Type != KeyResourceType {
			continue
		}
		attrs := map[string]string{}
		for name, v := range r.AttributeValues {
			if v != nil {
				attrs[name] = fmt.Sprint(v)
			}
		}
		keys[r.Address] = attrs
	}
	return keys
}

// keyDifferences names, without their values, which may be secret, the
// attributes in which a key's state differs from what the API holds. Key
// values must be absent where state keeps none.
func keyDifferences(attrs map[string]string, want ncpclient.APIKey) []string {
	expected := map[string]string{
		"name":        want.Name,
		"description": want.Description,
		"enabled":     fmt.Sprint(want.Enabled),
		"tenant_id":   want.TenantID,
		"modifier":    want.Modifier,
		"mod_time":    want.ModTime,
		"domain_code": want.DomainCode,
	}
	if attrs["store_key_values"] == "false" {
		expected["primary_key"], expected["secondary_key"] = "", ""
	} else {
		expected["primary_key"], expected["secondary_key"] = want.PrimaryKey, want.SecondaryKey
	}
	var differ []string
	for attr, v := range expected {
		if attrs[attr] != v {
			differ = append(differ, attr)
		}
	}
	slices.Sort(differ)
	return differ
}

// EmulatorKeyDifferences names, without their values, the attributes in
// which a key's state (flattened) differs from the emulator's record of it.
func EmulatorKeyDifferences(attrs map[string]string, k emulator.Key) []string {
	return keyDifferences(attrs, ncpclient.APIKey{
		ID: k.ID, TenantID: k.TenantID, Name: k.Name, Description: k.Description,
		PrimaryKey: k.PrimaryKey, SecondaryKey: k.SecondaryKey, Modifier: k.Modifier,
		Enabled: k.Enabled, ModTime: k.ModTime.UTC().Format(time.RFC3339), DomainCode: k.DomainCode,
	})
}

// StateCheckFunc adapts a function to statecheck.StateCheck, for a check
// of one test's own.
type StateCheckFunc func(state *tfjson.State) error

func (f StateCheckFunc) CheckState(_ context.Context, req statecheck.CheckStateRequest, resp *statecheck.CheckStateResponse) {
	resp.Error = f(req.State)
}

// planCheckFunc adapts a function to plancheck.PlanCheck.
type planCheckFunc func(*tfjson.Plan) error

func (f planCheckFunc) CheckPlan(_ context.Context, req plancheck.CheckPlanRequest, resp *plancheck.CheckPlanResponse) {
	resp.Error = f(req.Plan)
}

// InPriorState runs a state check on the state a plan's refresh left: on
// the plan after a RefreshState step, which has no state checks of its own.
func InPriorState(check statecheck.StateCheck) plancheck.PlanCheck {
	return planCheckFunc(func(plan *tfjson.Plan) error {
		if plan.PriorState == nil || plan.PriorState.Values == nil {
			return errors.New("the plan has no prior state")
		}
		var resp statecheck.CheckStateResponse
		check.CheckState(context.Background(), statecheck.CheckStateRequest{State: plan.PriorState}, &resp)
		return resp.Error
	})
}

// CheckAPI runs state checks that read the API, not state, where only a
// TestCheckFunc will do: in a TestCase's CheckDestroy.
func CheckAPI(checks ...statecheck.StateCheck) func(*terraform.State) error {
	return func(*terraform.State) error {
		var errs []error
		for _, check := range checks {
			var resp statecheck.CheckStateResponse
			check.CheckState(context.Background(), statecheck.CheckStateRequest{State: &tfjson.State{}}, &resp)
			errs = append(errs, resp.Error)
		}
		return errors.Join(errs...)
	}
}

// ExpectKeyMatchesAPI asserts that the state of the key at addr is what the
// API holds.
func (e *Env) ExpectKeyMatchesAPI(addr string) statecheck.StateCheck {
	return StateCheckFunc(func(state *tfjson.State) error {
		attrs, ok := StateKeys(state)[addr]
		if !ok {
			return fmt.Errorf("%s is not in state", addr)
		}
		key, err := e.Client.GetAPIKey(context.Background(), attrs["id"])
		if err != nil {
			return err
		}
		if differ := keyDifferences(attrs, *key); len(differ) > 0 {
			return fmt.Errorf("%s: state differs from the API in %s", addr, strings.Join(differ, ", "))
		}
		return nil
	})
}

// ExpectStateMatchesEmulator asserts that state holds exactly the emulator's
// keys, each as the emulator holds it: none orphaned, none differing.
func (e *Env) ExpectStateMatchesEmulator() statecheck.StateCheck {
	return StateCheckFunc(func(state *tfjson.State) error {
		inState := map[string]map[string]string{}
		for _, attrs := range StateKeys(state) {
			inState[attrs["id"]] = attrs
		}
		var problems []string
		for _, k := range e.Emulator.Keys() {
			attrs, ok := inState[k.ID]
			if !ok {
				problems = append(problems, fmt.Sprintf("key %s (%q) is in the emulator but not in state", k.ID, k.Name))
				continue
			}
			delete(inState, k.ID)
			if differ := EmulatorKeyDifferences(attrs, k); len(differ) > 0 {
				problems = append(problems, fmt.Sprintf("key %s: state differs from the emulator in %s", k.ID, strings.Join(differ, ", ")))
			}
		}
		for id := range inState {
			problems = append(problems, fmt.Sprintf("key %s is in state but not in the emulator", id))
		}
		if len(problems) == 0 {
			return nil
		}
		slices.Sort(problems)
		return fmt.Errorf("state differs from the emulator:\n%s", strings.Join(problems, "\n"))
	})
}

// CountCheck asserts the emulator's counters since their last reset: as a
// plan check when the plan is made, as a state check after the apply.
type CountCheck[K ~string] struct {
	noun  string // what is counted
	count func() map[K]int
	want  map[K]int
	exact bool // every counter not in want must be zero
}

// ExpectRequests counts requests by route; routes not in want must have none.
func (e *Env) ExpectRequests(want map[emulator.Route]int) CountCheck[emulator.Route] {
	return CountCheck[emulator.Route]{noun: "requests", count: func() map[emulator.Route]int { return e.Emulator.Stats().Requests }, want: want, exact: true}
}

// ExpectRouteRequests counts requests of the routes in want only.
func (e *Env) ExpectRouteRequests(want map[emulator.Route]int) CountCheck[emulator.Route] {
	return CountCheck[emulator.Route]{noun: "requests", count: func() map[emulator.Route]int { return e.Emulator.Stats().Requests }, want: want}
}

// ExpectKeyCount counts the keys the emulator holds.
func (e *Env) ExpectKeyCount(want int) CountCheck[string] {
	return CountCheck[string]{noun: "keys", count: func() map[string]int { return map[string]int{"held": len(e.Emulator.Keys())} }, want: map[string]int{"held": want}}
}

// ExpectFaults counts the faults of the kinds in want that the emulator
// injected.
func (e *Env) ExpectFaults(want map[emulator.FaultKind]int) CountCheck[emulator.FaultKind] {
	return CountCheck[emulator.FaultKind]{noun: "faults", count: func() map[emulator.FaultKind]int { return e.Emulator.Stats().Faults }, want: want}
}

func (c CountCheck[K]) err() error {
	got := c.count()
	for k, n := range got {
		if _, wanted := c.want[k]; c.exact && !wanted && n != 0 {
			return fmt.Errorf("%d %s %s, want none (all: %v)", n, k, c.noun, got)
		}
	}
	for k, n := range c.want {
		if got[k] != n {
			return fmt.Errorf("%d %s %s, want %d (all: %v)", got[k], k, c.noun, n, got)
		}
	}
	return nil
}

func (c CountCheck[K]) CheckState(_ context.Context, _ statecheck.CheckStateRequest, resp *statecheck.CheckStateResponse) {
	resp.Error = c.err()
}

func (c CountCheck[K]) CheckPlan(_ context.Context, _ plancheck.CheckPlanRequest, resp *plancheck.CheckPlanResponse) {
	resp.Error = c.err()
}

// CheckDestroyed asserts that no key in state exists any more and that the
// emulator, if any, holds only the keep keys made outside Terraform.
func (e *Env) CheckDestroyed(keep int) func(*terraform.State) error {
	return func(s *terraform.State) error {
		for _, rs := range s.RootModule().Resources {
			if rs.Type != KeyResourceType {
				continue
			}
			switch _, err := e.Client.GetAPIKey(context.Background(), rs.Primary.ID); {
			case err == nil:
				return fmt.Errorf("API key %s still exists after destroy", rs.Primary.ID)
			case !ncpclient.IsNotFound(err):
				return fmt.Errorf("checking API key %s after destroy: %w", rs.Primary.ID, err)
			}
		}
		if e.Emulator != nil && len(e.Emulator.Keys()) != keep {
			return fmt.Errorf("emulator holds %d keys after destroy, want %d", len(e.Emulator.Keys()), keep)
		}
		return nil
	}
}

// ExpectSubscriptionStatuses asserts the emulator's subscriptions: their
// number, and the status of each to the products of want.
func (e *Env) ExpectSubscriptionStatuses(count int, want map[string]emulator.SubscriptionStatus) statecheck.StateCheck {
	return StateCheckFunc(func(*tfjson.State) error {
		subs := e.Emulator.Subscriptions()
		if len(subs) != count {
			return fmt.Errorf("the emulator holds %d subscriptions, want %d: %+v", len(subs), count, subs)
		}
		for _, s := range subs {
			if status, ok := want[s.ProductID]; ok && s.Status != status {
				return fmt.Errorf("the subscription of key %s to product %s is %s, want %s", s.APIKeyID, s.ProductID, s.Status, status)
			}
		}
		return nil
	})
}

// CheckSubscriptionsDestroyed is CheckDestroyed(0) for tests of
// subscriptions: no subscription is left either.
func (e *Env) CheckSubscriptionsDestroyed(s *terraform.State) error {
	return errors.Join(e.CheckDestroyed(0)(s), CheckAPI(e.ExpectSubscriptionStatuses(0, nil))(s))
}

// ExpectNoDrift asserts that the refresh before a plan found no drift: right
// after a failed apply, that the apply left state equal to the API.
var ExpectNoDrift plancheck.PlanCheck = planCheckFunc(func(plan *tfjson.Plan) error {
	var drifted []string
	for _, rc := range plan.ResourceDrift {
		drifted = append(drifted, fmt.Sprintf("%s (%v)", rc.Address, rc.Change.Actions))
	}
	if len(drifted) > 0 {
		return fmt.Errorf("refresh found state different from the API: %s", strings.Join(drifted, ", "))
	}
	return nil
})

// ExpectUpdateInPlace asserts that the apply updates addr in place and
// passes the extra checks; the framework checks the empty plan after it.
func ExpectUpdateInPlace(addr string, extra ...plancheck.PlanCheck) resource.ConfigPlanChecks {
	return resource.ConfigPlanChecks{
		PreApply: append([]plancheck.PlanCheck{plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate)}, extra...),
	}
}

// ActBeforeApply runs act between the plan and its apply, when someone else
// may change what the plan was made from. It asserts nothing.
func ActBeforeApply(act func()) plancheck.PlanCheck {
	return planCheckFunc(func(*tfjson.Plan) error {
		act()
		return nil
	})
}

// Wrapped matches text however Terraform wraps its lines.
func Wrapped(text string) string {
	return strings.ReplaceAll(regexp.QuoteMeta(text), " ", `\s+`)
}

// Total sums request counts over every route.
func Total(requests map[emulator.Route]int) int {
	n := 0
	for _, c := range requests {
		n += c
	}
	return n
}

// KeyByName finds the emulator's only key with that name.
func KeyByName(t *testing.T, emu *emulator.Emulator, name string) emulator.Key {
	t.Helper()
	found := slices.DeleteFunc(emu.Keys(), func(k emulator.Key) bool { return k.Name != name })
	if len(found) != 1 {
		t.Fatalf("%d keys named %q in the emulator, want 1", len(found), name)
	}
	return found[0]
}

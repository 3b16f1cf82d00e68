package acctest

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	tfjson "github.com/hashicorp/terraform-json"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/ncp-community/terraform-provider-ncp/internal/emulator"
	"github.com/ncp-community/terraform-provider-ncp/internal/ncpclient"
)

// KeyResourceType is the type of the resource whose state these checks read.
const KeyResourceType = "ncp_apigw_api_key"

// StateKeys returns the attributes of every ncp_apigw_api_key in state (as
// `terraform show -json` renders it), by address, rendered as strings; null
// ones are absent.
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

// keyDifferences lists the attributes in which a key's state differs from
// what the API holds, naming them without their values, which may be
// secret. Key values are compared where state keeps them, and must be
// absent where it does not.
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

// EmulatorKeyDifferences lists the attributes in which a key's state
// (attributes as in state, flattened) differs from the emulator's record of
// it, naming them without their values.
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

// InPriorState runs a state check on a plan's prior state: after a
// RefreshState step (which has no state checks), on the refreshed state.
func InPriorState(check statecheck.StateCheck) plancheck.PlanCheck {
	return planCheckFunc(func(plan *tfjson.Plan) error {
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

// keyMatchesAPI is the check of ExpectKeyMatchesAPI.
type keyMatchesAPI struct {
	client *ncpclient.Client
	addr   string
}

// ExpectKeyMatchesAPI asserts that the state of the key at addr is what the
// API holds.
func (e *Env) ExpectKeyMatchesAPI(addr string) statecheck.StateCheck {
	return keyMatchesAPI{client: e.Client, addr: addr}
}

func (c keyMatchesAPI) CheckState(ctx context.Context, req statecheck.CheckStateRequest, resp *statecheck.CheckStateResponse) {
	attrs, ok := StateKeys(req.State)[c.addr]
	if !ok {
		resp.Error = fmt.Errorf("%s is not in state", c.addr)
		return
	}
	key, err := c.client.GetAPIKey(ctx, attrs["id"])
	if err != nil {
		resp.Error = err
	} else if differ := keyDifferences(attrs, *key); len(differ) > 0 {
		resp.Error = fmt.Errorf("%s: state differs from the API in %s", c.addr, strings.Join(differ, ", "))
	}
}

// stateMatchesEmulator is the check of ExpectStateMatchesEmulator.
type stateMatchesEmulator struct{ emu *emulator.Emulator }

// ExpectStateMatchesEmulator asserts that state holds exactly the
// emulator's keys, each as the emulator holds it: no key is orphaned, none
// is in state alone, none differs.
func (e *Env) ExpectStateMatchesEmulator() statecheck.StateCheck {
	return stateMatchesEmulator{emu: e.Emulator}
}

func (c stateMatchesEmulator) CheckState(_ context.Context, req statecheck.CheckStateRequest, resp *statecheck.CheckStateResponse) {
	inState := map[string]map[string]string{}
	for _, attrs := range StateKeys(req.State) {
		inState[attrs["id"]] = attrs
	}
	var problems []string
	for _, k := range c.emu.Keys() {
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
	if len(problems) > 0 {
		slices.Sort(problems)
		resp.Error = fmt.Errorf("state differs from the emulator:\n%s", strings.Join(problems, "\n"))
	}
}

// OrphansAndDuplicates counts the emulator's keys that state does not know,
// and the keys beyond the first of each name (the configurations that use
// it give every key a distinct name).
func (e *Env) OrphansAndDuplicates(state *tfjson.State) (orphans, duplicates int) {
	inState := map[string]bool{}
	for _, attrs := range StateKeys(state) {
		inState[attrs["id"]] = true
	}
	names := map[string]int{}
	for _, k := range e.Emulator.Keys() {
		if !inState[k.ID] {
			orphans++
		}
		if names[k.Name]++; names[k.Name] > 1 {
			duplicates++
		}
	}
	return orphans, duplicates
}

// keyCount is the check of ExpectKeyCount.
type keyCount struct {
	emu  *emulator.Emulator
	want int
}

// ExpectKeyCount asserts how many keys the emulator holds.
func (e *Env) ExpectKeyCount(want int) statecheck.StateCheck {
	return keyCount{emu: e.Emulator, want: want}
}

func (c keyCount) CheckState(_ context.Context, _ statecheck.CheckStateRequest, resp *statecheck.CheckStateResponse) {
	if got := len(c.emu.Keys()); got != c.want {
		resp.Error = fmt.Errorf("the emulator holds %d keys, want %d", got, c.want)
	}
}

// RequestCheck asserts how many requests of each route the emulator got
// since its counters were last reset: as a plan check when the plan is
// made (the requests of its refresh, when the step's PreConfig reset
// them), as a state check after the apply.
type RequestCheck struct {
	emu   *emulator.Emulator
	want  map[emulator.Route]int
	exact bool // every route not in want must have had none
}

// ExpectRequests is a RequestCheck of every route: those not in want must
// have had none.
func (e *Env) ExpectRequests(want map[emulator.Route]int) RequestCheck {
	return RequestCheck{emu: e.Emulator, want: want, exact: true}
}

// ExpectRouteRequests is a RequestCheck of the routes in want only.
func (e *Env) ExpectRouteRequests(want map[emulator.Route]int) RequestCheck {
	return RequestCheck{emu: e.Emulator, want: want}
}

func (c RequestCheck) err() error {
	got := c.emu.Stats().Requests
	for route, n := range got {
		if _, wanted := c.want[route]; c.exact && !wanted && n != 0 {
			return fmt.Errorf("%d %s requests, want none (all: %v)", n, route, got)
		}
	}
	for route, n := range c.want {
		if got[route] != n {
			return fmt.Errorf("%d %s requests, want %d (all: %v)", got[route], route, n, got)
		}
	}
	return nil
}

func (c RequestCheck) CheckState(_ context.Context, _ statecheck.CheckStateRequest, resp *statecheck.CheckStateResponse) {
	resp.Error = c.err()
}

func (c RequestCheck) CheckPlan(_ context.Context, _ plancheck.CheckPlanRequest, resp *plancheck.CheckPlanResponse) {
	resp.Error = c.err()
}

// faultCount is the check of ExpectFaults.
type faultCount struct {
	emu  *emulator.Emulator
	want map[emulator.FaultKind]int
}

// ExpectFaults asserts how many faults of each kind in want the emulator
// injected since its counters were last reset.
func (e *Env) ExpectFaults(want map[emulator.FaultKind]int) statecheck.StateCheck {
	return faultCount{emu: e.Emulator, want: want}
}

func (c faultCount) CheckState(_ context.Context, _ statecheck.CheckStateRequest, resp *statecheck.CheckStateResponse) {
	got := c.emu.Stats().Faults
	for kind, n := range c.want {
		if got[kind] != n {
			resp.Error = fmt.Errorf("the emulator injected %d %s faults, want %d (all: %v)", got[kind], kind, n, got)
			return
		}
	}
}

// CheckDestroyed asserts that no key in state exists any more and, against
// the emulator, that it holds no key at all.
func (e *Env) CheckDestroyed(s *terraform.State) error {
	return e.CheckDestroyedExcept(0)(s)
}

// CheckDestroyedExcept is CheckDestroyed for a test that made keep keys
// outside Terraform.
func (e *Env) CheckDestroyedExcept(keep int) func(*terraform.State) error {
	return func(s *terraform.State) error {
		for _, rs := range s.RootModule().Resources {
			if rs.Type != KeyResourceType {
				continue
			}
			_, err := e.Client.GetAPIKey(context.Background(), rs.Primary.ID)
			if err == nil {
				return fmt.Errorf("API key %s still exists after destroy", rs.Primary.ID)
			}
			if !ncpclient.IsNotFound(err) {
				return fmt.Errorf("checking API key %s after destroy: %w", rs.Primary.ID, err)
			}
		}
		if e.Emulator != nil && len(e.Emulator.Keys()) != keep {
			return fmt.Errorf("emulator holds %d keys after destroy, want %d", len(e.Emulator.Keys()), keep)
		}
		return nil
	}
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
	var found []emulator.Key
	for _, k := range emu.Keys() {
		if k.Name == name {
			found = append(found, k)
		}
	}
	if len(found) != 1 {
		t.Fatalf("%d keys named %q in the emulator, want 1", len(found), name)
	}
	return found[0]
}

package acctest

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/ncp-community/terraform-provider-ncp/internal/emulator"
	"github.com/ncp-community/terraform-provider-ncp/internal/ncpclient"
)

// KeyResourceType is the type of the resource whose state these checks read.
const KeyResourceType = "ncp_apigw_api_key"

// StateKeys returns the attributes of every ncp_apigw_api_key in state, by id.
func StateKeys(s *terraform.State) map[string]map[string]string {
	keys := map[string]map[string]string{}
	for _, rs := range s.RootModule().Resources {
		if rs.Type == KeyResourceType {
			keys[rs.Primary.ID] = rs.Primary.Attributes
		}
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

// CheckKeyMatchesAPI compares the state of the key at addr with what the
// API holds.
func (e *Env) CheckKeyMatchesAPI(addr string) resource.TestCheckFunc {
	return func(s *terraform.State) error {
		rs, ok := s.RootModule().Resources[addr]
		if !ok {
			return fmt.Errorf("%s is not in state", addr)
		}
		key, err := e.Client.GetAPIKey(context.Background(), rs.Primary.ID)
		if err != nil {
			return err
		}
		if differ := keyDifferences(rs.Primary.Attributes, *key); len(differ) > 0 {
			return fmt.Errorf("%s: state differs from the API in %s", addr, strings.Join(differ, ", "))
		}
		return nil
	}
}

// emulatedKey is the emulator's record as the client would decode it.
func emulatedKey(k emulator.Key) ncpclient.APIKey {
	return ncpclient.APIKey{
		ID: k.ID, TenantID: k.TenantID, Name: k.Name, Description: k.Description,
		PrimaryKey: k.PrimaryKey, SecondaryKey: k.SecondaryKey, Modifier: k.Modifier,
		Enabled: k.Enabled, ModTime: k.ModTime.UTC().Format(time.RFC3339), DomainCode: k.DomainCode,
	}
}

// StateMatchesEmulator reports how state differs from the emulator: keys
// the emulator holds that state lacks (orphans), keys in state the
// emulator lacks, and keys whose attributes differ. It returns nil when
// every key matches.
func (e *Env) StateMatchesEmulator(s *terraform.State) error {
	inState := StateKeys(s)
	var problems []string
	for _, k := range e.Emulator.Keys() {
		attrs, ok := inState[k.ID]
		if !ok {
			problems = append(problems, fmt.Sprintf("key %s (%q) is in the emulator but not in state", k.ID, k.Name))
			continue
		}
		delete(inState, k.ID)
		if differ := keyDifferences(attrs, emulatedKey(k)); len(differ) > 0 {
			problems = append(problems, fmt.Sprintf("key %s: state differs from the emulator in %s", k.ID, strings.Join(differ, ", ")))
		}
	}
	for id := range inState {
		problems = append(problems, fmt.Sprintf("key %s is in state but not in the emulator", id))
	}
	if len(problems) > 0 {
		slices.Sort(problems)
		return fmt.Errorf("state differs from the emulator:\n%s", strings.Join(problems, "\n"))
	}
	return nil
}

// CheckStateMatchesEmulator is StateMatchesEmulator as a check.
func (e *Env) CheckStateMatchesEmulator(s *terraform.State) error {
	return e.StateMatchesEmulator(s)
}

// OrphansAndDuplicates counts the emulator's keys that state does not know,
// and the keys beyond the first of each name (the configurations that use
// it give every key a distinct name).
func (e *Env) OrphansAndDuplicates(s *terraform.State) (orphans, duplicates int) {
	inState := StateKeys(s)
	names := map[string]int{}
	for _, k := range e.Emulator.Keys() {
		if _, ok := inState[k.ID]; !ok {
			orphans++
		}
		if names[k.Name]++; names[k.Name] > 1 {
			duplicates++
		}
	}
	return orphans, duplicates
}

// CheckKeyCount asserts how many keys the emulator holds.
func (e *Env) CheckKeyCount(want int) resource.TestCheckFunc {
	return func(*terraform.State) error {
		if got := len(e.Emulator.Keys()); got != want {
			return fmt.Errorf("the emulator holds %d keys, want %d", got, want)
		}
		return nil
	}
}

// CheckRequests asserts how many requests of the given routes the emulator
// got since its counters were last reset.
func (e *Env) CheckRequests(want map[emulator.Route]int) resource.TestCheckFunc {
	return func(*terraform.State) error {
		got := e.Emulator.Stats().Requests
		for route, n := range want {
			if got[route] != n {
				return fmt.Errorf("%d %s requests, want %d (all: %v)", got[route], route, n, got)
			}
		}
		return nil
	}
}

// CheckDestroyed asserts that no key in state exists any more and, against
// the emulator, that it holds no key at all.
func (e *Env) CheckDestroyed(s *terraform.State) error {
	return e.CheckDestroyedExcept(0)(s)
}

// CheckDestroyedExcept is CheckDestroyed for a test that made keep keys
// outside Terraform.
func (e *Env) CheckDestroyedExcept(keep int) resource.TestCheckFunc {
	return func(s *terraform.State) error {
		for id := range StateKeys(s) {
			_, err := e.Client.GetAPIKey(context.Background(), id)
			if err == nil {
				return fmt.Errorf("API key %s still exists after destroy", id)
			}
			if !ncpclient.IsNotFound(err) {
				return fmt.Errorf("checking API key %s after destroy: %w", id, err)
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

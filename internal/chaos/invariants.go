package chaos

import (
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/ncp-community/terraform-provider-ncp/internal/acctest"
	"github.com/ncp-community/terraform-provider-ncp/internal/emulator"
)

// The invariants, by the names violations carry. Those checked here look at
// state and the server; the runner checks the others (the fault-free apply
// succeeds, the next plan is empty, no secret is printed or logged).
const (
	invStateEqualsServer = "state equals the server"
	invNoOrphans         = "no orphans"
	invUniqueIDs         = "no two resources share an ID"
	invConfiguration     = "the server holds the configuration"
	invBystanders        = "keys the configuration does not own are untouched"
	invKeyValues         = "key values rotate as configured"
	invRemovedGone       = "removed keys are deleted"
	invFaultFreeApply    = "the fault-free apply succeeds"
	invEmptyPlan         = "the next plan is empty"
	invNoSecrets         = "no secret in output or trace log"
)

// violation is one broken invariant.
type violation struct {
	Seed      int64  `json:"seed"`
	Step      int    `json:"step"`
	Invariant string `json:"invariant"`
	Detail    string `json:"detail"`
}

// observation is what the checks look at after a step.
type observation struct {
	Prefix     string
	Config     configuration // what the step applied; empty after a destroy
	State      []instance
	Server     []emulator.Key // every key on the server
	Bystanders []emulator.Key // as the colleague made them
	// Twins are the IDs of keys the colleague made with a name the
	// configuration owns, while our create was in flight: not ours.
	Twins map[string]bool
	// Before holds the key of every resource of the previous step, by
	// address, as it was before this step's acts.
	Before map[string]emulator.Key
	// AfterFaulty holds the same keys as they were after the faulty apply,
	// when a fault-free apply followed it; nil otherwise.
	AfterFaulty map[string]emulator.Key
	Values      map[string]valueExpectation
	Removed     []string // IDs of the keys whose resources the step removed
}

// check returns every invariant the observation breaks.
func (o observation) check() []violation {
	var out []violation
	for _, c := range []struct {
		invariant string
		problems  func() []string
	}{
		{invStateEqualsServer, o.stateEqualsServer},
		{invUniqueIDs, o.uniqueIDs},
		{invNoOrphans, o.noOrphans},
		{invConfiguration, o.serverHoldsConfiguration},
		{invBystanders, o.bystandersUntouched},
		{invKeyValues, o.keyValues},
		{invRemovedGone, o.removedGone},
	} {
		for _, p := range c.problems() {
			out = append(out, violation{Invariant: c.invariant, Detail: p})
		}
	}
	return out
}

func (o observation) server() map[string]emulator.Key {
	byID := make(map[string]emulator.Key, len(o.Server))
	for _, k := range o.Server {
		byID[k.ID] = k
	}
	return byID
}

// stateIDs maps the IDs in state to their addresses.
func (o observation) stateIDs() map[string]string {
	ids := make(map[string]string, len(o.State))
	for _, in := range o.State {
		ids[in.Attrs["id"]] = in.Addr
	}
	return ids
}

// stateByAddr maps the addresses in state to their keys' IDs.
func (o observation) stateByAddr() map[string]string {
	ids := make(map[string]string, len(o.State))
	for _, in := range o.State {
		ids[in.Addr] = in.Attrs["id"]
	}
	return ids
}

// stateEqualsServer: every key in state exists, and state records what
// the server holds (key values where state keeps them, none where not).
func (o observation) stateEqualsServer() []string {
	server := o.server()
	var problems []string
	for _, in := range o.State {
		id := in.Attrs["id"]
		k, ok := server[id]
		if !ok {
			problems = append(problems, fmt.Sprintf("%s: key %s is in state but not on the server", in.Addr, id))
			continue
		}
		if differ := acctest.EmulatorKeyDifferences(in.Attrs, k); len(differ) > 0 {
			problems = append(problems, fmt.Sprintf("%s: state differs from key %s in %s", in.Addr, id, strings.Join(differ, ", ")))
		}
	}
	return problems
}

func (o observation) uniqueIDs() []string {
	byID := map[string][]string{}
	for _, in := range o.State {
		byID[in.Attrs["id"]] = append(byID[in.Attrs["id"]], in.Addr)
	}
	var problems []string
	for _, id := range slices.Sorted(maps.Keys(byID)) {
		if addrs := byID[id]; len(addrs) > 1 {
			problems = append(problems, fmt.Sprintf("%s share key %s", strings.Join(addrs, ", "), id))
		}
	}
	return problems
}

// noOrphans: every key on the server with a name the configuration owns is
// in state, but the colleague's twins.
func (o observation) noOrphans() []string {
	inState := o.stateIDs()
	var problems []string
	for _, k := range o.Server {
		if _, ok := inState[k.ID]; !ok && strings.HasPrefix(k.Name, o.Prefix) && !o.Twins[k.ID] {
			problems = append(problems, fmt.Sprintf("key %s (%q, modifier %s) is on the server but not in state", k.ID, k.Name, o.writer(k)))
		}
	}
	return problems
}

// writer names the account that last wrote k, for the reports.
func (o observation) writer(k emulator.Key) string {
	switch k.Modifier {
	case emulator.Modifier(acctest.AccessKey):
		return "terraform"
	case emulator.Modifier(acctest.OtherAccessKey):
		return "colleague"
	}
	return k.Modifier
}

// serverHoldsConfiguration: state has exactly the configured resources, and
// each one's key has the configured name, description and state.
func (o observation) serverHoldsConfiguration() []string {
	server := o.server()
	inState := o.stateByAddr()
	var problems []string
	for _, spec := range o.Config {
		id, ok := inState[spec.Addr]
		if !ok {
			problems = append(problems, spec.Addr+" is not in state")
			continue
		}
		delete(inState, spec.Addr)
		k, ok := server[id]
		if !ok {
			continue // stateEqualsServer reports it
		}
		var differ []string
		if k.Name != spec.Name {
			differ = append(differ, fmt.Sprintf("name %q, want %q", k.Name, spec.Name))
		}
		if k.Description != spec.Description {
			differ = append(differ, fmt.Sprintf("description %q, want %q", k.Description, spec.Description))
		}
		if k.Enabled == spec.Disabled {
			differ = append(differ, "enabled "+strconv.FormatBool(k.Enabled))
		}
		if len(differ) > 0 {
			problems = append(problems, fmt.Sprintf("%s: key %s has %s", spec.Addr, id, strings.Join(differ, ", ")))
		}
	}
	for _, addr := range slices.Sorted(maps.Keys(inState)) {
		problems = append(problems, fmt.Sprintf("%s (key %s) is in state but not in the configuration", addr, inState[addr]))
	}
	return problems
}

// bystandersUntouched: the colleague's keys that the configuration does not
// own are as the colleague made them.
func (o observation) bystandersUntouched() []string {
	server := o.server()
	var problems []string
	for _, b := range o.Bystanders {
		switch k, ok := server[b.ID]; {
		case !ok:
			problems = append(problems, fmt.Sprintf("key %s (%q) was deleted", b.ID, b.Name))
		case k != b:
			problems = append(problems, fmt.Sprintf("key %s (%q) was changed (modifier now %s)", b.ID, b.Name, o.writer(k)))
		}
	}
	return problems
}

// keyValues: each key the step kept has the same ID unless it was deleted
// out of band, and its key values changed where the configuration rotated
// them and stayed where nothing regenerated them. A value the faulty apply
// already rotated is not rotated again by the fault-free apply. Values are
// compared, never printed.
func (o observation) keyValues() []string {
	server := o.server()
	inState := o.stateByAddr()
	var problems []string
	for _, addr := range slices.Sorted(maps.Keys(o.Values)) {
		e, before := o.Values[addr], o.Before[addr]
		id, ok := inState[addr]
		if !ok || e.Gone {
			continue // serverHoldsConfiguration reports a missing resource
		}
		if id != before.ID {
			problems = append(problems, fmt.Sprintf("%s: key %s was replaced by %s although nothing deleted it", addr, before.ID, id))
			continue
		}
		k, ok := server[id]
		if !ok {
			continue // stateEqualsServer reports it
		}
		mid, faultFree := o.AfterFaulty[addr]
		if !faultFree {
			mid = k
		}
		for _, v := range []struct {
			keyType            string
			want               valueChange
			before, mid, after string
		}{
			{keyTypePrimary, e.Primary, before.PrimaryKey, mid.PrimaryKey, k.PrimaryKey},
			{keyTypeSecondary, e.Secondary, before.SecondaryKey, mid.SecondaryKey, k.SecondaryKey},
		} {
			switch {
			case v.want == mustChange && v.after == v.before:
				problems = append(problems, fmt.Sprintf("%s: the %s key of %s was not regenerated", addr, v.keyType, id))
			case v.want == mustChange && v.mid != v.before && v.after != v.mid:
				problems = append(problems, fmt.Sprintf("%s: the %s key of %s was regenerated by the faulty apply and again by the fault-free one", addr, v.keyType, id))
			case v.want == mustStay && v.after != v.before:
				problems = append(problems, fmt.Sprintf("%s: the %s key of %s was regenerated though no rotation asked for it", addr, v.keyType, id))
			}
		}
	}
	return problems
}

// removedGone: the keys of removed resources are no longer on the server.
func (o observation) removedGone() []string {
	server := o.server()
	var problems []string
	for _, id := range o.Removed {
		if k, ok := server[id]; ok {
			problems = append(problems, fmt.Sprintf("key %s (%q) is still on the server after its resource was removed", id, k.Name))
		}
	}
	return problems
}

// String lists state and the server without secrets, to diagnose a
// violation.
func (o observation) String() string {
	var b strings.Builder
	b.WriteString("state:")
	for _, in := range o.State {
		fmt.Fprintf(&b, " %s=%s", in.Addr, in.Attrs["id"])
	}
	b.WriteString("; server:")
	for _, k := range o.Server {
		fmt.Fprintf(&b, " %s %q (%s, %s)", k.ID, k.Name, o.writer(k), k.ModTime.Format(time.TimeOnly))
	}
	return b.String()
}

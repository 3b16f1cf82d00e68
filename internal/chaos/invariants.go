package chaos

import (
	"cmp"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/ncp-community/terraform-provider-ncp/internal/acctest"
	"github.com/ncp-community/terraform-provider-ncp/internal/emulator"
)

// The invariants, by the names violations carry. check tests those about
// state and the server; runStep the others.
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

type violation struct {
	Seed      int64  `json:"seed"`
	Step      int    `json:"step"`
	Invariant string `json:"invariant"`
	Detail    string `json:"detail"`
}

type observation struct {
	Prefix     string
	Config     configuration // what the step applied; empty after a destroy
	State      []instance
	Server     []emulator.Key  // every key on the server
	Bystanders []emulator.Key  // as the colleague made them
	Twins      map[string]bool // IDs of the keys the colleague made that the configuration never owned
	// Before holds the key of every resource of the previous step, by
	// address, as it was before this step's acts; AfterFaulty the same keys
	// after the faulty apply, when a fault-free apply followed it.
	Before, AfterFaulty map[string]emulator.Key
	Values              map[string]valueExpectation
	Removed             []string // IDs of the keys whose resources the step removed
	// check's indexes: the server's keys by ID, state's IDs by address, and state's IDs.
	server  map[string]emulator.Key
	idAt    map[string]string
	inState map[string]bool
}

func (o observation) check() []violation {
	o.server, o.idAt, o.inState = map[string]emulator.Key{}, map[string]string{}, map[string]bool{}
	for _, k := range o.Server {
		o.server[k.ID] = k
	}
	for _, in := range o.State {
		o.idAt[in.Addr], o.inState[in.Attrs["id"]] = in.Attrs["id"], true
	}
	var found []violation
	broken := func(invariant string, problems []string) {
		for _, p := range problems {
			found = append(found, violation{Invariant: invariant, Detail: p})
		}
	}
	broken(invStateEqualsServer, o.stateEqualsServer())
	broken(invUniqueIDs, o.uniqueIDs())
	broken(invNoOrphans, o.noOrphans())
	broken(invConfiguration, o.serverHoldsConfiguration())
	broken(invBystanders, o.bystandersUntouched())
	broken(invKeyValues, o.keyValues())
	broken(invRemovedGone, o.removedGone())
	return found
}

// stateEqualsServer: key values too where state keeps them, none where not.
func (o observation) stateEqualsServer() (problems []string) {
	for _, in := range o.State {
		id := in.Attrs["id"]
		if k, ok := o.server[id]; !ok {
			problems = append(problems, fmt.Sprintf("%s: key %s is in state but not on the server", in.Addr, id))
		} else if differ := acctest.EmulatorKeyDifferences(in.Attrs, k); len(differ) > 0 {
			problems = append(problems, fmt.Sprintf("%s: state differs from key %s in %s", in.Addr, id, strings.Join(differ, ", ")))
		}
	}
	return problems
}

func (o observation) uniqueIDs() (problems []string) {
	addrs := map[string][]string{}
	for _, in := range o.State {
		addrs[in.Attrs["id"]] = append(addrs[in.Attrs["id"]], in.Addr)
	}
	for _, id := range slices.Sorted(maps.Keys(addrs)) {
		if len(addrs[id]) > 1 {
			problems = append(problems, fmt.Sprintf("%s share key %s", strings.Join(addrs[id], ", "), id))
		}
	}
	return problems
}

// noOrphans: every key on the server with a name the configuration owns is
// in state, but the colleague's twins.
func (o observation) noOrphans() (problems []string) {
	for _, k := range o.Server {
		if !o.inState[k.ID] && strings.HasPrefix(k.Name, o.Prefix) && !o.Twins[k.ID] {
			problems = append(problems, fmt.Sprintf("key %s (%q, modifier %s) is on the server but not in state", k.ID, k.Name, writer(k)))
		}
	}
	return problems
}

// serverHoldsConfiguration: state has exactly the configured resources, and
// each one's key has the configured name, description and state.
func (o observation) serverHoldsConfiguration() (problems []string) {
	unconfigured := maps.Clone(o.idAt)
	for _, spec := range o.Config {
		id, ok := o.idAt[spec.Addr]
		if !ok {
			problems = append(problems, spec.Addr+" is not in state")
			continue
		}
		delete(unconfigured, spec.Addr)
		k, ok := o.server[id]
		if !ok {
			continue // stateEqualsServer reports it
		}
		if k.Name != spec.Name || k.Description != spec.Description || k.Enabled == spec.Disabled {
			problems = append(problems, fmt.Sprintf("%s: key %s has name %q, description %q, enabled %t; want %q, %q, %t",
				spec.Addr, id, k.Name, k.Description, k.Enabled, spec.Name, spec.Description, !spec.Disabled))
		}
	}
	for _, addr := range slices.Sorted(maps.Keys(unconfigured)) {
		problems = append(problems, fmt.Sprintf("%s (key %s) is in state but not in the configuration", addr, unconfigured[addr]))
	}
	return problems
}

func (o observation) bystandersUntouched() (problems []string) {
	for _, b := range o.Bystanders {
		if k, ok := o.server[b.ID]; !ok {
			problems = append(problems, fmt.Sprintf("key %s (%q) was deleted", b.ID, b.Name))
		} else if k != b {
			problems = append(problems, fmt.Sprintf("key %s (%q) was changed (modifier now %s)", b.ID, b.Name, writer(k)))
		}
	}
	return problems
}

// keyValues: a kept key has the same ID unless deleted out of band, and its
// values changed where rotated, once, and stayed where nothing regenerated
// them. Values are compared, never printed.
func (o observation) keyValues() (problems []string) {
	for _, addr := range slices.Sorted(maps.Keys(o.Values)) {
		e, before := o.Values[addr], o.Before[addr]
		id, ok := o.idAt[addr]
		if !ok || e.Gone {
			continue // serverHoldsConfiguration reports a missing resource
		}
		if id != before.ID {
			problems = append(problems, fmt.Sprintf("%s: key %s was replaced by %s although nothing deleted it", addr, before.ID, id))
			continue
		}
		k, ok := o.server[id]
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
			what := ""
			switch {
			case v.want == mustChange && v.after == v.before:
				what = "was not regenerated"
			case v.want == mustChange && v.mid != v.before && v.after != v.mid:
				what = "was regenerated by the faulty apply and again by the fault-free one"
			case v.want == mustStay && v.after != v.before:
				what = "was regenerated though no rotation asked for it"
			default:
				continue
			}
			problems = append(problems, fmt.Sprintf("%s: the %s key of %s %s", addr, v.keyType, id, what))
		}
	}
	return problems
}

func (o observation) removedGone() (problems []string) {
	for _, id := range o.Removed {
		if k, ok := o.server[id]; ok {
			problems = append(problems, fmt.Sprintf("key %s (%q) is still on the server after its resource was removed", id, k.Name))
		}
	}
	return problems
}

// writer names the account that last wrote k.
func writer(k emulator.Key) string {
	names := map[string]string{emulator.Modifier(acctest.AccessKey): "terraform", emulator.Modifier(acctest.OtherAccessKey): "colleague"}
	return cmp.Or(names[k.Modifier], k.Modifier)
}

// String lists state and the server without secrets.
func (o observation) String() string {
	var b strings.Builder
	b.WriteString("state:")
	for _, in := range o.State {
		fmt.Fprintf(&b, " %s=%s", in.Addr, in.Attrs["id"])
	}
	b.WriteString("; server:")
	for _, k := range o.Server {
		fmt.Fprintf(&b, " %s %q (%s, %s)", k.ID, k.Name, writer(k), k.ModTime.Format(time.TimeOnly))
	}
	return b.String()
}

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

func (o observation) check() (found []violation) {
	o.server, o.idAt, o.inState = map[string]emulator.Key{}, map[string]string{}, map[string]bool{}
	for _, k := range o.Server {
		o.server[k.ID] = k
	}
	for _, in := range o.State {
		o.idAt[in.Addr], o.inState[in.Attrs["id"]] = in.Attrs["id"], true
	}
	for _, inv := range []struct {
		name  string
		check func(broken func(format string, args ...any))
	}{
		{invStateEqualsServer, o.stateEqualsServer}, {invUniqueIDs, o.uniqueIDs}, {invNoOrphans, o.noOrphans},
		{invConfiguration, o.serverHoldsConfiguration}, {invBystanders, o.bystandersUntouched},
		{invKeyValues, o.keyValues}, {invRemovedGone, o.removedGone},
	} {
		inv.check(func(format string, args ...any) {
			found = append(found, violation{Invariant: inv.name, Detail: fmt.Sprintf(format, args...)})
		})
	}
	return found
}

// stateEqualsServer: key values too where state keeps them, none where not.
func (o observation) stateEqualsServer(broken func(format string, args ...any)) {
	for _, in := range o.State {
		id := in.Attrs["id"]
		if k, ok := o.server[id]; !ok {
			broken("%s: key %s is in state but not on the server", in.Addr, id)
		} else if differ := acctest.EmulatorKeyDifferences(in.Attrs, k); len(differ) > 0 {
			broken("%s: state differs from key %s in %s", in.Addr, id, strings.Join(differ, ", "))
		}
	}
}

func (o observation) uniqueIDs(broken func(format string, args ...any)) {
	addrs := map[string][]string{}
	for _, in := range o.State {
		addrs[in.Attrs["id"]] = append(addrs[in.Attrs["id"]], in.Addr)
	}
	for _, id := range slices.Sorted(maps.Keys(addrs)) {
		if len(addrs[id]) > 1 {
			broken("%s share key %s", strings.Join(addrs[id], ", "), id)
		}
	}
}

// noOrphans: every key on the server with a name the configuration owns is
// in state, but the colleague's twins.
func (o observation) noOrphans(broken func(format string, args ...any)) {
	for _, k := range o.Server {
		if !o.inState[k.ID] && strings.HasPrefix(k.Name, o.Prefix) && !o.Twins[k.ID] {
			broken("key %s (%q, modifier %s) is on the server but not in state", k.ID, k.Name, writer(k))
		}
	}
}

// serverHoldsConfiguration: state has exactly the configured resources, and
// each one's key has the configured name, description and state.
func (o observation) serverHoldsConfiguration(broken func(format string, args ...any)) {
	unconfigured := maps.Clone(o.idAt)
	for _, spec := range o.Config {
		id, ok := o.idAt[spec.Addr]
		if !ok {
			broken("%s is not in state", spec.Addr)
			continue
		}
		delete(unconfigured, spec.Addr)
		k, ok := o.server[id]
		if !ok {
			continue // stateEqualsServer reports it
		}
		if k.Name != spec.Name || k.Description != spec.Description || k.Enabled == spec.Disabled {
			broken("%s: key %s has name %q, description %q, enabled %t; want %q, %q, %t",
				spec.Addr, id, k.Name, k.Description, k.Enabled, spec.Name, spec.Description, !spec.Disabled)
		}
	}
	for _, addr := range slices.Sorted(maps.Keys(unconfigured)) {
		broken("%s (key %s) is in state but not in the configuration", addr, unconfigured[addr])
	}
}

func (o observation) bystandersUntouched(broken func(format string, args ...any)) {
	for _, b := range o.Bystanders {
		if k, ok := o.server[b.ID]; !ok {
			broken("key %s (%q) was deleted", b.ID, b.Name)
		} else if k != b {
			broken("key %s (%q) was changed (modifier now %s)", b.ID, b.Name, writer(k))
		}
	}
}

// keyValues: a kept key has the same ID unless deleted out of band, and its
// values changed where rotated, once, and stayed where nothing regenerated
// them. Values are compared, never printed.
func (o observation) keyValues(broken func(format string, args ...any)) {
	for _, addr := range slices.Sorted(maps.Keys(o.Values)) {
		e, before := o.Values[addr], o.Before[addr]
		id, ok := o.idAt[addr]
		if !ok || e.Gone {
			continue // serverHoldsConfiguration reports a missing resource
		}
		if id != before.ID {
			broken("%s: key %s was replaced by %s although nothing deleted it", addr, before.ID, id)
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
			wrong := func(what string) { broken("%s: the %s key of %s %s", addr, v.keyType, id, what) }
			switch {
			case v.want == mustChange && v.after == v.before:
				wrong("was not regenerated")
			case v.want == mustChange && v.mid != v.before && v.after != v.mid:
				wrong("was regenerated by the faulty apply and again by the fault-free one")
			case v.want == mustStay && v.after != v.before:
				wrong("was regenerated though no rotation asked for it")
			}
		}
	}
}

func (o observation) removedGone(broken func(format string, args ...any)) {
	for _, id := range o.Removed {
		if k, ok := o.server[id]; ok {
			broken("key %s (%q) is still on the server after its resource was removed", id, k.Name)
		}
	}
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

package chaos

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/ncp-community/terraform-provider-ncp/internal/emulator"
)

// Few keys and steps, so that 200 seeds fit in half an hour on two cores.
const (
	maxKeys       = 6
	minSteps      = 3 // the final destroy included
	maxSteps      = 6
	maxActs       = 2
	createTimeout = 3 * time.Second // the short create timeout some keys get
	// generatorStream keeps the generator's random numbers apart from the
	// emulator's, which the same seed drives.
	generatorStream = 0x6368616f73
)

// step is a new configuration, out-of-band acts, and the faults its first
// apply (or destroy) meets.
type step struct {
	Number        int
	Config        configuration
	Changes       []string // the configuration's changes, for the log
	Acts          []act
	ActsAfterPlan bool // between a saved plan and its apply, not before (console keys are)
	Faults        emulator.Faults
	Values        map[string]valueExpectation // for every key the step keeps
	Destroy       bool
}

type valueChange int

const (
	mustStay   valueChange = iota
	mustChange             // rotated by the configuration
	mayChange              // regenerated out of band
)

// valueExpectation is what a step must do to a key's two values. Gone: the
// key was deleted out of band, and the resource gets a new one.
type valueExpectation struct {
	Primary, Secondary valueChange
	Gone               bool
}

type plan struct {
	Seed       int64
	Prefix     string // every name the configuration owns starts with it
	Emulator   emulator.Config
	Bystanders []string // the colleague's keys; each contains an owned name, to catch a lookup by substring
	Steps      []step
}

type generator struct {
	r      *rand.Rand
	prefix string
	config configuration // so far
	added  int           // resources ever added, which numbers them
	fresh  int           // values ever drawn, which keeps names and triggers unique
}

func generate(seed int64) plan {
	g := &generator{
		r:      rand.New(rand.NewPCG(uint64(seed), generatorStream)),
		prefix: "s" + strconv.FormatInt(seed%(36*36*36*36), 36) + "-", // short: names have at most 20 characters
	}
	// Where NCP's docs are silent or ambiguous, the provider must cope with every reading.
	p := plan{Seed: seed, Prefix: g.prefix, Emulator: emulator.Config{
		Seed:              seed,
		MaxPageSize:       pick(g.r, 0, 1, 2, 5),
		WrappedGet:        g.r.IntN(2) == 0,
		NotFoundStatus:    pick(g.r, 0, 400),
		NumericErrorCodes: g.r.IntN(2) == 0,
		ExactNameFilter:   g.r.IntN(2) == 0,
		DeleteAnswer:      pick(g.r, emulator.DeleteNoContent, emulator.DeleteEmptyObject, emulator.DeleteEmptyBody),
		OmitListTotal:     g.r.IntN(2) == 0,
	}}
	p.Bystanders = []string{"old-" + g.prefix + "k1", "ex-" + g.prefix + "k2"}[:1+g.r.IntN(2)]
	steps := minSteps + g.r.IntN(maxSteps-minSteps+1)
	for n := 1; n < steps; n++ {
		p.Steps = append(p.Steps, g.step(n))
	}
	p.Steps = append(p.Steps, step{Number: steps, Config: g.config, Faults: faultSchedule(g.r), Destroy: true, Changes: []string{"destroy"}})
	return p
}

func (g *generator) step(n int) step {
	for i := range g.config {
		g.config[i].Import = false // imported by the step that declared it
	}
	prev := slices.Clone(g.config)
	s := step{Number: n, Faults: faultSchedule(g.r)}
	changes := 3 // the first step creates keys, the others change them and act out of band
	if n > 1 {
		s.Acts, changes = g.acts(prev), 2
	}
	for range 1 + g.r.IntN(changes) {
		s.Changes = append(s.Changes, g.change(&s, prev))
	}
	s.ActsAfterPlan = slices.ContainsFunc(s.Acts, func(a act) bool { return a.Kind != actConsoleKey }) && g.r.IntN(3) == 0
	s.Config = slices.Clone(g.config)
	s.Values = valueExpectations(prev, s.Config, s.Acts)
	return s
}

// next is a value never drawn before in this seed.
func (g *generator) next() string {
	g.fresh++
	return strconv.Itoa(g.fresh)
}

func (g *generator) newKey() keySpec {
	g.added++
	addr := "k" + strconv.Itoa(g.added)
	return keySpec{Addr: addr, Name: g.prefix + addr}
}

// drawArguments draws k's optional arguments; half the time, description.
func (g *generator) drawArguments(k *keySpec, description string) {
	k.Description = pick(g.r, description, "d"+g.next())
	if g.r.IntN(3) == 0 {
		k.Trigger = "t" + g.next()
	}
	k.KeyType = pick(g.r, keyTypes...)
	k.NoKeyValues = g.r.IntN(3) == 0
}

// addKey adds a key. Some get a short create timeout, and the step a create
// answered after it.
func (g *generator) addKey(s *step) string {
	k := g.newKey()
	g.drawArguments(&k, "")
	k.Disabled = g.r.IntN(4) == 0
	if g.r.IntN(6) == 0 {
		k.CreateTimeout = createTimeout.String()
		late := emulator.Fault{Route: emulator.RouteCreate, Kind: emulator.FaultLate, Delay: createTimeout + time.Second, Count: 1}
		s.Faults.Faults = append(s.Faults.Faults, late)
	}
	g.config = append(g.config, k)
	return "add " + k.Addr
}

// change changes or removes a key that prev has, or adds one.
func (g *generator) change(s *step, prev configuration) string {
	kept := slices.DeleteFunc(slices.Clone(prev), func(k keySpec) bool { return g.config.find(k.Addr) < 0 })
	canAdd := len(g.config) < maxKeys
	if len(kept) == 0 || (canAdd && g.r.IntN(5) == 0) {
		if canAdd {
			return g.addKey(s)
		}
		return "nothing"
	}
	addr := pick(g.r, kept...).Addr
	k := &g.config[g.config.find(addr)]
	switch what := g.r.IntN(9); {
	case what == 0 && len(g.config) > 1:
		g.config = slices.Delete(g.config, g.config.find(addr), g.config.find(addr)+1)
		return "remove " + addr
	case what <= 1:
		k.Name = g.prefix + addr + "r" + g.next()
		return "rename " + addr
	case what == 2:
		k.Description = pick(g.r, "", "d"+g.next())
		return "describe " + addr
	case what == 3:
		k.Disabled = !k.Disabled
		return fmt.Sprintf("enabled=%t %s", !k.Disabled, addr)
	case what <= 5:
		k.Trigger = "t" + g.next()
		if g.r.IntN(2) == 0 {
			k.KeyType = pick(g.r, keyTypes...)
		}
		return fmt.Sprintf("rotate %s %s", addr, k.keyType())
	case what == 6:
		k.KeyType = pick(g.r, keyTypes...)
		return fmt.Sprintf("rotate_key_type=%q %s", k.KeyType, addr)
	case what == 7 && k.Trigger != "":
		k.Trigger = ""
		return "untrigger " + addr
	default:
		k.NoKeyValues = !k.NoKeyValues
		return fmt.Sprintf("store_key_values=%t %s", !k.NoKeyValues, addr)
	}
}

// acts draws acts on the keys of prev; a console key adds its resource and
// import block to the configuration.
func (g *generator) acts(prev configuration) []act {
	var acts []act
	deleted := map[string]bool{}
	values := map[actKind]func() string{
		actRename:     func() string { return "hand-" + g.next() }, // a name the configuration does not own
		actDescribe:   func() string { return "edited by hand " + g.next() },
		actRegenerate: func() string { return pick(g.r, keyTypePrimary, keyTypeSecondary) },
	}
	for range g.r.IntN(maxActs + 1) {
		targets := slices.DeleteFunc(slices.Clone(prev), func(k keySpec) bool { return deleted[k.Addr] })
		kind := pick(g.r, actDelete, actRename, actDescribe, actToggle, actRegenerate, actRegenerate, actConsoleKey, actConsoleKey)
		if kind == actConsoleKey || len(targets) == 0 {
			if len(g.config) < maxKeys {
				acts = append(acts, g.consoleKey())
			}
			continue
		}
		a := act{Kind: kind, Addr: pick(g.r, targets...).Addr}
		if value, ok := values[kind]; ok {
			a.Value = value()
		}
		deleted[a.Addr] = kind == actDelete
		acts = append(acts, a)
	}
	return acts
}

// consoleKey has the colleague make a key for the configuration to import,
// half the time as the console made it, so that the import changes nothing.
func (g *generator) consoleKey() act {
	k := g.newKey()
	k.Import, k.Description = true, consoleDescription
	if g.r.IntN(2) == 0 {
		g.drawArguments(&k, consoleDescription)
	}
	g.config = append(g.config, k)
	return act{Kind: actConsoleKey, Addr: k.Addr, Value: k.Name}
}

// valueExpectations: a key kept from prev rotates when its trigger is set
// and differs from the one before, unset included; setting the trigger of a
// key being created or imported, removing it, or changing the key type
// alone rotates nothing.
func valueExpectations(prev, next configuration, acts []act) map[string]valueExpectation {
	values := map[string]valueExpectation{}
	for _, k := range next {
		i := prev.find(k.Addr)
		if i < 0 {
			continue
		}
		var e valueExpectation
		if k.Trigger != "" && k.Trigger != prev[i].Trigger {
			if k.keyType() != keyTypeSecondary {
				e.Primary = mustChange
			}
			if k.keyType() != keyTypePrimary {
				e.Secondary = mustChange
			}
		}
		values[k.Addr] = e
	}
	for _, a := range acts {
		e, ok := values[a.Addr]
		switch {
		case !ok:
			continue
		case a.Kind == actDelete:
			e.Gone = true
		case a.Kind == actRegenerate && a.Value == keyTypePrimary:
			e.Primary = max(e.Primary, mayChange)
		case a.Kind == actRegenerate:
			e.Secondary = max(e.Secondary, mayChange)
		}
		values[a.Addr] = e
	}
	return values
}

// afterQuietImport relaxes e for a key imported while changing nothing and
// unchanged since: the provider adopts a trigger set then, rather than
// rotating, until an update; one the campaign cannot see (a colleague's edit
// put back, a failed apply's) may have ended the adoption.
func (e valueExpectation) afterQuietImport() valueExpectation {
	for _, v := range []*valueChange{&e.Primary, &e.Secondary} {
		if *v == mustChange {
			*v = mayChange
		}
	}
	return e
}

// String is the plan, a step a line, for the log of a failing seed.
func (p plan) String() string {
	lines := []string{fmt.Sprintf("seed %d: names %q, bystanders %q; emulator %+v", p.Seed, p.Prefix, p.Bystanders, p.Emulator)}
	for _, s := range p.Steps {
		data, _ := json.Marshal(s)
		lines = append(lines, string(data))
	}
	return strings.Join(lines, "\n  ")
}

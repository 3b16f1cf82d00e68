package chaos

import (
	"context"
	"fmt"
	"maps"
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-exec/tfexec"
	tfjson "github.com/hashicorp/terraform-json"

	"github.com/ncp-community/terraform-provider-ncp/internal/acctest"
	"github.com/ncp-community/terraform-provider-ncp/internal/emulator"
)

// minRecordedSecrets: both accounts' secret keys and a signature at least.
const minRecordedSecrets = 3

type seedRun struct {
	t        *testing.T
	plan     plan
	emu      *emulator.Emulator
	recorder *acctest.SecretRecorder
	tf       *acctest.CLI
	ids      map[string]string // resource address to key ID, after the last step
	managed  map[string]bool   // every key ID state ever held, and the console keys made for import
	// imported holds the resources this step imports, with their keys'
	// descriptions; quietImports those imported while changing nothing and
	// unchanged since (see afterQuietImport).
	imported, quietImports map[string]string
	bystanders             []emulator.Key
	logRead                int // how much of the trace log earlier steps checked
	result                 tally
}

// runSeed stops at the first step that breaks an invariant: what follows
// would only repeat it.
func runSeed(t *testing.T, seed int64, pluginDir string) tally {
	p := generate(seed)
	emu, recorder, endpoint := acctest.StartRecordedEmulator(t, p.Emulator)
	r := &seedRun{t: t, plan: p, emu: emu, recorder: recorder, tf: acctest.NewCLI(t, pluginDir, endpoint),
		ids: map[string]string{}, managed: map[string]bool{}, quietImports: map[string]string{}}
	r.tf.Setenv("NCP_REQUEST_TIMEOUT=" + attemptTimeout.String())
	for _, name := range p.Bystanders {
		r.bystanders = append(r.bystanders, emu.PutKey(name, "not managed by terraform"))
	}
	for _, s := range p.Steps {
		r.result.Steps++
		found := r.runStep(s)
		for _, v := range found {
			v.Seed, v.Step = seed, s.Number
			r.result.Violations = append(r.result.Violations, v)
			t.Errorf("seed %d step %d: %s: %s", v.Seed, v.Step, v.Invariant, v.Detail)
		}
		if len(found) > 0 {
			break
		}
	}
	stats := emu.Stats()
	r.result.Faults, r.result.Throttled = stats.Faults, stats.Throttled
	return r.result
}

func (r *seedRun) runStep(s step) (found []violation) {
	var out strings.Builder // everything terraform printed in this step
	run := func(command acctest.Command) int {
		code, printed := r.tf.Do(nil, command)
		out.WriteString(printed)
		return code
	}
	ids := maps.Clone(r.ids)
	before := r.keys(ids)
	r.imported = map[string]string{}
	defer r.noteQuietImports(s)
	r.actOut(s, false)
	r.tf.WriteConfig(s.Config.hcl(r.ids))

	command, verb := acctest.Apply(), "apply"
	if s.Destroy {
		command, verb = acctest.Destroy(), "destroy"
	}
	r.emu.SetFaults(s.Faults)
	code := 0
	if s.ActsAfterPlan {
		code = run(acctest.Plan(false, tfexec.Out("step.tfplan")))
		r.actOut(s, true)
		if code == 0 {
			code = run(acctest.Apply(tfexec.DirOrPlan("step.tfplan")))
		}
	} else {
		code = run(command)
	}
	r.emu.SetFaults(emulator.Faults{ClockOffset: s.Faults.ClockOffset}) // the clock is the world, not a fault
	if code == 0 {
		r.result.Applies.FaultySucceeded++
	} else {
		r.result.Applies.FaultyFailed++
	}

	var afterFaulty map[string]emulator.Key
	if code != 0 || s.ActsAfterPlan {
		afterFaulty = r.keys(ids)
		if code != 0 && !s.Destroy {
			r.remedy(s, out.String())
		}
		if code := run(command); code != 0 {
			found = append(found, violation{Invariant: invFaultFreeApply, Detail: fmt.Sprintf("terraform %s exited %d:\n%s", verb, code, lastLines(out.String(), 30))})
		}
	}
	if len(found) == 0 {
		found = r.observe(s, before, afterFaulty)
	}
	if len(found) == 0 && !s.Destroy {
		if code := run(acctest.Plan(true)); code != 0 {
			found = append(found, violation{Invariant: invEmptyPlan, Detail: fmt.Sprintf("terraform plan exited %d:\n%s", code, lastLines(out.String(), 40))})
		}
	}
	if leaked := acctest.LeakedSecrets(r.t, out.String()+r.newLog(), r.recorder, minRecordedSecrets); leaked > 0 {
		found = append(found, violation{Invariant: invNoSecrets, Detail: fmt.Sprintf("%d secrets appear in terraform's output or trace log", leaked)})
	}
	return found
}

func (r *seedRun) keys(ids map[string]string) map[string]emulator.Key {
	keys := map[string]emulator.Key{}
	for addr, id := range ids {
		if k, ok := r.emu.Key(id); ok {
			keys[addr] = k
		}
	}
	return keys
}

// actOut does the acts after the plan, or the others (console keys always
// before). One the harness cannot do is its own bug.
func (r *seedRun) actOut(s step, afterPlan bool) {
	for _, a := range s.Acts {
		if (s.ActsAfterPlan && a.Kind != actConsoleKey) != afterPlan {
			continue
		}
		if err := a.apply(r.emu, r.ids); err != nil {
			r.t.Fatalf("seed %d: %v", r.plan.Seed, err)
		}
		if a.Kind == actConsoleKey {
			r.imported[a.Addr], r.managed[r.ids[a.Addr]] = consoleDescription, true
		}
	}
}

// lostCreate matches ncpclient.AmbiguousCreateError once Terraform's line
// wrapping is undone: it tells the user to import the key of that name with
// the create's marker as its description.
var lostCreate = regexp.MustCompile(`creating API key "([^"]+)": the API's answer was lost .*?the key may have been created, with the description "([^"]+)"`)

// importLostCreates plays the user following that advice: for each name
// whose resource is not in state, the one key with the marker that state
// lacks is imported, by resource address. Anything else (no advice, no
// single key) is left for the invariants to report, as an orphan.
func importLostCreates(output string, config configuration, state []instance, server []emulator.Key) map[string]string {
	inState, managed := map[string]bool{}, map[string]bool{}
	for _, in := range state {
		inState[in.Addr], managed[in.Attrs["id"]] = true, true
	}
	imports := map[string]string{}
	for _, m := range lostCreate.FindAllStringSubmatch(strings.Join(strings.Fields(output), " "), -1) {
		name, marker := m[1], m[2]
		i := slices.IndexFunc(config, func(k keySpec) bool { return k.Name == name })
		if i < 0 || inState[config[i].Addr] {
			continue
		}
		candidates := slices.DeleteFunc(slices.Clone(server), func(k emulator.Key) bool {
			return k.Name != name || k.Description != marker || managed[k.ID]
		})
		if len(candidates) == 1 {
			imports[config[i].Addr] = candidates[0].ID
		}
	}
	return imports
}

// remedy follows the failed apply's advice about lost creates with import
// blocks for the fault-free apply.
func (r *seedRun) remedy(s step, output string) {
	imports := importLostCreates(output, s.Config, r.readState(), r.emu.Keys())
	if len(imports) == 0 {
		return
	}
	r.t.Logf("seed %d step %d: importing %v as the errors advise", r.plan.Seed, s.Number, imports)
	config := slices.Clone(s.Config)
	for addr, id := range imports {
		spec := &config[config.find(addr)]
		spec.Import, r.ids[addr], r.imported[addr] = true, id, spec.Description // the lost create's
	}
	r.tf.WriteConfig(config.hcl(r.ids))
	r.result.LostCreatesImported += len(imports)
}

// noteQuietImports records the keys still as imported, by this step or
// quietly before, and unchanged by its configuration: the provider updates
// none of them, so each still adopts the first trigger set.
func (r *seedRun) noteQuietImports(s step) {
	maps.Copy(r.quietImports, r.imported)
	maps.DeleteFunc(r.quietImports, func(addr, description string) bool {
		i := s.Config.find(addr)
		return i < 0 || !s.Config[i].importChangesNothing(description)
	})
}

// observe checks the invariants, and remembers the keys' IDs for the next step.
func (r *seedRun) observe(s step, before, afterFaulty map[string]emulator.Key) []violation {
	o := observation{Prefix: r.plan.Prefix, Config: s.Config, State: r.readState(), Server: r.emu.Keys(), Before: before, AfterFaulty: afterFaulty, Values: maps.Clone(s.Values)}
	if s.Destroy {
		o.Config = nil
	}
	for addr, k := range before {
		if o.Config.find(addr) < 0 {
			o.Removed = append(o.Removed, k.ID)
		}
	}
	for addr := range r.quietImports {
		if e, ok := o.Values[addr]; ok {
			o.Values[addr] = e.afterQuietImport()
		}
	}
	r.ids = map[string]string{}
	for _, in := range o.State {
		r.ids[in.Addr], r.managed[in.Attrs["id"]] = in.Attrs["id"], true
	}
	o.Twins = r.colleagueKeys(o.Server)
	o.Bystanders = r.bystanders
	found := o.check()
	if len(found) > 0 {
		r.t.Logf("seed %d step %d: %s", r.plan.Seed, s.Number, o)
	}
	return found
}

// colleagueKeys returns the keys the colleague made that the configuration
// never owned: the bystanders, and those the twin and rival faults made,
// which become bystanders too, as does a rival fault's edit of a bystander.
func (r *seedRun) colleagueKeys(server []emulator.Key) map[string]bool {
	twins := map[string]bool{}
	for _, k := range server {
		if k.Modifier != r.emu.OtherModifier() {
			continue
		}
		i := slices.IndexFunc(r.bystanders, func(b emulator.Key) bool { return b.ID == k.ID })
		if i >= 0 && k.Description == emulator.RivalDescription {
			r.bystanders[i] = k
		}
		if !r.managed[k.ID] {
			twins[k.ID] = true
			if i < 0 {
				r.bystanders = append(r.bystanders, k)
			}
		}
	}
	return twins
}

func (r *seedRun) newLog() string {
	data, err := os.ReadFile(r.tf.LogPath)
	if err != nil {
		r.t.Fatal(err)
	}
	r.logRead, data = len(data), data[r.logRead:]
	return string(data)
}

func lastLines(s string, n int) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	return strings.Join(lines[max(0, len(lines)-n):], "\n")
}

type instance struct {
	Addr  string            // the resource's name: k1, k2...
	Attrs map[string]string // as acctest.StateKeys renders them
}

// readState reads state from `terraform show -json`, whose output holds the
// key values: it is kept out of the output checked for secrets and errors.
func (r *seedRun) readState() []instance {
	var state *tfjson.State
	if code, _ := r.tf.Do(nil, func(ctx context.Context, tf *tfexec.Terraform) (err error) {
		state, err = tf.Show(ctx)
		return err
	}); code != 0 {
		r.t.Fatalf("seed %d: terraform show -json exited %d", r.plan.Seed, code)
	}
	var keys []instance
	for addr, attrs := range acctest.StateKeys(state) { // API keys alone, without count or for_each
		keys = append(keys, instance{Addr: strings.TrimPrefix(addr, acctest.KeyResourceType+"."), Attrs: attrs})
	}
	slices.SortFunc(keys, func(a, b instance) int { return strings.Compare(a.Addr, b.Addr) })
	return keys
}

package chaos

import (
	"reflect"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestPlansAreReproducible(t *testing.T) {
	a, b := generate(42), generate(42)
	if !reflect.DeepEqual(a, b) {
		t.Fatal("seed 42 drew two different plans")
	}
	if reflect.DeepEqual(a.Steps, generate(43).Steps) {
		t.Fatal("seeds 42 and 43 drew the same steps")
	}
}

// TestPlansStayWithinTheAPIAndTheBudget checks the plans of many seeds
// against what the API accepts and the campaign's size limits.
func TestPlansStayWithinTheAPIAndTheBudget(t *testing.T) {
	for seed := int64(1); seed <= 500; seed++ {
		p := generate(seed)
		if n := len(p.Steps); n < minSteps || n > maxSteps {
			t.Fatalf("seed %d: %d steps", seed, n)
		}
		if !p.Steps[len(p.Steps)-1].Destroy {
			t.Fatalf("seed %d: the last step does not destroy", seed)
		}
		cfg := p.Emulator
		cfg.AccessKey, cfg.SecretKey = "AK", "SK" // as StartRecordedEmulator sets them
		if err := cfg.Validate(); err != nil {
			t.Fatalf("seed %d: emulator config: %v", seed, err)
		}
		for _, name := range p.Bystanders {
			if strings.HasPrefix(name, p.Prefix) || !strings.Contains(name, p.Prefix) {
				t.Fatalf("seed %d: bystander %q must contain the prefix %q, not start with it", seed, name, p.Prefix)
			}
		}
		var prev configuration
		for _, s := range p.Steps {
			checkStep(t, p, s, prev)
			prev = s.Config
		}
	}
}

func checkStep(t *testing.T, p plan, s step, prev configuration) {
	t.Helper()
	where := func() string { return "seed " + p.String() }
	if err := s.Faults.Validate(); err != nil {
		t.Fatalf("%s: step %d faults: %v", where(), s.Number, err)
	}
	if s.Faults.ClockOffset < -maxClockOffset || s.Faults.ClockOffset > maxClockOffset {
		t.Fatalf("%s: step %d clock offset %s", where(), s.Number, s.Faults.ClockOffset)
	}
	if len(s.Config) > maxKeys || (!s.Destroy && len(s.Config) == 0) {
		t.Fatalf("%s: step %d has %d keys", where(), s.Number, len(s.Config))
	}
	names := map[string]bool{}
	for _, k := range s.Config {
		if n := utf8.RuneCountInString(k.Name); n < 1 || n > 20 || !strings.HasPrefix(k.Name, p.Prefix) || names[k.Name] {
			t.Fatalf("%s: step %d: name %q is not a unique owned name of 1-20 characters", where(), s.Number, k.Name)
		}
		names[k.Name] = true
		if utf8.RuneCountInString(k.Description) > 50 {
			t.Fatalf("%s: step %d: description %q is too long", where(), s.Number, k.Description)
		}
	}
	for _, a := range s.Acts {
		inPrev, next := prev.find(a.Addr) >= 0, s.Config.find(a.Addr)
		switch {
		case a.Kind == actConsoleKey && (inPrev || next < 0 || !s.Config[next].Import):
			t.Fatalf("%s: step %d: console key %s is not a new resource to import", where(), s.Number, a.Addr)
		case a.Kind != actConsoleKey && !inPrev:
			t.Fatalf("%s: step %d: act %s on a key the previous step did not have", where(), s.Number, a)
		case strings.HasPrefix(a.Value, p.Prefix) != (a.Kind == actConsoleKey):
			t.Fatalf("%s: step %d: act %s uses a name the configuration owns", where(), s.Number, a)
		}
	}
	hcl := s.Config.hcl(map[string]string{})
	for _, k := range s.Config {
		if !strings.Contains(hcl, `"`+k.Addr+`"`) || (k.Import != strings.Contains(hcl, "to = ncp_apigw_api_key."+k.Addr+"\n")) {
			t.Fatalf("%s: step %d: the configuration does not declare %s as planned:\n%s", where(), s.Number, k.Addr, hcl)
		}
	}
}

// TestValueExpectations covers the rotation rules the campaign holds the
// provider to.
func TestValueExpectations(t *testing.T) {
	prev := configuration{
		{Addr: "k1", Trigger: "a"},
		{Addr: "k2"},
		{Addr: "k3", Trigger: "a"},
		{Addr: "k4", Trigger: "a", KeyType: keyTypeSecondary},
		{Addr: "k5"},
	}
	next := configuration{
		{Addr: "k1", Trigger: "b", KeyType: keyTypeBoth}, // rotates both
		{Addr: "k2", Trigger: "b"},                       // unset to a value rotates the primary
		{Addr: "k3"},                                     // removing the trigger rotates nothing
		{Addr: "k4", Trigger: "a", KeyType: keyTypeBoth}, // the key type alone rotates nothing
		{Addr: "k5"},
		{Addr: "k6", Trigger: "c", Import: true}, // new: no expectation
	}
	acts := []act{{Kind: actRegenerate, Addr: "k2", Value: keyTypeSecondary}, {Kind: actDelete, Addr: "k5"}}
	got := valueExpectations(prev, next, acts)
	want := map[string]valueExpectation{
		"k1": {Primary: mustChange, Secondary: mustChange},
		"k2": {Primary: mustChange, Secondary: mayChange},
		"k3": {},
		"k4": {},
		"k5": {Gone: true},
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("expectations %+v, want %+v", got, want)
	}
}

// TestQuietImports: only an import that changes nothing relaxes the next
// step's rotation, and only from must to may.
func TestQuietImports(t *testing.T) {
	plain := keySpec{Addr: "k1", Name: "p-k1", Description: consoleDescription}
	if !plain.importChangesNothing(consoleDescription) {
		t.Error("an import matching the console key changes something")
	}
	for _, k := range []keySpec{
		{Addr: "k1", Name: "p-k1", Description: "other"},
		{Addr: "k1", Name: "p-k1", Description: consoleDescription, Trigger: "t"},
		{Addr: "k1", Name: "p-k1", Description: consoleDescription, Disabled: true},
		{Addr: "k1", Name: "p-k1", Description: consoleDescription, KeyType: keyTypeBoth},
		{Addr: "k1", Name: "p-k1", Description: consoleDescription, NoKeyValues: true},
	} {
		if k.importChangesNothing(consoleDescription) {
			t.Errorf("importing into %+v changes nothing", k)
		}
	}
	got := valueExpectation{Primary: mustChange, Secondary: mustStay}.afterQuietImport()
	if want := (valueExpectation{Primary: mayChange, Secondary: mustStay}); got != want {
		t.Errorf("after a quiet import %+v, want %+v", got, want)
	}
}

// TestPlanLogsAStepALine: a failing seed's log shows its settings and every
// step, with its acts and faults.
func TestPlanLogsAStepALine(t *testing.T) {
	p := generate(7)
	lines := strings.Split(p.String(), "\n")
	if len(lines) != 1+len(p.Steps) || !strings.HasPrefix(lines[0], "seed 7: names \""+p.Prefix+"\"") {
		t.Fatalf("plan log:\n%s", p)
	}
	for i, s := range p.Steps {
		if !strings.Contains(lines[1+i], `"Number":`+strconv.Itoa(s.Number)) || !strings.Contains(lines[1+i], `"Faults":`) {
			t.Errorf("line %d of the plan log does not show step %d: %s", 1+i, s.Number, lines[1+i])
		}
	}
	for _, s := range p.Steps {
		for _, a := range s.Acts {
			if a.String() == "" || !strings.HasPrefix(a.String(), string(a.Kind)) {
				t.Errorf("act %+v logs as %q", a, a)
			}
		}
	}
}

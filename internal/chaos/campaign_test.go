package chaos

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/ncp-community/terraform-provider-ncp/internal/emulator"
)

func TestSettingsFrom(t *testing.T) {
	for _, tc := range []struct {
		name  string
		env   map[string]string
		seeds []int64
		fails bool
	}{
		{"nothing set skips", nil, nil, false},
		{"TF_ACC runs the default seeds", map[string]string{"TF_ACC": "1"}, []int64{1, 2}, false},
		{"a count from 1", map[string]string{"CHAOS_SEEDS": "3"}, []int64{1, 2, 3}, false},
		{"a count from a first seed", map[string]string{"CHAOS_SEEDS": "2", "CHAOS_FIRST_SEED": "100"}, []int64{100, 101}, false},
		{"one seed wins over a count", map[string]string{"CHAOS_SEED": "1234", "CHAOS_SEEDS": "5", "TF_ACC": "1"}, []int64{1234}, false},
		{"a bad count", map[string]string{"CHAOS_SEEDS": "0"}, nil, true},
		{"a bad seed", map[string]string{"CHAOS_SEED": "x"}, nil, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s, err := settingsFrom(func(k string) string { return tc.env[k] })
			if (err != nil) != tc.fails {
				t.Fatalf("error %v, want failure %t", err, tc.fails)
			}
			if !slices.Equal(s.Seeds, tc.seeds) {
				t.Fatalf("seeds %v, want %v", s.Seeds, tc.seeds)
			}
		})
	}
}

// TestReportSumsSeeds: the report adds up what each seed did and prints and
// writes the sums, each violation on one line.
func TestReportSumsSeeds(t *testing.T) {
	rep := &report{tally: tally{Faults: map[emulator.FaultKind]int{}}, Workers: 2, Wall: "3s"}
	one := tally{Steps: 3, Faults: map[emulator.FaultKind]int{emulator.FaultReset: 1}, Throttled: 2, LostCreatesImported: 1}
	one.Applies.FaultyFailed = 1
	two := tally{Steps: 4, Faults: map[emulator.FaultKind]int{emulator.FaultReset: 2, emulator.FaultTwin: 1},
		Violations: []violation{{Seed: 2, Step: 4, Invariant: invNoOrphans, Detail: "key x\nmore"}}}
	two.Applies.FaultySucceeded = 3
	rep.add(one, time.Second)
	rep.add(two, 3*time.Second)
	want := "chaos campaign: 2 seeds, 7 steps in 3s (2.0s per seed, 2 workers)\n" +
		"faulty applies: 1 failed, 3 succeeded; lost creates imported as their error advised: 1\n" +
		"faults injected: reset:3 twin:1; 429s from the rate limit: 2\n" +
		"invariant violations: 1\n  seed 2 step 4: no orphans: key x\n"
	if got := rep.String(); got != want {
		t.Errorf("report:\n%s\nwant:\n%s", got, want)
	}
	path := filepath.Join(t.TempDir(), "report.json")
	if err := rep.write(path); err != nil {
		t.Fatal(err)
	}
	var written map[string]any
	if data, err := os.ReadFile(path); err != nil || json.Unmarshal(data, &written) != nil {
		t.Fatalf("report file: %v", err)
	}
	if written["steps"] != 7.0 || written["seeds"] != 2.0 || written["faults_by_kind"].(map[string]any)["reset"] != 3.0 {
		t.Errorf("written report %v", written)
	}
}

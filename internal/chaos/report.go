package chaos

import (
	"cmp"
	"encoding/json"
	"fmt"
	"maps"
	"os"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/ncp-community/terraform-provider-ncp/internal/emulator"
)

// tally is what seeds did and found: one seed's, or the campaign's sum.
type tally struct {
	Steps   int `json:"steps"`
	Applies struct {
		FaultyFailed    int `json:"faulty_failed"` // faulty applies (or destroys) that failed
		FaultySucceeded int `json:"faulty_succeeded"`
	} `json:"applies"`
	Faults    map[emulator.FaultKind]int `json:"faults_by_kind"`   // the emulator's Stats().Faults
	Throttled int                        `json:"rate_limited_429"` // 429s from the rate limit, which Faults does not count
	// LostCreatesImported counts the keys of lost creates imported as the
	// provider's error advised (see importLostCreates).
	LostCreatesImported int         `json:"lost_creates_imported"`
	Violations          []violation `json:"violations"`
}

func (t *tally) add(o tally) {
	t.Steps += o.Steps
	t.Applies.FaultyFailed += o.Applies.FaultyFailed
	t.Applies.FaultySucceeded += o.Applies.FaultySucceeded
	for kind, n := range o.Faults {
		t.Faults[kind] += n
	}
	t.Throttled += o.Throttled
	t.LostCreatesImported += o.LostCreatesImported
	t.Violations = append(t.Violations, o.Violations...)
}

// report is what a campaign did and found, over every seed.
type report struct {
	mu    sync.Mutex
	Seeds int `json:"seeds"`
	tally
	Wall        string  `json:"wall_time"`
	SeedSeconds float64 `json:"seconds_per_seed"` // mean time of one seed, however many ran at once
	Workers     int     `json:"workers"`
	seedTime    time.Duration
}

// add counts a seed's result; seeds call it concurrently.
func (r *report) add(s tally, took time.Duration) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.Seeds++
	r.tally.add(s)
	r.seedTime += took
	r.SeedSeconds = (r.seedTime / time.Duration(r.Seeds)).Seconds()
}

// finish records the campaign's wall time and orders the violations.
func (r *report) finish(wall time.Duration) {
	r.Wall = wall.Round(time.Second).String()
	slices.SortFunc(r.Violations, func(a, b violation) int { return cmp.Or(cmp.Compare(a.Seed, b.Seed), cmp.Compare(a.Step, b.Step)) })
}

// String is the report as the test logs it.
func (r *report) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "chaos campaign: %d seeds, %d steps in %s (%.1fs per seed, %d workers)\n", r.Seeds, r.Steps, r.Wall, r.SeedSeconds, r.Workers)
	fmt.Fprintf(&b, "faulty applies: %d failed, %d succeeded; lost creates imported as their error advised: %d\n",
		r.Applies.FaultyFailed, r.Applies.FaultySucceeded, r.LostCreatesImported)
	var faults []string
	for _, kind := range slices.Sorted(maps.Keys(r.Faults)) {
		faults = append(faults, fmt.Sprintf("%s %d", kind, r.Faults[kind]))
	}
	fmt.Fprintf(&b, "faults injected: %s; 429s from the rate limit: %d\n", strings.Join(faults, ", "), r.Throttled)
	fmt.Fprintf(&b, "invariant violations: %d\n", len(r.Violations))
	for _, v := range r.Violations {
		line, _, _ := strings.Cut(v.Detail, "\n")
		fmt.Fprintf(&b, "  seed %d step %d: %s: %s\n", v.Seed, v.Step, v.Invariant, line)
	}
	return b.String()
}

func (r *report) write(path string) error {
	data, err := json.MarshalIndent(r, "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(path, append(data, '\n'), 0o644)
}

package chaos

import (
	"encoding/json"
	"fmt"
	"maps"
	"os"
	"slices"
	"strings"
	"sync"
	"time"
)

// report is what a campaign did and found, over every seed.
type report struct {
	mu sync.Mutex

	Seeds   int `json:"seeds"`
	Steps   int `json:"steps"`
	Applies struct {
		FaultyFailed    int `json:"faulty_failed"`
		FaultySucceeded int `json:"faulty_succeeded"`
	} `json:"applies"`
	Faults    map[string]int `json:"faults_by_kind"`   // the emulator's Stats().Faults, summed
	Throttled int            `json:"rate_limited_429"` // 429s from the rate limit, which Faults does not count
	// LostCreatesImported counts the user's remedy after a lost create the
	// provider could not settle: importing the key its error pointed to.
	LostCreatesImported int         `json:"lost_creates_imported"`
	Violations          []violation `json:"violations"`
	Wall                string      `json:"wall_time"`
	SeedSeconds         float64     `json:"seconds_per_seed"` // mean time of one seed, however many ran at once
	Workers             int         `json:"workers"`

	seedTime time.Duration
}

func newReport(workers int) *report {
	return &report{Faults: map[string]int{}, Workers: workers}
}

// add counts a seed's result; seeds call it concurrently.
func (r *report) add(s seedResult, took time.Duration) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.Seeds++
	r.Steps += s.Steps
	r.Applies.FaultyFailed += s.FaultyFailed
	r.Applies.FaultySucceeded += s.FaultySucceeded
	for kind, n := range s.Faults {
		r.Faults[string(kind)] += n
	}
	r.Throttled += s.Throttled
	r.LostCreatesImported += s.LostCreatesImported
	r.Violations = append(r.Violations, s.Violations...)
	r.seedTime += took
	r.SeedSeconds = (r.seedTime / time.Duration(r.Seeds)).Seconds()
}

// finish records the campaign's wall time and orders the violations.
func (r *report) finish(wall time.Duration) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.Wall = wall.Round(time.Second).String()
	slices.SortFunc(r.Violations, func(a, b violation) int {
		if a.Seed != b.Seed {
			return int(a.Seed - b.Seed)
		}
		return a.Step - b.Step
	})
}

// String is the report as the test logs it.
func (r *report) String() string {
	r.mu.Lock()
	defer r.mu.Unlock()
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
		fmt.Fprintf(&b, "  seed %d step %d: %s: %s\n", v.Seed, v.Step, v.Invariant, firstLine(v.Detail))
	}
	return b.String()
}

// write saves the report as JSON.
func (r *report) write(path string) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	data, err := json.MarshalIndent(r, "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(path, append(data, '\n'), 0o644)
}

func firstLine(s string) string {
	line, _, _ := strings.Cut(s, "\n")
	return line
}

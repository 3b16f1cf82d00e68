package chaos

import (
	"cmp"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ncp-community/terraform-provider-ncp/internal/emulator"
)

// runCampaign runs the seeds as parallel subtests; a seed that breaks an
// invariant fails its own, with how to rerun it alone.
func runCampaign(t *testing.T, seeds []int64, pluginDir string) *report {
	workers, _ := strconv.Atoi(flag.Lookup("test.parallel").Value.String())
	rep := &report{tally: tally{Faults: map[emulator.FaultKind]int{}}, Workers: workers}
	start := time.Now()
	t.Run("seed", func(t *testing.T) {
		for _, seed := range seeds {
			t.Run(strconv.FormatInt(seed, 10), func(t *testing.T) {
				t.Parallel()
				begin := time.Now()
				rep.add(runSeed(t, seed, pluginDir), time.Since(begin))
				if t.Failed() {
					t.Logf("the plan of this seed:\n%s\nrerun this seed alone: make chaos SEED=%d", generate(seed), seed)
				}
			})
		}
	})
	rep.Wall = time.Since(start).Round(time.Second).String()
	slices.SortFunc(rep.Violations, func(a, b violation) int { return cmp.Or(cmp.Compare(a.Seed, b.Seed), cmp.Compare(a.Step, b.Step)) })
	return rep
}

// defaultSeeds: TF_ACC=1 alone tries the campaign without making it slow.
const defaultSeeds = 2

type settings struct {
	Seeds  []int64
	Report string // where to write the report as JSON; "" writes none
}

// settingsFrom: CHAOS_SEED=s runs seed s alone; CHAOS_SEEDS=n runs n seeds
// from CHAOS_FIRST_SEED (default 1); with neither, TF_ACC=1 runs
// defaultSeeds, and no setting none. CHAOS_REPORT=path writes the report.
func settingsFrom(getenv func(string) string) (settings, error) {
	s := settings{Report: getenv("CHAOS_REPORT")}
	count, first := getenv("CHAOS_SEEDS"), cmp.Or(getenv("CHAOS_FIRST_SEED"), "1")
	switch {
	case getenv("CHAOS_SEED") != "":
		count, first = "1", getenv("CHAOS_SEED")
	case count == "" && getenv("TF_ACC") != "":
		count = strconv.Itoa(defaultSeeds)
	}
	n, err := strconv.Atoi(cmp.Or(count, "0"))
	if err != nil || n < 0 || (n == 0 && count != "") {
		return s, fmt.Errorf("CHAOS_SEEDS=%q is not a positive count", count)
	}
	from, err := strconv.ParseInt(first, 10, 64)
	if err != nil {
		return s, fmt.Errorf("CHAOS_SEED or CHAOS_FIRST_SEED %q is not a seed: %w", first, err)
	}
	for i := range int64(n) {
		s.Seeds = append(s.Seeds, from+i)
	}
	return s, nil
}

// tally is what seeds did and found: one seed's, or the campaign's sum.
type tally struct {
	Steps   int `json:"steps"`
	Applies struct {
		FaultyFailed    int `json:"faulty_failed"` // faulty applies (or destroys) that failed
		FaultySucceeded int `json:"faulty_succeeded"`
	} `json:"applies"`
	Faults              map[emulator.FaultKind]int `json:"faults_by_kind"`        // the emulator's Stats().Faults
	Throttled           int                        `json:"rate_limited_429"`      // 429s from the rate limit, which Faults does not count
	LostCreatesImported int                        `json:"lost_creates_imported"` // see importLostCreates
	Violations          []violation                `json:"violations"`
}

type report struct {
	mu    sync.Mutex
	Seeds int `json:"seeds"`
	tally
	Wall        string  `json:"wall_time"`
	SeedSeconds float64 `json:"seconds_per_seed"` // mean time of one seed, however many ran at once
	Workers     int     `json:"workers"`
	seedTime    time.Duration
}

// add counts a seed's result; seeds call it at once.
func (r *report) add(s tally, took time.Duration) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.Seeds++
	r.Steps += s.Steps
	r.Applies.FaultyFailed += s.Applies.FaultyFailed
	r.Applies.FaultySucceeded += s.Applies.FaultySucceeded
	for kind, n := range s.Faults {
		r.Faults[kind] += n
	}
	r.Throttled += s.Throttled
	r.LostCreatesImported += s.LostCreatesImported
	r.Violations = append(r.Violations, s.Violations...)
	r.seedTime += took
	r.SeedSeconds = (r.seedTime / time.Duration(r.Seeds)).Seconds()
}

func (r *report) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "chaos campaign: %d seeds, %d steps in %s (%.1fs per seed, %d workers)\n", r.Seeds, r.Steps, r.Wall, r.SeedSeconds, r.Workers)
	fmt.Fprintf(&b, "faulty applies: %d failed, %d succeeded; lost creates imported as their error advised: %d\n",
		r.Applies.FaultyFailed, r.Applies.FaultySucceeded, r.LostCreatesImported)
	fmt.Fprintf(&b, "faults injected: %s; 429s from the rate limit: %d\n", strings.TrimSuffix(strings.TrimPrefix(fmt.Sprint(r.Faults), "map["), "]"), r.Throttled)
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

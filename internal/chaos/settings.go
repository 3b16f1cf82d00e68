package chaos

import (
	"cmp"
	"fmt"
	"strconv"
)

// defaultSeeds is how many seeds TF_ACC=1 alone runs, so that the full test
// suite tries the campaign without making it slow.
const defaultSeeds = 2

type settings struct {
	Seeds  []int64
	Report string // where to write the report as JSON; "" writes none
}

// settingsFrom reads the settings from the environment:
//
//   - CHAOS_SEED=s runs seed s alone;
//   - CHAOS_SEEDS=n runs n seeds from CHAOS_FIRST_SEED (default 1);
//   - with neither, TF_ACC=1 runs defaultSeeds seeds, and no setting none;
//   - CHAOS_REPORT=path writes the report there as JSON.
func settingsFrom(getenv func(string) string) (settings, error) {
	s := settings{Report: getenv("CHAOS_REPORT")}
	if v := getenv("CHAOS_SEED"); v != "" {
		seed, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			return s, fmt.Errorf("CHAOS_SEED=%q is not a seed: %w", v, err)
		}
		s.Seeds = []int64{seed}
		return s, nil
	}
	count := 0
	if getenv("TF_ACC") != "" {
		count = defaultSeeds
	}
	if v := getenv("CHAOS_SEEDS"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			return s, fmt.Errorf("CHAOS_SEEDS=%q is not a positive count", v)
		}
		count = n
	}
	first, err := strconv.ParseInt(cmp.Or(getenv("CHAOS_FIRST_SEED"), "1"), 10, 64)
	if err != nil {
		return s, fmt.Errorf("CHAOS_FIRST_SEED=%q is not a seed: %w", getenv("CHAOS_FIRST_SEED"), err)
	}
	for i := range int64(count) {
		s.Seeds = append(s.Seeds, first+i)
	}
	return s, nil
}

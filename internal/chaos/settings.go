package chaos

import (
	"fmt"
	"strconv"
)

// defaultSeeds is how many seeds TF_ACC=1 alone runs, so that the full test
// suite tries the campaign without making it slow.
const defaultSeeds = 2

// settings say what a campaign runs.
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
	switch v := getenv("CHAOS_SEEDS"); {
	case v != "":
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			return s, fmt.Errorf("CHAOS_SEEDS=%q is not a positive count", v)
		}
		count = n
	case getenv("TF_ACC") != "":
		count = defaultSeeds
	}
	first := int64(1)
	if v := getenv("CHAOS_FIRST_SEED"); v != "" {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			return s, fmt.Errorf("CHAOS_FIRST_SEED=%q is not a seed: %w", v, err)
		}
		first = n
	}
	for i := range count {
		s.Seeds = append(s.Seeds, first+int64(i))
	}
	return s, nil
}

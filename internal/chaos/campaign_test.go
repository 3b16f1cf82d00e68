package chaos

import (
	"slices"
	"testing"
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

package main

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/ncp-community/terraform-provider-ncp/internal/emulator"
)

func TestMedian(t *testing.T) {
	for _, tc := range []struct {
		in   []float64
		want float64
	}{
		{nil, 0},
		{[]float64{3}, 3},
		{[]float64{5, 1, 3}, 3},
		{[]float64{4, 1, 3, 2}, 2.5},
	} {
		if got := median(tc.in); got != tc.want {
			t.Errorf("median(%v) = %v, want %v", tc.in, got, tc.want)
		}
	}
}

func TestRequestCountMet(t *testing.T) {
	minimum := routeCounts{emulator.RouteGet: 10, emulator.RouteEdit: 1}
	for _, tc := range []struct {
		name     string
		measured routeCounts
		want     bool
	}{
		{"equal", routeCounts{emulator.RouteGet: 10, emulator.RouteEdit: 1}, true},
		{"extra route", routeCounts{emulator.RouteGet: 10, emulator.RouteEdit: 1, emulator.RouteList: 1}, false},
		{"missing route", routeCounts{emulator.RouteGet: 10}, false},
		// The same total made of other requests is not the minimum.
		{"same total", routeCounts{emulator.RouteGet: 9, emulator.RouteEdit: 2}, false},
	} {
		c := newRequestCount(tc.name, minimum, tc.measured)
		if c.Met != tc.want {
			t.Errorf("%s: Met = %v, want %v (%s)", tc.name, c.Met, tc.want, c.byRoute())
		}
	}
}

func TestRequestCountByRoute(t *testing.T) {
	c := newRequestCount("x", routeCounts{emulator.RouteDelete: 2, emulator.RouteGet: 2}, routeCounts{emulator.RouteGet: 3, emulator.RouteDelete: 2})
	if got, want := c.byRoute(), "get 3/2, delete 2/2"; got != want {
		t.Errorf("byRoute() = %q, want %q", got, want)
	}
}

func TestParseGoBench(t *testing.T) {
	out := `goos: linux
BenchmarkDecodeAPIKeyPage-2   	     100	   1100800 ns/op	  23.47 MB/s	   58624 B/op	     716 allocs/op
BenchmarkSign-2               	   33558	      3272 ns/op	     736 B/op	      16 allocs/op
BenchmarkSign-2               	   33558	      3000 ns/op	     736 B/op	      16 allocs/op
BenchmarkSign-2               	   33558	      3100 ns/op	     736 B/op	      16 allocs/op
--- FAIL: BenchmarkBroken
PASS
`
	got := parseGoBench(out)
	if names := []string{got[0].Name, got[1].Name}; len(got) != 2 || !slices.Equal(names, []string{"BenchmarkDecodeAPIKeyPage-2", "BenchmarkSign-2"}) {
		t.Fatalf("parseGoBench names = %v", got)
	}
	sign := got[1].Medians
	if sign["ns/op"] != 3100 || sign["B/op"] != 736 || sign["allocs/op"] != 16 {
		t.Errorf("BenchmarkSign medians = %v", sign)
	}
	if got[0].Medians["MB/s"] != 23.47 {
		t.Errorf("BenchmarkDecodeAPIKeyPage MB/s = %v", got[0].Medians["MB/s"])
	}
}

func TestListedKeys(t *testing.T) {
	plan := "Changes to Outputs:\n  + listed = 10000\n\nYou can apply this plan"
	if n, err := listedKeys(plan); err != nil || n != 10000 {
		t.Errorf("listedKeys = %d, %v; want 10000", n, err)
	}
	if _, err := listedKeys("No changes."); err == nil {
		t.Error("listedKeys found an output in a plan without one")
	}
}

func TestKeySetConfig(t *testing.T) {
	cfg := keySet{n: 5, disabled: true, firstDescription: "d", triggers: map[int]string{1: "r1", 2: "r1"}}.config()
	for _, want := range []string{
		"count           = 5",
		`description     = count.index == 0 ? "d" : ""`,
		"enabled         = false",
		`"1" = "r1"`,
		`"2" = "r1"`,
	} {
		if !strings.Contains(cfg, want) {
			t.Errorf("config lacks %q:\n%s", want, cfg)
		}
	}
}

func TestTerraformEnvDropsSettingsThatChangeTheMeasure(t *testing.T) {
	env := terraformEnv([]string{"PATH=/bin", "TF_LOG=trace", "TF_CLI_ARGS=-refresh=false", "NCLOUD_SECRET_KEY=s", "NCP_APIGW_ENDPOINT=x", "CHECKPOINT_DISABLE=0"})
	want := []string{"PATH=/bin", "CHECKPOINT_DISABLE=1", "TF_IN_AUTOMATION=1"}
	if !slices.Equal(env, want) {
		t.Errorf("terraformEnv = %q, want %q", env, want)
	}
}

func TestPeakRSS(t *testing.T) {
	path := filepath.Join(t.TempDir(), "rss")
	if err := os.WriteFile(path, []byte("1000\n3000\n2000\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if got, err := peakRSS(path); err != nil || got != 3000 {
		t.Errorf("peakRSS = %d, %v; want 3000", got, err)
	}
	if _, err := peakRSS(filepath.Join(t.TempDir(), "none")); err == nil {
		t.Error("peakRSS of a missing file succeeded")
	}
}

func TestPages(t *testing.T) {
	for _, tc := range []struct{ k, page, want int }{{250, 100, 3}, {10000, 100, 100}, {100, 100, 1}, {0, 100, 0}} {
		if got := pages(tc.k, tc.page); got != tc.want {
			t.Errorf("pages(%d, %d) = %d, want %d", tc.k, tc.page, got, tc.want)
		}
	}
}

func TestParseOptions(t *testing.T) {
	env := map[string]string{"BENCH_SMOKE": "1"}
	o, err := parseOptions([]string{"-time-provider-dir", "t"}, func(k string) string { return env[k] })
	if err != nil {
		t.Fatal(err)
	}
	if !o.Smoke || o.Runs != 1 || !slices.Equal(o.OverheadN, []int{10}) || o.ScaleKeys != 500 {
		t.Errorf("smoke settings = %+v", o.settings)
	}
	env = map[string]string{"BENCH_RUNS": "5"}
	if o, err = parseOptions([]string{"-time-provider-dir", "t"}, func(k string) string { return env[k] }); err != nil || o.Runs != 5 || o.Smoke {
		t.Errorf("BENCH_RUNS=5: runs %d, smoke %v, err %v", o.Runs, o.Smoke, err)
	}
	env = map[string]string{"BENCH_RUNS": "0"}
	if _, err := parseOptions([]string{"-time-provider-dir", "t"}, func(k string) string { return env[k] }); err == nil {
		t.Error("BENCH_RUNS=0 was accepted")
	}
}

func TestOverheadRowTarget(t *testing.T) {
	row := func(command string, n int, ncp, ts float64) overheadRow {
		r := overheadRow{Command: command, N: n, Samples: map[string][]float64{}, CPUSamples: map[string][]float64{}}
		r.add(kindNCP, commandResult{wall: time.Duration(ncp * float64(time.Second))})
		r.add(kindTimeStatic, commandResult{wall: time.Duration(ts * float64(time.Second))})
		r.add(kindTerraformData, commandResult{wall: time.Second})
		return r.summarize()
	}
	if r := row(cmdApply, overheadTargetN, 6, 5); r.Target == nil || !r.Target.Met || r.RatioTimeStatic != 1.2 {
		t.Errorf("apply at N=500, ratio 1.2: target %+v, ratio %v", r.Target, r.RatioTimeStatic)
	}
	if r := row(cmdPlan, overheadTargetN, 7, 5); r.Target == nil || r.Target.Met {
		t.Errorf("plan at N=500, ratio 1.4: target %+v", r.Target)
	}
	if r := row(cmdDestroy, overheadTargetN, 7, 5); r.Target != nil {
		t.Errorf("destroy has a target: %+v", r.Target)
	}
	if r := row(cmdApply, 100, 7, 5); r.Target != nil {
		t.Errorf("apply at N=100 has a target: %+v", r.Target)
	}
}

package main

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/ncp-community/terraform-provider-ncp/internal/emulator"
)

func TestByRoute(t *testing.T) {
	minimum := routeCounts{emulator.RouteKeyProducts: 2, emulator.RouteDelete: 2, emulator.RouteGet: 2}
	measured := routeCounts{emulator.RouteGet: 3, emulator.RouteDelete: 2, emulator.RouteKeyProducts: 2, "teleport": 1}
	if got := byRoute(minimum, measured); got != "get 3/2, delete 2/2, key-products 2/2, teleport 1/0" {
		t.Errorf("byRoute = %q", got)
	}
}

func TestParseGoBench(t *testing.T) {
	names, samples, err := parseGoBench(`goos: linux
BenchmarkDecodeAPIKeyPage-2   	     100	   1100800 ns/op	  23.47 MB/s	   58624 B/op	     716 allocs/op
BenchmarkSign-2               	   33558	      3272 ns/op	     736 B/op	      16 allocs/op
BenchmarkSign-2               	   33558	      3000 ns/op	     736 B/op	      16 allocs/op
--- FAIL: BenchmarkBroken
PASS
`)
	if err != nil || !slices.Equal(names, []string{"BenchmarkDecodeAPIKeyPage-2", "BenchmarkSign-2"}) {
		t.Fatalf("parseGoBench = %v, %v", names, err)
	}
	if s := samples["BenchmarkSign-2"]; !slices.Equal(s["ns/op"], []float64{3272, 3000}) || !slices.Equal(s["allocs/op"], []float64{16, 16}) {
		t.Errorf("BenchmarkSign samples = %v", s)
	}
	if s := samples["BenchmarkDecodeAPIKeyPage-2"]["MB/s"]; !slices.Equal(s, []float64{23.47}) {
		t.Errorf("BenchmarkDecodeAPIKeyPage MB/s = %v", s)
	}
}

func TestProviderWrapperRunsTheProviderUnderGNUTime(t *testing.T) {
	tmp := t.TempDir()
	fakeTime := filepath.Join(tmp, "time") // writes its arguments to the -o file
	if err := os.WriteFile(fakeTime, []byte("#!/bin/sh\necho \"$@\" > \"$5\"\n"), 0o700); err != nil {
		t.Fatal(err)
	}
	rc, err := writeProviderWrappers(tmp, fakeTime, map[string]string{"terraform-provider-x": "/opt/x provider"})
	if config, _ := os.ReadFile(rc); err != nil || !strings.Contains(string(config), `"hashicorp/time"    = "`+tmp+`"`) {
		t.Fatalf("writeProviderWrappers: %v; CLI config:\n%s", err, config)
	}
	rss := filepath.Join(tmp, "rss")
	cmd := exec.Command(filepath.Join(tmp, "terraform-provider-x"), "-a b", "c")
	cmd.Env = []string{"BENCH_PROVIDER_RSS=" + rss}
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("wrapper: %v: %s", err, out)
	}
	if got, _ := os.ReadFile(rss); string(got) != "-f %M -a -o "+rss+" /opt/x provider -a b c\n" {
		t.Errorf("GNU time got %q", got)
	}
}

func TestProviderPeakKiB(t *testing.T) {
	path := filepath.Join(t.TempDir(), "rss")
	if kib, err := providerPeakKiB(path); err != nil || kib != 0 {
		t.Errorf("no file: %d, %v; want 0 (no provider ran)", kib, err)
	}
	if err := os.WriteFile(path, []byte("1000\nCommand exited with non-zero status 1\n3000\n2000\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if kib, err := providerPeakKiB(path); err != nil || kib != 3000 {
		t.Errorf("providerPeakKiB = %d, %v; want 3000", kib, err)
	}
}

func TestParseOptions(t *testing.T) {
	parse := func(env map[string]string, args ...string) (options, error) {
		return parseOptions(append([]string{"-time-provider", "t"}, args...), func(k string) string { return env[k] })
	}
	if o, err := parse(nil, "-mode", "smoke"); err != nil || o.Runs != 1 || !slices.Equal(o.OverheadN, []int{10}) || o.ScaleKeys != 500 || !filepath.IsAbs(o.terraform) {
		t.Errorf("smoke: %+v, %v", o, err)
	}
	if o, err := parse(nil, "-mode", "scale", "-store-key-values=false", "-run", "^scaling"); err != nil ||
		o.OverheadN != nil || !slices.Equal(o.ScalingN, []int{5000}) || o.StoreKeyValues || o.only.MatchString("scale") {
		t.Errorf("scale without key values: %+v, %v", o, err)
	}
	if o, err := parse(map[string]string{"BENCH_RUNS": "5", "BENCH_TERRAFORM": "/bin/true"}); err != nil || o.Runs != 5 || o.Mode != "full" || !o.StoreKeyValues || o.terraform != "/bin/true" {
		t.Errorf("BENCH_RUNS=5, BENCH_TERRAFORM=/bin/true: %+v, %v", o, err)
	}
	for _, bad := range []map[string]string{{"BENCH_RUNS": "0"}, {"BENCH_TERRAFORM": "/no/such/terraform"}} {
		if _, err := parse(bad); err == nil {
			t.Errorf("%v was accepted", bad)
		}
	}
	if _, err := parse(nil, "-mode", "fast"); err == nil {
		t.Error("-mode fast was accepted")
	}
}

// lifecycleOf is a lifecycle whose commands each take wall seconds, use
// twice as much CPU, and peak at peakMiB.
func lifecycleOf(wall, peakMiB float64) []sample {
	s := sample{WallS: wall, CPUS: 2 * wall, PeakMiB: peakMiB, ProviderPeakMiB: peakMiB / 4}
	return []sample{s, s, s}
}

func TestLifecycleRows(t *testing.T) {
	r := newReport(settings{Runs: 1})
	addLifecycleRows(r, 500, map[string][][]sample{kindNCP: {lifecycleOf(3, 100)}, kindTimeStatic: {lifecycleOf(2, 80)}, kindTerraformData: {lifecycleOf(1, 60)}})
	addLifecycleRows(r, 2000, map[string][][]sample{kindNCP: {lifecycleOf(4, 200), lifecycleOf(3, 100), lifecycleOf(5, 300)}, kindTimeStatic: {lifecycleOf(5, 160)}})
	var out bytes.Buffer
	r.print(&out)
	for _, want := range []string{
		"| apply, N=500          | 3.00 s | 2.00 s      | 1.00 s         | 1.50×                | 3.00×                   | ≤ 1.2× time_static | **no** |",
		"| destroy, N=500        | 6.00 s | 4.00 s      | 2.00 s         | 1.50×                |",
		"| 500  | 9.00 s / 6.00 s         | 1.50× | 18.00 s / 12.00 s      | 1.50× | 100 / 80                    | 25 / 20 ",
		"| 2000 | 12.00 s / 15.00 s       | 0.80× | 24.00 s / 30.00 s      | 0.80× | 200 / 160                   | 50 / 40 ",
	} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("the tables lack\n%s\nin\n%s", want, out.String())
		}
	}
	if strings.Contains(out.String(), "N=2000") {
		t.Errorf("the overhead tables show N=2000, which ran no terraform_data:\n%s", out.String())
	}
}

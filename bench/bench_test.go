package main

import (
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"runtime"
	"strings"
	"testing"

	"github.com/ncp-community/terraform-provider-ncp/internal/emulator"
)

func TestCheckRequests(t *testing.T) {
	h := &harness{report: newReport(options{}, "")}
	minimum := routeCounts{emulator.RouteKeyProducts: 2, emulator.RouteDelete: 2, emulator.RouteGet: 2}
	h.checkRequests("same", 1, minimum, minimum)
	h.checkRequests("same, run 2", 2, minimum, minimum) // not repeated
	h.checkRequests("more", 2, minimum, routeCounts{emulator.RouteGet: 3, emulator.RouteDelete: 1, "teleport": 2})
	want := [][]string{{"same", "6 / 6", "get 2/2, delete 2/2, key-products 2/2", "yes"},
		{"more (run 2)", "6 / 6", "teleport 2/0, get 3/2, delete 1/2, key-products 0/2", "**no**"}}
	if !reflect.DeepEqual(h.report.requests.Rows, want) || len(h.report.Failures) != 1 {
		t.Errorf("rows %q, failures %q", h.report.requests.Rows, h.report.Failures)
	}
}

// The minimums follow the page size: a refresh lists ceil(N / 100) pages,
// a destroy adds a read and a delete per key and the list page that proves
// the endpoint at its first "not found".
func TestMinimums(t *testing.T) {
	for _, tc := range []struct {
		n                int
		refresh, destroy routeCounts
	}{
		{1, routeCounts{emulator.RouteList: 1}, routeCounts{emulator.RouteList: 2, emulator.RouteGet: 1, emulator.RouteDelete: 1}},
		{100, routeCounts{emulator.RouteList: 1}, routeCounts{emulator.RouteList: 2, emulator.RouteGet: 100, emulator.RouteDelete: 100}},
		{101, routeCounts{emulator.RouteList: 2}, routeCounts{emulator.RouteList: 3, emulator.RouteGet: 101, emulator.RouteDelete: 101}},
		{2000, routeCounts{emulator.RouteList: 20}, routeCounts{emulator.RouteList: 21, emulator.RouteGet: 2000, emulator.RouteDelete: 2000}},
	} {
		if got := refreshMinimum(tc.n, nil); !reflect.DeepEqual(got, tc.refresh) {
			t.Errorf("refreshMinimum(%d) = %v, want %v", tc.n, got, tc.refresh)
		}
		if got := destroyMinimum(tc.n); !reflect.DeepEqual(got, tc.destroy) {
			t.Errorf("destroyMinimum(%d) = %v, want %v", tc.n, got, tc.destroy)
		}
	}
}

func TestGoBenchRows(t *testing.T) {
	rows, err := goBenchRows(`goos: linux
BenchmarkDecodeAPIKeyPage-2   	     100	   1100800 ns/op	  23.47 MB/s	   58624 B/op	     716 allocs/op
BenchmarkSign-2               	   33558	      3272 ns/op	     736 B/op	      16 allocs/op
BenchmarkSign-2               	   33558	      3000 ns/op	     736 B/op	      16 allocs/op
--- FAIL: BenchmarkBroken
PASS
`, []string{"ns/op", "allocs/op", "MB/s"})
	want := [][]string{{"BenchmarkDecodeAPIKeyPage-2", "1.1008e+06", "716", "23.47"}, {"BenchmarkSign-2", "3136", "16", "—"}}
	if err != nil || !reflect.DeepEqual(rows, want) {
		t.Errorf("goBenchRows = %q, %v; want %q", rows, err, want)
	}
}

// A fake GNU time records its arguments beside the file after -o, where it
// writes numbers as GNU time does; usageOf reads them.
// The terraform wrapper exits with terraform's status.
func TestWrappersAndUsage(t *testing.T) {
	tmp := t.TempDir()
	fakeTime := filepath.Join(tmp, "fake-time")
	if err := os.WriteFile(fakeTime, []byte(`#!/bin/sh
all="$*"
while [ "$1" != -o ]; do shift; done
echo "$all" >"$2.args"
printf '3000\n2000\n' >>"$2"
exit 3
`), 0o700); err != nil {
		t.Fatal(err)
	}
	wrapper, rc, err := writeWrappers(tmp, fakeTime, "../scripts/dev-overrides.sh", "/opt/terraform", map[string]string{"example/x": "/opt/x provider"})
	if err != nil {
		t.Fatal(err)
	}
	if config, _ := os.ReadFile(rc); !strings.Contains(string(config), fmt.Sprintf("%q = %q", "example/x", tmp)) {
		t.Errorf("the CLI config does not override example/x with %s:\n%s", tmp, config)
	}
	if target, err := os.Readlink(filepath.Join(tmp, "mirror", "registry.terraform.io", "example", "x", "1.0.0", runtime.GOOS+"_"+runtime.GOARCH, "terraform-provider-x")); err != nil || target != filepath.Join(tmp, "terraform-provider-x") {
		t.Errorf("the mirror's entry points at %q (%v), not the wrapper", target, err)
	}
	usage := filepath.Join(tmp, "usage")
	for _, c := range []struct{ script, want string }{
		{filepath.Join(tmp, "terraform-provider-x"), "-q -f %M -a -o " + usage + " /opt/x provider -a b c\n"},
		{wrapper, "-q -f %U %S %M -o " + usage + " /opt/terraform -a b c\n"},
	} {
		cmd := exec.Command(c.script, "-a b", "c")
		cmd.Env = []string{"BENCH_PROVIDER_RSS=" + usage, "BENCH_TERRAFORM_USAGE=" + usage}
		if err := cmd.Run(); cmd.ProcessState.ExitCode() != 3 {
			t.Errorf("%s: %v, want exit status 3", c.script, err)
		}
		if got, _ := os.ReadFile(usage + ".args"); string(got) != c.want {
			t.Errorf("GNU time got %q, want %q", got, c.want)
		}
		if numbers, err := usageOf(usage); err != nil || !reflect.DeepEqual(numbers, []float64{3000, 2000}) {
			t.Errorf("usageOf = %v, %v; want 3000 and 2000", numbers, err)
		}
	}
	if numbers, err := usageOf(usage); err != nil || numbers != nil { // no file: no process ran
		t.Errorf("usageOf = %v, %v; want nothing", numbers, err)
	}
}

func TestParseOptions(t *testing.T) {
	o, err := parseOptions([]string{"-time-provider", "t", "-mode", "smoke", "-runs", "5", "-terraform", "/bin/true", "-store-key-values=false", "-run", "^scale$"})
	if err != nil || o.Runs != 5 || o.ScaleKeys != 500 || o.StoreKeyValues || o.terraform != "/bin/true" || o.only.MatchString("scaling") {
		t.Errorf("%+v, %v", o, err)
	}
	for _, bad := range [][]string{{"-runs", "-1"}, {"-terraform", "/no/such/terraform"}, {"-mode", "fast"}, {"-run", "("}} {
		if _, err := parseOptions(append([]string{"-time-provider", "t"}, bad...)); err == nil {
			t.Errorf("%q was accepted", bad)
		}
	}
}

// lifecycleOf is a lifecycle whose commands each take wall seconds, use
// twice as much CPU, and peak at peakMiB.
func lifecycleOf(wall, peakMiB float64) []sample {
	s := sample{WallS: wall, CPUS: 2 * wall, PeakMiB: peakMiB, ProviderPeakMiB: peakMiB / 4, StateBytes: int(peakMiB) * 1000}
	return []sample{s, s, s}
}

func TestLifecycleRows(t *testing.T) {
	r := newReport(options{Runs: 1}, "")
	addLifecycleRows(r, 500, "local file", map[string][][]sample{kindNCP: {lifecycleOf(3, 100)}, kindTimeStatic: {lifecycleOf(2, 80)}, kindTerraformData: {lifecycleOf(1, 60)}})
	addLifecycleRows(r, 2000, "http backend", map[string][][]sample{kindNCP: {lifecycleOf(4, 200), lifecycleOf(3, 100), lifecycleOf(5, 300)}, kindTimeStatic: {lifecycleOf(5, 160)}})
	var out strings.Builder
	r.print(&out)
	for _, want := range []string{
		"| apply, N=500 | 3.00 s | 2.00 s | 1.00 s | 1.50× | 3.00× | ≤ 1.2× time_static | **no** |\n",
		"| destroy, N=500 | 6.00 s | 4.00 s | 2.00 s | 1.50× |\n",
		"| 500 | local file | 9.00 s / 6.00 s | 1.50× | 18.00 s / 12.00 s | 1.50× | 100 / 80 | 25 / 20 | 200 / 160 |\n",
		"| 2000 | http backend | 12.00 s / 15.00 s | 0.80× | 24.00 s / 30.00 s | 0.80× | 200 / 160 | 50 / 40 | 100 / 80 |\n",
	} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("the tables lack\n%s\nin\n%s", want, out.String())
		}
	}
	if strings.Contains(out.String(), "N=2000") {
		t.Errorf("the overhead tables show N=2000, which ran no terraform_data:\n%s", out.String())
	}
}

func TestStateStore(t *testing.T) {
	s := startStateStore()
	defer s.Close()
	url := s.URL + "/w-1"
	request := func(method, body string) (int, string) {
		req, _ := http.NewRequest(method, url, strings.NewReader(body))
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	if code, _ := request(http.MethodGet, ""); code != http.StatusNotFound {
		t.Errorf("GET before any state: %d, want 404", code)
	}
	request(http.MethodPost, `{"serial":1}`)
	if code, body := request(http.MethodGet, ""); code != http.StatusOK || body != `{"serial":1}` || s.stateBytes("/tmp/w-1") != len(body) {
		t.Errorf("GET after POST: %d %q, %d bytes", code, body, s.stateBytes("/tmp/w-1"))
	}
	request(http.MethodDelete, "")
	if code, _ := request(http.MethodGet, ""); code != http.StatusNotFound || s.stateBytes("/tmp/w-1") != 0 || s.where() != "http backend" {
		t.Errorf("GET after DELETE: %d, %d bytes, %q", code, s.stateBytes("/tmp/w-1"), s.where())
	}
	if !strings.Contains(s.backendConfig("w-1"), `address = "`+url+`"`) {
		t.Errorf("backend block %q does not point at %s", s.backendConfig("w-1"), url)
	}
}

// A nil store is the local file in the workspace.
func TestLocalState(t *testing.T) {
	var local *stateStore
	dir := t.TempDir()
	if local.where() != "local file" || local.stateBytes(dir) != 0 {
		t.Errorf("no state yet: %q, %d bytes", local.where(), local.stateBytes(dir))
	}
	if err := os.WriteFile(filepath.Join(dir, "terraform.tfstate"), []byte(`{"version":4}`), 0o600); err != nil {
		t.Fatal(err)
	}
	if got := local.stateBytes(dir); got != len(`{"version":4}`) {
		t.Errorf("stateBytes = %d, want the file's size", got)
	}
}

package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"time"
)

// report is what one run found, written to results.json.
type report struct {
	Date      string            `json:"date"`
	Machine   map[string]string `json:"machine"`
	Settings  options           `json:"settings"`
	Tables    []*table          `json:"tables"`
	Samples   []sample          `json:"samples"`
	Failures  []string          `json:"failures"`
	DurationS float64           `json:"duration_s"`
	// The tables the measures fill, in the order printed.
	overhead, cpu, scaling, refresh, requests, latency, rateLimit, scale, goBench *table
}

type table struct {
	Title  string     `json:"title"`
	Header []string   `json:"header"`
	Rows   [][]string `json:"rows"`
}

func newReport(s options, terraformVersion string) *report {
	machine := map[string]string{"cores": strconv.Itoa(runtime.NumCPU()), "go": runtime.Version(), "terraform": terraformVersion}
	r := &report{Date: time.Now().UTC().Format(time.RFC3339), Machine: machine, Settings: s, Failures: []string{}}
	add := func(title string, header ...string) *table {
		r.Tables = append(r.Tables, &table{Title: title, Header: header})
		return r.Tables[len(r.Tables)-1]
	}
	r.overhead = add(fmt.Sprintf("Overhead (median of %d run(s), -parallelism=%d):", s.Runs, parallelism),
		"measure", "ncp", "time_static", "terraform_data", "ratio vs time_static", "ratio vs terraform_data", "target", "met?")
	r.cpu = add("CPU time of the same commands (user + system of Terraform and the providers it ran, median):",
		"measure", "ncp", "time_static", "terraform_data", "ratio vs time_static")
	r.scaling = add(fmt.Sprintf("Scaling (apply + no-change plan + destroy, median of %d run(s); CPU as above; peak: the largest RSS\n"+
		"of the three commands, of Terraform and any process it waited for (wait4), and of a provider alone (GNU time);\n"+
		"state: where Terraform kept it, and its size after the apply divided by N):", s.Runs),
		"N", "state", "wall, ncp / time_static", "ratio", "CPU, ncp / time_static", "ratio", "peak MiB, ncp / time_static",
		"provider peak MiB, ncp / time_static", "state bytes per resource, ncp / time_static")
	r.refresh = add(fmt.Sprintf("Refresh (no-change plan of N keys that are all the account holds, median of %d run(s), -parallelism=%d; "+
		"quota: %d requests/s, burst %d, HTTP 429 beyond; time_static without one):", s.Runs, parallelism, rateLimit, rateBurst),
		"measure", "ncp", "time_static", "ratio", "requests, measured / minimum", "target", "met?")
	r.requests = add("API requests (from the emulator's counters, reset before each command):",
		"command", "measured / minimum", "by route (measured/minimum)", "met?")
	r.latency = add("Latency (floor = ceil(N / parallelism) × 2 requests a key × latency + time_static apply at the same N):", "measure", "measured", "floor", "ratio")
	r.rateLimit = add(fmt.Sprintf("Rate limit (%d requests/s, burst %d, HTTP 429 beyond; apply of N=%d):", rateLimit, rateBurst, s.RateN),
		"measure", "measured", "target", "met?")
	r.scale = add(fmt.Sprintf("Scale (%d seeded keys, emulator page size %d; plan of the list data source, "+
		"terraform query of the list resource with limit = %[1]d):", s.ScaleKeys, pageSize), "measure", "measured", "target", "met?")
	r.goBench = add(fmt.Sprintf("Go micro-benchmarks (median of %d; go %s):", goBenchCount, strings.Join(goBenchArgs(s), " ")),
		"benchmark", "ns/op", "B/op", "allocs/op", "MB/s")
	return r
}

func (t *table) add(cells ...string) { t.Rows = append(t.Rows, cells) }

func (r *report) print(w io.Writer) {
	if r.Settings.Mode == "smoke" {
		fmt.Fprint(w, "Smoke run: small sizes, 1 run; its wall times are not comparable to the targets.\n\n")
	}
	if !r.Settings.StoreKeyValues {
		fmt.Fprint(w, "The keys of the lifecycles, latency and rate limit have store_key_values = false.\n\n")
	}
	for _, t := range r.Tables {
		if len(t.Rows) > 0 {
			fmt.Fprintf(w, "%s\n\n| %s |\n|%s\n", t.Title, strings.Join(t.Header, " | "), strings.Repeat(" --- |", len(t.Header)))
			for _, row := range t.Rows {
				fmt.Fprintf(w, "| %s |\n", strings.Join(row, " | "))
			}
			fmt.Fprintln(w)
		}
	}
	if len(r.Failures) > 0 {
		fmt.Fprintln(w, "Failures:")
		for _, f := range r.Failures {
			fmt.Fprintln(w, "  - "+strings.ReplaceAll(f, "\n", "\n    "))
		}
		fmt.Fprintln(w)
	}
}

func (r *report) write(path string) error {
	b, err := json.MarshalIndent(r, "", "  ")
	if err == nil {
		err = errors.Join(os.MkdirAll(filepath.Dir(path), 0o755), os.WriteFile(path, append(b, '\n'), 0o644))
	}
	return err
}

func secs(s float64) string  { return fmt.Sprintf("%.2f s", s) }
func times(r float64) string { return fmt.Sprintf("%.2f×", r) }

func yesNo(met bool) string {
	if met {
		return "yes"
	}
	return "**no**"
}

// medianOf is the median of f: one slow run of a noisy machine barely moves it.
func medianOf[T any](samples []T, f func(T) float64) float64 {
	var values []float64
	for _, s := range samples {
		values = append(values, f(s))
	}
	if len(values) == 0 {
		return 0
	}
	slices.Sort(values)
	return (values[(len(values)-1)/2] + values[len(values)/2]) / 2
}

// ratio is a/b, or 0 when there is no baseline to divide by.
func ratio(a, b float64) float64 {
	if b <= 0 {
		return 0
	}
	return a / b
}

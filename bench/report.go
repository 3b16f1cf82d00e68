package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"
)

// report is everything one run found: the tables it prints and every
// sample they come from. It is written to results.json.
type report struct {
	Date      string            `json:"date"`
	Machine   map[string]string `json:"machine"`
	Settings  settings          `json:"settings"`
	Tables    []*table          `json:"tables"`
	Samples   []sample          `json:"samples"`
	GoBench   string            `json:"go_bench_output,omitempty"`
	Failures  []string          `json:"failures"`
	DurationS float64           `json:"duration_s"`
}

// table is a Markdown table, padded so that it also reads well in a
// terminal and can be pasted into the docs as it is.
type table struct {
	Title  string     `json:"title"`
	Header []string   `json:"header"`
	Rows   [][]string `json:"rows"`
}

// table returns the report's table with this title, added after the
// others when it is new: the measures fill theirs in the report's order.
func (r *report) table(title string, header ...string) *table {
	for _, t := range r.Tables {
		if t.Title == title {
			return t
		}
	}
	t := &table{Title: title, Header: header}
	r.Tables = append(r.Tables, t)
	return t
}

func (t *table) add(cells ...string) { t.Rows = append(t.Rows, cells) }

func (t *table) render(w io.Writer) {
	fmt.Fprintf(w, "%s\n\n", t.Title)
	rule := make([]string, len(t.Header))
	for _, row := range append([][]string{t.Header}, t.Rows...) {
		for i, cell := range row {
			rule[i] = strings.Repeat("-", max(len(rule[i]), utf8.RuneCountInString(cell)))
		}
	}
	for _, row := range append([][]string{t.Header, rule}, t.Rows...) {
		for i, cell := range row {
			fmt.Fprintf(w, "| %s%s ", cell, strings.Repeat(" ", len(rule[i])-utf8.RuneCountInString(cell)))
		}
		fmt.Fprintln(w, "|")
	}
	fmt.Fprintln(w)
}

func (r *report) print(w io.Writer) {
	if r.Settings.Mode == "smoke" {
		fmt.Fprint(w, "Smoke run: small sizes, 1 run; its wall times are not comparable to the targets.\n\n")
	}
	if !r.Settings.StoreKeyValues {
		fmt.Fprint(w, "The keys of the lifecycles, latency and rate limit have store_key_values = false.\n\n")
	}
	for _, t := range r.Tables {
		if len(t.Rows) > 0 {
			t.render(w)
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

// write saves the report as indented JSON.
func (r *report) write(dir string) (string, error) {
	b, err := json.MarshalIndent(r, "", "  ")
	path := filepath.Join(dir, "results.json")
	if err == nil {
		err = errors.Join(os.MkdirAll(dir, 0o755), os.WriteFile(path, append(b, '\n'), 0o644))
	}
	return path, err
}

func secs(s float64) string  { return fmt.Sprintf("%.2f s", s) }
func times(r float64) string { return fmt.Sprintf("%.2f×", r) }

func yesNo(met bool) string {
	if met {
		return "yes"
	}
	return "**no**"
}

// median is the middle of the values (the mean of the two middle ones for
// an even count), which one slow run of a noisy machine cannot move much.
func median(values []float64) float64 {
	if len(values) == 0 {
		return 0
	}
	s := slices.Sorted(slices.Values(values))
	return (s[(len(s)-1)/2] + s[len(s)/2]) / 2
}

// medianOf is the median of f over the samples.
func medianOf[T any](samples []T, f func(T) float64) float64 {
	var values []float64
	for _, s := range samples {
		values = append(values, f(s))
	}
	return median(values)
}

// ratio is a/b, or 0 when there is no baseline to divide by.
func ratio(a, b float64) float64 {
	if b <= 0 {
		return 0
	}
	return a / b
}

// describeMachine says where the numbers come from: they mean little
// without the cores, memory and versions that produced them.
func describeMachine(ctx context.Context) map[string]string {
	m := map[string]string{"cores": strconv.Itoa(runtime.NumCPU()), "os": runtime.GOOS + "/" + runtime.GOARCH, "go": runtime.Version()}
	for _, file := range []string{"/proc/cpuinfo", "/proc/meminfo"} { // none on macOS
		b, _ := os.ReadFile(file)
		if match := regexp.MustCompile(`(?m)^(model name|MemTotal)\s*:\s*(.+)$`).FindStringSubmatch(string(b)); match != nil {
			m[match[1]] = match[2]
		}
	}
	out, _ := exec.CommandContext(ctx, "terraform", "version").Output()
	m["terraform"], _, _ = strings.Cut(string(out), "\n")
	return m
}

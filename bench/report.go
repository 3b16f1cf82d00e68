package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"unicode/utf8"
)

// report is everything one run found: the tables it prints and every
// sample they come from. It is written to results.json.
type report struct {
	Date      string   `json:"date"`
	Machine   machine  `json:"machine"`
	Settings  settings `json:"settings"`
	Tables    []*table `json:"tables"`
	Samples   []sample `json:"samples"`
	GoBench   string   `json:"go_bench_output,omitempty"`
	Failures  []string `json:"failures"`
	DurationS float64  `json:"duration_s"`
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
	if r.Settings.Mode == modeSmoke {
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
		err = os.MkdirAll(dir, 0o755)
	}
	if err == nil {
		err = os.WriteFile(path, append(b, '\n'), 0o644)
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

// machine says where the numbers come from: they mean little without the
// cores, memory and versions that produced them.
type machine struct {
	CPU       string `json:"cpu"`
	Cores     int    `json:"cores"`
	Memory    string `json:"memory"`
	OS        string `json:"os"`
	Go        string `json:"go"`
	Terraform string `json:"terraform"`
}

func describeMachine(ctx context.Context) machine {
	m := machine{CPU: procField("/proc/cpuinfo", "model name"), Cores: runtime.NumCPU(),
		Memory: procField("/proc/meminfo", "MemTotal"), OS: runtime.GOOS + "/" + runtime.GOARCH, Go: runtime.Version()}
	cmd := exec.CommandContext(ctx, "terraform", "version", "-json")
	cmd.Env = terraformEnv(os.Environ())
	out, _ := cmd.Output()
	var v struct {
		Version string `json:"terraform_version"`
	}
	_ = json.Unmarshal(out, &v)
	m.Terraform = v.Version
	return m
}

// procField returns the value of the first "name: value" line of a /proc
// file; nothing where there is none (macOS).
func procField(path, name string) string {
	b, _ := os.ReadFile(path)
	for line := range strings.Lines(string(b)) {
		if k, v, ok := strings.Cut(line, ":"); ok && strings.TrimSpace(k) == name {
			return strings.TrimSpace(v)
		}
	}
	return ""
}

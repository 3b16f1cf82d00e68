package main

import (
	"fmt"
	"io"
	"strings"
	"unicode/utf8"
)

// table is a Markdown table, padded so that it also reads well in a
// terminal and can be pasted into contributing/performance.md as it is.
type table struct {
	header []string
	rows   [][]string
}

func (t *table) add(cells ...string) { t.rows = append(t.rows, cells) }

func (t *table) render(w io.Writer) {
	widths := make([]int, len(t.header))
	for _, row := range append([][]string{t.header}, t.rows...) {
		for i, cell := range row {
			widths[i] = max(widths[i], utf8.RuneCountInString(cell))
		}
	}
	line := func(cells []string) {
		for i, cell := range cells {
			fmt.Fprintf(w, "| %s%s ", cell, strings.Repeat(" ", widths[i]-utf8.RuneCountInString(cell)))
		}
		fmt.Fprintln(w, "|")
	}
	line(t.header)
	rule := make([]string, len(widths))
	for i, n := range widths {
		rule[i] = strings.Repeat("-", n)
	}
	line(rule)
	for _, row := range t.rows {
		line(row)
	}
	fmt.Fprintln(w)
}

func secs(s float64) string  { return fmt.Sprintf("%.2f s", s) }
func times(r float64) string { return fmt.Sprintf("%.2f×", r) }

func yesNo(met bool) string {
	if met {
		return "yes"
	}
	return "**no**"
}

// print writes every table of the report.
func (r *report) print(w io.Writer) {
	if r.Settings.Smoke {
		fmt.Fprintln(w, "Smoke run: small sizes, 1 run; its wall times are not comparable to the targets.")
		fmt.Fprintln(w)
	}
	r.printOverhead(w)
	r.printRequests(w)
	r.printLatency(w)
	r.printRateLimit(w)
	r.printScale(w)
	r.printGoBench(w)
	if len(r.Failures) > 0 {
		fmt.Fprintln(w, "Failures:")
		for _, f := range r.Failures {
			fmt.Fprintln(w, "  - "+strings.ReplaceAll(f, "\n", "\n    "))
		}
		fmt.Fprintln(w)
	}
}

func (r *report) printOverhead(w io.Writer) {
	fmt.Fprintf(w, "Overhead (median of %d run(s), -parallelism=%d):\n\n", r.Settings.Runs, r.Settings.Parallelism)
	t := table{header: []string{"measure", "ncp", "time_static", "terraform_data",
		"ratio vs time_static", "ratio vs terraform_data", "target", "met?"}}
	for _, row := range r.Overhead {
		goal, met := "—", "—"
		if row.Target != nil {
			goal, met = row.Target.Goal, yesNo(row.Target.Met)
		}
		t.add(fmt.Sprintf("%s, N=%d", row.Command, row.N),
			secs(row.Medians[kindNCP]), secs(row.Medians[kindTimeStatic]), secs(row.Medians[kindTerraformData]),
			times(row.RatioTimeStatic), times(row.RatioTerraformData), goal, met)
	}
	t.render(w)

	fmt.Fprintln(w, "CPU time of the same commands (user + system of Terraform and the providers it ran, median):")
	fmt.Fprintln(w)
	t = table{header: []string{"measure", "ncp", "time_static", "terraform_data", "ratio vs time_static"}}
	for _, row := range r.Overhead {
		cpu := row.CPUMedians
		t.add(fmt.Sprintf("%s, N=%d", row.Command, row.N), secs(cpu[kindNCP]), secs(cpu[kindTimeStatic]),
			secs(cpu[kindTerraformData]), times(ratio(cpu[kindNCP], cpu[kindTimeStatic])))
	}
	t.render(w)
}

func (r *report) printRequests(w io.Writer) {
	fmt.Fprintln(w, "API requests (from the emulator's counters, reset before each command):")
	fmt.Fprintln(w)
	t := table{header: []string{"command", "measured / minimum", "by route (measured/minimum)", "met?"}}
	for _, c := range r.Requests {
		t.add(c.Name, fmt.Sprintf("%d / %d", c.Measured.total(), c.Minimum.total()), c.byRoute(), yesNo(c.Met))
	}
	t.render(w)
}

func (r *report) printLatency(w io.Writer) {
	l := r.Latency
	if l == nil {
		return
	}
	fmt.Fprintln(w, "Latency (floor = ceil(N / parallelism) × latency + time_static apply at the same N):")
	fmt.Fprintln(w)
	t := table{header: []string{"measure", "measured", "floor", "ratio"}}
	t.add(fmt.Sprintf("apply, N=%d, %.0f ms latency, -parallelism=%d", l.N, l.LatencyS*1000, l.Parallelism),
		secs(l.Apply),
		fmt.Sprintf("%s = %.2f s + %.2f s", secs(l.Floor), l.Floor-l.TimeStaticApply, l.TimeStaticApply),
		times(l.Ratio))
	t.render(w)
}

func (r *report) printRateLimit(w io.Writer) {
	l := r.RateLimit
	if l == nil {
		return
	}
	fmt.Fprintf(w, "Rate limit (%d requests/s, burst %d, HTTP 429 beyond; apply of N=%d):\n\n", l.RateLimit, l.RateBurst, l.N)
	t := table{header: []string{"measure", "measured", "target", "met?"}}
	t.add("apply wall time (median)", secs(l.Wall),
		fmt.Sprintf("≤ %s (%.2f × %.1f s quota floor)", secs(l.MaxWall), rateLimitWallFactor, l.QuotaFloor), yesNo(l.WallMet))
	t.add("requests answered 429 (median share)", fmt.Sprintf("%.1f%% (429s per run: %v of %v requests)",
		100*l.ThrottledShare, l.ThrottledSamples, l.RequestSamples), fmt.Sprintf("≤ %.0f%%", 100*rateLimitMaxShare), yesNo(l.ThrottledShareMet))
	t.add("errors (answers neither 2xx nor 429, all runs)", fmt.Sprint(l.Errors), "0", yesNo(l.ErrorsMet))
	t.render(w)
}

func (r *report) printScale(w io.Writer) {
	s := r.Scale
	if s == nil {
		return
	}
	fmt.Fprintf(w, "Scale (plan of the list data source over %d seeded keys, emulator page size %d):\n\n", s.Keys, s.PageSize)
	t := table{header: []string{"measure", "measured", "target", "met?"}}
	t.add("plan wall time (median)", secs(s.Wall), fmt.Sprintf("< %s", secs(scaleMaxWall.Seconds())), yesNo(s.WallMet))
	t.add("list requests", fmt.Sprintf("%d / %d", s.ListRequests, s.MinListRequests), "the minimum", yesNo(s.ListRequests == s.MinListRequests))
	t.add("provider peak RSS (median)", fmt.Sprintf("%.0f MB", s.PeakRSS), fmt.Sprintf("< %d MB", scaleMaxRSSMB), yesNo(s.PeakRSSMet))
	t.render(w)
}

func (r *report) printGoBench(w io.Writer) {
	g := r.GoBench
	if g == nil {
		return
	}
	fmt.Fprintf(w, "Go micro-benchmarks (median of %d; %s):\n\n", r.Settings.GoBenchCount, g.Command)
	t := table{header: []string{"benchmark", "ns/op", "B/op", "allocs/op", "MB/s"}}
	for _, b := range g.Benchmarks {
		cell := func(unit string) string {
			if v, ok := b.Medians[unit]; ok {
				return fmt.Sprintf("%.6g", v)
			}
			return "—"
		}
		t.add(b.Name, cell("ns/op"), cell("B/op"), cell("allocs/op"), cell("MB/s"))
	}
	t.render(w)
}

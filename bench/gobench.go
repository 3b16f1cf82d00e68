package main

import (
	"bytes"
	"context"
	"fmt"
	"os/exec"
	"strconv"
	"strings"

	"golang.org/x/perf/benchfmt"
)

// goBenchArgs runs the client's micro-benchmarks: request signing and page
// decoding are its only CPU-bound work.
func goBenchArgs(s settings) []string {
	args := []string{"test", "-run", "^$", "-bench", ".", "-benchmem", "-count", strconv.Itoa(goBenchCount)}
	if s.GoBenchTime != "" {
		args = append(args, "-benchtime", s.GoBenchTime)
	}
	return append(args, "./internal/ncpclient/")
}

// goBench runs them and reports the median of each figure.
func (h *harness) goBench(ctx context.Context) error {
	args := goBenchArgs(h.settings)
	var out bytes.Buffer
	cmd := exec.CommandContext(ctx, "go", args...)
	cmd.Stdout, cmd.Stderr = &out, &out
	err := cmd.Run()
	h.report.GoBench = out.String()
	if err != nil {
		return fmt.Errorf("go %s: %w:\n%s", strings.Join(args, " "), err, tail(out.String(), 30))
	}
	names, samples, err := parseGoBench(out.String())
	for _, name := range names {
		row := []string{name}
		for _, unit := range h.report.goBench.Header[1:] {
			cell := "—"
			if s, ok := samples[name][unit]; ok {
				cell = fmt.Sprintf("%.6g", medianOf(s, func(v float64) float64 { return v }))
			}
			row = append(row, cell)
		}
		h.report.goBench.add(row...)
	}
	if err == nil && len(names) == 0 {
		err = fmt.Errorf("go %s ran no benchmark", strings.Join(args, " "))
	}
	return err
}

// parseGoBench reads `go test -bench` output with benchfmt: the benchmarks
// in the order they first appear, and their samples by unit as printed.
func parseGoBench(output string) (names []string, samples map[string]map[string][]float64, err error) {
	samples = map[string]map[string][]float64{}
	r := benchfmt.NewReader(strings.NewReader(output), "go test")
	for r.Scan() {
		res, ok := r.Result().(*benchfmt.Result)
		if !ok {
			continue // a syntax error or unit metadata: not a result
		}
		name := "Benchmark" + res.Name.String()
		if samples[name] == nil {
			names, samples[name] = append(names, name), map[string][]float64{}
		}
		for _, v := range res.Values {
			unit, value := v.Unit, v.Value
			if v.OrigUnit != "" { // benchfmt converted it, as ns/op to sec/op
				unit, value = v.OrigUnit, v.OrigValue
			}
			samples[name][unit] = append(samples[name][unit], value)
		}
	}
	return names, samples, r.Err()
}

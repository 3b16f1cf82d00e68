package main

import (
	"cmp"
	"context"
	"fmt"
	"maps"
	"os/exec"
	"slices"
	"strconv"
	"strings"

	"golang.org/x/perf/benchfmt"
)

// goBenchArgs runs the client's only CPU-bound work: signing and decoding.
func goBenchArgs(s options) []string {
	args := []string{"test", "-run", "^$", "-bench", ".", "-benchmem", "-count", strconv.Itoa(goBenchCount)}
	if s.GoBenchTime != "" {
		args = append(args, "-benchtime", s.GoBenchTime)
	}
	return append(args, "./internal/ncpclient/")
}

func (h *harness) goBench(ctx context.Context) error {
	args := goBenchArgs(h.options)
	out, err := exec.CommandContext(ctx, "go", args...).CombinedOutput()
	if err != nil {
		return fmt.Errorf("go %s: %w:\n%s", strings.Join(args, " "), err, tail(string(out)))
	}
	h.report.goBench.Rows, err = goBenchRows(string(out), h.report.goBench.Header[1:])
	if err == nil && len(h.report.goBench.Rows) == 0 {
		err = fmt.Errorf("go %s ran no benchmark", strings.Join(args, " "))
	}
	return err
}

// goBenchRows reads `go test -bench` output with benchfmt: a row per
// benchmark with the median of each unit.
func goBenchRows(output string, units []string) ([][]string, error) {
	samples := map[string]map[string][]float64{}
	r := benchfmt.NewReader(strings.NewReader(output), "go test")
	for r.Scan() {
		res, ok := r.Result().(*benchfmt.Result)
		if !ok {
			continue // a syntax error or unit metadata: not a result
		}
		name := "Benchmark" + res.Name.String()
		if samples[name] == nil {
			samples[name] = map[string][]float64{}
		}
		for _, v := range res.Values { // the unit as written, not benchfmt's (sec/op for ns/op)
			unit := cmp.Or(v.OrigUnit, v.Unit)
			samples[name][unit] = append(samples[name][unit], cmp.Or(v.OrigValue, v.Value))
		}
	}
	var rows [][]string
	for _, name := range slices.Sorted(maps.Keys(samples)) {
		row := []string{name}
		for _, unit := range units {
			cell := "—"
			if s, ok := samples[name][unit]; ok {
				cell = fmt.Sprintf("%.6g", medianOf(s, func(v float64) float64 { return v }))
			}
			row = append(row, cell)
		}
		rows = append(rows, row)
	}
	return rows, r.Err()
}

package main

import (
	"bytes"
	"context"
	"fmt"
	"os/exec"
	"strconv"
	"strings"
)

// goBenchResult is the output of the client's Go micro-benchmarks and the
// median of each figure over the -count runs.
type goBenchResult struct {
	Command    string        `json:"command"`
	Output     string        `json:"output"`
	Benchmarks []goBenchmark `json:"benchmarks"`
}

// goBenchmark is one benchmark's medians by unit (ns/op, B/op, allocs/op,
// MB/s) and the samples they come from.
type goBenchmark struct {
	Name    string               `json:"name"`
	Medians map[string]float64   `json:"medians"`
	Samples map[string][]float64 `json:"samples"`
}

// goBenchPackage is where the benchmarks live: request signing and page
// decoding are the client's only CPU-bound work.
const goBenchPackage = "./internal/ncpclient/"

// goBench runs the micro-benchmarks in the module root.
func (h *harness) goBench(ctx context.Context) error {
	args := []string{"test", "-run", "^$", "-bench", ".", "-benchmem", "-count", strconv.Itoa(h.opts.GoBenchCount)}
	if h.opts.GoBenchTime != "" {
		args = append(args, "-benchtime", h.opts.GoBenchTime)
	}
	args = append(args, goBenchPackage)
	var out bytes.Buffer
	cmd := exec.CommandContext(ctx, "go", args...)
	cmd.Dir = h.opts.repoDir
	cmd.Stdout, cmd.Stderr = &out, &out
	err := cmd.Run()
	r := goBenchResult{Command: "go " + strings.Join(args, " "), Output: out.String(), Benchmarks: parseGoBench(out.String())}
	h.report.GoBench = &r
	if err != nil {
		return fmt.Errorf("%s: %w:\n%s", r.Command, err, tail(r.Output, 30))
	}
	if len(r.Benchmarks) == 0 {
		return fmt.Errorf("%s ran no benchmark", r.Command)
	}
	return nil
}

// parseGoBench reads the result lines of `go test -bench` output, such as
//
//	BenchmarkSign-2   33558   3272 ns/op   736 B/op   16 allocs/op
//
// in the order the benchmarks first appear.
func parseGoBench(output string) []goBenchmark {
	var (
		order   []string
		samples = map[string]map[string][]float64{}
	)
	for _, line := range strings.Split(output, "\n") {
		f := strings.Fields(line)
		if len(f) < 4 || !strings.HasPrefix(f[0], "Benchmark") || len(f)%2 != 0 {
			continue
		}
		if _, err := strconv.Atoi(f[1]); err != nil { // the iteration count
			continue
		}
		name := f[0]
		if samples[name] == nil {
			samples[name] = map[string][]float64{}
			order = append(order, name)
		}
		for i := 2; i+1 < len(f); i += 2 {
			if v, err := strconv.ParseFloat(f[i], 64); err == nil {
				samples[name][f[i+1]] = append(samples[name][f[i+1]], v)
			}
		}
	}
	benchmarks := make([]goBenchmark, 0, len(order))
	for _, name := range order {
		b := goBenchmark{Name: name, Medians: map[string]float64{}, Samples: samples[name]}
		for unit, s := range b.Samples {
			b.Medians[unit] = median(s)
		}
		benchmarks = append(benchmarks, b)
	}
	return benchmarks
}

// Command bench is the performance harness behind `make bench`, `make
// bench-smoke` and `make bench-scale` (see contributing/performance.md). It drives
// the real terraform CLI against the provider built in bin/, talking to
// bin/ncp-apigw-emulator on loopback, next to two floors: hashicorp/time's
// time_static (a plugin provider doing no I/O) and the built-in
// terraform_data. It prints Markdown tables and writes them, with every
// sample, to bench/out/results.json.
//
// It exits 1 when a Terraform command fails, a no-change plan is not empty
// or a command makes more API requests than the minimum; never because of
// a wall time, which depends on the machine. Run it through scripts/bench.sh.
package main

import (
	"context"
	"crypto/rand"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"
	"time"
)

func main() {
	os.Exit(run())
}

// run runs the measures and returns the exit code. An interrupt cancels
// the command under way; close stops the emulators and removes the
// temporary directories on the way out.
func run() int {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	opts, err := parseOptions(os.Args[1:], os.Getenv)
	if errors.Is(err, flag.ErrHelp) {
		return 0
	} else if err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		return 2
	}
	h := &harness{options: opts, accessKey: "bench-" + rand.Text(), secretKey: rand.Text(),
		report: &report{Date: time.Now().UTC().Format(time.RFC3339), Settings: opts.settings, Failures: []string{}}}
	defer h.close()
	if h.tmp, err = os.MkdirTemp("", "ncp-bench-"); err == nil {
		h.cliConfig, err = writeProviderWrappers(h.tmp, opts.gnuTime, map[string]string{
			"terraform-provider-ncp": filepath.Join(opts.binDir, "terraform-provider-ncp"), "terraform-provider-time": opts.timeProvider})
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		return 1
	}

	start := time.Now()
	h.report.Machine = describeMachine(ctx)
	for _, n := range h.OverheadN {
		h.measure(ctx, fmt.Sprintf("overhead, N=%d", n), func(ctx context.Context) error {
			return h.lifecycles(ctx, n, []string{kindNCP, kindTimeStatic, kindTerraformData}, "overhead")
		})
	}
	for _, n := range h.ScalingN {
		h.measure(ctx, fmt.Sprintf("scaling, N=%d", n), func(ctx context.Context) error {
			return h.lifecycles(ctx, n, []string{kindNCP, kindTimeStatic}, "scaling")
		})
	}
	if h.Mode != modeScale {
		h.measure(ctx, "request counts", h.requestCounts)
		h.measure(ctx, "list request count", func(ctx context.Context) error {
			_, err := h.listPlans(ctx, listKeys, 1)
			return err
		})
		h.measure(ctx, "latency and rate limit", h.faults)
		h.measure(ctx, "scale", h.scale)
		h.measure(ctx, "Go micro-benchmarks", h.goBench)
	}
	if ctx.Err() != nil {
		h.fail("interrupted")
	}
	h.report.DurationS = time.Since(start).Seconds()
	h.report.print(os.Stdout)
	if path, err := h.report.write(opts.outDir); err != nil {
		h.fail("writing the results: %v", err)
	} else {
		fmt.Printf("Results written to %s (%s).\n", path, time.Since(start).Round(time.Second))
	}
	if len(h.report.Failures) > 0 {
		return 1
	}
	return 0
}

// harness holds what the measures share, and the report they fill.
type harness struct {
	options
	tmp       string // workspaces and provider wrappers; removed by close
	cliConfig string // Terraform's, see writeProviderWrappers
	accessKey string // random per run; they reach the emulator and Terraform
	secretKey string // through the environment only, and are never printed
	report    *report
	emulators []*emulatorProcess // stopped by close, even after a failure
}

func (h *harness) close() {
	for _, e := range h.emulators {
		e.stop()
	}
	_ = os.RemoveAll(h.tmp)
}

func (h *harness) logf(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "bench: "+format+"\n", args...)
}

// fail records a failure, which makes the harness exit 1.
func (h *harness) fail(format string, args ...any) {
	h.report.Failures = append(h.report.Failures, fmt.Sprintf(format, args...))
	h.logf("FAIL: "+format, args...)
}

// measure runs one measure and records its error as a failure, so that
// one broken measure does not hide the results of the others.
func (h *harness) measure(ctx context.Context, name string, fn func(context.Context) error) {
	if ctx.Err() != nil {
		return
	}
	start := time.Now()
	h.logf("%s...", name)
	if err := fn(ctx); err != nil {
		h.fail("%s: %v", name, err)
		return
	}
	h.logf("%s done in %s", name, time.Since(start).Round(time.Second))
}

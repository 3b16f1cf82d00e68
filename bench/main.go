// Command bench is the performance harness behind `make bench` and `make
// bench-smoke`. It drives the real terraform CLI against the provider built
// in bin/, talking to ncp-apigw-emulator processes on loopback, and compares
// it with two floors: hashicorp/time's time_static (a plugin provider doing
// no I/O) and the built-in terraform_data. It prints Markdown tables and
// writes bench/out/results.json. See contributing/performance.md.
//
// It exits 1 when a Terraform command fails, a no-change plan is not empty
// or a command makes more API requests than the minimum; never because of
// a wall time, which depends on the machine.
//
// Run it through scripts/bench.sh, which builds it and installs
// hashicorp/time. Started under the name terraform-provider-ncp, the same
// binary is instead the wrapper that measures the provider's memory (see
// wrapper.go).
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"syscall"
	"time"
)

func main() {
	if isProviderWrapper() {
		os.Exit(runProviderWrapper())
	}
	os.Exit(runHarness())
}

// runHarness runs every measure and returns the exit code. An interrupt
// cancels the Terraform command under way; the emulators are stopped and
// the temporary directories removed on the way out.
func runHarness() int {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	opts, err := parseOptions(os.Args[1:], os.Getenv)
	if errors.Is(err, flag.ErrHelp) {
		return 0
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		return 2
	}
	h, err := newHarness(opts, os.Stderr)
	if err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		return 1
	}
	defer h.close()

	start := time.Now()
	h.report.Machine = describeMachine(ctx)
	h.runMeasures(ctx)
	h.report.DurationS = seconds(time.Since(start))
	if ctx.Err() != nil {
		h.fail("interrupted")
	}

	h.report.print(os.Stdout)
	path, err := h.report.write(opts.outDir)
	if err != nil {
		h.fail("writing the results: %v", err)
	} else {
		fmt.Printf("Results written to %s (%s).\n", path, time.Since(start).Round(time.Second))
	}
	if len(h.report.Failures) > 0 {
		return 1
	}
	return 0
}

// runMeasures runs the measures of the issue in its order.
func (h *harness) runMeasures(ctx context.Context) {
	for _, n := range h.opts.OverheadN {
		h.measure(ctx, fmt.Sprintf("overhead, N=%d", n), func(ctx context.Context) error {
			return h.overhead(ctx, n)
		})
	}
	h.measure(ctx, "request counts", h.requestCounts)
	h.measure(ctx, "list request count", h.listRequests)
	h.measure(ctx, "latency", h.latency)
	h.measure(ctx, "rate limit", h.rateLimit)
	h.measure(ctx, "scale", h.scale)
	h.measure(ctx, "Go micro-benchmarks", h.goBench)
}

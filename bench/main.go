// Command bench is the performance harness behind `make bench`, `make
// bench-smoke` and `make bench-scale` (see contributing/performance.md). It
// drives the real terraform CLI against the provider built in bin/, talking
// to bin/ncp-apigw-emulator on loopback, next to two floors: hashicorp/time's
// time_static (a plugin provider doing no I/O) and the built-in
// terraform_data. It prints Markdown tables and writes them, with every
// sample, to bench/out/results.json.
//
// It exits 1 when a Terraform command fails, a no-change plan is not empty
// or a command makes more API requests than the minimum; never because of
// a wall time, which depends on the machine. It runs on Linux, through
// scripts/bench.sh, in the module root.
package main

import (
	"cmp"
	"context"
	"crypto/rand"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"regexp"
	"strconv"
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
	h := &harness{options: opts, accessKey: "bench-" + rand.Text(), secretKey: rand.Text(), report: newReport(opts.settings)}
	defer h.close()
	if h.tmp, err = os.MkdirTemp("", "ncp-bench-"); err == nil {
		h.cliConfig, err = writeProviderWrappers(h.tmp, gnuTime, map[string]string{
			"terraform-provider-ncp": opts.ncpProvider, "terraform-provider-time": opts.timeProvider})
	}
	if err == nil {
		h.tfVersion, err = terraformVersion(ctx, opts.terraform)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		return 1
	}

	start := time.Now()
	h.report.Machine = describeMachine(h.tfVersion)
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
		h.measure(ctx, "subscription request counts", h.subscriptionCounts)
		h.measure(ctx, "list request count", h.listCount)
		h.measure(ctx, "latency and rate limit", h.faults)
		h.measure(ctx, "scale", h.scale)
		h.measure(ctx, "Go micro-benchmarks", h.goBench)
	}
	if ctx.Err() != nil {
		h.fail("interrupted")
	}
	h.report.DurationS = time.Since(start).Seconds()
	h.report.print(os.Stdout)
	if path, err := h.report.write(filepath.Join("bench", "out")); err != nil {
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
	tfVersion string // of options.terraform, such as "1.11.4"
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

// measure runs one measure, unless -run leaves it out, and records its
// error as a failure, so that one broken measure does not hide the others.
func (h *harness) measure(ctx context.Context, name string, fn func(context.Context) error) {
	if ctx.Err() != nil || !h.only.MatchString(name) {
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

// options are what scripts/bench.sh and the environment tell the harness.
type options struct {
	ncpProvider, timeProvider string         // the provider under test and the time_static floor
	terraform                 string         // BENCH_TERRAFORM, or terraform on PATH
	only                      *regexp.Regexp // -run: the measures to run, by name
	settings
}

// settings are the sizes of one run, recorded in results.json.
type settings struct {
	Mode           string `json:"mode"`
	StoreKeyValues bool   `json:"store_key_values"`
	Runs           int    `json:"runs"`
	OverheadN      []int  `json:"overhead_n"` // lifecycles of ncp, time_static and terraform_data
	ScalingN       []int  `json:"scaling_n"`  // lifecycles of ncp and time_static only
	RequestN       int    `json:"request_n"`
	LatencyN       int    `json:"latency_n"`
	RateN          int    `json:"rate_n"`
	ScaleKeys      int    `json:"scale_keys"`
	GoBenchTime    string `json:"go_bench_time,omitempty"`
}

// Sizes that every mode shares.
const (
	parallelism  = 10 // Terraform's default
	listKeys     = 250
	pageSize     = 100 // the emulator's largest page, as NCP's
	latency      = 50 * time.Millisecond
	rateLimit    = 20 // requests per second
	rateBurst    = 20
	goBenchCount = 5
	gnuTime      = "/usr/bin/time" // scripts/bench.sh installs it
	modeScale    = "scale"         // make bench-scale: only the scaling lifecycle at N=5,000
)

// parseOptions reads the flags, BENCH_RUNS, which overrides the mode's runs
// per measure, and BENCH_TERRAFORM. The smoke run keeps every measure but
// shrinks it, so that CI proves the harness and the request counts in a
// minute; its wall times are not meant to be compared.
func parseOptions(args []string, getenv func(string) string) (options, error) {
	o := options{ncpProvider: filepath.Join("bin", "terraform-provider-ncp")}
	fs := flag.NewFlagSet("bench", flag.ContinueOnError)
	fs.StringVar(&o.timeProvider, "time-provider", "", "the terraform-provider-time binary (required)")
	mode := fs.String("mode", "full", "full (make bench), smoke (make bench-smoke) or scale (make bench-scale)")
	keep := fs.Bool("store-key-values", true, "false sets store_key_values = false on the keys of the lifecycles and faults")
	only := fs.String("run", "", "run only the measures whose names match this regular expression")
	if err := fs.Parse(args); err != nil {
		return o, err
	}
	sizes, ok := map[string]settings{
		"full":    {Runs: 3, OverheadN: []int{100, 500}, ScalingN: []int{1000, 2000}, RequestN: 100, LatencyN: 200, RateN: 200, ScaleKeys: 10_000},
		"smoke":   {Runs: 1, OverheadN: []int{10}, ScalingN: []int{20}, RequestN: 10, LatencyN: 20, RateN: 20, ScaleKeys: 500, GoBenchTime: "100ms"},
		modeScale: {Runs: 1, ScalingN: []int{5000}},
	}[*mode]
	if fs.NArg() > 0 || o.timeProvider == "" || !ok {
		return o, fmt.Errorf("usage: bench -time-provider PATH [-mode full|smoke|scale] [flags], not %q", args)
	}
	o.settings, o.Mode, o.StoreKeyValues = sizes, *mode, *keep
	if v := getenv("BENCH_RUNS"); v != "" {
		if o.Runs, _ = strconv.Atoi(v); o.Runs < 1 {
			return o, fmt.Errorf("BENCH_RUNS=%q is not a positive integer", v)
		}
	}
	var err error
	if o.only, err = regexp.Compile(*only); err != nil {
		return o, fmt.Errorf("-run: %w", err)
	}
	if o.terraform, err = exec.LookPath(cmp.Or(getenv("BENCH_TERRAFORM"), "terraform")); err != nil {
		return o, err
	}
	for _, p := range []*string{&o.ncpProvider, &o.timeProvider, &o.terraform} {
		if *p, err = filepath.Abs(*p); err != nil { // the workspaces and wrappers run elsewhere
			return o, err
		}
	}
	return o, nil
}

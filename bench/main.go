// Command bench is the harness of contributing/performance.md, run on Linux
// by scripts/bench.sh. It exits 1 when a Terraform command fails, a no-change
// plan has changes or a command makes more API requests than the minimum.
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
	"syscall"
	"time"

	"github.com/hashicorp/go-version"
	"github.com/hashicorp/terraform-exec/tfexec"
)

func main() {
	os.Exit(run())
}

func run() int {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	opts, err := parseOptions(os.Args[1:])
	if errors.Is(err, flag.ErrHelp) {
		return 0
	} else if err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		return 2
	}
	h := &harness{options: opts, accessKey: "bench-" + rand.Text(), secretKey: rand.Text()}
	tf, err := tfexec.NewTerraform(".", opts.terraform)
	if err == nil {
		h.tfVersion, _, err = tf.Version(ctx, true)
	}
	if err == nil {
		h.tmp, err = os.MkdirTemp("", "ncp-bench-")
	}
	if err == nil {
		defer func() { _ = os.RemoveAll(h.tmp) }()
		h.wrapper, h.cliConfig, err = writeWrappers(h.tmp, gnuTime, opts.devOverrides, opts.terraform, map[string]string{
			"ncp-community/ncp": opts.ncpProvider, "hashicorp/time": opts.timeProvider})
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		return 1
	}
	h.report = newReport(opts, h.tfVersion.String())
	start := time.Now()
	all, both := []string{kindNCP, kindTimeStatic, kindTerraformData}, []string{kindNCP, kindTimeStatic}
	for _, n := range h.OverheadN {
		h.measure(ctx, fmt.Sprintf("overhead, N=%d", n), func(ctx context.Context) error { return h.lifecycles(ctx, n, all, "overhead", nil) })
	}
	for _, n := range h.ScalingN {
		h.measure(ctx, fmt.Sprintf("scaling, N=%d", n), func(ctx context.Context) error { return h.lifecycles(ctx, n, both, "scaling", nil) })
	}
	for _, n := range h.BackendN {
		h.measure(ctx, fmt.Sprintf("scaling, N=%d, http backend", n), func(ctx context.Context) error {
			states := startStateStore()
			defer states.Close()
			return h.lifecycles(ctx, n, both, states.where(), states)
		})
	}
	for _, n := range h.RefreshN {
		h.measure(ctx, fmt.Sprintf("refresh, N=%d", n), func(ctx context.Context) error { return h.refreshPlans(ctx, n) })
	}
	if h.Mode != modeScale {
		h.measure(ctx, "request counts", h.requestCounts)
		h.measure(ctx, "list request count", func(ctx context.Context) error {
			_, err := h.planLists(ctx, listKeys, 1)
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
	path := filepath.Join("bench", "out", "results.json")
	if err := h.report.write(path); err != nil {
		h.fail("writing the results: %v", err)
	} else {
		fmt.Printf("Results written to %s (%s).\n", path, time.Since(start).Round(time.Second))
	}
	if len(h.report.Failures) > 0 {
		return 1
	}
	return 0
}

type harness struct {
	options
	tmp, cliConfig       string // the workspaces, wrappers and Terraform's CLI config
	wrapper              string // terraform under GNU time
	tfVersion            *version.Version
	accessKey, secretKey string // random per run, passed in the environment only, never printed
	report               *report
}

func (h *harness) logf(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "bench: "+format+"\n", args...)
}

// fail records a failure, which makes the harness exit 1.
func (h *harness) fail(format string, args ...any) {
	h.report.Failures = append(h.report.Failures, fmt.Sprintf(format, args...))
	h.logf("FAIL: "+format, args...)
}

// measure runs one measure unless -run leaves it out; its error does not
// stop the others.
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

// options are the flags and the sizes of one run, which results.json records.
type options struct {
	Mode           string `json:"mode"`
	StoreKeyValues bool   `json:"store_key_values"`
	Runs           int    `json:"runs"`
	OverheadN      []int  `json:"overhead_n"` // lifecycles of ncp, time_static and terraform_data
	ScalingN       []int  `json:"scaling_n"`  // lifecycles of ncp and time_static only
	BackendN       []int  `json:"backend_n"`  // the same, with the state in the http backend
	RefreshN       []int  `json:"refresh_n"`  // no-change plans of ncp, without and with a quota, and time_static
	RequestN       int    `json:"request_n"`
	LatencyN       int    `json:"latency_n"`
	RateN          int    `json:"rate_n"`
	ScaleKeys      int    `json:"scale_keys"`
	GoBenchTime    string `json:"go_bench_time,omitempty"`

	ncpProvider, timeProvider, terraform, devOverrides string
	only                                               *regexp.Regexp // -run
}

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

	// The targets of contributing/performance.md. Against time_static: apply
	// and no-change plan at N=500; at N=2,000, the no-change plan under the
	// quota against time_static's, which has none.
	overheadTargetN, overheadTargetRatio = 500, 1.2
	refreshTargetN, refreshTargetRatio   = 2000, 1.2
	// The data source lists ScaleKeys keys in at most 1.5 s and 80 MB
	// (decimal) of provider RSS; `terraform query` in 1.2 times that.
	scaleMaxWallS, scaleMaxRSSMB, queryMaxVsPlan = 1.5, 80, 1.2
	// The rate-limited apply takes at most 1.25 times the time the quota
	// allows, with at most 5% of the requests refused.
	rateLimitWallFactor, rateLimitMaxShare = 1.25, 0.05
)

// parseOptions reads the flags. The smoke run (CI's) keeps every measure
// but shrinks it; its wall times are not meant to be compared.
func parseOptions(args []string) (options, error) {
	fs := flag.NewFlagSet("bench", flag.ContinueOnError)
	timeProvider := fs.String("time-provider", "", "the terraform-provider-time binary (required)")
	terraform := fs.String("terraform", "terraform", "the terraform binary")
	mode := fs.String("mode", "full", "full (make bench), smoke (make bench-smoke) or scale (make bench-scale)")
	runs := fs.Int("runs", 0, "runs per measure, instead of the mode's")
	keep := fs.Bool("store-key-values", true, "false sets store_key_values = false on the keys of the lifecycles and faults")
	only := fs.String("run", "", "run only the measures whose names match this regular expression")
	if err := fs.Parse(args); err != nil {
		return options{}, err
	}
	o, ok := map[string]options{
		"full":    {Runs: 3, OverheadN: []int{100, 500}, ScalingN: []int{1000, 2000}, BackendN: []int{1000, 2000}, RefreshN: []int{500, 2000}, RequestN: 100, LatencyN: 200, RateN: 200, ScaleKeys: 10_000},
		"smoke":   {Runs: 1, OverheadN: []int{10}, ScalingN: []int{20}, BackendN: []int{20}, RefreshN: []int{101}, RequestN: 10, LatencyN: 20, RateN: 20, ScaleKeys: 500, GoBenchTime: "100ms"},
		modeScale: {Runs: 1, ScalingN: []int{5000}, BackendN: []int{5000}},
	}[*mode]
	if fs.NArg() > 0 || *timeProvider == "" || !ok || *runs < 0 {
		return o, fmt.Errorf("usage: bench -time-provider PATH [-mode full|smoke|scale] [flags], not %q", args)
	}
	o.Mode, o.StoreKeyValues, o.Runs = *mode, *keep, cmp.Or(*runs, o.Runs)
	o.ncpProvider, o.devOverrides = filepath.Join("bin", "terraform-provider-ncp"), filepath.Join("scripts", "dev-overrides.sh")
	var err error
	if o.only, err = regexp.Compile(*only); err != nil {
		return o, fmt.Errorf("-run: %w", err)
	}
	if o.terraform, err = exec.LookPath(*terraform); err != nil {
		return o, err
	}
	for _, p := range []*string{&o.ncpProvider, &o.devOverrides, &o.terraform, timeProvider} {
		if *p, err = filepath.Abs(*p); err != nil { // the workspaces and wrappers run elsewhere
			return o, err
		}
	}
	o.timeProvider = *timeProvider
	return o, nil
}

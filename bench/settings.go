package main

import (
	"errors"
	"flag"
	"fmt"
	"path/filepath"
	"strconv"
	"time"
)

// options are what the harness is told: where things are (flags, set by
// scripts/bench.sh) and how big a run to make (BENCH_SMOKE, BENCH_RUNS).
type options struct {
	binDir  string // holds terraform-provider-ncp and ncp-apigw-emulator
	timeDir string // holds terraform-provider-time
	outDir  string // results.json goes here
	repoDir string // the module root, for the Go micro-benchmarks
	settings
}

// settings are the sizes of one run. The smoke run keeps every measure but
// shrinks it, so that CI proves the harness and the request counts in a
// minute or two; its wall times are not meant to be compared to targets.
type settings struct {
	Smoke         bool          `json:"smoke"`
	Runs          int           `json:"runs"`
	Parallelism   int           `json:"parallelism"`
	OverheadN     []int         `json:"overhead_n"`
	RequestN      int           `json:"request_n"`
	ListKeys      int           `json:"list_keys"`
	ListPageSize  int           `json:"list_page_size"`
	LatencyN      int           `json:"latency_n"`
	Latency       time.Duration `json:"latency_ns"`
	RateN         int           `json:"rate_n"`
	RateLimit     int           `json:"rate_limit"`
	RateBurst     int           `json:"rate_burst"`
	ScaleKeys     int           `json:"scale_keys"`
	ScalePageSize int           `json:"scale_page_size"`
	GoBenchCount  int           `json:"go_bench_count"`
	GoBenchTime   string        `json:"go_bench_time,omitempty"`
}

// Targets of the issue that asked for this harness. They are reported as
// met or missed and never change the exit status: wall times depend on the
// machine, request counts do not.
const (
	overheadTargetN     = 500
	overheadTargetRatio = 1.2
	rateLimitWallFactor = 1.25
	rateLimitMaxShare   = 0.05
	scaleMaxWall        = 3 * time.Second
	scaleMaxRSSMB       = 150 // decimal megabytes, the stricter reading
)

// newSettings returns the full benchmark's sizes, or the smoke run's.
func newSettings(smoke bool, runs int) settings {
	s := settings{
		Smoke:         smoke,
		Runs:          runs,
		Parallelism:   10,
		OverheadN:     []int{100, overheadTargetN},
		RequestN:      100,
		ListKeys:      250,
		ListPageSize:  100,
		LatencyN:      200,
		Latency:       50 * time.Millisecond,
		RateN:         200,
		RateLimit:     20,
		RateBurst:     20,
		ScaleKeys:     10_000,
		ScalePageSize: 100,
		GoBenchCount:  5,
	}
	if smoke {
		s.OverheadN = []int{10}
		s.RequestN = 10
		s.LatencyN = 20
		s.RateN = 20
		s.ScaleKeys = 500
		s.GoBenchTime = "100ms"
	}
	return s
}

// parseOptions reads the flags and the environment. BENCH_RUNS defaults to
// 3 for the full run and 1 for the smoke run.
func parseOptions(args []string, getenv func(string) string) (options, error) {
	var o options
	fs := flag.NewFlagSet("bench", flag.ContinueOnError)
	fs.StringVar(&o.binDir, "bin", "bin", "directory with terraform-provider-ncp and ncp-apigw-emulator")
	fs.StringVar(&o.timeDir, "time-provider-dir", "", "directory with terraform-provider-time (required)")
	fs.StringVar(&o.outDir, "out", filepath.Join("bench", "out"), "directory for results.json")
	fs.StringVar(&o.repoDir, "repo", ".", "module root, where the Go micro-benchmarks run")
	if err := fs.Parse(args); err != nil {
		return options{}, err
	}
	if fs.NArg() > 0 {
		return options{}, fmt.Errorf("unexpected arguments %q", fs.Args())
	}
	if o.timeDir == "" {
		return options{}, errors.New("-time-provider-dir is required")
	}
	for _, dir := range []*string{&o.binDir, &o.timeDir, &o.outDir, &o.repoDir} {
		abs, err := filepath.Abs(*dir)
		if err != nil {
			return options{}, err
		}
		*dir = abs
	}

	smoke := getenv("BENCH_SMOKE") != "" && getenv("BENCH_SMOKE") != "0"
	runs := 3
	if smoke {
		runs = 1
	}
	if v := getenv("BENCH_RUNS"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			return options{}, fmt.Errorf("BENCH_RUNS=%q is not a positive integer", v)
		}
		runs = n
	}
	o.settings = newSettings(smoke, runs)
	return o, nil
}

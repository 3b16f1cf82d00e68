package main

import (
	"flag"
	"fmt"
	"path/filepath"
	"strconv"
	"time"
)

// options are what scripts/bench.sh tells the harness, which runs in the
// module root: where the floor's provider and GNU time are, which run to
// make (-mode, -store-key-values) and how many times (BENCH_RUNS).
type options struct {
	binDir, outDir        string // bin/, bench/out/
	timeProvider, gnuTime string
	settings
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
)

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

const modeScale = "scale" // make bench-scale: only the scaling lifecycle at N=5,000

// parseOptions reads the flags and BENCH_RUNS, which overrides the mode's
// runs per measure. The smoke run keeps every measure but shrinks it, so
// that CI proves the harness and the request counts in a minute; its wall
// times are not meant to be compared.
func parseOptions(args []string, getenv func(string) string) (options, error) {
	o := options{binDir: "bin", outDir: filepath.Join("bench", "out")}
	fs := flag.NewFlagSet("bench", flag.ContinueOnError)
	fs.StringVar(&o.timeProvider, "time-provider", "", "the terraform-provider-time binary (required)")
	fs.StringVar(&o.gnuTime, "gnu-time", "/usr/bin/time", "GNU time")
	mode := fs.String("mode", "full", "full (make bench), smoke (make bench-smoke) or scale (make bench-scale)")
	keep := fs.Bool("store-key-values", true, "false sets store_key_values = false on the keys of the lifecycles and faults")
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
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			return o, fmt.Errorf("BENCH_RUNS=%q is not a positive integer", v)
		}
		o.Runs = n
	}
	for _, p := range []*string{&o.binDir, &o.outDir, &o.timeProvider} {
		abs, err := filepath.Abs(*p) // dev_overrides and the wrappers need absolute paths
		if err != nil {
			return o, err
		}
		*p = abs
	}
	return o, nil
}

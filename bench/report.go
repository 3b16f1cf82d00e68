package main

import (
	"encoding/json"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/ncp-community/terraform-provider-ncp/internal/emulator"
)

// report is everything one harness run found; it is written as JSON and
// printed as tables.
type report struct {
	Date      string           `json:"date"`
	Machine   machine          `json:"machine"`
	Settings  settings         `json:"settings"`
	Overhead  []overheadRow    `json:"overhead"`
	Requests  []requestCount   `json:"requests"`
	Latency   *latencyResult   `json:"latency,omitempty"`
	RateLimit *rateLimitResult `json:"rate_limit,omitempty"`
	Scale     *scaleResult     `json:"scale,omitempty"`
	GoBench   *goBenchResult   `json:"go_bench,omitempty"`
	Failures  []string         `json:"failures"`
	DurationS float64          `json:"duration_s"`
}

// target is one of the performance targets, met or missed.
type target struct {
	Goal     string `json:"goal"`
	Measured string `json:"measured"`
	Met      bool   `json:"met"`
}

func newReport(s settings) *report {
	return &report{
		Date:     time.Now().UTC().Format(time.RFC3339),
		Settings: s,
		Requests: []requestCount{},
		Failures: []string{},
	}
}

// overheadRow is one command at one N: the medians of the provider and of
// both floors, side by side, and the ratios to each floor.
type overheadRow struct {
	Command            string               `json:"command"`
	N                  int                  `json:"n"`
	Samples            map[string][]float64 `json:"samples_s"`
	Medians            map[string]float64   `json:"medians_s"`
	RatioTimeStatic    float64              `json:"ratio_vs_time_static"`
	RatioTerraformData float64              `json:"ratio_vs_terraform_data"`
	CPUSamples         map[string][]float64 `json:"cpu_samples_s"`
	CPUMedians         map[string]float64   `json:"cpu_medians_s"`
	// Target is set for the rows the issue gives a target: apply and
	// no-change plan at N=500, at most overheadTargetRatio × time_static.
	Target *target `json:"target,omitempty"`
}

// add records one kind's run of the command.
func (r *overheadRow) add(kind string, res commandResult) {
	r.Samples[kind] = append(r.Samples[kind], seconds(res.wall))
	r.CPUSamples[kind] = append(r.CPUSamples[kind], seconds(res.cpu))
}

// summarize computes the medians, the ratios and the target, if any.
func (r overheadRow) summarize() overheadRow {
	r.Medians, r.CPUMedians = map[string]float64{}, map[string]float64{}
	for kind, s := range r.Samples {
		r.Medians[kind] = median(s)
		r.CPUMedians[kind] = median(r.CPUSamples[kind])
	}
	r.RatioTimeStatic = ratio(r.Medians[kindNCP], r.Medians[kindTimeStatic])
	r.RatioTerraformData = ratio(r.Medians[kindNCP], r.Medians[kindTerraformData])
	if r.N == overheadTargetN && r.Command != cmdDestroy {
		r.Target = &target{
			Goal:     fmt.Sprintf("≤ %.1f× time_static", overheadTargetRatio),
			Measured: fmt.Sprintf("%.2f×", r.RatioTimeStatic),
			Met:      r.RatioTimeStatic <= overheadTargetRatio,
		}
	}
	return r
}

// routeCounts are API requests by route.
type routeCounts map[emulator.Route]int

func (c routeCounts) total() int {
	n := 0
	for _, v := range c {
		n += v
	}
	return n
}

// requestCount is one command's requests next to the fewest it can make.
// Met requires every route to match, so a request saved on one route
// cannot hide an extra one on another.
type requestCount struct {
	Name     string      `json:"name"`
	Minimum  routeCounts `json:"minimum"`
	Measured routeCounts `json:"measured"`
	Met      bool        `json:"met"`
}

func newRequestCount(name string, minimum, measured routeCounts) requestCount {
	routes := slices.Concat(slices.Collect(maps.Keys(minimum)), slices.Collect(maps.Keys(measured)))
	met := true
	for _, r := range routes {
		met = met && minimum[r] == measured[r]
	}
	return requestCount{Name: name, Minimum: minimum, Measured: measured, Met: met}
}

// routes lists the routes either side used, in the API's order.
func (c requestCount) routes() []emulator.Route {
	var out []emulator.Route
	for _, r := range []emulator.Route{emulator.RouteCreate, emulator.RouteGet, emulator.RouteList,
		emulator.RouteEdit, emulator.RouteRegenerate, emulator.RouteDelete} {
		if c.Minimum[r] > 0 || c.Measured[r] > 0 {
			out = append(out, r)
		}
	}
	return out
}

// byRoute shows each route as "get 10/10": measured, then minimum.
func (c requestCount) byRoute() string {
	var parts []string
	for _, r := range c.routes() {
		parts = append(parts, fmt.Sprintf("%s %d/%d", r, c.Measured[r], c.Minimum[r]))
	}
	return strings.Join(parts, ", ")
}

func (c requestCount) measuredText() string { return countsText(c.Measured, c.routes()) }
func (c requestCount) minimumText() string  { return countsText(c.Minimum, c.routes()) }

func countsText(counts routeCounts, routes []emulator.Route) string {
	var parts []string
	for _, r := range routes {
		parts = append(parts, fmt.Sprintf("%s=%d", r, counts[r]))
	}
	return strings.Join(parts, " ")
}

// write saves the report as indented JSON.
func (r *report) write(dir string) (string, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", err
	}
	b, err := json.MarshalIndent(r, "", "  ")
	if err != nil {
		return "", err
	}
	path := filepath.Join(dir, "results.json")
	return path, os.WriteFile(path, append(b, '\n'), 0o644)
}

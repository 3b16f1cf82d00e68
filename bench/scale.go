package main

import (
	"context"
	"fmt"
	"net/http"
	"regexp"
	"strconv"

	"github.com/ncp-community/terraform-provider-ncp/internal/emulator"
)

// The scale targets: the plan listing ScaleKeys keys takes under 3 s, and
// the provider's peak RSS stays under 150 MB (decimal, the stricter
// reading).
const (
	scaleMaxWallS = 3.0
	scaleMaxRSSMB = 150
)

// listConfig reads every key through the list data source.
var listConfig = required("ncp", "ncp-community/ncp") + `
data "ncp_apigw_api_keys" "all" {}

output "listed" {
  value = length(data.ncp_apigw_api_keys.all.ids)
}
`

// listPlans seeds keys keys, then plans listConfig runs times, with the
// emulator capping pages at pageSize: Terraform reads the data source once
// per plan, so the minimum is one list request per page.
func (h *harness) listPlans(ctx context.Context, keys, runs int) ([]sample, error) {
	e, err := h.startEmulator(ctx, "-max-page-size", strconv.Itoa(pageSize))
	if err != nil {
		return nil, err
	}
	defer e.stop()
	ws, err := h.newWorkspace("list", e, listConfig)
	if err != nil {
		return nil, err
	}
	if err := e.control(ctx, http.MethodPost, "/_emulator/keys", map[string]int{"count": keys}, nil); err != nil {
		return nil, err
	}
	plan := step{name: fmt.Sprintf("plan: list data source over %d keys, page size %d", keys, pageSize),
		cmd: (*workspace).plan, minimum: routeCounts{emulator.RouteList: pages(keys)}}
	var samples []sample
	for run := 1; run <= runs; run++ {
		s, err := h.runSteps(ctx, ws, run, []step{plan})
		if err != nil {
			return samples, err
		}
		samples = append(samples, s[0])
		// The output must count every key: the data source read every page.
		if m := listedOutput.FindStringSubmatch(s[0].output); m == nil || m[1] != strconv.Itoa(keys) {
			return samples, fmt.Errorf("the plan does not show listed = %d:\n%s", keys, tail(s[0].output, 30))
		}
	}
	return samples, nil
}

// listedOutput finds the value of the "listed" output in a plan's output.
var listedOutput = regexp.MustCompile(`(?m)^\s*\+ listed\s*=\s*(\d+)\s*$`)

// pages is how many pages hold keys keys.
func pages(keys int) int {
	return (keys + pageSize - 1) / pageSize
}

// scale measures the plan listing ScaleKeys keys: its wall time, its list
// requests, and the provider's peak RSS.
func (h *harness) scale(ctx context.Context) error {
	plans, err := h.listPlans(ctx, h.ScaleKeys, h.Runs)
	if err != nil {
		return err
	}
	requests, minimum := 0, pages(h.ScaleKeys)
	for _, p := range plans {
		requests = max(requests, routeCounts(p.Stats.Requests).total())
	}
	wallS := medianOf(plans, func(s sample) float64 { return s.WallS })
	peakMB := medianOf(plans, func(s sample) float64 { return s.ProviderPeakMiB * (1 << 20) / 1e6 })
	h.logf("  plan %.2fs, %d requests, provider peak RSS %.0f MB (medians)", wallS, requests, peakMB)
	t := h.report.table(fmt.Sprintf("Scale (plan of the list data source over %d seeded keys, emulator page size %d):", h.ScaleKeys, pageSize),
		"measure", "measured", "target", "met?")
	t.add("plan wall time (median)", secs(wallS), "< "+secs(scaleMaxWallS), yesNo(wallS < scaleMaxWallS))
	t.add("list requests", fmt.Sprintf("%d / %d", requests, minimum), "the minimum", yesNo(requests == minimum))
	t.add("provider peak RSS (median)", fmt.Sprintf("%.0f MB", peakMB), fmt.Sprintf("< %d MB", scaleMaxRSSMB), yesNo(peakMB < scaleMaxRSSMB))
	return nil
}

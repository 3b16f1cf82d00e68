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
// per plan, so the minimum is one list request per page. The plan's output
// must count every key, which proves that the data source read every page.
func (h *harness) listPlans(ctx context.Context, keys, runs int) ([]sample, error) {
	e, err := h.startEmulator(ctx, "-max-page-size", strconv.Itoa(pageSize))
	if err != nil {
		return nil, err
	}
	defer e.stop()
	ws, err := h.newWorkspace("list", e, listConfig)
	if err == nil {
		err = e.control(ctx, http.MethodPost, "/_emulator/keys", map[string]int{"count": keys}, nil)
	}
	plan := step{name: fmt.Sprintf("plan: list data source over %d keys, page size %d", keys, pageSize), cmd: (*workspace).plan,
		minimum: routeCounts{emulator.RouteList: (keys + pageSize - 1) / pageSize}}
	var samples []sample
	for run := 1; run <= runs && err == nil; run++ {
		var s []sample
		if s, err = h.runSteps(ctx, ws, run, []step{plan}); err == nil {
			samples = append(samples, s[0])
			err = checkListed(s[0].output, keys)
		}
	}
	return samples, err
}

// listedOutput finds the value of the "listed" output in a plan's output.
var listedOutput = regexp.MustCompile(`(?m)^\s*\+ listed\s*=\s*(\d+)\s*$`)

func checkListed(planOutput string, want int) error {
	m := listedOutput.FindStringSubmatch(planOutput)
	if m == nil {
		return fmt.Errorf("the plan shows no \"listed\" output:\n%s", tail(planOutput, 30))
	}
	if m[1] != strconv.Itoa(want) {
		return fmt.Errorf("the data source listed %s keys, want %d", m[1], want)
	}
	return nil
}

// scale measures the plan listing ScaleKeys keys: its wall time, its list
// requests, and the provider's peak RSS.
func (h *harness) scale(ctx context.Context) error {
	plans, err := h.listPlans(ctx, h.ScaleKeys, h.Runs)
	if err != nil {
		return err
	}
	requests, minimum := 0, (h.ScaleKeys+pageSize-1)/pageSize
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

package main

import (
	"context"
	"fmt"
	"strings"

	"github.com/hashicorp/go-version"

	"github.com/ncp-community/terraform-provider-ncp/internal/emulator"
)

// listConfig reads every key through the data source and outputs how many.
const listConfig = `
data "ncp_apigw_api_keys" "all" {}

output "listed" {
  value = length(data.ncp_apigw_api_keys.all.ids)
}
`

// queryConfig lists keys through the list resource (100 unless told).
const queryConfig = `list "ncp_apigw_api_key" "all" {
  provider         = ncp
  limit            = %d
  include_resource = %t
}
`

// listRuns seeds keys keys and runs list runs times: each run must make one
// request per page and show every key, as count times marker.
func (h *harness) listRuns(ctx context.Context, keys, runs int, list step, marker string, count int) ([]sample, error) {
	e := h.startEmulator()
	defer e.Close()
	for i := range keys {
		e.PutKey(fmt.Sprintf("seed-%d", i+1), "")
	}
	list.minimum = routeCounts{emulator.RouteList: pages(keys)}
	var samples []sample
	for run := 1; run <= runs; run++ {
		s, err := h.runSteps(ctx, "list", e, nil, run, []step{list})
		if err != nil {
			return samples, err
		} else if strings.Count(s[0].output, marker) != count {
			return samples, fmt.Errorf("%s did not show %d keys:\n%s", list.name, keys, tail(s[0].output))
		}
		samples = append(samples, s[0])
	}
	return samples, nil
}

func (h *harness) planLists(ctx context.Context, keys, runs int) ([]sample, error) {
	name := fmt.Sprintf("plan: list data source over %d keys, page size %d", keys, pageSize)
	return h.listRuns(ctx, keys, runs, step{name: name, config: listConfig, cmd: plan}, fmt.Sprintf("+ listed = %d\n", keys), 1)
}

// scale measures the data source listing ScaleKeys keys, and the query.
func (h *harness) scale(ctx context.Context) error {
	plans, err := h.planLists(ctx, h.ScaleKeys, h.Runs)
	if err != nil {
		return err
	}
	planWall := h.addListRows("plan", plans, "≤ "+secs(scaleMaxWallS), scaleMaxWallS, scaleMaxRSSMB)
	queryTarget := fmt.Sprintf("≤ %s (%.1f × plan)", secs(queryMaxVsPlan*planWall), queryMaxVsPlan)
	for _, include := range []bool{false, true} {
		what := fmt.Sprintf("query, include_resource = %t", include)
		if h.tfVersion.LessThan(version.Must(version.NewVersion("1.14.0"))) { // which brought `terraform query`
			h.report.scale.add(what, fmt.Sprintf("skipped: needs Terraform 1.14 (this is %s)", h.tfVersion), queryTarget, "—")
			continue
		}
		list := step{name: fmt.Sprintf("query: list resource over %d keys, page size %d, include_resource = %t", h.ScaleKeys, pageSize, include),
			query: fmt.Sprintf(queryConfig, h.ScaleKeys, include), cmd: query}
		queries, err := h.listRuns(ctx, h.ScaleKeys, h.Runs, list, "list.ncp_apigw_api_key.all ", h.ScaleKeys)
		if err != nil {
			return err
		}
		h.addListRows(what, queries, queryTarget, queryMaxVsPlan*planWall, 0)
	}
	return nil
}

func pages(keys int) int { return (keys + pageSize - 1) / pageSize }

// addListRows reports what listed, against maxRSSMB unless it is 0, and
// returns its median wall time.
func (h *harness) addListRows(what string, samples []sample, wallTarget string, maxWallS, maxRSSMB float64) float64 {
	requests := int(medianOf(samples, func(s sample) float64 { return float64(routeCounts(s.Stats.Requests).total()) }))
	wallS := medianOf(samples, func(s sample) float64 { return s.WallS })
	peakMB := medianOf(samples, func(s sample) float64 { return s.ProviderPeakMiB * (1 << 20) / 1e6 })
	rss, met := "—", "—"
	if maxRSSMB > 0 {
		rss, met = fmt.Sprintf("≤ %.0f MB", maxRSSMB), yesNo(peakMB <= maxRSSMB)
	}
	h.report.scale.add(what+": wall time (median)", secs(wallS), wallTarget, yesNo(wallS <= maxWallS))
	h.report.scale.add(what+": list requests", fmt.Sprintf("%d / %d", requests, pages(h.ScaleKeys)), "the minimum", yesNo(requests == pages(h.ScaleKeys)))
	h.report.scale.add(what+": provider peak RSS (median)", fmt.Sprintf("%.0f MB", peakMB), rss, met)
	return wallS
}

package main

import (
	"cmp"
	"context"
	"fmt"
	"net/http"
	"regexp"
	"strconv"

	"github.com/ncp-community/terraform-provider-ncp/internal/emulator"
)

// The scale targets (issue 9): the plan listing ScaleKeys keys through the
// data source takes at most 1.5 s, with a provider peak RSS of at most 80
// MB (decimal, the stricter reading), and `terraform query` listing them
// through the list resource at most 1.2 times that plan's time.
const (
	scaleMaxWallS  = 1.5
	scaleMaxRSSMB  = 80
	queryMaxVsPlan = 1.2
	queryMinor     = 14 // Terraform 1.14 brought `terraform query`
)

// listConfig reads every key through the data source; listed finds how
// many in the plan's output.
const listConfig = ncpRequired + `
data "ncp_apigw_api_keys" "all" {}

output "listed" {
  value = length(data.ncp_apigw_api_keys.all.ids)
}
`

var listed = regexp.MustCompile(`(?m)^\s*\+ listed\s*=\s*(\d+)\s*$`)

// queryConfig lists up to limit keys through the list resource (Terraform
// stops at 100 by default); each is a line of the query's output that
// queryResult matches.
func queryConfig(limit int, includeResource bool) string {
	return fmt.Sprintf("list \"ncp_apigw_api_key\" \"all\" {\n  provider         = ncp\n  limit            = %d\n  include_resource = %t\n}\n",
		limit, includeResource)
}

var queryResult = regexp.MustCompile(`(?m)^list\.ncp_apigw_api_key\.all\s`)

// listRuns seeds keys keys in an emulator capping pages at pageSize, then
// runs a command that lists them, runs times, in a workspace that also
// holds file. Each run must find every key (found counts them in the
// output) with one list request per page.
func (h *harness) listRuns(ctx context.Context, keys, runs int, list step, file, content string, found func(output string) int) ([]sample, error) {
	e, err := h.startEmulator(ctx, "-max-page-size", strconv.Itoa(pageSize))
	if err != nil {
		return nil, err
	}
	defer e.stop()
	ws, err := h.newWorkspace("list", e, ncpRequired)
	if err == nil {
		err = cmp.Or(ws.write(file, content), e.control(ctx, http.MethodPost, "/_emulator/keys", map[string]int{"count": keys}, nil))
	}
	list.minimum = routeCounts{emulator.RouteList: pages(keys)}
	var samples []sample
	for run := 1; run <= runs && err == nil; run++ {
		var s []sample
		if s, err = h.runSteps(ctx, ws, run, []step{list}); err == nil {
			samples = append(samples, s[0])
			if n := found(s[0].output); n != keys {
				err = fmt.Errorf("%s found %d keys, not %d:\n%s", list.name, n, keys, tail(s[0].output, 30))
			}
		}
	}
	return samples, err
}

// planLists plans listConfig over keys keys, runs times.
func (h *harness) planLists(ctx context.Context, keys, runs int) ([]sample, error) {
	name := fmt.Sprintf("plan: list data source over %d keys, page size %d", keys, pageSize)
	return h.listRuns(ctx, keys, runs, step{name: name, cmd: plan}, "main.tf", listConfig, func(output string) int {
		n := -1
		if m := listed.FindStringSubmatch(output); m != nil {
			n, _ = strconv.Atoi(m[1])
		}
		return n
	})
}

// listCount checks the data source's list requests over listKeys keys.
func (h *harness) listCount(ctx context.Context) error {
	_, err := h.planLists(ctx, listKeys, 1)
	return err
}

// scale measures the plan listing ScaleKeys keys through the data source
// and, where Terraform has it, `terraform query` listing them through the
// list resource, without and with the resources.
func (h *harness) scale(ctx context.Context) error {
	t := h.report.scale
	plans, err := h.planLists(ctx, h.ScaleKeys, h.Runs)
	if err != nil {
		return err
	}
	planWall := h.addListRows(t, "plan", plans, "≤ "+secs(scaleMaxWallS), scaleMaxWallS, scaleMaxRSSMB)
	var major, minor int
	_, _ = fmt.Sscanf(h.tfVersion, "%d.%d", &major, &minor)
	queryTarget := fmt.Sprintf("≤ %s (%.1f × plan)", secs(queryMaxVsPlan*planWall), queryMaxVsPlan)
	for _, include := range []bool{false, true} {
		what := fmt.Sprintf("query, include_resource = %t", include)
		if major == 1 && minor < queryMinor {
			t.add(what, fmt.Sprintf("skipped: needs Terraform 1.%d (this is %s)", queryMinor, h.tfVersion), queryTarget, "—")
			continue
		}
		name := fmt.Sprintf("query: list resource over %d keys, page size %d, include_resource = %t", h.ScaleKeys, pageSize, include)
		queries, err := h.listRuns(ctx, h.ScaleKeys, h.Runs, step{name: name, cmd: query}, "keys.tfquery.hcl",
			queryConfig(h.ScaleKeys, include), func(output string) int { return len(queryResult.FindAllString(output, -1)) })
		if err != nil {
			return err
		}
		h.addListRows(t, what, queries, queryTarget, queryMaxVsPlan*planWall, 0)
	}
	return nil
}

// pages is how many pages hold keys keys.
func pages(keys int) int {
	return (keys + pageSize - 1) / pageSize
}

// addListRows reports what listed (the plan or a query): its median wall
// time, which it returns, its list requests, and the provider's median
// peak RSS, against maxRSSMB unless it is 0.
func (h *harness) addListRows(t *table, what string, samples []sample, wallTarget string, maxWallS, maxRSSMB float64) float64 {
	requests, minimum := 0, pages(h.ScaleKeys)
	for _, s := range samples {
		requests = max(requests, routeCounts(s.Stats.Requests).total())
	}
	wallS := medianOf(samples, func(s sample) float64 { return s.WallS })
	peakMB := medianOf(samples, func(s sample) float64 { return s.ProviderPeakMiB * (1 << 20) / 1e6 })
	h.logf("  %s %.2fs, %d requests, provider peak RSS %.0f MB (medians)", what, wallS, requests, peakMB)
	t.add(what+": wall time (median)", secs(wallS), wallTarget, yesNo(wallS <= maxWallS))
	t.add(what+": list requests", fmt.Sprintf("%d / %d", requests, minimum), "the minimum", yesNo(requests == minimum))
	rss, met := "—", "—"
	if maxRSSMB > 0 {
		rss, met = fmt.Sprintf("≤ %.0f MB", maxRSSMB), yesNo(peakMB <= maxRSSMB)
	}
	t.add(what+": provider peak RSS (median)", fmt.Sprintf("%.0f MB", peakMB), rss, met)
	return wallS
}

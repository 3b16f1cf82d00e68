package main

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/ncp-community/terraform-provider-ncp/internal/emulator"
)

type routeCounts map[emulator.Route]int

func (c routeCounts) total() int {
	n := 0
	for _, v := range c {
		n += v
	}
	return n
}

// routeOrder is the API's order, in which byRoute lists the routes.
var routeOrder = []emulator.Route{emulator.RouteCreate, emulator.RouteGet, emulator.RouteList, emulator.RouteEdit,
	emulator.RouteRegenerate, emulator.RouteDelete, emulator.RouteSubscribe, emulator.RouteKeyProducts,
	emulator.RouteSubscriptionDetail, emulator.RouteUnsubscribe, emulator.RouteApproval, emulator.RouteProductKeys, emulator.RouteProduct}

// byRoute shows the routes either side used as "get 10/10": measured/minimum.
func byRoute(minimum, measured routeCounts) string {
	var parts []string
	for _, r := range slices.SortedFunc(maps.Keys(minimum.plus(measured)), func(a, b emulator.Route) int {
		return slices.Index(routeOrder, a) - slices.Index(routeOrder, b)
	}) {
		parts = append(parts, fmt.Sprintf("%s %d/%d", r, measured[r], minimum[r]))
	}
	return strings.Join(parts, ", ")
}

// checkRequests reports one command's requests, and fails unless every
// route makes the minimum: an extra request is latency and quota every
// user pays. A later run that makes the minimum is not repeated.
func (h *harness) checkRequests(name string, run int, minimum, measured routeCounts) {
	met := maps.Equal(minimum, measured)
	if met && run > 1 {
		return
	} else if run > 1 {
		name = fmt.Sprintf("%s (run %d)", name, run)
	}
	h.report.requests.add(name, fmt.Sprintf("%d / %d", measured.total(), minimum.total()), byRoute(minimum, measured), yesNo(met))
	if !met {
		h.fail("requests of %s are not the minimum (measured/minimum): %s", name, byRoute(minimum, measured))
	}
}

// plus is c and extra added, route by route.
func (c routeCounts) plus(extra routeCounts) routeCounts {
	sum := maps.Clone(c)
	for route, count := range extra {
		sum[route] += count
	}
	return sum
}

// createMinimum is the creation of n keys: a create carrying the create's
// marker and the edit that replaces it (ncpclient's evidence.go, "Ours").
func createMinimum(n int) routeCounts {
	return routeCounts{emulator.RouteCreate: n, emulator.RouteEdit: n}
}

// refreshMinimum is the refresh of n unchanged keys that are all the
// account holds: the pages of one listing of the account, shared by every
// key, and no GET (contributing/performance.md, "Refresh"); plus extra.
func refreshMinimum(n int, extra routeCounts) routeCounts {
	return routeCounts{emulator.RouteList: pages(n)}.plus(extra)
}

// destroyMinimum is the refresh, a delete a key, the read that confirms it
// (NCP documents no answer to a delete), and one list: a first "not found"
// is gone only on an endpoint a page of the key list proved (ncpclient's
// evidence.go), and a destroy's deletes run in a process that has not listed.
func destroyMinimum(n int) routeCounts {
	return refreshMinimum(n, routeCounts{emulator.RouteGet: n, emulator.RouteDelete: n, emulator.RouteList: 1})
}

// keysConfig is n keys; key 0 has the description, and the keys in
// triggers (HCL map items, `"1" = "r1"`) rotate: key 1 its primary key,
// key 2 both, asked from the start so that the trigger is its only change.
func keysConfig(n int, enabled bool, description, triggers string) string {
	return fmt.Sprintf(`
resource "ncp_apigw_api_key" "bench" {
  count           = %d
  name            = "bench-${count.index}"
  description     = count.index == 0 ? %q : ""
  enabled         = %t
  rotate_trigger  = lookup({ %s }, tostring(count.index), null)
  rotate_key_type = count.index == 2 ? "BOTH" : "PRIMARY"
}
`, n, description, enabled, triggers)
}

// subscriptionsConfig subscribes each key to a PUBLIC product, and key 0 to
// a PROTECTED one, which this account approves as its publisher.
const subscriptionsConfig = `
resource "ncp_apigw_api_key_subscription" "public" {
  count      = length(ncp_apigw_api_key.bench)
  api_key_id = ncp_apigw_api_key.bench[count.index].id
  product_id = "benchpub01"
}

resource "ncp_apigw_api_key_subscription" "protected" {
  api_key_id = ncp_apigw_api_key.bench[0].id
  product_id = "benchpro01"
}

resource "ncp_apigw_product_api_key_approval" "protected" {
  product_id = ncp_apigw_api_key_subscription.protected.product_id
  api_key_id = ncp_apigw_api_key_subscription.protected.api_key_id
  status     = "ACCEPTED"
}
`

// requestCounts runs three scenarios of RequestN keys: changes and
// rotations; disabled keys (also a create and an edit each, which sets
// enabled); subscriptions.
func (h *harness) requestCounts(ctx context.Context) error {
	e := h.startEmulator()
	defer e.Close()
	for _, p := range []emulator.Product{{ID: "benchpub01", Name: "bench-public"},
		{ID: "benchpro01", Name: "bench-protected", SubscriptionCode: emulator.SubscriptionProtected}} {
		if _, err := e.PutProduct(p); err != nil {
			return err
		}
	}
	n, edited := h.RequestN, "edited by bench"
	// A subscription costs a subscribe and a read of the key's products; a
	// refresh, the read; a destroy, an unsubscribe and the read. An approval
	// costs a decision and a search of the product's keys; a refresh, the
	// search; a destroy, the search and a decision, as it was accepted.
	subs, keyProducts, search, approval := n+1, emulator.RouteKeyProducts, emulator.RouteProductKeys, emulator.RouteApproval
	what := fmt.Sprintf("%d keys, %d subscriptions, 1 approval", n, subs)
	for _, steps := range [][]step{{
		{name: fmt.Sprintf("apply: create %d keys", n), config: keysConfig(n, true, "", ""), cmd: apply, minimum: createMinimum(n)},
		{name: fmt.Sprintf("no-change plan: refresh %d keys", n), cmd: noChange, minimum: refreshMinimum(n, nil)},
		{name: "apply: edit 1 description", config: keysConfig(n, true, edited, ""), cmd: apply, minimum: refreshMinimum(n, routeCounts{emulator.RouteEdit: 1})},
		{name: "apply: rotate 1 key (PRIMARY)", config: keysConfig(n, true, edited, `"1" = "r1"`), cmd: apply, minimum: refreshMinimum(n, routeCounts{emulator.RouteRegenerate: 1})},
		{name: "apply: rotate 1 key (BOTH)", config: keysConfig(n, true, edited, `"1" = "r1", "2" = "r1"`), cmd: apply, minimum: refreshMinimum(n, routeCounts{emulator.RouteRegenerate: 2})},
		{name: "no-change plan after the changes", cmd: noChange, minimum: refreshMinimum(n, nil)},
		{name: fmt.Sprintf("destroy %d keys", n), cmd: destroy, minimum: destroyMinimum(n)},
	}, {
		{name: fmt.Sprintf("apply: create %d disabled keys", n), config: keysConfig(n, false, "", ""), cmd: apply, minimum: createMinimum(n)},
		{name: fmt.Sprintf("no-change plan: refresh %d disabled keys", n), cmd: noChange, minimum: refreshMinimum(n, nil)},
		{name: fmt.Sprintf("destroy %d disabled keys", n), cmd: destroy, minimum: destroyMinimum(n)},
	}, {
		{name: "apply: create " + what, config: keysConfig(n, true, "", "") + subscriptionsConfig, cmd: apply,
			minimum: createMinimum(n).plus(routeCounts{emulator.RouteSubscribe: subs, keyProducts: subs, approval: 1, search: 1})},
		{name: "no-change plan: refresh " + what, cmd: noChange, minimum: refreshMinimum(n, routeCounts{keyProducts: subs, search: 1})},
		{name: "destroy " + what, cmd: destroy,
			minimum: destroyMinimum(n).plus(routeCounts{emulator.RouteUnsubscribe: subs, keyProducts: 2 * subs, search: 2, approval: 1})},
	}} {
		if _, err := h.runSteps(ctx, "requests", e, nil, 1, steps); err != nil {
			return err
		}
	}
	return nil
}

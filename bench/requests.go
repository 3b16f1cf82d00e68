package main

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/ncp-community/terraform-provider-ncp/internal/emulator"
)

// routeCounts are API requests by route.
type routeCounts map[emulator.Route]int

// routeOrder is the API's order, in which byRoute lists the routes.
var routeOrder = []emulator.Route{emulator.RouteCreate, emulator.RouteGet, emulator.RouteList, emulator.RouteEdit,
	emulator.RouteRegenerate, emulator.RouteDelete, emulator.RouteSubscribe, emulator.RouteKeyProducts,
	emulator.RouteSubscriptionDetail, emulator.RouteUnsubscribe, emulator.RouteApproval, emulator.RouteProductKeys}

// byRoute shows the routes either side used as "get 10/10": measured, then
// minimum.
func byRoute(minimum, measured routeCounts) string {
	var parts []string
	for _, r := range routeOrder {
		if minimum[r] > 0 || measured[r] > 0 {
			parts = append(parts, fmt.Sprintf("%s %d/%d", r, measured[r], minimum[r]))
		}
	}
	for r, n := range measured {
		if !slices.Contains(routeOrder, r) { // a route newer than the harness
			parts = append(parts, fmt.Sprintf("%s %d/0", r, n))
		}
	}
	return strings.Join(parts, ", ")
}

func (c routeCounts) total() int {
	n := 0
	for _, v := range c {
		n += v
	}
	return n
}

// checkRequests reports one command's requests. More than the minimum is a
// failure: each extra request is latency and quota that every user pays.
// Every route must match, so that a request saved on one route cannot hide
// an extra one on another. A later run that makes the minimum is not
// repeated in the report.
func (h *harness) checkRequests(name string, run int, minimum routeCounts, stats *emulator.Stats) {
	measured := routeCounts(stats.Requests)
	met := maps.Equal(minimum, measured)
	if met && run > 1 {
		return
	}
	if run > 1 {
		name = fmt.Sprintf("%s (run %d)", name, run)
	}
	h.report.requests.add(name, fmt.Sprintf("%d / %d", measured.total(), minimum.total()), byRoute(minimum, measured), yesNo(met))
	if !met {
		h.fail("requests of %s are not the minimum (measured/minimum): %s", name, byRoute(minimum, measured))
	}
}

// destroyMinimum is the least destroying n keys costs: the refresh (a read
// each), a delete each, and the read that confirms each delete (NCP
// documents no answer to a delete, so only a read tells NCP's success from
// a proxy's).
func destroyMinimum(n int) routeCounts {
	return routeCounts{emulator.RouteGet: 2 * n, emulator.RouteDelete: n}
}

// keysConfig is n keys, enabled or not; key 0 has the description, and the
// rotate_trigger of each key in triggers (HCL map items such as `"1" =
// "r1"`) rotates it: key 1 its primary key, key 2 both, which it asks for
// from the start, so that setting the trigger later is its only change.
func keysConfig(n int, enabled bool, description, triggers string) string {
	return ncpRequired + fmt.Sprintf(`
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

// requestCounts runs two scenarios. The first creates RequestN keys, edits
// one description, rotates one key's primary key and another's two keys,
// checks that nothing is left to change, and destroys them. The second
// creates keys with enabled = false, which the API can only do as a create
// and an edit. Every apply and plan refreshes each key in state with one
// GET: that is Terraform's doing and part of the minimum.
func (h *harness) requestCounts(ctx context.Context) error {
	n, get, edited := h.RequestN, emulator.RouteGet, "edited by bench"
	return h.scenarios(ctx, nil, [][]step{{
		{fmt.Sprintf("apply: create %d keys", n), keysConfig(n, true, "", ""), apply, routeCounts{emulator.RouteCreate: n}},
		{fmt.Sprintf("no-change plan: refresh %d keys", n), "", noChange, routeCounts{get: n}},
		{"apply: edit 1 description", keysConfig(n, true, edited, ""), apply, routeCounts{get: n, emulator.RouteEdit: 1}},
		{"apply: rotate 1 key (PRIMARY)", keysConfig(n, true, edited, `"1" = "r1"`), apply, routeCounts{get: n, emulator.RouteRegenerate: 1}},
		{"apply: rotate 1 key (BOTH)", keysConfig(n, true, edited, `"1" = "r1", "2" = "r1"`), apply, routeCounts{get: n, emulator.RouteRegenerate: 2}},
		{"no-change plan after the changes", "", noChange, routeCounts{get: n}},
		{fmt.Sprintf("destroy %d keys", n), "", destroy, destroyMinimum(n)},
	}, {
		{fmt.Sprintf("apply: create %d disabled keys", n), keysConfig(n, false, "", ""), apply, routeCounts{emulator.RouteCreate: n, emulator.RouteEdit: n}},
		{fmt.Sprintf("no-change plan: refresh %d disabled keys", n), "", noChange, routeCounts{get: n}},
		{fmt.Sprintf("destroy %d disabled keys", n), "", destroy, destroyMinimum(n)},
	}})
}

// The products the subscription scenario subscribes to, both published by
// the emulator's own tenant, whose accounts may then approve keys.
const (
	publicProduct    = "benchpub01"
	protectedProduct = "benchpro01"
)

// subscriptionsConfig is n keys, each subscribed to the PUBLIC product,
// and key 0 subscribed to the PROTECTED product too, a subscription this
// account approves as the product's publisher.
func subscriptionsConfig(n int) string {
	return ncpRequired + fmt.Sprintf(`
resource "ncp_apigw_api_key" "bench" {
  count = %d
  name  = "bench-${count.index}"
}

resource "ncp_apigw_api_key_subscription" "public" {
  count      = %[1]d
  api_key_id = ncp_apigw_api_key.bench[count.index].id
  product_id = %[2]q
}

resource "ncp_apigw_api_key_subscription" "protected" {
  api_key_id = ncp_apigw_api_key.bench[0].id
  product_id = %[3]q
}

resource "ncp_apigw_product_api_key_approval" "protected" {
  product_id = ncp_apigw_api_key_subscription.protected.product_id
  api_key_id = ncp_apigw_api_key_subscription.protected.api_key_id
  status     = "ACCEPTED"
}
`, n, publicProduct, protectedProduct)
}

// subscriptionCounts applies RequestN keys with their subscriptions and an
// approval, plans and destroys them. A subscription costs a subscribe and
// the read of the key's products that finds it; its refresh, that read;
// its destroy, an unsubscribe and the read that confirms it. An approval
// costs a decision and the search of the product's keys that confirms it;
// its refresh, that search; its destroy, the search and, as it was
// accepted, the decision that withdraws it.
func (h *harness) subscriptionCounts(ctx context.Context) error {
	products, err := json.Marshal([]emulator.Product{{ID: publicProduct, Name: "bench-public"},
		{ID: protectedProduct, Name: "bench-protected", SubscriptionCode: emulator.SubscriptionProtected}})
	if err != nil {
		return err
	}
	n := h.RequestN
	what := fmt.Sprintf("%d keys, %d subscriptions, 1 approval", n, n+1)
	subs, approval, search, keyProducts := n+1, emulator.RouteApproval, emulator.RouteProductKeys, emulator.RouteKeyProducts
	destroyed := destroyMinimum(n)
	destroyed[keyProducts], destroyed[emulator.RouteUnsubscribe], destroyed[search], destroyed[approval] = 2*subs, subs, 2, 1
	return h.scenarios(ctx, []string{"-products", string(products)}, [][]step{{
		{"apply: create " + what, subscriptionsConfig(n), apply,
			routeCounts{emulator.RouteCreate: n, emulator.RouteSubscribe: subs, keyProducts: subs, approval: 1, search: 1}},
		{"no-change plan: refresh " + what, "", noChange, routeCounts{emulator.RouteGet: n, keyProducts: subs, search: 1}},
		{"destroy " + what, "", destroy, destroyed},
	}})
}

// scenarios runs each scenario in a workspace of its own, against one
// emulator started with flags.
func (h *harness) scenarios(ctx context.Context, flags []string, scenarios [][]step) error {
	e, err := h.startEmulator(ctx, flags...)
	if err != nil {
		return err
	}
	defer e.stop()
	for _, steps := range scenarios {
		ws, err := h.newWorkspace("requests", e, steps[0].config)
		if err == nil {
			_, err = h.runSteps(ctx, ws, 1, steps)
		}
		if err != nil {
			return err
		}
	}
	return nil
}

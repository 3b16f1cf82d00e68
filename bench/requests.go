package main

import (
	"context"
	"fmt"
	"strings"

	"github.com/ncp-community/terraform-provider-ncp/internal/emulator"
)

// routeCounts are API requests by route.
type routeCounts map[emulator.Route]int

func (c routeCounts) total() int {
	n := 0
	for _, v := range c {
		n += v
	}
	return n
}

// minimal says whether the measured requests are the minimum. Every route
// must match, so that a request saved on one route cannot hide an extra one
// on another.
func minimal(minimum, measured routeCounts) bool {
	met := true
	for r, n := range minimum {
		met = met && measured[r] == n
	}
	for r, n := range measured {
		met = met && minimum[r] == n
	}
	return met
}

// byRoute shows the routes either side used, in the API's order, as
// "get 10/10": measured, then minimum.
func byRoute(minimum, measured routeCounts) string {
	var parts []string
	for _, r := range []emulator.Route{emulator.RouteCreate, emulator.RouteGet, emulator.RouteList,
		emulator.RouteEdit, emulator.RouteRegenerate, emulator.RouteDelete} {
		if minimum[r] > 0 || measured[r] > 0 {
			parts = append(parts, fmt.Sprintf("%s %d/%d", r, measured[r], minimum[r]))
		}
	}
	return strings.Join(parts, ", ")
}

// checkRequests reports one command's requests. More than the minimum is a
// failure: each extra request is latency and quota that every user pays. A
// later run that makes the minimum is not repeated in the report.
func (h *harness) checkRequests(name string, run int, minimum routeCounts, stats *emulator.Stats) {
	measured, met := routeCounts(stats.Requests), minimal(minimum, stats.Requests)
	if met && run > 1 {
		return
	}
	if run > 1 {
		name = fmt.Sprintf("%s (run %d)", name, run)
	}
	h.report.table("API requests (from the emulator's counters, reset before each command):",
		"command", "measured / minimum", "by route (measured/minimum)", "met?").
		add(name, fmt.Sprintf("%d / %d", measured.total(), minimum.total()), byRoute(minimum, measured), yesNo(met))
	if !met {
		h.fail("requests of %s are not the minimum (measured/minimum): %s", name, byRoute(minimum, measured))
	}
}

// keysConfig is n keys, enabled or not; key 0 has the description, and the
// rotate_trigger of each key in triggers (HCL map items such as `"1" =
// "r1"`) rotates it: key 1 its primary key, key 2 both, which it asks for
// from the start, so that setting the trigger later is its only change.
func keysConfig(n int, enabled bool, description, triggers string) string {
	return required("ncp", "ncp-community/ncp") + fmt.Sprintf(`
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
	e, err := h.startEmulator(ctx)
	if err != nil {
		return err
	}
	defer e.stop()
	n, get, edited := h.RequestN, emulator.RouteGet, "edited by bench"
	apply, plan, destroy := (*workspace).apply, (*workspace).planNoChange, (*workspace).destroy
	for _, steps := range [][]step{{
		{fmt.Sprintf("apply: create %d keys", n), keysConfig(n, true, "", ""), apply, routeCounts{emulator.RouteCreate: n}},
		{fmt.Sprintf("no-change plan: refresh %d keys", n), "", plan, routeCounts{get: n}},
		{"apply: edit 1 description", keysConfig(n, true, edited, ""), apply, routeCounts{get: n, emulator.RouteEdit: 1}},
		{"apply: rotate 1 key (PRIMARY)", keysConfig(n, true, edited, `"1" = "r1"`), apply, routeCounts{get: n, emulator.RouteRegenerate: 1}},
		{"apply: rotate 1 key (BOTH)", keysConfig(n, true, edited, `"1" = "r1", "2" = "r1"`), apply, routeCounts{get: n, emulator.RouteRegenerate: 2}},
		{"no-change plan after the changes", "", plan, routeCounts{get: n}},
		{fmt.Sprintf("destroy %d keys", n), "", destroy, destroyMinimum(n)},
	}, {
		{fmt.Sprintf("apply: create %d disabled keys", n), keysConfig(n, false, "", ""), apply, routeCounts{emulator.RouteCreate: n, emulator.RouteEdit: n}},
		{fmt.Sprintf("no-change plan: refresh %d disabled keys", n), "", plan, routeCounts{get: n}},
		{fmt.Sprintf("destroy %d disabled keys", n), "", destroy, destroyMinimum(n)},
	}} {
		ws, err := h.newWorkspace("requests", e, steps[0].config)
		if err != nil {
			return err
		}
		if _, err := h.runSteps(ctx, ws, 1, steps); err != nil {
			return err
		}
	}
	return nil
}

// destroyMinimum is the least destroying n keys costs: the refresh (a read
// each), a delete each, and the read that confirms each delete (NCP
// documents no answer to a delete, so only a read tells NCP's success from
// a proxy's).
func destroyMinimum(n int) routeCounts {
	return routeCounts{emulator.RouteGet: 2 * n, emulator.RouteDelete: n}
}

package main

import (
	"context"
	"fmt"
	"regexp"
	"strconv"

	"github.com/ncp-community/terraform-provider-ncp/internal/emulator"
)

// requestStep is one command of a request-count scenario and the fewest
// requests it can make. Every apply and plan refreshes each key in state
// with one GET: that is Terraform's doing and part of the minimum.
type requestStep struct {
	name    string
	keys    keySet // the configuration the command runs with
	cmd     func(*workspace) commandFunc
	minimum routeCounts
}

func applyCmd(w *workspace) commandFunc   { return w.apply }
func planCmd(w *workspace) commandFunc    { return w.planNoChange }
func destroyCmd(w *workspace) commandFunc { return w.destroy }

// lifecycleSteps creates n enabled keys, edits one description, rotates one
// key's primary key and another's two keys, checks that nothing is left to
// change, and destroys them.
func lifecycleSteps(n int) []requestStep {
	created := keySet{n: n}
	edited := created
	edited.firstDescription = "edited by bench"
	rotated := edited
	rotated.triggers = map[int]string{1: "rotation-1"}
	rotatedBoth := edited
	rotatedBoth.triggers = map[int]string{1: "rotation-1", 2: "rotation-1"}
	get := emulator.RouteGet
	return []requestStep{
		{fmt.Sprintf("apply: create %d keys", n), created, applyCmd, routeCounts{emulator.RouteCreate: n}},
		{fmt.Sprintf("no-change plan: refresh %d keys", n), created, planCmd, routeCounts{get: n}},
		{"apply: edit 1 description", edited, applyCmd, routeCounts{get: n, emulator.RouteEdit: 1}},
		{"apply: rotate 1 key (PRIMARY)", rotated, applyCmd, routeCounts{get: n, emulator.RouteRegenerate: 1}},
		{"apply: rotate 1 key (BOTH)", rotatedBoth, applyCmd, routeCounts{get: n, emulator.RouteRegenerate: 2}},
		{"no-change plan after the changes", rotatedBoth, planCmd, routeCounts{get: n}},
		{fmt.Sprintf("destroy %d keys", n), rotatedBoth, destroyCmd, routeCounts{get: n, emulator.RouteDelete: n}},
	}
}

// disabledSteps creates n keys with enabled = false, which the API can only
// do as a create followed by an edit, and destroys them.
func disabledSteps(n int) []requestStep {
	disabled := keySet{n: n, disabled: true}
	get := emulator.RouteGet
	return []requestStep{
		{fmt.Sprintf("apply: create %d disabled keys", n), disabled, applyCmd, routeCounts{emulator.RouteCreate: n, emulator.RouteEdit: n}},
		{fmt.Sprintf("no-change plan: refresh %d disabled keys", n), disabled, planCmd, routeCounts{get: n}},
		{fmt.Sprintf("destroy %d disabled keys", n), disabled, destroyCmd, routeCounts{get: n, emulator.RouteDelete: n}},
	}
}

// requestCounts runs both scenarios against one emulator.
func (h *harness) requestCounts(ctx context.Context) error {
	e, err := h.startEmulator(ctx)
	if err != nil {
		return err
	}
	defer e.stop()
	if err := h.runSteps(ctx, e, "requests", lifecycleSteps(h.opts.RequestN)); err != nil {
		return err
	}
	return h.runSteps(ctx, e, "requests-disabled", disabledSteps(h.opts.RequestN))
}

// runSteps runs the steps in one workspace, checking each one's requests.
// The last step destroys; should an earlier one fail, a destroy still runs.
func (h *harness) runSteps(ctx context.Context, e *emulatorProcess, name string, steps []requestStep) error {
	ws, err := h.ncpWorkspace(name, e, h.opts.binDir)
	if err != nil {
		return err
	}
	for i, s := range steps {
		if err := ws.writeConfig(s.keys.config()); err != nil {
			return err
		}
		_, measured, err := counted(ctx, e, s.cmd(ws))
		if err != nil {
			if i < len(steps)-1 {
				h.destroyAfterFailure(ctx, ws)
			}
			return fmt.Errorf("%s: %w", s.name, err)
		}
		h.checkRequests(s.name, 1, s.minimum, measured)
	}
	return nil
}

// listRequests plans a configuration holding only the list data source over
// seeded keys, with the emulator capping pages at ListPageSize: Terraform
// reads the data source once during the plan, so the minimum is one list
// request per page.
func (h *harness) listRequests(ctx context.Context) error {
	k, page := h.opts.ListKeys, h.opts.ListPageSize
	e, ws, err := h.listWorkspace(ctx, "list", k, page, h.opts.binDir)
	if err != nil {
		return err
	}
	defer e.stop()
	_, measured, err := planList(ctx, e, ws, k)
	if err != nil {
		return err
	}
	name := fmt.Sprintf("plan: list data source over %d keys, page size %d", k, page)
	h.checkRequests(name, 1, routeCounts{emulator.RouteList: pages(k, page)}, measured)
	return nil
}

// listWorkspace starts an emulator that caps pages at page and holds k
// seeded keys, and a workspace of listConfig against it.
func (h *harness) listWorkspace(ctx context.Context, name string, k, page int, ncpDir string, extraEnv ...string) (*emulatorProcess, *workspace, error) {
	e, err := h.startEmulator(ctx, "-max-page-size", strconv.Itoa(page))
	if err != nil {
		return nil, nil, err
	}
	if err := e.seed(ctx, "seed", k); err != nil {
		e.stop()
		return nil, nil, err
	}
	ws, err := h.ncpWorkspace(name, e, ncpDir, extraEnv...)
	if err == nil {
		err = ws.writeConfig(listConfig)
	}
	if err != nil {
		e.stop()
		return nil, nil, err
	}
	return e, ws, nil
}

// pages is how many pages of size page hold k keys.
func pages(k, page int) int {
	return (k + page - 1) / page
}

// listedOutput finds the value of the "listed" output in a plan's output.
var listedOutput = regexp.MustCompile(`(?m)^\s*\+ listed\s*=\s*(\d+)\s*$`)

// listedKeys is how many keys the plan says the data source listed, which
// proves that it read them all.
func listedKeys(planOutput string) (int, error) {
	m := listedOutput.FindStringSubmatch(planOutput)
	if m == nil {
		return 0, fmt.Errorf("the plan shows no \"listed\" output:\n%s", tail(planOutput, 30))
	}
	return strconv.Atoi(m[1])
}

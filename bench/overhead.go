package main

import (
	"context"
	"fmt"

	"github.com/ncp-community/terraform-provider-ncp/internal/emulator"
)

// The commands of one lifecycle, in the order they run.
const (
	cmdApply   = "apply"
	cmdPlan    = "no-change plan"
	cmdDestroy = "destroy"
)

var lifecycleCommands = []string{cmdApply, cmdPlan, cmdDestroy}

// overhead measures apply, no-change plan and destroy of n resources of
// each kind, runs times, going through the kinds in turn within each run so
// that a machine that slows down over time penalises none of them.
func (h *harness) overhead(ctx context.Context, n int) error {
	e, err := h.startEmulator(ctx)
	if err != nil {
		return err
	}
	defer e.stop()
	rows := map[string]*overheadRow{}
	for _, c := range lifecycleCommands {
		rows[c] = &overheadRow{Command: c, N: n, Samples: map[string][]float64{}, CPUSamples: map[string][]float64{}}
	}
	for run := 1; run <= h.opts.Runs; run++ {
		for _, kind := range kinds {
			results, err := h.lifecycle(ctx, kind, n, run, e)
			if err != nil {
				return fmt.Errorf("%s, N=%d, run %d: %w", kind, n, run, err)
			}
			for c, res := range results {
				rows[c].add(kind, res)
			}
			h.logf("  N=%d run %d/%d %-14s apply %.2fs, plan %.2fs, destroy %.2fs", n, run, h.opts.Runs, kind,
				seconds(results[cmdApply].wall), seconds(results[cmdPlan].wall), seconds(results[cmdDestroy].wall))
		}
	}
	for _, c := range lifecycleCommands {
		h.report.Overhead = append(h.report.Overhead, rows[c].summarize())
	}
	return nil
}

// lifecycle applies, plans and destroys n resources of one kind in a fresh
// workspace and returns each command's result. For ncp it also checks each
// command's request counts against the minimum.
func (h *harness) lifecycle(ctx context.Context, kind string, n, run int, e *emulatorProcess) (map[string]commandResult, error) {
	var (
		ws  *workspace
		err error
	)
	if kind == kindNCP {
		ws, err = h.ncpWorkspace("overhead-"+kind, e, h.opts.binDir)
	} else {
		ws, err = h.floorWorkspace("overhead-" + kind)
		e = nil // the floors send no requests
	}
	if err != nil {
		return nil, err
	}
	if err := ws.writeConfig(overheadConfig(kind, n)); err != nil {
		return nil, err
	}
	steps := []struct {
		name    string
		cmd     commandFunc
		minimum routeCounts
	}{
		{cmdApply, ws.apply, routeCounts{emulator.RouteCreate: n}},
		{cmdPlan, ws.planNoChange, routeCounts{emulator.RouteGet: n}},
		{cmdDestroy, ws.destroy, routeCounts{emulator.RouteGet: n, emulator.RouteDelete: n}},
	}
	results := map[string]commandResult{}
	for _, s := range steps {
		res, counts, err := counted(ctx, e, s.cmd)
		if err != nil {
			if s.name != cmdDestroy {
				h.destroyAfterFailure(ctx, ws)
			}
			return nil, fmt.Errorf("%s: %w", s.name, err)
		}
		results[s.name] = res
		if e != nil {
			h.checkRequests(fmt.Sprintf("%s, %d keys (overhead)", s.name, n), run, s.minimum, counts)
		}
	}
	return results, nil
}

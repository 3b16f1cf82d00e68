package main

import (
	"context"
	"fmt"

	"github.com/ncp-community/terraform-provider-ncp/internal/emulator"
)

// The refresh target: at N=2,000, a no-change plan under the quota takes at
// most 1.2 times time_static's no-change plan, which has no quota.
const (
	refreshTargetN     = 2000
	refreshTargetRatio = 1.2
)

// refreshPlans measures no-change plans of n keys, all the account holds:
// without a quota, then under the emulator's quota (rateLimit requests/s,
// burst rateBurst, a full bucket at the start), each next to time_static's
// no-change plan of n resources in the same run.
func (h *harness) refreshPlans(ctx context.Context, n int) error {
	e := h.startEmulator(emulator.Faults{})
	defer e.Close()
	healthy, quota := emulator.Faults{}, emulator.Faults{RateLimit: rateLimit, RateBurst: rateBurst}
	name := func(command string) string { return fmt.Sprintf("%s, %d keys (refresh)", command, n) }
	ncpSteps := []step{
		{name: name("apply"), config: lifecycleConfig(kindNCP, n, h.StoreKeyValues), cmd: apply, minimum: routeCounts{emulator.RouteCreate: n, emulator.RouteEdit: n}, faults: &healthy},
		{name: name("no-change plan"), cmd: noChange, minimum: refreshMinimum(n, nil)},
		{name: name("no-change plan, quota"), cmd: noChange, minimum: refreshMinimum(n, nil), faults: &quota},
		{name: name("destroy"), cmd: destroy, minimum: destroyMinimum(n), faults: &healthy},
	}
	floorSteps := []step{
		{name: name("apply"), config: lifecycleConfig(kindTimeStatic, n, h.StoreKeyValues), cmd: apply},
		{name: name("no-change plan"), cmd: noChange},
		{name: name("destroy"), cmd: destroy},
	}
	var ncp, floor [][]sample
	for run := 1; run <= h.Runs; run++ {
		l, err := h.runSteps(ctx, kindNCP, e, nil, run, ncpSteps)
		if err != nil {
			return fmt.Errorf("%s, run %d: %w", kindNCP, run, err)
		}
		f, err := h.runSteps(ctx, kindTimeStatic, nil, nil, run, floorSteps)
		if err != nil {
			return fmt.Errorf("%s, run %d: %w", kindTimeStatic, run, err)
		}
		ncp, floor = append(ncp, l), append(floor, f)
		h.logf("  N=%d run %d/%d no-change plan: ncp %.2fs, under the quota %.2fs (%d answered 429), time_static %.2fs",
			n, run, h.Runs, l[1].WallS, l[2].WallS, l[2].Stats.Throttled, f[1].WallS)
	}
	floorWall := medianOf(floor, func(l []sample) float64 { return l[1].WallS })
	minimum := refreshMinimum(n, nil).total()
	for _, row := range []struct {
		index int
		what  string
	}{{1, "no-change plan, N=%d"}, {2, "no-change plan, N=%d, under the quota"}} {
		wall := medianOf(ncp, func(l []sample) float64 { return l[row.index].WallS })
		requests := medianOf(ncp, func(l []sample) float64 { return float64(routeCounts(l[row.index].Stats.Requests).total()) })
		goal, met := "—", "—"
		if n == refreshTargetN && row.index == 2 {
			goal, met = fmt.Sprintf("≤ %.1f× time_static", refreshTargetRatio), yesNo(ratio(wall, floorWall) <= refreshTargetRatio)
		}
		h.report.refresh.add(fmt.Sprintf(row.what, n), secs(wall), secs(floorWall), times(ratio(wall, floorWall)),
			fmt.Sprintf("%.0f / %d", requests, minimum), goal, met)
	}
	return nil
}

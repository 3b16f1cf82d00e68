package main

import (
	"context"
	"fmt"
	"slices"
	"strconv"

	"github.com/ncp-community/terraform-provider-ncp/internal/emulator"
)

// The kinds of resource compared: the provider under test and two floors.
const (
	kindNCP           = "ncp_apigw_api_key"
	kindTimeStatic    = "time_static"
	kindTerraformData = "terraform_data"
)

// lifecycleConfig is n resources, each with an argument that differs.
func lifecycleConfig(kind string, n int, storeKeyValues bool) string {
	arguments := map[string]string{
		kindNCP:           fmt.Sprintf("name = \"bench-${count.index}\"\n  store_key_values = %t", storeKeyValues),
		kindTimeStatic:    `triggers = { name = "bench-${count.index}" }`,
		kindTerraformData: `input = "bench-${count.index}"`,
	}
	return fmt.Sprintf("resource %q \"bench\" {\n  count = %d\n  %s\n}\n", kind, n, arguments[kind])
}

// lifecycleRuns applies, plans with no change (withQuota: again under the
// quota, from a full bucket) and destroys n resources of each kind, in new
// workspaces, the kinds in turn so that a machine that slows down penalises
// none, the state in states (nil: the local file); by kind, each run's samples.
func (h *harness) lifecycleRuns(ctx context.Context, n int, label string, kinds []string, states *stateStore,
	withQuota bool) (map[string][][]sample, error) {
	e := h.startEmulator()
	defer e.Close()
	name := func(command string) string { return fmt.Sprintf("%s, %d keys (%s)", command, n, label) }
	runs := map[string][][]sample{}
	for run := 1; run <= h.Runs; run++ {
		for _, kind := range kinds {
			steps := []step{
				{name: name("apply"), config: lifecycleConfig(kind, n, h.StoreKeyValues), cmd: apply, minimum: createMinimum(n)},
				{name: name("no-change plan"), cmd: noChange, minimum: refreshMinimum(n, nil)},
				{name: name("destroy"), cmd: destroy, minimum: destroyMinimum(n)},
			}
			if withQuota {
				steps[2].faults = &emulator.Faults{} // the destroy lifts the quota
				quota := &emulator.Faults{RateLimit: rateLimit, RateBurst: rateBurst}
				steps = slices.Insert(steps, 2, step{name: name("no-change plan, quota"), cmd: noChange, minimum: refreshMinimum(n, nil), faults: quota})
			}
			emu := e // the floors send no requests
			if kind != kindNCP {
				emu = nil
			}
			l, err := h.runSteps(ctx, kind, emu, states, run, steps)
			if err != nil {
				return runs, fmt.Errorf("%s, run %d: %w", kind, run, err)
			}
			runs[kind] = append(runs[kind], l)
		}
	}
	return runs, nil
}

// lifecycles measures apply, no-change plan and destroy of n of each kind.
func (h *harness) lifecycles(ctx context.Context, n int, kinds []string, label string, states *stateStore) error {
	runs, err := h.lifecycleRuns(ctx, n, label, kinds, states, false)
	if err == nil {
		addLifecycleRows(h.report, n, states.where(), runs)
	}
	return err
}

// addLifecycleRows adds each command next to the floors' if terraform_data
// ran, and the whole lifecycle next to time_static's.
func addLifecycleRows(r *report, n int, backend string, runs map[string][][]sample) {
	medians := func(f func(l []sample) float64) (ncp, timeStatic, terraformData float64) {
		return medianOf(runs[kindNCP], f), medianOf(runs[kindTimeStatic], f), medianOf(runs[kindTerraformData], f)
	}
	for i, command := range []string{"apply", "no-change plan", "destroy"} {
		if runs[kindTerraformData] == nil {
			break
		}
		wall, wallTS, wallTD := medians(func(l []sample) float64 { return l[i].WallS })
		cpu, cpuTS, cpuTD := medians(func(l []sample) float64 { return l[i].CPUS })
		measure, goal, met := fmt.Sprintf("%s, N=%d", command, n), "—", "—"
		if n == overheadTargetN && command != "destroy" {
			goal, met = fmt.Sprintf("≤ %.1f× time_static", overheadTargetRatio), yesNo(ratio(wall, wallTS) <= overheadTargetRatio)
		}
		r.overhead.add(measure, secs(wall), secs(wallTS), secs(wallTD), times(ratio(wall, wallTS)), times(ratio(wall, wallTD)), goal, met)
		r.cpu.add(measure, secs(cpu), secs(cpuTS), secs(cpuTD), times(ratio(cpu, cpuTS)))
	}
	wall, wallTS, _ := medians(func(l []sample) float64 { return l[0].WallS + l[1].WallS + l[2].WallS })
	cpu, cpuTS, _ := medians(func(l []sample) float64 { return l[0].CPUS + l[1].CPUS + l[2].CPUS })
	peak, peakTS, _ := medians(func(l []sample) float64 { return max(l[0].PeakMiB, l[1].PeakMiB, l[2].PeakMiB) })
	provider, providerTS, _ := medians(func(l []sample) float64 { return max(l[0].ProviderPeakMiB, l[1].ProviderPeakMiB, l[2].ProviderPeakMiB) })
	state, stateTS, _ := medians(func(l []sample) float64 { return float64(l[0].StateBytes) / float64(n) })
	r.scaling.add(strconv.Itoa(n), backend, fmt.Sprintf("%.2f s / %.2f s", wall, wallTS), times(ratio(wall, wallTS)),
		fmt.Sprintf("%.2f s / %.2f s", cpu, cpuTS), times(ratio(cpu, cpuTS)), fmt.Sprintf("%.0f / %.0f", peak, peakTS),
		fmt.Sprintf("%.0f / %.0f", provider, providerTS), fmt.Sprintf("%.0f / %.0f", state, stateTS))
}

// refreshPlans measures no-change plans of n keys, all the account holds,
// without and under the quota, each next to time_static's in the same run.
func (h *harness) refreshPlans(ctx context.Context, n int) error {
	runs, err := h.lifecycleRuns(ctx, n, "refresh", []string{kindNCP, kindTimeStatic}, nil, true)
	if err != nil {
		return err
	}
	floorWall := medianOf(runs[kindTimeStatic], func(l []sample) float64 { return l[1].WallS })
	minimum := refreshMinimum(n, nil).total()
	for i, what := range []string{"no-change plan, N=%d", "no-change plan, N=%d, under the quota"} {
		i++ // the samples' index: after the apply
		wall := medianOf(runs[kindNCP], func(l []sample) float64 { return l[i].WallS })
		requests := medianOf(runs[kindNCP], func(l []sample) float64 { return float64(routeCounts(l[i].Stats.Requests).total()) })
		goal, met := "—", "—"
		if n == refreshTargetN && i == 2 {
			goal, met = fmt.Sprintf("≤ %.1f× time_static", refreshTargetRatio), yesNo(ratio(wall, floorWall) <= refreshTargetRatio)
		}
		h.report.refresh.add(fmt.Sprintf(what, n), secs(wall), secs(floorWall), times(ratio(wall, floorWall)),
			fmt.Sprintf("%.0f / %d", requests, minimum), goal, met)
	}
	return nil
}

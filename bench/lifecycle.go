package main

import (
	"context"
	"fmt"
	"strconv"

	"github.com/ncp-community/terraform-provider-ncp/internal/emulator"
)

// The kinds of resource compared: the provider under test and two floors.
const (
	kindNCP           = "ncp_apigw_api_key"
	kindTimeStatic    = "time_static"
	kindTerraformData = "terraform_data"
)

// The overhead target: apply and no-change plan at N=500 cost ≤ 1.2× time_static.
const (
	overheadTargetN     = 500
	overheadTargetRatio = 1.2
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

// lifecycles measures apply, no-change plan and destroy of n resources of
// each kind, in turn, so that a machine that slows down penalises none, with
// their state in states (nil: Terraform's default, the local file).
func (h *harness) lifecycles(ctx context.Context, n int, kinds []string, label string, states *stateStore) error {
	e := h.startEmulator(emulator.Faults{})
	defer e.Close()
	name := func(command string) string { return fmt.Sprintf("%s, %d keys (%s)", command, n, label) }
	steps := []step{
		{name: name("apply"), cmd: apply, minimum: routeCounts{emulator.RouteCreate: n, emulator.RouteEdit: n}},
		{name: name("no-change plan"), cmd: noChange, minimum: refreshMinimum(n, nil)},
		{name: name("destroy"), cmd: destroy, minimum: destroyMinimum(n)},
	}
	runs := map[string][][]sample{}
	for run := 1; run <= h.Runs; run++ {
		for _, kind := range kinds {
			emu := e
			if kind != kindNCP {
				emu = nil // the floors send no requests
			}
			steps[0].config = lifecycleConfig(kind, n, h.StoreKeyValues) // for the new workspace
			l, err := h.runSteps(ctx, kind, emu, states, run, steps)
			if err != nil {
				return fmt.Errorf("%s, run %d: %w", kind, run, err)
			}
			runs[kind] = append(runs[kind], l)
			h.logf("  N=%d run %d/%d %-17s apply %.2fs, plan %.2fs, destroy %.2fs", n, run, h.Runs, kind, l[0].WallS, l[1].WallS, l[2].WallS)
		}
	}
	addLifecycleRows(h.report, n, states.where(), runs)
	return nil
}

// addLifecycleRows adds each command next to the floors' if terraform_data
// ran, and the whole lifecycle next to time_static's, with the state's size
// per resource after the apply.
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

package main

import (
	"context"
	"fmt"
	"strconv"

	"github.com/ncp-community/terraform-provider-ncp/internal/emulator"
)

// The kinds of resource a lifecycle compares: the provider under test, and
// two floors, a plugin provider that does no I/O and a resource built into
// Terraform.
const (
	kindNCP           = "ncp_apigw_api_key"
	kindTimeStatic    = "time_static"
	kindTerraformData = "terraform_data"
)

// The overhead target: apply and no-change plan at N=500 cost at most 1.2
// times time_static. Missing it is reported, never a failure.
const (
	overheadTargetN     = 500
	overheadTargetRatio = 1.2
)

// ncpRequired points Terraform at the provider under test; time is
// hashicorp's, which Terraform assumes.
const ncpRequired = "terraform {\n  required_providers {\n    ncp = { source = \"ncp-community/ncp\" }\n  }\n}\n"

// lifecycleConfig is n resources of one kind, each with an argument that
// differs per instance, as a name does for an API key.
func lifecycleConfig(kind string, n int, storeKeyValues bool) string {
	arguments := map[string]string{
		kindNCP:           fmt.Sprintf("name = \"bench-${count.index}\"\n  store_key_values = %t", storeKeyValues),
		kindTimeStatic:    `triggers = { name = "bench-${count.index}" }`,
		kindTerraformData: `input = "bench-${count.index}"`,
	}
	config := fmt.Sprintf("resource %q \"bench\" {\n  count = %d\n  %s\n}\n", kind, n, arguments[kind])
	if kind == kindNCP {
		config = ncpRequired + config
	}
	return config
}

// lifecycles measures apply, no-change plan and destroy of n resources of
// each kind, Runs times, the kinds in turn within each run so that a
// machine that slows down penalises none of them.
func (h *harness) lifecycles(ctx context.Context, n int, kinds []string, label string) error {
	e := h.startEmulator(emulator.Faults{})
	defer e.Close()
	name := func(command string) string { return fmt.Sprintf("%s, %d keys (%s)", command, n, label) }
	steps := []step{
		{name: name("apply"), cmd: apply, minimum: routeCounts{emulator.RouteCreate: n}},
		{name: name("no-change plan"), cmd: noChange, minimum: routeCounts{emulator.RouteGet: n}},
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
			l, err := h.runSteps(ctx, kind, emu, run, steps)
			if err != nil {
				return fmt.Errorf("%s, run %d: %w", kind, run, err)
			}
			runs[kind] = append(runs[kind], l)
			h.logf("  N=%d run %d/%d %-17s apply %.2fs, plan %.2fs, destroy %.2fs", n, run, h.Runs, kind, l[0].WallS, l[1].WallS, l[2].WallS)
		}
	}
	addLifecycleRows(h.report, n, runs)
	return nil
}

// addLifecycleRows adds lifecycles (by kind, then run: apply, no-change
// plan, destroy) to the tables: each command next to the floors' if
// terraform_data ran, and the whole lifecycle next to time_static's.
func addLifecycleRows(r *report, n int, runs map[string][][]sample) {
	// stat is, by kind, the median over the runs of f of a lifecycle.
	stat := func(f func(l []sample) float64) map[string]float64 {
		m := map[string]float64{}
		for kind, lifecycles := range runs {
			m[kind] = medianOf(lifecycles, f)
		}
		return m
	}
	for i, command := range []string{"apply", "no-change plan", "destroy"} {
		if runs[kindTerraformData] == nil {
			break
		}
		wall, cpu := stat(func(l []sample) float64 { return l[i].WallS }), stat(func(l []sample) float64 { return l[i].CPUS })
		measure, vsTime, goal, met := fmt.Sprintf("%s, N=%d", command, n), ratio(wall[kindNCP], wall[kindTimeStatic]), "—", "—"
		if n == overheadTargetN && command != "destroy" {
			goal, met = fmt.Sprintf("≤ %.1f× time_static", overheadTargetRatio), yesNo(vsTime <= overheadTargetRatio)
		}
		r.overhead.add(measure, secs(wall[kindNCP]), secs(wall[kindTimeStatic]), secs(wall[kindTerraformData]),
			times(vsTime), times(ratio(wall[kindNCP], wall[kindTerraformData])), goal, met)
		r.cpu.add(measure, secs(cpu[kindNCP]), secs(cpu[kindTimeStatic]), secs(cpu[kindTerraformData]),
			times(ratio(cpu[kindNCP], cpu[kindTimeStatic])))
	}
	wall := stat(func(l []sample) float64 { return l[0].WallS + l[1].WallS + l[2].WallS })
	cpu := stat(func(l []sample) float64 { return l[0].CPUS + l[1].CPUS + l[2].CPUS })
	peak := stat(func(l []sample) float64 { return max(l[0].PeakMiB, l[1].PeakMiB, l[2].PeakMiB) })
	providerPeak := stat(func(l []sample) float64 { return max(l[0].ProviderPeakMiB, l[1].ProviderPeakMiB, l[2].ProviderPeakMiB) })
	vs := func(m map[string]float64, format string) string {
		return fmt.Sprintf(format+" / "+format, m[kindNCP], m[kindTimeStatic])
	}
	r.scaling.add(strconv.Itoa(n), vs(wall, "%.2f s"), times(ratio(wall[kindNCP], wall[kindTimeStatic])),
		vs(cpu, "%.2f s"), times(ratio(cpu[kindNCP], cpu[kindTimeStatic])), vs(peak, "%.0f"), vs(providerPeak, "%.0f"))
}

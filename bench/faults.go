package main

import (
	"context"
	"fmt"
	"math"
	"net/http"

	"github.com/ncp-community/terraform-provider-ncp/internal/emulator"
)

// The rate-limit targets: the apply succeeds within 1.25 times the time
// the quota allows, with at most 5% of the requests refused.
const (
	rateLimitWallFactor = 1.25
	rateLimitMaxShare   = 0.05
)

// faults measures, Runs times: the time_static apply of LatencyN
// resources; apply of as many keys against an emulator adding latency to
// every request; and apply of RateN keys against an emulator allowing
// rateLimit requests per second with a burst of rateBurst, answering HTTP
// 429 beyond.
func (h *harness) faults(ctx context.Context) error {
	var floors, slow, limited []sample
	for run := 1; run <= h.Runs; run++ {
		ws, err := h.newWorkspace(kindTimeStatic, nil, lifecycleConfig(kindTimeStatic, h.LatencyN, true))
		if err != nil {
			return err
		}
		floor, err := h.runSteps(ctx, ws, run, []step{{name: "apply (latency floor)", cmd: apply}, {name: "destroy", cmd: destroy}})
		if err != nil {
			return err
		}
		s, err := h.faultyApply(ctx, run, h.LatencyN, step{name: fmt.Sprintf("apply: create %d keys, %s latency", h.LatencyN, latency),
			cmd: apply, minimum: routeCounts{emulator.RouteCreate: h.LatencyN}}, "-latency", latency.String())
		if err != nil {
			return err
		}
		t, err := h.faultyApply(ctx, run, h.RateN, step{name: "apply, rate-limited", cmd: apply}, // the refused requests count too
			"-rate-limit", fmt.Sprint(rateLimit), "-rate-burst", fmt.Sprint(rateBurst))
		if err != nil {
			return err
		}
		floors, slow, limited = append(floors, floor[0]), append(slow, s), append(limited, t)
		h.logf("  run %d/%d: time_static apply %.2fs, apply with latency %.2fs, apply with rate limit %.2fs (%d throttled)",
			run, h.Runs, floor[0].WallS, s.WallS, t.WallS, t.Stats.Throttled)
	}

	// The latency floor: the rounds of requests Terraform's parallelism
	// allows, each costing the latency once, plus what the same apply costs
	// with a provider doing no I/O.
	wall := func(s sample) float64 { return s.WallS }
	slowApply, floorApply := medianOf(slow, wall), medianOf(floors, wall)
	floor := math.Ceil(float64(h.LatencyN)/parallelism)*latency.Seconds() + floorApply
	h.report.latency.add(fmt.Sprintf("apply, N=%d, %d ms latency, -parallelism=%d", h.LatencyN, latency.Milliseconds(), parallelism),
		secs(slowApply), fmt.Sprintf("%s = %.2f s + %.2f s", secs(floor), floor-floorApply, floorApply), times(ratio(slowApply, floor)))

	var requests, refused []int
	errorAnswers := 0 // neither a success nor a 429, which is the limit doing its job; dropped connections are status 0
	for _, s := range limited {
		requests, refused = append(requests, routeCounts(s.Stats.Requests).total()), append(refused, s.Stats.Throttled)
		for status, count := range s.Stats.Responses {
			if (status < http.StatusOK || status >= http.StatusMultipleChoices) && status != http.StatusTooManyRequests {
				errorAnswers += count
			}
		}
	}
	quotaFloor, rateWall := float64(h.RateN)/rateLimit, medianOf(limited, wall)
	share := medianOf(limited, func(s sample) float64 {
		return ratio(float64(s.Stats.Throttled), float64(routeCounts(s.Stats.Requests).total()))
	})
	t := h.report.rateLimit
	t.add("apply wall time (median)", secs(rateWall), fmt.Sprintf("≤ %s (%.2f × %.1f s quota floor)",
		secs(rateLimitWallFactor*quotaFloor), rateLimitWallFactor, quotaFloor), yesNo(rateWall <= rateLimitWallFactor*quotaFloor))
	t.add("requests answered 429 (median share)", fmt.Sprintf("%.1f%% (429s per run: %v of %v requests)", 100*share, refused, requests),
		fmt.Sprintf("≤ %.0f%%", 100*rateLimitMaxShare), yesNo(share <= rateLimitMaxShare))
	t.add("errors (answers neither 2xx nor 429, all runs)", fmt.Sprint(errorAnswers), "0", yesNo(errorAnswers == 0))
	return nil
}

// faultyApply runs apply, of n keys, against a fresh emulator started with
// fault flags, then lifts the faults, so that the destroy, which is not
// measured, takes no longer than it must.
func (h *harness) faultyApply(ctx context.Context, run, n int, applyStep step, flags ...string) (sample, error) {
	e, err := h.startEmulator(ctx, flags...)
	if err != nil {
		return sample{}, err
	}
	defer e.stop()
	ws, err := h.newWorkspace(kindNCP, e, lifecycleConfig(kindNCP, n, h.StoreKeyValues))
	if err != nil {
		return sample{}, err
	}
	applied, err := h.runSteps(ctx, ws, run, []step{applyStep}) // which destroys should it fail
	if err == nil {
		err = e.control(ctx, http.MethodPut, "/_emulator/faults", emulator.Faults{}, nil)
	}
	if err == nil {
		_, err = h.runSteps(ctx, ws, run, []step{{name: "destroy", cmd: destroy}})
	}
	if err != nil {
		return sample{}, err
	}
	return applied[0], nil
}

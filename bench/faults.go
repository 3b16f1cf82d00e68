package main

import (
	"context"
	"errors"
	"fmt"
	"math"
	"net/http"

	"github.com/ncp-community/terraform-provider-ncp/internal/emulator"
)

// faults measures the apply of LatencyN time_static, of as many keys with
// latency on every request, and of RateN keys against a rate limit.
func (h *harness) faults(ctx context.Context) error {
	var floors, slow, limited []sample
	for run := 1; run <= h.Runs; run++ {
		err := errors.Join(h.faultyApply(ctx, run, &floors, kindTimeStatic, h.LatencyN, step{name: "apply (latency floor)"}),
			h.faultyApply(ctx, run, &slow, kindNCP, h.LatencyN, step{name: fmt.Sprintf("apply: create %d keys, %s latency", h.LatencyN, latency),
				minimum: createMinimum(h.LatencyN), faults: &emulator.Faults{Latency: latency}}),
			h.faultyApply(ctx, run, &limited, kindNCP, h.RateN, step{name: "apply, rate-limited", // whose refused requests count too
				faults: &emulator.Faults{RateLimit: rateLimit, RateBurst: rateBurst}}))
		if err != nil {
			return err
		}
	}
	// The latency floor: a latency per round of requests -parallelism allows (a
	// key's requests follow each other), plus the apply of a provider without I/O.
	wall := func(s sample) float64 { return s.WallS }
	slowApply, floorApply := medianOf(slow, wall), medianOf(floors, wall)
	rounds := math.Ceil(float64(h.LatencyN)/parallelism) * float64(createMinimum(1).total())
	floor := rounds*latency.Seconds() + floorApply
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
	// The quota floor: the fewest requests the apply makes, at the quota's rate.
	quotaFloor, rateWall := float64(createMinimum(h.RateN).total())/rateLimit, medianOf(limited, wall)
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

// faultyApply applies n resources of a kind, keys against a new emulator
// with s's faults.
func (h *harness) faultyApply(ctx context.Context, run int, samples *[]sample, kind string, n int, s step) error {
	var e *emulatorServer
	if s.faults != nil {
		e = h.startEmulator()
		defer e.Close()
	}
	s.cmd, s.config = apply, lifecycleConfig(kind, n, h.StoreKeyValues)
	applied, err := h.runSteps(ctx, kind, e, nil, run, []step{s})
	*samples = append(*samples, applied...)
	return err
}

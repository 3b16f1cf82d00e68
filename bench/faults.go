package main

import (
	"context"
	"fmt"
	"math"
	"net/http"
	"time"

	"github.com/ncp-community/terraform-provider-ncp/internal/emulator"
)

// latencyResult compares an apply against an API with latency to its floor:
// the rounds of requests Terraform's parallelism allows, each costing the
// latency once, plus what the same apply costs with a provider doing no I/O.
type latencyResult struct {
	N                 int       `json:"n"`
	LatencyS          float64   `json:"latency_s"`
	Parallelism       int       `json:"parallelism"`
	ApplySamples      []float64 `json:"apply_samples_s"`
	Apply             float64   `json:"apply_s"`
	TimeStaticSamples []float64 `json:"time_static_apply_samples_s"`
	TimeStaticApply   float64   `json:"time_static_apply_s"`
	Floor             float64   `json:"floor_s"`
	Ratio             float64   `json:"ratio"`
}

// latency measures apply of LatencyN keys against an emulator adding
// Latency to every request, next to the time_static apply of as many
// resources.
func (h *harness) latency(ctx context.Context) error {
	n, lat, par := h.opts.LatencyN, h.opts.Latency, h.opts.Parallelism
	r := latencyResult{N: n, LatencyS: seconds(lat), Parallelism: par}
	for run := 1; run <= h.opts.Runs; run++ {
		ts, err := h.floorApply(ctx, kindTimeStatic, n)
		if err != nil {
			return fmt.Errorf("time_static, run %d: %w", run, err)
		}
		r.TimeStaticSamples = append(r.TimeStaticSamples, ts)
		a, err := h.faultyApply(ctx, "latency", n, []string{"-latency", lat.String()})
		if err != nil {
			return fmt.Errorf("run %d: %w", run, err)
		}
		name := fmt.Sprintf("apply: create %d keys, %s latency", n, lat)
		h.checkRequests(name, run, routeCounts{emulator.RouteCreate: n}, a.stats.Requests)
		r.ApplySamples = append(r.ApplySamples, seconds(a.wall))
		h.logf("  run %d/%d: apply %.2fs, time_static apply %.2fs", run, h.opts.Runs, seconds(a.wall), ts)
	}
	r.Apply = median(r.ApplySamples)
	r.TimeStaticApply = median(r.TimeStaticSamples)
	rounds := math.Ceil(float64(n) / float64(par))
	r.Floor = rounds*r.LatencyS + r.TimeStaticApply
	r.Ratio = ratio(r.Apply, r.Floor)
	h.report.Latency = &r
	return nil
}

// floorApply applies n resources of a floor kind, destroys them, and
// returns the apply's wall time in seconds.
func (h *harness) floorApply(ctx context.Context, kind string, n int) (float64, error) {
	ws, err := h.floorWorkspace("floor-" + kind)
	if err != nil {
		return 0, err
	}
	if err := ws.writeConfig(overheadConfig(kind, n)); err != nil {
		return 0, err
	}
	res, err := ws.apply(ctx)
	if err != nil {
		h.destroyAfterFailure(ctx, ws)
		return 0, err
	}
	_, err = ws.destroy(ctx)
	return seconds(res.wall), err
}

// faultyApplyResult is an apply against a faulty emulator.
type faultyApplyResult struct {
	wall  time.Duration
	stats emulator.Stats
}

// faultyApply applies n keys against a fresh emulator started with the
// given fault flags, then lifts the faults and destroys the keys, so that
// the destroy, which is not measured, takes no longer than it must.
func (h *harness) faultyApply(ctx context.Context, name string, n int, flags []string) (faultyApplyResult, error) {
	e, err := h.startEmulator(ctx, flags...)
	if err != nil {
		return faultyApplyResult{}, err
	}
	defer e.stop()
	ws, err := h.ncpWorkspace(name, e, h.opts.binDir)
	if err != nil {
		return faultyApplyResult{}, err
	}
	if err := ws.writeConfig(overheadConfig(kindNCP, n)); err != nil {
		return faultyApplyResult{}, err
	}
	var r faultyApplyResult
	res, err := ws.apply(ctx)
	r.wall = res.wall
	if err == nil {
		r.stats, err = e.stats(ctx) // a fresh emulator has counted nothing else
	}
	if err == nil {
		err = e.setFaults(ctx, emulator.Faults{})
	}
	if err != nil {
		h.destroyAfterFailure(ctx, ws)
		return r, err
	}
	_, err = ws.destroy(ctx)
	return r, err
}

// rateLimitResult is an apply against an API that throttles: it must
// succeed, within rateLimitWallFactor of the time the quota allows, with few
// requests refused.
type rateLimitResult struct {
	N                 int       `json:"n"`
	RateLimit         int       `json:"rate_limit"`
	RateBurst         int       `json:"rate_burst"`
	WallSamples       []float64 `json:"wall_samples_s"`
	Wall              float64   `json:"wall_s"`
	QuotaFloor        float64   `json:"quota_floor_s"`
	MaxWall           float64   `json:"max_wall_s"`
	RequestSamples    []int     `json:"request_samples"`
	ThrottledSamples  []int     `json:"throttled_samples"`
	ThrottledShares   []float64 `json:"throttled_share_samples"`
	ThrottledShare    float64   `json:"throttled_share"`
	Errors            int       `json:"errors"`
	WallMet           bool      `json:"wall_met"`
	ThrottledShareMet bool      `json:"throttled_share_met"`
	ErrorsMet         bool      `json:"errors_met"`
}

// rateLimit measures apply of RateN keys against an emulator that allows
// RateLimit requests per second with a burst of RateBurst and answers
// HTTP 429 beyond.
func (h *harness) rateLimit(ctx context.Context) error {
	n, limit, burst := h.opts.RateN, h.opts.RateLimit, h.opts.RateBurst
	flags := []string{"-rate-limit", fmt.Sprint(limit), "-rate-burst", fmt.Sprint(burst)}
	r := rateLimitResult{N: n, RateLimit: limit, RateBurst: burst}
	for run := 1; run <= h.opts.Runs; run++ {
		a, err := h.faultyApply(ctx, "rate-limit", n, flags)
		if err != nil {
			return fmt.Errorf("run %d: %w", run, err)
		}
		total := routeCounts(a.stats.Requests).total()
		share := ratio(float64(a.stats.Throttled), float64(total))
		r.WallSamples = append(r.WallSamples, seconds(a.wall))
		r.RequestSamples = append(r.RequestSamples, total)
		r.ThrottledSamples = append(r.ThrottledSamples, a.stats.Throttled)
		r.ThrottledShares = append(r.ThrottledShares, share)
		r.Errors += errorAnswers(a.stats)
		h.logf("  run %d/%d: apply %.2fs, %d requests, %d throttled (%.1f%%)",
			run, h.opts.Runs, seconds(a.wall), total, a.stats.Throttled, 100*share)
	}
	r.Wall = median(r.WallSamples)
	r.QuotaFloor = float64(n) / float64(limit)
	r.MaxWall = rateLimitWallFactor * r.QuotaFloor
	r.ThrottledShare = median(r.ThrottledShares)
	r.WallMet = r.Wall <= r.MaxWall
	r.ThrottledShareMet = r.ThrottledShare <= rateLimitMaxShare
	r.ErrorsMet = r.Errors == 0
	h.report.RateLimit = &r
	return nil
}

// errorAnswers counts the answers that are neither a success nor a 429: a
// 429 is the limit doing its job, anything else is an error the user sees
// or the provider had to retry. Dropped connections count as status 0.
func errorAnswers(s emulator.Stats) int {
	n := 0
	for status, count := range s.Responses {
		if (status < http.StatusOK || status >= http.StatusMultipleChoices) && status != http.StatusTooManyRequests {
			n += count
		}
	}
	return n
}

package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/ncp-community/terraform-provider-ncp/internal/emulator"
)

// scaleResult is a plan that lists ScaleKeys keys through the data source.
type scaleResult struct {
	Keys            int       `json:"keys"`
	PageSize        int       `json:"page_size"`
	WallSamples     []float64 `json:"wall_samples_s"`
	Wall            float64   `json:"wall_s"`
	ListRequests    int       `json:"list_requests"`
	MinListRequests int       `json:"min_list_requests"`
	PeakRSSSamples  []float64 `json:"peak_rss_samples_mb"`
	PeakRSS         float64   `json:"peak_rss_mb"`
	WallMet         bool      `json:"wall_met"`
	PeakRSSMet      bool      `json:"peak_rss_met"`
}

// scale seeds ScaleKeys keys and plans a configuration that lists them
// all, measuring the plan's wall time and the provider's peak memory.
// Terraform runs the provider through the harness's own binary acting as a
// wrapper (see wrapper.go), which records the provider's RSS high-water
// mark when it exits.
func (h *harness) scale(ctx context.Context) error {
	keys, page := h.opts.ScaleKeys, h.opts.ScalePageSize
	r := scaleResult{Keys: keys, PageSize: page, MinListRequests: pages(keys, page)}
	wrapperDir, err := h.providerWrapper()
	if err != nil {
		return err
	}
	rssFile := filepath.Join(wrapperDir, "rss")
	e, ws, err := h.listWorkspace(ctx, "scale", keys, page, wrapperDir,
		envRealProvider+"="+filepath.Join(h.opts.binDir, wrapperName),
		envRSSFile+"="+rssFile)
	if err != nil {
		return err
	}
	defer e.stop()
	for run := 1; run <= h.opts.Runs; run++ {
		if err := os.Remove(rssFile); err != nil && !os.IsNotExist(err) {
			return err
		}
		res, measured, err := planList(ctx, e, ws, keys)
		if err != nil {
			return fmt.Errorf("run %d: %w", run, err)
		}
		rss, err := peakRSS(rssFile)
		if err != nil {
			return fmt.Errorf("run %d: %w", run, err)
		}
		name := fmt.Sprintf("plan: list data source over %d keys, page size %d", keys, page)
		h.checkRequests(name, run, routeCounts{emulator.RouteList: r.MinListRequests}, measured)
		r.ListRequests = max(r.ListRequests, measured.total())
		r.WallSamples = append(r.WallSamples, seconds(res.wall))
		r.PeakRSSSamples = append(r.PeakRSSSamples, float64(rss)/1e6)
		h.logf("  run %d/%d: plan %.2fs, %d requests, provider peak RSS %.0f MB",
			run, h.opts.Runs, seconds(res.wall), measured.total(), float64(rss)/1e6)
	}
	r.Wall = median(r.WallSamples)
	r.PeakRSS = median(r.PeakRSSSamples)
	r.WallMet = r.Wall < scaleMaxWall.Seconds()
	r.PeakRSSMet = r.PeakRSS < scaleMaxRSSMB
	h.report.Scale = &r
	return nil
}

// planList runs the plan of listConfig and checks that the data source saw
// as many keys as the emulator holds, which proves it read every page.
func planList(ctx context.Context, e *emulatorProcess, ws *workspace, want int) (commandResult, routeCounts, error) {
	return counted(ctx, e, func(ctx context.Context) (commandResult, error) {
		res, err := ws.plan(ctx)
		if err != nil {
			return res, err
		}
		listed, err := listedKeys(res.output)
		if err == nil && listed != want {
			err = fmt.Errorf("the data source listed %d keys, want %d", listed, want)
		}
		return res, err
	})
}

// providerWrapper makes a directory whose terraform-provider-ncp is a
// symlink to the harness's own binary.
func (h *harness) providerWrapper() (string, error) {
	self, err := os.Executable()
	if err != nil {
		return "", err
	}
	dir, err := os.MkdirTemp(h.tmp, "wrapper-")
	if err != nil {
		return "", err
	}
	return dir, os.Symlink(self, filepath.Join(dir, wrapperName))
}

// peakRSS reads the wrapper's file: one line per provider process that
// Terraform started during the command (it may start one to read the
// schema and another to plan); the peak is the largest.
func peakRSS(path string) (int64, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return 0, fmt.Errorf("no peak RSS recorded by the provider wrapper: %w", err)
	}
	var peaks []int64
	for _, line := range strings.Fields(string(b)) {
		v, err := strconv.ParseInt(line, 10, 64)
		if err != nil {
			return 0, fmt.Errorf("%s: %w", path, err)
		}
		peaks = append(peaks, v)
	}
	if len(peaks) == 0 {
		return 0, fmt.Errorf("%s is empty", path)
	}
	return slices.Max(peaks), nil
}

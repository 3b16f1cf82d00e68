package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"
)

// harness runs the measures and collects their results in a report.
type harness struct {
	opts   options
	tmp    string // every workspace and emulator directory; removed by close
	creds  credentials
	log    io.Writer
	report *report
	// emulators are stopped by close even when a measure returned early.
	emulators []*emulatorProcess
}

// credentials are the run's random access key and secret. They reach the
// emulator and Terraform through the environment only and are never printed.
type credentials struct {
	accessKey string
	secretKey string
}

func newCredentials() credentials {
	return credentials{accessKey: "bench-" + randomHex(10), secretKey: randomHex(20)}
}

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b) // never fails on Linux or macOS
	return hex.EncodeToString(b)
}

func newHarness(opts options, log io.Writer) (*harness, error) {
	tmp, err := os.MkdirTemp("", "ncp-bench-")
	if err != nil {
		return nil, err
	}
	return &harness{
		opts:   opts,
		tmp:    tmp,
		creds:  newCredentials(),
		log:    log,
		report: newReport(opts.settings),
	}, nil
}

// close stops every emulator and removes the temporary directories.
func (h *harness) close() {
	for _, e := range h.emulators {
		e.stop()
	}
	_ = os.RemoveAll(h.tmp)
}

func (h *harness) logf(format string, args ...any) {
	fmt.Fprintf(h.log, "bench: "+format+"\n", args...)
}

// fail records a failure: a Terraform command that failed, a plan that was
// not empty, a request count above the minimum. Any failure makes the
// harness exit non-zero; missed wall-time targets do not.
func (h *harness) fail(format string, args ...any) {
	msg := fmt.Sprintf(format, args...)
	h.report.Failures = append(h.report.Failures, msg)
	h.logf("FAIL: %s", msg)
}

// measure runs one measure and records its error as a failure, so that
// one broken measure does not hide the results of the others.
func (h *harness) measure(ctx context.Context, name string, fn func(context.Context) error) {
	if ctx.Err() != nil {
		return
	}
	start := time.Now()
	h.logf("%s...", name)
	if err := fn(ctx); err != nil {
		h.fail("%s: %v", name, err)
		return
	}
	h.logf("%s done in %s", name, time.Since(start).Round(time.Second))
}

// startEmulator starts an emulator that close will stop.
func (h *harness) startEmulator(ctx context.Context, flags ...string) (*emulatorProcess, error) {
	e, err := startEmulator(ctx, filepath.Join(h.opts.binDir, "ncp-apigw-emulator"), h.tmp, h.creds, flags...)
	if err != nil {
		return nil, err
	}
	h.emulators = append(h.emulators, e)
	return e, nil
}

// ncpWorkspace is a workspace whose provider talks to e. ncpDir is the
// directory of the provider binary Terraform runs.
func (h *harness) ncpWorkspace(name string, e *emulatorProcess, ncpDir string, extraEnv ...string) (*workspace, error) {
	env := append([]string{
		"NCP_APIGW_ENDPOINT=" + e.endpoint(),
		"NCLOUD_ACCESS_KEY=" + h.creds.accessKey,
		"NCLOUD_SECRET_KEY=" + h.creds.secretKey,
	}, extraEnv...)
	return newWorkspace(h.tmp, name, overrides{ncp: ncpDir, time: h.opts.timeDir}, env, h.opts.Parallelism)
}

// floorWorkspace is a workspace for the time_static or terraform_data floor.
func (h *harness) floorWorkspace(name string) (*workspace, error) {
	return newWorkspace(h.tmp, name, overrides{ncp: h.opts.binDir, time: h.opts.timeDir}, nil, h.opts.Parallelism)
}

// destroyAfterFailure destroys what a measure that failed half-way left
// behind, so that every apply is followed by a destroy. After an interrupt
// there is nothing to do: the emulator dies with the harness, and the
// floors' resources exist only in the workspace's state, which is removed.
func (h *harness) destroyAfterFailure(ctx context.Context, ws *workspace) {
	if ctx.Err() != nil {
		return
	}
	if _, err := ws.destroy(ctx); err != nil {
		h.logf("destroying after a failure: %v", err)
	}
}

// commandFunc is a Terraform command of a workspace.
type commandFunc func(context.Context) (commandResult, error)

// counted runs one Terraform command and returns the emulator's request
// counts for it alone. With no emulator (the floors) it only runs it.
func counted(ctx context.Context, e *emulatorProcess, cmd commandFunc) (commandResult, routeCounts, error) {
	if e == nil {
		res, err := cmd(ctx)
		return res, nil, err
	}
	if err := e.resetStats(ctx); err != nil {
		return commandResult{}, nil, err
	}
	res, err := cmd(ctx)
	if err != nil {
		return res, nil, err
	}
	s, err := e.stats(ctx)
	return res, s.Requests, err
}

// checkRequests compares one command's request counts with the minimum
// and records the result. A count above the minimum is a failure: each
// extra request is latency and quota that every user pays. A later run
// whose counts match is not repeated in the report, to keep it short.
func (h *harness) checkRequests(name string, run int, minimum, measured routeCounts) {
	c := newRequestCount(name, minimum, measured)
	if c.Met && run > 1 {
		return
	}
	if run > 1 {
		c.Name = fmt.Sprintf("%s (run %d)", name, run)
	}
	h.report.Requests = append(h.report.Requests, c)
	if !c.Met {
		h.fail("requests of %s: measured %s, minimum %s", c.Name, c.measuredText(), c.minimumText())
	}
}

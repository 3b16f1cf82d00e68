package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/ncp-community/terraform-provider-ncp/internal/emulator"
)

// sample is what the harness measures of one Terraform command. CPU is the
// user and system time of Terraform and of every process it waited for,
// the providers among them; PeakMiB and ProviderPeakMiB: see memory.go.
type sample struct {
	Workspace       string          `json:"workspace"`
	Step            string          `json:"step"`
	Run             int             `json:"run"`
	WallS           float64         `json:"wall_s"`
	CPUS            float64         `json:"cpu_s"`
	PeakMiB         float64         `json:"peak_mib"`
	ProviderPeakMiB float64         `json:"provider_peak_mib"`        // 0 for terraform_data
	Stats           *emulator.Stats `json:"emulator_stats,omitempty"` // this command's requests alone
	code            int
	output          string
}

// workspace is one Terraform working directory.
type workspace struct {
	name, dir, rssFile string
	env                []string
	emu                *emulatorProcess // nil for the floors, which send no requests
}

// newWorkspace makes a workspace holding config, named after the kind of
// resource or the measure. With an emulator, the provider talks to it and
// each command's requests are counted.
func (h *harness) newWorkspace(name string, emu *emulatorProcess, config string) (*workspace, error) {
	dir, err := os.MkdirTemp(h.tmp, name+"-")
	if err != nil {
		return nil, err
	}
	w := &workspace{name: name, dir: dir, rssFile: filepath.Join(dir, "provider-rss"), emu: emu}
	w.env = append(terraformEnv(os.Environ()), "TF_CLI_CONFIG_FILE="+h.cliConfig, "BENCH_PROVIDER_RSS="+w.rssFile)
	if emu != nil {
		w.env = append(w.env, "NCP_APIGW_ENDPOINT="+emu.url+emulator.BasePath,
			"NCLOUD_ACCESS_KEY="+h.accessKey, "NCLOUD_SECRET_KEY="+h.secretKey)
	}
	return w, w.writeConfig(config)
}

func (w *workspace) writeConfig(hcl string) error {
	return os.WriteFile(filepath.Join(w.dir, "main.tf"), []byte(hcl), 0o600)
}

// terraformEnv is the harness's environment without what would change the
// measure: every TF_* (TF_LOG, TF_CLI_ARGS...) and the provider's settings,
// which the workspace sets itself. Terraform must not call home either.
func terraformEnv(environ []string) []string {
	env := slices.DeleteFunc(slices.Clone(environ), func(kv string) bool {
		name, _, _ := strings.Cut(kv, "=")
		return strings.HasPrefix(name, "TF_") || strings.HasPrefix(name, "NCLOUD_") ||
			strings.HasPrefix(name, "NCP_") || name == "CHECKPOINT_DISABLE"
	})
	return append(env, "CHECKPOINT_DISABLE=1", "TF_IN_AUTOMATION=1")
}

// terraform runs one command, which must exit 0, and measures it.
func (w *workspace) terraform(ctx context.Context, args ...string) (sample, error) {
	if err := os.Remove(w.rssFile); err != nil && !errors.Is(err, os.ErrNotExist) {
		return sample{}, err
	}
	if w.emu != nil {
		if err := w.emu.control(ctx, http.MethodPost, "/_emulator/stats/reset", nil, nil); err != nil {
			return sample{}, err
		}
	}
	var out bytes.Buffer
	args = append(args, "-input=false", "-no-color", "-parallelism="+strconv.Itoa(parallelism))
	cmd := exec.CommandContext(ctx, "terraform", args...)
	cmd.Dir, cmd.Env, cmd.Stdout, cmd.Stderr = w.dir, w.env, &out, &out
	cmd.Cancel = func() error { return cmd.Process.Signal(os.Interrupt) }
	cmd.WaitDelay = 30 * time.Second // for Terraform to stop after an interrupt
	start := time.Now()
	err := cmd.Run()
	s := sample{WallS: time.Since(start).Seconds(), output: out.String()}
	switch ps := cmd.ProcessState; {
	case ctx.Err() != nil:
		return s, ctx.Err()
	case ps == nil:
		return s, fmt.Errorf("terraform %s: %w", args[0], err)
	default:
		s.code, s.CPUS, s.PeakMiB = ps.ExitCode(), (ps.UserTime() + ps.SystemTime()).Seconds(), maxRSSKiB(ps)/1024
	}
	if s.code != 0 {
		return s, fmt.Errorf("terraform %s exited %d:\n%s", args[0], s.code, tail(s.output, 30))
	}
	kib, err := providerPeakKiB(w.rssFile)
	s.ProviderPeakMiB = float64(kib) / 1024
	if err == nil && w.emu != nil {
		s.Stats = &emulator.Stats{}
		err = w.emu.control(ctx, http.MethodGet, "/_emulator/stats", nil, s.Stats)
	}
	return s, err
}

func (w *workspace) apply(ctx context.Context) (sample, error) {
	return w.terraform(ctx, "apply", "-auto-approve")
}

func (w *workspace) plan(ctx context.Context) (sample, error) {
	return w.terraform(ctx, "plan")
}

// planNoChange is the refreshing plan that must find nothing to do: with
// -detailed-exitcode, exit code 2 means changes.
func (w *workspace) planNoChange(ctx context.Context) (sample, error) {
	s, err := w.terraform(ctx, "plan", "-detailed-exitcode")
	if s.code == 2 {
		err = fmt.Errorf("the no-change plan is not empty: %w", err)
	}
	return s, err
}

func (w *workspace) destroy(ctx context.Context) (sample, error) {
	return w.terraform(ctx, "destroy", "-auto-approve")
}

// step is one command of a scenario, with the configuration it runs with
// ("" keeps the last) and the fewest requests it can make, checked when the
// workspace talks to an emulator.
type step struct {
	name    string
	config  string
	cmd     func(*workspace, context.Context) (sample, error)
	minimum routeCounts // nil: not checked
}

// runSteps runs the steps in one workspace, records their samples and
// checks their requests. The last step destroys; should an earlier one
// fail, a destroy still runs.
func (h *harness) runSteps(ctx context.Context, ws *workspace, run int, steps []step) ([]sample, error) {
	var samples []sample
	for i, s := range steps {
		if s.config != "" {
			if err := ws.writeConfig(s.config); err != nil {
				return samples, err
			}
		}
		res, err := s.cmd(ws, ctx)
		res.Workspace, res.Step, res.Run = ws.name, s.name, run
		h.report.Samples = append(h.report.Samples, res)
		if err != nil {
			if i < len(steps)-1 && ctx.Err() == nil { // after an interrupt, the emulator dies with the harness
				if _, err := ws.destroy(ctx); err != nil {
					h.logf("destroying after a failure: %v", err)
				}
			}
			return samples, fmt.Errorf("%s: %w", s.name, err)
		}
		if s.minimum != nil && ws.emu != nil {
			h.checkRequests(s.name, run, s.minimum, res.Stats)
		}
		samples = append(samples, res)
	}
	return samples, nil
}

// tail returns the last n lines of s, enough to see why a command failed.
func tail(s string, n int) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	return strings.Join(lines[max(0, len(lines)-n):], "\n")
}

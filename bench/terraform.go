package main

import (
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"
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

// The commands a step runs; workspace.run adds the flags they share.
var (
	apply    = []string{"apply", "-auto-approve"}
	plan     = []string{"plan"}
	noChange = []string{"plan", "-detailed-exitcode"} // exit code 2: the plan has changes
	destroy  = []string{"destroy", "-auto-approve"}
	query    = []string{"query"} // Terraform 1.14 and later
)

// workspace is one Terraform working directory.
type workspace struct {
	name, dir, rssFile, terraform string
	env                           []string
	emu                           *emulatorProcess // nil for the floors, which send no requests
}

// newWorkspace makes a workspace whose main.tf is config, named after the
// kind of resource or the measure. With an emulator, the provider talks to
// it and each command's requests are counted. Terraform gets no other
// environment than this, so that TF_LOG, TF_CLI_ARGS and the like cannot
// change a measure.
func (h *harness) newWorkspace(name string, emu *emulatorProcess, config string) (*workspace, error) {
	dir, err := os.MkdirTemp(h.tmp, name+"-")
	if err != nil {
		return nil, err
	}
	w := &workspace{name: name, dir: dir, rssFile: filepath.Join(dir, "provider-rss"), terraform: h.terraform, emu: emu}
	w.env = []string{"PATH=" + os.Getenv("PATH"), "HOME=" + os.Getenv("HOME"), "CHECKPOINT_DISABLE=1", "TF_IN_AUTOMATION=1",
		"TF_CLI_CONFIG_FILE=" + h.cliConfig, "BENCH_PROVIDER_RSS=" + w.rssFile}
	if emu != nil {
		w.env = append(w.env, "NCP_APIGW_ENDPOINT="+emu.url+emulator.BasePath,
			"NCLOUD_ACCESS_KEY="+h.accessKey, "NCLOUD_SECRET_KEY="+h.secretKey)
	}
	return w, w.write("main.tf", config)
}

func (w *workspace) write(file, content string) error {
	return os.WriteFile(filepath.Join(w.dir, file), []byte(content), 0o600)
}

// run runs one command, which must exit 0, and measures it. CPU time and
// Terraform's peak RSS come from wait4, whose ru_maxrss Linux gives in KiB.
func (w *workspace) run(ctx context.Context, args []string) (sample, error) {
	if err := os.Remove(w.rssFile); err != nil && !errors.Is(err, os.ErrNotExist) {
		return sample{}, err
	}
	if w.emu != nil {
		if err := w.emu.control(ctx, http.MethodPost, "/_emulator/stats/reset", nil, nil); err != nil {
			return sample{}, err
		}
	}
	args = append(slices.Clone(args), "-no-color")
	if args[0] != query[0] { // which takes neither
		args = append(args, "-input=false", "-parallelism="+strconv.Itoa(parallelism))
	}
	var out bytes.Buffer
	cmd := exec.CommandContext(ctx, w.terraform, args...)
	cmd.Dir, cmd.Env, cmd.Stdout, cmd.Stderr = w.dir, w.env, &out, &out
	cmd.Cancel = func() error { return cmd.Process.Signal(os.Interrupt) }
	cmd.WaitDelay = 30 * time.Second // for Terraform to stop after an interrupt
	start := time.Now()
	err := cmd.Run()
	s := sample{WallS: time.Since(start).Seconds(), output: out.String()}
	ps := cmd.ProcessState
	if ctx.Err() != nil || ps == nil {
		return s, cmp.Or(ctx.Err(), fmt.Errorf("terraform %s: %w", args[0], err))
	}
	s.code, s.CPUS = ps.ExitCode(), (ps.UserTime() + ps.SystemTime()).Seconds()
	s.PeakMiB = float64(ps.SysUsage().(*syscall.Rusage).Maxrss) / 1024
	if s.code == 2 && slices.Contains(args, "-detailed-exitcode") {
		return s, fmt.Errorf("the no-change plan is not empty:\n%s", tail(s.output, 30))
	} else if s.code != 0 {
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

// step is one command of a scenario, with the configuration it runs with
// ("" keeps the last) and the fewest requests it can make, checked when the
// workspace talks to an emulator.
type step struct {
	name    string
	config  string
	cmd     []string
	minimum routeCounts // nil: not checked
}

// runSteps runs the steps in one workspace, records their samples and
// checks their requests. Should a step fail, a destroy still runs.
func (h *harness) runSteps(ctx context.Context, ws *workspace, run int, steps []step) ([]sample, error) {
	var samples []sample
	for _, s := range steps {
		if s.config != "" {
			if err := ws.write("main.tf", s.config); err != nil {
				return samples, err
			}
		}
		res, err := ws.run(ctx, s.cmd)
		res.Workspace, res.Step, res.Run = ws.name, s.name, run
		h.report.Samples = append(h.report.Samples, res)
		if err != nil {
			if !slices.Equal(s.cmd, destroy) && ctx.Err() == nil { // after an interrupt, the emulator dies with the harness
				if _, err := ws.run(ctx, destroy); err != nil {
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

// terraformVersion asks Terraform its version, such as "1.11.4".
func terraformVersion(ctx context.Context, terraform string) (string, error) {
	var v struct {
		Version string `json:"terraform_version"`
	}
	out, err := exec.CommandContext(ctx, terraform, "version", "-json").Output()
	if err == nil {
		err = json.Unmarshal(out, &v)
	}
	if err != nil {
		return "", fmt.Errorf("%s version -json: %w", terraform, err)
	}
	return v.Version, nil
}

// tail returns the last n lines of s, enough to see why a command failed.
func tail(s string, n int) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	return strings.Join(lines[max(0, len(lines)-n):], "\n")
}

package main

import (
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"net/http/httptest"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/ncp-community/terraform-provider-ncp/internal/emulator"
)

// sample measures one Terraform command. CPU time and PeakMiB cover it and
// the providers it waited for (wait4); ProviderPeakMiB a provider alone.
type sample struct {
	Workspace       string         `json:"workspace"`
	Step            string         `json:"step"`
	Run             int            `json:"run"`
	WallS           float64        `json:"wall_s"`
	CPUS            float64        `json:"cpu_s"`
	PeakMiB         float64        `json:"peak_mib"`
	ProviderPeakMiB float64        `json:"provider_peak_mib"`       // 0 for terraform_data
	StateBytes      int            `json:"state_bytes"`             // after the command
	Stats           emulator.Stats `json:"emulator_stats,omitzero"` // this command's requests alone
	output          string
}

// The commands a step runs; runTerraform adds the flags they share.
var (
	apply    = []string{"apply", "-auto-approve"}
	plan     = []string{"plan"}
	noChange = []string{"plan", "-detailed-exitcode"} // exit code 2: the plan has changes
	destroy  = []string{"destroy", "-auto-approve"}
	query    = []string{"query"} // Terraform 1.14 and later
)

// emulatorServer is the emulator on a loopback port, outside Terraform's CPU time and memory.
type emulatorServer struct {
	*emulator.Emulator
	*httptest.Server
}

func (h *harness) startEmulator(faults emulator.Faults) *emulatorServer {
	e := emulator.New(emulator.Config{AccessKey: h.accessKey, SecretKey: h.secretKey, MaxPageSize: pageSize})
	e.SetFaults(faults)
	return &emulatorServer{e, httptest.NewServer(e)}
}

// ncpRequired, in every directory that talks to the emulator, points
// Terraform at the provider under test (time is hashicorp's, the default).
const ncpRequired = "terraform {\n  required_providers {\n    ncp = { source = \"ncp-community/ncp\" }\n  }\n}\n"

// step is one command, with its configuration ("" keeps the last; query:
// terraform query's), the fewest requests it can make (nil: unchecked) and
// the emulator's faults from this command on (nil: as they are).
type step struct {
	name, config, query string
	cmd                 []string
	minimum             routeCounts
	faults              *emulator.Faults
}

// runSteps runs the steps in a new directory whose provider talks to emu
// (nil for the floors) and whose state is in states (nil: the local file),
// records their samples and checks their requests.
func (h *harness) runSteps(ctx context.Context, name string, emu *emulatorServer, states *stateStore, run int, steps []step) ([]sample, error) {
	dir, err := os.MkdirTemp(h.tmp, name+"-")
	// No other environment, so that TF_LOG, TF_CLI_ARGS... cannot skew a measure.
	env := []string{"PATH=" + os.Getenv("PATH"), "HOME=" + os.Getenv("HOME"), "CHECKPOINT_DISABLE=1", "TF_IN_AUTOMATION=1",
		"TF_CLI_CONFIG_FILE=" + h.cliConfig, "BENCH_PROVIDER_RSS=" + filepath.Join(dir, "provider-rss")}
	if emu != nil && err == nil {
		env = append(env, "NCP_APIGW_ENDPOINT="+emu.URL+emulator.BasePath, "NCLOUD_ACCESS_KEY="+h.accessKey, "NCLOUD_SECRET_KEY="+h.secretKey)
		err = os.WriteFile(filepath.Join(dir, "providers.tf"), []byte(ncpRequired), 0o600)
	}
	if states != nil && err == nil {
		err = os.WriteFile(filepath.Join(dir, "backend.tf"), []byte(states.backendConfig(filepath.Base(dir))), 0o600)
	}
	var samples []sample
	for i, s := range steps {
		if err == nil && s.config != "" {
			err = os.WriteFile(filepath.Join(dir, "main.tf"), []byte(s.config), 0o600)
		}
		if err == nil && s.query != "" {
			err = os.WriteFile(filepath.Join(dir, "keys.tfquery.hcl"), []byte(s.query), 0o600)
		}
		if err == nil && states != nil && i == 0 {
			err = h.initBackend(ctx, dir, env)
		}
		if err != nil {
			return samples, err
		}
		if emu != nil && s.faults != nil {
			emu.SetFaults(*s.faults)
		}
		res, err := h.runTerraform(ctx, dir, env, emu, s.cmd)
		res.Workspace, res.Step, res.Run, res.StateBytes = name, s.name, run, states.stateBytes(dir)
		h.report.Samples = append(h.report.Samples, res)
		if err != nil {
			return samples, fmt.Errorf("%s: %w", s.name, err)
		}
		if s.minimum != nil && emu != nil {
			h.checkRequests(s.name, run, s.minimum, res.Stats)
		}
		samples = append(samples, res)
	}
	return samples, nil
}

// runTerraform runs one command in dir, which must exit 0, and measures it.
func (h *harness) runTerraform(ctx context.Context, dir string, env []string, emu *emulatorServer, args []string) (sample, error) {
	if emu != nil {
		emu.ResetStats()
	}
	args = append(slices.Clone(args), "-no-color")
	if args[0] != query[0] { // which takes neither
		args = append(args, "-input=false", "-parallelism="+strconv.Itoa(parallelism))
	}
	var out bytes.Buffer
	cmd := exec.CommandContext(ctx, h.terraform, args...)
	cmd.Dir, cmd.Env, cmd.Stdout, cmd.Stderr = dir, env, &out, &out
	cmd.Cancel = func() error { return cmd.Process.Signal(os.Interrupt) }
	cmd.WaitDelay = 30 * time.Second // for Terraform to stop after an interrupt
	start := time.Now()
	err := cmd.Run()
	s, ps := sample{WallS: time.Since(start).Seconds(), output: out.String()}, cmd.ProcessState
	if ctx.Err() != nil || ps == nil {
		return s, cmp.Or(ctx.Err(), fmt.Errorf("terraform %s: %w", args[0], err))
	}
	ru, _ := ps.SysUsage().(*syscall.Rusage) // always one on Linux, where Maxrss is in KiB
	s.CPUS, s.PeakMiB = (ps.UserTime() + ps.SystemTime()).Seconds(), float64(ru.Maxrss)/1024
	if ps.ExitCode() == 2 && slices.Equal(args[:2], noChange) {
		return s, fmt.Errorf("the no-change plan is not empty:\n%s", tail(s.output))
	} else if ps.ExitCode() != 0 {
		return s, fmt.Errorf("terraform %s exited %d:\n%s", args[0], ps.ExitCode(), tail(s.output))
	}
	kib, err := providerPeakKiB(filepath.Join(dir, "provider-rss"))
	s.ProviderPeakMiB = float64(kib) / 1024
	if emu != nil {
		s.Stats = emu.Stats()
	}
	return s, err
}

// initBackend runs terraform init, unmeasured, in a workspace with a
// backend block.
func (h *harness) initBackend(ctx context.Context, dir string, env []string) error {
	cmd := exec.CommandContext(ctx, h.terraform, "init", "-input=false", "-no-color")
	cmd.Dir, cmd.Env = dir, env
	if out, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("terraform init: %w:\n%s", err, tail(string(out)))
	}
	return nil
}

// writeProviderWrappers writes, under the names Terraform looks for, a
// script per provider (by source address) that runs it under GNU time, which
// appends its peak RSS in KiB to $BENCH_PROVIDER_RSS, and the CLI config
// that installs them. The config's filesystem mirror, of the same scripts,
// is only for `terraform init` of the workspaces with a backend block: init
// installs providers even when dev_overrides make them unused.
func writeProviderWrappers(dir, gnuTime string, providers map[string]string) (string, error) {
	var err error
	var overrides strings.Builder
	mirror := filepath.Join(dir, "mirror")
	for _, source := range slices.Sorted(maps.Keys(providers)) {
		name := "terraform-provider-" + path.Base(source)
		script := fmt.Sprintf("#!/bin/sh\nexec '%s' -f %%M -a -o \"$BENCH_PROVIDER_RSS\" '%s' \"$@\"\n", gnuTime, providers[source])
		platform := filepath.Join(mirror, "registry.terraform.io", source, "1.0.0", runtime.GOOS+"_"+runtime.GOARCH)
		err = errors.Join(err, os.WriteFile(filepath.Join(dir, name), []byte(script), 0o700),
			os.MkdirAll(platform, 0o755), os.Symlink(filepath.Join(dir, name), filepath.Join(platform, name)))
		fmt.Fprintf(&overrides, "    %q = %q\n", source, dir)
	}
	rc := filepath.Join(dir, "terraform.rc")
	config := fmt.Sprintf("provider_installation {\n  dev_overrides {\n%s  }\n  filesystem_mirror {\n    path = %q\n  }\n}\n", overrides.String(), mirror)
	return rc, errors.Join(err, os.WriteFile(rc, []byte(config), 0o600))
}

// providerPeakKiB reads, and removes for the next command, the wrappers'
// lines, one per provider process (none: no provider ran).
func providerPeakKiB(path string) (int, error) {
	b, err := os.ReadFile(path)
	defer os.Remove(path)
	if errors.Is(err, os.ErrNotExist) {
		return 0, nil
	}
	peak := 0
	for line := range strings.Lines(string(b)) {
		if kib, err := strconv.Atoi(strings.TrimSpace(line)); err == nil {
			peak = max(peak, kib)
		}
	}
	return peak, err
}

func terraformVersion(ctx context.Context, terraform string) (string, error) {
	var v struct {
		Version string `json:"terraform_version"`
	}
	out, err := exec.CommandContext(ctx, terraform, "version", "-json").Output()
	if err == nil {
		err = json.Unmarshal(out, &v)
	}
	return v.Version, err
}

// tail is enough of a command's output to see why it failed.
func tail(s string) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	return strings.Join(lines[max(0, len(lines)-30):], "\n")
}

package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
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

// sample is what the harness measures of one Terraform command. CPU and
// PeakMiB come from Terraform's rusage, which wait4 fills with Terraform's
// own use and that of every process it waited for, the providers among
// them: CPU adds them up, PeakMiB is the largest RSS of any of them.
// ProviderPeakMiB is the largest RSS of a provider process alone, as GNU
// time reports it (see writeProviderWrappers); 0 for terraform_data.
type sample struct {
	Workspace       string          `json:"workspace"`
	Step            string          `json:"step"`
	Run             int             `json:"run"`
	WallS           float64         `json:"wall_s"`
	CPUS            float64         `json:"cpu_s"`
	PeakMiB         float64         `json:"peak_mib"`
	ProviderPeakMiB float64         `json:"provider_peak_mib"`
	Stats           *emulator.Stats `json:"emulator_stats,omitempty"` // this command's requests alone
	code            int
	output          string
}

// workspace is one Terraform working directory whose CLI config has
// dev_overrides for the providers under test: no `terraform init` is
// needed, nor possible (the registry is unreachable).
type workspace struct {
	name         string // the kind of resource or the measure
	dir, rssFile string
	env          []string
	emu          *emulatorProcess // nil for the floors, which send no requests
}

// newWorkspace makes a workspace holding config. With an emulator, the
// provider talks to it and each command's requests are counted.
func (h *harness) newWorkspace(name string, emu *emulatorProcess, config string) (*workspace, error) {
	dir, err := os.MkdirTemp(h.tmp, name+"-")
	if err != nil {
		return nil, err
	}
	rc := filepath.Join(dir, "terraform.rc")
	err = os.WriteFile(rc, fmt.Appendf(nil, `provider_installation {
  dev_overrides {
    "ncp-community/ncp" = %[1]q
    "hashicorp/time"    = %[1]q
  }
  direct {}
}
`, h.wrappers), 0o600)
	w := &workspace{name: name, dir: dir, rssFile: filepath.Join(dir, "provider-rss"), emu: emu}
	w.env = append(terraformEnv(os.Environ()), "TF_CLI_CONFIG_FILE="+rc, "BENCH_PROVIDER_RSS="+w.rssFile)
	if emu != nil {
		w.env = append(w.env, "NCP_APIGW_ENDPOINT="+emu.url+emulator.BasePath,
			"NCLOUD_ACCESS_KEY="+h.accessKey, "NCLOUD_SECRET_KEY="+h.secretKey)
	}
	return w, errors.Join(err, w.writeConfig(config))
}

func (w *workspace) writeConfig(hcl string) error {
	return os.WriteFile(filepath.Join(w.dir, "main.tf"), []byte(hcl), 0o600)
}

// writeProviderWrappers writes, under the names Terraform looks for, a
// two-line script per provider that runs the real binary under GNU time,
// which appends the provider's peak RSS in KiB to $BENCH_PROVIDER_RSS when
// it exits. The provider keeps Terraform's stdin, stdout and stderr, so
// go-plugin's handshake is unchanged. It returns the directory.
func writeProviderWrappers(tmp, gnuTime string, providers map[string]string) (string, error) {
	dir := filepath.Join(tmp, "providers")
	err := os.Mkdir(dir, 0o700)
	for name, binary := range providers {
		script := fmt.Sprintf("#!/bin/sh\nexec '%s' -f %%M -a -o \"$BENCH_PROVIDER_RSS\" '%s' \"$@\"\n", gnuTime, binary)
		err = errors.Join(err, os.WriteFile(filepath.Join(dir, name), []byte(script), 0o700))
	}
	return dir, err
}

// providerPeakKiB reads what the wrappers appended: a line per provider
// process (Terraform starts several), among notes of GNU time such as
// "Command exited with non-zero status 1". No file: no provider ran.
func providerPeakKiB(path string) (int, error) {
	b, err := os.ReadFile(path)
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
		if err := w.emu.resetStats(ctx); err != nil {
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
	if ps := cmd.ProcessState; ps != nil {
		s.code, s.CPUS = ps.ExitCode(), (ps.UserTime() + ps.SystemTime()).Seconds()
		if ru, ok := ps.SysUsage().(*syscall.Rusage); ok {
			s.PeakMiB = maxRSSKiB(ru) / 1024
		}
	}
	var exitErr *exec.ExitError
	switch {
	case ctx.Err() != nil:
		return s, ctx.Err()
	case err != nil && !errors.As(err, &exitErr):
		return s, fmt.Errorf("terraform %s: %w", args[0], err)
	case s.code != 0:
		return s, fmt.Errorf("terraform %s exited %d:\n%s", args[0], s.code, tail(s.output, 30))
	}
	kib, err := providerPeakKiB(w.rssFile)
	s.ProviderPeakMiB = float64(kib) / 1024
	if err == nil && w.emu != nil {
		s.Stats, err = w.emu.stats(ctx)
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

// tail returns the last n lines of s, enough to see why a command failed.
func tail(s string, n int) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	return strings.Join(lines[max(0, len(lines)-n):], "\n")
}

package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// workspace is one Terraform working directory with its own CLI config. Its
// dev_overrides point Terraform at the providers under test, so no
// `terraform init` is needed (nor possible: the registry is unreachable).
type workspace struct {
	dir         string
	env         []string
	parallelism int
}

// overrides are the directories dev_overrides maps the providers to.
type overrides struct {
	ncp  string // holds terraform-provider-ncp: the build, or the RSS wrapper
	time string // holds terraform-provider-time
}

// commandGrace is how long Terraform gets to stop after an interrupt before
// it is killed.
const commandGrace = 30 * time.Second

// errPlanNotEmpty is the failure of a plan that should have found nothing
// to change.
var errPlanNotEmpty = errors.New("the no-change plan is not empty")

// newWorkspace makes a directory under root whose Terraform runs with the
// given overrides and extra environment (credentials, endpoint).
func newWorkspace(root, name string, o overrides, extraEnv []string, parallelism int) (*workspace, error) {
	dir, err := os.MkdirTemp(root, name+"-")
	if err != nil {
		return nil, err
	}
	rc := filepath.Join(dir, "terraform.rc")
	if err := os.WriteFile(rc, []byte(cliConfig(o)), 0o600); err != nil {
		return nil, err
	}
	env := append(terraformEnv(os.Environ()), "TF_CLI_CONFIG_FILE="+rc)
	return &workspace{dir: dir, env: append(env, extraEnv...), parallelism: parallelism}, nil
}

// cliConfig is the CLI config that installs the providers under test from
// local directories.
func cliConfig(o overrides) string {
	return fmt.Sprintf(`provider_installation {
  dev_overrides {
    "ncp-community/ncp" = %q
    "hashicorp/time"    = %q
  }
  direct {}
}
`, o.ncp, o.time)
}

// terraformEnv is the harness's environment without the variables that
// would change what is measured: every TF_* (TF_LOG, TF_CLI_ARGS,
// TF_CLI_CONFIG_FILE...) and the provider's own settings, which the
// workspace sets itself. It adds CHECKPOINT_DISABLE so that Terraform does
// not try to call home.
func terraformEnv(environ []string) []string {
	var env []string
	for _, kv := range environ {
		name, _, _ := strings.Cut(kv, "=")
		if strings.HasPrefix(name, "TF_") || strings.HasPrefix(name, "NCLOUD_") ||
			strings.HasPrefix(name, "NCP_") || name == "CHECKPOINT_DISABLE" {
			continue
		}
		env = append(env, kv)
	}
	return append(env, "CHECKPOINT_DISABLE=1", "TF_IN_AUTOMATION=1")
}

// writeConfig replaces the workspace's configuration.
func (w *workspace) writeConfig(hcl string) error {
	return os.WriteFile(filepath.Join(w.dir, "main.tf"), []byte(hcl), 0o600)
}

// commandResult is one finished Terraform command. cpu is the user and
// system time of Terraform and of the provider processes it ran and waited
// for: unlike wall time, it hardly moves when a noisy neighbour takes the
// CPU, so it tells a slow machine from a slow provider.
type commandResult struct {
	wall   time.Duration
	cpu    time.Duration
	code   int
	output string
}

// terraform runs one command and times it from start to exit. The error is
// only for a command that could not run or was interrupted; the caller
// judges the exit code.
func (w *workspace) terraform(ctx context.Context, args ...string) (commandResult, error) {
	var out bytes.Buffer
	cmd := exec.CommandContext(ctx, "terraform", args...)
	cmd.Dir, cmd.Env = w.dir, w.env
	cmd.Stdout, cmd.Stderr = &out, &out
	cmd.Cancel = func() error { return cmd.Process.Signal(os.Interrupt) }
	cmd.WaitDelay = commandGrace
	start := time.Now()
	err := cmd.Run()
	res := commandResult{wall: time.Since(start), code: cmd.ProcessState.ExitCode(), output: out.String()}
	if cmd.ProcessState != nil {
		res.cpu = cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime()
	}
	if ctxErr := ctx.Err(); ctxErr != nil {
		return res, ctxErr
	}
	var exitErr *exec.ExitError
	if err != nil && !errors.As(err, &exitErr) {
		return res, fmt.Errorf("terraform %s: %w", args[0], err)
	}
	return res, nil
}

// mustSucceed runs a command that has to exit 0.
func (w *workspace) mustSucceed(ctx context.Context, args ...string) (commandResult, error) {
	res, err := w.terraform(ctx, args...)
	if err == nil && res.code != 0 {
		err = fmt.Errorf("terraform %s exited %d:\n%s", args[0], res.code, tail(res.output, 30))
	}
	return res, err
}

func (w *workspace) parallelismFlag() string {
	return "-parallelism=" + strconv.Itoa(w.parallelism)
}

// apply creates or updates everything in the configuration.
func (w *workspace) apply(ctx context.Context) (commandResult, error) {
	return w.mustSucceed(ctx, "apply", "-auto-approve", "-input=false", "-no-color", w.parallelismFlag())
}

// planNoChange runs the refreshing plan that must find nothing to do:
// exit code 0 of -detailed-exitcode, where 2 means changes.
func (w *workspace) planNoChange(ctx context.Context) (commandResult, error) {
	res, err := w.terraform(ctx, "plan", "-input=false", "-detailed-exitcode", "-no-color", w.parallelismFlag())
	switch {
	case err != nil:
		return res, err
	case res.code == 2:
		return res, fmt.Errorf("%w:\n%s", errPlanNotEmpty, tail(res.output, 30))
	case res.code != 0:
		return res, fmt.Errorf("terraform plan exited %d:\n%s", res.code, tail(res.output, 30))
	}
	return res, nil
}

// plan runs a plan that may propose changes, returning its output.
func (w *workspace) plan(ctx context.Context) (commandResult, error) {
	return w.mustSucceed(ctx, "plan", "-input=false", "-no-color", w.parallelismFlag())
}

// destroy removes everything the workspace created.
func (w *workspace) destroy(ctx context.Context) (commandResult, error) {
	return w.mustSucceed(ctx, "destroy", "-auto-approve", "-no-color", w.parallelismFlag())
}

// tail returns the last n lines of s, enough to see why a command failed.
func tail(s string, n int) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}

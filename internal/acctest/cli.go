package acctest

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/hashicorp/terraform-exec/tfexec"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"
)

// providerBuild is the provider, built once per test binary.
var providerBuild struct {
	once sync.Once
	dir  string // holds terraform-provider-ncp and devOverrides
	err  error
}

// devOverrides is the CLI configuration that scripts/dev-overrides.sh, the
// one writer of dev_overrides, writes for BuildProvider next to the provider.
const devOverrides = "dev-overrides.tfrc"

// BuildProvider builds the provider once from the repository at repoRoot
// (relative to the test's package), with the CLI configuration NewCLI uses,
// into the directory it returns, which RemoveProviderBuild deletes.
func BuildProvider(t *testing.T, repoRoot string) string {
	t.Helper()
	providerBuild.once.Do(func() {
		dir, err := os.MkdirTemp("", "ncp-provider-build-") //nolint:usetesting // outlives each test; RemoveProviderBuild deletes it
		providerBuild.dir, providerBuild.err = dir, err
		if err != nil {
			return
		}
		out, err := exec.Command("go", "build", "-C", repoRoot, "-o", filepath.Join(dir, "terraform-provider-ncp"), ".").CombinedOutput()
		if err == nil {
			out, err = exec.Command("bash", filepath.Join(repoRoot, "scripts", "dev-overrides.sh"), "ncp-community/ncp="+dir).Output()
		}
		if err == nil {
			err = os.WriteFile(filepath.Join(dir, devOverrides), out, 0o644)
		} else {
			err = fmt.Errorf("building the provider: %w\n%s", err, out)
		}
		providerBuild.err = err
	})
	if providerBuild.err != nil {
		t.Fatal(providerBuild.err)
	}
	return providerBuild.dir
}

// RemoveProviderBuild deletes what BuildProvider built; TestMain calls it.
func RemoveProviderBuild() {
	_ = os.RemoveAll(providerBuild.dir) // nothing when nothing was built
}

// terraformBinary is the CLI the acceptance tests run too.
func terraformBinary() string {
	return cmp.Or(os.Getenv("TF_ACC_TERRAFORM_PATH"), "terraform")
}

// OpenTofu reports whether the tests run OpenTofu (a CLI named tofu*).
func OpenTofu() bool {
	return strings.HasPrefix(filepath.Base(terraformBinary()), "tofu")
}

// The CLIs that have what a test needs, for TerraformVersionChecks or
// CLISkips; the others skip the test.
var (
	// Ephemeral resources: Terraform 1.10 and later.
	EphemeralCLIs = []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_10_0)}
	// Resource identities: Terraform 1.12 and later.
	IdentityCLIs = []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_12_0)}
	// `terraform query` and actions: Terraform 1.14 and later, not OpenTofu.
	QueryAndActionCLIs = []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_14_0), SkipOpenTofu{}}
)

// SkipOpenTofu skips a test on OpenTofu, whose versions follow
// Terraform's but which has neither `terraform query` nor actions.
type SkipOpenTofu struct{}

func (SkipOpenTofu) CheckTerraformVersion(_ context.Context, _ tfversion.CheckTerraformVersionRequest, resp *tfversion.CheckTerraformVersionResponse) {
	if OpenTofu() {
		resp.Skip = "OpenTofu has neither terraform query nor actions"
	}
}

// CLISkips runs version checks for tests that drive the CLI themselves: it
// returns why one skips ("" when none does), and fails t when one fails.
func CLISkips(t *testing.T, checks ...tfversion.TerraformVersionCheck) string {
	t.Helper()
	tf, err := tfexec.NewTerraform(t.TempDir(), terraformBinary())
	if err != nil {
		t.Fatal(err)
	}
	v, _, err := tf.Version(context.Background(), true)
	if err != nil {
		t.Fatalf("the version of %s: %v", terraformBinary(), err)
	}
	for _, check := range checks {
		var resp tfversion.CheckTerraformVersionResponse
		check.CheckTerraformVersion(context.Background(), tfversion.CheckTerraformVersionRequest{TerraformVersion: v}, &resp)
		if resp.Error != nil {
			t.Fatal(resp.Error)
		}
		if resp.Skip != "" {
			return resp.Skip
		}
	}
	return ""
}

// CLI runs terraform through terraform-exec in one working directory, at
// TF_LOG=trace, and keeps everything the commands print.
type CLI struct {
	t       *testing.T
	tf      *tfexec.Terraform
	Dir     string // the configuration's directory
	LogPath string // the trace log
	env     map[string]string
	printed strings.Builder // every command's stdout and stderr
	stdout  *strings.Builder
}

// NewCLI points terraform at the provider BuildProvider built in pluginDir,
// and at endpoint with the test account's credentials.
func NewCLI(t *testing.T, pluginDir, endpoint string) *CLI {
	t.Helper()
	c := &CLI{t: t, Dir: t.TempDir(), LogPath: filepath.Join(t.TempDir(), "terraform.log"), env: map[string]string{}}
	c.Setenv(os.Environ()...)
	c.env = tfexec.CleanEnv(c.env) // tfexec sets TF_LOG and such itself, and refuses them here
	c.Setenv("TF_CLI_CONFIG_FILE="+filepath.Join(pluginDir, devOverrides), "CHECKPOINT_DISABLE=1",
		"NCLOUD_ACCESS_KEY="+AccessKey, "NCLOUD_SECRET_KEY="+SecretKey, "NCP_APIGW_ENDPOINT="+endpoint)
	var err error
	c.tf, err = tfexec.NewTerraform(c.Dir, terraformBinary())
	if err == nil {
		err = c.tf.SetLogPath(c.LogPath) // at TRACE
	}
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// Setenv sets environment variables ("NAME=value") for every later command.
func (c *CLI) Setenv(vars ...string) { setVars(c.env, vars) }

func setVars(env map[string]string, vars []string) {
	for _, v := range vars {
		name, value, _ := strings.Cut(v, "=")
		env[name] = value
	}
}

// SetLog sets TF_LOG, trace by default, for every later command.
func (c *CLI) SetLog(level string) {
	c.t.Helper()
	if err := c.tf.SetLog(level); err != nil {
		c.t.Fatal(err)
	}
}

// Command is one terraform command, a call of tfexec's, for Do.
type Command func(ctx context.Context, tf *tfexec.Terraform) error

// Apply is terraform apply with opts.
func Apply(opts ...tfexec.ApplyOption) Command {
	return func(ctx context.Context, tf *tfexec.Terraform) error { return tf.Apply(ctx, opts...) }
}

// Destroy is terraform destroy with opts.
func Destroy(opts ...tfexec.DestroyOption) Command {
	return func(ctx context.Context, tf *tfexec.Terraform) error { return tf.Destroy(ctx, opts...) }
}

// Plan is terraform plan with opts. With detailedExitCode, a plan that has
// changes ends in exit code 2, as with -detailed-exitcode.
func Plan(detailedExitCode bool, opts ...tfexec.PlanOption) Command {
	return func(ctx context.Context, tf *tfexec.Terraform) error {
		changes, err := tf.Plan(ctx, opts...)
		if err == nil && changes && detailedExitCode {
			return errPlanChanges
		}
		return err
	}
}

// errPlanChanges stands for plan's exit code 2 under -detailed-exitcode.
var errPlanChanges = errors.New("the plan has changes")

// Do runs command with extra environment variables env ("NAME=value"), and
// returns its exit code and what it printed: stdout, then stderr.
func (c *CLI) Do(env []string, command Command) (int, string) {
	c.t.Helper()
	vars := maps.Clone(c.env)
	setVars(vars, env)
	var stdout, stderr strings.Builder
	c.stdout = &stdout
	c.tf.SetStdout(&stdout)
	c.tf.SetStderr(&stderr)
	err := c.tf.SetEnv(vars)
	if err == nil {
		err = command(context.Background(), c.tf)
	}
	out := stdout.String() + stderr.String()
	c.printed.WriteString(out)
	var exit *exec.ExitError
	switch {
	case errors.Is(err, errPlanChanges):
		return 2, out
	case errors.As(err, &exit):
		return exit.ExitCode(), out
	case err != nil:
		c.t.Fatalf("terraform: %v\n%s", err, out)
	}
	return 0, out
}

// Query runs `terraform query -json` with opts and returns its exit code
// and messages, one JSON line each.
func (c *CLI) Query(opts ...tfexec.QueryOption) (int, string) {
	c.t.Helper()
	return c.Do(nil, func(ctx context.Context, tf *tfexec.Terraform) error {
		messages, err := tf.QueryJSON(ctx, opts...)
		for m := range messages {
			if err = m.Err; m.Msg != nil {
				line, _ := json.Marshal(m.Msg)
				c.stdout.Write(append(line, '\n'))
			}
		}
		return err
	})
}

// WriteConfig replaces the configuration.
func (c *CLI) WriteConfig(config string) {
	c.t.Helper()
	WriteFile(c.t, filepath.Join(c.Dir, "main.tf"), config)
}

// Apply applies the configuration and then asserts that a plan is empty.
func (c *CLI) Apply(config string) string {
	c.t.Helper()
	c.WriteConfig(config)
	out := c.ExpectExit(0, Apply())
	c.ExpectExit(0, Plan(true))
	return out
}

// ApplyFails applies the configuration with extra environment variables,
// asserts that the apply fails, and returns its output.
func (c *CLI) ApplyFails(config string, env ...string) string {
	c.t.Helper()
	c.WriteConfig(config)
	code, out := c.Do(env, Apply())
	if code == 0 {
		c.t.Fatalf("terraform apply succeeded, want it to fail:\n%s", out)
	}
	return out
}

// ExpectExit runs command, asserts that it exits with want, and returns its
// output. Plan(true) exits 0 when the plan is empty, 2 when it has changes.
func (c *CLI) ExpectExit(want int, command Command) string {
	c.t.Helper()
	code, out := c.Do(nil, command)
	if code != want {
		c.t.Fatalf("terraform exited %d, want %d:\n%s", code, want, out)
	}
	return out
}

// Printed is everything the commands printed and logged so far.
func (c *CLI) Printed() string {
	c.t.Helper()
	log, err := os.ReadFile(c.LogPath)
	if err != nil && !os.IsNotExist(err) {
		c.t.Fatal(err)
	}
	return c.printed.String() + string(log)
}

// WriteFile writes content to path, failing the test if it cannot.
func WriteFile(t *testing.T, path, content string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

package acctest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/hashicorp/go-version"
)

// providerBuild is the provider binary, built once per test binary.
var providerBuild struct {
	once sync.Once
	dir  string // holds terraform-provider-ncp
	err  error
}

// BuildProvider builds the provider from this tree once, into a directory
// that RemoveProviderBuild deletes, and returns that directory. repoRoot is
// the repository's root, relative to the calling test's package.
func BuildProvider(t *testing.T, repoRoot string) string {
	t.Helper()
	providerBuild.once.Do(func() {
		dir, err := os.MkdirTemp("", "ncp-provider-build-") //nolint:usetesting // outlives each test; RemoveProviderBuild deletes it
		if err != nil {
			providerBuild.err = err
			return
		}
		providerBuild.dir = dir
		build := exec.Command("go", "build", "-o", filepath.Join(dir, "terraform-provider-ncp"), ".")
		build.Dir = repoRoot
		if out, err := build.CombinedOutput(); err != nil {
			providerBuild.err = fmt.Errorf("building the provider: %w\n%s", err, out)
		}
	})
	if providerBuild.err != nil {
		t.Fatal(providerBuild.err)
	}
	return providerBuild.dir
}

// RemoveProviderBuild deletes what BuildProvider built; TestMain calls it.
func RemoveProviderBuild() {
	if providerBuild.dir != "" {
		_ = os.RemoveAll(providerBuild.dir)
	}
}

// TerraformBinary is the terraform the CLI runner runs: the one
// TF_ACC_TERRAFORM_PATH names, as for the acceptance tests, else terraform
// on PATH.
func TerraformBinary() string {
	if path := os.Getenv("TF_ACC_TERRAFORM_PATH"); path != "" {
		return path
	}
	return "terraform"
}

// OpenTofu reports whether the CLI runner runs OpenTofu, which has neither
// `terraform query` nor actions whatever its version: its versions follow
// Terraform's.
func OpenTofu() bool {
	return strings.HasPrefix(filepath.Base(TerraformBinary()), "tofu")
}

// TerraformAtLeast reports whether the terraform the CLI runner runs is
// minVersion or later. OpenTofu reports the Terraform version it matches.
func TerraformAtLeast(t *testing.T, minVersion string) bool {
	t.Helper()
	bin := TerraformBinary()
	out, err := exec.Command(bin, "version", "-json").Output()
	if err != nil {
		t.Fatalf("%s version: %v", bin, err)
	}
	var v struct {
		Version string `json:"terraform_version"`
	}
	// OpenTofu may print warnings before the JSON, on stdout too.
	if err := json.NewDecoder(bytes.NewReader(out[max(0, bytes.IndexByte(out, '{')):])).Decode(&v); err != nil {
		t.Fatalf("%s version -json: %v", bin, err)
	}
	have, err := version.NewVersion(v.Version)
	if err != nil {
		t.Fatal(err)
	}
	return !have.LessThan(version.Must(version.NewVersion(minVersion)))
}

// SkipBelow skips the test when the terraform the CLI runner runs is older
// than minVersion.
func SkipBelow(t *testing.T, minVersion string) {
	t.Helper()
	if !TerraformAtLeast(t, minVersion) {
		t.Skipf("%s is older than %s, which this test needs", TerraformBinary(), minVersion)
	}
}

// SkipWithoutQueryAndActions skips the test unless the CLI has `terraform
// query` and actions: Terraform 1.14 and later.
func SkipWithoutQueryAndActions(t *testing.T) {
	t.Helper()
	if OpenTofu() {
		t.Skip("OpenTofu has neither terraform query nor actions")
	}
	SkipBelow(t, "1.14.0")
}

// CLI runs terraform in one working directory with a provider built from
// this tree, with TF_LOG=trace, and keeps everything the commands print.
type CLI struct {
	t       *testing.T
	bin     string // see TerraformBinary
	Dir     string // the configuration's directory
	LogPath string // the trace log
	env     []string
	output  bytes.Buffer // every command's stdout and stderr
}

// NewCLI points terraform at the provider in pluginDir through a
// dev_overrides CLI configuration, and at endpoint with the test account's
// credentials in the environment.
func NewCLI(t *testing.T, pluginDir, endpoint string) *CLI {
	t.Helper()
	bin := TerraformBinary()
	if _, err := exec.LookPath(bin); err != nil {
		t.Fatalf("cannot run %s: %v", bin, err)
	}
	work := t.TempDir()
	rc := filepath.Join(work, "terraformrc")
	WriteFile(t, rc, `provider_installation {
  dev_overrides {
    "ncp-community/ncp" = "`+pluginDir+`"
  }
  direct {}
}
`)
	dir := filepath.Join(work, "config")
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	logPath := filepath.Join(work, "terraform.log")
	return &CLI{
		t:       t,
		bin:     bin,
		Dir:     dir,
		LogPath: logPath,
		env: append(os.Environ(),
			"TF_CLI_CONFIG_FILE="+rc,
			"TF_LOG=trace",
			"TF_LOG_PATH="+logPath,
			"TF_IN_AUTOMATION=1",
			"CHECKPOINT_DISABLE=1",
			"NCLOUD_ACCESS_KEY="+AccessKey,
			"NCLOUD_SECRET_KEY="+SecretKey,
			"NCP_APIGW_ENDPOINT="+endpoint,
		),
	}
}

// Setenv sets environment variables ("NAME=value") for every later command.
func (c *CLI) Setenv(vars ...string) {
	c.env = append(c.env, vars...)
}

// Run runs terraform with args and returns its exit code and output.
func (c *CLI) Run(args ...string) (int, string) {
	c.t.Helper()
	return c.RunWith(nil, args...)
}

// RunWith is Run with extra environment variables, which override the
// CLI's own (os/exec uses the last value of a duplicated variable).
func (c *CLI) RunWith(env []string, args ...string) (int, string) {
	c.t.Helper()
	cmd := exec.Command(c.bin, append(args, "-no-color")...)
	cmd.Dir, cmd.Env = c.Dir, append(slices.Clone(c.env), env...)
	out, err := cmd.CombinedOutput()
	c.output.Write(out)
	code := 0
	if exitErr, ok := err.(*exec.ExitError); ok {
		code = exitErr.ExitCode()
	} else if err != nil {
		c.t.Fatalf("terraform %s: %v", strings.Join(args, " "), err)
	}
	return code, string(out)
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
	code, out := c.Run("apply", "-auto-approve", "-input=false")
	if code != 0 {
		c.t.Fatalf("terraform apply failed (exit %d):\n%s", code, out)
	}
	c.ExpectPlanExit(0)
	return out
}

// ApplyFails applies the configuration, asserts that the apply fails, and
// returns its output.
func (c *CLI) ApplyFails(config string, env ...string) string {
	c.t.Helper()
	c.WriteConfig(config)
	code, out := c.RunWith(env, "apply", "-auto-approve", "-input=false")
	if code == 0 {
		c.t.Fatalf("terraform apply succeeded, want it to fail:\n%s", out)
	}
	return out
}

// ExpectPlanExit runs plan -detailed-exitcode: 0 is empty, 2 has changes.
func (c *CLI) ExpectPlanExit(want int) string {
	c.t.Helper()
	code, out := c.Run("plan", "-input=false", "-detailed-exitcode")
	if code != want {
		c.t.Fatalf("terraform plan exited %d, want %d:\n%s", code, want, out)
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
	return c.output.String() + string(log)
}

// WriteFile writes content to path, failing the test if it cannot.
func WriteFile(t *testing.T, path, content string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

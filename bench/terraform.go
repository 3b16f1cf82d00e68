package main

import (
	"context"
	"errors"
	"fmt"
	"io"
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
	"time"

	"github.com/hashicorp/terraform-exec/tfexec"
	tfjson "github.com/hashicorp/terraform-json"

	"github.com/ncp-community/terraform-provider-ncp/internal/emulator"
)

// sample measures one Terraform command. CPU time and PeakMiB cover it and the
// providers it waited for (GNU time, wait4); ProviderPeakMiB a provider alone.
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

// command is what a step runs through tfexec (which adds -input=false and
// -parallelism=10); what it writes to out joins the sample's output.
type command func(ctx context.Context, tf *tfexec.Terraform, out io.Writer) error

func apply(ctx context.Context, tf *tfexec.Terraform, _ io.Writer) error   { return tf.Apply(ctx) }
func destroy(ctx context.Context, tf *tfexec.Terraform, _ io.Writer) error { return tf.Destroy(ctx) }

func plan(ctx context.Context, tf *tfexec.Terraform, _ io.Writer) error {
	_, err := tf.Plan(ctx)
	return err
}

func noChange(ctx context.Context, tf *tfexec.Terraform, _ io.Writer) error {
	changes, err := tf.Plan(ctx)
	if err == nil && changes {
		err = errors.New("the no-change plan is not empty")
	}
	return err
}

// query runs `terraform query -json` (Terraform 1.14 and later) and writes
// a line per resource found: its address and name.
func query(ctx context.Context, tf *tfexec.Terraform, out io.Writer) error {
	messages, err := tf.QueryJSON(ctx)
	for m := range messages {
		if found, ok := m.Msg.(tfjson.ListResourceFoundMessage); ok {
			fmt.Fprintf(out, "%s %s\n", found.ListResourceFound.Address, found.ListResourceFound.DisplayName)
		}
		err = errors.Join(err, m.Err)
	}
	return err
}

// emulatorServer is the emulator on a loopback port, outside Terraform's CPU time and memory.
type emulatorServer struct {
	*emulator.Emulator
	*httptest.Server
}

func (h *harness) startEmulator() *emulatorServer {
	e := emulator.New(emulator.Config{AccessKey: h.accessKey, SecretKey: h.secretKey, MaxPageSize: pageSize})
	return &emulatorServer{e, httptest.NewServer(e)}
}

// ncpRequired points the keys' workspaces at the provider under test.
const ncpRequired = "terraform {\n  required_providers {\n    ncp = { source = \"ncp-community/ncp\" }\n  }\n}\n"

// step is one command: its configuration ("" keeps the last), terraform
// query's, its fewest requests (nil: unchecked) and the emulator's faults
// from it on (nil: as they are).
type step struct {
	name, config, query string
	cmd                 command
	minimum             routeCounts
	faults              *emulator.Faults
}

// runSteps runs the steps in a new directory, the keys against emu (nil
// for the floors) and the state in states (nil: the local file).
func (h *harness) runSteps(ctx context.Context, name string, emu *emulatorServer, states *stateStore, run int, steps []step) ([]sample, error) {
	dir, err := os.MkdirTemp(h.tmp, name+"-")
	if err != nil {
		return nil, err
	}
	tf, err := tfexec.NewTerraform(dir, h.wrapper)
	// No other environment, so that TF_LOG, TF_CLI_ARGS... cannot skew a measure.
	env := map[string]string{"PATH": os.Getenv("PATH"), "HOME": os.Getenv("HOME"), "CHECKPOINT_DISABLE": "1", "TF_CLI_CONFIG_FILE": h.cliConfig,
		"BENCH_PROVIDER_RSS": filepath.Join(dir, "provider-rss"), "BENCH_TERRAFORM_USAGE": filepath.Join(dir, "terraform-usage")}
	if emu != nil && err == nil {
		env["NCP_APIGW_ENDPOINT"], env["NCLOUD_ACCESS_KEY"], env["NCLOUD_SECRET_KEY"] = emu.URL+emulator.BasePath, h.accessKey, h.secretKey
		err = os.WriteFile(filepath.Join(dir, "providers.tf"), []byte(ncpRequired), 0o600)
	}
	if err == nil {
		err = errors.Join(tf.SetEnv(env), tf.SetWaitDelay(30*time.Second)) // for Terraform to stop after an interrupt
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
			_, _, verr := tf.Version(ctx, false) // which tfexec checks for query: not in the measure
			err = errors.Join(os.WriteFile(filepath.Join(dir, "keys.tfquery.hcl"), []byte(s.query), 0o600), verr)
		}
		if err == nil && states != nil && i == 0 {
			// init installs providers even when dev_overrides make them unused.
			err = tf.Init(ctx, tfexec.PluginDir(filepath.Join(h.tmp, "mirror")))
		}
		if err != nil {
			return samples, err
		}
		if emu != nil && s.faults != nil {
			emu.SetFaults(*s.faults)
		}
		res, err := runTerraform(ctx, tf, dir, emu, s.cmd)
		res.Workspace, res.Step, res.Run, res.StateBytes = name, s.name, run, states.stateBytes(dir)
		h.report.Samples = append(h.report.Samples, res)
		h.logf("  %s, run %d, %s: %.2f s, %d answered 429", name, run, s.name, res.WallS, res.Stats.Throttled)
		if err != nil {
			return samples, fmt.Errorf("%s: %w", s.name, err)
		}
		if s.minimum != nil && emu != nil {
			h.checkRequests(s.name, run, s.minimum, res.Stats.Requests)
		}
		samples = append(samples, res)
	}
	return samples, nil
}

// runTerraform runs one command in dir, which must succeed, and measures it.
func runTerraform(ctx context.Context, tf *tfexec.Terraform, dir string, emu *emulatorServer, cmd command) (sample, error) {
	if emu != nil {
		emu.ResetStats()
	}
	var stdout, stderr strings.Builder
	tf.SetStdout(&stdout)
	tf.SetStderr(&stderr)
	start := time.Now()
	err := cmd(ctx, tf, &stdout)
	s := sample{WallS: time.Since(start).Seconds(), output: stdout.String() + stderr.String()}
	if ctx.Err() != nil {
		return s, ctx.Err()
	}
	var exit *exec.ExitError
	if errors.As(err, &exit) {
		return s, fmt.Errorf("terraform exited %d:\n%s", exit.ExitCode(), tail(s.output))
	} else if err != nil {
		return s, fmt.Errorf("%w:\n%s", err, tail(s.output))
	}
	usage, err := usageOf(filepath.Join(dir, "terraform-usage"))
	if len(usage) == 3 {
		s.CPUS, s.PeakMiB = usage[0]+usage[1], usage[2]/1024
	}
	provider, perr := usageOf(filepath.Join(dir, "provider-rss"))
	for _, kib := range provider {
		s.ProviderPeakMiB = max(s.ProviderPeakMiB, kib/1024)
	}
	if emu != nil {
		s.Stats = emu.Stats()
	}
	return s, errors.Join(err, perr)
}

// writeWrappers writes a script per provider (by source address) that runs
// it under GNU time, appending its peak RSS in KiB to $BENCH_PROVIDER_RSS
// (-q: without a note of its exit status), their dev_overrides (written by
// scripts/dev-overrides.sh) and a mirror of them for `init -plugin-dir`; and
// the terraform wrapper it returns, which writes user and system CPU seconds
// and peak RSS in KiB to $BENCH_TERRAFORM_USAGE. GNU time ignores SIGINT,
// with which tfexec stops Terraform: the wrapper passes it on to its
// process group, as a terminal would (providers ignore it).
func writeWrappers(dir, gnuTime, devOverrides, terraform string, providers map[string]string) (wrapper, config string, err error) {
	run := func(output, format, binary string) string {
		return fmt.Sprintf("'%s' -q -f '%s' %s '%s' \"$@\"", gnuTime, format, output, binary)
	}
	overrides := []string{devOverrides}
	for _, source := range slices.Sorted(maps.Keys(providers)) {
		name := "terraform-provider-" + path.Base(source)
		platform := filepath.Join(dir, "mirror", "registry.terraform.io", source, "1.0.0", runtime.GOOS+"_"+runtime.GOARCH)
		err = errors.Join(err, os.WriteFile(filepath.Join(dir, name), []byte("#!/bin/sh\nexec "+run(`-a -o "$BENCH_PROVIDER_RSS"`, "%M", providers[source])+"\n"), 0o700),
			os.MkdirAll(platform, 0o755), os.Symlink(filepath.Join(dir, name), filepath.Join(platform, name)))
		overrides = append(overrides, source+"="+dir)
	}
	wrapper, config = filepath.Join(dir, "terraform"), filepath.Join(dir, "terraform.rc")
	script := "#!/bin/sh\ntrap 'trap \"\" INT; kill -INT 0' INT\n" + run(`-o "$BENCH_TERRAFORM_USAGE"`, "%U %S %M", terraform) +
		" &\nwait $!; status=$?\nwhile kill -0 $! 2>/dev/null; do wait $!; status=$?; done\nexit $status\n"
	rc, rcErr := exec.Command("bash", overrides...).Output()
	return wrapper, config, errors.Join(err, rcErr, os.WriteFile(wrapper, []byte(script), 0o700), os.WriteFile(config, rc, 0o600))
}

// usageOf reads, and removes for the next command, the numbers GNU time
// wrote in path (nil when no process ran).
func usageOf(path string) ([]float64, error) {
	b, err := os.ReadFile(path)
	defer os.Remove(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	var numbers []float64
	for _, field := range strings.Fields(string(b)) {
		v, perr := strconv.ParseFloat(field, 64)
		numbers, err = append(numbers, v), errors.Join(err, perr)
	}
	return numbers, err
}

// tail is enough of a command's output to see why it failed.
func tail(s string) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	return strings.Join(lines[max(0, len(lines)-30):], "\n")
}

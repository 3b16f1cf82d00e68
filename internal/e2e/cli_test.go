package e2e

import (
	"bytes"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/ncp-community/terraform-provider-ncp/internal/emulator"
)

const (
	accessKey = "E2EACCESSKEY00000001"
	secretKey = "e2e-secret-key-never-logged-0123456789"
)

// terraformCLI runs terraform in one working directory with the provider
// built from this tree, and keeps everything the commands print.
type terraformCLI struct {
	t      *testing.T
	dir    string
	env    []string
	output bytes.Buffer // every command's stdout and stderr
}

// providerBuild is the provider binary, built once for every test here.
var providerBuild struct {
	once sync.Once
	dir  string // holds terraform-provider-ncp
	err  error
}

func TestMain(m *testing.M) {
	code := m.Run()
	if providerBuild.dir != "" {
		_ = os.RemoveAll(providerBuild.dir)
	}
	os.Exit(code)
}

// builtProvider returns the directory of the provider built from this tree.
func builtProvider(t *testing.T) string {
	t.Helper()
	providerBuild.once.Do(func() {
		dir, err := os.MkdirTemp("", "ncp-e2e-plugins-") //nolint:usetesting // outlives each test; TestMain removes it
		if err != nil {
			providerBuild.err = err
			return
		}
		providerBuild.dir = dir
		build := exec.Command("go", "build", "-o", filepath.Join(dir, "terraform-provider-ncp"), ".")
		build.Dir = filepath.Join("..", "..")
		if out, err := build.CombinedOutput(); err != nil {
			providerBuild.err = fmt.Errorf("building the provider: %w\n%s", err, out)
		}
	})
	if providerBuild.err != nil {
		t.Fatal(providerBuild.err)
	}
	return providerBuild.dir
}

// newTerraformCLI writes a dev_overrides CLI config for the built provider
// and points it at endpoint with TF_LOG=trace written to logPath.
func newTerraformCLI(t *testing.T, endpoint string) (*terraformCLI, string) {
	t.Helper()
	if _, err := exec.LookPath("terraform"); err != nil {
		t.Fatalf("terraform is not on PATH: %v", err)
	}
	pluginDir := builtProvider(t)
	work := t.TempDir()
	rc := filepath.Join(work, "terraformrc")
	writeFile(t, rc, `provider_installation {
  dev_overrides {
    "ncp-community/ncp" = "`+pluginDir+`"
  }
  direct {}
}
`)
	logPath := filepath.Join(work, "terraform.log")
	dir := filepath.Join(work, "config")
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	return &terraformCLI{
		t:   t,
		dir: dir,
		env: append(os.Environ(),
			"TF_CLI_CONFIG_FILE="+rc,
			"TF_LOG=trace",
			"TF_LOG_PATH="+logPath,
			"TF_IN_AUTOMATION=1",
			"CHECKPOINT_DISABLE=1",
			"NCLOUD_ACCESS_KEY="+accessKey,
			"NCLOUD_SECRET_KEY="+secretKey,
			"NCP_APIGW_ENDPOINT="+endpoint,
		),
	}, logPath
}

// run runs terraform with args and returns its exit code and output.
func (c *terraformCLI) run(args ...string) (int, string) {
	c.t.Helper()
	return c.runWith(nil, args...)
}

// runWith is run with extra environment variables, which override the
// CLI's own (os/exec uses the last value of a duplicated variable).
func (c *terraformCLI) runWith(env []string, args ...string) (int, string) {
	c.t.Helper()
	cmd := exec.Command("terraform", append(args, "-no-color")...)
	cmd.Dir, cmd.Env = c.dir, append(slices.Clone(c.env), env...)
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

// apply applies the configuration and then asserts that a plan is empty.
func (c *terraformCLI) apply(config string) string {
	c.t.Helper()
	writeFile(c.t, filepath.Join(c.dir, "main.tf"), config)
	code, out := c.run("apply", "-auto-approve", "-input=false")
	if code != 0 {
		c.t.Fatalf("terraform apply failed (exit %d):\n%s", code, out)
	}
	c.expectPlanExit(0)
	return out
}

// applyFails applies the configuration, asserts that the apply fails, and
// returns its output.
func (c *terraformCLI) applyFails(config string, env ...string) string {
	c.t.Helper()
	writeFile(c.t, filepath.Join(c.dir, "main.tf"), config)
	code, out := c.runWith(env, "apply", "-auto-approve", "-input=false")
	if code == 0 {
		c.t.Fatalf("terraform apply succeeded, want it to fail:\n%s", out)
	}
	return out
}

// expectPlanExit runs plan -detailed-exitcode: 0 is empty, 2 has changes.
func (c *terraformCLI) expectPlanExit(want int) string {
	c.t.Helper()
	code, out := c.run("plan", "-input=false", "-detailed-exitcode")
	if code != want {
		c.t.Fatalf("terraform plan exited %d, want %d:\n%s", code, want, out)
	}
	return out
}

func writeFile(t *testing.T, path, content string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

// secretRecorder wraps the emulator and remembers every secret that crossed
// the wire: each signature and each key value the API answered with.
type secretRecorder struct {
	next http.Handler
	mu   sync.Mutex
	seen map[string]bool
}

var keyValueInBody = regexp.MustCompile(`"(?:primaryKey|secondaryKey)"\s*:\s*"([^"]+)"`)

func newSecretRecorder(next http.Handler) *secretRecorder {
	return &secretRecorder{next: next, seen: map[string]bool{secretKey: true}}
}

func (s *secretRecorder) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	rec := httptest.NewRecorder()
	s.next.ServeHTTP(rec, r)
	s.mu.Lock()
	if sig := r.Header.Get("x-ncp-apigw-signature-v2"); sig != "" {
		s.seen[sig] = true
	}
	for _, m := range keyValueInBody.FindAllSubmatch(rec.Body.Bytes(), -1) {
		s.seen[string(m[1])] = true
	}
	s.mu.Unlock()
	for k, v := range rec.Header() {
		w.Header()[k] = v
	}
	w.WriteHeader(rec.Code)
	_, _ = w.Write(rec.Body.Bytes())
}

// add records a secret that never crossed the wire, such as a wrong
// secret key the provider signed with.
func (s *secretRecorder) add(secret string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.seen[secret] = true
}

// secrets lists what was recorded.
func (s *secretRecorder) secrets() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []string
	for v := range s.seen {
		out = append(out, v)
	}
	return out
}

// startEmulator serves an emulator through a secretRecorder.
func startEmulator(t *testing.T) (*emulator.Emulator, *secretRecorder, string) {
	t.Helper()
	return startEmulatorBehind(t, func(emu *emulator.Emulator) http.Handler { return emu })
}

// startEmulatorBehind is startEmulator with the handler front, which wraps
// the emulator, between the secretRecorder and the emulator.
func startEmulatorBehind(t *testing.T, front func(*emulator.Emulator) http.Handler) (*emulator.Emulator, *secretRecorder, string) {
	t.Helper()
	emu := emulator.New(emulator.Config{AccessKey: accessKey, SecretKey: secretKey, MaxPageSize: 5})
	rec := newSecretRecorder(front(emu))
	srv := httptest.NewServer(rec)
	t.Cleanup(srv.Close)
	return emu, rec, srv.URL + emulator.BasePath
}

// assertNoSecrets fails the test if any secret the recorder saw (at least
// minSecrets of them) appears in anything terraform printed or logged, and
// logs how much was checked.
func assertNoSecrets(t *testing.T, tf *terraformCLI, logPath string, recorder *secretRecorder, minSecrets int) {
	t.Helper()
	log, err := os.ReadFile(logPath)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(log), "/api/v1/api-keys") {
		t.Fatal("the trace log holds no request of the provider's: was it captured?")
	}
	everything := tf.output.String() + string(log)
	secrets := recorder.secrets()
	if len(secrets) < minSecrets {
		t.Fatalf("only %d secrets were recorded; the recorder is not seeing the traffic", len(secrets))
	}
	found := 0
	for _, secret := range secrets {
		if strings.Contains(everything, secret) {
			found++
			t.Errorf("a secret (%d characters, starting %.4q) appears in terraform's output or trace log", len(secret), secret)
		}
	}
	t.Logf("checked %d secrets against %d bytes of output and trace log: %d found", len(secrets), len(everything), found)
}

// keyByName finds the emulator's only key with that name.
func keyByName(t *testing.T, emu *emulator.Emulator, name string) emulator.Key {
	t.Helper()
	var found []emulator.Key
	for _, k := range emu.Keys() {
		if k.Name == name {
			found = append(found, k)
		}
	}
	if len(found) != 1 {
		t.Fatalf("%d keys named %q in the emulator, want 1", len(found), name)
	}
	return found[0]
}

package acctest

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ncp-community/terraform-provider-ncp/internal/emulator"
	"github.com/ncp-community/terraform-provider-ncp/internal/ncpclient"
)

// Credentials of the accounts tests sign with. The other account plays a
// colleague who changes keys in the console.
const (
	AccessKey      = "ACCTESTACCESSKEY0001"
	SecretKey      = "acctest-secret-key-do-not-log-0123456789"
	OtherAccessKey = "ACCTESTCOLLEAGUE0002"
	OtherSecretKey = "acctest-colleague-secret-do-not-log-9876"
)

// Env is one test's API: an emulator, or NCP.
type Env struct {
	Emulator *emulator.Emulator // nil against NCP
	Endpoint string             // the API's base URL; empty against NCP
	Client   *ncpclient.Client  // for checks of what the API holds, not what the provider reported

	providerBlock string
	clientsMade   atomic.Int64
	fastRetries   atomic.Bool
}

// AgainstNCP reports whether the tests run against NCP rather than the
// emulator.
func AgainstNCP() bool { return os.Getenv("NCP_ACC_TARGET") == "ncp" }

// NewEnv starts an emulator for the test, configured by cfg with the test
// accounts' credentials, or connects to NCP.
func NewEnv(t *testing.T, cfg emulator.Config) *Env {
	t.Helper()
	env := &Env{providerBlock: `provider "ncp" {}`}
	clientCfg := ncpclient.Config{
		AccessKey: os.Getenv("NCLOUD_ACCESS_KEY"), SecretKey: os.Getenv("NCLOUD_SECRET_KEY"), Site: os.Getenv("NCLOUD_SITE"),
	}
	if !AgainstNCP() {
		env.Emulator, env.Endpoint = startEmulator(t, cfg, func(emu http.Handler) http.Handler { return emu })
		env.providerBlock = providerBlockAt(env.Endpoint)
		clientCfg = ncpclient.Config{AccessKey: AccessKey, SecretKey: SecretKey, Endpoint: env.Endpoint}
	}
	var err error
	if env.Client, err = ncpclient.New(clientCfg); err != nil {
		t.Fatal(err)
	}
	return env
}

// startEmulator serves, through serve, an emulator configured by cfg with
// the test accounts' credentials, and returns it and the API's base URL.
func startEmulator(t *testing.T, cfg emulator.Config, serve func(emu http.Handler) http.Handler) (*emulator.Emulator, string) {
	cfg.AccessKey, cfg.SecretKey = AccessKey, SecretKey
	cfg.OtherAccessKey, cfg.OtherSecretKey = OtherAccessKey, OtherSecretKey
	emu := emulator.New(cfg)
	server := httptest.NewServer(serve(emu))
	t.Cleanup(server.Close)
	return emu, server.URL + emulator.BasePath
}

// providerBlockAt is the provider block for the test account at endpoint.
func providerBlockAt(endpoint string) string {
	return fmt.Sprintf(`
provider "ncp" {
  endpoint   = %q
  access_key = %q
  secret_key = %q
}
`, endpoint, AccessKey, SecretKey)
}

// NeedsEmulator skips a test that injects faults or reads the emulator's
// counters when the tests run against NCP.
func (e *Env) NeedsEmulator(t *testing.T) {
	t.Helper()
	if e.Emulator == nil {
		t.Skip("needs the emulator: it injects faults or counts requests")
	}
}

// Config prefixes HCL with the provider block for this API.
func (e *Env) Config(hcl string) string {
	return e.providerBlock + hcl
}

// ConfigAt prefixes HCL with a provider block for the emulator's server at
// path instead of emulator.BasePath: an endpoint a user got wrong.
func (e *Env) ConfigAt(path, hcl string) string {
	return providerBlockAt(e.ServerURL()+path) + hcl
}

// ServerURL is the emulator's server, without the API's base path.
func (e *Env) ServerURL() string {
	return strings.TrimSuffix(e.Endpoint, emulator.BasePath)
}

// AdjustClientConfig is the provider's provider.WithClientConfig hook: it
// counts the clients and shortens retry delays when the test asked for it.
func (e *Env) AdjustClientConfig(cfg *ncpclient.Config) {
	e.clientsMade.Add(1)
	if e.fastRetries.Load() {
		cfg.RetryBaseDelay, cfg.RetryMaxDelay = time.Millisecond, 10*time.Millisecond
	}
}

// ClientsMade is how many API clients the provider built: one per provider
// instance, each of which learns the server's clock afresh.
func (e *Env) ClientsMade() int64 { return e.clientsMade.Load() }

// UseFastRetries shortens the provider's retry delays to milliseconds, for
// tests that exhaust every retry, which take half a minute each otherwise.
func (e *Env) UseFastRetries() { e.fastRetries.Store(true) }

// Writes counts the requests that change keys, as the emulator saw them.
func (e *Env) Writes() int {
	r := e.Emulator.Stats().Requests
	return r[emulator.RouteCreate] + r[emulator.RouteEdit] + r[emulator.RouteRegenerate] + r[emulator.RouteDelete]
}

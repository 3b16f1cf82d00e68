package provider

import (
	"context"
	"fmt"
	"net/http/httptest"
	"os"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/ncp-community/terraform-provider-ncp/internal/emulator"
	"github.com/ncp-community/terraform-provider-ncp/internal/ncpclient"
)

// Acceptance tests run against an in-process emulator of the API. Set
// NCP_ACC_TARGET=ncp, with real credentials in NCLOUD_ACCESS_KEY and
// NCLOUD_SECRET_KEY, to run the tests that need no emulator against NCP.
const (
	testAccessKey = "ACCTESTACCESSKEY0001"
	testSecretKey = "acctest-secret-key-do-not-log-0123456789"
)

var testAccProtoV6ProviderFactories = map[string]func() (tfprotov6.ProviderServer, error){
	"ncp": providerserver.NewProtocol6WithError(New("test")()),
}

// testEnv is one test's API: an emulator, or NCP itself.
type testEnv struct {
	emu      *emulator.Emulator // nil against NCP
	endpoint string             // the emulator's base URL
	client   *ncpclient.Client
	// providerBlock configures the provider for this API.
	providerBlock string
}

func againstNCP() bool { return os.Getenv("NCP_ACC_TARGET") == "ncp" }

// newTestEnv starts an emulator for the test, or connects to NCP.
func newTestEnv(t *testing.T, cfg emulator.Config) *testEnv {
	t.Helper()
	if againstNCP() {
		client, err := ncpclient.New(ncpclient.Config{
			AccessKey: os.Getenv("NCLOUD_ACCESS_KEY"),
			SecretKey: os.Getenv("NCLOUD_SECRET_KEY"),
			Site:      os.Getenv("NCLOUD_SITE"),
		})
		if err != nil {
			t.Fatal(err)
		}
		return &testEnv{client: client, providerBlock: `provider "ncp" {}`}
	}

	cfg.AccessKey, cfg.SecretKey = testAccessKey, testSecretKey
	emu := emulator.New(cfg)
	server := httptest.NewServer(emu)
	t.Cleanup(server.Close)
	endpoint := server.URL + emulator.BasePath
	client, err := ncpclient.New(ncpclient.Config{AccessKey: testAccessKey, SecretKey: testSecretKey, Endpoint: endpoint})
	if err != nil {
		t.Fatal(err)
	}
	return &testEnv{
		emu:      emu,
		endpoint: endpoint,
		client:   client,
		providerBlock: fmt.Sprintf(`
provider "ncp" {
  endpoint   = %q
  access_key = %q
  secret_key = %q
}
`, endpoint, testAccessKey, testSecretKey),
	}
}

// needsEmulator skips a test that injects faults or reads the emulator's
// counters when the tests run against NCP.
func (e *testEnv) needsEmulator(t *testing.T) {
	t.Helper()
	if e.emu == nil {
		t.Skip("needs the emulator: it injects faults or counts requests")
	}
}

// config prefixes HCL with the provider block.
func (e *testEnv) config(hcl string) string {
	return e.providerBlock + hcl
}

// checkDestroyed asks the API that no key in state exists any more, and the
// emulator that it holds no key at all.
func (e *testEnv) checkDestroyed(s *terraform.State) error {
	return e.checkDestroyedExcept(0)(s)
}

// checkDestroyedExcept is checkDestroyed for a test that made keep keys
// outside Terraform.
func (e *testEnv) checkDestroyedExcept(keep int) func(*terraform.State) error {
	return func(s *terraform.State) error {
		if err := e.checkStateKeysGone(s); err != nil {
			return err
		}
		if e.emu != nil && len(e.emu.Keys()) != keep {
			return fmt.Errorf("emulator holds %d keys after destroy, want %d", len(e.emu.Keys()), keep)
		}
		return nil
	}
}

func (e *testEnv) checkStateKeysGone(s *terraform.State) error {
	for _, rs := range s.RootModule().Resources {
		if rs.Type != "ncp_apigw_api_key" {
			continue
		}
		_, err := e.client.GetAPIKey(context.Background(), rs.Primary.ID)
		if err == nil {
			return fmt.Errorf("API key %s still exists after destroy", rs.Primary.ID)
		}
		if !ncpclient.IsNotFound(err) {
			return fmt.Errorf("checking API key %s after destroy: %w", rs.Primary.ID, err)
		}
	}
	return nil
}

// writes counts the requests that change keys, as the emulator saw them.
func (e *testEnv) writes() int {
	r := e.emu.Stats().Requests
	return r[emulator.RouteCreate] + r[emulator.RouteEdit] + r[emulator.RouteRegenerate] + r[emulator.RouteDelete]
}

// checkKeyMatchesAPI compares the state of ncp_apigw_api_key.test with what
// the API holds.
func (e *testEnv) checkKeyMatchesAPI(s *terraform.State) error {
	rs, ok := s.RootModule().Resources[testKeyAddr]
	if !ok {
		return fmt.Errorf("%s is not in state", testKeyAddr)
	}
	key, err := e.client.GetAPIKey(context.Background(), rs.Primary.ID)
	if err != nil {
		return err
	}
	want := map[string]string{
		"name":          key.Name,
		"description":   key.Description,
		"enabled":       fmt.Sprint(key.Enabled),
		"primary_key":   key.PrimaryKey,
		"secondary_key": key.SecondaryKey,
		"mod_time":      key.ModTime,
		"tenant_id":     key.TenantID,
	}
	for attr, v := range want {
		if rs.Primary.Attributes[attr] != v {
			// Key values stay out of the message.
			return fmt.Errorf("%s: state's %s differs from the API's", testKeyAddr, attr)
		}
	}
	return nil
}

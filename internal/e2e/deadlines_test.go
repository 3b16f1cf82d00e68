package e2e

import (
	"fmt"
	"net"
	"net/http"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/ncp-community/terraform-provider-ncp/internal/acctest"
	"github.com/ncp-community/terraform-provider-ncp/internal/emulator"
)

// lookupConfig is one ncp_apigw_api_key data source looking up id.
func lookupConfig(id string) string {
	return fmt.Sprintf(`
terraform {
  required_providers {
    ncp = { source = "ncp-community/ncp" }
  }
}

data "ncp_apigw_api_key" "k" {
  id = %q
}
`, id)
}

// planLimit bounds each failing plan: before, these plans took from 50
// seconds to hours.
const planLimit = time.Minute

// planFails runs a plan with extra environment variables, asserts that it
// fails within planLimit, and returns its output.
func planFails(t *testing.T, tf *acctest.CLI, env ...string) string {
	t.Helper()
	start := time.Now()
	code, out := tf.Do(env, acctest.Plan(false))
	took := time.Since(start)
	t.Logf("the plan failed after %v", took.Round(100*time.Millisecond))
	if took > planLimit {
		t.Errorf("the plan took %v, want at most %v", took, planLimit)
	}
	if code == 0 {
		t.Fatalf("the plan succeeded, want it to fail:\n%s", out)
	}
	return out
}

// wantNotInOutput fails the test if out says any of unwanted.
func wantNotInOutput(t *testing.T, out string, unwanted ...string) {
	t.Helper()
	flat := strings.Join(strings.Fields(out), " ")
	for _, u := range unwanted {
		if strings.Contains(flat, u) {
			t.Errorf("the output says %q:\n%s", u, out)
		}
	}
}

// TestRetryAfterBeyondTheCapFailsTheReadAtOnce: a proxy asking for an
// hour's wait fails a data source's read at once, saying so and naming the
// endpoint, rather than holding the plan for hours.
func TestRetryAfterBeyondTheCapFailsTheReadAtOnce(t *testing.T) {
	t.Parallel()
	emu, _, endpoint := acctest.StartRecordedEmulator(t, emulator.Config{})
	key := emu.PutKey("waited", "")
	emu.SetFaults(emulator.Faults{Faults: []emulator.Fault{{Route: emulator.RouteGet, Kind: emulator.FaultHTML, Status: http.StatusServiceUnavailable,
		Header: map[string]string{"Retry-After": "3600"}}}})
	tf := acctest.NewCLI(t, acctest.BuildProvider(t, repoRoot), endpoint)
	tf.WriteConfig(lookupConfig(key.ID))
	out := planFails(t, tf)
	wantInOutput(t, out, "HTTP 503", "the server at "+endpoint+" asked to wait 3600s before retrying (Retry-After)",
		"Run Terraform again once that wait is over")
	if n := emu.Stats().Requests[emulator.RouteGet]; n != 1 {
		t.Errorf("%d reads, want 1", n)
	}
}

// silentEndpoint is a loopback listener that accepts connections and never
// answers: a dead endpoint behind a firewall or proxy that lets them in.
func silentEndpoint(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { l.Close() })
	go func() {
		var conns []net.Conn
		defer func() {
			for _, c := range conns {
				c.Close()
			}
		}()
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			conns = append(conns, c) // held open, never read or answered
		}
	}()
	return "http://" + l.Addr().String() + emulator.BasePath
}

// TestDeadEndpointFailsNamingIt: an endpoint that never answers fails the
// plan after two attempts, naming the endpoint, with advice that fits
// (not a longer timeout), and warns at the first one at TF_LOG=warn.
func TestDeadEndpointFailsNamingIt(t *testing.T) {
	t.Parallel()
	endpoint := silentEndpoint(t)
	tf := acctest.NewCLI(t, acctest.BuildProvider(t, repoRoot), endpoint)
	tf.WriteConfig(lookupConfig("123"))
	tf.SetLog("warn")
	out := planFails(t, tf, "NCP_REQUEST_TIMEOUT=3s")
	wantInOutput(t, out, "no answer from "+endpoint+" within 3s, twice: check the endpoint, a firewall or a proxy",
		"Check the provider's endpoint or site")
	wantNotInOutput(t, out, "Raise", "raise", "timeouts block", "Apply again")
	log, err := os.ReadFile(tf.LogPath)
	if err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(string(log), "NCP API: no answer, trying once more"); n != 1 {
		t.Errorf("the warn log has %d warnings of a first attempt without answer, want 1:\n%s", n, log)
	}
}

// TestMissingHostIsNotRetried: a host DNS does not know fails at the first
// attempt, naming the host. The .invalid top-level domain never resolves.
func TestMissingHostIsNotRetried(t *testing.T) {
	t.Parallel()
	tf := acctest.NewCLI(t, acctest.BuildProvider(t, repoRoot), "https://apigw.nonexistent.invalid/api/v1")
	tf.WriteConfig(lookupConfig("123"))
	out := planFails(t, tf, "HTTPS_PROXY=", "https_proxy=", "NO_PROXY=*")
	if !strings.Contains(out, "no such host") {
		t.Skipf("this machine's resolver did not say no such host:\n%s", out)
	}
	wantInOutput(t, out, "the host apigw.nonexistent.invalid does not exist (DNS: no such host): check the endpoint or the site")
	wantNotInOutput(t, out, "Apply again", "timeouts block")
	log, err := os.ReadFile(tf.LogPath)
	if err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(string(log), "NCP API request failed"); n != 1 {
		t.Errorf("%d attempts, want 1", n)
	}
}

// TestLookupOfAMissingIDSaysSo: a data source given an ID NCP does not
// know says so, with NCP's code, and does not advise applying again.
func TestLookupOfAMissingIDSaysSo(t *testing.T) {
	t.Parallel()
	_, _, endpoint := acctest.StartRecordedEmulator(t, emulator.Config{})
	tf := acctest.NewCLI(t, acctest.BuildProvider(t, repoRoot), endpoint)
	tf.WriteConfig(lookupConfig("404404"))
	out := planFails(t, tf)
	wantInOutput(t, out, `No API key with ID "404404" exists`, "HTTP 404, error code 300", "Check the ID")
	wantNotInOutput(t, out, "Apply again", "apply again")
}

// TestWrongSecretKeyIsReportedOnceInFull: with a wrong secret key, the
// first rejection carries the advice and every other resource's error is
// one line; the later creates are not sent.
func TestWrongSecretKeyIsReportedOnceInFull(t *testing.T) {
	t.Parallel()
	emu, recorder, endpoint := acctest.StartRecordedEmulator(t, emulator.Config{})
	tf := acctest.NewCLI(t, acctest.BuildProvider(t, repoRoot), endpoint)
	const wrongSecret = "wrong-secret-key-never-logged-123456789"
	recorder.Add(wrongSecret)
	out := tf.ApplyFails(`
terraform {
  required_providers {
    ncp = { source = "ncp-community/ncp" }
  }
}

resource "ncp_apigw_api_key" "key" {
  count = 6
  name  = "rejected-${count.index}"
}
`, "NCLOUD_SECRET_KEY="+wrongSecret)
	// The errors follow the plan, which Terraform prints first.
	errors := out[strings.Index(out, "\nError: "):]
	lines := strings.Count(errors, "\n")
	t.Logf("6 keys with a wrong secret key: %d lines of errors", lines)
	flat := strings.Join(strings.Fields(out), " ")
	if n := strings.Count(flat, "a wrong access key or secret key"); n != 1 {
		t.Errorf("the advice is given %d times, want once:\n%s", n, out)
	}
	if n := strings.Count(flat, "not sent: NCP rejected these credentials earlier in this run"); n != 5 {
		t.Errorf("%d short errors, want 5:\n%s", n, out)
	}
	if lines > 70 {
		t.Errorf("%d lines of errors, want at most 70:\n%s", lines, errors)
	}
	if n := acctest.Total(emu.Stats().Requests); n != 1 {
		t.Errorf("%d requests sent, want 1: the first create", n)
	}
	if n := acctest.LeakedSecrets(t, tf.Printed(), recorder, 2); n > 0 {
		t.Errorf("%d secrets leaked", n)
	}
}

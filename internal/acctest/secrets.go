package acctest

import (
	"encoding/json"
	"fmt"
	"maps"
	"net/http"
	"net/http/httptest"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"

	tfjson "github.com/hashicorp/terraform-json"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"

	"github.com/ncp-community/terraform-provider-ncp/internal/emulator"
)

// SecretRecorder serves an API handler and remembers every secret that
// crossed the wire (signatures, key values in answers) and those it was given.
type SecretRecorder struct {
	next http.Handler
	mu   sync.Mutex
	seen map[string]bool
}

var keyValueInBody = regexp.MustCompile(`"(?:primaryKey|secondaryKey)"\s*:\s*"([^"]+)"`)

func (s *SecretRecorder) ServeHTTP(w http.ResponseWriter, r *http.Request) {
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
	maps.Copy(w.Header(), rec.Header())
	w.WriteHeader(rec.Code)
	_, _ = w.Write(rec.Body.Bytes())
}

// Add records a secret that never crossed the wire, such as a wrong secret
// key the provider signed with.
func (s *SecretRecorder) Add(secret string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.seen[secret] = true
}

// StartRecordedEmulator is startEmulator through a SecretRecorder, which
// knows the test accounts' secret keys, and returns the recorder too.
func StartRecordedEmulator(t *testing.T, cfg emulator.Config) (*emulator.Emulator, *SecretRecorder, string) {
	t.Helper()
	rec := &SecretRecorder{seen: map[string]bool{SecretKey: true, OtherSecretKey: true}}
	emu, endpoint := startEmulator(t, cfg, func(emu http.Handler) http.Handler {
		rec.next = emu
		return rec
	})
	return emu, rec, endpoint
}

// LeakedSecrets returns how many recorded secrets (at least minSecrets of
// them) appear in text, failing the test for each, and logs what it checked.
func LeakedSecrets(t *testing.T, text string, recorder *SecretRecorder, minSecrets int) int {
	t.Helper()
	if !strings.Contains(text, "/api/v1/api-keys") {
		t.Fatal("the text holds no request of the provider's: was the trace log captured?")
	}
	recorder.mu.Lock()
	secrets := slices.Collect(maps.Keys(recorder.seen))
	recorder.mu.Unlock()
	if len(secrets) < minSecrets {
		t.Fatalf("only %d secrets were recorded; the recorder is not seeing the traffic", len(secrets))
	}
	found := 0
	for _, secret := range secrets {
		if strings.Contains(text, secret) {
			found++
			t.Errorf("a secret of %d characters appears in terraform's output or trace log", len(secret))
		}
	}
	t.Logf("checked %d secrets against %d bytes of output and trace log: %d found", len(secrets), len(text), found)
	return found
}

// KeyValuesIn counts the key values of keys that appear in text. It never
// says which, so that a failing test prints no secret. Keys without values
// count as an error: they would make the search vacuous.
func KeyValuesIn(keys []emulator.Key, text string) (int, error) {
	if len(keys) == 0 {
		return 0, fmt.Errorf("no key to search for: the search would prove nothing")
	}
	found := 0
	for _, k := range keys {
		for _, v := range []string{k.PrimaryKey, k.SecondaryKey} {
			if v == "" {
				return 0, fmt.Errorf("key %s has no value to search for", k.ID)
			}
			if strings.Contains(text, v) {
				found++
			}
		}
	}
	return found, nil
}

// expectNoKeyValues fails when the JSON of doc holds a value of any key the
// emulator holds when the check runs.
func (e *Env) expectNoKeyValues(what string, doc any) error {
	b, err := json.Marshal(doc)
	if err != nil {
		return err
	}
	found, err := KeyValuesIn(e.Emulator.Keys(), string(b))
	if err == nil && found > 0 {
		err = fmt.Errorf("the %s JSON holds %d key values", what, found)
	}
	return err
}

// ExpectNoKeyValuesInState asserts that no key value of the emulator's
// keys is in the state (`terraform show -json`). It needs the emulator.
func (e *Env) ExpectNoKeyValuesInState() statecheck.StateCheck {
	return StateCheckFunc(func(state *tfjson.State) error {
		return e.expectNoKeyValues("state", state)
	})
}

// ExpectNoKeyValuesInPlan asserts that no key value of the emulator's
// keys is in the plan's JSON, prior state included. It needs the emulator.
func (e *Env) ExpectNoKeyValuesInPlan() plancheck.PlanCheck {
	return planCheckFunc(func(plan *tfjson.Plan) error {
		return e.expectNoKeyValues("plan", plan)
	})
}

package provider

// The tests in reliability_test.go and the *_reliability_test.go files
// inject faults between the provider and the emulator and prove that state
// stays equal to what the API holds. contributing/reliability.md summarises them;
// the figures it quotes are the t.Logf lines of a `go test -v` run.

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"net/http/httptest"
	"regexp"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	tfjson "github.com/hashicorp/terraform-json"
	"github.com/hashicorp/terraform-plugin-testing/compare"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/ncp-community/terraform-provider-ncp/internal/emulator"
	"github.com/ncp-community/terraform-provider-ncp/internal/ncpclient"
)

// clientHook is what tests know of the API clients the provider builds for
// one endpoint. The provider builds one each time Terraform configures it
// (once per provider instance, each of which learns the server's clock
// afresh), so made counts provider instances.
type clientHook struct {
	made atomic.Int64
	// fastRetries shortens the retry delays to milliseconds, for tests that
	// exhaust every retry: with the real delays (250ms doubling up to 15s)
	// each such operation would take about half a minute.
	fastRetries atomic.Bool
}

var clientHooks sync.Map // endpoint -> *clientHook

func clientHookFor(endpoint string) *clientHook {
	v, _ := clientHooks.LoadOrStore(endpoint, &clientHook{})
	h, _ := v.(*clientHook)
	return h
}

func init() {
	next := newAPIClient
	newAPIClient = func(cfg ncpclient.Config) (*ncpclient.Client, error) {
		h := clientHookFor(cfg.Endpoint)
		h.made.Add(1)
		if h.fastRetries.Load() {
			cfg.RetryBaseDelay, cfg.RetryMaxDelay = time.Millisecond, 10*time.Millisecond
		}
		return next(cfg)
	}
}

// clients returns the hook of the test's emulator.
func (e *testEnv) clients() *clientHook {
	return clientHookFor(e.endpoint)
}

// proxyMode is how a proxy misbehaves on the requests it picks.
type proxyMode int

const (
	passThrough proxyMode = iota
	// answerWithoutForwarding answers HTTP 200 with the proxy's body; the
	// API never sees the request.
	answerWithoutForwarding
	// garbleAfterForwarding lets the API act, then replaces its answer by
	// HTTP 200 with the proxy's body.
	garbleAfterForwarding
	// hangAfterForwarding lets the API act, then answers nothing until the
	// client gives up.
	hangAfterForwarding
	// resetBeforeForwarding resets the TCP connection (RST) before the
	// request reaches the API.
	resetBeforeForwarding
	// twinBeforeForwarding has someone else create a key of the same name
	// just before the request reaches the API.
	twinBeforeForwarding
)

// proxyFault is how a proxy misbehaves, and on which requests.
type proxyFault struct {
	route emulator.Route // the route of the requests it picks; "" for every route
	mode  proxyMode
	body  string  // the answer of answerWithoutForwarding and garbleAfterForwarding
	rate  float64 // probability that a request of route is picked; 0 means always
	count int     // the number of requests picked at most; 0 means no limit
}

// proxy sits between the provider and the emulator and misbehaves in the
// ways the emulator's own faults do not cover. A step's PreConfig sets it.
type proxy struct {
	emu *emulator.Emulator

	mu    sync.Mutex
	fault proxyFault
	hits  int // requests picked since the last set
	twins []string
}

// set changes how the proxy behaves from the next request on; the zero
// proxyFault passes every request through.
func (p *proxy) set(f proxyFault) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.fault, p.hits = f, 0
}

// picked reports how many requests the proxy misbehaved on since set.
func (p *proxy) picked() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.hits
}

// twinIDs are the keys made by twinBeforeForwarding.
func (p *proxy) twinIDs() []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return slices.Clone(p.twins)
}

func (p *proxy) pick(r *http.Request) (proxyMode, string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	f := p.fault
	if f.mode == passThrough || (f.route != "" && routeOf(r) != f.route) ||
		(f.count > 0 && p.hits >= f.count) || (f.rate > 0 && rand.Float64() >= f.rate) {
		return passThrough, ""
	}
	p.hits++
	return f.mode, f.body
}

func (p *proxy) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	mode, body := p.pick(r)
	switch mode {
	case answerWithoutForwarding:
		writeRaw(w, body)
	case garbleAfterForwarding:
		p.emu.ServeHTTP(httptest.NewRecorder(), r)
		writeRaw(w, body)
	case hangAfterForwarding:
		p.emu.ServeHTTP(httptest.NewRecorder(), r)
		<-r.Context().Done()
	case resetBeforeForwarding:
		conn, _, err := http.NewResponseController(w).Hijack()
		if err != nil {
			panic(http.ErrAbortHandler)
		}
		if tcp, ok := conn.(*net.TCPConn); ok {
			_ = tcp.SetLinger(0) // close with RST, as a crashed proxy does
		}
		conn.Close()
	case twinBeforeForwarding:
		var in struct {
			Name string `json:"apiKeyName"`
		}
		raw, _ := io.ReadAll(r.Body)
		_ = json.Unmarshal(raw, &in)
		twin := p.emu.PutKey(in.Name, "made by someone else")
		p.mu.Lock()
		p.twins = append(p.twins, twin.ID)
		p.mu.Unlock()
		r.Body = io.NopCloser(bytes.NewReader(raw)) // the emulator reads it again
		p.emu.ServeHTTP(w, r)
	default:
		p.emu.ServeHTTP(w, r)
	}
}

// writeRaw answers HTTP 200 with body, labelled as what it looks like.
func writeRaw(w http.ResponseWriter, body string) {
	contentType := "application/json"
	if strings.HasPrefix(body, "<") {
		contentType = "text/html"
	}
	w.Header().Set("Content-Type", contentType)
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write([]byte(body))
}

// routeOf names the operation of an API request as the emulator counts it.
func routeOf(r *http.Request) emulator.Route {
	rest, ok := strings.CutPrefix(r.URL.Path, emulator.BasePath+"/api-keys")
	switch {
	case !ok:
		return ""
	case rest == "" && r.Method == http.MethodPost:
		return emulator.RouteCreate
	case rest == "":
		return emulator.RouteList
	}
	switch r.Method {
	case http.MethodGet:
		return emulator.RouteGet
	case http.MethodPut:
		return emulator.RouteEdit
	case http.MethodPatch:
		return emulator.RouteRegenerate
	case http.MethodDelete:
		return emulator.RouteDelete
	}
	return ""
}

// withProxy returns a copy of e whose provider reaches the emulator through
// a proxy of its own. e.client still talks to the emulator directly, so
// that checks see what the API holds, not what the proxy answers.
func (e *testEnv) withProxy(t *testing.T) (*testEnv, *proxy) {
	t.Helper()
	p := &proxy{emu: e.emu}
	srv := httptest.NewServer(p)
	t.Cleanup(srv.Close)
	proxied := *e
	proxied.endpoint = srv.URL + emulator.BasePath
	proxied.providerBlock = strings.Replace(e.providerBlock, e.endpoint, proxied.endpoint, 1)
	return &proxied, p
}

// stateKeys returns the attributes of every ncp_apigw_api_key in state, by id.
func stateKeys(s *terraform.State) map[string]map[string]string {
	keys := map[string]map[string]string{}
	for _, rs := range s.RootModule().Resources {
		if rs.Type == "ncp_apigw_api_key" {
			keys[rs.Primary.ID] = rs.Primary.Attributes
		}
	}
	return keys
}

// checkStateMatchesEmulator asserts that the emulator holds exactly the keys
// in state (no orphan, none missing) and that each matches its state.
func (e *testEnv) checkStateMatchesEmulator(s *terraform.State) error {
	inState := stateKeys(s)
	var problems []string
	for _, k := range e.emu.Keys() {
		attrs, ok := inState[k.ID]
		if !ok {
			problems = append(problems, fmt.Sprintf("key %s (%q) is in the emulator but not in state", k.ID, k.Name))
			continue
		}
		delete(inState, k.ID)
		want := map[string]string{
			"name":          k.Name,
			"description":   k.Description,
			"enabled":       fmt.Sprint(k.Enabled),
			"primary_key":   k.PrimaryKey,
			"secondary_key": k.SecondaryKey,
			"mod_time":      k.ModTime.Format(time.RFC3339),
		}
		for attr, v := range want {
			if attrs[attr] != v {
				// Key values stay out of the message.
				problems = append(problems, fmt.Sprintf("key %s: state's %s differs from the emulator's", k.ID, attr))
			}
		}
	}
	for id := range inState {
		problems = append(problems, fmt.Sprintf("key %s is in state but not in the emulator", id))
	}
	if len(problems) > 0 {
		slices.Sort(problems)
		return fmt.Errorf("state differs from the emulator:\n%s", strings.Join(problems, "\n"))
	}
	return nil
}

// orphansAndDuplicates counts the emulator's keys that state does not know,
// and the keys beyond the first of each name (the configurations that use
// it give every key a distinct name).
func (e *testEnv) orphansAndDuplicates(s *terraform.State) (orphans, duplicates int) {
	inState := stateKeys(s)
	names := map[string]int{}
	for _, k := range e.emu.Keys() {
		if _, ok := inState[k.ID]; !ok {
			orphans++
		}
		if names[k.Name]++; names[k.Name] > 1 {
			duplicates++
		}
	}
	return orphans, duplicates
}

// checkKeyCount asserts how many keys the emulator holds.
func (e *testEnv) checkKeyCount(want int) resource.TestCheckFunc {
	return func(*terraform.State) error {
		if got := len(e.emu.Keys()); got != want {
			return fmt.Errorf("the emulator holds %d keys, want %d", got, want)
		}
		return nil
	}
}

// checkRequests asserts how many requests of the given routes the emulator
// got since its counters were last reset.
func (e *testEnv) checkRequests(want map[emulator.Route]int) resource.TestCheckFunc {
	return func(*terraform.State) error {
		got := e.emu.Stats().Requests
		for route, n := range want {
			if got[route] != n {
				return fmt.Errorf("%d %s requests, want %d (all: %v)", got[route], route, n, got)
			}
		}
		return nil
	}
}

// planCheckFunc adapts a function to plancheck.PlanCheck.
type planCheckFunc func(*tfjson.Plan) error

func (f planCheckFunc) CheckPlan(_ context.Context, req plancheck.CheckPlanRequest, resp *plancheck.CheckPlanResponse) {
	resp.Error = f(req.Plan)
}

// expectNoDrift asserts that the refresh before a plan found every resource
// as state recorded it. Right after a failed apply, this proves that the
// apply left state equal to the API.
var expectNoDrift = planCheckFunc(func(plan *tfjson.Plan) error {
	var drifted []string
	for _, rc := range plan.ResourceDrift {
		drifted = append(drifted, fmt.Sprintf("%s (%v)", rc.Address, rc.Change.Actions))
	}
	if len(drifted) > 0 {
		return fmt.Errorf("refresh found state different from the API: %s", strings.Join(drifted, ", "))
	}
	return nil
})

// expectPlannedUnchanged asserts that the plan keeps attr of addr as state
// has it.
func expectPlannedUnchanged(addr, attr string) plancheck.PlanCheck {
	return planCheckFunc(func(plan *tfjson.Plan) error {
		for _, rc := range plan.ResourceChanges {
			if rc.Address != addr {
				continue
			}
			before, _ := rc.Change.Before.(map[string]any)
			after, _ := rc.Change.After.(map[string]any)
			if before[attr] == nil || before[attr] != after[attr] {
				return fmt.Errorf("%s: the plan changes %s from %v to %v", addr, attr, before[attr], after[attr])
			}
			return nil
		}
		return fmt.Errorf("%s is not in the plan", addr)
	})
}

// total sums request counts over every route.
func total(requests map[emulator.Route]int) int {
	n := 0
	for _, c := range requests {
		n += c
	}
	return n
}

// TestAccReliability_lostCreateResponses creates 20 keys while 30% of the
// create answers are lost after the key was made (the connection closes):
// each lost create is reconciled by listing the name, so that no key is
// created twice and none is left out of state.
func TestAccReliability_lostCreateResponses(t *testing.T) {
	env := newTestEnv(t, emulator.Config{Seed: 20})
	env.needsEmulator(t)
	env.emu.SetFaults(emulator.Faults{Faults: []emulator.Fault{{Route: emulator.RouteCreate, Kind: emulator.FaultDrop, Rate: 0.3}}})
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             env.checkDestroyed,
		Steps: []resource.TestStep{{
			Config: env.config(`
resource "ncp_apigw_api_key" "lost" {
  count = 20
  name  = "lost-${count.index}"
}
`),
			ConfigPlanChecks: emptyPlanAfterApply,
			Check: func(s *terraform.State) error {
				stats := env.emu.Stats()
				orphans, duplicates := env.orphansAndDuplicates(s)
				t.Logf("lost create responses: %d creates sent, %d answers lost; %d keys in state, %d in the emulator: %d orphans, %d duplicates",
					stats.Requests[emulator.RouteCreate], stats.Responses[0], len(stateKeys(s)), len(env.emu.Keys()), orphans, duplicates)
				if stats.Responses[0] == 0 {
					return fmt.Errorf("no create answer was lost: the fault was not exercised")
				}
				return env.checkStateMatchesEmulator(s)
			},
		}},
	})
}

// TestAccReliability_truncatedCreateResponses: a create answered with half
// of its JSON made the key; the client cannot read it, finds it by name and
// adopts it.
func TestAccReliability_truncatedCreateResponses(t *testing.T) {
	env := newTestEnv(t, emulator.Config{})
	env.needsEmulator(t)
	env.emu.SetFaults(emulator.Faults{Faults: []emulator.Fault{{Route: emulator.RouteCreate, Kind: emulator.FaultTruncated, Count: 3}}})
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             env.checkDestroyed,
		Steps: []resource.TestStep{{
			Config: env.config(`
resource "ncp_apigw_api_key" "cut" {
  count = 4
  name  = "cut-${count.index}"
}
`),
			ConfigPlanChecks: emptyPlanAfterApply,
			Check: resource.ComposeAggregateTestCheckFunc(
				env.checkStateMatchesEmulator,
				env.checkKeyCount(4),
				// 3 truncated answers, then 4 good ones: no create was repeated.
				env.checkRequests(map[emulator.Route]int{emulator.RouteCreate: 4}),
			),
		}},
	})
}

// TestAccReliability_ambiguousCreate loses the answer of a create while
// someone else makes a key of the same name: the client cannot tell which
// key is its own, so it adopts neither, creates no third, and says which
// keys may be it and how to import one.
func TestAccReliability_ambiguousCreate(t *testing.T) {
	direct := newTestEnv(t, emulator.Config{})
	direct.needsEmulator(t)
	env, p := direct.withProxy(t)
	p.set(proxyFault{route: emulator.RouteCreate, mode: twinBeforeForwarding})
	env.emu.SetFaults(emulator.Faults{Faults: []emulator.Fault{{Route: emulator.RouteCreate, Kind: emulator.FaultDrop, Count: 1}}})
	config := env.config(apiKeyConfig(`name = "twin"`))
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: config,
				ExpectError: regexp.MustCompile(`(?s)Error creating API key "twin".*` + wrapped(`2 keys named "twin" appeared meanwhile (ids: `) +
					`[a-z0-9]{10},\s+[a-z0-9]{10}\);.*` + wrapped(`import the right one with terraform import ncp_apigw_api_key.<name> <id> and delete the others`) +
					`.*` + wrapped(`No key was adopted`)),
			},
			{
				// Nothing in state: the plan still creates the key.
				PreConfig: func() {
					p.set(proxyFault{})
					if keys := env.emu.Keys(); len(keys) != 2 || !slices.Contains(p.twinIDs(), keys[0].ID) {
						t.Errorf("the emulator holds %d keys, want the twin and the key created", len(keys))
					}
				},
				Config:             config,
				PlanOnly:           true,
				ExpectNonEmptyPlan: true,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PostApplyPreRefresh: []plancheck.PlanCheck{plancheck.ExpectResourceAction(testKeyAddr, plancheck.ResourceActionCreate)},
				},
			},
		},
	})
	// The two keys stay, for the user to import one and delete the other.
	// (CheckDestroy would not run: nothing is left in state.)
	if n := len(env.emu.Keys()); n != 2 {
		t.Errorf("the emulator holds %d keys, want 2: a create was retried blindly", n)
	}
}

// TestAccReliability_lostCreateLookupFails loses the answer of a create
// that made the key, and fails the list that would find it: the error says
// the key may exist and how to import it, and following it (import, then
// apply) leaves one key, managed, and nothing else.
func TestAccReliability_lostCreateLookupFails(t *testing.T) {
	env := newTestEnv(t, emulator.Config{})
	env.needsEmulator(t)
	env.emu.SetFaults(emulator.Faults{Faults: []emulator.Fault{
		{Route: emulator.RouteCreate, Kind: emulator.FaultDrop, Count: 1},
		{Route: emulator.RouteList, Kind: emulator.FaultError, Status: http.StatusInternalServerError},
	}})
	config := env.config(apiKeyConfig(`name = "unsure"`))
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             env.checkDestroyed,
		Steps: []resource.TestStep{
			{
				Config: config,
				ExpectError: regexp.MustCompile(`(?s)Error creating API key "unsure".*` +
					wrapped(`the API's answer was lost and checking whether the key was created failed`) + `.*` +
					wrapped(`list keys named "unsure" in the console or with the ncp_apigw_api_keys data source and import it with terraform import ncp_apigw_api_key.<name> <id>`)),
			},
			{
				PreConfig: func() {
					env.emu.SetFaults(emulator.Faults{})
					if n := len(env.emu.Keys()); n != 1 {
						t.Fatalf("the emulator holds %d keys, want the 1 the lost create made", n)
					}
				},
				Config:             config,
				ResourceName:       testKeyAddr,
				ImportState:        true,
				ImportStateIdFunc:  func(*terraform.State) (string, error) { return env.emu.Keys()[0].ID, nil },
				ImportStatePersist: true,
			},
			{
				Config:           config,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
				Check:            resource.ComposeAggregateTestCheckFunc(env.checkStateMatchesEmulator, env.checkKeyCount(1)),
			},
		},
	})
}

// TestAccReliability_lostRegenerateResponse loses the answer of a
// regenerate that took effect: the client retries, and state holds the key
// values of the retry, which are the live ones.
func TestAccReliability_lostRegenerateResponse(t *testing.T) {
	env := newTestEnv(t, emulator.Config{})
	env.needsEmulator(t)
	config := func(trigger string) string {
		return env.config(apiKeyConfig(fmt.Sprintf(`
  name            = "lost-regenerate"
  rotate_trigger  = %q
  rotate_key_type = "BOTH"
`, trigger)))
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             env.checkDestroyed,
		Steps: []resource.TestStep{
			{Config: config("t0")},
			{
				PreConfig: func() {
					env.emu.ResetStats()
					env.emu.SetFaults(emulator.Faults{Faults: []emulator.Fault{{Route: emulator.RouteRegenerate, Kind: emulator.FaultDrop, Count: 1}}})
				},
				Config:           config("t1"),
				ConfigPlanChecks: expectUpdateInPlace(),
				Check: resource.ComposeAggregateTestCheckFunc(
					env.checkKeyMatchesAPI,
					// PRIMARY lost once and sent again, then SECONDARY.
					env.checkRequests(map[emulator.Route]int{emulator.RouteRegenerate: 3, emulator.RouteEdit: 0}),
				),
			},
		},
	})
}

// TestAccReliability_updateTimesOutAfterTakingEffect makes an edit, then a
// regenerate, take effect and answer nothing until the update's timeout
// ends: the apply fails, and state still holds the key as it is live, read
// back after the timeout, so the next refresh finds no drift. The edit is
// then done; the rotation is planned again, since the provider cannot know
// that the regenerate whose answer it lost took effect.
func TestAccReliability_updateTimesOutAfterTakingEffect(t *testing.T) {
	tests := []struct {
		route       emulator.Route
		description string // of the config that times out
		trigger     string
		wantError   string
		wantPlan    []plancheck.PlanCheck // of the next apply
	}{
		{
			route: emulator.RouteEdit, description: "edited", trigger: "t0",
			wantError: `(?s)Error editing API key "slow".*did not finish within its timeout`,
			wantPlan:  []plancheck.PlanCheck{expectNoDrift, plancheck.ExpectEmptyPlan()},
		},
		{
			route: emulator.RouteRegenerate, description: "", trigger: "t1",
			wantError: `(?s)Error regenerating the PRIMARY key of API key "slow".*did not finish within its timeout`,
			wantPlan: []plancheck.PlanCheck{
				expectNoDrift,
				plancheck.ExpectResourceAction(testKeyAddr, plancheck.ResourceActionUpdate),
				plancheck.ExpectUnknownValue(testKeyAddr, tfjsonpath.New("primary_key")),
			},
		},
	}
	for _, tt := range tests {
		t.Run(string(tt.route), func(t *testing.T) {
			direct := newTestEnv(t, emulator.Config{})
			direct.needsEmulator(t)
			env, p := direct.withProxy(t)
			config := func(description, trigger string) string {
				return env.config(apiKeyConfig(fmt.Sprintf(`
  name           = "slow"
  description    = %q
  rotate_trigger = %q
  timeouts {
    update = "2s"
  }
`, description, trigger)))
			}
			var before emulator.Key
			resource.ParallelTest(t, resource.TestCase{
				ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
				CheckDestroy:             env.checkDestroyed,
				Steps: []resource.TestStep{
					{Config: config("", "t0")},
					{
						PreConfig: func() {
							before = env.emu.Keys()[0]
							p.set(proxyFault{route: tt.route, mode: hangAfterForwarding})
						},
						Config:      config(tt.description, tt.trigger),
						ExpectError: regexp.MustCompile(tt.wantError),
					},
					{
						PreConfig: func() {
							p.set(proxyFault{})
							if after := env.emu.Keys()[0]; after.ModTime.Equal(before.ModTime) && after == before {
								t.Errorf("the %s that timed out did not take effect: the test proves nothing", tt.route)
							}
						},
						Config:           config(tt.description, tt.trigger),
						ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: tt.wantPlan, PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
						Check:            env.checkKeyMatchesAPI,
					},
				},
			})
		})
	}
}

// TestAccReliability_partialUpdate renames a key and rotates it in one
// apply; the edit succeeds and the regenerate fails for good. State records
// the new name, so the next apply sends no edit, only the regenerate.
func TestAccReliability_partialUpdate(t *testing.T) {
	env := newTestEnv(t, emulator.Config{})
	env.needsEmulator(t)
	config := func(name, trigger string) string {
		return env.config(apiKeyConfig(fmt.Sprintf("name = %q\nrotate_trigger = %q", name, trigger)))
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             env.checkDestroyed,
		Steps: []resource.TestStep{
			{Config: config("partial-old", "t0")},
			{
				PreConfig: func() {
					env.emu.ResetStats()
					env.emu.SetFaults(emulator.Faults{Faults: []emulator.Fault{{Route: emulator.RouteRegenerate, Kind: emulator.FaultError, Status: http.StatusInternalServerError}}})
				},
				Config:      config("partial-new", "t1"),
				ExpectError: regexp.MustCompile(`(?s)Error regenerating the PRIMARY key of API key "partial-new".*HTTP 500, error code 900`),
			},
			{
				PreConfig: func() {
					// A 500 is not retried: one edit and one regenerate were sent.
					if r := env.emu.Stats().Requests; r[emulator.RouteEdit] != 1 || r[emulator.RouteRegenerate] != 1 {
						t.Errorf("the failed apply sent %d edits and %d regenerates, want 1 and 1", r[emulator.RouteEdit], r[emulator.RouteRegenerate])
					}
					env.emu.SetFaults(emulator.Faults{})
					env.emu.ResetStats()
				},
				Config: config("partial-new", "t1"),
				ConfigPlanChecks: expectUpdateInPlace(
					expectNoDrift,
					expectPlannedUnchanged(testKeyAddr, "name"),
					plancheck.ExpectUnknownValue(testKeyAddr, tfjsonpath.New("primary_key")),
				),
				Check: resource.ComposeAggregateTestCheckFunc(
					env.checkKeyMatchesAPI,
					env.checkRequests(map[emulator.Route]int{emulator.RouteEdit: 0, emulator.RouteRegenerate: 1}),
				),
			},
		},
	})
}

// TestAccReliability_createDisabledEditFails creates a key meant to start
// disabled and fails the edit that disables it: the key is recorded
// (tainted), so the next apply replaces it and leaves exactly one key.
func TestAccReliability_createDisabledEditFails(t *testing.T) {
	env := newTestEnv(t, emulator.Config{})
	env.needsEmulator(t)
	env.emu.SetFaults(emulator.Faults{Faults: []emulator.Fault{{Route: emulator.RouteEdit, Kind: emulator.FaultError, Status: http.StatusInternalServerError}}})
	config := env.config(apiKeyConfig(`
  name    = "start-disabled"
  enabled = false
`))
	var first string
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             env.checkDestroyed,
		Steps: []resource.TestStep{
			{
				Config:      config,
				ExpectError: regexp.MustCompile(`(?s)API key "start-disabled" \(id [a-z0-9]+\) was created but could not be\s+disabled`),
			},
			{
				PreConfig: func() {
					env.emu.SetFaults(emulator.Faults{})
					keys := env.emu.Keys()
					if len(keys) != 1 || !keys[0].Enabled {
						t.Fatalf("after the failed edit the emulator holds %d keys, want 1, still enabled", len(keys))
					}
					first = keys[0].ID
				},
				Config: config,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply:             []plancheck.PlanCheck{plancheck.ExpectResourceAction(testKeyAddr, plancheck.ResourceActionReplace)},
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				ConfigStateChecks: []statecheck.StateCheck{stateValue("enabled", knownvalue.Bool(false))},
				Check: resource.ComposeAggregateTestCheckFunc(
					env.checkStateMatchesEmulator,
					env.checkKeyCount(1),
					func(*terraform.State) error {
						if _, ok := env.emu.Key(first); ok {
							return fmt.Errorf("the tainted key %s was not deleted", first)
						}
						return nil
					},
				),
			},
		},
	})
}

// TestAccReliability_clockSkew runs a lifecycle of keys applied
// concurrently against a server whose clock is 10 minutes ahead, then
// behind: the first signatures are rejected, the client adopts the server's
// clock from the Date header, retries, and nothing fails.
func TestAccReliability_clockSkew(t *testing.T) {
	for _, offset := range []time.Duration{10 * time.Minute, -10 * time.Minute} {
		t.Run(offset.String(), func(t *testing.T) {
			env := newTestEnv(t, emulator.Config{})
			env.needsEmulator(t)
			env.emu.SetFaults(emulator.Faults{ClockOffset: offset})
			config := func(description, trigger string) string {
				return env.config(fmt.Sprintf(`
resource "ncp_apigw_api_key" "test" {
  name           = "skew"
  description    = %q
  rotate_trigger = %q
}
resource "ncp_apigw_api_key" "more" {
  count = 3
  name  = "skew-${count.index}"
}
`, description, trigger))
			}
			steps := []resource.TestStep{
				{Config: config("v1", "t1")},
				{Config: config("v2", "t1")},
				{Config: config("v2", "t2")},
				{ResourceName: testKeyAddr, ImportState: true, ImportStateVerify: true, ImportStateVerifyIgnore: []string{"rotate_trigger"}},
			}
			for i := range steps[:3] {
				steps[i].Check = env.checkStateMatchesEmulator
				steps[i].ConfigPlanChecks = emptyPlanAfterApply
			}
			resource.ParallelTest(t, resource.TestCase{
				ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
				CheckDestroy: func(s *terraform.State) error {
					stats := env.emu.Stats()
					clients := env.clients().made.Load()
					t.Logf("clock offset %s: %d requests, %d answered 401, %d provider instances (%.1f 401s each)",
						offset, total(stats.Requests), stats.Responses[401], clients, float64(stats.Responses[401])/float64(clients))
					if stats.Responses[401] == 0 {
						return fmt.Errorf("no request was rejected: the clock offset was not exercised")
					}
					return env.checkDestroyed(s)
				},
				Steps: steps,
			})
		})
	}
}

// TestAccReliability_transientErrors runs a whole lifecycle (create with
// one key disabled, edit, rotate, both data sources, import, destroy) while
// about a third of all requests fail transiently: HTTP 429, a proxy's HTML
// 502 and 503 pages, NCP's 503 and 504, answers lost after the API acted,
// and connections reset before the request reached it; every answer comes
// after a random latency. Every operation retries, and state stays equal
// to the emulator at every step.
func TestAccReliability_transientErrors(t *testing.T) {
	direct := newTestEnv(t, emulator.Config{Seed: 7})
	direct.needsEmulator(t)
	env, p := direct.withProxy(t)
	p.set(proxyFault{mode: resetBeforeForwarding, rate: 0.1})
	const rate = 0.05
	env.emu.SetFaults(emulator.Faults{
		LatencyJitter: 30 * time.Millisecond,
		Faults: []emulator.Fault{
			// Each kind strikes at least once, on a different operation...
			{Route: emulator.RouteCreate, Kind: emulator.FaultError, Status: http.StatusTooManyRequests, Count: 1},
			{Route: emulator.RouteGet, Kind: emulator.FaultError, Status: http.StatusBadGateway, Count: 1}, // always HTML, as from a proxy
			{Route: emulator.RouteEdit, Kind: emulator.FaultHTML, Status: http.StatusServiceUnavailable, Count: 1},
			{Route: emulator.RouteRegenerate, Kind: emulator.FaultError, Status: http.StatusServiceUnavailable, Count: 1},
			{Route: emulator.RouteList, Kind: emulator.FaultError, Status: http.StatusGatewayTimeout, Count: 1},
			{Route: emulator.RouteDelete, Kind: emulator.FaultDrop, Count: 1},
			{Route: emulator.RouteCreate, Kind: emulator.FaultDrop, Count: 1},
			// ...and any, on any operation, at random.
			{Kind: emulator.FaultError, Status: http.StatusTooManyRequests, Rate: rate},
			{Kind: emulator.FaultError, Status: http.StatusBadGateway, Rate: rate},
			{Kind: emulator.FaultHTML, Status: http.StatusServiceUnavailable, Rate: rate},
			{Kind: emulator.FaultError, Status: http.StatusServiceUnavailable, Rate: rate},
			{Kind: emulator.FaultError, Status: http.StatusGatewayTimeout, Rate: rate},
			{Kind: emulator.FaultDrop, Rate: rate},
		},
	})
	config := func(description, trigger string, enabled bool) string {
		return env.config(fmt.Sprintf(`
resource "ncp_apigw_api_key" "test" {
  name            = "flaky"
  description     = %[1]q
  enabled         = %[3]t
  rotate_trigger  = %[2]q
  rotate_key_type = "BOTH"
}
resource "ncp_apigw_api_key" "more" {
  count       = 3
  name        = "flaky-${count.index}"
  description = %[1]q
}
data "ncp_apigw_api_keys" "all" {
  name_regex = "^flaky"
  depends_on = [ncp_apigw_api_key.test, ncp_apigw_api_key.more]
}
data "ncp_apigw_api_key" "by_name" {
  name       = "flaky"
  depends_on = [ncp_apigw_api_key.test]
}
`, description, trigger, enabled))
	}
	listsAll := []statecheck.StateCheck{
		statecheck.ExpectKnownValue("data.ncp_apigw_api_keys.all", tfjsonpath.New("ids"), knownvalue.ListSizeExact(4)),
		statecheck.CompareValuePairs("data.ncp_apigw_api_key.by_name", tfjsonpath.New("primary_key"), testKeyAddr, tfjsonpath.New("primary_key"), compare.ValuesSame()),
	}
	steps := []resource.TestStep{
		{Config: config("v1", "t0", false)},
		{Config: config("v2", "t0", true)},
		{Config: config("v2", "t1", true)},
	}
	for i := range steps {
		steps[i].ConfigPlanChecks = emptyPlanAfterApply
		steps[i].ConfigStateChecks = listsAll
		steps[i].Check = env.checkStateMatchesEmulator
	}
	steps = append(steps, resource.TestStep{
		ResourceName: testKeyAddr, ImportState: true, ImportStateVerify: true, ImportStateVerifyIgnore: []string{"rotate_trigger", "rotate_key_type"},
	})
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps:                    steps,
		CheckDestroy: func(s *terraform.State) error {
			stats := env.emu.Stats()
			t.Logf("transient errors: %d requests to the emulator, answered %v; %d connections reset before reaching it",
				total(stats.Requests), stats.Responses, p.picked())
			for _, status := range []int{0, http.StatusTooManyRequests, http.StatusBadGateway, http.StatusServiceUnavailable, http.StatusGatewayTimeout} {
				if stats.Responses[status] == 0 {
					return fmt.Errorf("no answer had status %d (0: dropped): that fault was not exercised", status)
				}
			}
			if p.picked() == 0 {
				return fmt.Errorf("no connection was reset: that fault was not exercised")
			}
			return env.checkDestroyed(s)
		},
	})
}

// TestAccReliability_throttled creates and destroys 20 keys against an API
// that allows 5 requests a second with a burst of 5: the client slows down
// on the 429s and nothing fails.
func TestAccReliability_throttled(t *testing.T) {
	env := newTestEnv(t, emulator.Config{})
	env.needsEmulator(t)
	env.emu.SetFaults(emulator.Faults{RateLimit: 5, RateBurst: 5})
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy: func(s *terraform.State) error {
			stats := env.emu.Stats()
			t.Logf("throttled at 5 requests/s: %d requests, %d answered 429", total(stats.Requests), stats.Throttled)
			if stats.Throttled == 0 {
				return fmt.Errorf("no request was throttled: the rate limit was not exercised")
			}
			return env.checkDestroyed(s)
		},
		Steps: []resource.TestStep{{
			Config: env.config(`
resource "ncp_apigw_api_key" "throttled" {
  count = 20
  name  = "throttled-${count.index}"
}
`),
			Check: resource.ComposeAggregateTestCheckFunc(env.checkStateMatchesEmulator, env.checkKeyCount(20)),
		}},
	})
}

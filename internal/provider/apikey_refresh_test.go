package provider

import (
	"context"
	"fmt"
	"net/http"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/ncp-community/terraform-provider-ncp/internal/acctest"
	"github.com/ncp-community/terraform-provider-ncp/internal/emulator"
	"github.com/ncp-community/terraform-provider-ncp/internal/ncpclient"
)

// refreshConfig is stored keys ncp_apigw_api_key.kept[*] and keys
// ncp_apigw_api_key.bare[*] whose values state does not keep.
func refreshConfig(env *acctest.Env, kept, bare int, extra string) string {
	return env.Config(fmt.Sprintf(`
resource "ncp_apigw_api_key" "kept" {
  count = %d
  name  = "kept-${count.index}"
  %s
}

resource "ncp_apigw_api_key" "bare" {
  count            = %d
  name             = "bare-${count.index}"
  store_key_values = false
  %s
}
`, kept, extra, bare, extra))
}

// TestAccAPIKey_refreshNoChangeRequests plans with no change in an account
// listed in pages of 2: the refresh of 5 keys, 3 of them with their values
// in state, costs the 3 pages of the account's 6 keys and no GET.
func TestAccAPIKey_refreshNoChangeRequests(t *testing.T) {
	env := acctest.NewEnv(t, emulator.Config{MaxPageSize: 2})
	env.NeedsEmulator(t)
	env.Emulator.PutKey("not-managed", "")
	config := refreshConfig(env, 3, 2, "")
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: factories(env),
		CheckDestroy:             env.CheckDestroyed(1),
		Steps: []resource.TestStep{
			{Config: config},
			{
				PreConfig: env.Emulator.ResetStats,
				Config:    config,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectEmptyPlan(),
					acctest.ExpectNoDrift,
					env.ExpectRequests(map[emulator.Route]int{emulator.RouteList: 3}),
				}},
			},
		},
	})
}

// TestAccAPIKey_refreshSeesOutOfBandChanges has a colleague rename one key,
// disable another, regenerate the secondary value of a third and delete a
// fourth, and change keys whose values state does not keep: the next plan
// sees it all, the regenerated value included. After another round of
// changes, a refresh-only apply leaves state equal to the API, key values
// included.
func TestAccAPIKey_refreshSeesOutOfBandChanges(t *testing.T) {
	env := acctest.NewEnv(t, emulator.Config{MaxPageSize: 2})
	env.NeedsEmulator(t)
	config := refreshConfig(env, 4, 2, "")
	kept := func(i int) string { return fmt.Sprintf("ncp_apigw_api_key.kept[%d]", i) }
	bare := func(i int) string { return fmt.Sprintf("ncp_apigw_api_key.bare[%d]", i) }
	ids := map[string]string{}
	var record []statecheck.StateCheck
	for _, addr := range []string{kept(0), kept(1), kept(2), kept(3), bare(0), bare(1)} {
		record = append(record, statecheck.ExpectKnownValue(addr, tfjsonpath.New("id"), knownvalue.StringFunc(func(v string) error { ids[addr] = v; return nil })))
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: factories(env),
		CheckDestroy:             env.CheckDestroyed(0),
		Steps: []resource.TestStep{
			{Config: config, ConfigStateChecks: record},
			{
				PreConfig: func() {
					env.Emulator.UpdateKey(ids[kept(0)], func(k *emulator.Key) { k.Name = "renamed" })
					env.Emulator.UpdateKey(ids[kept(1)], func(k *emulator.Key) { k.Enabled = false })
					env.Emulator.RegenerateKey(ids[kept(2)], "SECONDARY")
					env.Emulator.DeleteKey(ids[kept(3)])
					env.Emulator.UpdateKey(ids[bare(0)], func(k *emulator.Key) { k.Description = "changed" })
					env.Emulator.RegenerateKey(ids[bare(1)], "PRIMARY")
					env.Emulator.ResetStats()
				},
				Config: config,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{
						acctest.InPriorState(env.ExpectStateMatchesEmulator()),
						plancheck.ExpectResourceAction(kept(0), plancheck.ResourceActionUpdate),
						plancheck.ExpectResourceAction(kept(1), plancheck.ResourceActionUpdate),
						plancheck.ExpectResourceAction(kept(2), plancheck.ResourceActionNoop),
						plancheck.ExpectResourceAction(kept(3), plancheck.ResourceActionCreate),
						plancheck.ExpectResourceAction(bare(0), plancheck.ResourceActionUpdate),
						plancheck.ExpectResourceAction(bare(1), plancheck.ResourceActionNoop),
						// 5 keys in 3 pages; the 3 changed stored keys and
						// the deleted one are read by GET, the bare keys not.
						env.ExpectRequests(map[emulator.Route]int{emulator.RouteList: 3, emulator.RouteGet: 4}),
					},
				},
				ConfigStateChecks: append(record, env.ExpectStateMatchesEmulator()),
			},
			{
				PreConfig: func() {
					env.Emulator.RegenerateKey(ids[kept(2)], "PRIMARY")
					env.Emulator.RegenerateKey(ids[kept(3)], "SECONDARY")
					env.Emulator.UpdateKey(ids[kept(0)], func(k *emulator.Key) { k.Name = "renamed-again" })
					env.Emulator.DeleteKey(ids[kept(1)])
					env.Emulator.UpdateKey(ids[bare(1)], func(k *emulator.Key) { k.Enabled = false })
				},
				RefreshState:       true,
				ExpectNonEmptyPlan: true,
				RefreshPlanChecks:  afterRefresh(env.ExpectStateMatchesEmulator()),
			},
		},
	})
}

// TestAccAPIKey_refreshAfterOwnWrites edits and rotates keys: state records
// what NCP answered to the provider's own writes, so the refreshes after
// them (the apply's, and the next plan's) find every listed row equal to
// state, and the next plan costs the 2 pages of the 4 keys and no GET.
func TestAccAPIKey_refreshAfterOwnWrites(t *testing.T) {
	env := acctest.NewEnv(t, emulator.Config{MaxPageSize: 2})
	env.NeedsEmulator(t)
	changed := refreshConfig(env, 3, 1, `description = "edited"`+"\n  rotate_trigger = \"r1\"")
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: factories(env),
		CheckDestroy:             env.CheckDestroyed(0),
		Steps: []resource.TestStep{
			{Config: refreshConfig(env, 3, 1, "")},
			{
				Config:            changed,
				ConfigStateChecks: []statecheck.StateCheck{env.ExpectStateMatchesEmulator()},
			},
			{
				PreConfig: env.Emulator.ResetStats,
				Config:    changed,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectEmptyPlan(),
					acctest.ExpectNoDrift,
					env.ExpectRequests(map[emulator.Route]int{emulator.RouteList: 2}),
				}},
			},
		},
	})
}

// TestAccAPIKey_refreshListingFails plans while the listing fails: with a
// 500 on every list request, retried until the page's patience ends; with two 429s and a Retry-After, after which
// it answers; and with 429s that last longer than the listing's patience.
// A key the listing does not serve is read by its own GET, within the read
// timeout, and the plan is empty.
func TestAccAPIKey_refreshListingFails(t *testing.T) {
	throttled := emulator.Fault{Route: emulator.RouteList, Kind: emulator.FaultError, Status: http.StatusTooManyRequests, Header: map[string]string{"Retry-After": "1"}}
	briefly := throttled
	briefly.Count = 2
	for name, tt := range map[string]struct {
		fault emulator.Fault
		read  string // the keys' read timeout
		gets  int
	}{
		// A 500 on every list request: retried within the page's patience, then the listing ends and every key is read.
		"error": {fault: emulator.Fault{Route: emulator.RouteList, Kind: emulator.FaultError, Status: http.StatusInternalServerError}, read: "10s", gets: 3},
		// Retried after Retry-After, the listing answers: no GET.
		"throttled briefly": {fault: briefly, read: "20s", gets: 0},
		// Throttled beyond half the read timeout: every key is read.
		"throttled": {fault: throttled, read: "20s", gets: 3},
	} {
		t.Run(name, func(t *testing.T) {
			env := acctest.NewEnv(t, emulator.Config{})
			env.NeedsEmulator(t)
			config := refreshConfig(env, 2, 1, fmt.Sprintf("timeouts {\n    read = %q\n  }", tt.read))
			resource.ParallelTest(t, resource.TestCase{
				ProtoV6ProviderFactories: factories(env),
				CheckDestroy:             env.CheckDestroyed(0),
				Steps: []resource.TestStep{
					{Config: config},
					{
						PreConfig: func() {
							env.Emulator.SetFaults(emulator.Faults{Faults: []emulator.Fault{tt.fault}})
							env.Emulator.ResetStats()
						},
						Config: config,
						ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
							plancheck.ExpectEmptyPlan(),
							acctest.ExpectNoDrift,
							env.ExpectRouteRequests(map[emulator.Route]int{emulator.RouteGet: tt.gets}),
						}},
						ConfigStateChecks: []statecheck.StateCheck{env.ExpectStateMatchesEmulator()},
					},
					{
						PreConfig: func() { env.Emulator.SetFaults(emulator.Faults{}) },
						Config:    config,
					},
				},
			})
		})
	}
}

// TestAccAPIKey_refreshKeyMissingFromListing has the listing answer no key
// at all, as a listing that misses a key moving between pages would: the
// key's own GET still finds it, and it stays in state.
func TestAccAPIKey_refreshKeyMissingFromListing(t *testing.T) {
	env := acctest.NewEnv(t, emulator.Config{})
	env.NeedsEmulator(t)
	config := refreshConfig(env, 1, 1, "")
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: factories(env),
		CheckDestroy:             env.CheckDestroyed(0),
		Steps: []resource.TestStep{
			{Config: config},
			{
				PreConfig: func() {
					env.Emulator.SetFaults(emulator.Faults{Faults: []emulator.Fault{{
						Route: emulator.RouteList, Kind: emulator.FaultReplace, ContentType: "application/json",
						Body: `{"apiKeys":[],"total":0,"initialCount":0}`,
					}}})
					env.Emulator.ResetStats()
				},
				Config: config,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectEmptyPlan(),
					acctest.ExpectNoDrift,
					env.ExpectRequests(map[emulator.Route]int{emulator.RouteList: 1, emulator.RouteGet: 2}),
				}},
				ConfigStateChecks: []statecheck.StateCheck{env.ExpectStateMatchesEmulator()},
			},
		},
	})
}

// regenerateStampsKey regenerates a new key's secondary value a second after
// its creation and reports whether the key's listed row shows the write:
// the refresh skips the GET of a key whose row is unchanged, so it relies
// on this.
func regenerateStampsKey(t *testing.T, env *acctest.Env, name string) bool {
	t.Helper()
	ctx := t.Context()
	created, err := env.Client.CreateAPIKey(ctx, ncpclient.CreateAPIKeyInput{Name: name})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := env.Client.DeleteAPIKey(context.WithoutCancel(ctx), created.ID); err != nil {
			t.Errorf("deleting %s: %v", created.ID, err)
		}
	})
	outlastModTimeSecond()
	if _, err := env.Client.RegenerateAPIKey(ctx, created.ID, ncpclient.KeyTypeSecondary); err != nil {
		t.Fatal(err)
	}
	listed, err := env.Client.ListAllAPIKeys(ctx, name)
	if err != nil {
		t.Fatal(err)
	}
	for _, k := range listed {
		if k.ID == created.ID {
			return k.ModTime != created.ModTime
		}
	}
	t.Fatalf("key %s is not listed", created.ID)
	return false
}

// TestAccAPIKey_regenerateStampsKey checks the assumption the refresh rests
// on, against NCP when the tests run against it: a regenerate changes the
// key's modTime in the listing. The emulator's RegenerateKeepsStamp plays
// the alternative, which this check catches.
func TestAccAPIKey_regenerateStampsKey(t *testing.T) {
	t.Parallel()
	if !regenerateStampsKey(t, acctest.NewEnv(t, emulator.Config{}), "tf-acc-stamp") {
		t.Error("a regenerate left the key's listed modTime as it was: the refresh would miss an out-of-band regenerate (see contributing/reliability.md, \"Refresh\")")
	}
	if acctest.AgainstNCP() {
		return
	}
	if regenerateStampsKey(t, acctest.NewEnv(t, emulator.Config{RegenerateKeepsStamp: true}), "tf-acc-stamp") {
		t.Error("with RegenerateKeepsStamp the emulator still stamps a regenerate")
	}
}

// TestAccAPIKey_refreshAfterAContradictedApply: the colleague regenerates
// the primary key after the plan was made, and the apply edits the
// description. State keeps the planned key values (with a warning), while
// the key's listed row is our edit's: the next refresh must read the key by
// GET rather than trust the row, or state keeps a primary key that is no
// longer live (found by the fault campaign, seeds 80 and 123).
func TestAccAPIKey_refreshAfterAContradictedApply(t *testing.T) {
	env := acctest.NewEnv(t, emulator.Config{})
	env.NeedsEmulator(t)
	config := func(description string) string {
		return env.Config(acctest.KeyConfig(fmt.Sprintf(`
  name        = "contradicted"
  description = %q
`, description)))
	}
	var id string
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: factories(env),
		CheckDestroy:             env.CheckDestroyed(0),
		Steps: []resource.TestStep{
			{
				Config:            config("before"),
				ConfigStateChecks: []statecheck.StateCheck{acctest.CaptureKeyID(&id)},
			},
			{
				Config: config("after"),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					acctest.ActBeforeApply(func() { env.Emulator.RegenerateKey(id, "PRIMARY") }),
				}},
			},
			{
				Config:            config("after"),
				ConfigStateChecks: []statecheck.StateCheck{env.ExpectKeyMatchesAPI(acctest.KeyAddr)},
			},
		},
	})
}

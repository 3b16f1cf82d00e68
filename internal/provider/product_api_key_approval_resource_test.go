package provider

import (
	"fmt"
	"net/http"
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/ncp-community/terraform-provider-ncp/internal/acctest"
	"github.com/ncp-community/terraform-provider-ncp/internal/emulator"
)

const approvalAddr = "ncp_apigw_product_api_key_approval.test"

// approvalConfig decides on the subscription subscriptionConfig declares.
func approvalConfig(status string) string {
	return fmt.Sprintf(`
resource "ncp_apigw_product_api_key_approval" "test" {
  product_id = ncp_apigw_api_key_subscription.test.product_id
  api_key_id = ncp_apigw_api_key_subscription.test.api_key_id
  status     = %q
}
`, status)
}

// standaloneApprovalConfig decides on a subscription made elsewhere.
func standaloneApprovalConfig(productID, keyID, status string) string {
	return fmt.Sprintf(`
resource "ncp_apigw_product_api_key_approval" "test" {
  product_id = %q
  api_key_id = %q
  status     = %q
}
`, productID, keyID, status)
}

func approvalStatus(want string) statecheck.StateCheck {
	return statecheck.ExpectKnownValue(approvalAddr, tfjsonpath.New("status"), knownvalue.StringExact(want))
}

// TestAccProductAPIKeyApproval_lifecycle accepts a key, imports the
// decision, rejects the key in place, and shows a decision made in the
// console as drift.
func TestAccProductAPIKeyApproval_lifecycle(t *testing.T) {
	env := acctest.NewEnv(t, emulator.Config{})
	product := env.SeedProduct(t, emulator.SubscriptionProtected)
	subscription := subscriptionConfig(product.ID, "")
	accepted := env.Config(subscription + approvalConfig("ACCEPTED"))
	rejected := env.Config(subscription + approvalConfig("REJECTED"))
	keyID := func() string { return acctest.KeyByName(t, env.Emulator, "acc-subscriber").ID }
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: factories(env),
		CheckDestroy:             env.CheckSubscriptionsDestroyed,
		Steps: []resource.TestStep{
			{
				Config: accepted,
				ConfigStateChecks: []statecheck.StateCheck{
					approvalStatus("ACCEPTED"),
					env.ExpectSubscriptionStatuses(1, map[string]emulator.SubscriptionStatus{product.ID: emulator.StatusAccepted}),
					statecheck.ExpectKnownValue(approvalAddr, tfjsonpath.New("id"), knownvalue.StringFunc(func(v string) error {
						if want := product.ID + "/" + keyID(); v != want {
							return fmt.Errorf("id %q, want %q", v, want)
						}
						return nil
					})),
				},
			},
			{
				ResourceName:      approvalAddr,
				ImportState:       true,
				ImportStateVerify: true,
			},
			{
				// Refresh: one read of the product's keys for the decision;
				// the update: one decision and one read back.
				PreConfig:        env.Emulator.ResetStats,
				Config:           rejected,
				ConfigPlanChecks: acctest.ExpectUpdateInPlace(approvalAddr),
				ConfigStateChecks: []statecheck.StateCheck{
					approvalStatus("REJECTED"),
					env.ExpectSubscriptionStatuses(1, map[string]emulator.SubscriptionStatus{product.ID: emulator.StatusRejected}),
					env.ExpectRouteRequests(map[emulator.Route]int{emulator.RouteApproval: 1, emulator.RouteProductKeys: 2}),
				},
			},
			{
				PreConfig: func() { env.Emulator.SetSubscriptionStatus(keyID(), product.ID, emulator.StatusAccepted) },
				Config:    rejected,
				ConfigPlanChecks: acctest.ExpectUpdateInPlace(approvalAddr,
					plancheck.ExpectKnownValue(approvalAddr, tfjsonpath.New("status"), knownvalue.StringExact("REJECTED"))),
				ConfigStateChecks: []statecheck.StateCheck{env.ExpectSubscriptionStatuses(1, map[string]emulator.SubscriptionStatus{product.ID: emulator.StatusRejected})},
			},
			{
				// The key unsubscribed: the decision is gone with it.
				PreConfig: func() { env.Emulator.Unsubscribe(keyID(), product.ID) },
				Config:    rejected,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(subscriptionAddr, plancheck.ResourceActionCreate),
					plancheck.ExpectResourceAction(approvalAddr, plancheck.ResourceActionCreate),
				}},
				ConfigStateChecks: []statecheck.StateCheck{env.ExpectSubscriptionStatuses(1, map[string]emulator.SubscriptionStatus{product.ID: emulator.StatusRejected})},
			},
		},
	})
}

// TestAccProductAPIKeyApproval_destroyRevokes: destroying an approval sets
// an accepted subscription to REJECTED, with one read and one decision,
// and leaves a rejected one as it is, with one read.
func TestAccProductAPIKeyApproval_destroyRevokes(t *testing.T) {
	for _, tc := range []struct {
		status    string
		decisions int
	}{
		{"ACCEPTED", 1},
		{"REJECTED", 0},
	} {
		t.Run(tc.status, func(t *testing.T) {
			env := acctest.NewEnv(t, emulator.Config{})
			product := env.SeedProduct(t, emulator.SubscriptionProtected)
			key := env.Emulator.PutKey("subscriber", "in the subscriber's own configuration")
			env.Emulator.Subscribe(key.ID, product.ID)
			resource.ParallelTest(t, resource.TestCase{
				ProtoV6ProviderFactories: factories(env),
				CheckDestroy: acctest.CheckAPI(
					env.ExpectSubscriptionStatuses(1, map[string]emulator.SubscriptionStatus{product.ID: emulator.StatusRejected}),
					// Since the refresh step: its read, the destroy's refresh,
					// the delete's own read, and the revocation.
					env.ExpectRouteRequests(map[emulator.Route]int{emulator.RouteProductKeys: 3, emulator.RouteApproval: tc.decisions}),
				),
				Steps: []resource.TestStep{
					{
						Config:            env.Config(standaloneApprovalConfig(product.ID, key.ID, tc.status)),
						ConfigStateChecks: []statecheck.StateCheck{approvalStatus(tc.status)},
					},
					{
						PreConfig:    env.Emulator.ResetStats,
						RefreshState: true,
					},
				},
			})
		})
	}
}

// TestAccProductAPIKeyApproval_publicProduct: an approval of a PUBLIC
// product's subscription can be imported (NCP lists the key ACCEPTED), and
// destroyed: NCP refuses the revocation, the product read proves there is
// nothing to revoke, and the key keeps its access, which no decision gave
// (issue 17, case 8). Under LenientApproval NCP takes the revocation
// without a word and changes nothing. Either way: 1 decision, and 1 product
// read only after a refusal.
func TestAccProductAPIKeyApproval_publicProduct(t *testing.T) {
	for _, tc := range []struct {
		name         string
		switches     emulator.SubscriptionSwitches
		productReads int
	}{
		{"refused", emulator.SubscriptionSwitches{}, 1},
		{"lenient", emulator.SubscriptionSwitches{LenientApproval: true}, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			env := acctest.NewEnv(t, emulator.Config{SubscriptionSwitches: tc.switches})
			public := env.SeedProduct(t, emulator.SubscriptionPublic)
			key := env.Emulator.PutKey("subscriber", "")
			env.Emulator.Subscribe(key.ID, public.ID)
			config := env.Config(standaloneApprovalConfig(public.ID, key.ID, "ACCEPTED"))
			resource.ParallelTest(t, resource.TestCase{
				ProtoV6ProviderFactories: factories(env),
				CheckDestroy: acctest.CheckAPI(
					env.ExpectSubscriptionStatuses(1, map[string]emulator.SubscriptionStatus{public.ID: emulator.StatusAccepted}),
					env.ExpectRouteRequests(map[emulator.Route]int{emulator.RouteProductKeys: 3, emulator.RouteApproval: 1, emulator.RouteProduct: tc.productReads}),
				),
				Steps: []resource.TestStep{
					{
						Config:             config,
						ResourceName:       approvalAddr,
						ImportState:        true,
						ImportStateId:      public.ID + "/" + key.ID,
						ImportStatePersist: true,
					},
					{
						Config:            config,
						ConfigPlanChecks:  resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
						ConfigStateChecks: []statecheck.StateCheck{approvalStatus("ACCEPTED")},
					},
					{
						// From here: this refresh, the destroy's, the delete's
						// own read, the revocation, and the product read.
						PreConfig:    env.Emulator.ResetStats,
						RefreshState: true,
					},
				},
			})
		})
	}
}

func TestAccProductAPIKeyApproval_errors(t *testing.T) {
	env := acctest.NewEnv(t, emulator.Config{})
	protected := env.SeedProduct(t, emulator.SubscriptionProtected)
	public := env.SeedProduct(t, emulator.SubscriptionPublic)
	foreign, err := env.Emulator.PutProduct(emulator.Product{Name: "maps", PublisherID: "0123456789abcdef0123456789abcdef", SubscriptionCode: emulator.SubscriptionProtected})
	if err != nil {
		t.Fatal(err)
	}
	key := env.Emulator.PutKey("subscriber", "")
	for _, p := range []emulator.Product{public, foreign} {
		env.Emulator.Subscribe(key.ID, p.ID)
	}
	idle := env.Emulator.PutKey("idle", "")
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: factories(env),
		Steps: []resource.TestStep{
			{
				Config:      env.Config(standaloneApprovalConfig(protected.ID, key.ID, "DENY")),
				ExpectError: regexp.MustCompile(`(?s)Attribute status value must be one of.*"ACCEPTED".*"REJECTED"`),
			},
			{
				Config:      env.Config(standaloneApprovalConfig(public.ID, key.ID, "ACCEPTED")),
				ExpectError: regexp.MustCompile(`(?s)HTTP 400.*` + acctest.Wrapped("subscription code is PUBLIC accept every key")),
			},
			{
				Config:      env.Config(standaloneApprovalConfig(protected.ID, idle.ID, "ACCEPTED")),
				ExpectError: regexp.MustCompile(`(?s)HTTP 404.*` + acctest.Wrapped("Subscribe the key first (ncp_apigw_api_key_subscription)")),
			},
			{
				Config:      env.Config(standaloneApprovalConfig(foreign.ID, key.ID, "ACCEPTED")),
				ExpectError: regexp.MustCompile(`(?s)HTTP 403.*` + acctest.Wrapped("Only the product's publisher decides on its subscriptions")),
			},
			{
				Config:        env.Config(standaloneApprovalConfig(protected.ID, key.ID, "ACCEPTED")),
				ResourceName:  approvalAddr,
				ImportState:   true,
				ImportStateId: key.ID,
				ExpectError:   regexp.MustCompile(`Invalid import ID`),
			},
		},
	})
}

// TestAccProductAPIKeyApproval_silentlyIgnored: an API that takes a
// decision on a key that never subscribed without a word is caught by the
// read back.
func TestAccProductAPIKeyApproval_silentlyIgnored(t *testing.T) {
	env := acctest.NewEnv(t, emulator.Config{SubscriptionSwitches: emulator.SubscriptionSwitches{LenientApproval: true}})
	product := env.SeedProduct(t, emulator.SubscriptionProtected)
	key := env.Emulator.PutKey("idle", "")
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: factories(env),
		Steps: []resource.TestStep{{
			Config:      env.Config(standaloneApprovalConfig(product.ID, key.ID, "ACCEPTED")),
			ExpectError: regexp.MustCompile(`(?s)Error setting the subscription.*` + acctest.Wrapped("lists no subscription of the key")),
		}},
	})
}

// TestAccSubscriptionsUnderMisroutedGateway: every request is answered by
// an HTML 404 page, as from a wrong endpoint. A subscription and an
// approval are not taken for gone: the refresh fails naming the endpoint,
// so does the destroy, and both stay in state and in NCP.
func TestAccSubscriptionsUnderMisroutedGateway(t *testing.T) {
	env := acctest.NewEnv(t, emulator.Config{})
	product := env.SeedProduct(t, emulator.SubscriptionProtected)
	config := env.Config(subscriptionConfig(product.ID, "") + approvalConfig("ACCEPTED"))
	misrouted := func() {
		env.Emulator.SetFaults(emulator.Faults{Faults: []emulator.Fault{{Kind: emulator.FaultHTML, Status: http.StatusNotFound}}})
	}
	notFromNCP := regexp.MustCompile(`(?s)HTTP 404.*` + acctest.Wrapped("did not come from NCP's API at "+env.Endpoint))
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: factories(env),
		CheckDestroy:             env.CheckSubscriptionsDestroyed,
		Steps: []resource.TestStep{
			{Config: config, ConfigStateChecks: []statecheck.StateCheck{env.ExpectSubscriptionStatuses(1, map[string]emulator.SubscriptionStatus{product.ID: emulator.StatusAccepted})}},
			{PreConfig: misrouted, Config: config, PlanOnly: true, ExpectError: notFromNCP},
			{PreConfig: misrouted, Config: config, Destroy: true, ExpectError: notFromNCP},
			{
				PreConfig:         func() { env.Emulator.SetFaults(emulator.Faults{}) },
				Config:            config,
				ConfigPlanChecks:  resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
				ConfigStateChecks: []statecheck.StateCheck{env.ExpectSubscriptionStatuses(1, map[string]emulator.SubscriptionStatus{product.ID: emulator.StatusAccepted})},
			},
		},
	})
}

// TestAccSubscriptions_swappedImportIDs: a subscription's import ID is
// api_key_id/product_id and an approval's product_id/api_key_id. Each
// swapped gets an error naming the right order, at the cost of one more
// read on that failure path only; IDs that name nothing in either order get
// Terraform's own error (issue 19).
func TestAccSubscriptions_swappedImportIDs(t *testing.T) {
	env := acctest.NewEnv(t, emulator.Config{})
	product := env.SeedProduct(t, emulator.SubscriptionProtected)
	key := env.Emulator.PutKey("subscriber", "")
	env.Emulator.Subscribe(key.ID, product.ID)
	env.Emulator.SetSubscriptionStatus(key.ID, product.ID, emulator.StatusAccepted)
	config := env.Config(fmt.Sprintf(`
resource "ncp_apigw_api_key_subscription" "test" {
  api_key_id = %q
  product_id = %q
}
`, key.ID, product.ID) + standaloneApprovalConfig(product.ID, key.ID, "ACCEPTED"))
	// reads asserts, before the next step, the reads the step before made.
	reads := func(route emulator.Route, want int) func() {
		return func() {
			if got := env.Emulator.Stats().Requests[route]; got != want {
				t.Errorf("%d %s requests, want %d", got, route, want)
			}
			env.Emulator.ResetStats()
		}
	}
	importStep := func(addr, id string, before func(), expect string) resource.TestStep {
		return resource.TestStep{
			PreConfig:     before,
			Config:        config,
			ResourceName:  addr,
			ImportState:   true,
			ImportStateId: id,
			ExpectError:   regexp.MustCompile(expect),
		}
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: factories(env),
		Steps: []resource.TestStep{
			importStep(subscriptionAddr, product.ID+"/"+key.ID, env.Emulator.ResetStats,
				`(?s)Cannot import ncp_apigw_api_key_subscription `+product.ID+"/"+key.ID+`: its two IDs are in the wrong order.*`+
					acctest.Wrapped("There is no subscription of API key "+product.ID+" to product "+key.ID+"; did you mean "+key.ID+"/"+product.ID+"?")+
					`.*`+acctest.Wrapped("terraform import ncp_apigw_api_key_subscription.<name> "+key.ID+"/"+product.ID)),
			importStep(approvalAddr, key.ID+"/"+product.ID, reads(emulator.RouteKeyProducts, 2),
				`(?s)Cannot import ncp_apigw_product_api_key_approval `+key.ID+"/"+product.ID+`: its two IDs are in the wrong order.*`+
					acctest.Wrapped("did you mean "+product.ID+"/"+key.ID+"?")+
					`.*`+acctest.Wrapped("terraform import ncp_apigw_product_api_key_approval.<name> "+product.ID+"/"+key.ID)),
			importStep(approvalAddr, "nosuchprod/"+key.ID, reads(emulator.RouteProductKeys, 2), `Cannot import non-existent remote object`),
			importStep(subscriptionAddr, key.ID+"/nosuchprod", reads(emulator.RouteProductKeys, 2), `Cannot import non-existent remote object`),
			{
				// The right orders import, with one read each.
				PreConfig:          reads(emulator.RouteKeyProducts, 2),
				Config:             config,
				ResourceName:       subscriptionAddr,
				ImportState:        true,
				ImportStateId:      key.ID + "/" + product.ID,
				ImportStatePersist: true,
			},
			{
				PreConfig:          reads(emulator.RouteKeyProducts, 1),
				Config:             config,
				ResourceName:       approvalAddr,
				ImportState:        true,
				ImportStateId:      product.ID + "/" + key.ID,
				ImportStatePersist: true,
			},
			{
				PreConfig:        reads(emulator.RouteProductKeys, 1),
				Config:           config,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
			},
		},
	})
}

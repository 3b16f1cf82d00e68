package provider

import (
	"context"
	"fmt"
	"regexp"
	"testing"
	"time"

	tfjson "github.com/hashicorp/terraform-json"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
	tfresource "github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/ncp-community/terraform-provider-ncp/internal/acctest"
	"github.com/ncp-community/terraform-provider-ncp/internal/emulator"
)

const subscriptionAddr = "ncp_apigw_api_key_subscription.test"

// subscriptionConfig declares a key and its subscription to productID,
// with the subscription's extra arguments (HCL).
func subscriptionConfig(productID, extra string) string {
	return fmt.Sprintf(`
resource "ncp_apigw_api_key" "test" {
  name = "acc-subscriber"
}

resource "ncp_apigw_api_key_subscription" "test" {
  api_key_id = ncp_apigw_api_key.test.id
  product_id = %q
%s
}
`, productID, extra)
}

func subscriptionValue(attr string, check knownvalue.Check) statecheck.StateCheck {
	return statecheck.ExpectKnownValue(subscriptionAddr, tfjsonpath.New(attr), check)
}

// subscriptionRequests are the requests of subscriptions the emulator got
// since its counters were last reset.
func subscriptionRequests(env *acctest.Env, subscribe, unsubscribe, keyProducts int) acctest.CountCheck[emulator.Route] {
	return env.ExpectRouteRequests(map[emulator.Route]int{
		emulator.RouteSubscribe:   subscribe,
		emulator.RouteUnsubscribe: unsubscribe,
		emulator.RouteKeyProducts: keyProducts,
	})
}

// TestAccAPIKeySubscription_public subscribes a key to a product that needs
// no approval, with one subscribe and one read, imports it by ID and as an
// import block, and unsubscribes on destroy, before the key is deleted.
func TestAccAPIKeySubscription_public(t *testing.T) {
	// Deleting a subscribed key is refused, so the destroy proves that the
	// subscription was removed first, by an unsubscribe.
	env := acctest.NewEnv(t, emulator.Config{SubscriptionSwitches: emulator.SubscriptionSwitches{RefuseDeleteSubscribedKey: true}})
	product := env.SeedProduct(t, emulator.SubscriptionPublic)
	keyOnly := env.Config(acctest.KeyConfig(`name = "acc-subscriber"`))
	config := env.Config(subscriptionConfig(product.ID, ""))
	var keyID string
	tfresource.ParallelTest(t, tfresource.TestCase{
		ProtoV6ProviderFactories: factories(env),
		CheckDestroy: tfresource.ComposeAggregateTestCheckFunc(
			env.CheckSubscriptionsDestroyed,
			// Since the refresh step: the destroy's one unsubscribe.
			acctest.CheckAPI(env.ExpectRouteRequests(map[emulator.Route]int{emulator.RouteSubscribe: 0, emulator.RouteUnsubscribe: 1})),
		),
		Steps: []tfresource.TestStep{
			{
				Config:            keyOnly,
				ConfigStateChecks: []statecheck.StateCheck{acctest.CaptureKeyID(&keyID)},
			},
			{
				PreConfig: env.Emulator.ResetStats,
				Config:    config,
				ConfigStateChecks: []statecheck.StateCheck{
					subscriptionValue("status", knownvalue.StringExact("ACCEPTED")),
					subscriptionValue("product_name", knownvalue.StringExact(product.Name)),
					subscriptionValue("publisher_id", knownvalue.StringExact(product.PublisherID)),
					subscriptionValue("self_product", knownvalue.Bool(true)),
					subscriptionValue("wait_for_approval", knownvalue.Bool(false)),
					subscriptionValue("product_id", knownvalue.StringExact(product.ID)),
					subscriptionValue("id", knownvalue.StringFunc(func(v string) error {
						if v != keyID+"/"+product.ID {
							return fmt.Errorf("id %q, want %s/%s", v, keyID, product.ID)
						}
						return nil
					})),
					env.ExpectSubscriptionStatuses(1, map[string]emulator.SubscriptionStatus{product.ID: emulator.StatusAccepted}),
					// The create's own requests: one subscribe, one read.
					subscriptionRequests(env, 1, 0, 1),
				},
			},
			{
				ResourceName:      subscriptionAddr,
				ImportState:       true,
				ImportStateVerify: true,
			},
			{
				ResourceName:    subscriptionAddr,
				ImportState:     true,
				ImportStateKind: tfresource.ImportBlockWithID,
				Config:          config,
				ImportPlanChecks: tfresource.ImportPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(subscriptionAddr, plancheck.ResourceActionNoop)},
				},
			},
			{
				// A refresh costs one read of the key's products.
				PreConfig:        env.Emulator.ResetStats,
				Config:           config,
				ConfigPlanChecks: tfresource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{subscriptionRequests(env, 0, 0, 1)}},
			},
			{
				// wait_for_approval and timeouts change in place, with no
				// subscribe or unsubscribe: they matter only to a create.
				PreConfig:        env.Emulator.ResetStats,
				Config:           env.Config(subscriptionConfig(product.ID, "wait_for_approval = true\ntimeouts {\n  create = \"5m\"\n}")),
				ConfigPlanChecks: acctest.ExpectUpdateInPlace(subscriptionAddr),
				ConfigStateChecks: []statecheck.StateCheck{
					subscriptionValue("wait_for_approval", knownvalue.Bool(true)),
					env.ExpectRouteRequests(map[emulator.Route]int{emulator.RouteSubscribe: 0, emulator.RouteUnsubscribe: 0}),
				},
			},
		},
	})
}

// TestAccAPIKeySubscription_approvedByThePublisher: a product that requires
// approval, whose publisher is the provider's own account. The
// subscription is recorded with status REQUEST, approved by
// ncp_apigw_product_api_key_approval, and the next refresh reads ACCEPTED.
func TestAccAPIKeySubscription_approvedByThePublisher(t *testing.T) {
	env := acctest.NewEnv(t, emulator.Config{})
	product := env.SeedProduct(t, emulator.SubscriptionProtected)
	subscribed := env.Config(subscriptionConfig(product.ID, ""))
	approved := subscribed + approvalConfig("ACCEPTED")
	tfresource.ParallelTest(t, tfresource.TestCase{
		ProtoV6ProviderFactories: factories(env),
		CheckDestroy:             env.CheckSubscriptionsDestroyed,
		Steps: []tfresource.TestStep{
			{
				Config: subscribed,
				ConfigStateChecks: []statecheck.StateCheck{
					subscriptionValue("status", knownvalue.StringExact("REQUEST")),
					env.ExpectSubscriptionStatuses(1, map[string]emulator.SubscriptionStatus{product.ID: emulator.StatusRequest}),
				},
			},
			{
				PreConfig: env.Emulator.ResetStats,
				Config:    approved,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(approvalAddr, tfjsonpath.New("status"), knownvalue.StringExact("ACCEPTED")),
					// As documented: recorded before the approval, until the next refresh.
					subscriptionValue("status", knownvalue.StringExact("REQUEST")),
					env.ExpectSubscriptionStatuses(1, map[string]emulator.SubscriptionStatus{product.ID: emulator.StatusAccepted}),
					// The approval: one decision, one read back.
					env.ExpectRouteRequests(map[emulator.Route]int{emulator.RouteApproval: 1, emulator.RouteProductKeys: 1}),
				},
			},
			{
				// The publisher's decision shows in the subscription's status.
				Config:            approved,
				PlanOnly:          true,
				ConfigStateChecks: []statecheck.StateCheck{subscriptionValue("status", knownvalue.StringExact("ACCEPTED"))},
			},
		},
	})
}

// TestAccAPIKeySubscription_waitForApproval waits, within the create, for
// the publisher to accept the key.
func TestAccAPIKeySubscription_waitForApproval(t *testing.T) {
	env := acctest.NewEnv(t, emulator.Config{})
	product := env.SeedProduct(t, emulator.SubscriptionProtected)
	env.DecideWhenRequested(t, product.ID, emulator.StatusAccepted)
	tfresource.ParallelTest(t, tfresource.TestCase{
		ProtoV6ProviderFactories: factories(env),
		CheckDestroy:             env.CheckSubscriptionsDestroyed,
		Steps: []tfresource.TestStep{{
			Config: env.Config(subscriptionConfig(product.ID, "wait_for_approval = true")),
			ConfigStateChecks: []statecheck.StateCheck{
				subscriptionValue("status", knownvalue.StringExact("ACCEPTED")),
				subscriptionValue("wait_for_approval", knownvalue.Bool(true)),
				env.ExpectRouteRequests(map[emulator.Route]int{emulator.RouteSubscribe: 1}),
			},
		}},
	})
}

// TestAccAPIKeySubscription_rejected: with wait_for_approval, a rejection
// fails the create at once, naming the status; the subscription is kept in
// state, tainted, so that the next apply asks again.
func TestAccAPIKeySubscription_rejected(t *testing.T) {
	env := acctest.NewEnv(t, emulator.Config{})
	product := env.SeedProduct(t, emulator.SubscriptionProtected)
	env.DecideWhenRequested(t, product.ID, emulator.StatusRejected)
	config := env.Config(subscriptionConfig(product.ID, "wait_for_approval = true"))
	tfresource.ParallelTest(t, tfresource.TestCase{
		ProtoV6ProviderFactories: factories(env),
		CheckDestroy:             env.CheckSubscriptionsDestroyed,
		Steps: []tfresource.TestStep{
			{
				Config: config,
				ExpectError: regexp.MustCompile(`(?s)The publisher refused the subscription of API key \w+ to product ` + product.ID +
					`.*` + acctest.Wrapped("status as REJECTED") + `.*` + acctest.Wrapped("the next apply unsubscribes the key and asks again")),
			},
			{
				// The rejected subscription was kept, tainted: the next apply
				// replaces it, and asks the publisher again.
				Config: env.Config(subscriptionConfig(product.ID, "")),
				ConfigPlanChecks: tfresource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					acctest.InPriorState(env.ExpectSubscriptionStatuses(1, map[string]emulator.SubscriptionStatus{product.ID: emulator.StatusRejected})),
					plancheck.ExpectResourceAction(subscriptionAddr, plancheck.ResourceActionReplace),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					subscriptionValue("status", knownvalue.StringExact("REQUEST")),
					env.ExpectSubscriptionStatuses(1, map[string]emulator.SubscriptionStatus{product.ID: emulator.StatusRequest}),
				},
			},
		},
	})
}

// TestAccAPIKeySubscription_approvalAfterTimeout: nobody decides within
// the create timeout; the create fails saying the request stays pending and
// to apply again, and records nothing. The publisher approves afterwards:
// the next apply creates the resource (no replacement), finds the key
// subscribed, keeps the approved subscription and records it ACCEPTED; no
// unsubscribe. Under IdempotentSubscribe the second subscribe is taken
// silently and the same happens (issue 17, case 9).
func TestAccAPIKeySubscription_approvalAfterTimeout(t *testing.T) {
	for _, tc := range []struct {
		name     string
		switches emulator.SubscriptionSwitches
	}{
		{"second subscribe refused", emulator.SubscriptionSwitches{}},
		{"second subscribe taken", emulator.SubscriptionSwitches{IdempotentSubscribe: true}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			env := acctest.NewEnv(t, emulator.Config{SubscriptionSwitches: tc.switches})
			product := env.SeedProduct(t, emulator.SubscriptionProtected)
			config := env.Config(subscriptionConfig(product.ID, `
  wait_for_approval = true
  timeouts {
    create = "2s"
  }
`))
			var first emulator.Subscription
			tfresource.ParallelTest(t, tfresource.TestCase{
				ProtoV6ProviderFactories: factories(env),
				CheckDestroy:             env.CheckSubscriptionsDestroyed,
				Steps: []tfresource.TestStep{
					{
						Config: config,
						ExpectError: regexp.MustCompile(`(?s)Timed out waiting for the publisher to approve the subscription.*` +
							acctest.Wrapped("status is still REQUEST. The request stays with the publisher and is not recorded in state") +
							`.*` + acctest.Wrapped("apply again to keep waiting") +
							`.*` + acctest.Wrapped("terraform import ncp_apigw_api_key_subscription.<name> ") + `\w+/` + product.ID),
					},
					{
						PreConfig: func() {
							subs := env.Emulator.Subscriptions()
							if len(subs) != 1 || subs[0].Status != emulator.StatusRequest {
								t.Fatalf("after the timeout: subscriptions %+v, want one pending", subs)
							}
							first = subs[0]
							env.Emulator.SetSubscriptionStatus(first.APIKeyID, product.ID, emulator.StatusAccepted) // the publisher, late
							env.Emulator.ResetStats()
						},
						Config: config,
						ConfigPlanChecks: tfresource.ConfigPlanChecks{
							PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(subscriptionAddr, plancheck.ResourceActionCreate)},
						},
						ConfigStateChecks: []statecheck.StateCheck{
							subscriptionValue("status", knownvalue.StringExact("ACCEPTED")),
							env.ExpectSubscriptionStatuses(1, map[string]emulator.SubscriptionStatus{product.ID: emulator.StatusAccepted}),
							env.ExpectRouteRequests(map[emulator.Route]int{emulator.RouteSubscribe: 1, emulator.RouteUnsubscribe: 0}),
							acctest.StateCheckFunc(func(*tfjson.State) error {
								if s, _ := env.Emulator.Subscription(first.APIKeyID, product.ID); !s.RegTime.Equal(first.RegTime) {
									return fmt.Errorf("the subscription was made anew at %v, want the one of %v kept", s.RegTime, first.RegTime)
								}
								return nil
							}),
						},
					},
				},
			})
		})
	}
}

// TestAccAPIKeySubscription_waitResumesAfterTimeout: after a timeout, the
// next apply waits on the same request again, and takes the approval
// given during that wait.
func TestAccAPIKeySubscription_waitResumesAfterTimeout(t *testing.T) {
	env := acctest.NewEnv(t, emulator.Config{})
	product := env.SeedProduct(t, emulator.SubscriptionProtected)
	config := func(timeout string) string {
		return env.Config(subscriptionConfig(product.ID, fmt.Sprintf("wait_for_approval = true\ntimeouts {\n  create = %q\n}", timeout)))
	}
	tfresource.ParallelTest(t, tfresource.TestCase{
		ProtoV6ProviderFactories: factories(env),
		CheckDestroy:             env.CheckSubscriptionsDestroyed,
		Steps: []tfresource.TestStep{
			{
				Config:      config("1s"),
				ExpectError: regexp.MustCompile(`Timed out waiting for the publisher`),
			},
			{
				// The publisher decides while the second apply waits.
				PreConfig: func() {
					go func() {
						time.Sleep(time.Second)
						for _, s := range env.Emulator.Subscriptions() {
							env.Emulator.SetSubscriptionStatus(s.APIKeyID, s.ProductID, emulator.StatusAccepted)
						}
					}()
				},
				Config: config("1m"),
				ConfigStateChecks: []statecheck.StateCheck{
					subscriptionValue("status", knownvalue.StringExact("ACCEPTED")),
					env.ExpectSubscriptionStatuses(1, map[string]emulator.SubscriptionStatus{product.ID: emulator.StatusAccepted}),
					env.ExpectRouteRequests(map[emulator.Route]int{emulator.RouteUnsubscribe: 0}),
				},
			},
		},
	})
}

// TestAccAPIKeySubscription_driftOutOfBand: a subscription cancelled in the
// console is gone from state on refresh, and the plan subscribes again; a
// decision of the publisher shows in status without a plan.
func TestAccAPIKeySubscription_driftOutOfBand(t *testing.T) {
	env := acctest.NewEnv(t, emulator.Config{})
	product := env.SeedProduct(t, emulator.SubscriptionProtected)
	config := env.Config(subscriptionConfig(product.ID, ""))
	keyID := func() string { return acctest.KeyByName(t, env.Emulator, "acc-subscriber").ID }
	tfresource.ParallelTest(t, tfresource.TestCase{
		ProtoV6ProviderFactories: factories(env),
		CheckDestroy:             env.CheckSubscriptionsDestroyed,
		Steps: []tfresource.TestStep{
			{
				Config:            config,
				ConfigStateChecks: []statecheck.StateCheck{subscriptionValue("status", knownvalue.StringExact("REQUEST"))},
			},
			{
				PreConfig: func() { env.Emulator.SetSubscriptionStatus(keyID(), product.ID, emulator.StatusDeny) },
				Config:    config,
				ConfigPlanChecks: tfresource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(subscriptionAddr, plancheck.ResourceActionNoop),
				}},
				ConfigStateChecks: []statecheck.StateCheck{subscriptionValue("status", knownvalue.StringExact("DENY"))},
			},
			{
				PreConfig: func() {
					if !env.Emulator.Unsubscribe(keyID(), product.ID) {
						t.Fatal("no subscription to cancel")
					}
				},
				Config: config,
				ConfigPlanChecks: tfresource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(subscriptionAddr, plancheck.ResourceActionCreate)},
				},
				ConfigStateChecks: []statecheck.StateCheck{env.ExpectSubscriptionStatuses(1, map[string]emulator.SubscriptionStatus{product.ID: emulator.StatusRequest})},
			},
			{
				// The key deleted in the console takes its subscription
				// with it: both are created again.
				PreConfig: func() { env.Emulator.DeleteKey(keyID()) },
				Config:    config,
				ConfigPlanChecks: tfresource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(acctest.KeyAddr, plancheck.ResourceActionCreate),
					plancheck.ExpectResourceAction(subscriptionAddr, plancheck.ResourceActionCreate),
				}},
				ConfigStateChecks: []statecheck.StateCheck{env.ExpectSubscriptionStatuses(1, nil)},
			},
		},
	})
}

// TestAccAPIKeySubscription_lostSubscribeAnswer: the subscribe is made but
// its answer is lost. The provider reads the key's products before it
// would repeat it, finds the subscription, and leaves exactly one: one
// subscribe, one read for the check and one for the create's read-back.
// Under a lag the check misses it; the repeat is refused, and a second
// look finds it.
func TestAccAPIKeySubscription_lostSubscribeAnswer(t *testing.T) {
	for _, tc := range []struct {
		name                 string
		lag                  int
		subscribes, keyReads int
	}{
		{"consistent", 0, 1, 2},
		{"lagging", 1, 2, 3},
	} {
		t.Run(tc.name, func(t *testing.T) {
			env := acctest.NewEnv(t, emulator.Config{SubscriptionSwitches: emulator.SubscriptionSwitches{SubscriptionLag: tc.lag}})
			product := env.SeedProduct(t, emulator.SubscriptionPublic)
			tfresource.ParallelTest(t, tfresource.TestCase{
				ProtoV6ProviderFactories: factories(env),
				CheckDestroy:             env.CheckSubscriptionsDestroyed,
				Steps: []tfresource.TestStep{
					{Config: env.Config(acctest.KeyConfig(`name = "acc-subscriber"`))},
					{
						PreConfig: func() {
							env.Emulator.ResetStats()
							env.Emulator.SetFaults(emulator.Faults{Faults: []emulator.Fault{{Route: emulator.RouteSubscribe, Kind: emulator.FaultDrop, Count: 1}}})
						},
						Config: env.Config(subscriptionConfig(product.ID, "")),
						ConfigStateChecks: []statecheck.StateCheck{
							env.ExpectSubscriptionStatuses(1, map[string]emulator.SubscriptionStatus{product.ID: emulator.StatusAccepted}),
							subscriptionRequests(env, tc.subscribes, 0, tc.keyReads),
						},
					},
				},
			})
		})
	}
}

// TestAccAPIKeySubscription_alreadySubscribed: a subscription made outside
// Terraform is not adopted; the error says how to import it, and the
// import brings it under management without a change.
func TestAccAPIKeySubscription_alreadySubscribed(t *testing.T) {
	env := acctest.NewEnv(t, emulator.Config{})
	product := env.SeedProduct(t, emulator.SubscriptionPublic)
	config := env.Config(subscriptionConfig(product.ID, ""))
	var keyID string
	tfresource.ParallelTest(t, tfresource.TestCase{
		ProtoV6ProviderFactories: factories(env),
		CheckDestroy:             env.CheckSubscriptionsDestroyed,
		Steps: []tfresource.TestStep{
			{
				Config:            env.Config(acctest.KeyConfig(`name = "acc-subscriber"`)),
				ConfigStateChecks: []statecheck.StateCheck{acctest.CaptureKeyID(&keyID)},
			},
			{
				PreConfig: func() {
					if _, ok := env.Emulator.Subscribe(keyID, product.ID); !ok { // in the console
						t.Fatalf("subscribing %s out of band failed", keyID)
					}
				},
				Config:      config,
				ExpectError: regexp.MustCompile(`(?s)API key \w+ is already subscribed to product ` + product.ID + `.*terraform import\s+ncp_apigw_api_key_subscription.<name>\s+\w+/` + product.ID),
			},
			{
				Config:             config,
				ResourceName:       subscriptionAddr,
				ImportState:        true,
				ImportStateIdFunc:  func(*terraform.State) (string, error) { return keyID + "/" + product.ID, nil },
				ImportStatePersist: true,
			},
			{
				Config:            config,
				ConfigPlanChecks:  tfresource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
				ConfigStateChecks: []statecheck.StateCheck{env.ExpectSubscriptionStatuses(1, nil)},
			},
		},
	})
}

func TestAccAPIKeySubscription_errors(t *testing.T) {
	env := acctest.NewEnv(t, emulator.Config{})
	env.NeedsEmulator(t)
	tfresource.ParallelTest(t, tfresource.TestCase{
		ProtoV6ProviderFactories: factories(env),
		CheckDestroy:             env.CheckDestroyed(0),
		Steps: []tfresource.TestStep{
			{
				Config:      env.Config(subscriptionConfig("no/such", "")),
				ExpectError: regexp.MustCompile(`must be an NCP ID, without slashes or spaces`),
			},
			{
				Config:      env.Config(subscriptionConfig("nosuchprod", "")),
				ExpectError: regexp.MustCompile(`(?s)Error subscribing API key \w+ to product nosuchprod.*HTTP 404.*` + acctest.Wrapped("NCP knows no such API key or product")),
			},
			{
				Config:        env.Config(subscriptionConfig("nosuchprod", "")),
				ResourceName:  subscriptionAddr,
				ImportState:   true,
				ImportStateId: "onlyonepart",
				ExpectError:   regexp.MustCompile(`Invalid import ID`),
			},
		},
	})
}

// TestAPIKeySubscriptionIdentity imports a subscription by ID and by
// identity through the resource's own methods, and reads it: each sets the
// identity, which Terraform 1.12 and later keep. (The CLI these tests run
// may be older and send none.)
func TestAPIKeySubscriptionIdentity(t *testing.T) {
	ctx := context.Background()
	env := acctest.NewEnv(t, emulator.Config{})
	product := env.SeedProduct(t, emulator.SubscriptionPublic)
	key := env.Emulator.PutKey("acc-identity", "")
	env.Emulator.Subscribe(key.ID, product.ID)

	r := &apiKeySubscriptionResource{data: &providerData{client: env.Client}}
	var schemaResp resource.SchemaResponse
	r.Schema(ctx, resource.SchemaRequest{}, &schemaResp)
	var identityResp resource.IdentitySchemaResponse
	r.IdentitySchema(ctx, resource.IdentitySchemaRequest{}, &identityResp)
	stateType := schemaResp.Schema.Type().TerraformType(ctx)
	identityType := identityResp.IdentitySchema.Type().TerraformType(ctx)
	wantIdentity := tftypes.NewValue(identityType, map[string]tftypes.Value{
		"api_key_id": tftypes.NewValue(tftypes.String, key.ID),
		"product_id": tftypes.NewValue(tftypes.String, product.ID),
	})
	emptyIdentity := func() *tfsdk.ResourceIdentity {
		return &tfsdk.ResourceIdentity{Schema: identityResp.IdentitySchema, Raw: tftypes.NewValue(identityType, nil)}
	}

	for _, req := range []resource.ImportStateRequest{
		{ID: key.ID + "/" + product.ID},
		{Identity: &tfsdk.ResourceIdentity{Schema: identityResp.IdentitySchema, Raw: wantIdentity}},
	} {
		resp := resource.ImportStateResponse{
			State:    tfsdk.State{Schema: schemaResp.Schema, Raw: tftypes.NewValue(stateType, nil)},
			Identity: emptyIdentity(),
		}
		r.ImportState(ctx, req, &resp)
		if resp.Diagnostics.HasError() {
			t.Fatalf("import %q: %v", req.ID, resp.Diagnostics)
		}
		if !resp.Identity.Raw.Equal(wantIdentity) {
			t.Fatalf("import %q set the identity %v, want %v", req.ID, resp.Identity.Raw, wantIdentity)
		}

		readResp := resource.ReadResponse{State: resp.State, Identity: emptyIdentity()}
		r.Read(ctx, resource.ReadRequest{State: resp.State, Identity: resp.Identity}, &readResp)
		var read apiKeySubscriptionModel
		readResp.Diagnostics.Append(readResp.State.Get(ctx, &read)...)
		if readResp.Diagnostics.HasError() || !readResp.Identity.Raw.Equal(wantIdentity) || read.Status.ValueString() != "ACCEPTED" || read.ID.ValueString() != key.ID+"/"+product.ID {
			t.Fatalf("read after import: %+v, identity %v, %v", read, readResp.Identity.Raw, readResp.Diagnostics)
		}
	}
}

package provider

import (
	"context"
	"errors"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/booldefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/boolplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/ncp-community/terraform-provider-ncp/internal/ncpclient"
)

var (
	_ resource.Resource                = (*apiKeySubscriptionResource)(nil)
	_ resource.ResourceWithConfigure   = (*apiKeySubscriptionResource)(nil)
	_ resource.ResourceWithImportState = (*apiKeySubscriptionResource)(nil)
	_ resource.ResourceWithIdentity    = (*apiKeySubscriptionResource)(nil)
)

// subscriptionID is the import ID of a subscription, in the order of NCP's
// path /api-keys/{api-key-id}/subscribe.
var subscriptionID = compositeID{typeName: "ncp_apigw_api_key_subscription", object: "a subscription", first: "api_key_id", second: "product_id"}

func newAPIKeySubscriptionResource() resource.Resource {
	return &apiKeySubscriptionResource{}
}

// apiKeySubscriptionResource subscribes an API key to a product.
type apiKeySubscriptionResource struct {
	data *providerData
}

type apiKeySubscriptionModel struct {
	ID types.String `tfsdk:"id"`
	subscriptionIDs
	WaitForApproval types.Bool     `tfsdk:"wait_for_approval"`
	Status          types.String   `tfsdk:"status"`
	ProductName     types.String   `tfsdk:"product_name"`
	PublisherID     types.String   `tfsdk:"publisher_id"`
	SelfProduct     types.Bool     `tfsdk:"self_product"`
	Timeouts        timeouts.Value `tfsdk:"timeouts"`
}

// setFromAPI records what the key's products say of the subscription.
func (m *apiKeySubscriptionModel) setFromAPI(p *ncpclient.KeyProduct) {
	m.Status = types.StringValue(p.Status)
	m.ProductName = types.StringValue(p.ProductName)
	m.PublisherID = types.StringValue(p.PublisherID)
	m.SelfProduct = types.BoolPointerValue(p.SelfProduct)
}

func (r *apiKeySubscriptionResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_apigw_api_key_subscription"
}

func (r *apiKeySubscriptionResource) Schema(ctx context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	fromAPI := func(description string) schema.StringAttribute {
		return schema.StringAttribute{
			MarkdownDescription: description,
			Computed:            true,
			PlanModifiers:       []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
		}
	}
	resp.Schema = schema.Schema{
		MarkdownDescription: "Subscribes an API Gateway API key to a product, so that the key may call the product's API stages. " +
			"A product that requires approval (`PROTECTED`) leaves the subscription in status `REQUEST` until its publisher decides; " +
			"`wait_for_approval` waits for that. Destroying the resource unsubscribes the key.",
		Attributes: map[string]schema.Attribute{
			"id":         subscriptionID.id(),
			"api_key_id": idPart("ID of the API key to subscribe, for example `ncp_apigw_api_key.this.id`. Changing it replaces the subscription."),
			"product_id": idPart("ID of the product to subscribe the key to, shown in the console under API Gateway > Products. Changing it replaces the subscription."),
			"wait_for_approval": schema.BoolAttribute{
				MarkdownDescription: "Whether creating the subscription waits, within the create timeout, until the publisher accepts it (`status` `ACCEPTED`). " +
					"It fails at once when the publisher rejects it (`REJECTED`, `DENY` or `BLOCKED_REQUEST`): the subscription is then kept in state " +
					"as tainted, so that the next apply unsubscribes and asks again. When the timeout runs out, the request stays pending and is not " +
					"recorded in state: the next apply finds the key already subscribed, keeps that subscription (and an approval given meanwhile) " +
					"and waits again. Defaults to `false`: the subscription is created whatever its status. Only creation waits. Do not set it when " +
					"the publisher's approval (`ncp_apigw_product_api_key_approval`) is in the same configuration: the approval is made after the subscription.",
				Optional: true,
				Computed: true,
				Default:  booldefault.StaticBool(false),
			},
			"status": fromAPI("Status of the subscription as NCP reports it: `ACCEPTED` (the key may call the product's stages), " +
				"`REQUEST` (awaiting the publisher's approval), or `REJECTED`, `DENY` or `BLOCKED_REQUEST` (turned away). " +
				"Read on every refresh, so a decision of the publisher shows in state."),
			"product_name": fromAPI("Name of the product."),
			"publisher_id": fromAPI("ID of the tenant that publishes the product."),
			"self_product": schema.BoolAttribute{
				MarkdownDescription: "Whether the key's own tenant publishes the product. Null when NCP does not say.",
				Computed:            true,
				PlanModifiers:       []planmodifier.Bool{boolplanmodifier.UseStateForUnknown()},
			},
		},
		Blocks: map[string]schema.Block{
			"timeouts": timeouts.Block(ctx, timeouts.Opts{Create: true, Read: true, Delete: true}),
		},
	}
}

func (r *apiKeySubscriptionResource) IdentitySchema(_ context.Context, _ resource.IdentitySchemaRequest, resp *resource.IdentitySchemaResponse) {
	subscriptionIdentitySchema(resp)
}

func (r *apiKeySubscriptionResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	r.data = providerDataFrom(req.ProviderData, &resp.Diagnostics)
}

// Create subscribes, then reads the subscription until the key's products
// list it (NCP may not at once), and with wait_for_approval until the
// publisher decides. Once the key is subscribed, a failure records the
// subscription before it is reported, so that it is neither orphaned nor
// made twice: Terraform marks it tainted, and the next apply replaces it.
// A wait that times out is the exception: it records nothing, so that the
// next apply, finding the key subscribed, adopts the request and waits on
// it again, rather than replacing it and losing an approval given in
// between.
func (r *apiKeySubscriptionResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var plan apiKeySubscriptionModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	ctx, cancel, client, ok := r.data.startOperation(ctx, plan.Timeouts.Create, defaultCreateTimeout, &resp.Diagnostics)
	if !ok {
		return
	}
	defer cancel()

	keyID, productID := plan.APIKeyID.ValueString(), plan.ProductID.ValueString()
	if err := client.Subscribe(ctx, keyID, productID); err != nil {
		var already *ncpclient.AlreadySubscribedError
		if !plan.WaitForApproval.ValueBool() || !errors.As(err, &already) {
			addSubscribeError(&resp.Diagnostics, plan, err)
			return
		}
		// A key has one subscription to a product, and this key's is the
		// one this resource is to wait on, whoever asked for it: most
		// likely an earlier apply whose wait timed out.
		tflog.Info(ctx, "the API key is already subscribed to the product; waiting on that subscription",
			map[string]any{"api_key_id": keyID, "product_id": productID, "status": already.Status})
	} else {
		tflog.Info(ctx, "subscribed API key to product", map[string]any{"api_key_id": keyID, "product_id": productID})
	}
	plan.ID = types.StringValue(joinIDs(keyID, productID))
	record := func() {
		resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
		resp.Diagnostics.Append(setIdentity(ctx, resp.Identity, plan.identity())...)
	}

	p, err := pollKeyProduct(ctx, client, keyID, productID, func(p *ncpclient.KeyProduct) bool { return p != nil })
	if err != nil {
		plan.Status, plan.ProductName, plan.PublisherID, plan.SelfProduct = types.StringNull(), types.StringNull(), types.StringNull(), types.BoolNull()
		record()
		addAPIError(&resp.Diagnostics, "The subscription "+plan.label()+" was made, but could not be read back", err)
		return
	}
	plan.setFromAPI(p)
	if plan.WaitForApproval.ValueBool() && p.Status != ncpclient.SubscriptionAccepted {
		if !r.waitForApproval(ctx, client, &plan, &resp.Diagnostics) {
			return
		}
	}
	record()
}

// waitForApproval polls the subscription until the publisher accepts or
// refuses it, or ctx ends, adding an error unless it was accepted. It
// reports whether the subscription is to be recorded: not when it
// disappeared, nor when the wait timed out (see Create).
func (r *apiKeySubscriptionResource) waitForApproval(ctx context.Context, client *ncpclient.Client, plan *apiKeySubscriptionModel, diags *diag.Diagnostics) (record bool) {
	tflog.Info(ctx, "waiting for the publisher to approve the subscription", map[string]any{"id": plan.ID.ValueString()})
	p, err := pollKeyProduct(ctx, client, plan.APIKeyID.ValueString(), plan.ProductID.ValueString(), func(p *ncpclient.KeyProduct) bool {
		return p == nil || p.Status == ncpclient.SubscriptionAccepted || refusedStatus(p.Status)
	})
	if p != nil {
		plan.setFromAPI(p)
	}
	status := plan.Status.ValueString()
	switch {
	case errors.Is(err, context.DeadlineExceeded) || errors.Is(err, context.Canceled):
		summary := "Timed out waiting for the publisher to approve the subscription "
		if errors.Is(err, context.Canceled) {
			summary = "Stopped waiting for the publisher to approve the subscription "
		}
		diags.AddError(summary+plan.label(),
			fmt.Sprintf("The subscription's status is still %s. The request stays with the publisher and is not recorded in state, "+
				"so nothing is lost: apply again to keep waiting. The next apply finds the key's request, keeps it (with an approval given meanwhile) "+
				"and waits again; raise the create timeout (timeouts { create = ... }) to wait longer each time.\n\n"+
				"To record the subscription whatever its status, import it: terraform import ncp_apigw_api_key_subscription.<name> %s. "+
				"To withdraw the request, cancel the subscription in the console, or import it and destroy it: removing this resource from the "+
				"configuration leaves the request pending.", status, plan.ID.ValueString()))
		return false
	case err != nil:
		addAPIError(diags, "Error waiting for the publisher to approve the subscription "+plan.label(), err)
	case p == nil:
		diags.AddError("The subscription "+plan.label()+" disappeared while waiting for approval",
			"The key is no longer associated with the product: the publisher may have rejected the subscription (NCP may drop rejected subscriptions), "+
				"or someone unsubscribed the key. Apply again to subscribe it again.")
		return false
	case refusedStatus(status):
		diags.AddError("The publisher refused the subscription "+plan.label(),
			fmt.Sprintf("NCP reports the subscription's status as %s. The subscription is recorded in state as tainted: "+
				"the next apply unsubscribes the key and asks again. Ask the product's publisher to accept the key, "+
				"or remove the subscription from the configuration.", status))
	}
	return true
}

// addSubscribeError reports a subscribe that failed, with what to do next.
func addSubscribeError(diags *diag.Diagnostics, plan apiKeySubscriptionModel, err error) {
	importID := joinIDs(plan.APIKeyID.ValueString(), plan.ProductID.ValueString())
	var already *ncpclient.AlreadySubscribedError
	var ambiguous *ncpclient.AmbiguousSubscribeError
	switch {
	case errors.As(err, &already):
		diags.AddError("API key "+plan.APIKeyID.ValueString()+" is already subscribed to product "+plan.ProductID.ValueString(),
			fmt.Sprintf("%s\n\nThe subscription (status %s) was made outside this configuration, or by an earlier apply whose result was not recorded. "+
				"To manage it here, import it: terraform import ncp_apigw_api_key_subscription.<name> %s", err, already.Status, importID))
	case errors.As(err, &ambiguous):
		diags.AddError("Error subscribing API key "+plan.APIKeyID.ValueString()+" to product "+plan.ProductID.ValueString(),
			fmt.Sprintf("%s\n\nIf the key is subscribed, import the subscription: terraform import ncp_apigw_api_key_subscription.<name> %s; "+
				"otherwise apply again.", err, importID))
	case ncpclient.IsNotFound(err):
		diags.AddError("Error subscribing API key "+plan.APIKeyID.ValueString()+" to product "+plan.ProductID.ValueString(),
			err.Error()+"\n\nNCP knows no such API key or product: check both IDs, and that the product is published.")
	default:
		addAPIError(diags, "Error subscribing API key "+plan.APIKeyID.ValueString()+" to product "+plan.ProductID.ValueString(), err)
	}
}

// Read finds the product among the key's products: one request when it is
// on the first page. A key that is gone, or no longer associated with the
// product, removes the subscription from state.
func (r *apiKeySubscriptionResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var state apiKeySubscriptionModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	ctx, cancel, client, ok := r.data.startOperation(ctx, state.Timeouts.Read, defaultReadTimeout, &resp.Diagnostics)
	if !ok {
		return
	}
	defer cancel()

	resp.Diagnostics.Append(setIdentity(ctx, resp.Identity, state.identity())...)
	keyID, productID := state.APIKeyID.ValueString(), state.ProductID.ValueString()
	importRead := state.WaitForApproval.IsNull() // an import's state holds only the IDs
	p, err := client.KeyProduct(ctx, keyID, productID)
	switch {
	case ncpclient.IsNotFound(err) || (err == nil && p == nil):
		if importRead && subscriptionID.addSwappedImportError(ctx, &resp.Diagnostics, "no subscription "+state.label(), keyID, productID,
			func(ctx context.Context, keyID, productID string) (bool, error) {
				p, err := client.KeyProduct(ctx, keyID, productID)
				return p != nil, err
			}) {
			return
		}
		tflog.Warn(ctx, "the API key is no longer subscribed to the product; removing the subscription from state",
			map[string]any{"api_key_id": keyID, "product_id": productID, "key_gone": err != nil})
		resp.State.RemoveResource(ctx)
		return
	case err != nil:
		addAPIError(&resp.Diagnostics, "Error reading the subscription "+state.label(), err)
		return
	}
	state.setFromAPI(p)
	state.ID = types.StringValue(joinIDs(keyID, productID))
	if importRead { // the default
		state.WaitForApproval = types.BoolValue(false)
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
}

// Update calls no API: only wait_for_approval and timeouts can change in
// place, and they matter only to a create.
func (r *apiKeySubscriptionResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var plan apiKeySubscriptionModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
	resp.Diagnostics.Append(setIdentity(ctx, resp.Identity, plan.identity())...)
}

// Delete unsubscribes; a subscription already gone counts as done.
func (r *apiKeySubscriptionResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	var state apiKeySubscriptionModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	ctx, cancel, client, ok := r.data.startOperation(ctx, state.Timeouts.Delete, defaultDeleteTimeout, &resp.Diagnostics)
	if !ok {
		return
	}
	defer cancel()

	if err := client.Unsubscribe(ctx, state.APIKeyID.ValueString(), state.ProductID.ValueString()); err != nil {
		addAPIError(&resp.Diagnostics, "Error unsubscribing: the subscription "+state.label(), err)
	}
}

// ImportState takes "api_key_id/product_id", from `terraform import` or an
// import block's id, or an import block's identity (Terraform 1.12 and
// later).
func (r *apiKeySubscriptionResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	subscriptionID.importState(ctx, req, resp)
}

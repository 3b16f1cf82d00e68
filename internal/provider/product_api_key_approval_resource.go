package provider

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/ncp-community/terraform-provider-ncp/internal/ncpclient"
)

var (
	_ resource.Resource                = (*productAPIKeyApprovalResource)(nil)
	_ resource.ResourceWithConfigure   = (*productAPIKeyApprovalResource)(nil)
	_ resource.ResourceWithImportState = (*productAPIKeyApprovalResource)(nil)
	_ resource.ResourceWithIdentity    = (*productAPIKeyApprovalResource)(nil)
)

// approvalID is the import ID of a decision, in the order of NCP's path
// /products/{product-id}/api-keys/{api-key-id}.
var approvalID = compositeID{typeName: "ncp_apigw_product_api_key_approval", object: "a decision", first: "product_id", second: "api_key_id"}

func newProductAPIKeyApprovalResource() resource.Resource {
	return &productAPIKeyApprovalResource{}
}

// productAPIKeyApprovalResource is a product publisher's decision on a
// key's subscription: accepted or rejected.
type productAPIKeyApprovalResource struct {
	data *providerData
}

type productAPIKeyApprovalModel struct {
	ID types.String `tfsdk:"id"`
	subscriptionIDs
	Status   types.String   `tfsdk:"status"`
	Timeouts timeouts.Value `tfsdk:"timeouts"`
}

func (r *productAPIKeyApprovalResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_apigw_product_api_key_approval"
}

func (r *productAPIKeyApprovalResource) Schema(ctx context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "The publisher's decision on an API key's subscription to one of its products that requires approval " +
			"(subscription code `PROTECTED`): `ACCEPTED` lets the key call the product's stages, `REJECTED` turns it away. " +
			"The key must have subscribed first (`ncp_apigw_api_key_subscription`, here or in the subscriber's own configuration). " +
			"**Destroying the resource revokes the approval**: a subscription it finds `ACCEPTED` is set to `REJECTED`, so that removing " +
			"the resource never leaves access granted; one already rejected, awaiting a decision or gone is left as it is, and so is " +
			"a key of a product that NCP reports as `PUBLIC`, which takes no decision (nothing to revoke). " +
			"To stop managing the decision without revoking it, use `terraform state rm`, or a `removed` block with `destroy = false`.",
		Attributes: map[string]schema.Attribute{
			"id":         approvalID.id(),
			"product_id": idPart("ID of the product, which the provider's account must publish. Changing it replaces the resource."),
			"api_key_id": idPart("ID of the subscribed API key. Changing it replaces the resource."),
			"status": schema.StringAttribute{
				MarkdownDescription: "The decision: `ACCEPTED` or `REJECTED`. Changing it sends the new decision. " +
					"A refresh reads the subscription's status as NCP reports it, so a decision made in the console shows as drift.",
				Required:   true,
				Validators: []validator.String{stringvalidator.OneOf(ncpclient.SubscriptionAccepted, ncpclient.SubscriptionRejected)},
			},
		},
		Blocks: map[string]schema.Block{
			"timeouts": timeouts.Block(ctx, timeouts.Opts{Create: true, Read: true, Update: true, Delete: true}),
		},
	}
}

func (r *productAPIKeyApprovalResource) IdentitySchema(_ context.Context, _ resource.IdentitySchemaRequest, resp *resource.IdentitySchemaResponse) {
	subscriptionIdentitySchema(resp)
}

func (r *productAPIKeyApprovalResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	r.data = providerDataFrom(req.ProviderData, &resp.Diagnostics)
}

func (r *productAPIKeyApprovalResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var plan productAPIKeyApprovalModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	plan.ID = types.StringValue(joinIDs(plan.ProductID.ValueString(), plan.APIKeyID.ValueString()))
	r.decide(ctx, plan, plan.Timeouts.Create, defaultCreateTimeout, &resp.State, resp.Identity, &resp.Diagnostics)
}

func (r *productAPIKeyApprovalResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var plan productAPIKeyApprovalModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	r.decide(ctx, plan, plan.Timeouts.Update, defaultUpdateTimeout, &resp.State, resp.Identity, &resp.Diagnostics)
}

// decide sends the planned decision, then reads it back from the product's
// keys: NCP's answer to the decision says nothing, and a lenient API could
// take a decision on a key that never subscribed without a word.
func (r *productAPIKeyApprovalResource) decide(ctx context.Context, plan productAPIKeyApprovalModel, timeout operationTimeout, defaultTimeout time.Duration,
	state *tfsdk.State, identity *tfsdk.ResourceIdentity, diags *diag.Diagnostics,
) {
	ctx, cancel, client, ok := r.data.startOperation(ctx, timeout, defaultTimeout, diags)
	if !ok {
		return
	}
	defer cancel()

	productID, keyID, want := plan.ProductID.ValueString(), plan.APIKeyID.ValueString(), plan.Status.ValueString()
	summary := fmt.Sprintf("Error setting the subscription %s to %s", plan.label(), want)
	if err := client.SetSubscriptionStatus(ctx, productID, keyID, want); err != nil {
		addDecisionError(diags, summary, err)
		return
	}
	tflog.Info(ctx, "set the status of a subscription", map[string]any{"product_id": productID, "api_key_id": keyID, "status": want})
	status, found, err := client.SubscriberStatus(ctx, productID, keyID)
	switch {
	case err != nil:
		addAPIError(diags, fmt.Sprintf("The subscription %s was set to %s, but reading it back failed", plan.label(), want), err)
		return
	case !found:
		diags.AddError(summary, "NCP took the decision, but lists no subscription of the key among the product's keys afterwards: "+
			"the key may have unsubscribed, or NCP may drop rejected subscriptions. Subscribe the key (ncp_apigw_api_key_subscription) before deciding on it.")
		return
	case status != want:
		diags.AddError(summary, fmt.Sprintf("NCP took the decision, but reports the subscription's status as %s afterwards. Apply again to retry.", status))
		return
	}
	diags.Append(state.Set(ctx, &plan)...)
	diags.Append(setIdentity(ctx, identity, plan.identity())...)
}

// addDecisionError reports a refused decision with its likely cause.
func addDecisionError(diags *diag.Diagnostics, summary string, err error) {
	switch {
	case ncpclient.IsNotFound(err):
		diags.AddError(summary, err.Error()+"\n\nNCP knows no such product, no such key, or no subscription of the key to the product. "+
			"Subscribe the key first (ncp_apigw_api_key_subscription), and make this resource depend on the subscription.")
	case httpStatus(err) == http.StatusForbidden:
		diags.AddError(summary, err.Error()+"\n\nOnly the product's publisher decides on its subscriptions: the provider's account must publish the product.")
	case httpStatus(err) == http.StatusBadRequest:
		diags.AddError(summary, err.Error()+"\n\nProducts whose subscription code is PUBLIC accept every key and take no decision; "+
			"only PROTECTED products do. NCP may also refuse to accept a key it rejected before.")
	default:
		addAPIError(diags, summary, err)
	}
}

// httpStatus is the HTTP status of an API error, or 0.
func httpStatus(err error) int {
	var apiErr *ncpclient.Error
	if errors.As(err, &apiErr) {
		return apiErr.StatusCode
	}
	return 0
}

// Read reads the subscription's status from the product's keys. A key no
// longer subscribed, or a product gone, removes the decision from state.
func (r *productAPIKeyApprovalResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var state productAPIKeyApprovalModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	ctx, cancel, client, ok := r.data.startOperation(ctx, state.Timeouts.Read, defaultReadTimeout, &resp.Diagnostics)
	if !ok {
		return
	}
	defer cancel()

	resp.Diagnostics.Append(setIdentity(ctx, resp.Identity, state.identity())...)
	productID, keyID := state.ProductID.ValueString(), state.APIKeyID.ValueString()
	status, found, err := client.SubscriberStatus(ctx, productID, keyID)
	switch {
	case ncpclient.IsNotFound(err) || (err == nil && !found):
		importRead := state.Status.IsNull() // an import's state holds only the IDs
		if importRead && approvalID.addSwappedImportError(ctx, &resp.Diagnostics, "no subscription "+state.label()+" among the product's keys", productID, keyID,
			func(ctx context.Context, productID, keyID string) (bool, error) {
				_, found, err := client.SubscriberStatus(ctx, productID, keyID)
				return found, err
			}) {
			return
		}
		tflog.Warn(ctx, "the API key is no longer subscribed to the product; removing the decision from state",
			map[string]any{"product_id": productID, "api_key_id": keyID})
		resp.State.RemoveResource(ctx)
		return
	case err != nil:
		addAPIError(&resp.Diagnostics, "Error reading the subscription "+state.label(), err)
		return
	}
	state.Status = types.StringValue(status)
	state.ID = types.StringValue(joinIDs(productID, keyID))
	resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
}

// Delete revokes an approval: a subscription found ACCEPTED is set to
// REJECTED. Any other status, a subscription or product gone, and a
// product that NCP says is PUBLIC (nothing to revoke: it takes no
// decision) are left as they are.
func (r *productAPIKeyApprovalResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	var state productAPIKeyApprovalModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	ctx, cancel, client, ok := r.data.startOperation(ctx, state.Timeouts.Delete, defaultDeleteTimeout, &resp.Diagnostics)
	if !ok {
		return
	}
	defer cancel()

	productID, keyID := state.ProductID.ValueString(), state.APIKeyID.ValueString()
	status, found, err := client.SubscriberStatus(ctx, productID, keyID)
	switch {
	case ncpclient.IsNotFound(err) || (err == nil && (!found || status != ncpclient.SubscriptionAccepted)):
		return
	case err != nil:
		addAPIError(&resp.Diagnostics, "Error reading the subscription "+state.label()+" to revoke its approval", err)
		return
	}
	if err := client.RevokeApproval(ctx, productID, keyID); err != nil {
		addAPIError(&resp.Diagnostics, "Error revoking the approval of the subscription "+state.label(), err)
		return
	}
	tflog.Info(ctx, "revoked the approval of a subscription", map[string]any{"product_id": productID, "api_key_id": keyID})
}

// ImportState takes "product_id/api_key_id", from `terraform import` or an
// import block's id, or an import block's identity.
func (r *productAPIKeyApprovalResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	approvalID.importState(ctx, req, resp)
}

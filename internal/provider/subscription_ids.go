package provider

import (
	"context"
	"fmt"
	"regexp"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/identityschema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/ncp-community/terraform-provider-ncp/internal/ncpclient"
)

// The resources of subscriptions are identified by two IDs, joined by a
// slash in their `id` and import ID: api_key_id/product_id for a
// subscription, product_id/api_key_id for the publisher's approval, in the
// order of NCP's paths.

var idPattern = regexp.MustCompile(`^[^/\s]+$`)

// idValidators accept what can be one of the two IDs: NCP's IDs are
// letters and digits, and the slash separates them.
func idValidators() []validator.String {
	return []validator.String{stringvalidator.RegexMatches(idPattern, "must be an NCP ID, without slashes or spaces")}
}

func joinIDs(first, second string) string { return first + "/" + second }

// splitIDs splits an import ID made by joinIDs.
func splitIDs(id string) (first, second string, ok bool) {
	first, second, ok = strings.Cut(id, "/")
	return first, second, ok && idPattern.MatchString(first) && idPattern.MatchString(second)
}

// subscriptionIDs are the two IDs of a subscription, or of the publisher's
// decision on it. Embedded in a resource's model, they are its api_key_id
// and product_id; alone, they are its resource identity (Terraform 1.12
// and later).
type subscriptionIDs struct {
	APIKeyID  types.String `tfsdk:"api_key_id"`
	ProductID types.String `tfsdk:"product_id"`
}

// label names the subscription in messages.
func (s subscriptionIDs) label() string {
	return fmt.Sprintf("of API key %s to product %s", s.APIKeyID.ValueString(), s.ProductID.ValueString())
}

// identity is the resource's identity.
func (s subscriptionIDs) identity() subscriptionIDs { return s }

// compositeID describes the import ID of a resource of subscriptions: its
// type, what it holds, and the names of its two IDs, in order.
type compositeID struct {
	typeName      string // e.g. ncp_apigw_api_key_subscription
	object        string // e.g. a subscription
	first, second string // e.g. api_key_id, product_id
}

// inOrder returns an API key ID and a product ID in the order of c, and
// two IDs in that order as an API key ID and a product ID.
func (c compositeID) inOrder(keyID, productID string) (string, string) {
	if c.first == "api_key_id" {
		return keyID, productID
	}
	return productID, keyID
}

// id is the schema of the resource's id.
func (c compositeID) id() schema.StringAttribute {
	return schema.StringAttribute{
		MarkdownDescription: fmt.Sprintf("`%s` and `%s` joined by a slash, as taken by import.", c.first, c.second),
		Computed:            true,
		PlanModifiers:       []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
	}
}

// idPart is the schema of one of the two IDs: changing it replaces the
// resource.
func idPart(description string) schema.StringAttribute {
	return schema.StringAttribute{
		MarkdownDescription: description,
		Required:            true,
		Validators:          idValidators(),
		PlanModifiers:       []planmodifier.String{stringplanmodifier.RequiresReplace()},
	}
}

// subscriptionIdentitySchema is the identity schema of both resources.
func subscriptionIdentitySchema(resp *resource.IdentitySchemaResponse) {
	resp.IdentitySchema = identityschema.Schema{
		Attributes: map[string]identityschema.Attribute{
			"api_key_id": identityschema.StringAttribute{Description: "ID of the API key.", RequiredForImport: true},
			"product_id": identityschema.StringAttribute{Description: "ID of the product.", RequiredForImport: true},
		},
	}
}

// importState takes the two IDs joined by a slash, in c's order, from
// `terraform import` or an import block's id, or an import block's identity
// (Terraform 1.12 and later).
func (c compositeID) importState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	id := req.ID
	if id == "" && req.Identity != nil {
		var identity subscriptionIDs
		resp.Diagnostics.Append(req.Identity.Get(ctx, &identity)...)
		id = joinIDs(c.inOrder(identity.APIKeyID.ValueString(), identity.ProductID.ValueString()))
	}
	first, second, ok := splitIDs(id)
	if !ok {
		examples := map[string]string{"api_key_id": "a1b2c3d4e5", "product_id": "p9q8r7s6t5"}
		nouns := map[string]string{"api_key_id": "an API key ID", "product_id": "a product ID"}
		resp.Diagnostics.AddError("Invalid import ID",
			fmt.Sprintf("%q is not %s and %s joined by a slash. Import %s as %s/%s, for example: terraform import %s.example %s/%s",
				req.ID, nouns[c.first], nouns[c.second], c.object, c.first, c.second, c.typeName, examples[c.first], examples[c.second]))
		return
	}
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("id"), joinIDs(first, second))...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root(c.first), first)...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root(c.second), second)...)
	keyID, productID := c.inOrder(first, second)
	resp.Diagnostics.Append(setIdentity(ctx, resp.Identity, subscriptionIDs{APIKeyID: types.StringValue(keyID), ProductID: types.StringValue(productID)})...)
}

// addSwappedImportError serves an import's read that found nothing under
// the IDs first and second. Each resource's two IDs are in the order of its
// API path, which differs between them, so a swapped import ID is an easy
// mistake that Terraform would only report as a missing object. exists
// looks for the object under the two IDs in the other order (one read, on
// this failure path only); when it is there, an error names the right
// order, and addSwappedImportError returns true. Otherwise, or when that
// read fails, it returns false and the import fails as Terraform reports it.
func (c compositeID) addSwappedImportError(ctx context.Context, diags *diag.Diagnostics, notFound, first, second string,
	exists func(ctx context.Context, first, second string) (bool, error),
) bool {
	found, err := exists(ctx, second, first)
	switch {
	case ncpclient.IsNotFound(err):
		return false
	case err != nil:
		tflog.Debug(ctx, "checking the import ID in the other order failed", map[string]any{"id": joinIDs(second, first), "error": err.Error()})
		return false
	case !found:
		return false
	}
	swapped := joinIDs(second, first)
	diags.AddError(fmt.Sprintf("Cannot import %s %s: its two IDs are in the wrong order", c.typeName, joinIDs(first, second)),
		fmt.Sprintf("There is %s; did you mean %s? The import ID of %s is %s/%s (%s = %q, %s = %q). "+
			"Import it with: terraform import %s.<name> %s (or id = %q in an import block).",
			notFound, swapped, c.typeName, c.first, c.second, c.first, second, c.second, first, c.typeName, swapped, swapped))
	return true
}

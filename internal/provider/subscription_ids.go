package provider

import (
	"context"
	"regexp"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
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

// importedIDs returns the two IDs of an import: from its ID, made by
// joinIDs, or from its identity (Terraform 1.12 and later), of type I, by
// ids. ok is false when they are not two valid IDs.
func importedIDs[I any](ctx context.Context, req resource.ImportStateRequest, diags *diag.Diagnostics, ids func(I) (string, string)) (first, second string, ok bool) {
	if req.ID == "" && req.Identity != nil {
		var identity I
		diags.Append(req.Identity.Get(ctx, &identity)...)
		return splitIDs(joinIDs(ids(identity)))
	}
	return splitIDs(req.ID)
}

// setImportedIDs records an import's two IDs, under the attributes named
// first and second, and its id.
func setImportedIDs(ctx context.Context, resp *resource.ImportStateResponse, first, firstID, second, secondID string) {
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("id"), joinIDs(firstID, secondID))...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root(first), firstID)...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root(second), secondID)...)
}

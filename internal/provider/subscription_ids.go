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
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-log/tflog"
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

// compositeID describes the import ID of a resource of subscriptions: its
// type and the names of its two IDs, in order.
type compositeID struct {
	typeName      string // e.g. ncp_apigw_api_key_subscription
	first, second string // e.g. api_key_id, product_id
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

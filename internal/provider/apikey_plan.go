package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/ncp-community/terraform-provider-ncp/internal/ncpclient"
)

// changes is what an update from state to plan sends to the API.
type changes struct {
	edit     bool             // one edit (PUT): name, description or enabled change
	rotation rotation         // one regenerate (PATCH) per rotated key
	progress rotationProgress // what an earlier, partly failed apply already rotated
}

// writes reports whether the update changes the key on the server, which
// then sets modifier and mod_time anew.
func (c changes) writes() bool { return c.edit || c.rotation.any() }

// plannedChanges works out the changes of an update. ModifyPlan and Update
// both call it, so that an apply does what its plan showed.
func plannedChanges(ctx context.Context, plan, state apiKeyResourceModel, private privateState) (changes, diag.Diagnostics) {
	adopt, diags := adoptsImportedTrigger(ctx, private)
	if adopt && state.RotateTrigger.IsNull() {
		state.RotateTrigger = plan.RotateTrigger
	}
	progress, moreDiags := readRotationProgress(ctx, private)
	diags.Append(moreDiags...)
	if !progress.appliesTo(plan.RotateTrigger) {
		progress = rotationProgress{}
	}
	return changes{
		edit:     plannedEdit(plan, state),
		rotation: plannedRotation(plan, state, progress),
		progress: progress,
	}, diags
}

// plannedEdit reports whether an update from state to plan changes an
// argument that the edit sends.
func plannedEdit(plan, state apiKeyResourceModel) bool {
	return !plan.Name.Equal(state.Name) ||
		!plan.Description.Equal(state.Description) ||
		!plan.Enabled.Equal(state.Enabled)
}

// ModifyPlan makes the plan promise what the apply will find, and nothing it
// may not: values the API sets on every write (modifier, mod_time) stay as
// they are unless a write is planned, key values unless their key rotates,
// and key values are null when state does not keep them.
func (r *apiKeyResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if req.Plan.Raw.IsNull() {
		return // destroy
	}
	var plan apiKeyResourceModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	if req.State.Raw.IsNull() { // create: the API sets everything computed
		if !plan.storesKeyValues() {
			plan.PrimaryKey, plan.SecondaryKey = types.StringNull(), types.StringNull()
		}
		resp.Diagnostics.Append(resp.Plan.Set(ctx, &plan)...)
		return
	}

	var state apiKeyResourceModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	c, diags := plannedChanges(ctx, plan, state, req.Private)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	plan.Modifier = keptUnless(c.writes(), state.Modifier)
	plan.ModTime = keptUnless(c.writes(), state.ModTime)
	plan.PrimaryKey = plannedKeyValue(plan, state.PrimaryKey, c.rotation.rotates(ncpclient.KeyTypePrimary))
	plan.SecondaryKey = plannedKeyValue(plan, state.SecondaryKey, c.rotation.rotates(ncpclient.KeyTypeSecondary))
	resp.Diagnostics.Append(resp.Plan.Set(ctx, &plan)...)
}

// keptUnless is the state's value, or unknown when changed is true.
func keptUnless(changed bool, state types.String) types.String {
	if changed {
		return types.StringUnknown()
	}
	return state
}

// plannedKeyValue is the plan of one key value: null when state does not
// keep key values, unknown when the key rotates, when state has no value to
// keep or when store_key_values is not known yet, and the state's value
// otherwise.
func plannedKeyValue(plan apiKeyResourceModel, state types.String, rotates bool) types.String {
	switch {
	case plan.StoreKeyValues.IsUnknown():
		return types.StringUnknown()
	case !plan.storesKeyValues():
		return types.StringNull()
	}
	return keptUnless(rotates || state.IsNull(), state)
}

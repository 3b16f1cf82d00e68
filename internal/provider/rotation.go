package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/ncp-community/terraform-provider-ncp/internal/ncpclient"
)

// Values of rotate_key_type.
const (
	rotateKeyTypePrimary   = "PRIMARY"
	rotateKeyTypeSecondary = "SECONDARY"
	rotateKeyTypeBoth      = "BOTH"
)

// rotation is which keys an update regenerates.
type rotation struct {
	primary, secondary bool
}

// keyTypes lists the regenerate calls the rotation needs, primary first.
func (r rotation) keyTypes() []ncpclient.KeyType {
	var kts []ncpclient.KeyType
	if r.primary {
		kts = append(kts, ncpclient.KeyTypePrimary)
	}
	if r.secondary {
		kts = append(kts, ncpclient.KeyTypeSecondary)
	}
	return kts
}

func (r rotation) any() bool { return r.primary || r.secondary }

// plannedRotation decides which keys an update from state to plan
// regenerates. An existing key is rotated when rotate_trigger is set and
// differs from state (unset to a value counts); removing the trigger rotates
// nothing. A trigger or key type unknown at plan time counts as a possible
// rotation, so that a plan never promises key values that may change.
func plannedRotation(plan, state apiKeyResourceModel) rotation {
	if plan.RotateTrigger.IsNull() || plan.RotateTrigger.Equal(state.RotateTrigger) {
		return rotation{}
	}
	switch {
	case plan.RotateKeyType.IsUnknown() || plan.RotateKeyType.ValueString() == rotateKeyTypeBoth:
		return rotation{primary: true, secondary: true}
	case plan.RotateKeyType.ValueString() == rotateKeyTypeSecondary:
		return rotation{secondary: true}
	default:
		return rotation{primary: true}
	}
}

// plannedEdit reports whether an update from state to plan changes an
// argument that the edit (PUT) sends.
func plannedEdit(plan, state apiKeyResourceModel) bool {
	return !plan.Name.Equal(state.Name) ||
		!plan.Description.Equal(state.Description) ||
		!plan.Enabled.Equal(state.Enabled)
}

// privateKeyImported marks, in private state, a key imported and not applied
// since. NCP does not store rotate_trigger, so an import cannot read it back:
// the first apply after an import adopts the configured trigger instead of
// rotating the key.
const privateKeyImported = "imported"

// privateState reads provider-private state: req.Private of plan modifiers
// and of Update.
type privateState interface {
	GetKey(ctx context.Context, key string) ([]byte, diag.Diagnostics)
}

// adoptImportedTrigger makes state carry the planned trigger when the key was
// just imported, so that no rotation is planned for it.
func adoptImportedTrigger(ctx context.Context, private privateState, plan apiKeyResourceModel, state *apiKeyResourceModel) diag.Diagnostics {
	imported, diags := private.GetKey(ctx, privateKeyImported)
	if len(imported) > 0 && state.RotateTrigger.IsNull() {
		state.RotateTrigger = plan.RotateTrigger
	}
	return diags
}

// planAndState decodes both sides of an update plan. ok is false on create,
// on destroy, and when decoding failed.
func planAndState(ctx context.Context, plan tfsdk.Plan, state tfsdk.State, private privateState) (p, s apiKeyResourceModel, ok bool, diags diag.Diagnostics) {
	if plan.Raw.IsNull() || state.Raw.IsNull() {
		return p, s, false, nil
	}
	diags.Append(plan.Get(ctx, &p)...)
	diags.Append(state.Get(ctx, &s)...)
	if diags.HasError() {
		return p, s, false, diags
	}
	diags.Append(adoptImportedTrigger(ctx, private, p, &s)...)
	return p, s, !diags.HasError(), diags
}

// keyValuePlanModifier keeps a key value from state unless the plan
// regenerates that key, so that plans stay quiet and honest.
type keyValuePlanModifier struct {
	keyType ncpclient.KeyType
}

var _ planmodifier.String = keyValuePlanModifier{}

func (m keyValuePlanModifier) Description(context.Context) string {
	return "The value stays the same unless rotate_trigger changes and rotate_key_type selects this key."
}

func (m keyValuePlanModifier) MarkdownDescription(ctx context.Context) string {
	return m.Description(ctx)
}

func (m keyValuePlanModifier) PlanModifyString(ctx context.Context, req planmodifier.StringRequest, resp *planmodifier.StringResponse) {
	plan, state, ok, diags := planAndState(ctx, req.Plan, req.State, req.Private)
	resp.Diagnostics.Append(diags...)
	if !ok {
		return
	}
	rot := plannedRotation(plan, state)
	rotated := rot.primary
	if m.keyType == ncpclient.KeyTypeSecondary {
		rotated = rot.secondary
	}
	if rotated {
		resp.PlanValue = types.StringUnknown()
		return
	}
	resp.PlanValue = req.StateValue
}

// modTimePlanModifier keeps mod_time from state unless the plan sends the
// API an edit or a regenerate.
type modTimePlanModifier struct{}

var _ planmodifier.String = modTimePlanModifier{}

func (modTimePlanModifier) Description(context.Context) string {
	return "The value stays the same unless the plan edits or regenerates the key."
}

func (m modTimePlanModifier) MarkdownDescription(ctx context.Context) string {
	return m.Description(ctx)
}

func (modTimePlanModifier) PlanModifyString(ctx context.Context, req planmodifier.StringRequest, resp *planmodifier.StringResponse) {
	plan, state, ok, diags := planAndState(ctx, req.Plan, req.State, req.Private)
	resp.Diagnostics.Append(diags...)
	if !ok {
		return
	}
	if plannedEdit(plan, state) || plannedRotation(plan, state).any() {
		resp.PlanValue = types.StringUnknown()
		return
	}
	resp.PlanValue = req.StateValue
}

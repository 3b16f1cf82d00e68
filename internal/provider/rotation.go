package provider

import (
	"context"
	"encoding/json"
	"slices"

	"github.com/hashicorp/terraform-plugin-framework/diag"
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

// rotates reports whether the rotation regenerates the key of type kt.
func (r rotation) rotates(kt ncpclient.KeyType) bool {
	if kt == ncpclient.KeyTypeSecondary {
		return r.secondary
	}
	return r.primary
}

// plannedRotation decides which keys an update from state to plan
// regenerates. An existing key is rotated when rotate_trigger is set and
// differs from the trigger state recorded (unset to a value counts);
// removing the trigger rotates nothing. A trigger or key type unknown at
// plan time counts as a possible rotation, so that a plan never promises key
// values that may change. Keys that an earlier, partly failed apply already
// regenerated for the same trigger are not regenerated again.
func plannedRotation(plan, state apiKeyResourceModel, done rotationProgress) rotation {
	if plan.RotateTrigger.IsNull() || plan.RotateTrigger.Equal(state.RotateTrigger) {
		return rotation{}
	}
	var r rotation
	switch {
	case plan.RotateKeyType.IsUnknown() || plan.RotateKeyType.ValueString() == rotateKeyTypeBoth:
		r = rotation{primary: true, secondary: true}
	case plan.RotateKeyType.ValueString() == rotateKeyTypeSecondary:
		r = rotation{secondary: true}
	default:
		r = rotation{primary: true}
	}
	if done.appliesTo(plan.RotateTrigger) {
		r.primary = r.primary && !slices.Contains(done.KeyTypes, ncpclient.KeyTypePrimary)
		r.secondary = r.secondary && !slices.Contains(done.KeyTypes, ncpclient.KeyTypeSecondary)
	}
	return r
}

// privateKeyRotation holds, in private state, the progress of a rotation
// that failed part way: which keys were regenerated for which trigger. State
// keeps the old trigger until every key is done, so that the next apply
// finishes the rotation, and this record keeps it from regenerating a key
// twice.
const privateKeyRotation = "rotation"

// rotationProgress is the value of privateKeyRotation.
type rotationProgress struct {
	Trigger  string              `json:"trigger"`
	KeyTypes []ncpclient.KeyType `json:"done"`
}

// appliesTo reports whether the progress is that of a rotation to trigger.
func (p rotationProgress) appliesTo(trigger types.String) bool {
	return len(p.KeyTypes) > 0 && !trigger.IsUnknown() && !trigger.IsNull() && trigger.ValueString() == p.Trigger
}

// privateState is the provider-private state of a resource, as requests
// hand it to ModifyPlan, Read and Update.
type privateState interface {
	GetKey(ctx context.Context, key string) ([]byte, diag.Diagnostics)
}

// privateStateWriter is the private state a response carries back.
type privateStateWriter interface {
	SetKey(ctx context.Context, key string, value []byte) diag.Diagnostics
}

func readRotationProgress(ctx context.Context, private privateState) (rotationProgress, diag.Diagnostics) {
	var p rotationProgress
	raw, diags := private.GetKey(ctx, privateKeyRotation)
	if len(raw) > 0 && json.Unmarshal(raw, &p) != nil {
		// A record this version cannot read rotates every key again: a
		// second regenerate is safe, a skipped one is not.
		return rotationProgress{}, diags
	}
	return p, diags
}

// writeRotationProgress records p, or removes the record when p holds no key.
func writeRotationProgress(ctx context.Context, private privateStateWriter, p rotationProgress) diag.Diagnostics {
	if len(p.KeyTypes) == 0 {
		return private.SetKey(ctx, privateKeyRotation, nil)
	}
	raw, _ := json.Marshal(p) // strings always marshal
	return private.SetKey(ctx, privateKeyRotation, raw)
}

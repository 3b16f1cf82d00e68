package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// apiKeySchemaVersion is the version of ncp_apigw_api_key's state. Version 1
// added store_key_values.
const apiKeySchemaVersion = 1

// apiKeyResourceModelV0 is the state of provider versions up to 0.1.
type apiKeyResourceModelV0 struct {
	apiKeyModel
	RotateTrigger types.String   `tfsdk:"rotate_trigger"`
	RotateKeyType types.String   `tfsdk:"rotate_key_type"`
	PrimaryKey    types.String   `tfsdk:"primary_key"`
	SecondaryKey  types.String   `tfsdk:"secondary_key"`
	Timeouts      timeouts.Value `tfsdk:"timeouts"`
}

// UpgradeState upgrades state written by earlier versions. Only the
// attributes' types matter to a prior schema.
func (r *apiKeyResource) UpgradeState(ctx context.Context) map[int64]resource.StateUpgrader {
	computed := func() schema.StringAttribute { return schema.StringAttribute{Computed: true} }
	v0 := &schema.Schema{
		Attributes: map[string]schema.Attribute{
			"id":              computed(),
			"name":            schema.StringAttribute{Required: true},
			"description":     schema.StringAttribute{Optional: true, Computed: true},
			"enabled":         schema.BoolAttribute{Optional: true, Computed: true},
			"rotate_trigger":  schema.StringAttribute{Optional: true},
			"rotate_key_type": schema.StringAttribute{Optional: true, Computed: true},
			"tenant_id":       computed(),
			"primary_key":     schema.StringAttribute{Computed: true, Sensitive: true},
			"secondary_key":   schema.StringAttribute{Computed: true, Sensitive: true},
			"modifier":        computed(),
			"mod_time":        computed(),
			"domain_code":     computed(),
		},
		Blocks: map[string]schema.Block{
			"timeouts": timeouts.Block(ctx, timeouts.Opts{Create: true, Read: true, Update: true, Delete: true}),
		},
	}
	return map[int64]resource.StateUpgrader{
		0: {
			PriorSchema: v0,
			StateUpgrader: func(ctx context.Context, req resource.UpgradeStateRequest, resp *resource.UpgradeStateResponse) {
				var old apiKeyResourceModelV0
				resp.Diagnostics.Append(req.State.Get(ctx, &old)...)
				if resp.Diagnostics.HasError() {
					return
				}
				resp.Diagnostics.Append(resp.State.Set(ctx, apiKeyResourceModel{
					apiKeyModel:    old.apiKeyModel,
					RotateTrigger:  old.RotateTrigger,
					RotateKeyType:  old.RotateKeyType,
					StoreKeyValues: types.BoolValue(true), // every earlier version stored them
					PrimaryKey:     old.PrimaryKey,
					SecondaryKey:   old.SecondaryKey,
					Timeouts:       old.Timeouts,
				})...)
			},
		},
	}
}

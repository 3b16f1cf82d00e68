package provider

import (
	"context"
	"fmt"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/action/timeouts"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/action"
	"github.com/hashicorp/terraform-plugin-framework/action/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/ncp-community/terraform-provider-ncp/internal/ncpclient"
)

var (
	_ action.Action              = (*regenerateAction)(nil)
	_ action.ActionWithConfigure = (*regenerateAction)(nil)
)

func newRegenerateAction() action.Action {
	return &regenerateAction{}
}

// regenerateAction regenerates key values on demand (Terraform 1.14 and
// later), outside any resource's lifecycle. Actions cannot write state:
// resources that manage the key record the new values at their next
// refresh.
type regenerateAction struct {
	data *providerData
}

type regenerateActionModel struct {
	ID       types.String   `tfsdk:"id"`
	KeyType  types.String   `tfsdk:"key_type"`
	Timeouts timeouts.Value `tfsdk:"timeouts"`
}

func (a *regenerateAction) Metadata(_ context.Context, req action.MetadataRequest, resp *action.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_apigw_api_key_regenerate"
}

func (a *regenerateAction) Schema(ctx context.Context, _ action.SchemaRequest, resp *action.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Regenerates the primary key, the secondary key or both of an API Gateway API key, on demand " +
			"(Terraform 1.14 and later). The key keeps its ID; its values change. " +
			"An action cannot change state: resources that manage the key record the new values at their next refresh. " +
			"It has a 10-minute deadline by default; set `timeouts { invoke = \"...\" }` to change it.",
		Blocks: map[string]schema.Block{
			"timeouts": timeouts.BlockWithOpts(ctx, timeouts.Opts{InvokeDescription: timeoutDescription("regenerating", defaultUpdateTimeout)}),
		},
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{
				MarkdownDescription: "The ID of the key to regenerate.",
				Required:            true,
				Validators:          []validator.String{stringvalidator.LengthAtLeast(1)},
			},
			"key_type": schema.StringAttribute{
				MarkdownDescription: "Which key to regenerate: `PRIMARY` (default), `SECONDARY` or `BOTH` (primary first, then secondary).",
				Optional:            true,
				Validators:          []validator.String{stringvalidator.OneOf(rotateKeyTypePrimary, rotateKeyTypeSecondary, rotateKeyTypeBoth)},
			},
		},
	}
}

func (a *regenerateAction) Configure(_ context.Context, req action.ConfigureRequest, resp *action.ConfigureResponse) {
	a.data = providerDataFrom(req.ProviderData, &resp.Diagnostics)
}

// Invoke sends one regenerate per key, and a progress message before and
// after each; the messages never hold a key value.
//
// A refresh takes a key whose modTime and modifier are unchanged for one
// whose values state holds (contributing/reliability.md, "Refresh"), and
// modTime has whole seconds. A regenerate in the second of the write state
// recorded, as an action_trigger's right after the resource's update, would
// then go unseen: the action reads the key first, and when its last
// regenerate kept that modTime, regenerates once more a second later.
func (a *regenerateAction) Invoke(ctx context.Context, req action.InvokeRequest, resp *action.InvokeResponse) {
	var config regenerateActionModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &config)...)
	ctx, cancel, client, ok := a.data.startOperation(ctx, config.Timeouts.Invoke, defaultUpdateTimeout, &resp.Diagnostics)
	if !ok {
		return
	}
	defer cancel()

	id, keyType := config.ID.ValueString(), config.KeyType.ValueString()
	before, err := client.GetAPIKey(ctx, id)
	if err != nil {
		addAPIError(&resp.Diagnostics, "Error reading API key "+id+" before regenerating it", err)
		return
	}
	r := rotation{primary: keyType != rotateKeyTypeSecondary, secondary: keyType == rotateKeyTypeSecondary || keyType == rotateKeyTypeBoth}
	keyTypes := r.keyTypes()
	var key *ncpclient.APIKey
	for _, kt := range keyTypes {
		if key, ok = regenerate(ctx, client, id, kt, "", resp); !ok {
			return
		}
	}
	if key.ModTime == before.ModTime {
		last := keyTypes[len(keyTypes)-1]
		if waitFor(ctx, time.Second) == nil { // else the deadline came: the warning below
			if key, ok = regenerate(ctx, client, id, last, " once more, as the first kept its modTime", resp); !ok {
				return
			}
		}
		if key.ModTime == before.ModTime {
			resp.Diagnostics.AddWarning(fmt.Sprintf("API key %s kept its modTime through the regenerate", id), fmt.Sprintf(
				"The key's values were regenerated, but its modTime is still the one it had before (%s), so a refresh may keep "+
					"the old key values in state until the key's next write. To record the new values, remove the key from state "+
					"and import it by ID %s.", before.ModTime, id))
			return
		}
	}
	resp.SendProgress(action.InvokeProgressEvent{Message: fmt.Sprintf(
		"API key %s: resources that manage it record the new key values at their next refresh", id)})
}

// regenerate regenerates one key value, with a progress message before and
// after; ok is false when it failed, with the error in resp.
func regenerate(ctx context.Context, client *ncpclient.Client, id string, kt ncpclient.KeyType, why string, resp *action.InvokeResponse) (*ncpclient.APIKey, bool) {
	resp.SendProgress(action.InvokeProgressEvent{Message: fmt.Sprintf("Regenerating the %s key of API key %s%s", kt, id, why)})
	key, err := client.RegenerateAPIKey(ctx, id, kt)
	if err != nil {
		addAPIError(&resp.Diagnostics, fmt.Sprintf("Error regenerating the %s key of API key %s", kt, id), err)
		return nil, false
	}
	tflog.Info(ctx, "regenerated API key", map[string]any{"id": id, "key_type": string(kt)})
	resp.SendProgress(action.InvokeProgressEvent{Message: fmt.Sprintf("Regenerated the %s key of API key %s", kt, keyLabel(key.Name, key.ID))})
	return key, true
}

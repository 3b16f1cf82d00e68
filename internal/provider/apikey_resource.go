package provider

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/booldefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringdefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/ncp-community/terraform-provider-ncp/internal/ncpclient"
)

var (
	_ resource.Resource                = (*apiKeyResource)(nil)
	_ resource.ResourceWithConfigure   = (*apiKeyResource)(nil)
	_ resource.ResourceWithImportState = (*apiKeyResource)(nil)
)

// Default operation timeouts; each operation retries transient errors until
// its timeout runs out.
const (
	defaultCreateTimeout = 10 * time.Minute
	defaultReadTimeout   = 5 * time.Minute
	defaultUpdateTimeout = 10 * time.Minute
	defaultDeleteTimeout = 10 * time.Minute

	// readBackTimeout bounds the read that records the live key after a
	// failed update, which may run once the update's timeout has expired.
	readBackTimeout = 30 * time.Second
)

func newAPIKeyResource() resource.Resource {
	return &apiKeyResource{}
}

// apiKeyResource manages one API Gateway API key.
type apiKeyResource struct {
	data *providerData
}

type apiKeyResourceModel struct {
	apiKeySummaryModel
	RotateTrigger types.String   `tfsdk:"rotate_trigger"`
	RotateKeyType types.String   `tfsdk:"rotate_key_type"`
	PrimaryKey    types.String   `tfsdk:"primary_key"`
	SecondaryKey  types.String   `tfsdk:"secondary_key"`
	Timeouts      timeouts.Value `tfsdk:"timeouts"`
}

// setFromAPI copies what the API says of the key into the model. The key
// values are kept when the answer has none.
func (m *apiKeyResourceModel) setFromAPI(k *ncpclient.APIKey) {
	m.apiKeySummaryModel = apiKeySummaryFromAPI(k)
	if k.PrimaryKey != "" {
		m.PrimaryKey = types.StringValue(k.PrimaryKey)
	}
	if k.SecondaryKey != "" {
		m.SecondaryKey = types.StringValue(k.SecondaryKey)
	}
}

// editInput is the whole object an edit sends.
func (m apiKeyResourceModel) editInput() ncpclient.UpdateAPIKeyInput {
	return ncpclient.UpdateAPIKeyInput{
		Enabled:     m.Enabled.ValueBool(),
		Name:        m.Name.ValueString(),
		Description: m.Description.ValueString(),
	}
}

func (r *apiKeyResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_apigw_api_key"
}

func (r *apiKeyResource) Schema(ctx context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	stable := []planmodifier.String{stringplanmodifier.UseStateForUnknown()}
	resp.Schema = schema.Schema{
		MarkdownDescription: "Manages an API Gateway API key: its name, description and state, and in-place rotation of its primary and secondary keys.",
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{
				MarkdownDescription: "The API key's ID (`apiKeyId`).",
				Computed:            true,
				PlanModifiers:       stable,
			},
			"name": schema.StringAttribute{
				MarkdownDescription: "Name of the API key, 1 to 20 characters. Names need not be unique.",
				Required:            true,
				Validators:          []validator.String{stringvalidator.UTF8LengthBetween(1, 20)},
			},
			"description": schema.StringAttribute{
				MarkdownDescription: "Description of the API key, up to 50 characters. Unset and `\"\"` are the same.",
				Optional:            true,
				Computed:            true,
				Default:             stringdefault.StaticString(""),
				Validators:          []validator.String{stringvalidator.UTF8LengthAtMost(50)},
			},
			"enabled": schema.BoolAttribute{
				MarkdownDescription: "Whether the key is enabled. Defaults to `true`. A key created with `false` is created, then disabled.",
				Optional:            true,
				Computed:            true,
				Default:             booldefault.StaticBool(true),
			},
			"rotate_trigger": schema.StringAttribute{
				MarkdownDescription: "Any string. When its value changes on an existing key, including from unset to a value, " +
					"the key or keys selected by `rotate_key_type` are regenerated in place: the ID stays, the key values change. " +
					"Setting it at create or removing it regenerates nothing. Use for example `time_rotating.this.id` to rotate on a schedule.",
				Optional: true,
			},
			"rotate_key_type": schema.StringAttribute{
				MarkdownDescription: "Which key a change of `rotate_trigger` regenerates: `PRIMARY` (default), `SECONDARY` or `BOTH`. Changing it alone regenerates nothing.",
				Optional:            true,
				Computed:            true,
				Default:             stringdefault.StaticString(rotateKeyTypePrimary),
				Validators:          []validator.String{stringvalidator.OneOf(rotateKeyTypePrimary, rotateKeyTypeSecondary, rotateKeyTypeBoth)},
			},
			"tenant_id": schema.StringAttribute{
				MarkdownDescription: "ID of the tenant that owns the key.",
				Computed:            true,
				PlanModifiers:       stable,
			},
			"primary_key": schema.StringAttribute{
				MarkdownDescription: "The primary key value, sent by clients in the `x-ncp-apigw-api-key` header.",
				Computed:            true,
				Sensitive:           true,
				PlanModifiers:       []planmodifier.String{keyValuePlanModifier{keyType: ncpclient.KeyTypePrimary}},
			},
			"secondary_key": schema.StringAttribute{
				MarkdownDescription: "The secondary key value, valid alongside the primary key, so that clients can move between the two while the other is rotated.",
				Computed:            true,
				Sensitive:           true,
				PlanModifiers:       []planmodifier.String{keyValuePlanModifier{keyType: ncpclient.KeyTypeSecondary}},
			},
			"modifier": schema.StringAttribute{
				MarkdownDescription: "ID of the account that last changed the key.",
				Computed:            true,
				PlanModifiers:       stable,
			},
			"mod_time": schema.StringAttribute{
				MarkdownDescription: "When the key was last changed, in RFC 3339 format.",
				Computed:            true,
				PlanModifiers:       []planmodifier.String{modTimePlanModifier{}},
			},
			"domain_code": schema.StringAttribute{
				MarkdownDescription: "The NCP domain of the key, for example `PUB`.",
				Computed:            true,
				PlanModifiers:       stable,
			},
		},
		Blocks: map[string]schema.Block{
			"timeouts": timeouts.Block(ctx, timeouts.Opts{Create: true, Read: true, Update: true, Delete: true}),
		},
	}
}

func (r *apiKeyResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	r.data = providerDataFrom(req.ProviderData, &resp.Diagnostics)
}

func (r *apiKeyResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var plan apiKeyResourceModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	client, diags := r.data.apiClient()
	resp.Diagnostics.Append(diags...)
	timeout, diags := plan.Timeouts.Create(ctx, defaultCreateTimeout)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()

	want := plan.editInput()
	key, err := client.CreateAPIKey(ctx, ncpclient.CreateAPIKeyInput{Name: want.Name, Description: want.Description})
	if err != nil {
		addAPIError(&resp.Diagnostics, "Error creating API key "+keyLabel(want.Name, ""), err)
		return
	}
	plan.setFromAPI(key)
	tflog.Info(ctx, "created API key", map[string]any{"id": key.ID, "name": key.Name})

	if !want.Enabled {
		disabled, err := client.UpdateAPIKey(ctx, key.ID, want)
		if err != nil {
			// Record the key that exists, so that it is neither orphaned nor
			// created twice; Terraform marks it tainted and replaces it.
			resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
			addAPIError(&resp.Diagnostics, fmt.Sprintf("API key %s was created but could not be disabled", keyLabel(key.Name, key.ID)), err)
			return
		}
		plan.setFromAPI(disabled)
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
}

func (r *apiKeyResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var state apiKeyResourceModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	client, diags := r.data.apiClient()
	resp.Diagnostics.Append(diags...)
	timeout, diags := state.Timeouts.Read(ctx, defaultReadTimeout)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()

	key, err := client.GetAPIKey(ctx, state.ID.ValueString())
	if ncpclient.IsNotFound(err) {
		tflog.Warn(ctx, "API key no longer exists; removing it from state", map[string]any{"id": state.ID.ValueString()})
		resp.State.RemoveResource(ctx)
		return
	}
	if err != nil {
		addAPIError(&resp.Diagnostics, "Error reading API key "+keyLabel(state.Name.ValueString(), state.ID.ValueString()), err)
		return
	}
	state.setFromAPI(key)
	if state.RotateKeyType.IsNull() { // imported: the attribute's default
		state.RotateKeyType = types.StringValue(rotateKeyTypePrimary)
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
}

// Update sends one edit when name, description or enabled change, then one
// regenerate per rotated key. After a partial failure, state records what
// was done, so that the next plan shows only what remains.
func (r *apiKeyResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var plan, state apiKeyResourceModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	resp.Diagnostics.Append(adoptImportedTrigger(ctx, req.Private, plan, &state)...)
	client, diags := r.data.apiClient()
	resp.Diagnostics.Append(diags...)
	timeout, diags := plan.Timeouts.Update(ctx, defaultUpdateTimeout)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()

	id := state.ID.ValueString()
	rot := plannedRotation(plan, state)
	done := state
	done.RotateKeyType = plan.RotateKeyType
	done.Timeouts = plan.Timeouts
	if !rot.any() {
		done.RotateTrigger = plan.RotateTrigger
	}
	saveDone := func() { resp.Diagnostics.Append(resp.State.Set(ctx, &done)...) }
	// After a failure, an edit or a regenerate whose answer was lost may
	// still have taken effect: record the key as it is live, if it can be
	// read. The failure may be the timeout itself, so the read gets a short
	// time of its own.
	saveLive := func() {
		readCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), readBackTimeout)
		defer cancel()
		if live, err := client.GetAPIKey(readCtx, id); err == nil {
			done.setFromAPI(live)
		}
		saveDone()
	}

	if plannedEdit(plan, state) {
		key, err := client.UpdateAPIKey(ctx, id, plan.editInput())
		if err != nil {
			saveLive()
			addAPIError(&resp.Diagnostics, "Error editing API key "+keyLabel(plan.Name.ValueString(), id), err)
			return
		}
		done.setFromAPI(key)
	}
	for _, kt := range rot.keyTypes() {
		key, err := client.RegenerateAPIKey(ctx, id, kt)
		if err != nil {
			saveLive()
			addAPIError(&resp.Diagnostics, fmt.Sprintf("Error regenerating the %s key of API key %s", kt, keyLabel(plan.Name.ValueString(), id)), err)
			return
		}
		done.setFromAPI(key)
		tflog.Info(ctx, "regenerated API key", map[string]any{"id": id, "key_type": string(kt)})
	}
	done.RotateTrigger = plan.RotateTrigger
	saveDone()
	resp.Diagnostics.Append(resp.Private.SetKey(ctx, privateKeyImported, nil)...)
}

func (r *apiKeyResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	var state apiKeyResourceModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	client, diags := r.data.apiClient()
	resp.Diagnostics.Append(diags...)
	timeout, diags := state.Timeouts.Delete(ctx, defaultDeleteTimeout)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()

	if err := client.DeleteAPIKey(ctx, state.ID.ValueString()); err != nil {
		addAPIError(&resp.Diagnostics, "Error deleting API key "+keyLabel(state.Name.ValueString(), state.ID.ValueString()), err)
	}
}

func (r *apiKeyResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	if strings.TrimSpace(req.ID) == "" || strings.Contains(req.ID, "/") {
		resp.Diagnostics.AddError("Invalid import ID",
			fmt.Sprintf("%q is not an API key ID. Import with the apiKeyId shown in the NCP console or by the ncp_apigw_api_keys data source, for example: terraform import ncp_apigw_api_key.example a1b2c3d4e5", req.ID))
		return
	}
	resource.ImportStatePassthroughID(ctx, path.Root("id"), req, resp)
	resp.Diagnostics.Append(resp.Private.SetKey(ctx, privateKeyImported, []byte("true"))...)
}

package provider

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/identityschema"
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
	_ resource.Resource                 = (*apiKeyResource)(nil)
	_ resource.ResourceWithConfigure    = (*apiKeyResource)(nil)
	_ resource.ResourceWithImportState  = (*apiKeyResource)(nil)
	_ resource.ResourceWithModifyPlan   = (*apiKeyResource)(nil)
	_ resource.ResourceWithUpgradeState = (*apiKeyResource)(nil)
	_ resource.ResourceWithIdentity     = (*apiKeyResource)(nil)
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
	apiKeyModel
	RotateTrigger  types.String   `tfsdk:"rotate_trigger"`
	RotateKeyType  types.String   `tfsdk:"rotate_key_type"`
	StoreKeyValues types.Bool     `tfsdk:"store_key_values"`
	PrimaryKey     types.String   `tfsdk:"primary_key"`
	SecondaryKey   types.String   `tfsdk:"secondary_key"`
	Timeouts       timeouts.Value `tfsdk:"timeouts"`
}

// storesKeyValues reports whether state keeps the key values. Unknown counts
// as yes, so that a plan never promises null values it may not get.
func (m apiKeyResourceModel) storesKeyValues() bool {
	return !m.StoreKeyValues.Equal(types.BoolValue(false))
}

// setFromAPI copies what the API says of the key into the model. Key values
// are kept when the answer has none, and dropped when state does not keep
// them.
func (m *apiKeyResourceModel) setFromAPI(k *ncpclient.APIKey) {
	m.apiKeyModel = apiKeyModelFromAPI(k)
	switch {
	case !m.storesKeyValues():
		m.PrimaryKey, m.SecondaryKey = types.StringNull(), types.StringNull()
	case k.PrimaryKey != "" && k.SecondaryKey != "":
		m.PrimaryKey, m.SecondaryKey = types.StringValue(k.PrimaryKey), types.StringValue(k.SecondaryKey)
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
	// The server-set attributes the plan promises from state unless a write
	// is planned; ModifyPlan decides.
	serverSet := func(name string) schema.StringAttribute {
		return schema.StringAttribute{MarkdownDescription: apiKeyDescriptions[name], Computed: true}
	}
	resp.Schema = schema.Schema{
		Version:             apiKeySchemaVersion,
		MarkdownDescription: "Manages an API Gateway API key: its name, description and state, and in-place rotation of its primary and secondary keys.",
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{
				MarkdownDescription: apiKeyDescriptions["id"],
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
					"Setting it at create or removing it regenerates nothing, nor does the first trigger recorded after an import (see Import). " +
					"Use for example `time_rotating.this.id` to rotate on a schedule.",
				Optional: true,
			},
			"rotate_key_type": schema.StringAttribute{
				MarkdownDescription: "Which key a change of `rotate_trigger` regenerates: `PRIMARY` (default), `SECONDARY` or `BOTH`. Changing it alone regenerates nothing.",
				Optional:            true,
				Computed:            true,
				Default:             stringdefault.StaticString(rotateKeyTypePrimary),
				Validators:          []validator.String{stringvalidator.OneOf(rotateKeyTypePrimary, rotateKeyTypeSecondary, rotateKeyTypeBoth)},
			},
			"store_key_values": schema.BoolAttribute{
				MarkdownDescription: "Whether state keeps `primary_key` and `secondary_key`. Defaults to `true`. " +
					"With `false` they are null in state and plan, so that state holds no secret; rotation works the same, " +
					"and the `ncp_apigw_api_key` ephemeral resource reads the values when something needs them. " +
					"Changing it calls no API that changes the key.",
				Optional: true,
				Computed: true,
				Default:  booldefault.StaticBool(true),
			},
			"tenant_id": schema.StringAttribute{
				MarkdownDescription: apiKeyDescriptions["tenant_id"],
				Computed:            true,
				PlanModifiers:       stable,
			},
			"primary_key": schema.StringAttribute{
				MarkdownDescription: "The primary key value, sent by clients in the `x-ncp-apigw-api-key` header. Null when `store_key_values` is `false`.",
				Computed:            true,
				Sensitive:           true,
			},
			"secondary_key": schema.StringAttribute{
				MarkdownDescription: "The secondary key value, valid alongside the primary key, so that clients can move between the two while the other is rotated. Null when `store_key_values` is `false`.",
				Computed:            true,
				Sensitive:           true,
			},
			"modifier": serverSet("modifier"),
			"mod_time": serverSet("mod_time"),
			"domain_code": schema.StringAttribute{
				MarkdownDescription: apiKeyDescriptions["domain_code"],
				Computed:            true,
				PlanModifiers:       stable,
			},
		},
		Blocks: map[string]schema.Block{
			"timeouts": timeouts.Block(ctx, timeouts.Opts{Create: true, Read: true, Update: true, Delete: true}),
		},
	}
}

// apiKeyIdentity identifies a key across Terraform's resource identity
// (Terraform 1.12 and later): its ID.
type apiKeyIdentity struct {
	ID types.String `tfsdk:"id"`
}

func (r *apiKeyResource) IdentitySchema(_ context.Context, _ resource.IdentitySchemaRequest, resp *resource.IdentitySchemaResponse) {
	resp.IdentitySchema = identityschema.Schema{
		Attributes: map[string]identityschema.Attribute{
			"id": identityschema.StringAttribute{
				Description:       "The API key's ID (apiKeyId).",
				RequiredForImport: true,
			},
		},
	}
}

func (r *apiKeyResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	r.data = providerDataFrom(req.ProviderData, &resp.Diagnostics)
}

func (r *apiKeyResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var plan apiKeyResourceModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	ctx, cancel, client, ok := r.data.startOperation(ctx, plan.Timeouts.Create, defaultCreateTimeout, &resp.Diagnostics)
	if !ok {
		return
	}
	defer cancel()

	want := plan.editInput()
	key, err := client.CreateAPIKey(ctx, ncpclient.CreateAPIKeyInput{Name: want.Name, Description: want.Description, Enabled: want.Enabled})
	if err != nil {
		if key != nil {
			// Record the key that exists, so that it is neither orphaned nor
			// created twice; Terraform marks it tainted and replaces it.
			live := plan
			live.setFromAPI(key)
			if live.PrimaryKey.IsUnknown() { // found by a list, which has no values
				live.PrimaryKey, live.SecondaryKey = types.StringNull(), types.StringNull()
			}
			resp.Diagnostics.Append(resp.State.Set(ctx, &live)...)
			resp.Diagnostics.Append(setIdentity(ctx, resp.Identity, apiKeyIdentity{ID: live.ID})...)
		}
		addAPIError(&resp.Diagnostics, "Error creating API key "+keyLabel(want.Name, ""), err)
		return
	}
	tflog.Info(ctx, "created API key", map[string]any{"id": key.ID, "name": key.Name})
	resp.Diagnostics.Append(resp.State.Set(ctx, plannedResult(ctx, plan, key, resp.Private, &resp.Diagnostics))...)
	resp.Diagnostics.Append(setIdentity(ctx, resp.Identity, apiKeyIdentity{ID: types.StringValue(key.ID)})...)
}

func (r *apiKeyResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var state apiKeyResourceModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	ctx, cancel, client, ok := r.data.startOperation(ctx, state.Timeouts.Read, defaultReadTimeout, &resp.Diagnostics)
	if !ok {
		return
	}
	defer cancel()

	resp.Diagnostics.Append(setIdentity(ctx, resp.Identity, apiKeyIdentity{ID: state.ID})...)
	// An import's own read starts from a state that holds only the ID.
	importRead := state.Name.IsNull()
	unverified, diags := isUnverified(ctx, req.Private)
	resp.Diagnostics.Append(diags...)
	key, err := r.data.refreshKey(ctx, client, state, importRead || unverified)
	if ncpclient.IsNotFound(err) {
		tflog.Warn(ctx, "API key no longer exists; removing it from state", map[string]any{"id": state.ID.ValueString()})
		resp.State.RemoveResource(ctx)
		return
	}
	if err != nil {
		addAPIError(&resp.Diagnostics, "Error reading API key "+keyLabel(state.Name.ValueString(), state.ID.ValueString()), err)
		return
	}
	if importRead { // the arguments' defaults
		state.RotateKeyType = types.StringValue(rotateKeyTypePrimary)
		state.StoreKeyValues = types.BoolValue(true)
	}
	state.setFromAPI(key)
	resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
	if unverified {
		resp.Diagnostics.Append(markVerified(ctx, resp.Private)...)
	}
}

// Update sends one edit when name, description or enabled change, then one
// regenerate per rotated key. After a partial failure, state records the key
// as it is live, and private state which keys were regenerated, so that the
// next plan shows only what remains.
func (r *apiKeyResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var plan, state apiKeyResourceModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	changes, diags := plannedChanges(ctx, plan, state, req.Private)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	ctx, cancel, client, ok := r.data.startOperation(ctx, plan.Timeouts.Update, defaultUpdateTimeout, &resp.Diagnostics)
	if !ok {
		return
	}
	defer cancel()

	id := state.ID.ValueString()
	label := keyLabel(plan.Name.ValueString(), id)
	resp.Diagnostics.Append(setIdentity(ctx, resp.Identity, apiKeyIdentity{ID: state.ID})...)
	// After a failure, an edit or a regenerate whose answer was lost may
	// still have taken effect: record the key as it is live, if it can be
	// read. The failure may be the timeout itself, so the read gets a short
	// time of its own. The new trigger is not recorded, so the next plan
	// shows what remains.
	saveLive := func(key *ncpclient.APIKey) {
		readCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), readBackTimeout)
		defer cancel()
		live := state
		live.RotateKeyType, live.StoreKeyValues, live.Timeouts = plan.RotateKeyType, plan.StoreKeyValues, plan.Timeouts
		if key != nil {
			live.setFromAPI(key)
		}
		if read, err := client.GetAPIKey(readCtx, id); err == nil {
			live.setFromAPI(read)
		}
		resp.Diagnostics.Append(resp.State.Set(ctx, &live)...)
	}

	var key *ncpclient.APIKey
	if changes.edit {
		edited, err := client.UpdateAPIKey(ctx, id, plan.editInput())
		if err != nil {
			saveLive(nil)
			addAPIError(&resp.Diagnostics, "Error editing API key "+label, err)
			return
		}
		key = edited
	}
	progress := changes.progress
	for _, kt := range changes.rotation.keyTypes() {
		regenerated, err := client.RegenerateAPIKey(ctx, id, kt)
		if err != nil {
			resp.Diagnostics.Append(writeRotationProgress(ctx, resp.Private, progress)...)
			saveLive(key)
			addAPIError(&resp.Diagnostics, fmt.Sprintf("Error regenerating the %s key of API key %s", kt, label), err)
			return
		}
		key = regenerated
		progress = rotationProgress{Trigger: plan.RotateTrigger.ValueString(), KeyTypes: append(progress.KeyTypes, kt)}
		tflog.Info(ctx, "regenerated API key", map[string]any{"id": id, "key_type": string(kt)})
	}
	if key == nil && plan.storesKeyValues() && (plan.PrimaryKey.IsUnknown() || plan.SecondaryKey.IsUnknown()) {
		// store_key_values turned on: read the values state did not keep.
		read, err := client.GetAPIKey(ctx, id)
		if err != nil {
			addAPIError(&resp.Diagnostics, "Error reading the key values of API key "+label, err)
			return
		}
		key = read
	}
	resp.Diagnostics.Append(writeRotationProgress(ctx, resp.Private, rotationProgress{})...)
	resp.Diagnostics.Append(forgetImport(ctx, resp.Private)...)
	resp.Diagnostics.Append(resp.State.Set(ctx, plannedResult(ctx, plan, key, resp.Private, &resp.Diagnostics))...)
}

func (r *apiKeyResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	var state apiKeyResourceModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	ctx, cancel, client, ok := r.data.startOperation(ctx, state.Timeouts.Delete, defaultDeleteTimeout, &resp.Diagnostics)
	if !ok {
		return
	}
	defer cancel()

	if err := client.DeleteAPIKey(ctx, state.ID.ValueString()); err != nil {
		addAPIError(&resp.Diagnostics, "Error deleting API key "+keyLabel(state.Name.ValueString(), state.ID.ValueString()), err)
	}
}

// ImportState takes the key's ID, from `terraform import`, an import
// block's id, or an import block's identity (Terraform 1.12 and later).
func (r *apiKeyResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	id := req.ID
	if id == "" && req.Identity != nil {
		var identity apiKeyIdentity
		resp.Diagnostics.Append(req.Identity.Get(ctx, &identity)...)
		id = identity.ID.ValueString()
	}
	if strings.TrimSpace(id) == "" || strings.Contains(id, "/") {
		resp.Diagnostics.AddError("Invalid import ID",
			fmt.Sprintf("%q is not an API key ID. Import with the apiKeyId shown in the NCP console or by the ncp_apigw_api_keys data source, for example: terraform import ncp_apigw_api_key.example a1b2c3d4e5", id))
		return
	}
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("id"), id)...)
	resp.Diagnostics.Append(setIdentity(ctx, resp.Identity, apiKeyIdentity{ID: types.StringValue(id)})...)
	resp.Diagnostics.Append(markImported(ctx, resp.Private)...)
}

// plannedResult is the state after a successful create or update: every
// value the plan promised, and for the values it left unknown, what the API
// answered (key, the answer of the last write; nil when nothing was sent).
// A promised value that the API contradicts (another account changed the key
// between plan and apply) is kept, with a warning: Terraform rejects a result
// that breaks the plan's promise, and the next refresh records the live
// value. The key is then marked in private state (see markUnverified), so
// that the next refresh reads it by GET: its listed row matches the answer,
// not state's key values.
func plannedResult(ctx context.Context, plan apiKeyResourceModel, key *ncpclient.APIKey, private privateStateWriter, diags *diag.Diagnostics) *apiKeyResourceModel {
	result := plan
	if key == nil {
		return &result
	}
	var live apiKeyResourceModel
	live.StoreKeyValues = plan.StoreKeyValues
	live.setFromAPI(key)
	pairs := []struct {
		name          string
		planned, live *types.String
	}{
		{"id", &result.ID, &live.ID},
		{"name", &result.Name, &live.Name},
		{"description", &result.Description, &live.Description},
		{"tenant_id", &result.TenantID, &live.TenantID},
		{"modifier", &result.Modifier, &live.Modifier},
		{"mod_time", &result.ModTime, &live.ModTime},
		{"domain_code", &result.DomainCode, &live.DomainCode},
		{"primary_key", &result.PrimaryKey, &live.PrimaryKey},
		{"secondary_key", &result.SecondaryKey, &live.SecondaryKey},
	}
	var contradicted []string
	for _, p := range pairs {
		switch {
		case p.planned.IsUnknown():
			*p.planned = *p.live
		case !p.planned.Equal(*p.live):
			contradicted = append(contradicted, p.name)
		}
	}
	if !result.Enabled.Equal(live.Enabled) {
		contradicted = append(contradicted, "enabled")
	}
	if len(contradicted) > 0 {
		diags.Append(markUnverified(ctx, private)...)
		tflog.Warn(ctx, "the API's answer contradicts the plan; state keeps the planned values", map[string]any{"id": key.ID, "attributes": contradicted})
		diags.AddWarning("API key changed outside Terraform during apply",
			fmt.Sprintf("API key %s: %s changed outside Terraform after the plan was made (another account or the console). "+
				"State keeps the planned values for now; the next plan reads the key again and shows the difference.",
				keyLabel(plan.Name.ValueString(), key.ID), strings.Join(contradicted, ", ")))
	}
	return &result
}

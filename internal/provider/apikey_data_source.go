package provider

import (
	"context"
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-validators/datasourcevalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/ncp-community/terraform-provider-ncp/internal/ncpclient"
)

var (
	_ datasource.DataSource                     = (*apiKeyDataSource)(nil)
	_ datasource.DataSourceWithConfigure        = (*apiKeyDataSource)(nil)
	_ datasource.DataSourceWithConfigValidators = (*apiKeyDataSource)(nil)
)

func newAPIKeyDataSource() datasource.DataSource {
	return &apiKeyDataSource{}
}

// apiKeyDataSource looks up one API key, key values included, by id or by
// exact name.
type apiKeyDataSource struct {
	data *providerData
}

type apiKeyDataSourceModel struct {
	apiKeyModel
	PrimaryKey   types.String `tfsdk:"primary_key"`
	SecondaryKey types.String `tfsdk:"secondary_key"`
}

func (d *apiKeyDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_apigw_api_key"
}

func (d *apiKeyDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	attributes := apiKeyDataSourceAttributes()
	attributes["id"] = schema.StringAttribute{
		MarkdownDescription: "The ID of the key to look up. Exactly one of `id` and `name` is required.",
		Optional:            true,
		Computed:            true,
		Validators:          []validator.String{stringvalidator.LengthAtLeast(1)},
	}
	attributes["name"] = schema.StringAttribute{
		MarkdownDescription: "The exact name of the key to look up; it is an error when no key or several keys have it. Exactly one of `id` and `name` is required.",
		Optional:            true,
		Computed:            true,
		Validators:          []validator.String{stringvalidator.UTF8LengthBetween(1, 20)},
	}
	attributes["primary_key"] = schema.StringAttribute{
		MarkdownDescription: "The primary key value.",
		Computed:            true,
		Sensitive:           true,
	}
	attributes["secondary_key"] = schema.StringAttribute{
		MarkdownDescription: "The secondary key value.",
		Computed:            true,
		Sensitive:           true,
	}
	resp.Schema = schema.Schema{
		MarkdownDescription: "Looks up one API Gateway API key by ID or by exact name, key values included.",
		Attributes:          attributes,
	}
}

func (d *apiKeyDataSource) ConfigValidators(context.Context) []datasource.ConfigValidator {
	return []datasource.ConfigValidator{
		datasourcevalidator.ExactlyOneOf(path.MatchRoot("id"), path.MatchRoot("name")),
	}
}

func (d *apiKeyDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.data = providerDataFrom(req.ProviderData, &resp.Diagnostics)
}

func (d *apiKeyDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var config apiKeyDataSourceModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &config)...)
	client, diags := d.data.apiClient()
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}

	id := config.ID.ValueString()
	if id == "" {
		id, diags = d.idByName(ctx, client, config.Name.ValueString())
		resp.Diagnostics.Append(diags...)
		if resp.Diagnostics.HasError() {
			return
		}
	}
	key, err := client.GetAPIKey(ctx, id)
	if err != nil {
		addAPIError(&resp.Diagnostics, "Error reading API key "+id, err)
		return
	}
	state := apiKeyDataSourceModel{
		apiKeyModel:  apiKeyModelFromAPI(key),
		PrimaryKey:   types.StringValue(key.PrimaryKey),
		SecondaryKey: types.StringValue(key.SecondaryKey),
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
}

// idByName finds the one key whose name is exactly name.
func (d *apiKeyDataSource) idByName(ctx context.Context, client *ncpclient.Client, name string) (string, diag.Diagnostics) {
	var diags diag.Diagnostics
	keys, err := client.ListAllAPIKeys(ctx, name)
	if err != nil {
		addAPIError(&diags, fmt.Sprintf("Error listing API keys named %q", name), err)
		return "", diags
	}
	var ids []string
	for _, k := range keys {
		if k.Name == name {
			ids = append(ids, k.ID)
		}
	}
	switch len(ids) {
	case 1:
		return ids[0], diags
	case 0:
		diags.AddAttributeError(path.Root("name"), "No API key found",
			fmt.Sprintf("No API key is named %q. Check the name (it is case-sensitive), or look the key up by id.", name))
	default:
		diags.AddAttributeError(path.Root("name"), "Several API keys found",
			fmt.Sprintf("%d API keys are named %q (ids: %s). Look the key up by id instead.", len(ids), name, strings.Join(ids, ", ")))
	}
	return "", diags
}

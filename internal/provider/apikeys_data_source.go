package provider

import (
	"context"
	"regexp"

	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"
)

var (
	_ datasource.DataSource              = (*apiKeysDataSource)(nil)
	_ datasource.DataSourceWithConfigure = (*apiKeysDataSource)(nil)
)

func newAPIKeysDataSource() datasource.DataSource {
	return &apiKeysDataSource{}
}

// apiKeysDataSource lists API keys, reading every page.
type apiKeysDataSource struct {
	data *providerData
}

type apiKeysDataSourceModel struct {
	Name      types.String `tfsdk:"name"`
	NameRegex types.String `tfsdk:"name_regex"`
	Enabled   types.Bool   `tfsdk:"enabled"`
	APIKeys   types.List   `tfsdk:"api_keys"`
	IDs       types.List   `tfsdk:"ids"`
}

func (d *apiKeysDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_apigw_api_keys"
}

func (d *apiKeysDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Lists API Gateway API keys, optionally filtered. Key values are not listed: " +
			"look a key up with the `ncp_apigw_api_key` data source to read them.",
		Attributes: map[string]schema.Attribute{
			"name": schema.StringAttribute{
				MarkdownDescription: "Passed to the API's own name filter (`apiKeyName`), which NCP may apply as a partial match. " +
					"Combine with `name_regex` such as `^exact$` for an exact match.",
				Optional:   true,
				Validators: []validator.String{stringvalidator.UTF8LengthBetween(1, 20)},
			},
			"name_regex": schema.StringAttribute{
				MarkdownDescription: "An RE2 regular expression the key's name must match, applied by the provider.",
				Optional:            true,
				Validators:          []validator.String{regexValidator{}},
			},
			"enabled": schema.BoolAttribute{
				MarkdownDescription: "Only keys that are enabled (`true`) or disabled (`false`).",
				Optional:            true,
			},
			"api_keys": schema.ListNestedAttribute{
				MarkdownDescription: "The matching keys, in the API's order.",
				Computed:            true,
				NestedObject:        schema.NestedAttributeObject{Attributes: apiKeyDataSourceAttributes()},
			},
			"ids": schema.ListAttribute{
				MarkdownDescription: "The IDs of the matching keys, in the same order as `api_keys`.",
				Computed:            true,
				ElementType:         types.StringType,
			},
		},
	}
}

func (d *apiKeysDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.data = providerDataFrom(req.ProviderData, &resp.Diagnostics)
}

func (d *apiKeysDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var config apiKeysDataSourceModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &config)...)
	client, diags := d.data.apiClient()
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	nameRegex, err := regexp.Compile(config.NameRegex.ValueString())
	if err != nil { // the validator has already rejected it; kept for safety
		resp.Diagnostics.AddError("Invalid name_regex", err.Error())
		return
	}

	keys, err := client.ListAllAPIKeys(ctx, config.Name.ValueString())
	if err != nil {
		addAPIError(&resp.Diagnostics, "Error listing API keys", err)
		return
	}

	// The lists are built as values: converting thousands of structs by
	// reflection took most of the time of a large read.
	var keyValues, idValues []attr.Value
	for i := range keys {
		k := &keys[i]
		if !nameRegex.MatchString(k.Name) || (!config.Enabled.IsNull() && k.Enabled != config.Enabled.ValueBool()) {
			continue
		}
		model := apiKeyModelFromAPI(k)
		keyValues = append(keyValues, apiKeyObjects.objectValue(&model))
		idValues = append(idValues, types.StringValue(k.ID))
	}
	config.APIKeys = types.ListValueMust(apiKeyObjects.objectType(), keyValues)
	config.IDs = types.ListValueMust(types.StringType, idValues)
	tflog.Debug(ctx, "listed API keys", map[string]any{"listed": len(keys), "matched": len(idValues)})
	resp.Diagnostics.Append(resp.State.Set(ctx, &config)...)
}

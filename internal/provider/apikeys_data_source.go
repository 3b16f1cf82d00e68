package provider

import (
	"context"
	"maps"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/datasource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
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

// apiKeysDataSourceModel is the configuration; Read builds the state as a
// raw value.
type apiKeysDataSourceModel struct {
	apiKeyFilter
	APIKeys  types.List     `tfsdk:"api_keys"`
	IDs      types.List     `tfsdk:"ids"`
	Timeouts timeouts.Value `tfsdk:"timeouts"`
}

func (d *apiKeysDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_apigw_api_keys"
}

func (d *apiKeysDataSource) Schema(ctx context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Lists API Gateway API keys, optionally filtered. Key values are not listed: " +
			"look a key up with the `ncp_apigw_api_key` data source to read them. " + readTimeoutNote,
		Attributes: map[string]schema.Attribute{
			"name": schema.StringAttribute{
				MarkdownDescription: apiKeyFilterDescriptions["name"],
				Optional:            true,
				Validators:          apiKeyFilterValidators["name"],
			},
			"name_regex": schema.StringAttribute{
				MarkdownDescription: apiKeyFilterDescriptions["name_regex"],
				Optional:            true,
				Validators:          apiKeyFilterValidators["name_regex"],
			},
			"enabled": schema.BoolAttribute{
				MarkdownDescription: apiKeyFilterDescriptions["enabled"],
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
		Blocks: map[string]schema.Block{
			"timeouts": timeouts.BlockWithOpts(ctx, timeouts.Opts{ReadDescription: timeoutDescription("listing", defaultReadTimeout)}),
		},
	}
}

func (d *apiKeysDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.data = providerDataFrom(req.ProviderData, &resp.Diagnostics)
}

// Read builds the state as a raw value, without the framework's reflection,
// key by key as the pages arrive: see objectConverter.
func (d *apiKeysDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var config apiKeysDataSourceModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &config)...)
	ctx, cancel, client, ok := d.data.startOperation(ctx, config.Timeouts.Read, defaultReadTimeout, &resp.Diagnostics)
	if !ok {
		return
	}
	defer cancel()

	keyValues, idValues := []tftypes.Value{}, []tftypes.Value{}
	for key, err := range config.keys(ctx, client) {
		if err != nil {
			addAPIError(&resp.Diagnostics, "Error listing API keys", err)
			return
		}
		model := apiKeyModelFromAPI(key)
		value, err := apiKeyObjects.terraformValue(ctx, &model)
		if err != nil {
			resp.Diagnostics.AddError("Error converting API key "+key.ID, err.Error())
			return
		}
		keyValues = append(keyValues, value)
		idValues = append(idValues, tftypes.NewValue(tftypes.String, key.ID))
	}

	var configValues map[string]tftypes.Value
	if err := req.Config.Raw.As(&configValues); err != nil {
		resp.Diagnostics.AddError("Error reading the configuration", err.Error())
		return
	}
	state := maps.Clone(configValues) // As shares the configuration's map
	state["api_keys"] = tftypes.NewValue(tftypes.List{ElementType: apiKeyObjects.tfType}, keyValues)
	state["ids"] = tftypes.NewValue(tftypes.List{ElementType: tftypes.String}, idValues)
	resp.State.Raw = tftypes.NewValue(req.Config.Raw.Type(), state)
	tflog.Debug(ctx, "listed API keys", map[string]any{"matched": len(idValues)})
}

package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/datasource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework-validators/datasourcevalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
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
	apiKeyWithValuesModel
	Timeouts timeouts.Value `tfsdk:"timeouts"`
}

func (d *apiKeyDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_apigw_api_key"
}

func (d *apiKeyDataSource) Schema(ctx context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	attributes := apiKeyDataSourceAttributes()
	attributes["id"] = schema.StringAttribute{
		MarkdownDescription: apiKeyLookupDescriptions["id"],
		Optional:            true,
		Computed:            true,
		Validators:          []validator.String{stringvalidator.LengthAtLeast(1)},
	}
	attributes["name"] = schema.StringAttribute{
		MarkdownDescription: apiKeyLookupDescriptions["name"],
		Optional:            true,
		Computed:            true,
		Validators:          []validator.String{stringvalidator.UTF8LengthBetween(1, 20)},
	}
	attributes["primary_key"] = schema.StringAttribute{
		MarkdownDescription: apiKeyLookupDescriptions["primary_key"],
		Computed:            true,
		Sensitive:           true,
	}
	attributes["secondary_key"] = schema.StringAttribute{
		MarkdownDescription: apiKeyLookupDescriptions["secondary_key"],
		Computed:            true,
		Sensitive:           true,
	}
	resp.Schema = schema.Schema{
		MarkdownDescription: "Looks up one API Gateway API key by ID or by exact name, key values included. " + readTimeoutNote,
		Attributes:          attributes,
		Blocks: map[string]schema.Block{
			"timeouts": timeouts.BlockWithOpts(ctx, timeouts.Opts{ReadDescription: timeoutDescription("the lookup", defaultReadTimeout)}),
		},
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
	ctx, cancel, client, ok := d.data.startOperation(ctx, config.Timeouts.Read, defaultReadTimeout, &resp.Diagnostics)
	if !ok {
		return
	}
	defer cancel()
	key, diags := lookUpAPIKey(ctx, client, config.apiKeyWithValuesModel)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, apiKeyDataSourceModel{*key, config.Timeouts})...)
}

package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/ephemeral/timeouts"
	"github.com/hashicorp/terraform-plugin-framework-validators/ephemeralvalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/ephemeral"
	"github.com/hashicorp/terraform-plugin-framework/ephemeral/schema"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
)

var (
	_ ephemeral.EphemeralResource                     = (*apiKeyEphemeralResource)(nil)
	_ ephemeral.EphemeralResourceWithConfigure        = (*apiKeyEphemeralResource)(nil)
	_ ephemeral.EphemeralResourceWithConfigValidators = (*apiKeyEphemeralResource)(nil)
)

func newAPIKeyEphemeralResource() ephemeral.EphemeralResource {
	return &apiKeyEphemeralResource{}
}

// apiKeyEphemeralResource reads one key, key values included, as the
// ncp_apigw_api_key data source does, but ephemerally (Terraform 1.10 and
// later): the values reach neither plan nor state. Terraform opens it in
// every run that needs it; the values need no renewing or closing.
type apiKeyEphemeralResource struct {
	data *providerData
}

type apiKeyEphemeralResourceModel struct {
	apiKeyWithValuesModel
	Timeouts timeouts.Value `tfsdk:"timeouts"`
}

func (e *apiKeyEphemeralResource) Metadata(_ context.Context, req ephemeral.MetadataRequest, resp *ephemeral.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_apigw_api_key"
}

func (e *apiKeyEphemeralResource) Schema(ctx context.Context, _ ephemeral.SchemaRequest, resp *ephemeral.SchemaResponse) {
	attributes := readOnlyAttributes(
		func(description string) schema.Attribute {
			return schema.StringAttribute{MarkdownDescription: description, Computed: true}
		},
		func(description string) schema.Attribute {
			return schema.BoolAttribute{MarkdownDescription: description, Computed: true}
		})
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
		MarkdownDescription: "Reads one API Gateway API key by ID or by exact name, key values included, without storing them: " +
			"the values of an ephemeral resource reach neither the plan nor the state (Terraform 1.10 and later). " +
			"Use it to feed the key values to write-only arguments of other resources or to provider configurations, " +
			"for example with `store_key_values = false` on the `ncp_apigw_api_key` resource that manages the key. " +
			"Opening it has a 5-minute deadline by default; set `timeouts { open = \"...\" }` to change it.",
		Attributes: attributes,
		Blocks: map[string]schema.Block{
			"timeouts": timeouts.BlockWithOpts(ctx, timeouts.Opts{OpenDescription: timeoutDescription("the lookup", defaultReadTimeout)}),
		},
	}
}

func (e *apiKeyEphemeralResource) ConfigValidators(context.Context) []ephemeral.ConfigValidator {
	return []ephemeral.ConfigValidator{
		ephemeralvalidator.ExactlyOneOf(path.MatchRoot("id"), path.MatchRoot("name")),
	}
}

func (e *apiKeyEphemeralResource) Configure(_ context.Context, req ephemeral.ConfigureRequest, resp *ephemeral.ConfigureResponse) {
	e.data = providerDataFrom(req.ProviderData, &resp.Diagnostics)
}

func (e *apiKeyEphemeralResource) Open(ctx context.Context, req ephemeral.OpenRequest, resp *ephemeral.OpenResponse) {
	var config apiKeyEphemeralResourceModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &config)...)
	ctx, cancel, client, ok := e.data.startOperation(ctx, config.Timeouts.Open, defaultReadTimeout, &resp.Diagnostics)
	if !ok {
		return
	}
	defer cancel()
	key, diags := lookUpAPIKey(ctx, client, config.apiKeyWithValuesModel)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	resp.Diagnostics.Append(resp.Result.Set(ctx, apiKeyEphemeralResourceModel{*key, config.Timeouts})...)
}

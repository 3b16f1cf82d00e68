package provider

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/list/timeouts"
	"github.com/hashicorp/terraform-plugin-framework/list"
	"github.com/hashicorp/terraform-plugin-framework/list/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/ncp-community/terraform-provider-ncp/internal/ncpclient"
)

var (
	_ list.ListResource              = (*apiKeyListResource)(nil)
	_ list.ListResourceWithConfigure = (*apiKeyListResource)(nil)
)

func newAPIKeyListResource() list.ListResource {
	return &apiKeyListResource{}
}

// apiKeyListResource lists API keys for `terraform query` (Terraform 1.14
// and later), with the filters of the ncp_apigw_api_keys data source.
//
// The resource objects it returns on request hold no key values: the list
// API has none, and reading them would take one request per key (10,000
// for 10,000 keys). An import reads them anyway, in the refresh that
// follows it, when store_key_values is true.
type apiKeyListResource struct {
	data *providerData
}

type apiKeyListConfig struct {
	apiKeyFilter
	Timeouts timeouts.Value `tfsdk:"timeouts"`
}

// apiKeyIdentities converts identities to raw values; see objectConverter.
var apiKeyIdentities = newObjectConverter[apiKeyIdentity]()

func (l *apiKeyListResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_apigw_api_key"
}

func (l *apiKeyListResource) ListResourceConfigSchema(ctx context.Context, _ list.ListResourceSchemaRequest, resp *list.ListResourceSchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Lists API Gateway API keys for `terraform query` (Terraform 1.14 and later), optionally filtered, as the `ncp_apigw_api_keys` data source does. " +
			"Each result is named `<name> (<id>)` and has the key's identity. " +
			"With `include_resource = true` it also has the key's attributes, without the key values (`primary_key` and `secondary_key` are null): " +
			"listing does not read them, as that would take one request per key. Importing a key reads them. " +
			"Listing has a 5-minute deadline by default; set `timeouts { list = \"...\" }` to change it.",
		Blocks: map[string]schema.Block{
			"timeouts": timeouts.BlockWithOpts(ctx, timeouts.Opts{ListDescription: timeoutDescription("listing", defaultReadTimeout)}),
		},
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
		},
	}
}

// Configure also runs when Terraform only validates the list block, before
// the provider is configured; the client is then asked for in List.
func (l *apiKeyListResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	l.data = providerDataFrom(req.ProviderData, &resp.Diagnostics)
}

// List streams the keys page by page as the API returns them, and fetches
// no page once req.Limit results are sent: Terraform stops reading at its
// limit, but nothing stops the provider from listing on. The results are
// built as raw values, as the data source does (see objectConverter).
func (l *apiKeyListResource) List(ctx context.Context, req list.ListRequest, stream *list.ListResultsStream) {
	var config apiKeyListConfig
	diags := req.Config.Get(ctx, &config)
	client, moreDiags := l.data.apiClient()
	diags.Append(moreDiags...)
	limit, moreDiags := config.Timeouts.List(ctx, defaultReadTimeout)
	diags.Append(moreDiags...)
	if diags.HasError() {
		stream.Results = list.ListResultsStreamDiagnostics(diags)
		return
	}
	resourceType, ok := req.ResourceSchema.Type().TerraformType(ctx).(tftypes.Object)
	if !ok {
		diags.AddError("Unexpected resource schema", "The resource's schema is not an object. This is a bug in the provider; please report it.")
		stream.Results = list.ListResultsStreamDiagnostics(diags)
		return
	}

	// The deadline starts when Terraform reads the results, after List
	// has returned.
	stream.Results = func(push func(list.ListResult) bool) {
		ctx, cancel := context.WithTimeout(ctx, limit)
		defer cancel()
		var sent int64
		for key, err := range config.keys(ctx, client) {
			if err != nil {
				var failed list.ListResult
				addAPIError(&failed.Diagnostics, "Error listing API keys", err)
				push(failed)
				return
			}
			result := listResult(ctx, req, resourceType, key)
			sent++
			if !push(result) || result.Diagnostics.HasError() || sent == req.Limit {
				return
			}
		}
	}
}

// listResult is one key as a result of List.
func listResult(ctx context.Context, req list.ListRequest, resourceType tftypes.Object, key *ncpclient.APIKey) list.ListResult {
	result := list.ListResult{DisplayName: fmt.Sprintf("%s (%s)", key.Name, key.ID)}
	model := apiKeyModelFromAPI(key)
	identity, err := apiKeyIdentities.terraformValue(ctx, &apiKeyIdentity{ID: model.ID})
	if err != nil {
		result.Diagnostics.AddError("Error converting the identity of API key "+key.ID, err.Error())
		return result
	}
	result.Identity = &tfsdk.ResourceIdentity{Schema: req.ResourceIdentitySchema, Raw: identity}
	if !req.IncludeResource {
		return result
	}
	values := map[string]tftypes.Value{
		// What an import starts from (see the resource's Read). The key
		// values stay null: see apiKeyListResource.
		"rotate_key_type":  tftypes.NewValue(tftypes.String, rotateKeyTypePrimary),
		"store_key_values": tftypes.NewValue(tftypes.Bool, true),
	}
	if err := apiKeyObjects.addTerraformValues(ctx, &model, values); err != nil {
		result.Diagnostics.AddError("Error converting API key "+key.ID, err.Error())
		return result
	}
	result.Resource = &tfsdk.Resource{Schema: req.ResourceSchema, Raw: objectWithNulls(resourceType, values)}
	return result
}

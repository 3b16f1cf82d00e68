package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/ncp-community/terraform-provider-ncp/internal/ncpclient"
)

var (
	_ datasource.DataSource              = (*apiKeyProductsDataSource)(nil)
	_ datasource.DataSourceWithConfigure = (*apiKeyProductsDataSource)(nil)
)

func newAPIKeyProductsDataSource() datasource.DataSource {
	return &apiKeyProductsDataSource{}
}

// apiKeyProductsDataSource lists the products an API key is associated
// with and, for one product, the stages the key may call there.
type apiKeyProductsDataSource struct {
	data *providerData
}

type apiKeyProductsDataSourceModel struct {
	APIKeyID  types.String `tfsdk:"api_key_id"`
	ProductID types.String `tfsdk:"product_id"`
	Products  types.List   `tfsdk:"products"`
	Stages    types.List   `tfsdk:"stages"`
}

type keyProductModel struct {
	ProductID          types.String `tfsdk:"product_id"`
	ProductName        types.String `tfsdk:"product_name"`
	ProductDescription types.String `tfsdk:"product_description"`
	PublisherID        types.String `tfsdk:"publisher_id"`
	Status             types.String `tfsdk:"status"`
	SelfProduct        types.Bool   `tfsdk:"self_product"`
	RegTime            types.String `tfsdk:"reg_time"`
	ModTime            types.String `tfsdk:"mod_time"`
}

type subscribedStageModel struct {
	APIID         types.String `tfsdk:"api_id"`
	APIName       types.String `tfsdk:"api_name"`
	StageID       types.String `tfsdk:"stage_id"`
	StageName     types.String `tfsdk:"stage_name"`
	UsagePlanID   types.String `tfsdk:"usage_plan_id"`
	UsagePlanName types.String `tfsdk:"usage_plan_name"`
}

var (
	keyProductType = types.ObjectType{AttrTypes: map[string]attr.Type{
		"product_id": types.StringType, "product_name": types.StringType, "product_description": types.StringType,
		"publisher_id": types.StringType, "status": types.StringType, "self_product": types.BoolType,
		"reg_time": types.StringType, "mod_time": types.StringType,
	}}
	subscribedStageType = types.ObjectType{AttrTypes: map[string]attr.Type{
		"api_id": types.StringType, "api_name": types.StringType, "stage_id": types.StringType,
		"stage_name": types.StringType, "usage_plan_id": types.StringType, "usage_plan_name": types.StringType,
	}}
)

func (d *apiKeyProductsDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_apigw_api_key_products"
}

func (d *apiKeyProductsDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	computed := func(description string) schema.StringAttribute {
		return schema.StringAttribute{MarkdownDescription: description, Computed: true}
	}
	resp.Schema = schema.Schema{
		MarkdownDescription: "Lists the products an API Gateway API key is associated with, and the status of each subscription. " +
			"Given a `product_id`, it lists that product only, with the API stages the key may call there.",
		Attributes: map[string]schema.Attribute{
			"api_key_id": schema.StringAttribute{
				MarkdownDescription: "ID of the API key.",
				Required:            true,
				Validators:          idValidators(),
			},
			"product_id": schema.StringAttribute{
				MarkdownDescription: "ID of one product: `products` then holds it alone (or nothing, when the key is not associated with it), and `stages` its stages.",
				Optional:            true,
				Validators:          idValidators(),
			},
			"products": schema.ListNestedAttribute{
				MarkdownDescription: "The products, whatever the status of the subscription, in NCP's order.",
				Computed:            true,
				NestedObject: schema.NestedAttributeObject{Attributes: map[string]schema.Attribute{
					"product_id":          computed("ID of the product."),
					"product_name":        computed("Name of the product."),
					"product_description": computed("Description of the product."),
					"publisher_id":        computed("ID of the tenant that publishes the product."),
					"status":              computed("Status of the key's subscription: `ACCEPTED`, `REQUEST` (awaiting approval), `REJECTED`, `DENY` or `BLOCKED_REQUEST`, as NCP reports it."),
					"self_product": schema.BoolAttribute{
						MarkdownDescription: "Whether the key's own tenant publishes the product. Null when NCP does not say.",
						Computed:            true,
					},
					"reg_time": computed("When the key subscribed, as NCP writes it."),
					"mod_time": computed("When the subscription last changed, as NCP writes it."),
				}},
			},
			"stages": schema.ListNestedAttribute{
				MarkdownDescription: "With `product_id`: the API stages the key may call in that product, each with the usage plan that applies to the key there. " +
					"Empty while the subscription is not `ACCEPTED`. Null without `product_id`.",
				Computed: true,
				NestedObject: schema.NestedAttributeObject{Attributes: map[string]schema.Attribute{
					"api_id":          computed("ID of the API."),
					"api_name":        computed("Name of the API."),
					"stage_id":        computed("ID of the stage."),
					"stage_name":      computed("Name of the stage."),
					"usage_plan_id":   computed("ID of the usage plan that applies to the key on this stage, if any."),
					"usage_plan_name": computed("Name of that usage plan."),
				}},
			},
		},
	}
}

func (d *apiKeyProductsDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.data = providerDataFrom(req.ProviderData, &resp.Diagnostics)
}

// Read lists every page of the key's products, or with product_id the
// pages up to that product, then that product's stages.
func (d *apiKeyProductsDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var config apiKeyProductsDataSourceModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &config)...)
	client, diags := d.data.apiClient()
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	ctx, cancel := context.WithTimeout(ctx, defaultReadTimeout)
	defer cancel()
	keyID, productID := config.APIKeyID.ValueString(), config.ProductID.ValueString()

	var products []ncpclient.KeyProduct
	var err error
	if productID == "" {
		products, err = client.KeyProducts(ctx, keyID)
	} else {
		var p *ncpclient.KeyProduct
		if p, err = client.KeyProduct(ctx, keyID, productID); p != nil {
			products = append(products, *p)
		}
	}
	if err != nil {
		addAPIError(&resp.Diagnostics, "Error reading the products of API key "+keyID, err)
		return
	}
	models := make([]keyProductModel, len(products))
	for i, p := range products {
		models[i] = keyProductModel{
			ProductID:          types.StringValue(p.ProductID),
			ProductName:        types.StringValue(p.ProductName),
			ProductDescription: types.StringValue(p.ProductDescription),
			PublisherID:        types.StringValue(p.PublisherID),
			Status:             types.StringValue(p.Status),
			SelfProduct:        types.BoolPointerValue(p.SelfProduct),
			RegTime:            types.StringValue(p.RegTime),
			ModTime:            types.StringValue(p.ModTime),
		}
	}
	config.Products, diags = types.ListValueFrom(ctx, keyProductType, models)
	resp.Diagnostics.Append(diags...)

	config.Stages = types.ListNull(subscribedStageType)
	if productID != "" {
		stageModels := []subscribedStageModel{}
		if len(products) > 0 {
			stages, err := client.SubscribedStages(ctx, keyID, productID)
			if err != nil {
				addAPIError(&resp.Diagnostics, "Error reading the stages API key "+keyID+" may call in product "+productID, err)
				return
			}
			for _, s := range stages {
				stageModels = append(stageModels, subscribedStageModel{
					APIID: types.StringValue(s.APIID), APIName: types.StringValue(s.APIName),
					StageID: types.StringValue(s.StageID), StageName: types.StringValue(s.StageName),
					UsagePlanID: types.StringValue(s.UsagePlanID), UsagePlanName: types.StringValue(s.UsagePlanName),
				})
			}
		}
		config.Stages, diags = types.ListValueFrom(ctx, subscribedStageType, stageModels)
		resp.Diagnostics.Append(diags...)
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &config)...)
}

package provider

import (
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/ncp-community/terraform-provider-ncp/internal/ncpclient"
)

// apiKeyModel is a key as the API describes it, without its key values: the
// attributes that the resource, the data sources and the list resource share.
// It is their one declaration: their object type and values are derived from
// it (apiKeyObjects), and their descriptions are in apiKeyDescriptions.
type apiKeyModel struct {
	ID          types.String `tfsdk:"id"`
	Name        types.String `tfsdk:"name"`
	Description types.String `tfsdk:"description"`
	Enabled     types.Bool   `tfsdk:"enabled"`
	TenantID    types.String `tfsdk:"tenant_id"`
	Modifier    types.String `tfsdk:"modifier"`
	ModTime     types.String `tfsdk:"mod_time"`
	DomainCode  types.String `tfsdk:"domain_code"`
}

func apiKeyModelFromAPI(k *ncpclient.APIKey) apiKeyModel {
	return apiKeyModel{
		ID:          types.StringValue(k.ID),
		Name:        types.StringValue(k.Name),
		Description: types.StringValue(k.Description),
		Enabled:     types.BoolValue(k.Enabled),
		TenantID:    types.StringValue(k.TenantID),
		Modifier:    types.StringValue(k.Modifier),
		ModTime:     types.StringValue(k.ModTime),
		DomainCode:  types.StringValue(k.DomainCode),
	}
}

// apiKeyObjects converts apiKeyModels to object values, for lists of keys.
var apiKeyObjects = newObjectConverter[apiKeyModel]()

// apiKeyDescriptions describes apiKeyModel's attributes wherever they are
// read-only. The resource describes its arguments in its own schema.
var apiKeyDescriptions = map[string]string{
	"id":          "The API key's ID (`apiKeyId`).",
	"name":        "Name of the API key.",
	"description": "Description of the API key.",
	"enabled":     "Whether the key is enabled.",
	"tenant_id":   "ID of the tenant that owns the key.",
	"modifier":    "ID of the account that last changed the key. NCP sets it on every change, also on changes made in the console or by another account.",
	"mod_time":    "When the key was last changed, in RFC 3339 format, on NCP's clock.",
	"domain_code": "The NCP domain of the key, for example `PUB`.",
}

// apiKeyDataSourceAttributes are apiKeyModel's attributes as read-only
// data source attributes.
func apiKeyDataSourceAttributes() map[string]schema.Attribute {
	attributes := map[string]schema.Attribute{}
	for name, typ := range apiKeyObjects.attrTypes {
		if typ.Equal(types.BoolType) {
			attributes[name] = schema.BoolAttribute{MarkdownDescription: apiKeyDescriptions[name], Computed: true}
		} else {
			attributes[name] = schema.StringAttribute{MarkdownDescription: apiKeyDescriptions[name], Computed: true}
		}
	}
	return attributes
}

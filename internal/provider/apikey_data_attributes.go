package provider

import (
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/ncp-community/terraform-provider-ncp/internal/ncpclient"
)

// apiKeySummaryModel is what the list endpoint tells of a key: everything
// but the key values. The resource and data source models embed it.
type apiKeySummaryModel struct {
	ID          types.String `tfsdk:"id"`
	Name        types.String `tfsdk:"name"`
	Description types.String `tfsdk:"description"`
	Enabled     types.Bool   `tfsdk:"enabled"`
	TenantID    types.String `tfsdk:"tenant_id"`
	Modifier    types.String `tfsdk:"modifier"`
	ModTime     types.String `tfsdk:"mod_time"`
	DomainCode  types.String `tfsdk:"domain_code"`
}

func apiKeySummaryFromAPI(k *ncpclient.APIKey) apiKeySummaryModel {
	return apiKeySummaryModel{
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

// apiKeySummaryAttrTypes is the object type of an apiKeySummaryModel.
var apiKeySummaryAttrTypes = map[string]attr.Type{
	"id":          types.StringType,
	"name":        types.StringType,
	"description": types.StringType,
	"enabled":     types.BoolType,
	"tenant_id":   types.StringType,
	"modifier":    types.StringType,
	"mod_time":    types.StringType,
	"domain_code": types.StringType,
}

// objectValue converts the model without reflection, which matters for a
// list of thousands of keys.
func (m apiKeySummaryModel) objectValue() types.Object {
	return types.ObjectValueMust(apiKeySummaryAttrTypes, map[string]attr.Value{
		"id":          m.ID,
		"name":        m.Name,
		"description": m.Description,
		"enabled":     m.Enabled,
		"tenant_id":   m.TenantID,
		"modifier":    m.Modifier,
		"mod_time":    m.ModTime,
		"domain_code": m.DomainCode,
	})
}

// apiKeySummaryAttributes describes the read-only attributes every data
// source reports of a key, besides its id and name.
func apiKeySummaryAttributes() map[string]schema.Attribute {
	return map[string]schema.Attribute{
		"description": schema.StringAttribute{
			MarkdownDescription: "Description of the API key.",
			Computed:            true,
		},
		"enabled": schema.BoolAttribute{
			MarkdownDescription: "Whether the key is enabled.",
			Computed:            true,
		},
		"tenant_id": schema.StringAttribute{
			MarkdownDescription: "ID of the tenant that owns the key.",
			Computed:            true,
		},
		"modifier": schema.StringAttribute{
			MarkdownDescription: "ID of the account that last changed the key.",
			Computed:            true,
		},
		"mod_time": schema.StringAttribute{
			MarkdownDescription: "When the key was last changed, in RFC 3339 format.",
			Computed:            true,
		},
		"domain_code": schema.StringAttribute{
			MarkdownDescription: "The NCP domain of the key, for example `PUB`.",
			Computed:            true,
		},
	}
}

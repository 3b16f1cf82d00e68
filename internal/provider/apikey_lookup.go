package provider

import (
	"context"
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/ncp-community/terraform-provider-ncp/internal/ncpclient"
)

// apiKeyWithValuesModel is one key looked up by id or by exact name, key
// values included: the ncp_apigw_api_key data source and ephemeral
// resource.
type apiKeyWithValuesModel struct {
	apiKeyModel
	PrimaryKey   types.String `tfsdk:"primary_key"`
	SecondaryKey types.String `tfsdk:"secondary_key"`
}

// apiKeyLookupDescriptions describes the attributes apiKeyWithValuesModel
// adds to, or changes in, apiKeyModel's.
var apiKeyLookupDescriptions = map[string]string{
	"id":            "The ID of the key to look up. Exactly one of `id` and `name` is required.",
	"name":          "The exact name of the key to look up; it is an error when no key or several keys have it. Exactly one of `id` and `name` is required.",
	"primary_key":   "The primary key value.",
	"secondary_key": "The secondary key value.",
}

// lookUpAPIKey reads the key config names by id, or by exact name: a list,
// then a read of the one key that has the name.
func lookUpAPIKey(ctx context.Context, client *ncpclient.Client, config apiKeyWithValuesModel) (*apiKeyWithValuesModel, diag.Diagnostics) {
	id := config.ID.ValueString()
	if id == "" {
		var diags diag.Diagnostics
		if id, diags = apiKeyIDByName(ctx, client, config.Name.ValueString()); diags.HasError() {
			return nil, diags
		}
	}
	key, err := client.GetAPIKey(ctx, id)
	if err != nil {
		var diags diag.Diagnostics
		if ncpclient.IsNotFound(err) {
			detail := fmt.Sprintf("No API key with ID %q exists: %v. Check the ID, or look the key up by name.", id, err)
			if config.ID.ValueString() == "" { // gone since the name was listed
				diags.AddError("No API key found", detail)
			} else {
				diags.AddAttributeError(path.Root("id"), "No API key found", detail)
			}
			return nil, diags
		}
		addAPIError(&diags, "Error reading API key "+id, err)
		return nil, diags
	}
	return &apiKeyWithValuesModel{
		apiKeyModel:  apiKeyModelFromAPI(key),
		PrimaryKey:   types.StringValue(key.PrimaryKey),
		SecondaryKey: types.StringValue(key.SecondaryKey),
	}, nil
}

// apiKeyIDByName finds the one key whose name is exactly name. Its errors
// name the keys by id only.
func apiKeyIDByName(ctx context.Context, client *ncpclient.Client, name string) (string, diag.Diagnostics) {
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

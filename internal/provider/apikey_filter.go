package provider

import (
	"context"
	"iter"
	"regexp"

	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/ncp-community/terraform-provider-ncp/internal/ncpclient"
)

// apiKeyFilter selects keys: the arguments of the ncp_apigw_api_keys data
// source and of the ncp_apigw_api_key list resource.
type apiKeyFilter struct {
	Name      types.String `tfsdk:"name"`
	NameRegex types.String `tfsdk:"name_regex"`
	Enabled   types.Bool   `tfsdk:"enabled"`
}

// apiKeyFilterDescriptions describes apiKeyFilter's attributes in both
// schemas.
var apiKeyFilterDescriptions = map[string]string{
	"name": "Passed to the API's own name filter (`apiKeyName`), which NCP may apply as a partial match. " +
		"Combine with `name_regex` such as `^exact$` for an exact match.",
	"name_regex": "An RE2 regular expression the key's name must match, applied by the provider.",
	"enabled":    "Only keys that are enabled (`true`) or disabled (`false`).",
}

// apiKeyFilterValidators validate apiKeyFilter's string attributes in both
// schemas.
var apiKeyFilterValidators = map[string][]validator.String{
	"name":       {stringvalidator.UTF8LengthBetween(1, 20)},
	"name_regex": {regexValidator{}},
}

// keys lists the keys that pass the filter, page by page as the API returns
// them: each page is fetched when the previous one has been consumed, and
// none once the caller stops. A failed request ends the sequence with its
// error.
func (f apiKeyFilter) keys(ctx context.Context, client *ncpclient.Client) iter.Seq2[*ncpclient.APIKey, error] {
	return func(yield func(*ncpclient.APIKey, error) bool) {
		nameRegex, err := regexp.Compile(f.NameRegex.ValueString())
		if err != nil { // the validator has already rejected it
			yield(nil, err)
			return
		}
		for page, err := range client.APIKeyPages(ctx, f.Name.ValueString()) {
			if err != nil {
				yield(nil, err)
				return
			}
			for i := range page {
				k := &page[i]
				if !nameRegex.MatchString(k.Name) || (!f.Enabled.IsNull() && k.Enabled != f.Enabled.ValueBool()) {
					continue
				}
				if !yield(k, nil) {
					return
				}
			}
		}
	}
}

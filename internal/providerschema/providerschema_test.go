package providerschema_test

import (
	"context"
	"encoding/json"
	"testing"

	tfjson "github.com/hashicorp/terraform-json"
	"github.com/zclconf/go-cty/cty"

	"github.com/ncp-community/terraform-provider-ncp/internal/provider"
	"github.com/ncp-community/terraform-provider-ncp/internal/providerschema"
)

// TestOfDescribesEveryKind checks the kinds of schema that Terraform 1.11
// leaves out of `terraform providers schema -json`, so that the e2e test
// cannot compare with it there; on Terraform 1.15 that test compares them
// all.
func TestOfDescribesEveryKind(t *testing.T) {
	schemas, err := providerschema.Of(context.Background(), provider.New("test")(), "ncp")
	if err != nil {
		t.Fatal(err)
	}
	// Round trip through the JSON tfplugindocs reads.
	b, err := json.Marshal(schemas)
	if err != nil {
		t.Fatal(err)
	}
	var decoded tfjson.ProviderSchemas
	if err := json.Unmarshal(b, &decoded); err != nil {
		t.Fatal(err)
	}
	ps := decoded.Schemas["ncp"]
	if ps == nil {
		t.Fatalf("no schemas under ncp: %s", b)
	}

	identity := ps.ResourceIdentitySchemas["ncp_apigw_api_key"]
	if identity == nil || identity.Attributes["id"] == nil || !identity.Attributes["id"].RequiredForImport || !identity.Attributes["id"].IdentityType.Equals(cty.String) {
		t.Errorf("identity schema %+v, want id, a string required for import", identity)
	}
	list := ps.ListResourceSchemas["ncp_apigw_api_key"]
	if list == nil || len(list.Block.Attributes) != 3 || !list.Block.Attributes["enabled"].Optional || !list.Block.Attributes["enabled"].AttributeType.Equals(cty.Bool) {
		t.Errorf("list resource schema %+v, want the three optional filters", list)
	}
	action := ps.ActionSchemas["ncp_apigw_api_key_regenerate"]
	if action == nil || !action.Block.Attributes["id"].Required || !action.Block.Attributes["key_type"].Optional {
		t.Errorf("action schema %+v, want id required and key_type optional", action)
	}
	ephemeral := ps.EphemeralResourceSchemas["ncp_apigw_api_key"]
	if ephemeral == nil || !ephemeral.Block.Attributes["primary_key"].Sensitive {
		t.Errorf("ephemeral resource schema %+v, want sensitive key values", ephemeral)
	}
	resource := ps.ResourceSchemas["ncp_apigw_api_key"]
	if resource == nil || resource.Block.NestedBlocks["timeouts"] == nil || resource.Block.NestedBlocks["timeouts"].NestingMode != tfjson.SchemaNestingModeSingle {
		t.Errorf("resource schema %+v, want a single timeouts block", resource)
	}
	keys := ps.DataSourceSchemas["ncp_apigw_api_keys"].Block.Attributes["api_keys"]
	if keys.AttributeNestedType == nil || keys.AttributeNestedType.NestingMode != tfjson.SchemaNestingModeList || len(keys.AttributeNestedType.Attributes) != 8 {
		t.Errorf("api_keys %+v, want a list of 8 nested attributes", keys)
	}
}

package e2e

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-exec/tfexec"
	tfjson "github.com/hashicorp/terraform-json"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"

	"github.com/ncp-community/terraform-provider-ncp/internal/acctest"
	"github.com/ncp-community/terraform-provider-ncp/internal/emulator"
	"github.com/ncp-community/terraform-provider-ncp/internal/provider"
	"github.com/ncp-community/terraform-provider-ncp/internal/providerschema"
)

// TestProviderSchemaMatchesTerraform compares the schemas the docs are
// generated from (package providerschema) with what `terraform providers
// schema -json` writes of the built provider: every kind of schema this
// Terraform version writes must be the same. Terraform 1.15 writes them
// all; 1.11 has no identity, list resource or action schemas, 1.5 no
// ephemeral resource schemas either.
func TestProviderSchemaMatchesTerraform(t *testing.T) {
	// Terraform 1.5 gives a data source the schema version of the managed
	// resource of the same name (1 for ncp_apigw_api_key); 1.11 does not.
	if skip := acctest.CLISkips(t, tfversion.SkipBelow(tfversion.Version1_11_0)); skip != "" {
		t.Skip(skip)
	}
	_, _, endpoint := acctest.StartRecordedEmulator(t, emulator.Config{})
	tf := acctest.NewCLI(t, acctest.BuildProvider(t, repoRoot), endpoint)
	tf.WriteConfig(providerConfig)
	var fromTerraform *tfjson.ProviderSchemas
	code, out := tf.Do(nil, func(ctx context.Context, tf *tfexec.Terraform) (err error) {
		fromTerraform, err = tf.ProvidersSchema(ctx)
		return err
	})
	if code != 0 {
		t.Fatalf("terraform providers schema -json failed (exit %d):\n%s", code, out)
	}
	var want *tfjson.ProviderSchema
	for address, ps := range fromTerraform.Schemas {
		if strings.HasSuffix(address, "/ncp-community/ncp") { // OpenTofu's registry host is not Terraform's
			want = ps
		}
	}
	if want == nil {
		t.Fatalf("Terraform wrote no schema of ncp-community/ncp:\n%s", out)
	}
	ours, err := providerschema.Of(context.Background(), provider.New("test")(), "ncp")
	if err != nil {
		t.Fatal(err)
	}
	got := ours.Schemas["ncp"]

	compared := 0
	for kind, pair := range map[string][2]any{
		"provider":                   {want.ConfigSchema, got.ConfigSchema},
		"resource_schemas":           {want.ResourceSchemas, got.ResourceSchemas},
		"data_source_schemas":        {want.DataSourceSchemas, got.DataSourceSchemas},
		"ephemeral_resource_schemas": {want.EphemeralResourceSchemas, got.EphemeralResourceSchemas},
		"list_resource_schemas":      {want.ListResourceSchemas, got.ListResourceSchemas},
		"action_schemas":             {want.ActionSchemas, got.ActionSchemas},
		"resource_identity_schemas":  {want.ResourceIdentitySchemas, got.ResourceIdentitySchemas},
	} {
		w, err := json.Marshal(pair[0])
		if err != nil {
			t.Fatal(err)
		}
		if string(w) == "null" {
			t.Logf("%s: this Terraform writes none", kind)
			continue
		}
		g, err := json.Marshal(pair[1])
		if err != nil {
			t.Fatal(err)
		}
		if string(g) != string(w) {
			t.Errorf("%s differ:\nTerraform:       %s\nproviderschema: %s", kind, w, g)
		}
		compared++
	}
	if compared < 3 {
		t.Errorf("only %d kinds of schema compared, want at least provider, resources and data sources", compared)
	}
}

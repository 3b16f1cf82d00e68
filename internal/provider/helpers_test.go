package provider

import (
	"context"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"

	"github.com/ncp-community/terraform-provider-ncp/internal/acctest"
)

// factories serves the provider to Terraform for a test against env, with
// env's hook on the provider's API clients. The shared test helpers are in
// internal/acctest; this is the one that needs this package.
func factories(env *acctest.Env) map[string]func() (tfprotov6.ProviderServer, error) {
	return map[string]func() (tfprotov6.ProviderServer, error){
		"ncp": func() (tfprotov6.ProviderServer, error) {
			return NewProtocol6(New("test", WithClientConfig(env.AdjustClientConfig))())(), nil
		},
	}
}

// protocolServer is the provider as Terraform's gRPC calls see it,
// configured for env's emulator, for tests of what a CLI cannot run (older
// CLIs have no `terraform query` and no actions) or cannot show (when a
// stream stops fetching pages).
type protocolServer interface {
	tfprotov6.ProviderServer
	tfprotov6.ListResourceServer
	tfprotov6.ActionServer
}

func newProtocolServer(t *testing.T, env *acctest.Env) protocolServer {
	t.Helper()
	env.NeedsEmulator(t)
	ps, ok := NewProtocol6(New("test", WithClientConfig(env.AdjustClientConfig))())().(protocolServer)
	if !ok {
		t.Fatal("the provider server serves neither list resources nor actions")
	}
	resp, err := ps.ConfigureProvider(context.Background(), &tfprotov6.ConfigureProviderRequest{
		Config: dynamicValue(t, map[string]tftypes.Value{
			"endpoint":   tftypes.NewValue(tftypes.String, env.Endpoint),
			"access_key": tftypes.NewValue(tftypes.String, acctest.AccessKey),
			"secret_key": tftypes.NewValue(tftypes.String, acctest.SecretKey),
			"site":       tftypes.NewValue(tftypes.String, nil),

			"request_timeout": tftypes.NewValue(tftypes.String, nil),
		}),
	})
	if err != nil || len(resp.Diagnostics) > 0 {
		t.Fatalf("configuring the provider: %v %v", err, resp.Diagnostics)
	}
	return ps
}

// noTimeouts is an absent timeouts block whose one attribute is name, as
// Terraform sends it.
func noTimeouts(name string) tftypes.Value {
	return tftypes.NewValue(tftypes.Object{AttributeTypes: map[string]tftypes.Type{name: tftypes.String}}, nil)
}

// dynamicValue is an object of the given attributes, as Terraform sends
// configurations.
func dynamicValue(t *testing.T, attributes map[string]tftypes.Value) *tfprotov6.DynamicValue {
	t.Helper()
	typ := tftypes.Object{AttributeTypes: map[string]tftypes.Type{}}
	for name, v := range attributes {
		typ.AttributeTypes[name] = v.Type()
	}
	dv, err := tfprotov6.NewDynamicValue(typ, tftypes.NewValue(typ, attributes))
	if err != nil {
		t.Fatal(err)
	}
	return &dv
}

// objectAttributes decodes a dynamic value of type typ into its attributes.
func objectAttributes(t *testing.T, dv *tfprotov6.DynamicValue, typ tftypes.Type) map[string]tftypes.Value {
	t.Helper()
	v, err := dv.Unmarshal(typ)
	if err != nil {
		t.Fatal(err)
	}
	var attributes map[string]tftypes.Value
	if err := v.As(&attributes); err != nil {
		t.Fatal(err)
	}
	return attributes
}

// diagnosticSummaries lists the summaries of diags, for test failures.
func diagnosticSummaries(diags []*tfprotov6.Diagnostic) []string {
	var out []string
	for _, d := range diags {
		out = append(out, d.Summary+": "+d.Detail)
	}
	return out
}

// privateMap is private state in memory, for the import mark's unit tests.
type privateMap map[string][]byte

func (p privateMap) GetKey(_ context.Context, key string) ([]byte, diag.Diagnostics) {
	return p[key], nil
}

func (p privateMap) SetKey(_ context.Context, key string, value []byte) diag.Diagnostics {
	if len(value) == 0 {
		delete(p, key)
	} else {
		p[key] = value
	}
	return nil
}

// afterRefresh runs check after a RefreshState step, which has no state
// checks, on the prior state of the plan that follows: that plan's refresh
// found no drift, so it is the state the step's refresh left.
func afterRefresh(check statecheck.StateCheck) resource.RefreshPlanChecks {
	return resource.RefreshPlanChecks{PostRefresh: []plancheck.PlanCheck{acctest.ExpectNoDrift, acctest.InPriorState(check)}}
}

// outlastModTimeSecond waits until a write gets a later modTime than the
// last one, on any server's clock: modTime has whole seconds, and a
// refresh sees no regenerate in the second of the write state recorded
// but from another process (contributing/reliability.md, "Refresh").
func outlastModTimeSecond() {
	time.Sleep(1100 * time.Millisecond)
}

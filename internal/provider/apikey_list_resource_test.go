package provider

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
	tfresource "github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/querycheck"
	"github.com/hashicorp/terraform-plugin-testing/querycheck/queryfilter"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/ncp-community/terraform-provider-ncp/internal/acctest"
	"github.com/ncp-community/terraform-provider-ncp/internal/emulator"
)

// listRequest is a list block as Terraform sends it: the filters (null when
// empty), include_resource and limit.
type listRequest struct {
	name, nameRegex string
	enabled         *bool
	includeResource bool
	limit           int64
}

func (r listRequest) send(t *testing.T, server protocolServer) []tfprotov6.ListResourceResult {
	t.Helper()
	optional := func(s string) tftypes.Value {
		if s == "" {
			return tftypes.NewValue(tftypes.String, nil)
		}
		return tftypes.NewValue(tftypes.String, s)
	}
	var enabled any
	if r.enabled != nil {
		enabled = *r.enabled
	}
	stream, err := server.ListResource(context.Background(), &tfprotov6.ListResourceRequest{
		TypeName: "ncp_apigw_api_key",
		Config: dynamicValue(t, map[string]tftypes.Value{
			"name":       optional(r.name),
			"name_regex": optional(r.nameRegex),
			"enabled":    tftypes.NewValue(tftypes.Bool, enabled),
			"timeouts":   noTimeouts("list"),
		}),
		IncludeResource: r.includeResource,
		Limit:           r.limit,
	})
	if err != nil {
		t.Fatal(err)
	}
	return slices.Collect(stream.Results)
}

// resultIDs checks that every result is complete (no error, an identity,
// a resource object when asked for, the display name "name (id)") and
// returns the identities' IDs.
func resultIDs(t *testing.T, results []tfprotov6.ListResourceResult, includeResource bool) []string {
	t.Helper()
	var ids []string
	for _, r := range results {
		if len(r.Diagnostics) > 0 {
			t.Fatalf("result %q has diagnostics: %v", r.DisplayName, diagnosticSummaries(r.Diagnostics))
		}
		var id string
		if err := objectAttributes(t, r.Identity.IdentityData, apiKeyIdentities.tfType)["id"].As(&id); err != nil {
			t.Fatal(err)
		}
		if !strings.HasSuffix(r.DisplayName, " ("+id+")") {
			t.Errorf("display name %q, want the key's name and (%s)", r.DisplayName, id)
		}
		if (r.Resource != nil) != includeResource {
			t.Errorf("result %q: resource object present %t, want %t", r.DisplayName, r.Resource != nil, includeResource)
		}
		ids = append(ids, id)
	}
	return ids
}

// TestListResource_streamsAndStopsAtTheLimit lists through the protocol,
// as `terraform query` would, over pages of 3: every matching key comes
// once, and the listing fetches no page after the limit is reached.
func TestListResource_streamsAndStopsAtTheLimit(t *testing.T) {
	env := acctest.NewEnv(t, emulator.Config{MaxPageSize: 3})
	server := newProtocolServer(t, env)
	var want []string
	for i := range 7 {
		want = append(want, env.Emulator.PutKey(fmt.Sprintf("lst-%d", i), "").ID)
	}
	env.Emulator.PutKey("other", "")

	for _, tt := range []struct {
		limit              int64
		wantKeys, wantList int
	}{
		{100, 7, 3}, // 8 keys, pages of 3
		{4, 4, 2},   // the 4th key is on page 2
		{3, 3, 1},   // page 1 holds the 3 wanted: page 2 is never fetched
	} {
		env.Emulator.ResetStats()
		results := listRequest{nameRegex: "^lst-", limit: tt.limit}.send(t, server)
		ids := resultIDs(t, results, false)
		if !slices.Equal(ids, want[:tt.wantKeys]) {
			t.Errorf("limit %d: IDs %v, want %v", tt.limit, ids, want[:tt.wantKeys])
		}
		got := env.Emulator.Stats().Requests
		if got[emulator.RouteList] != tt.wantList || acctest.Total(got) != tt.wantList {
			t.Errorf("limit %d: requests %v, want %d list requests only", tt.limit, got, tt.wantList)
		}
	}
}

// TestListResource_filters applies each filter as the data source does.
func TestListResource_filters(t *testing.T) {
	env := acctest.NewEnv(t, emulator.Config{MaxPageSize: 3})
	server := newProtocolServer(t, env)
	a := env.Emulator.PutKey("alpha-1", "").ID
	b := env.Emulator.PutKey("alpha-2", "").ID
	c := env.Emulator.PutKey("beta-1", "").ID
	env.Emulator.UpdateKey(b, func(k *emulator.Key) { k.Enabled = false })
	disabled, enabled := false, true

	for _, tt := range []struct {
		req  listRequest
		want []string
	}{
		{listRequest{}, []string{a, b, c}},
		{listRequest{name: "alpha"}, []string{a, b}},
		{listRequest{nameRegex: "-1$"}, []string{a, c}},
		{listRequest{enabled: &disabled}, []string{b}},
		{listRequest{name: "alpha", enabled: &enabled}, []string{a}},
		{listRequest{name: "gamma"}, nil},
	} {
		tt.req.limit = 100
		if ids := resultIDs(t, tt.req.send(t, server), false); !slices.Equal(ids, tt.want) {
			t.Errorf("%+v: IDs %v, want %v", tt.req, ids, tt.want)
		}
	}
}

// TestListResource_includeResource returns each key's attributes, as an
// import would start from them, without key values and without a request
// per key.
func TestListResource_includeResource(t *testing.T) {
	env := acctest.NewEnv(t, emulator.Config{})
	server := newProtocolServer(t, env)
	key := env.Emulator.PutKey("by-hand", "made in the console")
	env.Emulator.ResetStats()

	results := listRequest{includeResource: true, limit: 100}.send(t, server)
	resultIDs(t, results, true)
	if len(results) != 1 || results[0].DisplayName != "by-hand ("+key.ID+")" {
		t.Fatalf("results %+v, want one named by-hand (%s)", results, key.ID)
	}
	var schemaResp resource.SchemaResponse
	newAPIKeyResource().Schema(context.Background(), resource.SchemaRequest{}, &schemaResp)
	got := objectAttributes(t, results[0].Resource, schemaResp.Schema.Type().TerraformType(context.Background()))
	want := map[string]tftypes.Value{
		"id":               tftypes.NewValue(tftypes.String, key.ID),
		"name":             tftypes.NewValue(tftypes.String, "by-hand"),
		"description":      tftypes.NewValue(tftypes.String, "made in the console"),
		"enabled":          tftypes.NewValue(tftypes.Bool, true),
		"tenant_id":        tftypes.NewValue(tftypes.String, key.TenantID),
		"modifier":         tftypes.NewValue(tftypes.String, key.Modifier),
		"domain_code":      tftypes.NewValue(tftypes.String, key.DomainCode),
		"rotate_key_type":  tftypes.NewValue(tftypes.String, "PRIMARY"),
		"store_key_values": tftypes.NewValue(tftypes.Bool, true),
		"rotate_trigger":   tftypes.NewValue(tftypes.String, nil),
		"primary_key":      tftypes.NewValue(tftypes.String, nil),
		"secondary_key":    tftypes.NewValue(tftypes.String, nil),
	}
	for name, v := range want {
		if !got[name].Equal(v) {
			t.Errorf("%s = %v, want %v", name, got[name], v)
		}
	}
	if !got["mod_time"].IsKnown() || got["mod_time"].IsNull() || !got["timeouts"].IsNull() {
		t.Errorf("mod_time %v, timeouts %v: want a time and null", got["mod_time"], got["timeouts"])
	}
	if requests := env.Emulator.Stats().Requests; acctest.Total(requests) != 1 {
		t.Errorf("requests %v, want 1 list request and no read", requests)
	}
}

// TestListResource_apiError ends the stream with the API's error.
func TestListResource_apiError(t *testing.T) {
	env := acctest.NewEnv(t, emulator.Config{})
	server := newProtocolServer(t, env)
	env.Emulator.PutKey("by-hand", "")
	env.Emulator.SetFaults(emulator.Faults{Faults: []emulator.Fault{{Route: emulator.RouteList, Kind: emulator.FaultError, Status: 403, Rate: 1}}})

	results := listRequest{limit: 100}.send(t, server)
	if len(results) != 1 || len(results[0].Diagnostics) != 1 || results[0].Diagnostics[0].Summary != "Error listing API keys" {
		t.Fatalf("results %+v, want one error", results)
	}
}

// TestListResource_deadline: a listing NCP keeps failing ends at the
// deadline its timeouts block sets; before, it had none.
func TestListResource_deadline(t *testing.T) {
	env := acctest.NewEnv(t, emulator.Config{})
	server := newProtocolServer(t, env)
	env.Emulator.SetFaults(emulator.Faults{Faults: []emulator.Fault{{Route: emulator.RouteList, Kind: emulator.FaultError, Status: 503}}})
	timeouts := tftypes.Object{AttributeTypes: map[string]tftypes.Type{"list": tftypes.String}}
	start := time.Now()
	stream, err := server.ListResource(context.Background(), &tfprotov6.ListResourceRequest{
		TypeName: "ncp_apigw_api_key",
		Config: dynamicValue(t, map[string]tftypes.Value{
			"name":       tftypes.NewValue(tftypes.String, nil),
			"name_regex": tftypes.NewValue(tftypes.String, nil),
			"enabled":    tftypes.NewValue(tftypes.Bool, nil),
			"timeouts":   tftypes.NewValue(timeouts, map[string]tftypes.Value{"list": tftypes.NewValue(tftypes.String, "2s")}),
		}),
		Limit: 100,
	})
	if err != nil {
		t.Fatal(err)
	}
	results := slices.Collect(stream.Results)
	if len(results) != 1 || len(results[0].Diagnostics) != 1 || !strings.Contains(results[0].Diagnostics[0].Detail, "did not finish within its timeout") {
		t.Fatalf("results %+v, want the deadline's error", results)
	}
	if took := time.Since(start); took > 10*time.Second {
		t.Errorf("listing failed after %v, want about 2s", took)
	}
}

func TestListResource_invalidRegex(t *testing.T) {
	env := acctest.NewEnv(t, emulator.Config{})
	server := newProtocolServer(t, env)
	resp, err := server.ValidateListResourceConfig(context.Background(), &tfprotov6.ValidateListResourceConfigRequest{
		TypeName: "ncp_apigw_api_key",
		Config: dynamicValue(t, map[string]tftypes.Value{
			"name":       tftypes.NewValue(tftypes.String, nil),
			"name_regex": tftypes.NewValue(tftypes.String, "fleet-("),
			"enabled":    tftypes.NewValue(tftypes.Bool, nil),
			"timeouts":   noTimeouts("list"),
		}),
	})
	if err != nil || len(resp.Diagnostics) != 1 || !strings.Contains(resp.Diagnostics[0].Detail, "not a valid RE2 regular expression") {
		t.Fatalf("diagnostics %v, %v; want the regex rejected", diagnosticSummaries(resp.Diagnostics), err)
	}
}

// TestAccAPIKeyListResource_query runs `terraform query` over keys made by
// Terraform and by hand.
func TestAccAPIKeyListResource_query(t *testing.T) {
	env := acctest.NewEnv(t, emulator.Config{MaxPageSize: 2})
	env.NeedsEmulator(t)
	handMade := env.Emulator.PutKey("by-hand", "made in the console")
	byHandIdentity := map[string]knownvalue.Check{"id": knownvalue.StringExact(handMade.ID)}
	tfresource.ParallelTest(t, tfresource.TestCase{
		ProtoV6ProviderFactories: factories(env),
		TerraformVersionChecks:   acctest.QueryAndActionCLIs,
		CheckDestroy:             env.CheckDestroyed(1),
		Steps: []tfresource.TestStep{
			{
				Config: env.Config(`
resource "ncp_apigw_api_key" "fleet" {
  count = 3
  name  = "acc-list-${count.index}"
}
`),
			},
			{
				Query: true,
				Config: `
list "ncp_apigw_api_key" "fleet" {
  provider = ncp
  config {
    name_regex = "^acc-list-"
  }
}

list "ncp_apigw_api_key" "all" {
  provider         = ncp
  include_resource = true
}

list "ncp_apigw_api_key" "two" {
  provider = ncp
  limit    = 2
}
`,
				QueryResultChecks: []querycheck.QueryResultCheck{
					querycheck.ExpectLength("ncp_apigw_api_key.fleet", 3),
					querycheck.ExpectLength("ncp_apigw_api_key.all", 4),
					querycheck.ExpectLength("ncp_apigw_api_key.two", 2),
					querycheck.ExpectIdentity("ncp_apigw_api_key.all", byHandIdentity),
					querycheck.ExpectResourceDisplayName("ncp_apigw_api_key.all", queryfilter.ByResourceIdentity(byHandIdentity),
						knownvalue.StringExact("by-hand ("+handMade.ID+")")),
					querycheck.ExpectResourceKnownValues("ncp_apigw_api_key.all", queryfilter.ByResourceIdentity(byHandIdentity), []querycheck.KnownValueCheck{
						{Path: tfjsonpath.New("name"), KnownValue: knownvalue.StringExact("by-hand")},
						{Path: tfjsonpath.New("description"), KnownValue: knownvalue.StringExact("made in the console")},
						{Path: tfjsonpath.New("store_key_values"), KnownValue: knownvalue.Bool(true)},
						{Path: tfjsonpath.New("primary_key"), KnownValue: knownvalue.Null()},
					}),
				},
			},
		},
	})
}

// Package provider implements the ncp Terraform provider.
package provider

import (
	"context"
	"os"

	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/action"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/ephemeral"
	"github.com/hashicorp/terraform-plugin-framework/list"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/provider/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/ncp-community/terraform-provider-ncp/internal/ncpclient"
)

var (
	_ provider.Provider                       = (*ncpProvider)(nil)
	_ provider.ProviderWithListResources      = (*ncpProvider)(nil)
	_ provider.ProviderWithEphemeralResources = (*ncpProvider)(nil)
	_ provider.ProviderWithActions            = (*ncpProvider)(nil)
)

// New returns a constructor of the provider at the given version. The
// released binary passes no options; tests pass theirs.
func New(version string, opts ...Option) func() provider.Provider {
	return func() provider.Provider {
		p := &ncpProvider{version: version}
		for _, opt := range opts {
			opt(p)
		}
		return p
	}
}

// Option changes how a provider built by New works.
type Option func(*ncpProvider)

// WithClientConfig makes the provider pass the configuration of every API
// client it builds through adjust first. Tests use it to count the clients
// (one per provider instance) and to shorten retry delays.
func WithClientConfig(adjust func(*ncpclient.Config)) Option {
	return func(p *ncpProvider) { p.adjustClientConfig = adjust }
}

type ncpProvider struct {
	version            string
	adjustClientConfig func(*ncpclient.Config)
}

type providerModel struct {
	AccessKey types.String `tfsdk:"access_key"`
	SecretKey types.String `tfsdk:"secret_key"`
	Site      types.String `tfsdk:"site"`
	Endpoint  types.String `tfsdk:"endpoint"`

	RequestTimeout types.String `tfsdk:"request_timeout"`
}

func (p *ncpProvider) Metadata(_ context.Context, _ provider.MetadataRequest, resp *provider.MetadataResponse) {
	resp.TypeName = "ncp"
	resp.Version = p.version
}

func (p *ncpProvider) Schema(_ context.Context, _ provider.SchemaRequest, resp *provider.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "The `ncp` provider manages [NAVER Cloud Platform](https://www.ncloud.com) API Gateway API keys and their subscriptions to products.",
		Attributes: map[string]schema.Attribute{
			"access_key": schema.StringAttribute{
				MarkdownDescription: "NCP access key ID. Set it together with `secret_key`, or leave both unset to take the pair from `NCLOUD_ACCESS_KEY_ID` (or `NCLOUD_ACCESS_KEY`) and `NCLOUD_SECRET_ACCESS_KEY` (or `NCLOUD_SECRET_KEY`), then from `~/.ncloud/configure`.",
				Optional:            true,
			},
			"secret_key": schema.StringAttribute{
				MarkdownDescription: "NCP secret key. Set it together with `access_key`; see `access_key` for where the pair is taken from otherwise.",
				Optional:            true,
				Sensitive:           true,
			},
			"site": schema.StringAttribute{
				MarkdownDescription: "NCP site: `public` (default), `gov` or `fin`. Defaults to `NCLOUD_SITE`. Ignored when `endpoint` is set.",
				Optional:            true,
				Validators:          []validator.String{stringvalidator.OneOf(siteNames...)},
			},
			"endpoint": schema.StringAttribute{
				MarkdownDescription: "Base URL of the API Gateway API, whose path must end in `/api/v1`, for example `https://apigateway.apigw.ntruss.com/api/v1`. Overrides `site`. Defaults to `NCP_APIGW_ENDPOINT`. Plain `http://` is accepted only for loopback addresses, such as the bundled emulator.",
				Optional:            true,
				Validators:          []validator.String{endpointValidator{}},
			},
			"request_timeout": schema.StringAttribute{
				MarkdownDescription: "How long one attempt of a request waits for NCP's answer before it is retried, as a duration such as `\"30s\"` " +
					"(default; from `1s` to `1m`). Defaults to `NCP_REQUEST_TIMEOUT`. An attempt that gets no answer is retried once; " +
					"after a second one in a row the operation fails naming the endpoint, whatever its timeout.",
				Optional:   true,
				Validators: []validator.String{requestTimeoutValidator{}},
			},
		},
	}
}

// siteNames are the values site accepts, in the order the docs list them.
var siteNames = []string{"public", "gov", "fin"}

// Configure builds the API client. Failures that only matter once the API is
// called (missing credentials, values unknown until apply) are handed to the
// resources instead of failing here, so that validate, and plans that need
// no API call, work without credentials.
func (p *ncpProvider) Configure(ctx context.Context, req provider.ConfigureRequest, resp *provider.ConfigureResponse) {
	var config providerModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &config)...)
	if resp.Diagnostics.HasError() {
		return
	}

	data := &providerData{}
	resp.ResourceData = data
	resp.DataSourceData = data
	resp.ListResourceData = data
	resp.EphemeralResourceData = data
	resp.ActionData = data

	if config.AccessKey.IsUnknown() || config.SecretKey.IsUnknown() || config.Site.IsUnknown() || config.Endpoint.IsUnknown() || config.RequestTimeout.IsUnknown() {
		data.err = diagUnknownProviderConfig()
		return
	}

	creds, warnings, err := resolveCredentials(
		credentials{AccessKey: config.AccessKey.ValueString(), SecretKey: config.SecretKey.ValueString()},
		os.Getenv, os.UserHomeDir)
	for _, w := range warnings {
		resp.Diagnostics.AddWarning("NCP credentials", w)
	}
	if err != nil {
		data.err = diag.NewErrorDiagnostic("Missing NCP credentials", err.Error())
		return
	}
	tflog.Debug(ctx, "NCP credentials found", map[string]any{"source": creds.Source})
	requestTimeout, err := parseRequestTimeout(valueOrEnv(config.RequestTimeout, "NCP_REQUEST_TIMEOUT"))
	if err != nil {
		resp.Diagnostics.AddError("Invalid NCP request timeout", err.Error()+" (from request_timeout, else NCP_REQUEST_TIMEOUT)")
		return
	}

	cfg := ncpclient.Config{
		AccessKey: creds.AccessKey,
		SecretKey: creds.SecretKey,
		Site:      valueOrEnv(config.Site, "NCLOUD_SITE"),
		Endpoint:  valueOrEnv(config.Endpoint, "NCP_APIGW_ENDPOINT"),
		UserAgent: "terraform-provider-ncp/" + p.version,
		Logger:    logToTflog,
		Warn:      warnToTflog,

		RequestTimeout: requestTimeout,
	}
	if p.adjustClientConfig != nil {
		p.adjustClientConfig(&cfg)
	}
	client, err := ncpclient.New(cfg)
	if err != nil {
		resp.Diagnostics.AddError("Invalid NCP provider configuration", err.Error())
		return
	}
	tflog.Debug(ctx, "configured NCP API Gateway client", map[string]any{"base_url": client.BaseURL()})
	data.client = client
	data.keys = client.NewAccountListing(0)
}

func (p *ncpProvider) Resources(context.Context) []func() resource.Resource {
	return []func() resource.Resource{
		newAPIKeyResource,
		newAPIKeySubscriptionResource,
		newProductAPIKeyApprovalResource,
	}
}

func (p *ncpProvider) DataSources(context.Context) []func() datasource.DataSource {
	return []func() datasource.DataSource{
		newAPIKeyDataSource,
		newAPIKeysDataSource,
		newAPIKeyProductsDataSource,
	}
}

// ListResources serve `terraform query` (Terraform 1.14 and later).
func (p *ncpProvider) ListResources(context.Context) []func() list.ListResource {
	return []func() list.ListResource{
		newAPIKeyListResource,
	}
}

// EphemeralResources need Terraform 1.10 or later.
func (p *ncpProvider) EphemeralResources(context.Context) []func() ephemeral.EphemeralResource {
	return []func() ephemeral.EphemeralResource{
		newAPIKeyEphemeralResource,
	}
}

// Actions need Terraform 1.14 or later.
func (p *ncpProvider) Actions(context.Context) []func() action.Action {
	return []func() action.Action{
		newRegenerateAction,
	}
}

// valueOrEnv returns the configured value, else the environment variable.
func valueOrEnv(v types.String, env string) string {
	if !v.IsNull() {
		return v.ValueString()
	}
	return os.Getenv(env)
}

func diagUnknownProviderConfig() diag.Diagnostic {
	return diag.NewErrorDiagnostic(
		"NCP provider configuration is not known yet",
		"The provider \"ncp\" block uses a value that is only known after apply, so the NCP API cannot be called during this plan. "+
			"Set access_key, secret_key, site and endpoint from values known at plan time, or apply the resources they depend on first with -target.",
	)
}

// logToTflog is the client's debug hook. The client redacts secrets and key
// values before calling it.
func logToTflog(ctx context.Context, msg string, fields map[string]any) {
	tflog.Debug(ctx, msg, fields)
}

// warnToTflog shows the client's warnings, such as an attempt that got no
// answer, at TF_LOG=warn.
func warnToTflog(ctx context.Context, msg string, fields map[string]any) {
	tflog.Warn(ctx, msg, fields)
}

// providerData is what resources and data sources receive from Configure:
// the client, or the diagnostic that explains why there is none. It lives
// as long as the provider process, which serves one Terraform command.
type providerData struct {
	client *ncpclient.Client
	// keys is the process's one listing of the account's keys, from which
	// refreshes are served (see apikey_refresh.go).
	keys *ncpclient.AccountListing
	err  diag.Diagnostic
}

// apiClient returns the client, or an error diagnostic when the provider
// could not build one. A nil receiver means Configure has not run.
func (d *providerData) apiClient() (*ncpclient.Client, diag.Diagnostics) {
	switch {
	case d == nil:
		return nil, diag.Diagnostics{diag.NewErrorDiagnostic("NCP provider not configured",
			"The provider was called before it was configured. This is a bug in the provider; please report it.")}
	case d.err != nil:
		return nil, diag.Diagnostics{d.err}
	default:
		return d.client, nil
	}
}

// providerDataFrom converts the value Terraform hands to Configure methods of
// resources and data sources.
func providerDataFrom(v any, diags *diag.Diagnostics) *providerData {
	if v == nil {
		return nil
	}
	data, ok := v.(*providerData)
	if !ok {
		diags.AddError("Unexpected provider data", "Expected *providerData. This is a bug in the provider; please report it.")
		return nil
	}
	return data
}

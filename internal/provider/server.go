package provider

import (
	"context"
	"sync/atomic"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
)

// NewProtocol6 is providerserver.NewProtocol6 for this provider, except
// that each per-resource request's context is released when the request
// returns.
//
// terraform-plugin-framework (v1.19.0) keeps the cancel function of every
// request's context until StopProvider, which Terraform sends only on an
// interrupt, so a provider process retains every request it served with
// its loggers and values: 73 MB after a no-change plan of 1,000 keys, which
// made the Go collector run nonstop near the process's memory limit (see
// main.go) and tripled the provider's CPU time. The framework now derives
// its context from a requestContext, which drops the request's context on
// release: what the framework keeps is a few hundred bytes per request.
func NewProtocol6(p provider.Provider) func() tfprotov6.ProviderServer {
	return func() tfprotov6.ProviderServer {
		framework, ok := providerserver.NewProtocol6(p)().(frameworkServer)
		if !ok {
			panic("terraform-plugin-framework's server no longer serves list resources, actions and state stores; update frameworkServer")
		}
		return releasingServer{framework}
	}
}

// frameworkServer is what the framework's server implements: tf6server
// asks for the parts outside ProviderServer by type assertion, so they must
// be embedded.
type frameworkServer interface {
	tfprotov6.ProviderServer
	tfprotov6.ListResourceServer
	tfprotov6.ActionServer
	tfprotov6.StateStoreServer
}

// releasingServer serves the RPCs Terraform sends per resource instance
// (thousands per command) with a requestContext. The others, sent once per
// process or returning a stream read after they return (ListResource,
// InvokeAction), keep the framework's behaviour.
type releasingServer struct {
	frameworkServer
}

// released is the context of every request once it has returned.
var released = func() context.Context {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	return ctx
}()

// requestContext is a request's context until release, then released.
type requestContext struct {
	current atomic.Pointer[context.Context]
}

func newRequestContext(ctx context.Context) *requestContext {
	c := &requestContext{}
	c.current.Store(&ctx)
	return c
}

func (c *requestContext) request() context.Context    { return *c.current.Load() }
func (c *requestContext) release()                    { c.current.Store(&released) }
func (c *requestContext) Deadline() (time.Time, bool) { return c.request().Deadline() }
func (c *requestContext) Done() <-chan struct{}       { return c.request().Done() }
func (c *requestContext) Err() error                  { return c.request().Err() }
func (c *requestContext) Value(key any) any           { return c.request().Value(key) }
func (c *requestContext) String() string              { return "provider.requestContext" }

// serve runs one RPC with a requestContext, released when it returns.
func serve[Req, Resp any](ctx context.Context, req Req, rpc func(context.Context, Req) (Resp, error)) (Resp, error) {
	c := newRequestContext(ctx)
	defer c.release()
	return rpc(c, req)
}

func (s releasingServer) ValidateResourceConfig(ctx context.Context, req *tfprotov6.ValidateResourceConfigRequest) (*tfprotov6.ValidateResourceConfigResponse, error) {
	return serve(ctx, req, s.frameworkServer.ValidateResourceConfig)
}

func (s releasingServer) UpgradeResourceState(ctx context.Context, req *tfprotov6.UpgradeResourceStateRequest) (*tfprotov6.UpgradeResourceStateResponse, error) {
	return serve(ctx, req, s.frameworkServer.UpgradeResourceState)
}

func (s releasingServer) UpgradeResourceIdentity(ctx context.Context, req *tfprotov6.UpgradeResourceIdentityRequest) (*tfprotov6.UpgradeResourceIdentityResponse, error) {
	return serve(ctx, req, s.frameworkServer.UpgradeResourceIdentity)
}

func (s releasingServer) ReadResource(ctx context.Context, req *tfprotov6.ReadResourceRequest) (*tfprotov6.ReadResourceResponse, error) {
	return serve(ctx, req, s.frameworkServer.ReadResource)
}

func (s releasingServer) PlanResourceChange(ctx context.Context, req *tfprotov6.PlanResourceChangeRequest) (*tfprotov6.PlanResourceChangeResponse, error) {
	return serve(ctx, req, s.frameworkServer.PlanResourceChange)
}

func (s releasingServer) ApplyResourceChange(ctx context.Context, req *tfprotov6.ApplyResourceChangeRequest) (*tfprotov6.ApplyResourceChangeResponse, error) {
	return serve(ctx, req, s.frameworkServer.ApplyResourceChange)
}

func (s releasingServer) ImportResourceState(ctx context.Context, req *tfprotov6.ImportResourceStateRequest) (*tfprotov6.ImportResourceStateResponse, error) {
	return serve(ctx, req, s.frameworkServer.ImportResourceState)
}

func (s releasingServer) ValidateDataResourceConfig(ctx context.Context, req *tfprotov6.ValidateDataResourceConfigRequest) (*tfprotov6.ValidateDataResourceConfigResponse, error) {
	return serve(ctx, req, s.frameworkServer.ValidateDataResourceConfig)
}

func (s releasingServer) ReadDataSource(ctx context.Context, req *tfprotov6.ReadDataSourceRequest) (*tfprotov6.ReadDataSourceResponse, error) {
	return serve(ctx, req, s.frameworkServer.ReadDataSource)
}

func (s releasingServer) OpenEphemeralResource(ctx context.Context, req *tfprotov6.OpenEphemeralResourceRequest) (*tfprotov6.OpenEphemeralResourceResponse, error) {
	return serve(ctx, req, s.frameworkServer.OpenEphemeralResource)
}

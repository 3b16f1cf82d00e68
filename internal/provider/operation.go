package provider

import (
	"context"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/diag"

	"github.com/ncp-community/terraform-provider-ncp/internal/ncpclient"
)

// operationTimeout is an operation's timeout as a timeouts block gives it,
// such as timeouts.Value.Read.
type operationTimeout func(ctx context.Context, defaultTimeout time.Duration) (time.Duration, diag.Diagnostics)

// startOperation returns the API client and ctx bounded by the operation's
// timeout; ok is false, with diags saying why, when the operation cannot
// run. The caller defers cancel once ok.
func (d *providerData) startOperation(ctx context.Context, timeout operationTimeout, defaultTimeout time.Duration, diags *diag.Diagnostics) (_ context.Context, cancel context.CancelFunc, _ *ncpclient.Client, ok bool) {
	client, clientDiags := d.apiClient()
	diags.Append(clientDiags...)
	limit, timeoutDiags := timeout(ctx, defaultTimeout)
	diags.Append(timeoutDiags...)
	if diags.HasError() {
		return ctx, func() {}, nil, false
	}
	ctx, cancel = context.WithTimeout(ctx, limit)
	return ctx, cancel, client, true
}

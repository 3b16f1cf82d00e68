package provider

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/diag"

	"github.com/ncp-community/terraform-provider-ncp/internal/ncpclient"
)

// operationTimeout is an operation's timeout as a timeouts block gives it,
// such as timeouts.Value.Read. Every operation that calls the API has one:
// resources, data sources, the list and ephemeral resources and the action.
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

// readTimeoutNote tells, in a data source's description, how long its read
// may take.
const readTimeoutNote = "Reading has a 5-minute deadline by default; set `timeouts { read = \"...\" }` to change it."

// timeoutDescription documents a timeouts block's one attribute: what it
// bounds, and its default.
func timeoutDescription(what string, defaultTimeout time.Duration) string {
	return fmt.Sprintf("How long %s may take, retries included, as a [duration](https://pkg.go.dev/time#ParseDuration) such as `\"30s\"` or `\"2m\"`; default `\"%s\"`.",
		what, shortDuration(defaultTimeout))
}

// shortDuration writes whole minutes as "5m" rather than "5m0s".
func shortDuration(d time.Duration) string {
	s := d.String()
	if strings.HasSuffix(s, "m0s") {
		s = strings.TrimSuffix(s, "0s")
	}
	return s
}

// waitFor waits for d, or until ctx ends with its error.
func waitFor(ctx context.Context, d time.Duration) error {
	timer := time.NewTimer(d)
	defer timer.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-timer.C:
		return nil
	}
}

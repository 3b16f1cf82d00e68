package provider

import (
	"context"
	"fmt"
	"regexp"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/schema/validator"

	"github.com/ncp-community/terraform-provider-ncp/internal/ncpclient"
)

// endpointValidator rejects, at plan time, endpoints the client would refuse.
type endpointValidator struct{}

var _ validator.String = endpointValidator{}

func (endpointValidator) Description(context.Context) string {
	return "must be an https URL, or an http URL of a loopback address"
}

func (v endpointValidator) MarkdownDescription(ctx context.Context) string {
	return v.Description(ctx)
}

func (endpointValidator) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	if err := ncpclient.ValidateEndpoint(req.ConfigValue.ValueString()); err != nil {
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid NCP API endpoint", err.Error())
	}
}

// regexValidator rejects values that are not RE2 regular expressions.
type regexValidator struct{}

var _ validator.String = regexValidator{}

func (regexValidator) Description(context.Context) string {
	return "must be a valid RE2 regular expression"
}

func (v regexValidator) MarkdownDescription(ctx context.Context) string {
	return v.Description(ctx)
}

func (regexValidator) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	if _, err := regexp.Compile(req.ConfigValue.ValueString()); err != nil {
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid regular expression",
			fmt.Sprintf("%q is not a valid RE2 regular expression: %s", req.ConfigValue.ValueString(), err))
	}
}

// minRequestTimeout is the shortest request timeout the provider accepts:
// shorter ones would cut off answers NCP is still sending.
const minRequestTimeout = time.Second

// parseRequestTimeout reads request_timeout or NCP_REQUEST_TIMEOUT; "" is
// the client's default.
func parseRequestTimeout(s string) (time.Duration, error) {
	if s == "" {
		return 0, nil
	}
	d, err := time.ParseDuration(s)
	if err != nil {
		return 0, fmt.Errorf("%q is not a duration such as \"30s\"", s)
	}
	if d < minRequestTimeout || d > ncpclient.MaxRequestTimeout {
		return 0, fmt.Errorf("%q is outside the accepted range, %s to %s", s, minRequestTimeout, ncpclient.MaxRequestTimeout)
	}
	return d, nil
}

// requestTimeoutValidator rejects, at plan time, request timeouts
// parseRequestTimeout would refuse.
type requestTimeoutValidator struct{}

var _ validator.String = requestTimeoutValidator{}

func (requestTimeoutValidator) Description(context.Context) string {
	return fmt.Sprintf("must be a duration from %s to %s", minRequestTimeout, ncpclient.MaxRequestTimeout)
}

func (v requestTimeoutValidator) MarkdownDescription(ctx context.Context) string {
	return v.Description(ctx)
}

func (requestTimeoutValidator) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	if _, err := parseRequestTimeout(req.ConfigValue.ValueString()); err != nil {
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid NCP request timeout", err.Error())
	}
}

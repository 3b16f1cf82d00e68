package provider

import (
	"context"
	"errors"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/diag"

	"github.com/ncp-community/terraform-provider-ncp/internal/ncpclient"
)

// addAPIError reports a failed API call as a diagnostic that says what failed
// (summary), the API's own answer, and what the user can do next, if
// anything can help.
func addAPIError(diags *diag.Diagnostics, summary string, err error) {
	detail := err.Error()
	if step := nextStep(err); step != "" {
		detail += "\n\n" + step
	}
	diags.AddError(summary, detail)
}

// nextStep suggests what to do about an API error: only what can help that
// failure. Running Terraform again helps only transient failures (5xx, lost
// or garbled answers, throttling), never a refusal or a missing item.
func nextStep(err error) string {
	var (
		ambiguous  *ncpclient.AmbiguousCreateError
		rejected   *ncpclient.CredentialsRejectedError
		waitAsked  *ncpclient.RetryAfterError
		apiErr     *ncpclient.Error
		unfinished *ncpclient.UnfinishedCreateError
	)
	switch {
	case errors.As(err, &ambiguous):
		return "No key was adopted, to avoid managing the wrong one or leaving a duplicate behind. Follow the instructions above before applying again."
	case errors.As(err, &rejected):
		return "" // the first rejection's error gives the advice, once
	case ncpclient.IsUnreachable(err):
		return "Check the provider's endpoint or site (or NCP_APIGW_ENDPOINT and NCLOUD_SITE), this machine's DNS, and any firewall or proxy " +
			"(HTTPS_PROXY) between it and NCP. A longer timeout does not help an endpoint that does not answer."
	case errors.As(err, &waitAsked):
		return "Run Terraform again once that wait is over."
	case errors.As(err, &unfinished):
		return "The key is recorded in state and marked tainted: the next apply replaces it."
	case errors.Is(err, context.DeadlineExceeded):
		return "The operation did not finish within its timeout while NCP kept failing (the last failure is above). " +
			"Run Terraform again later: changes already made are recorded in state. A timeouts block can give the operation longer."
	case ncpclient.IsAuth(err):
		return "Check the access key and secret key the provider uses and that they may manage API Gateway. " +
			"Signatures are valid for 5 minutes, so also check that this machine's clock is correct (NTP)."
	case ncpclient.IsWrongEndpoint(err):
		return "Set the provider's endpoint (or NCP_APIGW_ENDPOINT) to the API's base URL, or remove it to use the site's. Nothing was removed from state."
	case ncpclient.IsThrottled(err):
		return "NCP kept throttling the requests. Apply again later, or lower the number of concurrent operations with -parallelism."
	case ncpclient.IsNotFound(err):
		return "NCP has no such item: check the ID in the configuration."
	case errors.As(err, &apiErr) && apiErr.StatusCode >= 400 && apiErr.StatusCode < 500:
		return "Running Terraform again unchanged would fail the same way: correct what the error above names."
	default:
		return "Apply again to retry. If the error persists, run with TF_LOG=debug to see each request (secrets and key values are redacted)."
	}
}

// keyLabel names a key in messages by its name and, once known, its id.
func keyLabel(name, id string) string {
	if id == "" {
		return fmt.Sprintf("%q", name)
	}
	return fmt.Sprintf("%q (id %s)", name, id)
}

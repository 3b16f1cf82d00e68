package provider

import (
	"context"
	"errors"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/diag"

	"github.com/ncp-community/terraform-provider-ncp/internal/ncpclient"
)

// addAPIError reports a failed API call as a diagnostic that says what failed
// (summary), the API's own answer, and what the user can do next.
func addAPIError(diags *diag.Diagnostics, summary string, err error) {
	diags.AddError(summary, err.Error()+"\n\n"+nextStep(err))
}

// nextStep suggests what to do about an API error.
func nextStep(err error) string {
	var ambiguous *ncpclient.AmbiguousCreateError
	var unfinished *ncpclient.UnfinishedCreateError
	switch {
	case errors.As(err, &ambiguous):
		return "No key was adopted, to avoid managing the wrong one or leaving a duplicate behind. Follow the instructions above before applying again."
	case errors.As(err, &unfinished):
		return "The key is recorded in state and marked tainted: the next apply replaces it."
	case errors.Is(err, context.DeadlineExceeded):
		return "The operation did not finish within its timeout. Raise it in the resource's timeouts block, or apply again: keys already changed are recorded in state."
	case ncpclient.IsAuth(err):
		return "Check the access key and secret key the provider uses and that they may manage API Gateway. " +
			"Signatures are valid for 5 minutes, so also check that this machine's clock is correct (NTP)."
	case ncpclient.IsThrottled(err):
		return "NCP kept throttling the requests. Apply again later, or lower the number of concurrent operations with -parallelism."
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

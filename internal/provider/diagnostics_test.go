package provider

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/ncp-community/terraform-provider-ncp/internal/acctest"
	"github.com/ncp-community/terraform-provider-ncp/internal/emulator"
	"github.com/ncp-community/terraform-provider-ncp/internal/ncpclient"
)

// TestNextStepFitsTheFailure: running Terraform again is advised only
// where it can help.
func TestNextStepFitsTheFailure(t *testing.T) {
	apiErr := func(status int, code string) error {
		return &ncpclient.Error{StatusCode: status, Code: code, Message: "m", Method: "GET", Path: "/api/v1/api-keys/1"}
	}
	// Only the client makes NCP's 404 proof that a key is gone (see its
	// evidence.go), so that one comes from the emulator.
	_, missing := acctest.NewEnv(t, emulator.Config{}).Client.GetAPIKey(context.Background(), "nosuchkey")
	for _, tt := range []struct {
		name      string
		err       error
		want, not string
	}{
		{"NCP's 404", missing, "check the ID", "again"},
		{"NCP's 404, unproven", apiErr(404, "300"), "would fail the same way", "Apply again"},
		{"NCP's 400", apiErr(400, "100"), "would fail the same way", "Apply again"},
		{"a proxy's 404", &ncpclient.Error{StatusCode: 404, Excerpt: "Not Found"}, "would fail the same way", "Apply again"},
		{"NCP's 503", apiErr(503, "500"), "Apply again to retry", ""},
		{"NCP's 500", apiErr(500, "900"), "Apply again to retry", ""},
		{"throttled", apiErr(429, "410"), "Apply again later", ""},
		{"401", apiErr(401, "200"), "Check the access key and secret key", "Apply again"},
		{"deadline after a 503", fmt.Errorf("%w (giving up: %w)", apiErr(503, "500"), context.DeadlineExceeded), "did not finish within its timeout", ""},
	} {
		got := nextStep(tt.err)
		if !strings.Contains(got, tt.want) || (tt.not != "" && strings.Contains(got, tt.not)) {
			t.Errorf("%s: next step %q, want it to say %q and not %q", tt.name, got, tt.want, tt.not)
		}
	}
}

package provider

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/diag"

	"github.com/ncp-community/terraform-provider-ncp/internal/acctest"
	"github.com/ncp-community/terraform-provider-ncp/internal/emulator"
	"github.com/ncp-community/terraform-provider-ncp/internal/ncpclient"
)

func TestSplitIDs(t *testing.T) {
	for _, tc := range []struct {
		id            string
		first, second string
		ok            bool
	}{
		{"a1b2c3d4e5/prod000001", "a1b2c3d4e5", "prod000001", true},
		{"a1b2c3d4e5", "", "", false},
		{"a/b/c", "", "", false},
		{"/prod000001", "", "", false},
		{"a1b2c3d4e5/", "", "", false},
		{"a b/c", "", "", false},
	} {
		first, second, ok := splitIDs(tc.id)
		if ok != tc.ok || (ok && (first != tc.first || second != tc.second)) {
			t.Errorf("splitIDs(%q) = %q, %q, %v; want %q, %q, %v", tc.id, first, second, ok, tc.first, tc.second, tc.ok)
		}
	}
	if got := joinIDs("a", "b"); got != "a/b" {
		t.Errorf("joinIDs = %q", got)
	}
}

// TestAddSwappedImportError: only an object found under the IDs in the
// other order gets the error naming that order; NCP's "not found", a read
// that failed otherwise, and nothing found leave Terraform's own error.
func TestAddSwappedImportError(t *testing.T) {
	env := acctest.NewEnv(t, emulator.Config{})
	env.NeedsEmulator(t)
	_, notFound := env.Client.GetAPIKey(t.Context(), "missing")
	if !ncpclient.IsNotFound(notFound) {
		t.Fatalf("GetAPIKey(missing) = %v, want NCP's not found", notFound)
	}
	for _, tc := range []struct {
		name  string
		found bool
		err   error
	}{
		{"found", true, nil},
		{"nothing", false, nil},
		{"not found", false, notFound},
		{"failed", false, errors.New("connection reset")},
	} {
		var asked []string
		exists := func(_ context.Context, first, second string) (bool, error) {
			asked = append(asked, first, second)
			return tc.found, tc.err
		}
		var diags diag.Diagnostics
		added := subscriptionID.addSwappedImportError(t.Context(), &diags, "no subscription", "prod000001", "a1b2c3d4e5", exists)
		if !slices.Equal(asked, []string{"a1b2c3d4e5", "prod000001"}) {
			t.Errorf("%s: looked under %v, want the IDs swapped", tc.name, asked)
		}
		if added != tc.found || diags.HasError() != tc.found {
			t.Errorf("%s: added %t, diagnostics %v; want an error %t", tc.name, added, diags, tc.found)
		}
		if tc.found && !strings.Contains(diags[0].Detail(), "terraform import ncp_apigw_api_key_subscription.<name> a1b2c3d4e5/prod000001") {
			t.Errorf("%s: %q does not give the import command in the right order", tc.name, diags[0].Detail())
		}
	}
}

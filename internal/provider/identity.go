package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
)

// setIdentity records a resource's identity (Terraform 1.12 and later) as
// value, a struct of the resource's identity attributes. Create, Read,
// Update and ImportState set it every time: Terraform before 1.12 neither
// sends nor keeps identities, and the framework rejects a response to a
// CLI that does keep them without one.
func setIdentity(ctx context.Context, identity *tfsdk.ResourceIdentity, value any) diag.Diagnostics {
	if identity == nil {
		return nil
	}
	return identity.Set(ctx, value)
}

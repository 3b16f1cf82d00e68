package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/diag"
)

// privateKeyImported marks, in private state, a key imported and not applied
// since. NCP does not store rotate_trigger, so an import cannot read it back:
// the first apply after an import adopts the configured trigger instead of
// rotating the key.
const privateKeyImported = "imported"

func markImported(ctx context.Context, private privateStateWriter) diag.Diagnostics {
	return private.SetKey(ctx, privateKeyImported, []byte("true"))
}

// adoptsImportedTrigger reports whether the plan adopts the configured
// trigger as if state had recorded it.
func adoptsImportedTrigger(ctx context.Context, private privateState) (bool, diag.Diagnostics) {
	imported, diags := private.GetKey(ctx, privateKeyImported)
	return len(imported) > 0, diags
}

// forgetImport ends the adoption once an apply has recorded the trigger.
func forgetImport(ctx context.Context, private privateStateWriter) diag.Diagnostics {
	return private.SetKey(ctx, privateKeyImported, nil)
}

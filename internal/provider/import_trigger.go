package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/diag"
)

// NCP does not store rotate_trigger, so an import cannot read it back: state
// has none, and a configured trigger would look new and rotate the key on the
// first apply after the import. Instead, the first apply that records a
// trigger after an import adopts it without rotating. A trigger that changes
// after that rotates.
//
// The import marks the key in private state; only an Update ends the mark:
// the apply that records the trigger, or any apply that changes the key
// (which then holds the configured trigger, or none). A refresh ends
// nothing: Terraform calls Read alike in `terraform plan`, in
// `terraform apply -refresh-only` and in the refresh of an apply, and an
// apply that changes nothing calls the provider only for that refresh and a
// plan whose private state it throws away, so the provider cannot tell such
// an apply from the others. A trigger first set after imports, refreshes and
// applies that changed nothing is therefore adopted too (see the import
// section of the resource's docs).

// privateKeyImported marks, in private state, a key imported and not updated
// since. Earlier versions stored "true", then {"refreshes": n}; any value
// marks the key.
const privateKeyImported = "imported"

var importMark = []byte(`true`)

func markImported(ctx context.Context, private privateStateWriter) diag.Diagnostics {
	return private.SetKey(ctx, privateKeyImported, importMark)
}

// adoptsImportedTrigger reports whether the plan adopts the configured
// trigger as if state had recorded it: the key was imported and has not been
// updated since.
func adoptsImportedTrigger(ctx context.Context, private privateState) (bool, diag.Diagnostics) {
	raw, diags := private.GetKey(ctx, privateKeyImported)
	return len(raw) > 0, diags
}

// forgetImport ends the adoption: Update's part.
func forgetImport(ctx context.Context, private privateStateWriter) diag.Diagnostics {
	return private.SetKey(ctx, privateKeyImported, nil)
}

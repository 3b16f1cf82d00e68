package provider

import (
	"context"
	"encoding/json"

	"github.com/hashicorp/terraform-plugin-framework/diag"
)

// NCP does not store rotate_trigger, so an import cannot read it back: state
// has none, and a configured trigger would look new and rotate the key on the
// first apply after the import. Instead, that apply records the trigger
// without rotating. A trigger added in any later apply rotates.
//
// Terraform calls the provider in no apply that changes nothing, and keeps
// the private state that the refresh (Read) returned. So "the first apply
// after the import" is counted in refreshes that Terraform keeps:
//
//   - the import's own read (its prior state holds only the ID) marks the
//     key imported, with no refresh counted;
//   - a refresh counts one: the first apply after a `terraform import` sees
//     one, and adopts the trigger;
//   - the next refresh ends the adoption, so a trigger added in any later
//     apply rotates;
//   - an apply that records the trigger (Update) ends it at once.
//
// An import block imports and plans in one apply, which adopts a configured
// trigger. When that configuration has no trigger, its apply changes nothing
// and Terraform keeps the import's read, so the apply after it still adopts
// a trigger added then (see the import section of the resource's docs).

// privateKeyImported holds, in private state, the refreshes counted since an
// import, as {"refreshes": n}.
const privateKeyImported = "imported"

type importRecord struct {
	Refreshes int `json:"refreshes"`
}

func markImported(ctx context.Context, private privateStateWriter) diag.Diagnostics {
	return writeImportRecord(ctx, private, importRecord{})
}

func writeImportRecord(ctx context.Context, private privateStateWriter, record importRecord) diag.Diagnostics {
	raw, _ := json.Marshal(record) // a struct of an int always marshals
	return private.SetKey(ctx, privateKeyImported, raw)
}

// readImportRecord returns the record, and whether there is one.
func readImportRecord(ctx context.Context, private privateState) (importRecord, bool, diag.Diagnostics) {
	raw, diags := private.GetKey(ctx, privateKeyImported)
	if len(raw) == 0 {
		return importRecord{}, false, diags
	}
	var record importRecord
	if json.Unmarshal(raw, &record) != nil {
		// Earlier versions stored "true": a key imported, not applied since.
		return importRecord{}, true, diags
	}
	return record, true, diags
}

// countRefresh is Read's part: a refresh of an imported key (not the
// import's own read) counts one, and the second one ends the adoption.
func countRefresh(ctx context.Context, private privateState, out privateStateWriter, importRead bool) diag.Diagnostics {
	record, imported, diags := readImportRecord(ctx, private)
	if !imported || importRead {
		return diags
	}
	if record.Refreshes >= 1 {
		return append(diags, forgetImport(ctx, out)...)
	}
	record.Refreshes++
	return append(diags, writeImportRecord(ctx, out, record)...)
}

// adoptsImportedTrigger reports whether the plan adopts the configured
// trigger as if state had recorded it.
func adoptsImportedTrigger(ctx context.Context, private privateState) (bool, diag.Diagnostics) {
	_, imported, diags := readImportRecord(ctx, private)
	return imported, diags
}

// forgetImport ends the adoption.
func forgetImport(ctx context.Context, private privateStateWriter) diag.Diagnostics {
	return private.SetKey(ctx, privateKeyImported, nil)
}

package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/ncp-community/terraform-provider-ncp/internal/ncpclient"
)

// refreshKey is what a refresh learns of the key in state: the key as the
// API describes it, key values included when state keeps them and they may
// have changed. It is served from the process's listing of the account's
// keys (contributing/performance.md, "Refresh"): a listed key whose row
// matches state needs no request of its own, nor does any listed key when
// state keeps no key values. Every other key is read by its own GET, and
// only that GET can say the key is gone (ncpclient.IsNotFound): a key
// missing from the listing may have been created or moved while listing.
// A key that must be read (an import's read, since state has no values yet,
// or a key whose state may not hold its live values: see markUnverified)
// always GETs.
func (d *providerData) refreshKey(ctx context.Context, client *ncpclient.Client, state apiKeyResourceModel, mustRead bool) (*ncpclient.APIKey, error) {
	id := state.ID.ValueString()
	if !mustRead && d.keys != nil {
		row, listed, err := d.keys.Lookup(ctx, id)
		if err != nil {
			return nil, err
		}
		switch {
		case listed && !state.storesKeyValues():
			tflog.Debug(ctx, "refreshed API key from the account listing", map[string]any{"id": id})
			return &row, nil
		case listed && rowMatchesState(row, state) && hasKeyValues(state):
			tflog.Debug(ctx, "API key unchanged in the account listing", map[string]any{"id": id})
			return &row, nil
		case !listed:
			stats := d.keys.Stats()
			tflog.Debug(ctx, "API key not served by the account listing; reading it", map[string]any{
				"id": id, "pages": stats.Pages, "rows": stats.Rows, "complete": stats.Complete, "listing_failed": stats.Failed != nil,
			})
		}
	}
	return client.GetAPIKey(ctx, id)
}

// rowMatchesState reports whether a listed key is the one state recorded:
// the same last write (modTime and modifier, which NCP sets on every write)
// and the same name, description and enabled flag. Such a key's values are
// the ones state holds, as long as a regenerate sets modTime and modifier
// too (see contributing/reliability.md, "Refresh").
func rowMatchesState(row ncpclient.APIKey, state apiKeyResourceModel) bool {
	return state.ModTime.ValueString() == row.ModTime &&
		state.Modifier.ValueString() == row.Modifier &&
		state.Name.ValueString() == row.Name &&
		state.Description.ValueString() == row.Description &&
		!state.Enabled.IsNull() && state.Enabled.ValueBool() == row.Enabled
}

// hasKeyValues reports whether state holds both key values.
func hasKeyValues(state apiKeyResourceModel) bool {
	return !state.PrimaryKey.IsNull() && !state.PrimaryKey.IsUnknown() &&
		!state.SecondaryKey.IsNull() && !state.SecondaryKey.IsUnknown()
}

// privateKeyUnverified marks, in private state, a key whose state keeps
// planned values that the API's answer contradicted (plannedResult): the
// key's listed row then describes the answer's write, so a row that matches
// state says nothing of the key values state holds.
const privateKeyUnverified = "unverified"

func markUnverified(ctx context.Context, private privateStateWriter) diag.Diagnostics {
	return private.SetKey(ctx, privateKeyUnverified, []byte(`true`))
}

// isUnverified reports whether the next refresh must read the key by GET.
func isUnverified(ctx context.Context, private privateState) (bool, diag.Diagnostics) {
	raw, diags := private.GetKey(ctx, privateKeyUnverified)
	return len(raw) > 0, diags
}

// markVerified ends the mark once a GET has recorded the live key.
func markVerified(ctx context.Context, private privateStateWriter) diag.Diagnostics {
	return private.SetKey(ctx, privateKeyUnverified, nil)
}

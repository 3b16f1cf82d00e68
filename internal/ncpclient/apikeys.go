package ncpclient

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
)

const apiKeysPath = "api-keys"

var errEmptyID = errors.New("the API key ID is empty")

// CreateAPIKey creates a key, named, described and enabled or not as in
// says; the result holds both key values. It costs two requests: the
// create, whose description is a marker unique to it (see "Ours" in
// evidence.go), and one edit that gives the key in's description and
// enabled flag (the API's create takes no enabled flag).
//
// A create is retried without a check only when NCP refused it (see "Not
// created" in evidence.go). When its outcome is unknown (any 5xx, a 4xx
// that is not NCP's, a connection lost after the request was written, an
// undecodable success, a timeout, the caller's context ending), the keys of
// that name are listed, and those carrying the marker are the ones it made:
// one is kept, any others are deleted; none means the create may be
// retried, with the same marker. When the list fails, nothing is adopted:
// see AmbiguousCreateError. When the edit, or the deletion of extra keys,
// fails for good, the key is returned with an *UnfinishedCreateError.
func (c *Client) CreateAPIKey(ctx context.Context, in CreateAPIKeyInput) (*APIKey, error) {
	marker, err := newCreateMarker()
	if err != nil {
		return nil, err
	}
	body, err := json.Marshal(struct {
		Name        string `json:"apiKeyName"`
		Description string `json:"apiKeyDescription"`
	}{in.Name, marker})
	if err != nil {
		return nil, err
	}
	var made *APIKey
	rec := reconciler{c: c, name: in.Name, marker: marker}
	cl := &call{
		method: http.MethodPost,
		url:    c.target(nil, apiKeysPath),
		body:   body,
		decode: func(b []byte) (err error) {
			made, err = decodeWrappedKey(b)
			return err
		},
		onAmbiguous: func(ctx context.Context, cause error) (bool, error) {
			found, err := rec.reconcile(ctx, cause)
			if found != nil {
				made = found
			}
			return found != nil, err
		},
	}
	if err := c.do(ctx, cl); err != nil {
		return nil, err
	}
	return c.finishCreate(ctx, in, made, marker, rec.extras)
}

// finishCreate gives the key made the caller's description and enabled
// flag, which also replaces its marker, then deletes the extra keys the
// create made. The edit runs even if the caller's context has ended (for
// reconcileGrace more), so that a key is not left with its marker.
func (c *Client) finishCreate(ctx context.Context, in CreateAPIKeyInput, made *APIKey, marker string, extras []APIKey) (*APIKey, error) {
	ctx, cancel := withGrace(ctx, reconcileGrace)
	defer cancel()
	key, err := c.UpdateAPIKey(ctx, made.ID, UpdateAPIKeyInput{Enabled: in.Enabled, Name: in.Name, Description: in.Description})
	if err != nil {
		return made, &UnfinishedCreateError{Key: made, Marker: marker, Err: err}
	}
	var failed []string
	var errs []error
	for _, k := range extras {
		if err := c.DeleteAPIKey(ctx, k.ID); err != nil {
			failed = append(failed, k.ID)
			errs = append(errs, err)
		}
	}
	if len(failed) > 0 {
		return key, &UnfinishedCreateError{Key: key, Marker: marker, Edited: true, Extras: failed, Err: errors.Join(errs...)}
	}
	if len(extras) > 0 {
		c.debug(ctx, "NCP API deleted the extra keys a lost create made", map[string]any{"api_key_name": in.Name, "deleted": len(extras)})
	}
	return key, nil
}

// GetAPIKey reads one key, key values included. The API documents the key
// unwrapped at the top level; a {"apiKey": {...}} body is accepted too.
func (c *Client) GetAPIKey(ctx context.Context, id string) (*APIKey, error) {
	if id == "" {
		return nil, errEmptyID
	}
	var key *APIKey
	cl := &call{
		method: http.MethodGet,
		url:    c.target(nil, apiKeysPath, id),
		decode: func(b []byte) (err error) {
			key, err = decodeKey(b)
			return err
		},
	}
	if err := c.do(ctx, cl); err != nil {
		return nil, err
	}
	return key, nil
}

// ListAPIKeys reads one page of keys, without key values. A zero Limit asks
// for the client's page size; the server may return fewer keys than asked.
// The Name filter is the server's, which may match partially.
func (c *Client) ListAPIKeys(ctx context.Context, in ListAPIKeysInput) (*APIKeyPage, error) {
	if in.Offset < 0 || in.Limit < 0 {
		return nil, fmt.Errorf("listing API keys: offset %d and limit %d must not be negative", in.Offset, in.Limit)
	}
	if in.Limit == 0 {
		in.Limit = c.pageSize
	}
	q := url.Values{}
	q.Set("offset", strconv.FormatInt(in.Offset, 10))
	q.Set("limit", strconv.FormatInt(in.Limit, 10))
	if in.Name != "" {
		q.Set("apiKeyName", in.Name)
	}
	var page *APIKeyPage
	cl := &call{
		method:  http.MethodGet,
		url:     c.target(q, apiKeysPath),
		keyList: true,
		decode: func(b []byte) (err error) {
			page, err = decodePage(b)
			return err
		},
	}
	if err := c.do(ctx, cl); err != nil {
		return nil, err
	}
	c.endpoint.proven.Store(true) // a page: see proveEndpoint
	return page, nil
}

// ListAllAPIKeys reads every key whose name passes the server's filter (all
// keys for an empty name). Since the server may cap the page size silently,
// it pages by what it got: the next offset is the previous one plus the
// page's length, until total keys were read or a page is empty, whichever
// comes first (only an empty page when the answers report no total). A key
// that moves between pages while listing is returned once.
func (c *Client) ListAllAPIKeys(ctx context.Context, name string) ([]APIKey, error) {
	keys, err := c.listAll(ctx, name)
	if err != nil {
		return nil, err
	}
	return keys, nil
}

// listAll is ListAllAPIKeys, also returning the keys read before a page
// failed.
func (c *Client) listAll(ctx context.Context, name string) ([]APIKey, error) {
	return collect(c.APIKeyPages(ctx, name), nil)
}

// UpdateAPIKey replaces a key's name, description and enabled flag. The API
// takes the whole object, so every field of in is sent.
func (c *Client) UpdateAPIKey(ctx context.Context, id string, in UpdateAPIKeyInput) (*APIKey, error) {
	if id == "" {
		return nil, errEmptyID
	}
	return c.writeKey(ctx, http.MethodPut, id, in)
}

// RegenerateAPIKey replaces the primary or secondary key value.
//
// A regenerate whose outcome is unknown (connection lost after the request
// was sent, undecodable success body, HTTP 502/503/504, attempt timeout) is
// retried: the caller wants a fresh key either way, and the answer to the
// last, successful attempt holds the values that are live. When every attempt
// fails, an earlier one may still have taken effect: callers that keep the
// key values should read the key back (the provider does).
func (c *Client) RegenerateAPIKey(ctx context.Context, id string, kt KeyType) (*APIKey, error) {
	if id == "" {
		return nil, errEmptyID
	}
	if kt != KeyTypePrimary && kt != KeyTypeSecondary {
		return nil, fmt.Errorf("regenerating API key %s: key type %q is neither %s nor %s", id, kt, KeyTypePrimary, KeyTypeSecondary)
	}
	return c.writeKey(ctx, http.MethodPatch, id, struct {
		KeyType KeyType `json:"keyType"`
	}{kt})
}

// writeKey sends payload to change the key id; the API answers with the
// whole key, wrapped in {"apiKey": ...}.
func (c *Client) writeKey(ctx context.Context, method, id string, payload any) (*APIKey, error) {
	body, err := json.Marshal(payload)
	if err != nil {
		return nil, err
	}
	var key *APIKey
	cl := &call{
		method: method,
		url:    c.target(nil, apiKeysPath, id),
		body:   body,
		decode: func(b []byte) (err error) {
			key, err = decodeWrappedKey(b)
			return err
		},
	}
	// Marked before the write too: an unknown outcome may have changed the
	// key.
	c.listings.wrote(id)
	if err := c.do(ctx, cl); err != nil {
		return nil, err
	}
	return key, nil
}

// DeleteAPIKey deletes a key and reads it back: the delete is done when NCP
// says the key is not found (see removeConfirmed). A key that NCP says is
// gone is not an error, which also makes a retry after a lost answer
// succeed; a 404 page that did not come from NCP is. A delete costs two
// requests: the delete and the read that confirms it.
func (c *Client) DeleteAPIKey(ctx context.Context, id string) error {
	if id == "" {
		return errEmptyID
	}
	c.listings.wrote(id)
	return c.removeConfirmed(ctx, "deleting API key "+id,
		func(ctx context.Context) (bool, error) {
			err := c.do(ctx, &call{
				method: http.MethodDelete,
				url:    c.target(nil, apiKeysPath, id),
				decode: decodeDeleted,
			})
			if IsNotFound(err) {
				return true, nil
			}
			return false, err
		},
		func(ctx context.Context) (bool, error) {
			_, err := c.GetAPIKey(ctx, id)
			if IsNotFound(err) {
				return true, nil
			}
			return false, err
		})
}

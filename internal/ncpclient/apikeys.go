package ncpclient

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"time"
)

const apiKeysPath = "api-keys"

var errEmptyID = errors.New("the API key ID is empty")

// CreateAPIKey creates a key; the result holds both key values.
//
// A create is retried blindly only when the request certainly did not reach
// the server (HTTP 429, or no connection). When the outcome is unknown
// (HTTP 502/503/504, a connection lost after the request was sent, an
// undecodable success body, a timeout, the caller's context ending) the
// client looks for the key by name before trying again; see
// AmbiguousCreateError. Creates of one name run one at a time.
func (c *Client) CreateAPIKey(ctx context.Context, in CreateAPIKeyInput) (*APIKey, error) {
	body, err := json.Marshal(in)
	if err != nil {
		return nil, err
	}
	unlock, err := c.creating.lock(ctx, in.Name)
	if err != nil {
		return nil, fmt.Errorf("creating API key %q: waiting for another create of that name: %w", in.Name, err)
	}
	defer unlock()

	var key *APIKey
	rec := reconciler{c: c, name: in.Name}
	cl := &call{
		method: http.MethodPost,
		url:    c.target(nil, apiKeysPath),
		body:   body,
		decode: func(b []byte) (err error) {
			if key, err = decodeWrappedKey(b); err == nil {
				c.modifier.learn(key.Modifier)
			}
			return err
		},
		onAmbiguous: func(ctx context.Context, started time.Time, cause error) (bool, error) {
			found, err := rec.reconcile(ctx, started, cause)
			if found != nil {
				key = found
			}
			return found != nil, err
		},
	}
	if err := c.do(ctx, cl); err != nil {
		return nil, err
	}
	c.seen.add(key.ID)
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
	c.seen.add(key.ID)
	return key, nil
}

// ListAPIKeys reads one page of keys, without key values. A zero Limit asks
// for the client's page size; the server may return fewer keys than asked.
// The Name filter is the server's, which may match partially.
func (c *Client) ListAPIKeys(ctx context.Context, in ListAPIKeysInput) (*APIKeyPage, error) {
	page, _, err := c.listPage(ctx, in)
	return page, err
}

// listPage is ListAPIKeys, also returning the server's clock as the answer
// told it.
func (c *Client) listPage(ctx context.Context, in ListAPIKeysInput) (*APIKeyPage, clockReading, error) {
	if in.Offset < 0 || in.Limit < 0 {
		return nil, clockReading{}, fmt.Errorf("listing API keys: offset %d and limit %d must not be negative", in.Offset, in.Limit)
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
		return nil, clockReading{}, err
	}
	c.endpoint.proven.Store(true) // a page: see proveEndpoint
	return page, cl.answered, nil
}

// ListAllAPIKeys reads every key whose name passes the server's filter (all
// keys for an empty name). Since the server may cap the page size silently,
// it pages by what it got: the next offset is the previous one plus the
// page's length, until total keys were read or a page is empty, whichever
// comes first (only an empty page when the answers report no total). A key
// that moves between pages while listing is returned once.
func (c *Client) ListAllAPIKeys(ctx context.Context, name string) ([]APIKey, error) {
	keys, _, err := c.listAll(ctx, name)
	return keys, err
}

// listAll is ListAllAPIKeys, also returning the server's clock as the last
// page's answer told it.
func (c *Client) listAll(ctx context.Context, name string) ([]APIKey, clockReading, error) {
	var reading clockReading
	keys, err := collect(c.keyPages(ctx, name, &reading), nil)
	if err != nil {
		return nil, clockReading{}, err
	}
	return keys, reading, nil
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
	c.seen.add(key.ID)
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

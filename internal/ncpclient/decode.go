package ncpclient

import (
	"bytes"
	"encoding/json"
	"errors"
)

// decodeWrappedKey decodes the {"apiKey": {...}} answer of create, edit and
// regenerate.
func decodeWrappedKey(body []byte) (*APIKey, error) {
	var w struct {
		APIKey *APIKey `json:"apiKey"`
	}
	if err := json.Unmarshal(body, &w); err != nil {
		return nil, err
	}
	if w.APIKey == nil || w.APIKey.ID == "" {
		return nil, errors.New(`no "apiKey" object with an "apiKeyId"`)
	}
	return w.APIKey, nil
}

// decodeKey decodes the answer of a view-one: the key unwrapped, as
// documented, or wrapped like the other answers.
func decodeKey(body []byte) (*APIKey, error) {
	var v struct {
		APIKey
		Wrapped *APIKey `json:"apiKey"`
	}
	if err := json.Unmarshal(body, &v); err != nil {
		return nil, err
	}
	key := &v.APIKey
	if v.Wrapped != nil {
		key = v.Wrapped
	}
	if key.ID == "" {
		return nil, errors.New(`no "apiKeyId"`)
	}
	return key, nil
}

// decodePage decodes a list answer. A body without the list "apiKeys" (null,
// {}, {"total": 3}, another object) is not a page: taken for an empty one,
// it would hide keys, and make a lost create's reconciliation create a
// duplicate. "total" is optional: without it the list is paged until an
// empty page.
func decodePage(body []byte) (*APIKeyPage, error) {
	var p struct {
		APIKeys      *[]APIKey `json:"apiKeys"`
		Total        *int64    `json:"total"`
		InitialCount int64     `json:"initialCount"`
	}
	if err := json.Unmarshal(body, &p); err != nil {
		return nil, err
	}
	if p.APIKeys == nil {
		return nil, errors.New(`no "apiKeys" list`)
	}
	page := &APIKeyPage{APIKeys: *p.APIKeys, InitialCount: p.InitialCount, totalReported: p.Total != nil}
	if p.Total != nil {
		page.Total = *p.Total
	}
	return page, nil
}

// decodeDeleted checks the answer of a delete, or of a write of
// subscriptions, whose body is not documented: none, or any JSON, may be
// NCP's (removals are then confirmed by a read: see removeConfirmed).
// Anything else, such as a proxy's HTML page or cut-off JSON, did not come
// from the API, which may never have seen the request; the request is then
// retried, and a retry of a delete that did happen finds the key gone.
func decodeDeleted(body []byte) error {
	if len(bytes.TrimSpace(body)) == 0 || json.Valid(body) {
		return nil
	}
	return errors.New("the body is neither empty nor JSON")
}

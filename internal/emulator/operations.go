package emulator

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// The documented limits of the API, counted in characters (runes).
const (
	maxNameLen        = 20
	maxDescriptionLen = 50
	defaultPageLimit  = 10      // when a list names no limit
	maxBodyBytes      = 1 << 20 // larger bodies get 413, as from the real gateway
)

// response is an answer not yet written, so that a fault can still replace
// or cut it after the operation has run.
type response struct {
	status      int
	contentType string
	header      http.Header // extra headers, such as Allow
	body        []byte
}

func (resp response) write(w http.ResponseWriter) {
	for name, values := range resp.header {
		w.Header()[name] = values
	}
	if resp.contentType != "" {
		w.Header().Set("Content-Type", resp.contentType)
	}
	w.WriteHeader(resp.status)
	if len(resp.body) > 0 {
		w.Write(resp.body) // an error means the client has gone: nothing to do
	}
}

// jsonResponse encodes v, which is always one of this package's wire types.
func jsonResponse(status int, v any) response {
	body, err := json.Marshal(v)
	if err != nil {
		panic("emulator: encoding a response: " + err.Error())
	}
	return response{status: status, contentType: "application/json", body: body}
}

// errorBody is NCP's error envelope: {"error":{"errorCode":"300","message":"..."}}.
type errorBody struct {
	Error errorDetail `json:"error"`
}

type errorDetail struct {
	Code    string `json:"errorCode"`
	Message string `json:"message"`
}

func apiError(status int, code, message string) response {
	return jsonResponse(status, errorBody{errorDetail{Code: code, Message: message}})
}

var (
	errNotFound   = apiError(http.StatusNotFound, "300", "Not Found Exception")
	errAuthFailed = apiError(http.StatusUnauthorized, "200", "Authentication Failed")
	errThrottled  = apiError(http.StatusTooManyRequests, "410", "Throttle Limited")
	errTooLarge   = apiError(http.StatusRequestEntityTooLarge, "430", "Request Entity Too Large")
)

// badRequest is NCP's 400, with what was wrong appended to its message.
func badRequest(err error) response {
	return apiError(http.StatusBadRequest, "100", "Bad Request Exception: "+err.Error())
}

// methodNotAllowed answers a method the path does not have. NCP documents no
// code for it; 100 (bad request) is the nearest.
func methodNotAllowed(allow string) response {
	resp := apiError(http.StatusMethodNotAllowed, "100", "Method Not Allowed")
	resp.header = http.Header{"Allow": {allow}}
	return resp
}

// keyEnvelope is the answer of create, edit and regenerate.
type keyEnvelope struct {
	APIKey Key `json:"apiKey"`
}

// keySummary is a key as the list shows it: without the key values, whose
// fields are absent rather than empty.
type keySummary struct {
	ID          string    `json:"apiKeyId"`
	TenantID    string    `json:"tenantId"`
	Name        string    `json:"apiKeyName"`
	Description string    `json:"apiKeyDescription"`
	Modifier    string    `json:"modifier"`
	Enabled     bool      `json:"isEnabled"`
	ModTime     time.Time `json:"modTime"`
	DomainCode  string    `json:"domainCode"`
}

func summarize(k *Key) keySummary {
	return keySummary{
		ID:          k.ID,
		TenantID:    k.TenantID,
		Name:        k.Name,
		Description: k.Description,
		Modifier:    k.Modifier,
		Enabled:     k.Enabled,
		ModTime:     k.ModTime,
		DomainCode:  k.DomainCode,
	}
}

// keyPage is the answer of list.
type keyPage struct {
	APIKeys      []keySummary `json:"apiKeys"`
	Total        int          `json:"total"`
	InitialCount int          `json:"initialCount"`
}

var errBodyTooLarge = errors.New("request body too large")

// readBody reads the body, stopping one byte past maxBodyBytes so that
// decodeBody can tell an oversized body without reading all of it.
func readBody(r *http.Request) ([]byte, error) {
	return io.ReadAll(io.LimitReader(r.Body, maxBodyBytes+1))
}

// decodeBody reads a JSON object into v. Unknown fields are ignored, as the
// real API does; anything but an object is an error.
func decodeBody(data []byte, v any) error {
	if len(data) > maxBodyBytes {
		return errBodyTooLarge
	}
	if !bytes.HasPrefix(bytes.TrimSpace(data), []byte("{")) {
		return errors.New("body must be a JSON object")
	}
	if err := json.Unmarshal(data, v); err != nil {
		return fmt.Errorf("invalid JSON: %w", err)
	}
	return nil
}

// requestError answers a request decodeBody or a check rejected.
func requestError(err error) response {
	if errors.Is(err, errBodyTooLarge) {
		return errTooLarge
	}
	return badRequest(err)
}

func checkLength(field, value string, minLen, maxLen int) error {
	if n := utf8.RuneCountInString(value); n < minLen || n > maxLen {
		return fmt.Errorf("%s must be %d-%d characters, got %d", field, minLen, maxLen, n)
	}
	return nil
}

func checkKeyFields(name, description string) error {
	if err := checkLength("apiKeyName", name, 1, maxNameLen); err != nil {
		return err
	}
	return checkLength("apiKeyDescription", description, 0, maxDescriptionLen)
}

// create answers 200 with the new key, as the documented examples do.
func (e *Emulator) create(body []byte) response {
	var in struct {
		Name        string `json:"apiKeyName"`
		Description string `json:"apiKeyDescription"`
	}
	if err := decodeBody(body, &in); err != nil {
		return requestError(err)
	}
	if err := checkKeyFields(in.Name, in.Description); err != nil {
		return badRequest(err)
	}
	return jsonResponse(http.StatusOK, keyEnvelope{e.PutKey(in.Name, in.Description)})
}

// get answers the key unwrapped, unlike the other operations: that is what
// the documentation shows.
func (e *Emulator) get(id string) response {
	k, ok := e.Key(id)
	if !ok {
		return errNotFound
	}
	return jsonResponse(http.StatusOK, k)
}

// list answers one page of the keys whose name contains apiKeyName. The
// documentation does not say whether the filter is exact or partial; the
// emulator makes it a case-sensitive substring match, the looser choice, so
// that a client which assumes an exact match is caught out.
func (e *Emulator) list(q url.Values) response {
	offset, err := queryInt(q, "offset", 0, 0)
	if err != nil {
		return badRequest(err)
	}
	limit, err := queryInt(q, "limit", defaultPageLimit, 1)
	if err != nil {
		return badRequest(err)
	}
	name := q.Get("apiKeyName")
	if err := checkLength("apiKeyName", name, 0, maxNameLen); err != nil {
		return badRequest(err)
	}
	limit = min(limit, int64(e.cfg.MaxPageSize))
	return jsonResponse(http.StatusOK, e.page(name, offset, limit))
}

// queryInt parses an integer parameter of at least minValue; an absent or
// empty one is def.
func queryInt(q url.Values, name string, def, minValue int64) (int64, error) {
	s := q.Get(name)
	if s == "" {
		return def, nil
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n < minValue {
		return 0, fmt.Errorf("%s must be an integer of at least %d, got %q", name, minValue, s)
	}
	return n, nil
}

// page returns the keys whose name contains name, skipping offset of them
// and keeping at most limit.
func (e *Emulator) page(name string, offset, limit int64) keyPage {
	e.mu.Lock()
	defer e.mu.Unlock()
	p := keyPage{APIKeys: []keySummary{}}
	for _, k := range e.keys {
		if !strings.Contains(k.Name, name) {
			continue
		}
		if i := int64(p.Total); i >= offset && i-offset < limit {
			p.APIKeys = append(p.APIKeys, summarize(k))
		}
		p.Total++
	}
	p.InitialCount = len(p.APIKeys)
	return p
}

// edit replaces the whole editable object: isEnabled and apiKeyName are
// required, and an omitted description clears it.
func (e *Emulator) edit(body []byte, id string) response {
	var in struct {
		Enabled     *bool   `json:"isEnabled"`
		Name        *string `json:"apiKeyName"`
		Description string  `json:"apiKeyDescription"`
	}
	if err := decodeBody(body, &in); err != nil {
		return requestError(err)
	}
	switch {
	case in.Enabled == nil:
		return badRequest(errors.New("isEnabled is required"))
	case in.Name == nil:
		return badRequest(errors.New("apiKeyName is required"))
	}
	if err := checkKeyFields(*in.Name, in.Description); err != nil {
		return badRequest(err)
	}
	k, ok := e.update(id, func(k *Key) {
		k.Enabled, k.Name, k.Description = *in.Enabled, *in.Name, in.Description
	})
	if !ok {
		return errNotFound
	}
	return jsonResponse(http.StatusOK, keyEnvelope{k})
}

// regenerate replaces the primary or the secondary key value, not both.
func (e *Emulator) regenerate(body []byte, id string) response {
	var in struct {
		KeyType string `json:"keyType"`
	}
	if err := decodeBody(body, &in); err != nil {
		return requestError(err)
	}
	if in.KeyType != "PRIMARY" && in.KeyType != "SECONDARY" {
		return badRequest(fmt.Errorf("keyType must be PRIMARY or SECONDARY, got %q", in.KeyType))
	}
	k, ok := e.update(id, func(k *Key) {
		if in.KeyType == "PRIMARY" {
			k.PrimaryKey = e.newKeyValueLocked()
		} else {
			k.SecondaryKey = e.newKeyValueLocked()
		}
	})
	if !ok {
		return errNotFound
	}
	return jsonResponse(http.StatusOK, keyEnvelope{k})
}

// delete answers 204 with no body.
func (e *Emulator) delete(id string) response {
	if !e.DeleteKey(id) {
		return errNotFound
	}
	return response{status: http.StatusNoContent}
}

package emulator

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"net/http"
	"time"
)

// maxBodyBytes is the largest request body; larger ones get 413, as from the
// real gateway.
const maxBodyBytes = 1 << 20

// response is an answer not yet written, so that a fault can still replace,
// cut or delay it after the operation has run.
type response struct {
	status      int
	contentType string      // "" sends no Content-Type, not even a sniffed one
	header      http.Header // extra headers, such as Allow or Date
	body        []byte
}

func (resp response) write(w http.ResponseWriter) {
	for name, values := range resp.header {
		w.Header()[name] = values
	}
	if resp.contentType != "" {
		w.Header().Set("Content-Type", resp.contentType)
	} else {
		w.Header()["Content-Type"] = nil // keeps net/http from sniffing one
	}
	w.WriteHeader(resp.status)
	if len(resp.body) > 0 {
		w.Write(resp.body) // an error means the client has gone: nothing to do
	}
}

// with returns resp with the given headers added, replacing those of the
// same names; resp's own header map is left as it was.
func (resp response) with(header map[string]string) response {
	h := maps.Clone(resp.header)
	if h == nil {
		h = http.Header{}
	}
	for name, value := range header {
		h.Set(name, value)
	}
	resp.header = h
	return resp
}

// dated returns resp with a Date header from t.
func (resp response) dated(t time.Time) response {
	return resp.with(map[string]string{"Date": t.UTC().Format(http.TimeFormat)})
}

// reply writes an answer of NCP's. Unless it is already dated (a proxy's
// answer, or one held back), it carries the emulated server clock in Date,
// from which clients estimate their clock skew.
func (e *Emulator) reply(w http.ResponseWriter, resp response) {
	if _, ok := resp.header["Date"]; !ok {
		resp = resp.dated(e.clock())
	}
	resp.write(w)
}

// jsonResponse encodes v, which is always one of this package's wire types.
func jsonResponse(status int, v any) response {
	body, err := json.Marshal(v)
	if err != nil {
		panic("emulator: encoding a response: " + err.Error())
	}
	return response{status: status, contentType: "application/json", body: body}
}

// ncpError is one of NCP's error answers: an HTTP status and the errorCode
// and message of its JSON envelope.
type ncpError struct {
	status  int
	code    string
	message string
}

var (
	errNotFound   = ncpError{http.StatusNotFound, "300", "Not Found Exception"}
	errAuthFailed = ncpError{http.StatusUnauthorized, "200", "Authentication Failed"}
	errThrottled  = ncpError{http.StatusTooManyRequests, "410", "Throttle Limited"}
	errTooLarge   = ncpError{http.StatusRequestEntityTooLarge, "430", "Request Entity Too Large"}
	// errKeyNotFoundAs400 is how some NCP APIs answer a lookup of a missing
	// item; Config.NotFoundStatus 400 picks it.
	errKeyNotFoundAs400 = ncpError{http.StatusBadRequest, "100", "Bad Request Exception: API key not found"}
)

// badRequest is NCP's 400, with what was wrong appended to its message.
func badRequest(err error) ncpError {
	return ncpError{http.StatusBadRequest, "100", "Bad Request Exception: " + err.Error()}
}

// errorBody is NCP's error envelope: {"error":{"errorCode":"300","message":"..."}}.
type errorBody struct {
	Error errorDetail `json:"error"`
}

type errorDetail struct {
	Code    any    `json:"errorCode"` // a string, or a json.Number with NumericErrorCodes
	Message string `json:"message"`
}

// fail is the answer of err, with errorCode as a string or, with
// Config.NumericErrorCodes, a number.
func (e *Emulator) fail(err ncpError) response {
	var code any = err.code
	if e.cfg.NumericErrorCodes {
		code = json.Number(err.code)
	}
	return jsonResponse(err.status, errorBody{errorDetail{Code: code, Message: err.message}})
}

// keyNotFound is the answer for a key ID that does not exist.
func (e *Emulator) keyNotFound() response {
	if e.cfg.NotFoundStatus == http.StatusBadRequest {
		return e.fail(errKeyNotFoundAs400)
	}
	return e.fail(errNotFound)
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
	Total        *int         `json:"total,omitempty"` // nil with Config.OmitListTotal
	InitialCount int          `json:"initialCount"`
}

// listTotal is the "total" of a list answer: n, or none with
// Config.OmitListTotal.
func (e *Emulator) listTotal(n int) *int {
	if e.cfg.OmitListTotal {
		return nil
	}
	return &n
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

// requestError is the NCP error for a request decodeBody or a check rejected.
func requestError(err error) ncpError {
	if errors.Is(err, errBodyTooLarge) {
		return errTooLarge
	}
	return badRequest(err)
}

package ncpclient

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"unicode/utf8"
)

// Error is an unsuccessful answer: an NCP error envelope, a page that did
// not come from NCP (HTML, empty, foreign JSON), or a success status whose
// body could not be decoded.
type Error struct {
	StatusCode int
	Code       string // NCP errorCode; the API sends it as a JSON string or number
	Message    string
	Method     string
	Path       string // URI path without host or query
	Excerpt    string // short, redacted excerpt of a body that was not an NCP error

	// hint is advice for the user, such as the likely causes of an
	// authentication failure, or that the answer did not come from NCP.
	hint string
}

func (e *Error) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "NCP API %s %s: HTTP %d", e.Method, e.Path, e.StatusCode)
	if e.Code != "" {
		fmt.Fprintf(&b, ", error code %s", e.Code)
	}
	if e.Message != "" {
		b.WriteString(": ")
		b.WriteString(e.Message)
	}
	switch {
	case e.Excerpt != "":
		fmt.Fprintf(&b, "; response body: %s", e.Excerpt)
	case e.Code == "" && e.Message == "":
		b.WriteString(" with an empty response body")
	}
	if e.hint != "" {
		b.WriteString("; ")
		b.WriteString(e.hint)
	}
	return b.String()
}

// IsNotFound reports whether err is NCP saying that the requested API key
// does not exist: an answer with NCP's error envelope, either HTTP 404 with
// errorCode 300 or HTTP 400 whose code or message says "not found", as some
// NCP APIs answer lookups of missing items. A 404 page without the envelope
// comes from something else (a wrong endpoint, a proxy, an outage page) and
// says nothing about the key.
func IsNotFound(err error) bool {
	var e *Error
	if !errors.As(err, &e) || !e.fromNCP() {
		return false
	}
	switch e.StatusCode {
	case http.StatusNotFound:
		return e.Code == codeNotFound || saysNotFound(e.Code) || saysNotFound(e.Message)
	case http.StatusBadRequest:
		return saysNotFound(e.Code) || saysNotFound(e.Message)
	}
	return false
}

// codeNotFound is NCP's errorCode for a missing resource.
const codeNotFound = "300"

// fromNCP reports whether the answer carried NCP's error envelope, whose
// code and message are the only source of Code and Message on an
// unsuccessful status.
func (e *Error) fromNCP() bool {
	return e.Code != "" || e.Message != ""
}

// saysNotFound matches "not found", "NotFound", "NOT_FOUND" and the like.
func saysNotFound(s string) bool {
	s = strings.Map(func(r rune) rune {
		switch r {
		case ' ', '_', '-':
			return -1
		}
		return r
	}, strings.ToLower(s))
	return strings.Contains(s, "notfound")
}

// IsThrottled reports whether err is an HTTP 429 (quota, throttle or rate limit).
func IsThrottled(err error) bool {
	return hasStatus(err, http.StatusTooManyRequests)
}

// IsAuth reports whether err is an HTTP 401 or 403: bad credentials, clock
// skew or missing permissions.
func IsAuth(err error) bool {
	return hasStatus(err, http.StatusUnauthorized) || hasStatus(err, http.StatusForbidden)
}

func hasStatus(err error, status int) bool {
	var e *Error
	return errors.As(err, &e) && e.StatusCode == status
}

// AmbiguousCreateError reports a create whose outcome is unknown and could
// not be reconciled, because the keys of its name could not all be listed:
// the key may exist without the caller knowing its ID. Nothing was adopted.
type AmbiguousCreateError struct {
	Name string
	// Marker is the description the create gave the key: the key carrying
	// it, if any, is the one the create made.
	Marker string
	// Candidates are the keys of that name the list returned before it
	// failed, if any.
	Candidates []APIKey
	// Cause is why the create's outcome is unknown; Err why the
	// reconciliation failed.
	Cause error
	Err   error
}

func (e *AmbiguousCreateError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "creating API key %q: the API's answer was lost (%v) and checking whether the key was created failed: %v; "+
		"the key may have been created, with the description %q: list the keys named %q in the console or with the "+
		"ncp_apigw_api_keys data source; if one has that description, it is this create's: import it with "+
		"terraform import ncp_apigw_api_key.<name> <id>", e.Name, e.Cause, e.Err, e.Marker, e.Name)
	if len(e.Candidates) > 0 {
		b.WriteString("; keys of that name listed before the failure:")
		for _, k := range e.Candidates {
			fmt.Fprintf(&b, " id %s (name %q, modTime %s, modifier %s", k.ID, k.Name, k.ModTime, k.Modifier)
			if k.Description == e.Marker {
				fmt.Fprintf(&b, ", carries the marker: terraform import ncp_apigw_api_key.<name> %s", k.ID)
			}
			b.WriteString(")")
		}
	}
	return b.String()
}

func (e *AmbiguousCreateError) Unwrap() error { return e.Err }

// UnfinishedCreateError reports a create that made its key but whose
// follow-up failed: the edit that gives the key the caller's description
// and enabled flag, or the deletion of keys that more than one committed
// attempt made. The key exists and is returned with this error, so that
// the caller records it rather than orphaning it.
type UnfinishedCreateError struct {
	Key *APIKey
	// Marker is the description the key carries until the edit succeeds.
	Marker string
	// Edited reports whether the key was given the caller's settings.
	Edited bool
	// Extras are keys the create also made, with the marker as their
	// description, that could not be deleted.
	Extras []string
	Err    error
}

func (e *UnfinishedCreateError) Error() string {
	if !e.Edited {
		return fmt.Sprintf("API key %q (id %s) was created, but the edit that gives it its description and enabled flag failed: %v; "+
			"it still has the description %q", e.Key.Name, e.Key.ID, e.Err, e.Marker)
	}
	return fmt.Sprintf("API key %q (id %s) was created, but other keys this create also made (a retried attempt committed twice) "+
		"could not be deleted: %v; delete %s by hand: each is named %q with the description %q",
		e.Key.Name, e.Key.ID, e.Err, strings.Join(e.Extras, ", "), e.Key.Name, e.Marker)
}

func (e *UnfinishedCreateError) Unwrap() error { return e.Err }

// ncpErrorBody is the API's error envelope. errorCode is documented as an
// integer but shown as a string, so both are accepted.
type ncpErrorBody struct {
	Error *struct {
		Code    json.RawMessage `json:"errorCode"`
		Message string          `json:"message"`
		Details string          `json:"details"`
	} `json:"error"`
}

// newError turns an unsuccessful response into an *Error. secrets are
// scrubbed from the excerpt in case a proxy echoes the request.
func newError(method, path string, status int, body []byte, secrets ...string) *Error {
	e := &Error{StatusCode: status, Method: method, Path: path}
	var env ncpErrorBody
	if json.Unmarshal(body, &env) == nil && env.Error != nil {
		e.Code = jsonScalar(env.Error.Code)
		e.Message = env.Error.Message
		if d := env.Error.Details; d != "" && d != e.Message {
			e.Message = strings.TrimSpace(e.Message + " (" + d + ")")
		}
		if e.fromNCP() {
			return e
		}
	}
	e.Excerpt = excerpt(body, secrets...)
	return e
}

// newDecodeError reports a success status whose body is not what the
// operation returns, e.g. truncated by a proxy.
func newDecodeError(method, path string, status int, body []byte, err error, secrets ...string) *Error {
	return &Error{
		StatusCode: status,
		Method:     method,
		Path:       path,
		Message:    "the response could not be decoded: " + err.Error(),
		Excerpt:    excerpt(body, secrets...),
	}
}

// jsonScalar renders a JSON string or number as text; anything else is "".
func jsonScalar(raw json.RawMessage) string {
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return s
	}
	var n json.Number
	if json.Unmarshal(raw, &n) == nil {
		return n.String()
	}
	return ""
}

const maxExcerpt = 200

var htmlTag = regexp.MustCompile(`<[^>]*(>|$)`)

// excerpt condenses a body for an error message: key values and secrets
// redacted, HTML tags stripped, whitespace collapsed, at most maxExcerpt
// bytes of valid UTF-8.
func excerpt(body []byte, secrets ...string) string {
	s := redact(body, secrets...)
	s = htmlTag.ReplaceAllString(s, " ")
	s = strings.Join(strings.Fields(s), " ")
	return truncate(strings.ToValidUTF8(s, "\uFFFD"), maxExcerpt)
}

// truncate cuts s to at most n bytes on a rune boundary, marking the cut.
func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	const ellipsis = "..."
	cut := n - len(ellipsis)
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + ellipsis
}

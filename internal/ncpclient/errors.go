package ncpclient

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"time"
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
	// gone is set once NCP's "not found" is proof; see IsNotFound.
	gone bool
	// wrongEndpoint is set when NCP says its list of keys is not found.
	wrongEndpoint bool
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

// fromNCP reports whether the answer is NCP's own: its error envelope
// with an errorCode, the one source of Code on an unsuccessful status. This
// is the one place that decides it; only NCP's answers teach the client the
// server's clock, and only NCP's "not found" may mean that something is
// gone (see evidence.go).
func (e *Error) fromNCP() bool {
	return e.Code != ""
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

// newError turns an unsuccessful response into an *Error. Code and Message
// come only from NCP's envelope with its errorCode: another service's
// {"error": {"code": 404, "message": ...}} is excerpted like any page that
// is not NCP's. secrets are scrubbed from the excerpt in case a proxy
// echoes the request.
func newError(method, path string, status int, body []byte, secrets ...string) *Error {
	e := &Error{StatusCode: status, Method: method, Path: path}
	var env ncpErrorBody
	if json.Unmarshal(body, &env) == nil && env.Error != nil {
		if code := jsonScalar(env.Error.Code); code != "" {
			e.Code, e.Message = code, env.Error.Message
			if d := env.Error.Details; d != "" && d != e.Message {
				e.Message = strings.TrimSpace(e.Message + " (" + d + ")")
			}
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

// UnreachableError is a call the endpoint did not answer: its host is not
// in DNS, or attempts could not connect to it or got nothing back within
// the request timeout. Raising the operation's timeout does not help.
type UnreachableError struct {
	msg string
	Err error
}

func (e *UnreachableError) Error() string { return e.msg }

func (e *UnreachableError) Unwrap() error { return e.Err }

// IsUnreachable reports whether err is an endpoint that did not answer.
func IsUnreachable(err error) bool {
	var e *UnreachableError
	return errors.As(err, &e)
}

// RetryAfterError is a retryable failure whose server asked, with
// Retry-After, for a longer wait than the call can give: longer than the
// client ever waits, or past the operation's deadline.
type RetryAfterError struct {
	Wait time.Duration // what the server asked for
	msg  string
	Err  error // the failure that carried the Retry-After
}

func (e *RetryAfterError) Error() string { return e.msg }

func (e *RetryAfterError) Unwrap() error { return e.Err }

// CredentialsRejectedError is a call that was not sent because NCP had
// already rejected the client's credentials. First is that rejection, whose
// error carries the full advice; this one stays short, so that a plan with
// many resources does not repeat it for each.
type CredentialsRejectedError struct {
	Method, Path string
	First        *Error
}

func (e *CredentialsRejectedError) Error() string {
	return fmt.Sprintf("NCP API %s %s: not sent: NCP rejected these credentials earlier in this run (HTTP %d, error code %s); "+
		"see that error", e.Method, e.Path, e.First.StatusCode, e.First.Code)
}

func (e *CredentialsRejectedError) Unwrap() error { return e.First }

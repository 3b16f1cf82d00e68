package ncpclient

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"time"
)

// Logger receives debug messages about every request, retry and
// reconciliation. Messages and fields never hold the secret key, signatures
// or API key values.
type Logger func(ctx context.Context, msg string, fields map[string]any)

// maxLoggedBody caps logged bodies: a list page can hold a thousand keys.
const maxLoggedBody = 16 << 10

// keyValue matches the value, complete or cut short, of a primaryKey or
// secondaryKey JSON field. Group 1 is everything up to the value.
var keyValue = regexp.MustCompile(`(?i)("(?:primary|secondary)Key"\s*:\s*")(?:[^"\\]|\\.)*\\?`)

// redact returns body with key values and every non-empty secret replaced
// by "***".
func redact(body []byte, secrets ...string) string {
	s := keyValue.ReplaceAllString(string(body), "${1}***")
	for _, secret := range secrets {
		if secret != "" {
			s = strings.ReplaceAll(s, secret, "***")
		}
	}
	return s
}

// loggedBody is a redacted, size-capped body for the debug log.
func (c *Client) loggedBody(body []byte, signature string) string {
	s := strings.ToValidUTF8(redact(body, c.secretKey, signature), "\uFFFD")
	if len(s) > maxLoggedBody {
		return truncate(s, maxLoggedBody) + fmt.Sprintf(" (%d bytes in all)", len(body))
	}
	return s
}

func (c *Client) debug(ctx context.Context, msg string, fields map[string]any) {
	if c.logger != nil {
		c.logger(ctx, msg, fields)
	}
}

// attemptFields name an attempt in the log.
func attemptFields(cl *call, attempt int) map[string]any {
	return map[string]any{"method": cl.method, "uri": cl.url.RequestURI(), "attempt": attempt}
}

// logRequest logs an attempt about to be sent. Request bodies hold no
// secrets: names, descriptions, flags and key types.
func (c *Client) logRequest(ctx context.Context, cl *call, attempt int) {
	fields := attemptFields(cl, attempt)
	if cl.body != nil {
		fields["request_body"] = string(cl.body)
	}
	c.debug(ctx, "NCP API request", fields)
}

func (c *Client) logFailure(ctx context.Context, cl *call, attempt int, took time.Duration, err error) {
	fields := attemptFields(cl, attempt)
	fields["duration"] = took.String()
	fields["error"] = err.Error()
	c.debug(ctx, "NCP API request failed", fields)
}

func (c *Client) logResponse(ctx context.Context, cl *call, attempt int, took time.Duration, status int, body []byte, signature string, err error) {
	fields := attemptFields(cl, attempt)
	fields["duration"] = took.String()
	fields["status"] = status
	fields["response_body"] = c.loggedBody(body, signature)
	var apiErr *Error
	if errors.As(err, &apiErr) && apiErr.Code != "" {
		fields["error_code"] = apiErr.Code
	}
	c.debug(ctx, "NCP API response", fields)
}

func (c *Client) logRetry(ctx context.Context, cl *call, attempt int, delay time.Duration, reason error) {
	fields := attemptFields(cl, attempt)
	fields["delay"] = delay.String()
	fields["reason"] = reason.Error()
	c.debug(ctx, "NCP API retry", fields)
}

// warnNoAnswer tells the user, without debug logging, that an attempt got
// no answer and the call tries once more, which may take as long again.
func (c *Client) warnNoAnswer(ctx context.Context, cl *call, attempt int, reason error) {
	if c.warn == nil {
		return
	}
	fields := attemptFields(cl, attempt)
	fields["reason"] = reason.Error()
	c.warn(ctx, "NCP API: no answer, trying once more", fields)
}

package ncpclient

import (
	"context"
	"fmt"
	"regexp"
	"strings"
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

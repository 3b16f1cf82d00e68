package ncpclient

import (
	"context"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// codeAuthenticationFailed is NCP's errorCode for a wrong key, a bad
// signature or a timestamp too far from the server's clock.
const codeAuthenticationFailed = "200"

// offset is our estimate of the server's clock minus ours: timestamps are
// signed at c.now() plus offset, which must be within 5 minutes of the
// server's clock.
func (c *Client) offset() time.Duration {
	return time.Duration(c.clockOffset.Load())
}

// measureOffset estimates the server's clock minus ours from a response's
// Date header.
func (c *Client) measureOffset(h http.Header) (time.Duration, bool) {
	date, err := http.ParseTime(h.Get("Date"))
	if err != nil {
		return 0, false
	}
	// Date is truncated to the second: the middle of that second is the
	// best estimate of the server's time.
	return date.Add(500 * time.Millisecond).Sub(c.now()), true
}

// adoptServerClock measures the server's clock from the Date header of an
// authentication failure. If the attempt's timestamp, signed with offset, was
// more than maxClockSkew off, it stores the new offset for all later requests
// and reports true. Concurrent requests signed with the old offset all fail:
// the first answer back stores the new offset, and the others, finding it
// already stored, retry with it too.
func (c *Client) adoptServerClock(ctx context.Context, h http.Header, offset time.Duration) bool {
	measured, ok := c.measureOffset(h)
	if !ok || (measured-offset).Abs() <= maxClockSkew {
		return false
	}
	if (measured - c.offset()).Abs() > maxClockSkew {
		c.clockOffset.Store(int64(measured))
		c.debug(ctx, "NCP API clock offset adopted", map[string]any{
			"offset": measured.Round(time.Second).String(),
		})
	}
	return true
}

// authHint explains an authentication failure that a clock correction did
// not cure.
func (c *Client) authHint(h http.Header) string {
	const causes = "likely causes: a wrong access key or secret key, or clock skew (NCP rejects requests more than 5 minutes off its clock"
	measured, ok := c.measureOffset(h)
	if !ok {
		return causes + "; check the system clock / NTP)"
	}
	return fmt.Sprintf("%s; the server's clock differs from this machine's by %s; check the system clock / NTP)",
		causes, measured.Round(time.Second))
}

// retryAfter parses a Retry-After header, in seconds or as an HTTP date
// (relative to the response's Date, which avoids our clock's skew).
func retryAfter(h http.Header) time.Duration {
	v := strings.TrimSpace(h.Get("Retry-After"))
	if v == "" {
		return 0
	}
	if secs, err := strconv.ParseInt(v, 10, 32); err == nil {
		return max(0, time.Duration(secs)*time.Second)
	}
	at, err := http.ParseTime(v)
	if err != nil {
		return 0
	}
	now, err := http.ParseTime(h.Get("Date"))
	if err != nil {
		now = time.Now()
	}
	return max(0, at.Sub(now))
}

package ncpclient

import (
	"context"
	"fmt"
	"math/rand/v2"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// do runs cl until it succeeds, fails for good, runs out of retries or ctx
// ends. Every attempt is signed afresh and waits for its turn.
//
// The loop is hand-written, not go-retryablehttp's: that library cannot see
// whether a request was written, which decides whether a create may be
// retried blindly.
func (c *Client) do(ctx context.Context, cl *call) error {
	var lastErr error
	for attempt := 1; ; attempt++ {
		out, err := c.send(ctx, cl, attempt)
		if err != nil {
			return c.giveUp(cl, err, lastErr)
		}
		if out.err == nil {
			return nil
		}
		lastErr = out.err
		if out.ambiguous && cl.onAmbiguous != nil {
			if done, err := cl.onAmbiguous(ctx, out.err); done || err != nil {
				return err
			}
		}
		if err := ctx.Err(); err != nil {
			return c.giveUp(cl, err, lastErr)
		}
		if !out.retry {
			return out.err
		}
		if attempt > c.maxRetries {
			return fmt.Errorf("%w (gave up after %d attempts)", out.err, attempt)
		}
		delay := c.retryDelay(out, attempt)
		c.logRetry(ctx, cl, attempt, delay, out.err)
		if err := sleep(ctx, delay); err != nil {
			return c.giveUp(cl, err, lastErr)
		}
	}
}

// send waits for the attempt's turn, first at the clock gate (one request
// at a time until the server's clock is known), then at the limiter, and
// makes it. It fails only when ctx ends, or would end, first.
func (c *Client) send(ctx context.Context, cl *call, attempt int) (outcome, error) {
	release, err := c.clock.admit(ctx)
	if err != nil {
		return outcome{}, err
	}
	defer release()
	if err := c.limiter.Wait(ctx); err != nil {
		return outcome{}, err
	}
	return c.attempt(ctx, cl, attempt), nil
}

// giveUp reports that ctx ended, or would end before the next attempt,
// together with the last failure.
func (c *Client) giveUp(cl *call, ctxErr, lastErr error) error {
	if lastErr == nil {
		return fmt.Errorf("NCP API %s %s: %w", cl.method, cl.url.EscapedPath(), ctxErr)
	}
	return fmt.Errorf("%w (giving up: %w)", lastErr, ctxErr)
}

// retryDelay is exponential backoff with full jitter, or the server's
// Retry-After if longer. Throttled attempts skip the backoff: the limiter,
// slowed down by the 429, paces them.
func (c *Client) retryDelay(out outcome, attempt int) time.Duration {
	if out.clockFixed {
		return 0
	}
	var d time.Duration
	if !out.throttled {
		d = c.backoff(attempt)
	}
	return max(d, out.retryAfter)
}

// backoff is a random delay in [0, min(RetryMaxDelay, RetryBaseDelay*2^(attempt-1))].
func (c *Client) backoff(attempt int) time.Duration {
	ceiling := c.retryBaseDelay
	for i := 1; i < attempt && ceiling < c.retryMaxDelay; i++ {
		ceiling *= 2
	}
	ceiling = min(ceiling, c.retryMaxDelay)
	return rand.N(ceiling + 1)
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

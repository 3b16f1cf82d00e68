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
// ends. Every attempt is signed afresh and waits for its turn. Attempts
// that get no answer at all are retried once (see maxNoAnswer), and a
// server's Retry-After is waited for only when it fits (see waitAsked).
// NCP's "not found" counts as gone only once provenGone has judged it.
//
// The loop is hand-written, not go-retryablehttp's: that library cannot see
// whether a request was written, which decides whether a create may be
// retried blindly.
func (c *Client) do(ctx context.Context, cl *call) error {
	var lastErr error
	noAnswers := 0 // attempts in a row that got no answer
	for attempt := 1; ; attempt++ {
		out, err := c.send(ctx, cl, attempt)
		if err != nil {
			return c.giveUp(cl, err, lastErr)
		}
		if out.err == nil {
			return nil
		}
		lastErr = out.err
		if out.noAnswer {
			noAnswers++
		} else {
			noAnswers = 0
		}
		if out.ambiguous && cl.onAmbiguous != nil {
			if done, err := cl.onAmbiguous(ctx, out.err); done || err != nil {
				return err
			}
		}
		if err := ctx.Err(); err != nil {
			return c.giveUp(cl, err, lastErr)
		}
		if !out.retry {
			return c.provenGone(ctx, cl, out.err)
		}
		if noAnswers >= maxNoAnswer {
			return &UnreachableError{
				msg: fmt.Sprintf("%s, twice: check the endpoint, a firewall or a proxy", out.err),
				Err: out.err,
			}
		}
		if attempt > c.maxRetries {
			return fmt.Errorf("%w (gave up after %d attempts)", out.err, attempt)
		}
		if noAnswers == 1 {
			c.warnNoAnswer(ctx, cl, attempt, out.err)
		}
		if err := c.waitAsked(ctx, out); err != nil {
			return err
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
// makes it, unless NCP has rejected the credentials meanwhile. It fails only
// when ctx ends, or would end, first.
func (c *Client) send(ctx context.Context, cl *call, attempt int) (outcome, error) {
	release, err := c.clock.admit(ctx)
	if err != nil {
		return outcome{}, err
	}
	defer release()
	if err := c.limiter.Wait(ctx); err != nil {
		return outcome{}, err
	}
	if err := c.rejectedCredentials(cl); err != nil {
		return outcome{err: err}, nil
	}
	return c.attempt(ctx, cl, attempt), nil
}

// waitAsked fails the call at once, rather than sleeping towards a failure,
// when the server's Retry-After asks for more than maxRetryAfter or for
// more than the time left before ctx's deadline.
func (c *Client) waitAsked(ctx context.Context, out outcome) error {
	wait := out.retryAfter
	limit := ""
	if wait > maxRetryAfter {
		limit = fmt.Sprintf("the %s the provider waits at most", maxRetryAfter)
	} else if deadline, ok := ctx.Deadline(); ok && time.Until(deadline) < wait {
		limit = fmt.Sprintf("the %s left before the operation's deadline", time.Until(deadline).Round(time.Second))
	}
	if limit == "" {
		return nil
	}
	return &RetryAfterError{
		Wait: wait,
		msg: fmt.Sprintf("%s; the server at %s asked to wait %.0fs before retrying (Retry-After), longer than %s",
			out.err, c.BaseURL(), wait.Seconds(), limit),
		Err: out.err,
	}
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
// Retry-After if longer (waitAsked has made sure it fits). Throttled
// attempts skip the backoff: the limiter, slowed down by the 429, paces
// them.
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

// Package ncpclient is a client for the API-key API of NAVER Cloud Platform's
// API Gateway. It signs requests (signature v2), retries what is safe to
// retry, paces requests with an adaptive rate limiter shared across clients,
// and reconciles creates whose answer was lost so that a retry never leaves
// a second key behind.
//
// NCP's documentation of this API contradicts itself in places; the client
// is strict in what it sends and liberal in what it accepts:
//
//   - the create and edit field tables call the name "apiName", but the API
//     takes "apiKeyName", which is what is sent;
//   - the regenerate example has a double slash ("/api/v1//api-keys"): paths
//     are built with one;
//   - viewing one key is documented unwrapped at the top level, unlike every
//     other answer; both that and {"apiKey": {...}} are accepted;
//   - errorCode is documented as an integer but shown as a string: both are
//     accepted;
//   - create has no isEnabled field (a new key is enabled), so a key meant to
//     start disabled needs an edit after the create;
//   - the list's page size limit is undocumented: pages are read until the
//     reported total is collected or a page comes back empty;
//   - a lookup of a missing key may answer 400 rather than 404: IsNotFound
//     treats a 400 whose code or message says "not found" as gone.
package ncpclient

import (
	"bytes"
	"cmp"
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"net/http/httptrace"
	"net/url"
	"strconv"
	"strings"
	"sync/atomic"
	"time"
)

// DefaultPageSize is the list page size asked for; the server may silently
// return fewer keys per page.
const DefaultPageSize int64 = 1000

const (
	defaultUserAgent      = "terraform-provider-ncp/dev"
	defaultRequestTimeout = 30 * time.Second
	defaultMaxRetries     = 10
	defaultRetryBaseDelay = 250 * time.Millisecond
	defaultRetryMaxDelay  = 15 * time.Second

	// maxClockSkew is how far the server's Date may be from our timestamps
	// before an authentication failure is blamed on the clock. NCP itself
	// rejects timestamps more than 5 minutes off.
	maxClockSkew = time.Minute
)

// Config configures a Client. Only AccessKey and SecretKey are required.
type Config struct {
	AccessKey string
	SecretKey string

	// Site is "public" (the default when empty), "gov" or "fin".
	Site string
	// Endpoint is a full base URL, /api/v1 included; it overrides Site.
	// See ValidateEndpoint.
	Endpoint string

	// UserAgent defaults to "terraform-provider-ncp/dev".
	UserAgent string
	// HTTPClient defaults to a client whose transport is a clone of
	// http.DefaultTransport: it honours HTTPS_PROXY and NO_PROXY and has
	// dial and TLS handshake timeouts. It does not follow redirects, whose
	// target would not match the signature.
	HTTPClient *http.Client

	// RequestTimeout bounds each attempt; default 30s.
	RequestTimeout time.Duration
	// MaxRetries bounds the retries after the first attempt; default 10, a
	// negative value disables retries. The caller's context bounds them too.
	MaxRetries int
	// RetryBaseDelay and RetryMaxDelay shape the exponential backoff;
	// defaults 250ms and 15s.
	RetryBaseDelay time.Duration
	RetryMaxDelay  time.Duration

	// PageSize is the list page size asked for; default DefaultPageSize.
	PageSize int64

	// Logger, if set, receives debug messages.
	Logger Logger
	// Limiter is shared by every client of a process so that they slow down
	// together; nil gives the client a limiter of its own.
	Limiter *Limiter
	// Now is the clock, for tests; default time.Now.
	Now func() time.Time
}

// Client calls the API-key API. It is safe for concurrent use.
type Client struct {
	base           *url.URL
	accessKey      string
	secretKey      string
	userAgent      string
	httpClient     *http.Client
	requestTimeout time.Duration
	maxRetries     int
	retryBaseDelay time.Duration
	retryMaxDelay  time.Duration
	pageSize       int64
	logger         Logger
	limiter        *Limiter
	now            func() time.Time

	// clockOffset is the server's clock minus ours, in nanoseconds, learnt
	// from the Date header of an authentication failure; timestamps are
	// signed on the server's clock.
	clockOffset atomic.Int64
	// seen holds every key ID this client has been handed, so that
	// reconciling a lost create never adopts another caller's key.
	seen idSet
}

// New validates cfg and returns a Client.
func New(cfg Config) (*Client, error) {
	if cfg.AccessKey == "" {
		return nil, errors.New("the NCP access key is empty")
	}
	if cfg.SecretKey == "" {
		return nil, errors.New("the NCP secret key is empty")
	}
	base, err := baseURL(cfg.Site, cfg.Endpoint)
	if err != nil {
		return nil, err
	}
	c := &Client{
		base:           base,
		accessKey:      cfg.AccessKey,
		secretKey:      cfg.SecretKey,
		userAgent:      cmp.Or(cfg.UserAgent, defaultUserAgent),
		httpClient:     cfg.HTTPClient,
		requestTimeout: positive(cfg.RequestTimeout, defaultRequestTimeout),
		maxRetries:     cfg.MaxRetries,
		retryBaseDelay: positive(cfg.RetryBaseDelay, defaultRetryBaseDelay),
		retryMaxDelay:  positive(cfg.RetryMaxDelay, defaultRetryMaxDelay),
		pageSize:       positive(cfg.PageSize, DefaultPageSize),
		logger:         cfg.Logger,
		limiter:        cfg.Limiter,
		now:            cfg.Now,
	}
	switch {
	case c.maxRetries == 0:
		c.maxRetries = defaultMaxRetries
	case c.maxRetries < 0:
		c.maxRetries = 0
	}
	if c.httpClient == nil {
		c.httpClient = defaultHTTPClient()
	}
	if c.limiter == nil {
		c.limiter = NewLimiter()
	}
	if c.now == nil {
		c.now = time.Now
	}
	return c, nil
}

// BaseURL is the base URL requests go to, /api/v1 included.
func (c *Client) BaseURL() string {
	return c.base.String()
}

func baseURL(site, endpoint string) (*url.URL, error) {
	raw := endpoint
	if raw == "" {
		var err error
		if raw, err = SiteBaseURL(site); err != nil {
			return nil, err
		}
	} else if err := ValidateEndpoint(raw); err != nil {
		return nil, err
	}
	return url.Parse(strings.TrimRight(raw, "/"))
}

func positive[T int64 | time.Duration](v, fallback T) T {
	if v <= 0 {
		return fallback
	}
	return v
}

func defaultHTTPClient() *http.Client {
	var t *http.Transport
	if dt, ok := http.DefaultTransport.(*http.Transport); ok {
		t = dt.Clone()
	} else {
		t = &http.Transport{}
	}
	t.Proxy = http.ProxyFromEnvironment
	t.DialContext = (&net.Dialer{Timeout: 10 * time.Second, KeepAlive: 30 * time.Second}).DialContext
	t.TLSHandshakeTimeout = 10 * time.Second
	return &http.Client{
		Transport: t,
		CheckRedirect: func(*http.Request, []*http.Request) error {
			return http.ErrUseLastResponse
		},
	}
}

// call is one operation: its request, how to decode its answer, and what to
// do when an attempt may have taken effect without us learning the result.
type call struct {
	method string
	url    *url.URL
	body   []byte // JSON; nil when the request has none
	// decode stores a success body in the caller's result; nil ignores it.
	decode func(body []byte) error
	// onAmbiguous, if set, runs after an attempt that may have taken effect
	// (started is when it was sent, on the server's clock). It either
	// resolves the call (done, or an error) or lets the retry go ahead.
	// Without it, such attempts are retried like any other.
	onAmbiguous func(ctx context.Context, started time.Time, cause error) (done bool, err error)

	clockRetried bool // an attempt was retried after correcting the clock
}

// target returns the URL of the path segments below the base URL. The path
// carries its escaped form so that net/http sends the request URI exactly as
// signed; the query is encoded with sorted keys.
func (c *Client) target(query url.Values, segments ...string) *url.URL {
	u := *c.base
	for _, s := range segments {
		u.Path += "/" + s
	}
	raw := c.base.EscapedPath()
	for _, s := range segments {
		raw += "/" + url.PathEscape(s)
	}
	u.RawPath = raw
	u.RawQuery = query.Encode()
	return &u
}

// outcome is the verdict on one attempt.
type outcome struct {
	err        error
	started    time.Time     // when the attempt was sent, on the server's clock
	retry      bool          // another attempt may succeed
	ambiguous  bool          // the request may have taken effect on the server
	throttled  bool          // HTTP 429: the limiter paces the retry
	clockFixed bool          // the clock offset was corrected: retry at once
	retryAfter time.Duration // the server's Retry-After, if any
}

// do runs cl until it succeeds, fails for good, runs out of retries or ctx
// ends. Every attempt is signed afresh and waits for the limiter.
func (c *Client) do(ctx context.Context, cl *call) error {
	var lastErr error
	for attempt := 1; ; attempt++ {
		if err := c.limiter.Wait(ctx); err != nil {
			return c.giveUp(cl, err, lastErr)
		}
		out := c.attempt(ctx, cl, attempt)
		if out.err == nil {
			return nil
		}
		lastErr = out.err
		if out.ambiguous && cl.onAmbiguous != nil {
			if done, err := cl.onAmbiguous(ctx, out.started, out.err); done || err != nil {
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

// sleep waits for d, or fails at once if ctx would expire first.
func sleep(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	if deadline, ok := ctx.Deadline(); ok && time.Until(deadline) < d {
		return context.DeadlineExceeded
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// attempt sends cl once and judges the answer.
func (c *Client) attempt(ctx context.Context, cl *call, n int) outcome {
	actx, cancel := context.WithTimeout(ctx, c.requestTimeout)
	defer cancel()

	uri := cl.url.RequestURI()
	offset := c.offset() // judge needs the offset this attempt was signed with
	started := c.now().Add(offset)
	timestamp := strconv.FormatInt(started.UnixMilli(), 10)
	signature := Sign(cl.method, uri, timestamp, c.accessKey, c.secretKey)

	// The request may have reached the server only if it was written out;
	// until then every failure is safe to retry, even for a create.
	var wrote atomic.Bool
	actx = httptrace.WithClientTrace(actx, &httptrace.ClientTrace{
		WroteRequest: func(httptrace.WroteRequestInfo) { wrote.Store(true) },
	})
	req, err := c.newRequest(actx, cl, timestamp, signature)
	if err != nil {
		return outcome{err: err}
	}

	c.logRequest(ctx, cl, n)
	begin := time.Now()
	resp, err := c.httpClient.Do(req)
	if err != nil {
		out := c.transportFailure(ctx, cl, err, wrote.Load())
		out.started = started
		c.logFailure(ctx, cl, n, time.Since(begin), out.err)
		return out
	}
	defer resp.Body.Close()
	body, readErr := io.ReadAll(resp.Body)

	out := c.judge(ctx, cl, resp, body, readErr, signature, offset)
	out.started = started
	c.logResponse(ctx, cl, n, time.Since(begin), resp.StatusCode, body, signature, out.err)
	return out
}

func (c *Client) newRequest(ctx context.Context, cl *call, timestamp, signature string) (*http.Request, error) {
	var body io.Reader
	if cl.body != nil {
		body = bytes.NewReader(cl.body)
	}
	req, err := http.NewRequestWithContext(ctx, cl.method, cl.url.String(), body)
	if err != nil {
		return nil, fmt.Errorf("NCP API %s %s: %w", cl.method, cl.url.EscapedPath(), err)
	}
	// Send the very URL that was signed, not a re-parse of its string.
	req.URL = cl.url
	h := req.Header
	h.Set(headerTimestamp, timestamp)
	h.Set(headerAccessKey, c.accessKey)
	h.Set(headerSignature, signature)
	h.Set("Accept", "application/json")
	h.Set("User-Agent", c.userAgent)
	if cl.body != nil {
		h.Set("Content-Type", "application/json")
	}
	return req, nil
}

// transportFailure judges an attempt that got no answer. It is retryable
// unless ctx itself ended or the server's certificate was refused, and
// ambiguous once the request was written: the server may have acted on it and
// lost only the answer.
func (c *Client) transportFailure(ctx context.Context, cl *call, err error, wrote bool) outcome {
	var ue *url.Error
	if errors.As(err, &ue) {
		err = ue.Err // its message repeats the URL
	}
	var certErr *tls.CertificateVerificationError
	switch {
	case errors.Is(err, context.DeadlineExceeded) && ctx.Err() == nil:
		err = fmt.Errorf("no answer within %s: %w", c.requestTimeout, err)
	case errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF):
		err = fmt.Errorf("the connection was closed without an answer: %w", err)
	}
	return outcome{
		err:       fmt.Errorf("NCP API %s %s: %w", cl.method, cl.url.EscapedPath(), err),
		retry:     ctx.Err() == nil && !errors.As(err, &certErr),
		ambiguous: wrote,
	}
}

// judge turns an answer into an outcome: success once the body decodes;
// retries for 429 (the request was refused before any work), 502, 503 and
// 504 (the gateway may have passed it on), undecodable success bodies, and
// one authentication failure caused by our clock (offset is the clock
// offset the attempt was signed with).
func (c *Client) judge(ctx context.Context, cl *call, resp *http.Response, body []byte, readErr error, signature string, offset time.Duration) outcome {
	path := cl.url.EscapedPath()
	status := resp.StatusCode
	if status == http.StatusTooManyRequests {
		c.limiter.OnThrottle()
	} else {
		c.limiter.OnSuccess()
	}

	if status >= 200 && status < 300 {
		if readErr == nil && cl.decode != nil {
			readErr = cl.decode(body)
		}
		if readErr != nil {
			return outcome{
				err:       newDecodeError(cl.method, path, status, body, readErr, c.secretKey, signature),
				retry:     true,
				ambiguous: true,
			}
		}
		return outcome{}
	}

	apiErr := newError(cl.method, path, status, body, c.secretKey, signature)
	out := outcome{err: apiErr}
	switch status {
	case http.StatusTooManyRequests:
		out.retry, out.throttled = true, true
	case http.StatusBadGateway, http.StatusServiceUnavailable, http.StatusGatewayTimeout:
		out.retry, out.ambiguous = true, true
	case http.StatusUnauthorized:
		if apiErr.Code != codeAuthenticationFailed {
			break
		}
		if !cl.clockRetried && c.adoptServerClock(ctx, resp.Header, offset) {
			cl.clockRetried = true
			out.retry, out.clockFixed = true, true
		} else {
			apiErr.hint = c.authHint(resp.Header)
		}
	}
	if out.retry {
		out.retryAfter = retryAfter(resp.Header)
	}
	return out
}

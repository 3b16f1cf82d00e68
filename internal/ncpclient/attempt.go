package ncpclient

import (
	"bytes"
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptrace"
	"net/url"
	"strconv"
	"sync/atomic"
	"time"
)

// call is one operation: its request, how to decode its answer, and what to
// do when an attempt may have taken effect without us learning the result.
type call struct {
	method string
	url    *url.URL
	body   []byte // JSON; nil when the request has none
	// decode stores a success body in the caller's result; nil ignores it.
	decode func(body []byte) error
	// onAmbiguous, if set, runs after an attempt that may have taken effect
	// (see "Not created" in evidence.go). It either resolves the call
	// (done, or an error) or lets the call go on: retried if the failure is
	// retryable, else reported. Without it, such attempts are retried like
	// any other.
	onAmbiguous func(ctx context.Context, cause error) (done bool, err error)
	// keyList marks a read of the list of keys, which NCP never answers
	// "not found" (see provenGone).
	keyList bool

	clockRetried bool // an attempt was retried after correcting the clock
	// answered is the server's clock as the last NCP answer to the call
	// told it, if any.
	answered clockReading
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
	retry      bool          // another attempt may succeed
	ambiguous  bool          // the request may have taken effect on the server
	throttled  bool          // HTTP 429: the limiter paces the retry
	clockFixed bool          // the clock offset was corrected: retry at once
	noAnswer   bool          // no connection, or nothing back within the request timeout
	retryAfter time.Duration // the server's Retry-After, if any
}

// attempt sends cl once and judges the answer.
func (c *Client) attempt(ctx context.Context, cl *call, n int) outcome {
	actx, cancel := context.WithTimeout(ctx, c.requestTimeout)
	defer cancel()

	uri := cl.url.RequestURI()
	offset := c.clock.offset() // judge needs the offset this attempt was signed with
	started := c.now()
	timestamp := strconv.FormatInt(started.Add(offset).UnixMilli(), 10)
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
		c.logFailure(ctx, cl, n, time.Since(begin), out.err)
		return out
	}
	defer resp.Body.Close()
	body, readErr := io.ReadAll(resp.Body)
	received := c.now()

	out := c.judge(ctx, cl, resp, body, readErr, signature, offset, started, received)
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
// unless ctx itself ended, the server's certificate was refused or DNS says
// the host does not exist, and ambiguous once the request was written: the
// server may have acted on it and lost only the answer. Attempts that could
// not connect or got nothing back in time are marked noAnswer: the retry
// loop bounds how many of those it makes in a row.
func (c *Client) transportFailure(ctx context.Context, cl *call, err error, wrote bool) outcome {
	var ue *url.Error
	if errors.As(err, &ue) {
		err = ue.Err // its message repeats the URL
	}
	prefix := fmt.Sprintf("NCP API %s %s: ", cl.method, cl.url.EscapedPath())
	out := outcome{retry: ctx.Err() == nil, ambiguous: wrote}
	var (
		certErr *tls.CertificateVerificationError
		dnsErr  *net.DNSError
		opErr   *net.OpError
	)
	switch {
	case errors.As(err, &certErr):
		out.retry = false
	case errors.As(err, &dnsErr) && dnsErr.IsNotFound:
		out.retry = false
		out.err = &UnreachableError{
			msg: fmt.Sprintf("%sthe host %s does not exist (DNS: no such host): check the endpoint or the site the provider uses (%s)", prefix, dnsErr.Name, c.BaseURL()),
			Err: err,
		}
		return out
	case errors.As(err, &dnsErr):
		// A DNS server that failed to answer may answer the retry.
	case errors.Is(err, context.DeadlineExceeded) && ctx.Err() == nil:
		out.noAnswer = true
		out.err = &UnreachableError{msg: fmt.Sprintf("%sno answer from %s within %s", prefix, c.BaseURL(), c.requestTimeout), Err: err}
		return out
	case errors.As(err, &opErr) && opErr.Op == "dial":
		out.noAnswer = true
		out.err = &UnreachableError{msg: fmt.Sprintf("%scould not connect to %s (%v)", prefix, c.BaseURL(), err), Err: err}
		return out
	case errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF):
		err = fmt.Errorf("the connection was closed without an answer: %w", err)
	}
	out.err = fmt.Errorf("%s%w", prefix, err)
	return out
}

// judge turns an answer into an outcome: success once the body decodes;
// retries for 429 (the request was refused before any work), 500 (NCP's
// "Unexpected Error"), 502, 503 and 504, undecodable success bodies, and one
// authentication failure caused by our clock (offset is the clock offset the
// attempt was signed with). A failure is ambiguous unless NCP refused the
// request (see "Not created" in evidence.go). Retrying a 500 is safe for
// every operation: edits send the whole object, deletes and unsubscribes
// are confirmed by a read, and creates, subscribes and regenerates check
// (or, for a regenerate, do not mind) what an ambiguous attempt did first.
// Answers that came from NCP teach the client the server's clock (the
// attempt was sent at sent and its answer arrived at received, on our
// clock).
func (c *Client) judge(ctx context.Context, cl *call, resp *http.Response, body []byte, readErr error, signature string, offset time.Duration, sent, received time.Time) outcome {
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
		cl.answered = readClock(resp.Header, sent, received)
		c.heardFromNCP(ctx, cl.answered)
		return outcome{}
	}

	apiErr := newError(cl.method, path, status, body, c.secretKey, signature)
	if apiErr.fromNCP() {
		// Heard on return, once a rejection below is stored: the first
		// answer opens the clock gate, and the calls waiting there must see
		// it rather than send.
		cl.answered = readClock(resp.Header, sent, received)
		defer c.heardFromNCP(ctx, cl.answered)
	} else {
		apiErr.hint = fmt.Sprintf("the answer did not come from NCP's API at %s: check the endpoint, a proxy, or an outage page", c.BaseURL())
	}
	out := outcome{err: apiErr, ambiguous: !refusedByAPI(apiErr)}
	switch status {
	case http.StatusTooManyRequests:
		out.retry, out.throttled = true, true
	case http.StatusInternalServerError, http.StatusBadGateway, http.StatusServiceUnavailable, http.StatusGatewayTimeout:
		out.retry = true
	case http.StatusUnauthorized:
		if apiErr.Code == codePermissionDenied {
			c.rejected.CompareAndSwap(nil, apiErr)
		}
		if apiErr.Code != codeAuthenticationFailed {
			break
		}
		if !cl.clockRetried && cl.answered.skewedFrom(offset) {
			cl.clockRetried = true
			out.retry, out.clockFixed = true, true
		} else {
			apiErr.hint = authHint(cl.answered)
			c.rejected.CompareAndSwap(nil, apiErr)
		}
	}
	if out.retry {
		out.retryAfter = retryAfter(resp.Header)
	}
	return out
}

// rejectedCredentials fails a call at once, without sending it, once NCP
// has rejected the client's credentials: HTTP 401 with errorCode 200 that a
// clock correction did not cure, or with errorCode 210 (permission denied).
// Every later request would be rejected the same way, and each rejection
// would repeat the same long advice. A 403 is not remembered: NCP answers
// it for one product's subscriptions, not for the credentials.
func (c *Client) rejectedCredentials(cl *call) error {
	first := c.rejected.Load()
	if first == nil {
		return nil
	}
	return &CredentialsRejectedError{Method: cl.method, Path: cl.url.EscapedPath(), First: first}
}

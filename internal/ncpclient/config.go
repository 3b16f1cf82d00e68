package ncpclient

import (
	"cmp"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
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
)

// MaxRequestTimeout bounds RequestTimeout: an endpoint that has not answered
// within a minute is not going to, and the user is left waiting silently.
const MaxRequestTimeout = time.Minute

const (
	// maxRetryAfter is the longest Retry-After the client waits for; a
	// server that asks for longer fails the call at once.
	maxRetryAfter = time.Minute
	// maxNoAnswer is how many attempts in a row may get no answer at all
	// (no connection, or nothing within RequestTimeout) before the call
	// fails, with an error that says "twice": retrying a dead endpoint only
	// makes the user wait longer.
	maxNoAnswer = 2
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

	// RequestTimeout bounds each attempt; default 30s, at most
	// MaxRequestTimeout.
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
	// Warn, if set, receives what the user should see without debug
	// logging: an attempt that got no answer, before the retry that may
	// keep them waiting. Nil sends it to Logger.
	Warn Logger
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
	warn           Logger
	limiter        *Limiter
	now            func() time.Time

	// clock is what the client knows of the server's clock.
	clock *serverClock
	// endpoint is whether the endpoint is proven to serve the API-key API.
	endpoint *endpointProof
	// rejected is NCP's refusal of the client's credentials, once one came;
	// see rejectedCredentials.
	rejected atomic.Pointer[Error]
	// listings are the account listings made by this client, told of its
	// writes (see AccountListing).
	listings listingSet
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
	if cfg.RequestTimeout > MaxRequestTimeout {
		return nil, fmt.Errorf("the request timeout %s is longer than %s, the most an attempt may wait for an answer", cfg.RequestTimeout, MaxRequestTimeout)
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
		warn:           cfg.Warn,
		limiter:        cfg.Limiter,
		now:            cfg.Now,
		clock:          newServerClock(),
		endpoint:       newEndpointProof(),
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
	if c.warn == nil {
		c.warn = c.logger
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

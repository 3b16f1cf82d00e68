package ncpclient

import (
	"net/http"
	"strings"
	"testing"
)

func TestNewValidatesConfig(t *testing.T) {
	tests := []struct {
		name    string
		cfg     Config
		wantErr string
	}{
		{"no access key", Config{SecretKey: "s"}, "access key is empty"},
		{"no secret key", Config{AccessKey: "a"}, "secret key is empty"},
		{"unknown site", Config{AccessKey: "a", SecretKey: "s", Site: "mars"}, `unknown NCP site "mars": valid sites are public, gov and fin`},
		{"bad endpoint", Config{AccessKey: "a", SecretKey: "s", Endpoint: "http://example.com/api/v1"}, "allowed only for a loopback host"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := New(tt.cfg)
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("New error = %v, want it to contain %q", err, tt.wantErr)
			}
		})
	}
}

func TestNewBaseURL(t *testing.T) {
	tests := []struct{ site, endpoint, want string }{
		{"", "", "https://apigateway.apigw.ntruss.com/api/v1"},
		{"gov", "", "https://apigateway.apigw.gov-ntruss.com/api/v1"},
		{"fin", "", "https://apigateway.apigw.fin-ntruss.com/api/v1"},
		{"fin", "http://127.0.0.1:8080/api/v1/", "http://127.0.0.1:8080/api/v1"},
	}
	for _, tt := range tests {
		c, err := New(Config{AccessKey: "a", SecretKey: "s", Site: tt.site, Endpoint: tt.endpoint})
		if err != nil {
			t.Fatalf("New(site %q, endpoint %q): %v", tt.site, tt.endpoint, err)
		}
		if got := c.BaseURL(); got != tt.want {
			t.Errorf("BaseURL(site %q, endpoint %q) = %q, want %q", tt.site, tt.endpoint, got, tt.want)
		}
	}
}

func TestNewDefaults(t *testing.T) {
	c := newTestClient(t, Config{AccessKey: "a", SecretKey: "s"})
	if c.userAgent != defaultUserAgent || c.pageSize != DefaultPageSize || c.maxRetries != defaultMaxRetries ||
		c.requestTimeout != defaultRequestTimeout || c.retryBaseDelay != defaultRetryBaseDelay || c.retryMaxDelay != defaultRetryMaxDelay {
		t.Errorf("defaults not applied: %+v", c)
	}
	tr, ok := c.httpClient.Transport.(*http.Transport)
	if !ok || tr.Proxy == nil || tr.TLSHandshakeTimeout == 0 || tr.DialContext == nil {
		t.Errorf("default transport lacks proxy or timeouts: %#v", c.httpClient.Transport)
	}
	if c.httpClient.CheckRedirect == nil {
		t.Error("default client follows redirects")
	}
	if c := newTestClient(t, Config{AccessKey: "a", SecretKey: "s", MaxRetries: -1}); c.maxRetries != 0 {
		t.Errorf("MaxRetries -1 gave %d retries, want 0", c.maxRetries)
	}
}

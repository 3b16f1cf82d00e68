package emulator

import (
	"context"
	"net/http"
	"strconv"
	"testing"
	"time"
)

func TestAuthentication(t *testing.T) {
	emu, c := newAPI(t, Config{})
	const uri = "/api/v1/api-keys?limit=5&offset=0"
	for _, tc := range []struct {
		name   string
		client func(c *client)                    // changes credentials or clock before signing
		header func(c *client, req *http.Request) // changes the signed request
		want   int
	}{
		{name: "valid", want: http.StatusOK},
		{name: "wrong access key", client: func(c *client) { c.accessKey = "AKIDOTHER" }, want: http.StatusUnauthorized},
		{name: "wrong secret", client: func(c *client) { c.secretKey = "WRONG" }, want: http.StatusUnauthorized},
		{name: "timestamp 6 minutes old", client: func(c *client) { c.skew = -6 * time.Minute }, want: http.StatusUnauthorized},
		{name: "timestamp 6 minutes ahead", client: func(c *client) { c.skew = 6 * time.Minute }, want: http.StatusUnauthorized},
		{name: "timestamp 4 minutes old", client: func(c *client) { c.skew = -4 * time.Minute }, want: http.StatusOK},
		{name: "timestamp 4 minutes ahead", client: func(c *client) { c.skew = 4 * time.Minute }, want: http.StatusOK},
		{name: "signature without the query", header: func(c *client, req *http.Request) {
			ts := req.Header.Get("x-ncp-apigw-timestamp")
			req.Header.Set("x-ncp-apigw-signature-v2", sign(c.secretKey, "GET", "/api/v1/api-keys", ts, c.accessKey))
		}, want: http.StatusUnauthorized},
		{name: "timestamp other than the signed one", header: func(_ *client, req *http.Request) {
			req.Header.Set("x-ncp-apigw-timestamp", strconv.FormatInt(time.Now().UnixMilli()+1, 10))
		}, want: http.StatusUnauthorized},
		{name: "timestamp in seconds", header: func(c *client, req *http.Request) {
			ts := strconv.FormatInt(time.Now().Unix(), 10)
			req.Header.Set("x-ncp-apigw-timestamp", ts)
			req.Header.Set("x-ncp-apigw-signature-v2", sign(c.secretKey, "GET", uri, ts, c.accessKey))
		}, want: http.StatusUnauthorized},
		{name: "no headers", header: func(_ *client, req *http.Request) { req.Header = http.Header{} }, want: http.StatusUnauthorized},
	} {
		t.Run(tc.name, func(t *testing.T) {
			probe := *c
			probe.t = t
			if tc.client != nil {
				tc.client(&probe)
			}
			req := probe.newRequest(context.Background(), "GET", uri, "")
			if tc.header != nil {
				tc.header(&probe, req)
			}
			status, data, header := probe.send(req)
			if status != tc.want {
				t.Fatalf("status %d, want %d; body %s", status, tc.want, data)
			}
			if header.Get("Date") == "" {
				t.Error("no Date header")
			}
			if status == http.StatusUnauthorized {
				if got := decode[wireError](t, data).Error; got.Code != "200" || got.Message != "Authentication Failed" {
					t.Fatalf("error %+v, want 200 Authentication Failed", got)
				}
			}
		})
	}
	if got := emu.Stats(); got.Responses[http.StatusUnauthorized] != 8 || got.Requests[RouteList] != 11 {
		t.Errorf("stats %+v, want 11 lists of which 8 were refused", got)
	}
}

func TestQueryIsSignedAsSentOnTheWire(t *testing.T) {
	emu, c := newAPI(t, Config{})
	emu.PutKey("a web b", "")
	page := decode[wirePage](t, c.expect(http.StatusOK, "GET", "/api/v1/api-keys?apiKeyName=a%20web&limit=10", ""))
	if page.Total != 1 {
		t.Fatalf("total %d, want 1", page.Total)
	}
}

func TestOtherAccountSignsOnlyWithASecret(t *testing.T) {
	const otherSecret = "OTHERSECRET"
	t.Run("without", func(t *testing.T) {
		emu, c := newAPI(t, Config{})
		c.as(emu.OtherAccessKey(), otherSecret).expectError(http.StatusUnauthorized, "200", "GET", "/api/v1/api-keys", "")
		c.as(emu.OtherAccessKey(), "").expectError(http.StatusUnauthorized, "200", "GET", "/api/v1/api-keys", "")
	})
	t.Run("with", func(t *testing.T) {
		emu, c := newAPI(t, Config{OtherAccessKey: "AKIDCOLLEAGUE", OtherSecretKey: otherSecret})
		other := c.as("AKIDCOLLEAGUE", otherSecret)
		other.expect(http.StatusOK, "GET", "/api/v1/api-keys", "")
		c.expect(http.StatusOK, "GET", "/api/v1/api-keys", "")
		// Each account signs with its own secret only.
		c.as("AKIDCOLLEAGUE", testSecretKey).expectError(http.StatusUnauthorized, "200", "GET", "/api/v1/api-keys", "")
		c.as(testAccessKey, otherSecret).expectError(http.StatusUnauthorized, "200", "GET", "/api/v1/api-keys", "")
		if got := emu.Stats().Responses; got[http.StatusOK] != 2 || got[http.StatusUnauthorized] != 2 {
			t.Fatalf("responses %v", got)
		}
	})
}

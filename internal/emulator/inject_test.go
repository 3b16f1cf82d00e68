package emulator

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

func TestErrorFaultsCommitNothing(t *testing.T) {
	for _, tc := range []struct {
		fault      Fault
		status     int
		code       string // NCP errorCode; "" for an HTML page
		htmlPrefix string
	}{
		{Fault{Kind: FaultError}, 503, "500", ""},
		{Fault{Kind: FaultError, Status: 503}, 503, "500", ""},
		{Fault{Kind: FaultError, Status: 504}, 504, "510", ""},
		{Fault{Kind: FaultError, Status: 500}, 500, "900", ""},
		{Fault{Kind: FaultError, Status: 429}, 429, "410", ""},
		{Fault{Kind: FaultError, Status: 502}, 502, "", "<html><body><h1>502 Bad Gateway</h1>"},
		{Fault{Kind: FaultHTML}, 503, "", "<html><body><h1>503 Service Temporarily Unavailable</h1></body></html>"},
		{Fault{Kind: FaultHTML, Status: 504}, 504, "", "<html><body><h1>504 Gateway Timeout</h1>"},
	} {
		t.Run(fmt.Sprintf("%s %d", tc.fault.Kind, tc.fault.Status), func(t *testing.T) {
			emu, c := newAPI(t, Config{})
			emu.SetFaults(Faults{Faults: []Fault{tc.fault}})
			status, data, header := c.do("POST", "/api/v1/api-keys", `{"apiKeyName":"web"}`)
			if status != tc.status {
				t.Fatalf("status %d, want %d", status, tc.status)
			}
			if tc.code != "" {
				if got := decode[wireError](t, data).Error.Code; got != tc.code {
					t.Fatalf("errorCode %q, want %q", got, tc.code)
				}
			} else if !strings.HasPrefix(string(data), tc.htmlPrefix) || header.Get("Content-Type") != "text/html" {
				t.Fatalf("body %q (%s), want an HTML page starting %q", data, header.Get("Content-Type"), tc.htmlPrefix)
			}
			if keys := emu.Keys(); len(keys) != 0 {
				t.Fatalf("a failed create committed %d keys", len(keys))
			}
		})
	}
}

func TestTruncatedFaultCommits(t *testing.T) {
	emu, c := newAPI(t, Config{})
	emu.SetFaults(Faults{Faults: []Fault{{Kind: FaultTruncated}}})
	status, data, header := c.do("POST", "/api/v1/api-keys", `{"apiKeyName":"web"}`)
	if status != http.StatusOK || header.Get("Content-Type") != "application/json" {
		t.Fatalf("status %d, content type %q; want 200 application/json", status, header.Get("Content-Type"))
	}
	if json.Valid(data) {
		t.Fatalf("the body is whole: %s", data)
	}
	keys := emu.Keys()
	if len(keys) != 1 {
		t.Fatalf("%d keys committed, want 1", len(keys))
	}
	whole, err := json.Marshal(keyEnvelope{keys[0]})
	if err != nil {
		t.Fatal(err)
	}
	if string(data) != string(whole[:len(whole)/2]) {
		t.Fatalf("body %s, want the first half of %s", data, whole)
	}
}

func TestDropFaultCommitsAndClosesTheConnection(t *testing.T) {
	emu, c := newAPI(t, Config{})
	emu.SetFaults(Faults{Faults: []Fault{{Route: RouteCreate, Kind: FaultDrop}}})
	resp, err := c.hc.Do(c.newRequest(context.Background(), "POST", "/api/v1/api-keys", `{"apiKeyName":"web"}`))
	if err == nil {
		resp.Body.Close()
		t.Fatalf("the client got an answer, status %d; want a dropped connection", resp.StatusCode)
	}
	if keys := emu.Keys(); len(keys) != 1 || keys[0].Name != "web" {
		t.Fatalf("keys %+v, want the dropped create committed", keys)
	}
	waitFor(t, func() bool { return emu.Stats().Responses[0] == 1 }, "a dropped answer counted as status 0")
	c.expect(http.StatusOK, "GET", "/api/v1/api-keys", "") // other routes are unaffected
}

func TestDropWithoutHijackAborts(t *testing.T) {
	emu := New(Config{AccessKey: testAccessKey, SecretKey: testSecretKey, Seed: 1})
	emu.SetFaults(Faults{Faults: []Fault{{Kind: FaultDrop}}})
	c := &client{t: t, accessKey: testAccessKey, secretKey: testSecretKey}
	req := c.newRequest(context.Background(), "POST", "/api/v1/api-keys", `{"apiKeyName":"web"}`)
	req.RequestURI = req.URL.RequestURI()

	defer func() {
		if r := recover(); r != http.ErrAbortHandler {
			t.Fatalf("recovered %v, want http.ErrAbortHandler", r)
		}
		if len(emu.Keys()) != 1 || emu.Stats().Responses[0] != 1 {
			t.Fatal("the aborted create was not committed and counted as status 0")
		}
	}()
	emu.ServeHTTP(httptest.NewRecorder(), req)
}

func TestFaultCountRateAndRoute(t *testing.T) {
	emu, c := newAPI(t, Config{Seed: 7})
	faults := Faults{Faults: []Fault{
		{Route: RouteCreate, Kind: FaultError, Status: 504, Count: 2},
		{Kind: FaultError, Status: 500, Rate: 0.5},
	}}
	emu.SetFaults(faults)

	// The create fault fires twice, then the next matching fault takes over.
	c.expectError(http.StatusGatewayTimeout, "510", "POST", "/api/v1/api-keys", `{"apiKeyName":"a"}`)
	c.expectError(http.StatusGatewayTimeout, "510", "POST", "/api/v1/api-keys", `{"apiKeyName":"a"}`)
	var failed int
	for range 100 {
		switch status, _, _ := c.do("GET", "/api/v1/api-keys", ""); status {
		case http.StatusInternalServerError:
			failed++
		case http.StatusOK:
		default:
			t.Fatalf("status %d", status)
		}
	}
	if failed < 20 || failed > 80 {
		t.Fatalf("%d of 100 lists failed at rate 0.5", failed)
	}

	// SetFaults starts the count again.
	emu.SetFaults(Faults{Faults: faults.Faults[:1]})
	c.expectError(http.StatusGatewayTimeout, "510", "POST", "/api/v1/api-keys", `{"apiKeyName":"a"}`)
	c.expectError(http.StatusGatewayTimeout, "510", "POST", "/api/v1/api-keys", `{"apiKeyName":"a"}`)
	c.create("a", "")
	c.expect(http.StatusOK, "GET", "/api/v1/api-keys", "")
}

func TestLatencyEndsWhenTheClientLeaves(t *testing.T) {
	emu, c := newAPI(t, Config{})
	emu.SetFaults(Faults{Latency: time.Minute})
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	if resp, err := c.hc.Do(c.newRequest(ctx, "POST", "/api/v1/api-keys", `{"apiKeyName":"a"}`)); err == nil {
		resp.Body.Close()
		t.Fatal("the request did not time out")
	}
	waitFor(t, func() bool { return emu.Stats().Responses[0] == 1 }, "the abandoned request to end")
	if len(emu.Keys()) != 0 {
		t.Fatal("an abandoned create was committed")
	}
}

package emulator

import (
	"net/http"
	"strings"
	"testing"
)

func TestOversizedBodyIsRejected(t *testing.T) {
	_, c := newAPI(t, Config{})
	body := `{"apiKeyName":"a","apiKeyDescription":"` + strings.Repeat("x", maxBodyBytes) + `"}`
	c.expectError(http.StatusRequestEntityTooLarge, "430", "POST", "/api/v1/api-keys", body)
}

func TestNumericErrorCodes(t *testing.T) {
	emu, c := newAPI(t, Config{NumericErrorCodes: true})
	for _, tc := range []struct {
		name, method, uri, body string
		setup                   func()
		status                  int
		want                    string
	}{
		{name: "not found", method: "GET", uri: "/api/v1/api-keys/nosuchkey0", status: 404, want: `{"error":{"errorCode":300,"message":"Not Found Exception"}}`},
		{name: "bad request", method: "GET", uri: "/api/v1/api-keys?limit=0", status: 400, want: `{"error":{"errorCode":100,"message":"Bad Request Exception: limit must be an integer of at least 1, got \"0\""}}`},
		{name: "unknown path", method: "GET", uri: "/api/v1/nothing", status: 404, want: `{"error":{"errorCode":300,"message":"Not Found Exception"}}`},
		{name: "fault", method: "GET", uri: "/api/v1/api-keys", status: 504, want: `{"error":{"errorCode":510,"message":"Endpoint Timeout"}}`,
			setup: func() { emu.SetFaults(Faults{Faults: []Fault{{Kind: FaultError, Status: 504, Count: 1}}}) }},
		{name: "throttled", method: "GET", uri: "/api/v1/api-keys", status: 429, want: `{"error":{"errorCode":410,"message":"Throttle Limited"}}`,
			setup: func() {
				emu.SetFaults(Faults{RateLimit: 0.001})
				c.expect(http.StatusOK, "GET", "/api/v1/api-keys", "")
			}},
	} {
		if tc.setup != nil {
			tc.setup()
		}
		if data := c.expect(tc.status, tc.method, tc.uri, tc.body); string(data) != tc.want {
			t.Errorf("%s: %s, want %s", tc.name, data, tc.want)
		}
	}
	emu.SetFaults(Faults{})
	if data := c.as(testAccessKey, "WRONG").expect(http.StatusUnauthorized, "GET", "/api/v1/api-keys", ""); string(data) != `{"error":{"errorCode":200,"message":"Authentication Failed"}}` {
		t.Errorf("authentication failed: %s", data)
	}
}

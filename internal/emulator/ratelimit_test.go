package emulator

import (
	"net/http"
	"testing"
)

func TestRateLimit(t *testing.T) {
	emu, c := newAPI(t, Config{})
	emu.SetFaults(Faults{RateLimit: 0.01, RateBurst: 3})
	for range 3 {
		c.expect(http.StatusOK, "GET", "/api/v1/api-keys", "")
	}
	c.expectError(http.StatusTooManyRequests, "410", "GET", "/api/v1/api-keys", "")
	c.expectError(http.StatusTooManyRequests, "410", "POST", "/api/v1/api-keys", `{"apiKeyName":"a"}`)
	if len(emu.Keys()) != 0 {
		t.Fatal("a throttled create was committed")
	}

	// Buckets are per access key: another key is not throttled, only unknown.
	other := *c
	other.accessKey = "AKIDOTHER"
	other.expectError(http.StatusUnauthorized, "200", "GET", "/api/v1/api-keys", "")

	stats := emu.Stats()
	if stats.Throttled != 2 || stats.Responses[http.StatusTooManyRequests] != 2 || stats.Requests[RouteList] != 5 {
		t.Fatalf("stats %+v; want 2 throttled of 5 lists", stats)
	}
}

func TestRateLimitDefaultBurst(t *testing.T) {
	emu, c := newAPI(t, Config{})
	emu.SetFaults(Faults{RateLimit: 0.5})
	c.expect(http.StatusOK, "GET", "/api/v1/api-keys", "")
	c.expectError(http.StatusTooManyRequests, "410", "GET", "/api/v1/api-keys", "")
}

package emulator

import (
	"net/http"
	"testing"
	"time"
)

func TestRateLimit(t *testing.T) {
	emu, c := newAPI(t, Config{OtherSecretKey: "OTHERSECRET"})
	emu.SetFaults(Faults{RateLimit: 0.01, RateBurst: 3})
	for range 3 {
		c.expect(http.StatusOK, "GET", "/api/v1/api-keys", "")
	}
	c.expectError(http.StatusTooManyRequests, "410", "GET", "/api/v1/api-keys", "")
	c.expectError(http.StatusTooManyRequests, "410", "POST", "/api/v1/api-keys", `{"apiKeyName":"a"}`)
	if len(emu.Keys()) != 0 {
		t.Fatal("a throttled create was committed")
	}

	// Buckets are per access key: an unknown key is not throttled, only
	// refused, and the other account has a bucket of its own.
	c.as("AKIDUNKNOWN", testSecretKey).expectError(http.StatusUnauthorized, "200", "GET", "/api/v1/api-keys", "")
	other := c.as(emu.OtherAccessKey(), "OTHERSECRET")
	for range 3 {
		other.expect(http.StatusOK, "GET", "/api/v1/api-keys", "")
	}
	other.expectError(http.StatusTooManyRequests, "410", "GET", "/api/v1/api-keys", "")

	stats := emu.Stats()
	if stats.Throttled != 3 || stats.Responses[http.StatusTooManyRequests] != 3 || stats.Requests[RouteList] != 9 {
		t.Fatalf("stats %+v; want 3 throttled of 9 lists", stats)
	}

	// SetFaults refills every bucket.
	emu.SetFaults(Faults{RateLimit: 0.01, RateBurst: 3})
	c.expect(http.StatusOK, "GET", "/api/v1/api-keys", "")
}

func TestRateLimitRefills(t *testing.T) {
	emu, c := newAPI(t, Config{})
	emu.SetFaults(Faults{RateLimit: 5, RateBurst: 1})
	c.expect(http.StatusOK, "GET", "/api/v1/api-keys", "")
	c.expectError(http.StatusTooManyRequests, "410", "GET", "/api/v1/api-keys", "")
	time.Sleep(500 * time.Millisecond) // over two tokens' worth at 5/s; the bucket holds one
	c.expect(http.StatusOK, "GET", "/api/v1/api-keys", "")
	c.expectError(http.StatusTooManyRequests, "410", "GET", "/api/v1/api-keys", "")
}

func TestRateLimitDefaultBurst(t *testing.T) {
	emu, c := newAPI(t, Config{})
	emu.SetFaults(Faults{RateLimit: 0.5})
	c.expect(http.StatusOK, "GET", "/api/v1/api-keys", "")
	c.expectError(http.StatusTooManyRequests, "410", "GET", "/api/v1/api-keys", "")

	// max(1, ceil(2.5)) = 3
	emu.SetFaults(Faults{RateLimit: 2.5})
	for range 3 {
		c.expect(http.StatusOK, "GET", "/api/v1/api-keys", "")
	}
	c.expectError(http.StatusTooManyRequests, "410", "GET", "/api/v1/api-keys", "")
}

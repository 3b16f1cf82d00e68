package emulator

import (
	"net/http"
	"strings"
	"testing"
	"time"
)

func TestClockOffsetShiftsTheWindowAndDate(t *testing.T) {
	emu, c := newAPI(t, Config{})
	emu.SetFaults(Faults{ClockOffset: time.Hour})

	status, _, header := c.do("GET", "/api/v1/api-keys", "")
	if status != http.StatusUnauthorized {
		t.Fatalf("a client on host time got %d, want 401 from a server an hour ahead", status)
	}
	date, err := http.ParseTime(header.Get("Date"))
	if err != nil {
		t.Fatal(err)
	}
	if skew := date.Sub(time.Now().Add(time.Hour)); skew.Abs() > 5*time.Second {
		t.Fatalf("Date %v is %v from the server clock", date, skew)
	}

	c.skew = time.Hour // the client corrects its clock from Date
	c.expect(http.StatusOK, "GET", "/api/v1/api-keys", "")
	created := c.create("web", "")
	modTime, err := time.Parse(time.RFC3339, created.ModTime)
	if err != nil || modTime.Sub(time.Now().Add(time.Hour)).Abs() > 5*time.Second {
		t.Fatalf("modTime %s is not from the server clock (%v)", created.ModTime, err)
	}
}

func TestUnknownPathsAndMethods(t *testing.T) {
	_, c := newAPI(t, Config{})
	c.expectError(http.StatusNotFound, "300", "GET", "/api/v1/nothing", "")
	c.expectError(http.StatusNotFound, "300", "GET", "/api/v1/api-keys/a/stages", "")
	c.expectError(http.StatusNotFound, "300", "GET", "/api/v1", "")

	_, _, header := c.do("PATCH", "/api/v1/api-keys", "{}")
	c.expectError(http.StatusMethodNotAllowed, "100", "PATCH", "/api/v1/api-keys", "{}")
	if got := header.Get("Allow"); got != "GET, POST" {
		t.Fatalf("Allow %q", got)
	}
	c.expectError(http.StatusMethodNotAllowed, "100", "POST", "/api/v1/api-keys/abc", "{}")

	// Outside the API, unsigned: NCP's envelope too, as NCP's gateway
	// answers a base URL without /api/v1.
	c.expectError(http.StatusNotFound, "300", "GET", "/api-keys/abc", "")
}

func TestForeignUnknownPaths(t *testing.T) {
	_, c := newAPI(t, Config{ForeignUnknownPaths: true})
	for _, uri := range []string{"/api/v1/nothing", "/api-keys/abc", "/elsewhere"} {
		status, body, header := c.do("GET", uri, "")
		if status != http.StatusNotFound || !strings.HasPrefix(header.Get("Content-Type"), "text/html") || strings.Contains(string(body), "errorCode") {
			t.Errorf("%s: %d %q %s, want a bare HTML 404", uri, status, header.Get("Content-Type"), body)
		}
	}
	c.expect(http.StatusOK, "GET", "/api/v1/api-keys", "")
}

func TestLatency(t *testing.T) {
	emu, c := newAPI(t, Config{})
	const latency = 80 * time.Millisecond
	emu.SetFaults(Faults{Latency: latency, LatencyJitter: 10 * time.Millisecond})
	start := time.Now()
	c.expect(http.StatusOK, "GET", "/api/v1/api-keys", "")
	if elapsed := time.Since(start); elapsed < latency {
		t.Fatalf("answered in %v, before the latency of %v", elapsed, latency)
	}
}

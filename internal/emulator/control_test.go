package emulator

import (
	"net/http"
	"reflect"
	"strings"
	"testing"
	"time"
)

func TestControlEndpoints(t *testing.T) {
	emu, c := newAPI(t, Config{})
	c.create("web", "")

	status, data := c.control("GET", "/_emulator/stats", "")
	if stats := decode[Stats](t, data); status != http.StatusOK || stats.Requests[RouteCreate] != 1 || stats.Responses[200] != 1 {
		t.Fatalf("stats: %d %s", status, data)
	}
	if status, _ := c.control("POST", "/_emulator/stats/reset", ""); status != http.StatusNoContent {
		t.Fatalf("reset: %d", status)
	}
	if stats := emu.Stats(); len(stats.Requests) != 0 {
		t.Fatalf("after reset: %+v", stats)
	}

	const faults = `{"latency":"5ms","faults":[{"route":"regenerate","kind":"drop","rate":0.5,"count":3}],"rate_limit":10,"clock_offset":-90000000000}`
	if status, data := c.control("PUT", "/_emulator/faults", faults); status != http.StatusNoContent {
		t.Fatalf("put faults: %d %s", status, data)
	}
	want := Faults{Latency: 5 * time.Millisecond, Faults: []Fault{{Route: RouteRegenerate, Kind: FaultDrop, Rate: 0.5, Count: 3}}, RateLimit: 10, ClockOffset: -90 * time.Second}
	if got := emu.Faults(); !reflect.DeepEqual(got, want) {
		t.Fatalf("faults set to %+v, want %+v", got, want)
	}
	if _, data := c.control("GET", "/_emulator/faults", ""); !strings.Contains(string(data), `"clock_offset":"-1m30s"`) || !reflect.DeepEqual(decode[Faults](t, data), want) {
		t.Fatalf("get faults: %s", data)
	}
	for _, bad := range []string{`{"faults":[{"kind":"explode"}]}`, `{"latency":"fast"}`, `[`} {
		if status, _ := c.control("PUT", "/_emulator/faults", bad); status != http.StatusBadRequest {
			t.Errorf("put %s: %d, want 400", bad, status)
		}
	}
	if got := emu.Faults(); !reflect.DeepEqual(got, want) {
		t.Fatalf("a rejected put changed the faults to %+v", got)
	}

	status, data = c.control("POST", "/_emulator/keys", `{"apiKeyName":"bench","count":3}`)
	seeded := decode[wirePage](t, data)
	if status != http.StatusOK || seeded.Total != 3 || len(seeded.APIKeys) != 3 || seeded.APIKeys[2].Name != "bench-3" || !keyPattern.MatchString(seeded.APIKeys[0].PrimaryKey) {
		t.Fatalf("seed: %d %s", status, data)
	}
	if status, _ := c.control("POST", "/_emulator/keys", `{"count":0}`); status != http.StatusBadRequest {
		t.Fatalf("seeding 0 keys: %d", status)
	}
	_, data = c.control("GET", "/_emulator/keys", "")
	if all := decode[wirePage](t, data); all.Total != 4 || all.APIKeys[0].Name != "web" || all.APIKeys[0].PrimaryKey == "" {
		t.Fatalf("keys: %s", data)
	}
	if stats := emu.Stats(); len(stats.Requests)+len(stats.Responses) != 0 {
		t.Fatalf("control requests were counted: %+v", stats)
	}
}

func TestControlSeedsManyKeys(t *testing.T) {
	emu, c := newAPI(t, Config{})
	if status, data := c.control("POST", "/_emulator/keys", `{"apiKeyName":"k","count":10000}`); status != http.StatusOK {
		t.Fatalf("seed: %d %.200s", status, data)
	}
	if n := len(emu.Keys()); n != 10000 {
		t.Fatalf("%d keys", n)
	}
	page := decode[wirePage](t, c.expect(http.StatusOK, "GET", "/api/v1/api-keys?apiKeyName=k-9999&limit=100", ""))
	if page.Total != 1 || page.APIKeys[0].Name != "k-9999" {
		t.Fatalf("filtering 10,000 keys: %+v", page)
	}
}

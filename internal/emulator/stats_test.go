package emulator

import (
	"net/http"
	"reflect"
	"testing"
)

func TestStatsCountRoutesAndStatuses(t *testing.T) {
	emu, c := newAPI(t, Config{})
	emu.PutKey("console", "") // not an API request
	k := c.create("web", "")
	uri := "/api/v1/api-keys/" + k.ID
	c.expect(http.StatusOK, "GET", uri, "")
	c.expect(http.StatusOK, "GET", "/api/v1/api-keys", "")
	c.expect(http.StatusBadRequest, "GET", "/api/v1/api-keys?limit=0", "")
	c.expect(http.StatusOK, "PUT", uri, `{"isEnabled":true,"apiKeyName":"w"}`)
	c.expect(http.StatusOK, "PATCH", uri, `{"keyType":"SECONDARY"}`)
	c.expect(http.StatusNoContent, "DELETE", uri, "")
	c.expect(http.StatusNotFound, "GET", "/api/v1/nothing", "")

	want := Stats{
		Requests:  map[Route]int{RouteCreate: 1, RouteGet: 1, RouteList: 2, RouteEdit: 1, RouteRegenerate: 1, RouteDelete: 1},
		Responses: map[int]int{200: 5, 204: 1, 400: 1, 404: 1},
		Faults:    map[FaultKind]int{},
	}
	got := emu.Stats()
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("stats %+v, want %+v", got, want)
	}
	got.Requests[RouteCreate] = 99
	if emu.Stats().Requests[RouteCreate] != 1 {
		t.Fatal("Stats shares its maps with the emulator")
	}
	emu.ResetStats()
	if got := emu.Stats(); len(got.Requests)+len(got.Responses)+got.Throttled != 0 {
		t.Fatalf("after reset: %+v", got)
	}
}

func TestStatsCountFaultsByKind(t *testing.T) {
	emu, c := newAPI(t, Config{})
	emu.SetFaults(Faults{Faults: []Fault{
		{Route: RouteList, Kind: FaultHTML, Count: 2},
		{Route: RouteCreate, Kind: FaultTwin, Count: 1},
		{Route: RouteCreate, Kind: FaultTruncated, Count: 1},
		{Route: RouteGet, Kind: FaultStall, Delay: 1, Count: 1},
	}})
	for range 3 {
		c.do("GET", "/api/v1/api-keys", "")
	}
	c.do("POST", "/api/v1/api-keys", `{"apiKeyName":"web"}`)
	k := c.create("web", "")
	c.expect(http.StatusOK, "GET", "/api/v1/api-keys/"+k.ID, "")

	want := map[FaultKind]int{FaultHTML: 2, FaultTwin: 1, FaultTruncated: 1, FaultStall: 1}
	got := emu.Stats()
	if !reflect.DeepEqual(got.Faults, want) {
		t.Fatalf("Stats.Faults %v, want %v", got.Faults, want)
	}
	got.Faults[FaultHTML] = 99
	if emu.Stats().Faults[FaultHTML] != 2 {
		t.Fatal("Stats shares its fault counts with the emulator")
	}
	emu.ResetStats()
	if got := emu.Stats().Faults; len(got) != 0 {
		t.Fatalf("after reset: %v", got)
	}
}

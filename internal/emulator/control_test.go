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

func TestControlActsAsTheOtherAccount(t *testing.T) {
	emu, c := newAPI(t, Config{})
	ours := c.create("web", "mine")
	keyPath := "/_emulator/keys/" + ours.ID

	status, data := c.control("PUT", keyPath, `{"isEnabled":false}`)
	edited := decode[wireKey](t, data)
	if status != http.StatusOK || edited.Enabled || edited.Name != "web" || edited.Description != "mine" || edited.Modifier != emu.OtherModifier() || edited.PrimaryKey != ours.PrimaryKey {
		t.Fatalf("partial edit: %d %s", status, data)
	}
	status, data = c.control("PUT", keyPath, `{"apiKeyName":"renamed","apiKeyDescription":""}`)
	if edited = decode[wireKey](t, data); status != http.StatusOK || edited.Name != "renamed" || edited.Description != "" || edited.Enabled {
		t.Fatalf("rename: %d %s", status, data)
	}
	viewed := decode[wireKey](t, c.expect(http.StatusOK, "GET", "/api/v1/api-keys/"+ours.ID, ""))
	if viewed != edited {
		t.Fatalf("the API shows %+v, the control endpoint answered %+v", viewed, edited)
	}

	status, data = c.control("POST", keyPath+"/regenerate", `{"keyType":"PRIMARY"}`)
	regenerated := decode[wireKey](t, data)
	if status != http.StatusOK || regenerated.PrimaryKey == ours.PrimaryKey || regenerated.SecondaryKey != ours.SecondaryKey || regenerated.Modifier != emu.OtherModifier() {
		t.Fatalf("regenerate: %d %s", status, data)
	}
	for _, bad := range []string{`{"keyType":"BOTH"}`, `{}`, `[`} {
		if status, _ := c.control("POST", keyPath+"/regenerate", bad); status != http.StatusBadRequest {
			t.Errorf("regenerate %s: %d, want 400", bad, status)
		}
	}
	if status, _ := c.control("PUT", keyPath, `{"isEnabled":"no"}`); status != http.StatusBadRequest {
		t.Errorf("an edit of the wrong type: %d, want 400", status)
	}

	if status, _ := c.control("DELETE", keyPath, ""); status != http.StatusNoContent {
		t.Fatalf("delete: %d", status)
	}
	if _, ok := emu.Key(ours.ID); ok {
		t.Fatal("the deleted key is still there")
	}
	for _, tc := range []struct{ method, path, body string }{
		{"PUT", keyPath, `{"isEnabled":true}`},
		{"DELETE", keyPath, ""},
		{"POST", keyPath + "/regenerate", `{"keyType":"PRIMARY"}`},
	} {
		if status, _ := c.control(tc.method, tc.path, tc.body); status != http.StatusNotFound {
			t.Errorf("%s %s of an unknown key: %d, want 404", tc.method, tc.path, status)
		}
	}
	if got := emu.Stats().Requests; !reflect.DeepEqual(got, map[Route]int{RouteCreate: 1, RouteGet: 1}) {
		t.Fatalf("control requests were counted: %+v", got)
	}
}

func TestControlAccountsAndFaultStats(t *testing.T) {
	emu, c := newAPI(t, Config{OtherAccessKey: "AKIDCOLLEAGUE", OtherSecretKey: "NEVER-SHOWN"})
	status, data := c.control("GET", "/_emulator/accounts", "")
	want := `{"accessKey":"` + testAccessKey + `","modifier":"` + emu.Modifier() + `","otherAccessKey":"AKIDCOLLEAGUE","otherModifier":"` + emu.OtherModifier() + `"}`
	if status != http.StatusOK || string(data) != want {
		t.Fatalf("accounts: %d %s, want %s", status, data, want)
	}

	emu.SetFaults(Faults{Faults: []Fault{{Kind: FaultHTML, Count: 1}}})
	c.do("GET", "/api/v1/api-keys", "")
	_, data = c.control("GET", "/_emulator/stats", "")
	if !strings.Contains(string(data), `"faults":{"html":1}`) {
		t.Fatalf("stats: %s", data)
	}
}

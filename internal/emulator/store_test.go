package emulator

import (
	"net/http"
	"testing"
)

func TestOutOfBandChanges(t *testing.T) {
	emu, c := newAPI(t, Config{})
	k := emu.PutKey("console", "made by hand")
	if !k.Enabled || !idPattern.MatchString(k.ID) || k.Modifier == "" {
		t.Fatalf("PutKey made %+v", k)
	}
	ok := emu.UpdateKey(k.ID, func(k *Key) {
		k.Name, k.Enabled, k.ID = "renamed", false, "hijacked"
	})
	if !ok {
		t.Fatal("UpdateKey found no key")
	}
	viewed := decode[wireKey](t, c.expect(http.StatusOK, "GET", "/api/v1/api-keys/"+k.ID, ""))
	if viewed.Name != "renamed" || viewed.Enabled {
		t.Fatalf("the API shows %+v after an out-of-band change", viewed)
	}
	if got, _ := emu.Key(k.ID); got.ModTime.Before(k.ModTime) {
		t.Fatalf("ModTime went back from %v to %v", k.ModTime, got.ModTime)
	}
	if emu.UpdateKey("nosuchkey0", func(*Key) {}) {
		t.Fatal("UpdateKey of an unknown id succeeded")
	}
	if !emu.DeleteKey(k.ID) || emu.DeleteKey(k.ID) {
		t.Fatal("DeleteKey should succeed once")
	}
	c.expectError(http.StatusNotFound, "300", "GET", "/api/v1/api-keys/"+k.ID, "")
	if got := emu.Stats().Requests[RouteCreate]; got != 0 {
		t.Fatalf("out-of-band changes counted as %d creates", got)
	}
}

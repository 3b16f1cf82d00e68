package emulator

import (
	"net/http"
	"testing"
	"time"
)

func TestOutOfBandChanges(t *testing.T) {
	emu, c := newAPI(t, Config{})
	k := emu.PutKey("console", "made by hand")
	if !k.Enabled || !idPattern.MatchString(k.ID) || k.Modifier != emu.OtherModifier() {
		t.Fatalf("PutKey made %+v, want an enabled key written by the other account", k)
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

// TestOutOfBandWritesAreTheOtherAccounts changes a key the main account
// created: each out-of-band write records the other account and bumps
// modTime, which is what a client sees of a colleague's change.
func TestOutOfBandWritesAreTheOtherAccounts(t *testing.T) {
	emu, c := newAPI(t, Config{})
	ours := c.create("web", "")
	if ours.Modifier != emu.Modifier() {
		t.Fatalf("our create recorded %s, want %s", ours.Modifier, emu.Modifier())
	}
	past := time.Date(2020, 1, 2, 3, 4, 5, 0, time.UTC)
	backdate := func(k *Key) { k.ModTime = past } // so that a bump shows within the same second

	emu.UpdateKey(ours.ID, backdate)
	if k, _ := emu.Key(ours.ID); k.Modifier != emu.OtherModifier() || !k.ModTime.After(past) {
		t.Fatalf("after UpdateKey: modifier %s, modTime %v; want the other account's, now", k.Modifier, k.ModTime)
	}
	emu.UpdateKey(ours.ID, func(k *Key) { k.Modifier = emu.Modifier() }) // fn has the last word on Modifier
	if k, _ := emu.Key(ours.ID); k.Modifier != emu.Modifier() {
		t.Fatalf("UpdateKey overrode the modifier fn set: %s", k.Modifier)
	}

	emu.UpdateKey(ours.ID, func(k *Key) { k.Modifier, k.ModTime = emu.Modifier(), past })
	before, _ := emu.Key(ours.ID)
	after, ok := emu.RegenerateKey(ours.ID, "SECONDARY")
	if !ok || after.SecondaryKey == before.SecondaryKey || !keyPattern.MatchString(after.SecondaryKey) || after.PrimaryKey != before.PrimaryKey {
		t.Fatalf("RegenerateKey SECONDARY: %v, %+v from %+v", ok, after, before)
	}
	if after.Modifier != emu.OtherModifier() || !after.ModTime.After(past) {
		t.Fatalf("after RegenerateKey: modifier %s, modTime %v", after.Modifier, after.ModTime)
	}
	if stored, _ := emu.Key(ours.ID); stored != after {
		t.Fatalf("RegenerateKey returned %+v, stored %+v", after, stored)
	}
	viewed := decode[wireKey](t, c.expect(http.StatusOK, "GET", "/api/v1/api-keys/"+ours.ID, ""))
	if viewed.SecondaryKey != after.SecondaryKey || viewed.Modifier != emu.OtherModifier() {
		t.Fatalf("the API shows %+v", viewed)
	}
	if primary, _ := emu.RegenerateKey(ours.ID, "PRIMARY"); primary.PrimaryKey == after.PrimaryKey || primary.SecondaryKey != after.SecondaryKey {
		t.Fatalf("RegenerateKey PRIMARY: %+v", primary)
	}

	for _, bad := range []struct{ id, keyType string }{{"nosuchkey0", "PRIMARY"}, {ours.ID, "primary"}, {ours.ID, ""}} {
		if _, ok := emu.RegenerateKey(bad.id, bad.keyType); ok {
			t.Errorf("RegenerateKey(%q, %q) succeeded", bad.id, bad.keyType)
		}
	}
}

package chaos

import (
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/ncp-community/terraform-provider-ncp/internal/emulator"
)

// attrsOf is the state a faithful provider records for k.
func attrsOf(k emulator.Key) map[string]string {
	return map[string]string{
		"id": k.ID, "name": k.Name, "description": k.Description, "enabled": strconv.FormatBool(k.Enabled),
		"tenant_id": k.TenantID, "modifier": k.Modifier, "mod_time": k.ModTime.UTC().Format(time.RFC3339),
		"domain_code": k.DomainCode, "primary_key": k.PrimaryKey, "secondary_key": k.SecondaryKey,
		"store_key_values": "true",
	}
}

// consistentObservation is two managed keys and a bystander, all as they
// should be after a step that rotated the primary key of k1.
func consistentObservation(t *testing.T) (observation, *emulator.Emulator) {
	t.Helper()
	emu := emulator.New(emulator.Config{AccessKey: "AK", SecretKey: "SK", Seed: 1})
	k1, k2 := emu.PutKey("p-k1", ""), emu.PutKey("p-k2", "d")
	bystander := emu.PutKey("old-p-k1", "")
	before := map[string]emulator.Key{"k1": k1, "k2": k2}
	k1, _ = emu.RegenerateKey(k1.ID, keyTypePrimary)
	return observation{
		Prefix:     "p-",
		Config:     configuration{{Addr: "k1", Name: "p-k1"}, {Addr: "k2", Name: "p-k2", Description: "d"}},
		State:      []instance{{Addr: "k1", Attrs: attrsOf(k1)}, {Addr: "k2", Attrs: attrsOf(k2)}},
		Server:     emu.Keys(),
		Bystanders: []emulator.Key{bystander},
		Before:     before,
		Values:     map[string]valueExpectation{"k1": {Primary: mustChange}, "k2": {}},
	}, emu
}

// invariantsOf lists the invariants of the violations, once each.
func invariantsOf(vs []violation) []string {
	var names []string
	for _, v := range vs {
		if !slices.Contains(names, v.Invariant) {
			names = append(names, v.Invariant)
		}
	}
	return names
}

func TestInvariantsHoldForAFaithfulProvider(t *testing.T) {
	o, emu := consistentObservation(t)
	if found := o.check(); len(found) > 0 {
		t.Fatalf("a consistent observation breaks %v", found)
	}
	// The same, the rotation done by the faulty apply.
	o.AfterFaulty = map[string]emulator.Key{"k1": o.State[0].key(emu)}
	if found := o.check(); len(found) > 0 {
		t.Fatalf("a rotation by the faulty apply breaks %v", found)
	}
}

// TestInvariantsCatchEachViolation breaks one invariant at a time and
// expects the checks to name exactly it.
func TestInvariantsCatchEachViolation(t *testing.T) {
	for _, tc := range []struct {
		name  string
		spoil func(o *observation, emu *emulator.Emulator)
		want  []string
	}{
		{"stale modifier in state", func(o *observation, _ *emulator.Emulator) {
			o.State[1].Attrs["modifier"] = "someone"
		}, []string{invStateEqualsServer}},
		{"key values kept though store_key_values is false", func(o *observation, _ *emulator.Emulator) {
			o.State[1].Attrs["store_key_values"] = "false"
		}, []string{invStateEqualsServer}},
		{"key in state gone from the server", func(o *observation, emu *emulator.Emulator) {
			emu.DeleteKey(o.State[1].Attrs["id"])
			o.Server = emu.Keys()
		}, []string{invStateEqualsServer}},
		{"orphan", func(o *observation, emu *emulator.Emulator) {
			emu.PutKey("p-k2", "d")
			o.Server = emu.Keys()
		}, []string{invNoOrphans}},
		{"two resources, one key", func(o *observation, _ *emulator.Emulator) {
			o.Config = append(o.Config, keySpec{Addr: "k3", Name: "p-k2", Description: "d"})
			o.State = append(o.State, instance{Addr: "k3", Attrs: o.State[1].Attrs})
		}, []string{invUniqueIDs}},
		{"configured description not applied", func(o *observation, _ *emulator.Emulator) {
			o.Config[1].Description = "new"
		}, []string{invConfiguration}},
		{"resource missing from state", func(o *observation, _ *emulator.Emulator) {
			o.Config = append(o.Config, keySpec{Addr: "k3", Name: "p-k3"})
		}, []string{invConfiguration}},
		{"resource left in state after its removal", func(o *observation, _ *emulator.Emulator) {
			o.Config = o.Config[:1]
		}, []string{invConfiguration}},
		{"bystander deleted", func(o *observation, emu *emulator.Emulator) {
			emu.DeleteKey(o.Bystanders[0].ID)
			o.Server = emu.Keys()
		}, []string{invBystanders}},
		{"bystander edited", func(o *observation, emu *emulator.Emulator) {
			emu.UpdateKey(o.Bystanders[0].ID, func(k *emulator.Key) { k.Description = "x" })
			o.Server = emu.Keys()
		}, []string{invBystanders}},
		{"rotation skipped", func(o *observation, _ *emulator.Emulator) {
			o.Values["k2"] = valueExpectation{Secondary: mustChange}
		}, []string{invKeyValues}},
		{"regenerated without a rotation", func(o *observation, _ *emulator.Emulator) {
			o.Values["k1"] = valueExpectation{}
		}, []string{invKeyValues}},
		{"rotated twice", func(o *observation, emu *emulator.Emulator) {
			o.AfterFaulty = map[string]emulator.Key{"k1": o.State[0].key(emu)}
			k1, _ := emu.RegenerateKey(o.State[0].Attrs["id"], keyTypePrimary)
			o.State[0].Attrs = attrsOf(k1)
			o.Server = emu.Keys()
		}, []string{invKeyValues}},
		{"key replaced", func(o *observation, _ *emulator.Emulator) {
			o.Before["k2"] = o.Bystanders[0]
		}, []string{invKeyValues}},
		{"removed key left behind", func(o *observation, _ *emulator.Emulator) {
			o.Removed = []string{o.State[1].Attrs["id"]}
		}, []string{invRemovedGone}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			o, emu := consistentObservation(t)
			tc.spoil(&o, emu)
			if got := invariantsOf(o.check()); !slices.Equal(got, tc.want) {
				t.Errorf("broken invariants %q, want %q", got, tc.want)
			}
		})
	}
}

// TestDeletedOutOfBandExpectsAnyKey: a key deleted by the colleague comes
// back as a new key, which no value expectation applies to.
func TestDeletedOutOfBandExpectsAnyKey(t *testing.T) {
	o, _ := consistentObservation(t)
	o.Before["k2"] = o.Bystanders[0]
	o.Values["k2"] = valueExpectation{Gone: true}
	if found := o.check(); len(found) > 0 {
		t.Fatalf("a key recreated after an out-of-band delete breaks %v", found)
	}
}

// key is the emulator's record of the instance's key.
func (in instance) key(emu *emulator.Emulator) emulator.Key {
	k, _ := emu.Key(in.Attrs["id"])
	return k
}

// TestTwinsAreNotOrphans: a key the colleague made with one of our names
// while our create was in flight is theirs, not an orphan of ours.
func TestTwinsAreNotOrphans(t *testing.T) {
	o, emu := consistentObservation(t)
	twin := emu.PutKey("p-k2", "made by someone else")
	o.Server = emu.Keys()
	o.Twins = map[string]bool{twin.ID: true}
	if found := o.check(); len(found) > 0 {
		t.Fatalf("a twin breaks %v", found)
	}
}

// TestObservationLogsNoSecrets: the log of a failing step names state's and
// the server's keys, and who wrote them, but no key value.
func TestObservationLogsNoSecrets(t *testing.T) {
	o, _ := consistentObservation(t)
	logged := o.String()
	for _, k := range o.Server {
		if !strings.Contains(logged, k.ID) || strings.Contains(logged, k.PrimaryKey) || strings.Contains(logged, k.SecondaryKey) {
			t.Errorf("the log %q names not key %s, or holds its values", logged, k.ID)
		}
	}
	if !strings.Contains(logged, "k1="+o.State[0].Attrs["id"]) || !strings.Contains(logged, o.Server[0].Modifier) {
		t.Errorf("the log %q does not show state and the writers", logged)
	}
}

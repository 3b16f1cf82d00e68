package chaos

import (
	"maps"
	"testing"

	"github.com/ncp-community/terraform-provider-ncp/internal/acctest"
	"github.com/ncp-community/terraform-provider-ncp/internal/emulator"
)

// lostCreateOutput is how terraform prints an AmbiguousCreateError for
// p-k1, wrapped.
const lostCreateOutput = `
Error: Error creating API key "p-k1"

  with ncp_apigw_api_key.k1,
  on main.tf line 7, in resource "ncp_apigw_api_key" "k1":
   7: resource "ncp_apigw_api_key" "k1" {

creating API key "p-k1": the API's answer was lost (NCP API POST
/api/v1/api-keys: HTTP 500) and checking whether the key was created failed:
NCP API GET /api/v1/api-keys: HTTP 404; the key may have been created, with
the description "terraform-provider-ncp create 0123456789abcdef": list the keys
named "p-k1" in the console
`

// lostMarker is the marker in lostCreateOutput.
const lostMarker = "terraform-provider-ncp create 0123456789abcdef"

func TestImportLostCreates(t *testing.T) {
	emu := emulator.New(emulator.Config{AccessKey: acctest.AccessKey, SecretKey: acctest.SecretKey, Seed: 1})
	config := configuration{{Addr: "k1", Name: "p-k1"}, {Addr: "k2", Name: "p-k2"}}
	// A key the test account made through the API.
	ours := func(name, description string) emulator.Key {
		k := emu.PutKey(name, description)
		emu.UpdateKey(k.ID, func(k *emulator.Key) { k.Modifier = emulator.Modifier(acctest.AccessKey) })
		k, _ = emu.Key(k.ID)
		return k
	}
	lost := ours("p-k1", lostMarker)
	managed := ours("p-k2", "")
	state := []instance{{Addr: "k2", Attrs: map[string]string{"id": managed.ID}}}

	// The cases run in order, each adding keys to the server.
	for _, tc := range []struct {
		name   string
		output string
		setup  func()
		want   map[string]string
	}{
		{"the one key the error points to", lostCreateOutput, func() {}, map[string]string{"k1": lost.ID}},
		{"no advice, no remedy", "Error: Error creating API key \"p-k1\"\n\nHTTP 500", func() {}, map[string]string{}},
		{"a colleague's key of the same name is not ours", lostCreateOutput, func() { emu.PutKey("p-k1", "") }, map[string]string{"k1": lost.ID}},
		{"a key of ours without the marker is not this create's", lostCreateOutput, func() { ours("p-k1", "") }, map[string]string{"k1": lost.ID}},
		{"two keys with the marker cannot be told apart", lostCreateOutput, func() { ours("p-k1", lostMarker) }, map[string]string{}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tc.setup()
			if got := importLostCreates(tc.output, config, state, emu.Keys()); !maps.Equal(got, tc.want) {
				t.Fatalf("imports %v, want %v", got, tc.want)
			}
		})
	}
}

func TestLastLines(t *testing.T) {
	for _, tc := range []struct {
		in   string
		n    int
		want string
	}{
		{"a\nb\nc\n", 2, "b\nc"},
		{"a\nb", 5, "a\nb"},
		{"", 1, ""},
	} {
		if got := lastLines(tc.in, tc.n); got != tc.want {
			t.Errorf("lastLines(%q, %d) = %q, want %q", tc.in, tc.n, got, tc.want)
		}
	}
}

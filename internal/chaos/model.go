package chaos

import (
	"cmp"
	"fmt"
	"slices"
	"strings"

	"github.com/ncp-community/terraform-provider-ncp/internal/acctest"
	"github.com/ncp-community/terraform-provider-ncp/internal/emulator"
)

// keySpec is one ncp_apigw_api_key resource as the model wants it. Zero
// values leave the arguments unset, so that their defaults are exercised.
type keySpec struct {
	Addr          string // the resource's name: k1, k2...
	Name          string
	Description   string
	Disabled      bool   // enabled = false
	Trigger       string // rotate_trigger
	KeyType       string // rotate_key_type
	NoKeyValues   bool   // store_key_values = false
	CreateTimeout string // timeouts.create
	Import        bool   // an import block, in the step that adds the resource for a console key
}

const keyTypePrimary, keyTypeSecondary, keyTypeBoth = "PRIMARY", "SECONDARY", "BOTH"

// keyTypes are the values rotate_key_type is drawn from, unset included.
var keyTypes = []string{"", keyTypePrimary, keyTypeSecondary, keyTypeBoth}

func (k keySpec) keyType() string { return cmp.Or(k.KeyType, keyTypePrimary) }

// importChangesNothing: no trigger to record, and arguments that match a
// key described so as imported (enabled, the default key type and values).
func (k keySpec) importChangesNothing(description string) bool {
	return k.Trigger == "" && !k.Disabled && k.keyType() == keyTypePrimary && !k.NoKeyValues && k.Description == description
}

// configuration is what the model wants: its keys in the order they were added.
type configuration []keySpec

func (c configuration) find(addr string) int {
	return slices.IndexFunc(c, func(k keySpec) bool { return k.Addr == addr })
}

// hcl renders the configuration; importIDs holds the IDs the import blocks import.
func (c configuration) hcl(importIDs map[string]string) string {
	var b strings.Builder
	b.WriteString("terraform {\n  required_providers {\n    ncp = { source = \"ncp-community/ncp\" }\n  }\n}\n")
	line := func(set bool, format string, value any) {
		if set {
			fmt.Fprintf(&b, format, value)
		}
	}
	for _, k := range c {
		fmt.Fprintf(&b, "\nresource %q %q {\n  name = %q\n", acctest.KeyResourceType, k.Addr, k.Name)
		line(k.Description != "", "  description = %q\n", k.Description)
		line(k.Disabled, "  enabled = %t\n", false)
		line(k.Trigger != "", "  rotate_trigger = %q\n", k.Trigger)
		line(k.KeyType != "", "  rotate_key_type = %q\n", k.KeyType)
		line(k.NoKeyValues, "  store_key_values = %t\n", false)
		line(k.CreateTimeout != "", "  timeouts {\n    create = %q\n  }\n", k.CreateTimeout)
		b.WriteString("}\n")
		if k.Import {
			fmt.Fprintf(&b, "\nimport {\n  to = %s.%s\n  id = %q\n}\n", acctest.KeyResourceType, k.Addr, importIDs[k.Addr])
		}
	}
	return b.String()
}

// actKind is something the colleague does in the console, through the
// emulator's Go methods, which record the colleague as the key's modifier.
type actKind string

const (
	actDelete     actKind = "delete"
	actRename     actKind = "rename" // to a name the configuration does not own
	actDescribe   actKind = "describe"
	actToggle     actKind = "toggle"     // enables or disables
	actRegenerate actKind = "regenerate" // one key value, PRIMARY or SECONDARY
	actConsoleKey actKind = "console"    // makes a key that the configuration imports in the same step
)

// act is one out-of-band change to the key of the resource Addr, or, for
// actConsoleKey, of the resource that imports the new key.
type act struct {
	Kind  actKind
	Addr  string
	Value string // the new name or description, the key type to regenerate, the console key's name
}

func (a act) String() string {
	return strings.TrimSpace(fmt.Sprintf("%s %s %s", a.Kind, a.Addr, a.Value))
}

const consoleDescription = "made in the console"

// edits are the acts that edit a key.
var edits = map[actKind]func(k *emulator.Key, value string){
	actRename:   func(k *emulator.Key, name string) { k.Name = name },
	actDescribe: func(k *emulator.Key, description string) { k.Description = description },
	actToggle:   func(k *emulator.Key, _ string) { k.Enabled = !k.Enabled },
}

// apply does the act; ids maps resources to their keys' IDs, a console key's added.
func (a act) apply(emu *emulator.Emulator, ids map[string]string) error {
	done, id := false, ids[a.Addr]
	switch a.Kind {
	case actConsoleKey:
		ids[a.Addr], done = emu.PutKey(a.Value, consoleDescription).ID, true
	case actDelete:
		done = emu.DeleteKey(id)
	case actRegenerate:
		_, done = emu.RegenerateKey(id, a.Value)
	default:
		done = emu.UpdateKey(id, func(k *emulator.Key) { edits[a.Kind](k, a.Value) })
	}
	if !done {
		return fmt.Errorf("act %s: %s's key %q is not on the server", a, a.Addr, id)
	}
	return nil
}

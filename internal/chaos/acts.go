package chaos

import (
	"fmt"
	"strings"

	"github.com/ncp-community/terraform-provider-ncp/internal/emulator"
)

// actKind is something the colleague does in the console, out of band,
// through the emulator's Go methods, which record the colleague's account
// as the key's modifier.
type actKind string

const (
	actDelete     actKind = "delete"
	actRename     actKind = "rename" // to a name the configuration does not own
	actDescribe   actKind = "describe"
	actToggle     actKind = "toggle"     // enables or disables
	actRegenerate actKind = "regenerate" // one key value
	actConsoleKey actKind = "console"    // makes a key that the configuration imports in the same step
)

// act is one out-of-band change. Addr names the resource whose key it
// changes, or, for actConsoleKey, the resource that imports the new key.
type act struct {
	Kind    actKind
	Addr    string
	Value   string // the new name or description; the console key's name
	KeyType string // regenerate: PRIMARY or SECONDARY
}

func (a act) String() string {
	return strings.TrimSpace(fmt.Sprintf("%s %s %s %s", a.Kind, a.Addr, a.Value, a.KeyType))
}

const consoleDescription = "made in the console"

// apply does the act on emu. ids maps resources to their keys' IDs; a
// console key's ID is added to it. It fails when the key to change is not
// on the server, which the harness must never let happen.
func (a act) apply(emu *emulator.Emulator, ids map[string]string) error {
	if a.Kind == actConsoleKey {
		ids[a.Addr] = emu.PutKey(a.Value, consoleDescription).ID
		return nil
	}
	id := ids[a.Addr]
	var done bool
	switch a.Kind {
	case actDelete:
		done = emu.DeleteKey(id)
	case actRegenerate:
		_, done = emu.RegenerateKey(id, a.KeyType)
	default:
		done = emu.UpdateKey(id, func(k *emulator.Key) {
			switch a.Kind {
			case actRename:
				k.Name = a.Value
			case actDescribe:
				k.Description = a.Value
			default: // actToggle
				k.Enabled = !k.Enabled
			}
		})
	}
	if !done {
		return fmt.Errorf("act %s: %s's key %q is not on the server", a, a.Addr, id)
	}
	return nil
}

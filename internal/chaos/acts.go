package chaos

import (
	"fmt"

	"github.com/ncp-community/terraform-provider-ncp/internal/emulator"
)

// actKind is something the colleague does in the console, out of band,
// through the emulator's Go methods: every write records the colleague's
// account as the key's modifier.
type actKind string

const (
	actDelete     actKind = "delete"     // deletes a managed key
	actRename     actKind = "rename"     // renames a managed key to a name the configuration does not own
	actDescribe   actKind = "describe"   // changes a managed key's description
	actToggle     actKind = "toggle"     // enables or disables a managed key
	actRegenerate actKind = "regenerate" // regenerates one key value of a managed key
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
	switch a.Kind {
	case actRename, actDescribe, actConsoleKey:
		return fmt.Sprintf("%s %s %q", a.Kind, a.Addr, a.Value)
	case actRegenerate:
		return fmt.Sprintf("%s %s %s", a.Kind, a.Addr, a.KeyType)
	}
	return fmt.Sprintf("%s %s", a.Kind, a.Addr)
}

// consoleDescription is the description of the keys made in the console.
const consoleDescription = "made in the console"

// apply does the act on emu. ids maps resources to their keys' IDs; a
// console key's ID is added to it. It fails when the key to change is not
// on the server, which the harness must never let happen.
func (a act) apply(emu *emulator.Emulator, ids map[string]string) error {
	if a.Kind == actConsoleKey {
		ids[a.Addr] = emu.PutKey(a.Value, consoleDescription).ID
		return nil
	}
	id, ok := ids[a.Addr]
	if !ok {
		return fmt.Errorf("act %s: %s has no key", a, a.Addr)
	}
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
		return fmt.Errorf("act %s: key %s is not on the server", a, id)
	}
	return nil
}

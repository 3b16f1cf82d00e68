package chaos

import (
	"cmp"
	"fmt"
	"slices"
	"strings"

	"github.com/ncp-community/terraform-provider-ncp/internal/acctest"
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

const (
	keyTypePrimary   = "PRIMARY"
	keyTypeSecondary = "SECONDARY"
	keyTypeBoth      = "BOTH"
)

// keyTypes are the values rotate_key_type is drawn from, unset included.
var keyTypes = []string{"", keyTypePrimary, keyTypeSecondary, keyTypeBoth}

// keyType is the rotate_key_type in effect.
func (k keySpec) keyType() string { return cmp.Or(k.KeyType, keyTypePrimary) }

// importChangesNothing reports whether importing a key described so into k
// changes nothing: no trigger to record, and arguments that match the key
// as imported (enabled, the same description, the default key type and
// store_key_values).
func (k keySpec) importChangesNothing(description string) bool {
	return k.Trigger == "" && !k.Disabled && k.keyType() == keyTypePrimary && !k.NoKeyValues && k.Description == description
}

// configuration is what the model wants: its keys in the order they were added.
type configuration []keySpec

// find returns the index of the key at addr, or -1.
func (c configuration) find(addr string) int {
	return slices.IndexFunc(c, func(k keySpec) bool { return k.Addr == addr })
}

func (c configuration) spec(addr string) (keySpec, bool) {
	if i := c.find(addr); i >= 0 {
		return c[i], true
	}
	return keySpec{}, false
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

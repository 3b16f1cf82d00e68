package chaos

import (
	"fmt"
	"slices"
	"strings"

	"github.com/ncp-community/terraform-provider-ncp/internal/acctest"
)

// keySpec is one ncp_apigw_api_key resource of the configuration, as the
// model wants it. Zero values leave the arguments unset, so that their
// defaults are exercised too.
type keySpec struct {
	Addr          string // the resource's name: k1, k2...
	Name          string
	Description   string
	Disabled      bool   // enabled = false
	Trigger       string // rotate_trigger
	KeyType       string // rotate_key_type: PRIMARY, SECONDARY or BOTH
	NoKeyValues   bool   // store_key_values = false
	CreateTimeout string // timeouts.create
	// Import declares an import block for the key, in the step that adds
	// the resource for a key made in the console.
	Import bool
}

// keyType is the rotate_key_type in effect.
func (k keySpec) keyType() string {
	if k.KeyType == "" {
		return keyTypePrimary
	}
	return k.KeyType
}

// Values of rotate_key_type.
const (
	keyTypePrimary   = "PRIMARY"
	keyTypeSecondary = "SECONDARY"
	keyTypeBoth      = "BOTH"
)

// configuration is the whole configuration the model wants: its keys in the
// order they were added.
type configuration []keySpec

// find returns the index of the key at addr, or -1.
func (c configuration) find(addr string) int {
	return slices.IndexFunc(c, func(k keySpec) bool { return k.Addr == addr })
}

// findName returns the index of the key named name, or -1.
func (c configuration) findName(name string) int {
	return slices.IndexFunc(c, func(k keySpec) bool { return k.Name == name })
}

// spec returns the key at addr.
func (c configuration) spec(addr string) (keySpec, bool) {
	if i := c.find(addr); i >= 0 {
		return c[i], true
	}
	return keySpec{}, false
}

// hcl renders the configuration. importIDs holds the IDs of the keys whose
// spec says Import.
func (c configuration) hcl(importIDs map[string]string) string {
	var b strings.Builder
	b.WriteString(`terraform {
  required_providers {
    ncp = { source = "ncp-community/ncp" }
  }
}
`)
	for _, k := range c {
		fmt.Fprintf(&b, "\nresource %q %q {\n  name = %q\n", acctest.KeyResourceType, k.Addr, k.Name)
		if k.Description != "" {
			fmt.Fprintf(&b, "  description = %q\n", k.Description)
		}
		if k.Disabled {
			b.WriteString("  enabled = false\n")
		}
		if k.Trigger != "" {
			fmt.Fprintf(&b, "  rotate_trigger = %q\n", k.Trigger)
		}
		if k.KeyType != "" {
			fmt.Fprintf(&b, "  rotate_key_type = %q\n", k.KeyType)
		}
		if k.NoKeyValues {
			b.WriteString("  store_key_values = false\n")
		}
		if k.CreateTimeout != "" {
			fmt.Fprintf(&b, "  timeouts {\n    create = %q\n  }\n", k.CreateTimeout)
		}
		b.WriteString("}\n")
		if k.Import {
			fmt.Fprintf(&b, "\nimport {\n  to = %s.%s\n  id = %q\n}\n", acctest.KeyResourceType, k.Addr, importIDs[k.Addr])
		}
	}
	return b.String()
}

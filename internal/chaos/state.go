package chaos

import (
	"strconv"

	tfjson "github.com/hashicorp/terraform-json"

	"github.com/ncp-community/terraform-provider-ncp/internal/acctest"
)

// instance is one API key in Terraform's state.
type instance struct {
	Addr  string            // the resource's name: k1, k2...
	Attrs map[string]string // string and bool attributes; null and nested ones are absent
}

// readState reads the keys in state from `terraform show -json`. Its output
// holds the key values, so it is kept out of the step's output, which is
// checked for secrets; an error says nothing of what terraform printed.
func (r *seedRun) readState() []instance {
	code, out := r.tf.Run("show", "-json")
	var state tfjson.State
	if err := state.UnmarshalJSON([]byte(out)); code != 0 || err != nil {
		r.t.Fatalf("seed %d: terraform show -json exited %d: %v", r.plan.Seed, code, err)
	}
	if state.Values == nil {
		return nil
	}
	var keys []instance
	for _, rs := range state.Values.RootModule.Resources {
		if rs.Mode != tfjson.ManagedResourceMode || rs.Type != acctest.KeyResourceType {
			continue
		}
		in := instance{Addr: rs.Name, Attrs: map[string]string{}} // the model uses neither count nor for_each
		for name, value := range rs.AttributeValues {
			switch v := value.(type) {
			case string:
				in.Attrs[name] = v
			case bool:
				in.Attrs[name] = strconv.FormatBool(v)
			}
		}
		keys = append(keys, in)
	}
	return keys
}

package chaos

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"

	"github.com/ncp-community/terraform-provider-ncp/internal/acctest"
)

// instance is one API key in Terraform's state.
type instance struct {
	Addr  string            // the resource's name: k1, k2...
	Attrs map[string]string // string and bool attributes; null ones are absent
}

// readState reads the keys in the state file of the configuration in dir.
// The state file is what `terraform show -json` renders; reading it directly
// keeps the key values it holds out of the output that is checked for
// secrets, and saves a terraform run per step.
func readState(dir string) ([]instance, error) {
	data, err := os.ReadFile(filepath.Join(dir, "terraform.tfstate"))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var state struct {
		Version   int `json:"version"`
		Resources []struct {
			Mode      string `json:"mode"`
			Type      string `json:"type"`
			Name      string `json:"name"`
			Instances []struct {
				IndexKey   any                        `json:"index_key"`
				Attributes map[string]json.RawMessage `json:"attributes"`
			} `json:"instances"`
		} `json:"resources"`
	}
	if err := json.Unmarshal(data, &state); err != nil {
		return nil, fmt.Errorf("reading the state file: %w", err)
	}
	if state.Version != 4 {
		return nil, fmt.Errorf("state file version %d, want 4", state.Version)
	}
	var keys []instance
	for _, rs := range state.Resources {
		if rs.Mode != "managed" || rs.Type != acctest.KeyResourceType {
			continue
		}
		for _, in := range rs.Instances {
			addr := rs.Name
			if in.IndexKey != nil {
				addr += fmt.Sprintf("[%v]", in.IndexKey)
			}
			attrs, err := flatAttributes(in.Attributes)
			if err != nil {
				return nil, fmt.Errorf("%s: %w", addr, err)
			}
			keys = append(keys, instance{Addr: addr, Attrs: attrs})
		}
	}
	return keys, nil
}

// flatAttributes keeps the string and bool attributes, as text; null and
// nested ones (timeouts) are left out.
func flatAttributes(raw map[string]json.RawMessage) (map[string]string, error) {
	attrs := map[string]string{}
	for name, value := range raw {
		var v any
		if err := json.Unmarshal(value, &v); err != nil {
			return nil, fmt.Errorf("attribute %s: %w", name, err)
		}
		switch v := v.(type) {
		case string:
			attrs[name] = v
		case bool:
			attrs[name] = strconv.FormatBool(v)
		}
	}
	return attrs, nil
}

package chaos

import (
	"regexp"
	"slices"
	"strings"

	"github.com/ncp-community/terraform-provider-ncp/internal/emulator"
)

// lostCreate matches ncpclient.AmbiguousCreateError once Terraform's line
// wrapping is undone: it tells the user to import the key of that name with
// the create's marker as its description.
var lostCreate = regexp.MustCompile(`creating API key "([^"]+)": the API's answer was lost .*?the key may have been created, with the description "([^"]+)"`)

// importLostCreates plays the user following that advice: for each name
// whose resource is not in state, the one key with the marker that state
// lacks is imported, by resource address. Anything else (no advice, no
// single key) is left for the invariants to report, as an orphan.
func importLostCreates(output string, config configuration, state []instance, server []emulator.Key) map[string]string {
	inState, managed := map[string]bool{}, map[string]bool{}
	for _, in := range state {
		inState[in.Addr], managed[in.Attrs["id"]] = true, true
	}
	imports := map[string]string{}
	for _, m := range lostCreate.FindAllStringSubmatch(strings.Join(strings.Fields(output), " "), -1) {
		name, marker := m[1], m[2]
		i := slices.IndexFunc(config, func(k keySpec) bool { return k.Name == name })
		if i < 0 || inState[config[i].Addr] {
			continue
		}
		var candidates []string
		for _, k := range server {
			if k.Name == name && k.Description == marker && !managed[k.ID] {
				candidates = append(candidates, k.ID)
			}
		}
		if len(candidates) == 1 {
			imports[config[i].Addr] = candidates[0]
		}
	}
	return imports
}

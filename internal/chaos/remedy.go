package chaos

import (
	"regexp"
	"strings"

	"github.com/ncp-community/terraform-provider-ncp/internal/acctest"
	"github.com/ncp-community/terraform-provider-ncp/internal/emulator"
)

// lostCreate matches the error of a create whose answer was lost and whose
// outcome the provider could not establish (ncpclient.AmbiguousCreateError),
// once Terraform's line wrapping is undone. The error tells the user to list
// the keys of that name and import theirs.
var lostCreate = regexp.MustCompile(`creating API key "([^"]+)": the API's answer was lost`)

// importLostCreates plays the user following that advice after a failed
// apply: for each name the errors give, whose resource is not in state, the
// key of that name that the user's own account made and that state lacks is
// imported. It returns the keys to import by resource address. It imports
// only when exactly one key fits, as a user could tell; anything else is
// left for the invariants to report. An error that does not give this
// advice gets no remedy, so a key it leaves behind is an orphan.
func importLostCreates(output string, config configuration, state []instance, server []emulator.Key) map[string]string {
	inState := map[string]bool{}
	managed := map[string]bool{}
	for _, in := range state {
		inState[in.Addr], managed[in.Attrs["id"]] = true, true
	}
	ours := emulator.Modifier(acctest.AccessKey)
	imports := map[string]string{}
	for _, m := range lostCreate.FindAllStringSubmatch(strings.Join(strings.Fields(output), " "), -1) {
		name := m[1]
		i := config.findName(name)
		if i < 0 || inState[config[i].Addr] {
			continue
		}
		var candidates []string
		for _, k := range server {
			if k.Name == name && k.Modifier == ours && !managed[k.ID] {
				candidates = append(candidates, k.ID)
			}
		}
		if len(candidates) == 1 {
			imports[config[i].Addr] = candidates[0]
		}
	}
	return imports
}

package acctest

import (
	"fmt"
	"regexp"

	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
)

// KeyAddr is the address of the key KeyConfig declares.
const KeyAddr = "ncp_apigw_api_key.test"

// KeyValueRegexp matches a key value as NCP makes them.
var KeyValueRegexp = regexp.MustCompile(`^[A-Za-z0-9]{40}$`)

// KeyConfig declares the key KeyAddr with the attributes attrs (HCL).
func KeyConfig(attrs string) string {
	return fmt.Sprintf(`
resource "ncp_apigw_api_key" "test" {
%s
}
`, attrs)
}

// KeyValue checks attr of KeyAddr in state.
func KeyValue(attr string, check knownvalue.Check) statecheck.StateCheck {
	return statecheck.ExpectKnownValue(KeyAddr, tfjsonpath.New(attr), check)
}

// CaptureKeyID records KeyAddr's id in *id, for the steps after it.
func CaptureKeyID(id *string) statecheck.StateCheck {
	return KeyValue("id", knownvalue.StringFunc(func(v string) error { *id = v; return nil }))
}

// KeyPlanned expects attr of KeyAddr unknown in the plan when it is to
// change, and known otherwise.
func KeyPlanned(attr string, changes bool) plancheck.PlanCheck {
	if changes {
		return plancheck.ExpectUnknownValue(KeyAddr, tfjsonpath.New(attr))
	}
	return plancheck.ExpectKnownValue(KeyAddr, tfjsonpath.New(attr), knownvalue.NotNull())
}

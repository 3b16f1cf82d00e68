package acctest

import (
	"context"
	"fmt"
	"regexp"
	"strings"

	tfjson "github.com/hashicorp/terraform-json"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
)

// planCheckFunc adapts a function to plancheck.PlanCheck.
type planCheckFunc func(*tfjson.Plan) error

func (f planCheckFunc) CheckPlan(_ context.Context, req plancheck.CheckPlanRequest, resp *plancheck.CheckPlanResponse) {
	resp.Error = f(req.Plan)
}

// ExpectNoDrift asserts that the refresh before a plan found every resource
// as state recorded it. Right after a failed apply, this proves that the
// apply left state equal to the API.
var ExpectNoDrift plancheck.PlanCheck = planCheckFunc(func(plan *tfjson.Plan) error {
	var drifted []string
	for _, rc := range plan.ResourceDrift {
		drifted = append(drifted, fmt.Sprintf("%s (%v)", rc.Address, rc.Change.Actions))
	}
	if len(drifted) > 0 {
		return fmt.Errorf("refresh found state different from the API: %s", strings.Join(drifted, ", "))
	}
	return nil
})

// ExpectUpdateInPlace asserts that the apply updates addr in place and
// passes the extra checks. (That the plan after it is empty, the framework
// checks after every apply.)
func ExpectUpdateInPlace(addr string, extra ...plancheck.PlanCheck) resource.ConfigPlanChecks {
	return resource.ConfigPlanChecks{
		PreApply: append([]plancheck.PlanCheck{plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate)}, extra...),
	}
}

// Wrapped matches text however Terraform wraps its lines.
func Wrapped(text string) string {
	return strings.ReplaceAll(regexp.QuoteMeta(text), " ", `\s+`)
}

// ActBeforeApply runs act after the plan was made and before it is applied:
// the window in which someone else may change what the plan was made from.
// As a plan check it asserts nothing.
func ActBeforeApply(act func()) plancheck.PlanCheck {
	return planCheckFunc(func(*tfjson.Plan) error {
		act()
		return nil
	})
}

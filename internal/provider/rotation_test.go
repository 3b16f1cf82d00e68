package provider

import (
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/types"
)

func TestPlannedRotation(t *testing.T) {
	str := types.StringValue
	null, unknown := types.StringNull(), types.StringUnknown()
	cases := []struct {
		name                      string
		stateTrigger, planTrigger types.String
		keyType                   types.String
		want                      rotation
	}{
		{"no trigger", null, null, str("PRIMARY"), rotation{}},
		{"same trigger", str("a"), str("a"), str("BOTH"), rotation{}},
		{"trigger removed", str("a"), null, str("BOTH"), rotation{}},
		{"unset to value", null, str("a"), str("PRIMARY"), rotation{primary: true}},
		{"changed primary", str("a"), str("b"), str("PRIMARY"), rotation{primary: true}},
		{"changed secondary", str("a"), str("b"), str("SECONDARY"), rotation{secondary: true}},
		{"changed both", str("a"), str("b"), str("BOTH"), rotation{primary: true, secondary: true}},
		{"trigger unknown", str("a"), unknown, str("SECONDARY"), rotation{secondary: true}},
		{"key type unknown", str("a"), str("b"), unknown, rotation{primary: true, secondary: true}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			state := apiKeyResourceModel{RotateTrigger: c.stateTrigger, RotateKeyType: str("PRIMARY")}
			plan := apiKeyResourceModel{RotateTrigger: c.planTrigger, RotateKeyType: c.keyType}
			if got := plannedRotation(plan, state); got != c.want {
				t.Errorf("plannedRotation = %+v, want %+v", got, c.want)
			}
		})
	}
}

func TestRotationKeyTypes(t *testing.T) {
	got := rotation{primary: true, secondary: true}.keyTypes()
	if len(got) != 2 || got[0] != "PRIMARY" || got[1] != "SECONDARY" {
		t.Errorf("keyTypes() = %v, want [PRIMARY SECONDARY]", got)
	}
	if got := (rotation{}).keyTypes(); len(got) != 0 {
		t.Errorf("no rotation gives %v, want none", got)
	}
}

func TestPlannedEdit(t *testing.T) {
	base := apiKeyResourceModel{apiKeySummaryModel: apiKeySummaryModel{
		Name: types.StringValue("a"), Description: types.StringValue(""), Enabled: types.BoolValue(true),
	}}
	changed := func(f func(*apiKeyResourceModel)) apiKeyResourceModel { m := base; f(&m); return m }
	cases := []struct {
		name string
		plan apiKeyResourceModel
		want bool
	}{
		{"nothing", base, false},
		{"only the trigger", changed(func(m *apiKeyResourceModel) { m.RotateTrigger = types.StringValue("x") }), false},
		{"name", changed(func(m *apiKeyResourceModel) { m.Name = types.StringValue("b") }), true},
		{"name unknown", changed(func(m *apiKeyResourceModel) { m.Name = types.StringUnknown() }), true},
		{"description", changed(func(m *apiKeyResourceModel) { m.Description = types.StringValue("d") }), true},
		{"enabled", changed(func(m *apiKeyResourceModel) { m.Enabled = types.BoolValue(false) }), true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := plannedEdit(c.plan, base); got != c.want {
				t.Errorf("plannedEdit = %t, want %t", got, c.want)
			}
		})
	}
}

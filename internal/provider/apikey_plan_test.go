package provider

import (
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/types"
)

func TestPlannedEdit(t *testing.T) {
	base := apiKeyResourceModel{apiKeyModel: apiKeyModel{
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

package provider

import (
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/ncp-community/terraform-provider-ncp/internal/ncpclient"
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
			if got := plannedRotation(plan, state, rotationProgress{}); got != c.want {
				t.Errorf("plannedRotation = %+v, want %+v", got, c.want)
			}
		})
	}
}

// TestPlannedRotationAfterPartialFailure: the keys an earlier apply
// regenerated for the same trigger are not regenerated again; for another
// trigger, or one unknown yet, every key is.
func TestPlannedRotationAfterPartialFailure(t *testing.T) {
	str := types.StringValue
	state := apiKeyResourceModel{RotateTrigger: str("t0"), RotateKeyType: str("BOTH")}
	primaryDone := rotationProgress{Trigger: "t1", KeyTypes: []ncpclient.KeyType{ncpclient.KeyTypePrimary}}
	cases := []struct {
		name     string
		trigger  types.String
		keyType  string
		progress rotationProgress
		want     rotation
	}{
		{"same trigger: only the secondary is left", str("t1"), "BOTH", primaryDone, rotation{secondary: true}},
		{"same trigger, key type now PRIMARY: nothing left", str("t1"), "PRIMARY", primaryDone, rotation{}},
		{"another trigger: both again", str("t2"), "BOTH", primaryDone, rotation{primary: true, secondary: true}},
		{"trigger unknown: both", types.StringUnknown(), "BOTH", primaryDone, rotation{primary: true, secondary: true}},
		{"no progress: both", str("t1"), "BOTH", rotationProgress{}, rotation{primary: true, secondary: true}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			plan := apiKeyResourceModel{RotateTrigger: c.trigger, RotateKeyType: str(c.keyType)}
			if got := plannedRotation(plan, state, c.progress); got != c.want {
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

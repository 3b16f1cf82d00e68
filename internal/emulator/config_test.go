package emulator

import (
	"fmt"
	"strings"
	"testing"
)

func TestConfigDefaultsAndSeed(t *testing.T) {
	a := New(Config{AccessKey: "AK", SecretKey: "SK", Seed: 42}).PutKey("k", "")
	b := New(Config{AccessKey: "AK", SecretKey: "SK", Seed: 42}).PutKey("k", "")
	if a.ID != b.ID || a.PrimaryKey != b.PrimaryKey || a.TenantID != b.TenantID || a.Modifier != b.Modifier {
		t.Fatalf("the same seed gave %+v and %+v", a, b)
	}
	if a.DomainCode != "PUB" || !tenantPattern.MatchString(a.TenantID) || !modifierPattern.MatchString(a.Modifier) {
		t.Fatalf("defaults: %+v", a)
	}
	custom := New(Config{AccessKey: "AK", SecretKey: "SK", TenantID: "t1", DomainCode: "GOV"}).PutKey("k", "")
	if custom.TenantID != "t1" || custom.DomainCode != "GOV" {
		t.Fatalf("configured tenant and domain ignored: %+v", custom)
	}
}

func TestConfigValidate(t *testing.T) {
	for _, tc := range []struct {
		cfg  Config
		want string
	}{
		{Config{AccessKey: "AK"}, "SecretKey are required"},
		{Config{SecretKey: "SK"}, "AccessKey and SecretKey are required"},
		{Config{AccessKey: "AK", SecretKey: "SK", OtherAccessKey: "AK"}, "OtherAccessKey must differ"},
		{Config{AccessKey: "AK", SecretKey: "SK", NotFoundStatus: 410}, "NotFoundStatus 410"},
		{Config{AccessKey: "AK", SecretKey: "SK", DeleteAnswer: "202"}, `DeleteAnswer "202"`},
	} {
		err := tc.cfg.Validate()
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%+v: %v, want an error saying %q", tc.cfg, err, tc.want)
		}
		func() {
			defer func() {
				if r := recover(); r == nil || !strings.Contains(fmt.Sprint(r), tc.want) {
					t.Errorf("New(%+v) recovered %v, want a panic saying %q", tc.cfg, r, tc.want)
				}
			}()
			New(tc.cfg)
		}()
	}
	for _, cfg := range []Config{
		{AccessKey: "AK", SecretKey: "SK"},
		{AccessKey: "AK", SecretKey: "SK", OtherAccessKey: "AK2", OtherSecretKey: "SK2", NotFoundStatus: 404, DeleteAnswer: DeleteNoContent},
		{AccessKey: "AK", SecretKey: "SK", NotFoundStatus: 400, DeleteAnswer: DeleteEmptyObject},
		{AccessKey: "AK", SecretKey: "SK", DeleteAnswer: DeleteEmptyBody},
	} {
		if err := cfg.Validate(); err != nil {
			t.Errorf("%+v: %v", cfg, err)
		}
	}
}

package emulator

import (
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

	defer func() {
		if recover() == nil {
			t.Fatal("New without a secret key did not panic")
		}
	}()
	New(Config{AccessKey: "AK"})
}

package emulator

import (
	"regexp"
	"testing"
)

func TestAccounts(t *testing.T) {
	emu := New(Config{AccessKey: "AK", SecretKey: "SK"})
	if got := Modifier("AK"); got != Modifier("AK") || !modifierPattern.MatchString(got) || got == Modifier("AK2") {
		t.Fatalf("Modifier is not a stable UUID per access key: %s", got)
	}
	if emu.Modifier() != Modifier("AK") {
		t.Errorf("Modifier() = %s, want Modifier(AccessKey)", emu.Modifier())
	}
	other := emu.OtherAccessKey()
	if !regexp.MustCompile(`^[0-9A-F]{20}$`).MatchString(other) || other == "AK" {
		t.Errorf("default OtherAccessKey %q, want 20 letters and digits unlike AccessKey", other)
	}
	if again := New(Config{AccessKey: "AK", SecretKey: "SK", Seed: 9}).OtherAccessKey(); again != other {
		t.Errorf("OtherAccessKey is not stable: %q then %q", other, again)
	}
	if emu.OtherModifier() != Modifier(other) || emu.OtherModifier() == emu.Modifier() {
		t.Errorf("OtherModifier() = %s, want Modifier(OtherAccessKey) %s", emu.OtherModifier(), Modifier(other))
	}

	configured := New(Config{AccessKey: "AK", SecretKey: "SK", OtherAccessKey: "COLLEAGUE"})
	if configured.OtherAccessKey() != "COLLEAGUE" || configured.OtherModifier() != Modifier("COLLEAGUE") {
		t.Errorf("a configured other account: %s, %s", configured.OtherAccessKey(), configured.OtherModifier())
	}
}

package provider

import "testing"

func TestSplitIDs(t *testing.T) {
	for _, tc := range []struct {
		id            string
		first, second string
		ok            bool
	}{
		{"a1b2c3d4e5/prod000001", "a1b2c3d4e5", "prod000001", true},
		{"a1b2c3d4e5", "", "", false},
		{"a/b/c", "", "", false},
		{"/prod000001", "", "", false},
		{"a1b2c3d4e5/", "", "", false},
		{"a b/c", "", "", false},
	} {
		first, second, ok := splitIDs(tc.id)
		if ok != tc.ok || (ok && (first != tc.first || second != tc.second)) {
			t.Errorf("splitIDs(%q) = %q, %q, %v; want %q, %q, %v", tc.id, first, second, ok, tc.first, tc.second, tc.ok)
		}
	}
	if got := joinIDs("a", "b"); got != "a/b" {
		t.Errorf("joinIDs = %q", got)
	}
}

package emulator

import (
	"testing"
	"time"
)

func TestFaultsValidate(t *testing.T) {
	for _, f := range []Faults{
		{Latency: -time.Second},
		{Faults: []Fault{{Kind: "explode"}}},
		{Faults: []Fault{{Kind: FaultError, Route: "nope"}}},
		{Faults: []Fault{{Kind: FaultError, Status: 42}}},
		{Faults: []Fault{{Kind: FaultError, Rate: 1.5}}},
		{Faults: []Fault{{Kind: FaultError, Count: -1}}},
	} {
		if f.Validate() == nil {
			t.Errorf("%+v passed", f)
		}
	}
	if err := (Faults{Faults: []Fault{{Route: RouteList, Kind: FaultHTML, Status: 502, Rate: 1}}}).Validate(); err != nil {
		t.Errorf("a valid configuration failed: %v", err)
	}
}

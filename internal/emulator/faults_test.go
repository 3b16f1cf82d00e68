package emulator

import (
	"strings"
	"testing"
	"time"
)

func TestFaultsValidate(t *testing.T) {
	for _, tc := range []struct {
		faults Faults
		want   string // part of the error
	}{
		{Faults{Latency: -time.Second}, "must not be negative"},
		{Faults{Faults: []Fault{{Kind: "explode"}}}, `unknown kind "explode"`},
		{Faults{Faults: []Fault{{Kind: FaultError, Route: "nope"}}}, `unknown route "nope"`},
		{Faults{Faults: []Fault{{Kind: FaultError, Status: 42}}}, "not an HTTP status"},
		{Faults{Faults: []Fault{{Kind: FaultError, Rate: 1.5}}}, "not in 0..1"},
		{Faults{Faults: []Fault{{Kind: FaultError, Count: -1}}}, "negative"},
		{Faults{Faults: []Fault{{Kind: FaultStall, Delay: -time.Second}}}, "delay -1s is negative"},
		{Faults{Faults: []Fault{{Kind: FaultRaw, Header: map[string]string{"": "x"}}}}, "empty name"},
		{Faults{Faults: []Fault{{Kind: FaultTwin}}}, `needs route "create"`},
		{Faults{Faults: []Fault{{Kind: FaultTwin, Route: RouteGet}}}, `needs route "create"`},
		{Faults{Faults: []Fault{{Kind: FaultRivalReset}}}, `needs route "create"`},
		{Faults{Faults: []Fault{{Kind: FaultRival, Route: RouteList}}}, `needs route "create"`},
		{Faults{Faults: []Fault{{Kind: FaultRivalDrop, Route: RouteEdit}}}, `needs route "create"`},
		{Faults{Faults: []Fault{{Kind: FaultFailed, Body: "x"}}}, `"failed" takes no body`},
		{Faults{Faults: []Fault{{Kind: FaultDrop, Body: "x"}}}, `"drop" takes no body`},
		{Faults{Faults: []Fault{{Kind: FaultDrop, Status: 500}}}, `"drop" takes no status`},
		{Faults{Faults: []Fault{{Kind: FaultTruncated, Header: map[string]string{"A": "b"}}}}, `"truncated" takes no header`},
		{Faults{Faults: []Fault{{Kind: FaultReset, Delay: time.Second}}}, `"reset" takes no delay`},
		{Faults{Faults: []Fault{{Kind: FaultError, ContentType: "text/plain"}}}, `"error" takes no content_type`},
		{Faults{Faults: []Fault{{Kind: FaultEcho, Body: "x"}}}, `"echo" takes no body`},
		{Faults{Faults: []Fault{{Kind: FaultHTML, Delay: time.Second}}}, `"html" takes no delay`},
		{Faults{Faults: []Fault{{Kind: FaultLate, Status: 200}}}, `"late" takes no status`},
		{Faults{Faults: []Fault{{Kind: FaultStall, Body: "x"}}}, `"stall" takes no body`},
		{Faults{Faults: []Fault{{Route: RouteCreate, Kind: FaultTwin, Delay: time.Second}}}, `"twin" takes no delay`},
		{Faults{Faults: []Fault{{Kind: FaultError}, {Kind: FaultReplace, Delay: time.Second}}}, `faults[1]: kind "replace" takes no delay`},
	} {
		err := tc.faults.Validate()
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%+v: error %v, want one saying %q", tc.faults, err, tc.want)
		}
	}

	valid := Faults{Faults: []Fault{
		{Route: RouteList, Kind: FaultHTML, Status: 502, Rate: 1, Header: map[string]string{"Server": "nginx"}},
		{Kind: FaultError, Status: 429, Header: map[string]string{"Retry-After": "3"}},
		{Kind: FaultRaw, Status: 404, ContentType: "application/json", Body: `{"message":"no route"}`},
		{Kind: FaultEcho, Status: 500},
		{Route: RouteEdit, Kind: FaultReset, Count: 1},
		{Kind: FaultStall, Delay: time.Second},
		{Kind: FaultStall},
		{Route: RouteCreate, Kind: FaultTwin, Count: 1},
		{Kind: FaultTruncated},
		{Kind: FaultDrop, Rate: 0.5},
		{Kind: FaultReplace, Status: 200, ContentType: "text/html", Body: "<html></html>"},
		{Kind: FaultLate, Delay: time.Second},
		{Kind: FaultLate},
		{Route: RouteSubscribe, Kind: FaultDrop},
		{Route: RouteUnsubscribe, Kind: FaultReset},
		{Route: RouteKeyProducts, Kind: FaultHTML},
		{Route: RouteSubscriptionDetail, Kind: FaultTruncated},
		{Route: RouteApproval, Kind: FaultLate},
		{Route: RouteProductKeys, Kind: FaultError},
	}}
	if err := valid.Validate(); err != nil {
		t.Errorf("a valid configuration failed: %v", err)
	}
}

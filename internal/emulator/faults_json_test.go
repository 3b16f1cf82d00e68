package emulator

import (
	"encoding/json"
	"reflect"
	"testing"
	"time"
)

func TestFaultsJSON(t *testing.T) {
	f := Faults{
		Latency:       50 * time.Millisecond,
		LatencyJitter: time.Second,
		Faults:        []Fault{{Route: RouteCreate, Kind: FaultDrop, Rate: 0.25, Count: 3}},
		RateLimit:     2.5,
		RateBurst:     4,
		ClockOffset:   -90 * time.Second,
	}
	data, err := json.Marshal(f)
	if err != nil {
		t.Fatal(err)
	}
	const want = `{"latency":"50ms","latency_jitter":"1s","faults":[{"route":"create","kind":"drop","rate":0.25,"count":3}],"rate_limit":2.5,"rate_burst":4,"clock_offset":"-1m30s"}`
	if string(data) != want {
		t.Fatalf("encoded\n%s\nwant\n%s", data, want)
	}
	if back := decode[Faults](t, data); !reflect.DeepEqual(back, f) {
		t.Fatalf("round trip gave %+v", back)
	}
	if got := decode[Faults](t, []byte(`{"latency":50000000}`)); got.Latency != 50*time.Millisecond {
		t.Fatalf("integer nanoseconds read as %v", got.Latency)
	}
	if got, _ := json.Marshal(Faults{}); string(got) != `{}` {
		t.Fatalf("zero Faults encoded as %s", got)
	}
	for _, bad := range []string{`{"latency":"fast"}`, `{"latency":true}`} {
		if err := json.Unmarshal([]byte(bad), &Faults{}); err == nil {
			t.Errorf("%s was accepted", bad)
		}
	}
}

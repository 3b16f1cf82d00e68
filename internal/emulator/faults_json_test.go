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
		Faults: []Fault{
			{Route: RouteCreate, Kind: FaultDrop, Rate: 0.25, Count: 3},
			{Kind: FaultRaw, Status: 404, ContentType: "application/json", Body: `{"message":"no route"}`, Header: map[string]string{"Retry-After": "2"}},
			{Route: RouteGet, Kind: FaultLate, Delay: 2 * time.Second},
		},
		RateLimit:   2.5,
		RateBurst:   4,
		ClockOffset: -90 * time.Second,
	}
	data, err := json.Marshal(f)
	if err != nil {
		t.Fatal(err)
	}
	const want = `{"latency":"50ms","latency_jitter":"1s","faults":[` +
		`{"route":"create","kind":"drop","rate":0.25,"count":3},` +
		`{"kind":"raw","status":404,"content_type":"application/json","body":"{\"message\":\"no route\"}","header":{"Retry-After":"2"}},` +
		`{"route":"get","kind":"late","delay":"2s"}` +
		`],"rate_limit":2.5,"rate_burst":4,"clock_offset":"-1m30s"}`
	if string(data) != want {
		t.Fatalf("encoded\n%s\nwant\n%s", data, want)
	}
	if back := decode[Faults](t, data); !reflect.DeepEqual(back, f) {
		t.Fatalf("round trip gave %+v", back)
	}
	got := decode[Faults](t, []byte(`{"latency":50000000,"faults":[{"kind":"stall","delay":1000000}]}`))
	if got.Latency != 50*time.Millisecond || got.Faults[0].Delay != time.Millisecond {
		t.Fatalf("integer nanoseconds read as %v and %v", got.Latency, got.Faults[0].Delay)
	}
	if got, _ := json.Marshal(Faults{}); string(got) != `{}` {
		t.Fatalf("zero Faults encoded as %s", got)
	}
	for _, bad := range []string{`{"latency":"fast"}`, `{"latency":true}`, `{"faults":[{"kind":"late","delay":"soon"}]}`, `{"faults":[{"kind":7}]}`} {
		if err := json.Unmarshal([]byte(bad), &Faults{}); err == nil {
			t.Errorf("%s was accepted", bad)
		}
	}
}

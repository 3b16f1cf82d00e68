package chaos

import (
	"math/rand/v2"
	"net/http"
	"slices"
	"time"

	"github.com/ncp-community/terraform-provider-ncp/internal/emulator"
)

const (
	// attemptTimeout (NCP_REQUEST_TIMEOUT) is short, so that stalled
	// connections cost seconds, and longer than every answer the other
	// families delay (at most 2s) and than the short create timeout.
	attemptTimeout = 4 * time.Second
	// maxClockOffset is inside NCP's 5-minute signature window: no 401.
	maxClockOffset = 4 * time.Minute
)

// faultFamily is one kind of trouble a faulty apply may meet, with a Count,
// a Rate or both, so that the client's retries sometimes outlast it.
type faultFamily struct {
	name   string
	weight int
	add    func(r *rand.Rand, f *emulator.Faults)
}

var faultFamilies = []faultFamily{
	{"lost before commit", 3, func(r *rand.Rand, f *emulator.Faults) {
		f.Faults = append(f.Faults, emulator.Fault{Route: anyRoute(r), Kind: emulator.FaultReset, Count: 1 + r.IntN(2), Rate: rate(r), After: after(r)})
	}},
	{"lost after commit", 3, func(r *rand.Rand, f *emulator.Faults) {
		f.Faults = append(f.Faults, emulator.Fault{Route: writeRoute(r), Kind: pick(r, emulator.FaultDrop, emulator.FaultTruncated), Count: 1 + r.IntN(2), Rate: rate(r), After: after(r)})
	}},
	{"late answer", 2, func(r *rand.Rand, f *emulator.Faults) {
		f.Faults = append(f.Faults, emulator.Fault{Route: writeRoute(r), Kind: emulator.FaultLate, Delay: between(r, 200*time.Millisecond, 2*time.Second), Count: 1 + r.IntN(2), After: after(r)})
	}},
	{"server errors", 3, func(r *rand.Rand, f *emulator.Faults) {
		status := pick(r, http.StatusInternalServerError, http.StatusBadGateway, http.StatusServiceUnavailable, http.StatusGatewayTimeout)
		f.Faults = append(f.Faults, emulator.Fault{Route: anyRoute(r), Kind: emulator.FaultError, Status: status, Count: 1 + r.IntN(4), Rate: rate(r), After: after(r)})
	}},
	{"throttled", 2, func(r *rand.Rand, f *emulator.Faults) {
		if r.IntN(2) == 0 {
			f.RateLimit, f.RateBurst = float64(5+r.IntN(16)), 1+r.IntN(5)
			return
		}
		fault := emulator.Fault{Route: anyRoute(r), Kind: emulator.FaultError, Status: http.StatusTooManyRequests, Count: 1 + r.IntN(3)}
		if r.IntN(2) == 0 {
			fault.Header = map[string]string{"Retry-After": pick(r, retryAfters...)}
		}
		f.Faults = append(f.Faults, fault)
	}},
	{"slow answers", 2, func(r *rand.Rand, f *emulator.Faults) {
		if r.IntN(2) == 0 {
			f.Latency, f.LatencyJitter = between(r, 5*time.Millisecond, 50*time.Millisecond), between(r, 0, 50*time.Millisecond)
			return
		}
		f.Faults = append(f.Faults, emulator.Fault{Route: anyRoute(r), Kind: emulator.FaultStall, Delay: between(r, 100*time.Millisecond, 1500*time.Millisecond), Count: 1 + r.IntN(3)})
	}},
	{"stalled connections", 2, func(r *rand.Rand, f *emulator.Faults) {
		// Held before the operation or after it: once, twice in a row (the
		// call gives up after reconciling), or once each on two routes.
		stalled := func(route emulator.Route, count int) emulator.Fault {
			delay := pick(r, 0, between(r, attemptTimeout+time.Second, attemptTimeout+3*time.Second)) // 0: until the client leaves
			return emulator.Fault{Route: route, Kind: pick(r, emulator.FaultStall, emulator.FaultLate), Delay: delay, Count: count, After: after(r)}
		}
		if n := 1 + r.IntN(3); n <= 2 {
			f.Faults = append(f.Faults, stalled(anyRoute(r), n))
		} else {
			f.Faults = append(f.Faults, stalled(writeRoute(r), 1), stalled(pick(r, emulator.RouteGet, emulator.RouteList), 1))
		}
	}},
	{"proxy pages", 2, func(r *rand.Rand, f *emulator.Faults) {
		status := pick(r, http.StatusBadGateway, http.StatusServiceUnavailable, http.StatusGatewayTimeout)
		f.Faults = append(f.Faults, emulator.Fault{Route: anyRoute(r), Kind: emulator.FaultHTML, Status: status, Count: 1 + r.IntN(3), After: after(r)})
	}},
	{"foreign not-found", 3, func(r *rand.Rand, f *emulator.Faults) {
		route := pick(r, "", emulator.RouteGet, emulator.RouteGet, emulator.RouteEdit, emulator.RouteRegenerate, emulator.RouteDelete, emulator.RouteList) // those that may find a key gone
		f.Faults = append(f.Faults, pick(r, foreignNotFounds...).fault(emulator.Fault{Route: route, Kind: emulator.FaultRaw, Status: http.StatusNotFound, Count: 1 + r.IntN(3), Rate: rate(r), After: after(r)}))
	}},
	{"misrouted gateway", 1, func(_ *rand.Rand, f *emulator.Faults) {
		f.Faults = append(f.Faults, emulator.Fault{Kind: emulator.FaultHTML, Status: http.StatusNotFound})
	}},
	{"wrong base path", 1, func(_ *rand.Rand, f *emulator.Faults) {
		// NCP's own 404 envelope (code 300) for every path, which only the
		// list of keys tells from keys that are gone; from the first request,
		// as an endpoint is wrong for a whole command or not at all.
		f.Faults = append(f.Faults, emulator.Fault{Kind: emulator.FaultError, Status: http.StatusNotFound})
	}},
	{"garbled answers", 2, func(r *rand.Rand, f *emulator.Faults) {
		f.Faults = append(f.Faults, pick(r, garbledBodies...).fault(emulator.Fault{Route: anyRoute(r), Kind: pick(r, emulator.FaultReplace, emulator.FaultRaw), Count: 1, After: after(r)}))
	}},
	{"same-name key by the colleague", 2, func(r *rand.Rand, f *emulator.Faults) {
		// Made just before our create commits; half the time our answer is lost.
		f.Faults = append(f.Faults, emulator.Fault{Route: emulator.RouteCreate, Kind: emulator.FaultTwin, Count: 1})
		if r.IntN(2) == 0 {
			f.Faults = append(f.Faults, emulator.Fault{Route: emulator.RouteCreate, Kind: pick(r, emulator.FaultDrop, emulator.FaultTruncated), Count: 1})
		}
	}},
	{"create commits, then fails", 3, func(r *rand.Rand, f *emulator.Faults) {
		// NCP's 500 (code 900), a 500 page or an empty one after the change:
		// the outcome is unknown, not "not created".
		fault := emulator.Fault{Route: pick(r, emulator.RouteCreate, emulator.RouteCreate, emulator.RouteEdit, emulator.RouteDelete),
			Kind: emulator.FaultFailed, Count: 1 + r.IntN(2), Rate: rate(r), After: r.IntN(2)}
		if body := r.IntN(len(failedBodies) + 1); body < len(failedBodies) {
			fault.Kind, fault.Status = emulator.FaultReplace, http.StatusInternalServerError
			fault = failedBodies[body].fault(fault)
		}
		f.Faults = append(f.Faults, fault)
	}},
	{"colleague edits a same-name key during a lost create", 3, func(r *rand.Rand, f *emulator.Faults) {
		// The colleague's key of the name (made if none) is edited before
		// our create commits, which is lost before it commits (rival_reset)
		// or after (rival), or edited after it commits and our answer is
		// lost (rival_drop). Few creates a step: let at most one through.
		count, after := 1+r.IntN(2), r.IntN(2)
		if kind := r.IntN(3); kind < 2 {
			kind := []emulator.FaultKind{emulator.FaultRivalReset, emulator.FaultRivalDrop}[kind]
			f.Faults = append(f.Faults, emulator.Fault{Route: emulator.RouteCreate, Kind: kind, Count: count, Rate: rate(r), After: after})
			return
		}
		f.Faults = append(f.Faults, emulator.Fault{Route: emulator.RouteCreate, Kind: emulator.FaultRival, Count: count, After: after},
			emulator.Fault{Route: emulator.RouteCreate, Kind: pick(r, emulator.FaultDrop, emulator.FaultTruncated, emulator.FaultFailed), Count: count, After: after})
	}},
	{"echoing proxy", 1, func(r *rand.Rand, f *emulator.Faults) {
		f.Faults = append(f.Faults, emulator.Fault{Route: anyRoute(r), Kind: emulator.FaultEcho, Count: 1})
	}},
}

// retryAfters: a wait the client honours, one beyond its one-minute cap, and
// HTTP dates in the past (retry now) and far ahead (beyond the cap).
var retryAfters = []string{"1", "90", "Wed, 21 Oct 2015 07:28:00 GMT", "Fri, 01 Jan 2100 00:00:00 GMT"}

type body struct{ contentType, text string }

func (b body) fault(f emulator.Fault) emulator.Fault {
	f.ContentType, f.Body = b.contentType, b.text
	return f
}

// foreignNotFounds are 404s not from NCP's API: another service's JSON with
// and without an {"error": ...} envelope, an empty body and a proxy's page.
var foreignNotFounds = []body{
	{"application/json", `{"error":{"code":404,"message":"Requested entity was not found."}}`}, {"application/json", `{"error":{"message":"Not Found"}}`},
	{"application/json", `{"message":"no Route matched with those values"}`}, {"application/json", `{"status":404,"error":"Not Found"}`},
	{"", ""}, {"text/html", "<html><body><h1>404 Not Found</h1><hr><center>nginx</center></body></html>"},
}

// garbledBodies: a proxy or a foreign service answering 200 in NCP's place.
var garbledBodies = []body{
	{"text/html", "<html><body>OK</body></html>"}, {"application/json", "{}"}, {"application/json", `{"apiKey":{}}`},
	{"application/json", "null"}, {"application/json", ""}, {"application/json", `{"status":"ok","data":[]}`},
}

// failedBodies are a 500's after the change besides NCP's own envelope.
var failedBodies = []body{{"text/html", "<html><body><h1>500 Internal Server Error</h1></body></html>"}, {"", ""}}

// faultSchedule draws one to three families, and half the time a server
// clock apart from ours.
func faultSchedule(r *rand.Rand) emulator.Faults {
	var f emulator.Faults
	var weighted []faultFamily
	for _, family := range faultFamilies {
		weighted = append(weighted, slices.Repeat([]faultFamily{family}, family.weight)...)
	}
	for range 1 + r.IntN(3) {
		pick(r, weighted...).add(r, &f)
	}
	if r.IntN(2) == 0 {
		f.ClockOffset = between(r, -maxClockOffset, maxClockOffset).Truncate(time.Second)
	}
	return f
}

// anyRoute is one route or all (""), weighted towards those every step
// uses: every refresh reads, and most steps create.
func anyRoute(r *rand.Rand) emulator.Route {
	return pick(r, "", "", emulator.RouteGet, emulator.RouteGet, emulator.RouteCreate, emulator.RouteCreate,
		emulator.RouteList, emulator.RouteEdit, emulator.RouteRegenerate, emulator.RouteDelete)
}

// writeRoute changes keys: lost answers hurt most there.
func writeRoute(r *rand.Rand) emulator.Route {
	return pick(r, emulator.RouteCreate, emulator.RouteCreate, emulator.RouteEdit, emulator.RouteRegenerate, emulator.RouteDelete)
}

// after lets up to three through half the time, so that faults also strike
// an apply's later requests (the second regenerate of BOTH, a delete).
func after(r *rand.Rand) int { return pick(r, 0, 0, 0, 1, 2, 3) }

// rate is 0 (every matching request) half the time.
func rate(r *rand.Rand) float64 { return pick(r, 0, 0.3+0.4*r.Float64()) }

func between(r *rand.Rand, lo, hi time.Duration) time.Duration {
	return lo + time.Duration(r.Int64N(int64(hi-lo)+1))
}

func pick[T any](r *rand.Rand, choices ...T) T { return choices[r.IntN(len(choices))] }

package emulator

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"net/http"
	"slices"
	"time"
)

// SetFaults replaces the fault configuration. It restarts the Count of every
// fault and refills every rate-limit bucket.
func (e *Emulator) SetFaults(f Faults) {
	f.Faults = slices.Clone(f.Faults)
	remaining := make([]int, len(f.Faults))
	for i, fault := range f.Faults {
		remaining[i] = fault.Count
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	e.faults = f
	e.remaining = remaining
	e.buckets = map[string]*bucket{}
}

// Faults returns the fault configuration as last set.
func (e *Emulator) Faults() Faults {
	e.mu.Lock()
	defer e.mu.Unlock()
	f := e.faults
	f.Faults = slices.Clone(f.Faults)
	return f
}

// Validate reports the first setting that cannot work: an unknown kind or
// route, a status that is not an HTTP status, a rate outside 0..1, or a
// negative number. SetFaults does not call it; the control endpoint does.
func (f Faults) Validate() error {
	if f.Latency < 0 || f.LatencyJitter < 0 || f.RateLimit < 0 || f.RateBurst < 0 {
		return errors.New("latency, latency_jitter, rate_limit and rate_burst must not be negative")
	}
	for i, fault := range f.Faults {
		if err := fault.validate(); err != nil {
			return fmt.Errorf("faults[%d]: %w", i, err)
		}
	}
	return nil
}

func (f Fault) validate() error {
	switch f.Route {
	case "", RouteCreate, RouteGet, RouteList, RouteEdit, RouteRegenerate, RouteDelete:
	default:
		return fmt.Errorf("unknown route %q", f.Route)
	}
	if f.Kind.phase() == noPhase {
		return fmt.Errorf("unknown kind %q", f.Kind)
	}
	if f.Status != 0 && (f.Status < 100 || f.Status > 599) {
		return fmt.Errorf("status %d is not an HTTP status", f.Status)
	}
	if f.Rate < 0 || f.Rate > 1 {
		return fmt.Errorf("rate %v is not in 0..1", f.Rate)
	}
	if f.Count < 0 {
		return fmt.Errorf("count %d is negative", f.Count)
	}
	return nil
}

// phase is when a fault strikes: before the operation, so nothing is
// committed, or after it, so the change is made but its answer is lost.
type phase int

const (
	noPhase phase = iota
	preCommit
	postCommit
)

func (k FaultKind) phase() phase {
	switch k {
	case FaultError, FaultHTML:
		return preCommit
	case FaultTruncated, FaultDrop:
		return postCommit
	}
	return noPhase
}

// pickFault returns the first fault of phase p that matches route, has
// injections left and wins its dice roll, and uses up one of its Count. A
// fault that loses its roll lets the next one try.
func (e *Emulator) pickFault(route Route, p phase) (Fault, bool) {
	e.mu.Lock()
	defer e.mu.Unlock()
	for i, f := range e.faults.Faults {
		if f.Kind.phase() != p || (f.Route != "" && f.Route != route) {
			continue
		}
		if f.Count > 0 && e.remaining[i] == 0 {
			continue
		}
		if f.Rate > 0 && e.rng.Float64() >= f.Rate {
			continue
		}
		if f.Count > 0 {
			e.remaining[i]--
		}
		return f, true
	}
	return Fault{}, false
}

// preCommitResponse is the answer of a FaultError or FaultHTML. A 502 comes
// from a proxy in front of the API, which answers in HTML whatever the kind.
func preCommitResponse(f Fault) response {
	status := f.Status
	if status == 0 {
		status = http.StatusServiceUnavailable
	}
	if f.Kind == FaultHTML || status == http.StatusBadGateway {
		return htmlPage(status)
	}
	code, message := errorCodeFor(status)
	return apiError(status, code, message)
}

// errorCodeFor returns NCP's errorCode and message for an HTTP status, from
// the documented table; a status it lacks gets the code of 500.
func errorCodeFor(status int) (code, message string) {
	switch status {
	case http.StatusBadRequest:
		return "100", "Bad Request Exception"
	case http.StatusUnauthorized:
		return "200", "Authentication Failed"
	case http.StatusForbidden:
		return "230", "Forbidden"
	case http.StatusNotFound:
		return "300", "Not Found Exception"
	case http.StatusRequestEntityTooLarge:
		return "430", "Request Entity Too Large"
	case http.StatusTooManyRequests:
		return "410", "Throttle Limited"
	case http.StatusServiceUnavailable:
		return "500", "Endpoint Error"
	case http.StatusGatewayTimeout:
		return "510", "Endpoint Timeout"
	}
	return "900", "Unexpected Error"
}

// htmlPage is the kind of page nginx answers with, which is what a client
// sees when a proxy rather than the API fails.
func htmlPage(status int) response {
	text := http.StatusText(status)
	if status == http.StatusServiceUnavailable {
		text = "Service Temporarily Unavailable" // nginx's wording
	}
	body := fmt.Sprintf("<html><body><h1>%d %s</h1></body></html>", status, text)
	return response{status: status, contentType: "text/html", body: []byte(body)}
}

// loseAnswer applies a post-commit fault to the answer of an operation that
// has already been committed.
func loseAnswer(w http.ResponseWriter, f Fault, resp response) {
	if f.Kind == FaultTruncated {
		resp.body = resp.body[:len(resp.body)/2]
		resp.write(w)
		return
	}
	conn, _, err := http.NewResponseController(w).Hijack()
	if err != nil {
		// HTTP/2 or a ResponseRecorder cannot hand over the connection;
		// this panic makes net/http abort the response instead.
		panic(http.ErrAbortHandler)
	}
	conn.Close()
}

// delay sleeps for the configured latency, or until ctx is done.
func (e *Emulator) delay(ctx context.Context) error {
	d := e.latency()
	if d <= 0 {
		return nil
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// latency draws Latency plus a uniform random part of LatencyJitter.
func (e *Emulator) latency() time.Duration {
	e.mu.Lock()
	defer e.mu.Unlock()
	d := e.faults.Latency
	if j := e.faults.LatencyJitter; j > 0 {
		d += time.Duration(e.rng.Int64N(int64(j) + 1))
	}
	return d
}

// bucket is one access key's token bucket.
type bucket struct {
	tokens float64
	last   time.Time
}

// allow takes a token from the access key's bucket, counting a throttled
// request when there is none. Buckets run on the host's monotonic clock:
// ClockOffset shifts what the server says the time is, not how fast it passes.
func (e *Emulator) allow(accessKey string) bool {
	e.mu.Lock()
	defer e.mu.Unlock()
	rate := e.faults.RateLimit
	if rate <= 0 {
		return true
	}
	burst := float64(e.faults.RateBurst)
	if burst <= 0 {
		burst = max(1, math.Ceil(rate))
	}
	now := time.Now()
	b, ok := e.buckets[accessKey]
	if !ok {
		b = &bucket{tokens: burst, last: now}
		e.buckets[accessKey] = b
	}
	b.tokens = min(burst, b.tokens+now.Sub(b.last).Seconds()*rate)
	b.last = now
	if b.tokens < 1 {
		e.stats.Throttled++
		return false
	}
	b.tokens--
	return true
}

// duration is a time.Duration written in JSON as a Go duration string
// ("50ms") and read from either such a string or integer nanoseconds.
type duration time.Duration

func (d duration) MarshalJSON() ([]byte, error) {
	return json.Marshal(time.Duration(d).String())
}

func (d *duration) UnmarshalJSON(b []byte) error {
	var s string
	if json.Unmarshal(b, &s) == nil {
		v, err := time.ParseDuration(s)
		*d = duration(v)
		return err
	}
	var ns int64
	if err := json.Unmarshal(b, &ns); err != nil {
		return fmt.Errorf("duration %s is neither a string like \"50ms\" nor integer nanoseconds", b)
	}
	*d = duration(ns)
	return nil
}

// faultsJSON is Faults as the control endpoint reads and writes it, with the
// same names and readable durations.
type faultsJSON struct {
	Latency       duration `json:"latency,omitempty"`
	LatencyJitter duration `json:"latency_jitter,omitempty"`
	Faults        []Fault  `json:"faults,omitempty"`
	RateLimit     float64  `json:"rate_limit,omitempty"`
	RateBurst     int      `json:"rate_burst,omitempty"`
	ClockOffset   duration `json:"clock_offset,omitempty"`
}

// MarshalJSON writes durations as Go duration strings, such as "50ms".
func (f Faults) MarshalJSON() ([]byte, error) {
	return json.Marshal(faultsJSON{
		Latency:       duration(f.Latency),
		LatencyJitter: duration(f.LatencyJitter),
		Faults:        f.Faults,
		RateLimit:     f.RateLimit,
		RateBurst:     f.RateBurst,
		ClockOffset:   duration(f.ClockOffset),
	})
}

// UnmarshalJSON reads durations as Go duration strings or integer nanoseconds.
func (f *Faults) UnmarshalJSON(b []byte) error {
	var v faultsJSON
	if err := json.Unmarshal(b, &v); err != nil {
		return err
	}
	*f = Faults{
		Latency:       time.Duration(v.Latency),
		LatencyJitter: time.Duration(v.LatencyJitter),
		Faults:        v.Faults,
		RateLimit:     v.RateLimit,
		RateBurst:     v.RateBurst,
		ClockOffset:   time.Duration(v.ClockOffset),
	}
	return nil
}

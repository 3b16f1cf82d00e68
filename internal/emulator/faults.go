package emulator

import (
	"errors"
	"fmt"
	"time"
)

// FaultKind says how a faulty request fails. Each kind strikes at one point
// of a request (see phase): before the operation, so that nothing is
// committed, or after it, so that the change is made but its answer is lost,
// garbled or late.
type FaultKind string

// Kinds that strike before the operation: nothing is committed.
const (
	// FaultError answers with Status (default 503) and NCP's JSON error
	// envelope. A 502 is a proxy's, so it answers an HTML page instead.
	FaultError FaultKind = "error"
	// FaultHTML answers with Status (default 503) and an HTML page, as a
	// proxy would. With Status 404 and Route "" it plays a gateway that
	// answers an HTML 404 for everything, as a misrouted endpoint does: it
	// answers every API request, paths the API does not have included.
	FaultHTML FaultKind = "html"
	// FaultRaw answers with Status (default 200), ContentType and Body
	// verbatim, as a proxy or a foreign service answering in NCP's place.
	// An empty ContentType sends no Content-Type header at all.
	FaultRaw FaultKind = "raw"
	// FaultEcho answers with Status (default 502) and a misconfigured
	// proxy's HTML page that echoes the request line and every request
	// header, the access key and the signature included.
	FaultEcho FaultKind = "echo"
	// FaultReset reads the whole request, then resets the connection (TCP
	// RST) without running the operation: a request lost before it commits.
	FaultReset FaultKind = "reset"
	// FaultStall holds the request for Delay (0: until the client leaves),
	// then runs it normally if the client is still there.
	FaultStall FaultKind = "stall"
	// FaultTwin, on RouteCreate only, has the other account create a key of
	// the same name (description "made by someone else") just before the
	// create commits; the create then proceeds normally.
	FaultTwin FaultKind = "twin"
	// FaultRival, on RouteCreate only, has the other account edit its key
	// of the create's name (see RivalDescription) just before the create
	// commits; the create then proceeds normally. With a lose-phase fault
	// it is a lost create that made its key while a same-name key's
	// modTime moved into its window.
	FaultRival FaultKind = "rival"
	// FaultRivalReset, on RouteCreate only, has the other account edit its
	// key of the create's name (see RivalDescription), then resets the
	// connection without running the create: a lost create that made
	// nothing, while a same-name key's modTime moves into its window.
	FaultRivalReset FaultKind = "rival_reset"
)

// Kinds that strike after the operation: it is committed, and its answer is
// lost, garbled or late.
const (
	// FaultTruncated answers success with the first half of the JSON body.
	FaultTruncated FaultKind = "truncated"
	// FaultDrop closes the connection without an answer.
	FaultDrop FaultKind = "drop"
	// FaultReplace answers Status (default 200), ContentType and Body in
	// place of the API's answer, as a proxy garbling it.
	FaultReplace FaultKind = "replace"
	// FaultLate holds the answer back for Delay, then sends it; with Delay 0
	// it is held until the client leaves, so never sent.
	FaultLate FaultKind = "late"
	// FaultFailed answers with Status (default 500) and NCP's JSON error
	// envelope (for 500, errorCode 900 "Unexpected Error") although the
	// operation committed, as NCP does when it fails after the change. A
	// 502 is a proxy's, so it answers an HTML page instead. For a bare 500
	// page after the commit, use FaultReplace with Status 500.
	FaultFailed FaultKind = "failed"
	// FaultRivalDrop, on RouteCreate only, lets the create commit, has the
	// other account edit its key of the same name (see RivalDescription),
	// then closes the connection without an answer: a lost create that made
	// its key, while a same-name key's modTime moves into its window.
	FaultRivalDrop FaultKind = "rival_drop"
)

// RivalDescription is the description FaultRival, FaultRivalReset and
// FaultRivalDrop give the other account's key of the create's name when they edit it. The
// other account edits the first such key it has, and makes one (as
// FaultTwin does) when it has none.
const RivalDescription = "edited by someone else"

// Fault is one injected failure. Route "" matches every route. Faults strike
// only requests that pass the rate limit and authentication; of the faults
// that match a request, the first of each phase that has injections left and
// wins its dice roll is injected.
type Fault struct {
	Route       Route             `json:"route,omitempty"`
	Kind        FaultKind         `json:"kind"`
	Status      int               `json:"status,omitempty"`       // error, html, raw, echo, replace; default per kind
	ContentType string            `json:"content_type,omitempty"` // raw, replace
	Body        string            `json:"body,omitempty"`         // raw, replace
	Header      map[string]string `json:"header,omitempty"`       // extra answer headers (e.g. Retry-After): error, html, raw, echo, replace
	Delay       time.Duration     `json:"delay,omitempty"`        // stall, late; JSON as a Go duration string
	Rate        float64           `json:"rate,omitempty"`         // probability per matching request; 0 means always
	Count       int               `json:"count,omitempty"`        // stop after this many injections; 0 means no limit
	After       int               `json:"after,omitempty"`        // let this many matching requests through first
}

// Faults is the emulator's whole fault configuration; the zero value is a healthy API.
// Its JSON (see MarshalJSON) writes durations as Go duration strings such as "50ms"
// and reads them as such strings or as integer nanoseconds.
type Faults struct {
	Latency       time.Duration `json:"latency,omitempty"`        // added to every signed request
	LatencyJitter time.Duration `json:"latency_jitter,omitempty"` // plus a uniform random 0..LatencyJitter
	Faults        []Fault       `json:"faults,omitempty"`
	RateLimit     float64       `json:"rate_limit,omitempty"`   // requests/s per access key (a token bucket); 0 is off
	RateBurst     int           `json:"rate_burst,omitempty"`   // bucket size; default max(1, ceil(RateLimit))
	ClockOffset   time.Duration `json:"clock_offset,omitempty"` // the server's clock runs this far from the host's
}

// phase is the point of a request where a fault strikes, in the order a
// request meets them.
type phase int

const (
	noPhase     phase = iota
	holdPhase         // before anything: the request waits, then goes on
	refusePhase       // instead of the operation: nothing is committed
	racePhase         // inside a create, just before it commits
	losePhase         // after the operation committed: the answer suffers
)

func (k FaultKind) phase() phase {
	switch k {
	case FaultStall:
		return holdPhase
	case FaultError, FaultHTML, FaultRaw, FaultEcho, FaultReset, FaultRivalReset:
		return refusePhase
	case FaultTwin, FaultRival:
		return racePhase
	case FaultTruncated, FaultDrop, FaultReplace, FaultLate, FaultFailed, FaultRivalDrop:
		return losePhase
	}
	return noPhase
}

// The fields besides Route, Kind, Rate and Count that a kind uses.
type faultField int

const (
	fieldStatus faultField = 1 << iota
	fieldContentType
	fieldBody
	fieldHeader
	fieldDelay
)

func (k FaultKind) fields() faultField {
	switch k {
	case FaultError, FaultHTML, FaultEcho, FaultFailed:
		return fieldStatus | fieldHeader
	case FaultRaw, FaultReplace:
		return fieldStatus | fieldContentType | fieldBody | fieldHeader
	case FaultStall, FaultLate:
		return fieldDelay
	}
	return 0
}

// Validate reports the first setting that cannot work: an unknown kind or
// route, a field the kind does not use, a status that is not an HTTP status,
// a rate outside 0..1, or a negative number. SetFaults does not call it; the
// control endpoint does.
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
	case "", RouteCreate, RouteGet, RouteList, RouteEdit, RouteRegenerate, RouteDelete,
		RouteSubscribe, RouteUnsubscribe, RouteKeyProducts, RouteSubscriptionDetail, RouteApproval, RouteProductKeys, RouteProduct:
	default:
		return fmt.Errorf("unknown route %q", f.Route)
	}
	if f.Kind.phase() == noPhase {
		return fmt.Errorf("unknown kind %q", f.Kind)
	}
	if (f.Kind == FaultTwin || f.Kind == FaultRival || f.Kind == FaultRivalReset || f.Kind == FaultRivalDrop) && f.Route != RouteCreate {
		return fmt.Errorf("kind %q needs route %q", f.Kind, RouteCreate)
	}
	fields := f.Kind.fields()
	for _, unused := range []struct {
		field faultField
		name  string
		set   bool
	}{
		{fieldStatus, "status", f.Status != 0},
		{fieldContentType, "content_type", f.ContentType != ""},
		{fieldBody, "body", f.Body != ""},
		{fieldHeader, "header", len(f.Header) > 0},
		{fieldDelay, "delay", f.Delay != 0},
	} {
		if unused.set && fields&unused.field == 0 {
			return fmt.Errorf("kind %q takes no %s", f.Kind, unused.name)
		}
	}
	if f.Status != 0 && (f.Status < 100 || f.Status > 599) {
		return fmt.Errorf("status %d is not an HTTP status", f.Status)
	}
	if _, ok := f.Header[""]; ok {
		return errors.New("header with an empty name")
	}
	if f.Delay < 0 {
		return fmt.Errorf("delay %v is negative", f.Delay)
	}
	if f.Rate < 0 || f.Rate > 1 {
		return fmt.Errorf("rate %v is not in 0..1", f.Rate)
	}
	if f.Count < 0 || f.After < 0 {
		return fmt.Errorf("count %d or after %d is negative", f.Count, f.After)
	}
	return nil
}

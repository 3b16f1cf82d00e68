package emulator

import "time"

// Route names one operation of the API-key API, for request counts and faults.
type Route string

const (
	RouteCreate     Route = "create"
	RouteGet        Route = "get"
	RouteList       Route = "list"
	RouteEdit       Route = "edit"
	RouteRegenerate Route = "regenerate"
	RouteDelete     Route = "delete"
)

// FaultKind says how a faulty request fails.
type FaultKind string

const (
	// FaultError answers with Status and an NCP JSON error body; nothing is committed.
	FaultError FaultKind = "error"
	// FaultHTML answers with Status and an HTML page, as a proxy would; nothing is committed.
	FaultHTML FaultKind = "html"
	// FaultTruncated commits the operation, then answers success with half of the JSON body.
	FaultTruncated FaultKind = "truncated"
	// FaultDrop commits the operation, then closes the connection without an answer.
	FaultDrop FaultKind = "drop"
)

// Fault is one injected failure. Route "" matches every route.
type Fault struct {
	Route  Route     `json:"route,omitempty"`
	Kind   FaultKind `json:"kind"`
	Status int       `json:"status,omitempty"` // FaultError and FaultHTML; default 503
	Rate   float64   `json:"rate,omitempty"`   // probability per matching request; 0 means always
	Count  int       `json:"count,omitempty"`  // stop after this many injections; 0 means no limit
}

// Faults is the emulator's whole fault configuration; the zero value is a healthy API.
// Its JSON (see MarshalJSON) writes durations as Go duration strings such as "50ms"
// and reads them as such strings or as integer nanoseconds.
type Faults struct {
	Latency       time.Duration `json:"latency,omitempty"`        // added to every signed request
	LatencyJitter time.Duration `json:"latency_jitter,omitempty"` // plus a uniform random 0..LatencyJitter
	Faults        []Fault       `json:"faults,omitempty"`
	RateLimit     float64       `json:"rate_limit,omitempty"`   // token bucket per access key, requests/s; 0 is off
	RateBurst     int           `json:"rate_burst,omitempty"`   // bucket size; default max(1, RateLimit)
	ClockOffset   time.Duration `json:"clock_offset,omitempty"` // the server's clock runs this far from the host's
}

// Key is the emulator's record of one API key, key values included.
type Key struct {
	ID           string    `json:"apiKeyId"`
	TenantID     string    `json:"tenantId"`
	Name         string    `json:"apiKeyName"`
	Description  string    `json:"apiKeyDescription"`
	PrimaryKey   string    `json:"primaryKey"`
	SecondaryKey string    `json:"secondaryKey"`
	Modifier     string    `json:"modifier"`
	Enabled      bool      `json:"isEnabled"`
	ModTime      time.Time `json:"modTime"`
	DomainCode   string    `json:"domainCode"`
}

// Stats counts what the emulator was asked and how it answered.
type Stats struct {
	Requests  map[Route]int `json:"requests"`  // every API request by route, throttled, unauthenticated and faulted ones included
	Responses map[int]int   `json:"responses"` // by HTTP status; dropped connections count as 0
	Throttled int           `json:"throttled"` // 429 answers from the rate limit
}

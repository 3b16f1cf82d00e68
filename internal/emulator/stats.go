package emulator

import "maps"

// Stats counts what the emulator was asked and how it answered.
type Stats struct {
	Requests  map[Route]int     `json:"requests"`  // every API request by route, throttled, unauthenticated and faulted ones included
	Responses map[int]int       `json:"responses"` // by HTTP status; dropped, reset and abandoned requests count as 0
	Throttled int               `json:"throttled"` // 429 answers from the rate limit
	Faults    map[FaultKind]int `json:"faults"`    // injected faults by kind
}

func newStats() Stats {
	return Stats{Requests: map[Route]int{}, Responses: map[int]int{}, Faults: map[FaultKind]int{}}
}

// Stats returns a copy of the counters.
func (e *Emulator) Stats() Stats {
	e.mu.Lock()
	defer e.mu.Unlock()
	return Stats{
		Requests:  maps.Clone(e.stats.Requests),
		Responses: maps.Clone(e.stats.Responses),
		Throttled: e.stats.Throttled,
		Faults:    maps.Clone(e.stats.Faults),
	}
}

// ResetStats sets every counter to zero.
func (e *Emulator) ResetStats() {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.stats = newStats()
}

// countRequest counts a request that maps to a route; others count only by
// their response.
func (e *Emulator) countRequest(route Route) {
	if route == "" {
		return
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	e.stats.Requests[route]++
}

func (e *Emulator) countResponse(status int) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.stats.Responses[status]++
}

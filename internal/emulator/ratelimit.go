package emulator

import (
	"math"

	"golang.org/x/time/rate"
)

// allow takes a token from the access key's bucket, counting a throttled
// request when there is none. SetFaults drops every bucket, so each access
// key starts again with a full one. Buckets run on the host's monotonic
// clock: ClockOffset shifts what the server says the time is, not how fast
// it passes.
func (e *Emulator) allow(accessKey string) bool {
	e.mu.Lock()
	defer e.mu.Unlock()
	limit := e.faults.RateLimit
	if limit <= 0 {
		return true
	}
	l, ok := e.limiters[accessKey]
	if !ok {
		burst := e.faults.RateBurst
		if burst <= 0 {
			burst = int(max(1, math.Ceil(limit)))
		}
		l = rate.NewLimiter(rate.Limit(limit), burst)
		e.limiters[accessKey] = l
	}
	if !l.Allow() {
		e.stats.Throttled++
		return false
	}
	return true
}

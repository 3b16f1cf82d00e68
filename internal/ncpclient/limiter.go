package ncpclient

import (
	"context"
	"math"
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// Limiter is an adaptive client-side rate limiter shared by every request of
// a provider process. NCP documents no rate limit, so the limiter starts
// unlimited and learns the limit from HTTP 429 answers (AIMD): the first
// throttle sets the rate to half the observed request rate, later ones cut it
// by 30% (at most once per 500ms, as requests already in flight keep coming
// back throttled), and every second without a throttle adds 0.5 requests/s.
// After a cut the rate also recovers quickly towards the rate the server
// accepted in the second before the throttle, closing the gap exponentially
// (recoveryPerSecond), whichever of the two is faster: the cut is a safety
// margin, not a guess at the limit, and at 0.5 requests/s alone a rate halved
// from 20/s would take 20 seconds to come back. Near that rate the additive
// increase takes over again, so the limit is probed gently.
//
// The policy sets the rate of a token bucket (golang.org/x/time/rate) with a
// burst of one, which spaces requests evenly so that concurrent callers do
// not stampede.
//
// A Limiter is safe for concurrent use. The zero value is an unlimited
// Limiter, like NewLimiter's.
type Limiter struct {
	mu  sync.Mutex
	now func() time.Time // for tests; nil means time.Now

	bucket       *rate.Limiter // nil until the first throttle: unlimited
	rate         float64       // requests per second, once limited
	ceiling      float64       // requests/s the server accepted in the observeWindow before the last throttle
	lastDecrease time.Time
	lastIncrease time.Time
	sent         []time.Time // send times within observeWindow, oldest first
	accepted     []time.Time // times of answers other than 429 within observeWindow
}

const (
	observeWindow       = time.Second
	firstDecreaseFactor = 0.5
	decreaseFactor      = 0.7
	decreaseInterval    = 500 * time.Millisecond
	increasePerSecond   = 0.5
	recoveryPerSecond   = 0.5 // the gap to ceiling shrinks by e^-0.5, about 40%, per second
	minRate             = 0.5
	limiterBurst        = 1
)

// NewLimiter returns an unlimited Limiter.
func NewLimiter() *Limiter {
	return &Limiter{}
}

// Wait blocks until a request may be sent. It fails without waiting when ctx
// would expire first.
func (l *Limiter) Wait(ctx context.Context) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	r, delay := l.reserve()
	if delay == 0 {
		return nil
	}
	if err := sleep(ctx, delay); err != nil {
		l.cancel(r)
		return err
	}
	return nil
}

// reserve takes a turn and returns it with how long to wait before using
// it; while unlimited, the reservation is nil and the wait 0.
func (l *Limiter) reserve() (*rate.Reservation, time.Duration) {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.clock()
	var (
		r     *rate.Reservation
		delay time.Duration
	)
	if l.bucket != nil {
		r = l.bucket.ReserveN(now, 1) // always ok: one token is within the burst
		delay = r.DelayFrom(now)
	}
	l.sent = append(forget(l.sent, now), now.Add(delay))
	return r, delay
}

// cancel gives back the turn of a caller that stopped waiting.
func (l *Limiter) cancel(r *rate.Reservation) {
	l.mu.Lock()
	defer l.mu.Unlock()
	r.CancelAt(l.clock())
}

// OnThrottle lowers the rate after an HTTP 429.
func (l *Limiter) OnThrottle() {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.clock()
	observed := math.Max(1, l.observedRate(now))
	switch {
	case l.bucket == nil:
		l.rate = observed * firstDecreaseFactor
		l.bucket = rate.NewLimiter(rate.Limit(l.rate), limiterBurst)
		// Start empty, as the server's bucket evidently is.
		l.bucket.AllowN(now, limiterBurst)
	case now.Sub(l.lastDecrease) >= decreaseInterval:
		// The observed rate caps the base, so a rate that grew during a long
		// quiet period falls back to what the server accepts in one step.
		l.setRate(now, math.Max(minRate, math.Min(l.rate, observed)*decreaseFactor))
	default:
		return
	}
	l.accepted = forget(l.accepted, now)
	l.ceiling = float64(len(l.accepted)) / observeWindow.Seconds()
	l.lastDecrease = now
	l.lastIncrease = now
}

// OnSuccess records an answer that was not throttled and raises the rate in
// proportion to the time since the last change, or towards ceiling.
func (l *Limiter) OnSuccess() {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.clock()
	l.accepted = append(forget(l.accepted, now), now)
	if l.bucket == nil {
		return
	}
	if elapsed := now.Sub(l.lastIncrease); elapsed > 0 {
		additive := l.rate + increasePerSecond*elapsed.Seconds()
		recovered := l.ceiling - (l.ceiling-l.rate)*math.Exp(-recoveryPerSecond*elapsed.Seconds())
		l.setRate(now, math.Max(additive, recovered))
		l.lastIncrease = now
	}
}

// setRate changes the bucket's rate from now on; tokens earned until now
// were earned at the old rate.
func (l *Limiter) setRate(now time.Time, r float64) {
	l.rate = r
	l.bucket.SetLimitAt(now, rate.Limit(r))
}

// Rate is the current limit in requests per second, +Inf while unlimited.
func (l *Limiter) Rate() float64 {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.bucket == nil {
		return math.Inf(1)
	}
	return l.rate
}

func (l *Limiter) clock() time.Time {
	if l.now == nil {
		return time.Now()
	}
	return l.now()
}

// observedRate is the number of requests sent (or scheduled) in the last
// observeWindow, per second.
func (l *Limiter) observedRate(now time.Time) float64 {
	l.sent = forget(l.sent, now)
	return float64(len(l.sent)) / observeWindow.Seconds()
}

// forget returns times, oldest first, without those older than observeWindow.
func forget(times []time.Time, now time.Time) []time.Time {
	cutoff := now.Add(-observeWindow)
	i := 0
	for i < len(times) && !times[i].After(cutoff) {
		i++
	}
	return times[i:]
}

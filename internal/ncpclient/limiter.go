package ncpclient

import (
	"context"
	"math"
	"sync"
	"time"
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
// While limited, requests are spaced evenly by a token
// bucket with a burst of one, so concurrent callers do not stampede.
//
// A Limiter is safe for concurrent use. The zero value is an unlimited
// Limiter, like NewLimiter's.
type Limiter struct {
	mu  sync.Mutex
	now func() time.Time // for tests; nil means time.Now

	limited      bool    // a throttle was seen: rate applies
	rate         float64 // requests per second
	ceiling      float64 // requests/s the server accepted in the observeWindow before the last throttle
	tokens       float64 // may go negative: reservations of waiting callers
	refilled     time.Time
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
	if err := sleep(ctx, l.reserve()); err != nil {
		l.cancel()
		return err
	}
	return nil
}

// reserve takes a token and returns how long to wait before using it.
func (l *Limiter) reserve() time.Duration {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.clock()
	var delay time.Duration
	if l.limited {
		l.refill(now)
		l.tokens--
		if l.tokens < 0 {
			delay = time.Duration(-l.tokens / l.rate * float64(time.Second))
		}
	}
	l.sent = append(forget(l.sent, now), now.Add(delay))
	return delay
}

// cancel returns the token of a caller that gave up waiting.
func (l *Limiter) cancel() {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.limited {
		l.tokens++
	}
}

// OnThrottle lowers the rate after an HTTP 429.
func (l *Limiter) OnThrottle() {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.clock()
	observed := math.Max(1, l.observedRate(now))
	switch {
	case !l.limited:
		l.limited = true
		l.rate = observed * firstDecreaseFactor
		l.tokens = 0
		l.refilled = now
	case now.Sub(l.lastDecrease) >= decreaseInterval:
		l.refill(now)
		// The observed rate caps the base, so a rate that grew during a long
		// quiet period falls back to what the server accepts in one step.
		l.rate = math.Max(minRate, math.Min(l.rate, observed)*decreaseFactor)
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
	if !l.limited {
		return
	}
	if elapsed := now.Sub(l.lastIncrease); elapsed > 0 {
		l.refill(now)
		additive := l.rate + increasePerSecond*elapsed.Seconds()
		recovered := l.ceiling - (l.ceiling-l.rate)*math.Exp(-recoveryPerSecond*elapsed.Seconds())
		l.rate = math.Max(additive, recovered)
		l.lastIncrease = now
	}
}

// Rate is the current limit in requests per second, +Inf while unlimited.
func (l *Limiter) Rate() float64 {
	l.mu.Lock()
	defer l.mu.Unlock()
	if !l.limited {
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

func (l *Limiter) refill(now time.Time) {
	if elapsed := now.Sub(l.refilled); elapsed > 0 {
		l.tokens = math.Min(limiterBurst, l.tokens+elapsed.Seconds()*l.rate)
		l.refilled = now
	}
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

package ncpclient

import (
	"context"
	"fmt"
	"net/http"
	"sync"
	"sync/atomic"
	"time"
)

const (
	// maxClockSkew is how far the server's Date may be from our timestamps
	// before an authentication failure is blamed on the clock. NCP itself
	// rejects timestamps more than 5 minutes off.
	maxClockSkew = time.Minute
	// offsetLogStep is the smallest change of the offset worth a log line;
	// smaller ones are the noise of Date's one-second resolution.
	offsetLogStep = 2 * time.Second
	// codeAuthenticationFailed is NCP's errorCode for a wrong key, a bad
	// signature or a timestamp too far from the server's clock.
	codeAuthenticationFailed = "200"
	// codePermissionDenied is NCP's errorCode for credentials that may not
	// use the API.
	codePermissionDenied = "210"
)

// serverClock is what a client knows of the server's clock: the offset it
// signs with, and whether any NCP answer has told it yet. Until one has,
// requests go one at a time, so that a skewed clock costs one rejection.
type serverClock struct {
	nanos      atomic.Int64  // the server's clock minus ours
	slot       chan struct{} // the one request in flight before calibration
	calibrated chan struct{} // closed at the first NCP answer
	once       sync.Once
}

func newServerClock() *serverClock {
	return &serverClock{slot: make(chan struct{}, 1), calibrated: make(chan struct{})}
}

// offset is our estimate of the server's clock minus ours: timestamps are
// signed at our time plus offset, which must be within 5 minutes of the
// server's clock.
func (s *serverClock) offset() time.Duration {
	return time.Duration(s.nanos.Load())
}

// admit waits until a request may be sent: at once after calibration,
// before it when no other request is in flight. release ends the turn.
func (s *serverClock) admit(ctx context.Context) (release func(), err error) {
	select {
	case <-s.calibrated:
		return func() {}, nil
	default:
	}
	select {
	case <-s.calibrated:
		return func() {}, nil
	case s.slot <- struct{}{}:
		return func() { <-s.slot }, nil
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// heard records an NCP answer: it adopts the offset the answer shows, if
// the one in use is outside the answer's bounds, and then opens the gate.
// It returns the offset in use before.
func (s *serverClock) heard(r clockReading) (previous time.Duration) {
	defer s.once.Do(func() { close(s.calibrated) }) // after the offset is stored
	for {
		cur := s.nanos.Load()
		if !r.ok() || r.allows(time.Duration(cur)) || s.nanos.CompareAndSwap(cur, int64(r.offset())) {
			return time.Duration(cur)
		}
	}
}

// heardFromNCP learns the server's clock from r, the reading of an answer
// that came from NCP (a success that decoded, or NCP's error envelope);
// proxy pages carry their own host's clock and must not be passed here.
func (c *Client) heardFromNCP(ctx context.Context, r clockReading) {
	previous := c.clock.heard(r)
	if current := c.clock.offset(); (current - previous).Abs() >= offsetLogStep {
		c.debug(ctx, "NCP API clock offset adopted", map[string]any{
			"offset": current.Round(time.Second).String(),
		})
	}
}

// clockReading is the server's Date from one answer, with our clock's
// readings when the request was sent and when the answer arrived; the zero
// value is no reading. The server stamped Date, truncated to the second, in
// between, which bounds its clock's offset from ours.
type clockReading struct {
	date, sent, at time.Time
}

func readClock(h http.Header, sent, received time.Time) clockReading {
	date, err := http.ParseTime(h.Get("Date"))
	if err != nil {
		return clockReading{}
	}
	return clockReading{date: date, sent: sent, at: received}
}

func (r clockReading) ok() bool { return !r.date.IsZero() }

// offset is the best estimate of the server's clock minus ours: the middle
// of the bounds.
func (r clockReading) offset() time.Duration {
	return r.date.Add(500 * time.Millisecond).Sub(r.sent.Add(r.at.Sub(r.sent) / 2))
}

// allows reports whether offset lies within the bounds the reading sets:
// from Date minus the arrival to Date plus one second minus the sending.
// An offset within them is kept, so that it does not jitter with Date's
// one-second resolution.
func (r clockReading) allows(offset time.Duration) bool {
	return offset >= r.date.Sub(r.at) && offset <= r.date.Add(time.Second).Sub(r.sent)
}

// skewedFrom reports whether the reading shows the server's clock more than
// maxClockSkew away from offset: an authentication failure of a request
// signed with offset is then the clock's fault.
func (r clockReading) skewedFrom(offset time.Duration) bool {
	return r.ok() && (r.offset()-offset).Abs() > maxClockSkew
}

// authHint explains an authentication failure that a clock correction did
// not cure, from the reading of the failure's answer.
func authHint(r clockReading) string {
	const causes = "likely causes: a wrong access key or secret key, or clock skew (NCP rejects requests more than 5 minutes off its clock"
	if !r.ok() {
		return causes + "; check the system clock / NTP)"
	}
	return fmt.Sprintf("%s; the server's clock differs from this machine's by %s; check the system clock / NTP)",
		causes, r.offset().Round(time.Second))
}

package emulator

import (
	"context"
	"fmt"
	"html"
	"maps"
	"net"
	"net/http"
	"slices"
	"strings"
	"time"

	"golang.org/x/time/rate"
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
	e.passed = make([]int, len(f.Faults))
	e.limiters = map[string]*rate.Limiter{}
}

// Faults returns the fault configuration as last set.
func (e *Emulator) Faults() Faults {
	e.mu.Lock()
	defer e.mu.Unlock()
	f := e.faults
	f.Faults = slices.Clone(f.Faults)
	return f
}

// pickFault returns the first fault of phase p that matches route, has let
// its After requests through, has injections left and wins its dice roll,
// uses up one of its Count and counts it in Stats. A fault that lets a
// request through or loses its roll lets the next one try. A
// request to a path the API does not have (route "") matches only the faults
// of every route.
func (e *Emulator) pickFault(route Route, p phase) (Fault, bool) {
	e.mu.Lock()
	defer e.mu.Unlock()
	for i, f := range e.faults.Faults {
		if f.Kind.phase() != p || (f.Route != "" && f.Route != route) {
			continue
		}
		if e.passed[i] < f.After {
			e.passed[i]++
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
		e.stats.Faults[f.Kind]++
		return f, true
	}
	return Fault{}, false
}

// refuse answers r, whose body is body, with a fault of the refuse phase,
// instead of running the operation.
func (e *Emulator) refuse(w http.ResponseWriter, r *http.Request, body []byte, f Fault) {
	switch f.Kind {
	case FaultReset:
		hangUp(w, true)
	case FaultRivalReset:
		e.rivalEdit(body)
		hangUp(w, true)
	case FaultRaw:
		proxyAnswer(statusOr(f.Status, http.StatusOK), f.ContentType, []byte(f.Body)).with(f.Header).write(w)
	case FaultEcho:
		status := statusOr(f.Status, http.StatusBadGateway)
		proxyAnswer(status, "text/html", echoPage(status, r)).with(f.Header).write(w)
	case FaultHTML:
		htmlPage(statusOr(f.Status, http.StatusServiceUnavailable)).with(f.Header).write(w)
	default: // FaultError
		e.failWith(w, f, statusOr(f.Status, http.StatusServiceUnavailable))
	}
}

// failWith answers NCP's error envelope for status, or, for a 502, which
// comes from a proxy in front of the API, an HTML page whatever the kind.
func (e *Emulator) failWith(w http.ResponseWriter, f Fault, status int) {
	if status == http.StatusBadGateway {
		htmlPage(status).with(f.Header).write(w)
		return
	}
	code, message := errorCodeFor(status)
	e.reply(w, e.fail(ncpError{status, code, message}).with(f.Header))
}

// rivalEdit has the other account edit its first key named as the create
// whose body is body, making one first if it has none.
func (e *Emulator) rivalEdit(body []byte) {
	var in struct {
		Name string `json:"apiKeyName"`
	}
	if decodeBody(body, &in) != nil {
		return
	}
	id := ""
	for _, k := range e.Keys() {
		if k.Name == in.Name && k.Modifier == e.other.modifier {
			id = k.ID
			break
		}
	}
	if id == "" {
		id = e.put(e.other, in.Name, twinDescription).ID
	}
	e.update(e.other, id, func(k *Key) { k.Description = RivalDescription })
}

// lose applies a fault of the lose phase to resp, the answer of an operation
// that has been committed; body is the request's.
func (e *Emulator) lose(ctx context.Context, w http.ResponseWriter, body []byte, f Fault, resp response) {
	switch f.Kind {
	case FaultFailed:
		e.failWith(w, f, statusOr(f.Status, http.StatusInternalServerError))
	case FaultRivalDrop:
		e.rivalEdit(body)
		hangUp(w, false)
	case FaultTruncated:
		resp.body = resp.body[:len(resp.body)/2]
		e.reply(w, resp)
	case FaultReplace:
		proxyAnswer(statusOr(f.Status, http.StatusOK), f.ContentType, []byte(f.Body)).with(f.Header).write(w)
	case FaultLate:
		// Dated now, when NCP made it, however late it arrives.
		resp = resp.dated(e.clock())
		if hold(ctx, f.Delay) != nil {
			return // the client has gone; status 0 is counted
		}
		resp.write(w)
	default: // FaultDrop
		hangUp(w, false)
	}
}

func statusOr(status, def int) int {
	if status == 0 {
		return def
	}
	return status
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

// proxyAnswer is an answer made by a proxy or a foreign server rather than
// NCP, so its Date is from the host's clock: a client must not take it for
// the API's.
func proxyAnswer(status int, contentType string, body []byte) response {
	return response{status: status, contentType: contentType, body: body}.dated(time.Now())
}

// htmlPage is the kind of page nginx answers with, which is what a client
// sees when a proxy rather than the API fails.
func htmlPage(status int) response {
	text := http.StatusText(status)
	if status == http.StatusServiceUnavailable {
		text = "Service Temporarily Unavailable" // nginx's wording
	}
	body := fmt.Sprintf("<html><body><h1>%d %s</h1></body></html>", status, text)
	return proxyAnswer(status, "text/html", []byte(body))
}

// echoPage is the error page of a misconfigured proxy that shows the request
// it failed to pass on: its request line and every header, credentials and
// signature included.
func echoPage(status int, r *http.Request) []byte {
	var b strings.Builder
	fmt.Fprintf(&b, "<html><body><h1>%d %s</h1><p>The upstream server failed to answer this request:</p><pre>\n", status, http.StatusText(status))
	fmt.Fprintf(&b, "%s %s %s\n", r.Method, html.EscapeString(r.RequestURI), r.Proto)
	fmt.Fprintf(&b, "Host: %s\n", html.EscapeString(r.Host))
	for _, name := range slices.Sorted(maps.Keys(r.Header)) {
		for _, value := range r.Header[name] {
			fmt.Fprintf(&b, "%s: %s\n", html.EscapeString(name), html.EscapeString(value))
		}
	}
	b.WriteString("</pre></body></html>")
	return []byte(b.String())
}

// hangUp closes the connection without an answer: with a TCP RST when reset
// is set, as a crashed proxy does, or else with an orderly close.
func hangUp(w http.ResponseWriter, reset bool) {
	conn, _, err := http.NewResponseController(w).Hijack()
	if err != nil {
		// HTTP/2 or a ResponseRecorder cannot hand over the connection;
		// this panic makes net/http abort the response instead.
		panic(http.ErrAbortHandler)
	}
	if tcp, ok := conn.(*net.TCPConn); ok && reset {
		_ = tcp.SetLinger(0) // an error leaves an orderly close, which still loses the request
	}
	conn.Close()
}

// hold waits for d, or, when d is 0, until ctx is done. It returns ctx's
// error if ctx is done by then.
func hold(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		<-ctx.Done()
	} else if err := sleep(ctx, d); err != nil {
		return err
	}
	return ctx.Err()
}

// sleep waits for d or until ctx is done, whichever comes first.
func sleep(ctx context.Context, d time.Duration) error {
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

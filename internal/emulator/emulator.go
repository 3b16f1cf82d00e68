// Package emulator is an in-memory stand-in for the API-key API of NAVER Cloud
// Platform's API Gateway (/api/v1/api-keys), with the subscriptions of keys
// to products. It follows the documented wire format and signature v2
// authentication, and knows nothing of Terraform.
//
// It plays the harsher world a real client meets, so that a client can be
// tested against it without an NCP account:
//
//   - another writer: a second account of the tenant (Config.OtherAccessKey)
//     changes keys out of band (PutKey, UpdateKey, RegenerateKey, DeleteKey and
//     the /_emulator/keys endpoints) and, given Config.OtherSecretKey, through
//     the API too; every key records its last writer in modifier;
//   - failures (Fault): NCP's own errors; proxies answering HTML, foreign
//     bodies or echoes of the request in NCP's place; connections reset before
//     the operation; requests stalled; a twin created by the other account
//     just before a create commits; the other account editing its key of a
//     create's name while that create's answer is lost, before or after it
//     commits; and, after an operation committed, answers truncated,
//     dropped, replaced, late or failed (NCP's 500);
//   - throttling per access key, latency, and a server clock apart from the
//     host's (Faults.ClockOffset). NCP's own answers carry the server clock in
//     Date; a proxy's answers carry the host's;
//   - products (seeded with PutProduct, as NCP's API to create them is not
//     emulated) that keys subscribe to, at once or awaiting the publisher's
//     approval; the other account unsubscribes keys and approves or rejects
//     them out of band (Subscribe, Unsubscribe, SetSubscriptionStatus and
//     the /_emulator/keys/{id}/subscriptions endpoints); lists capped at a
//     page size below what clients ask;
//   - where the docs are ambiguous or silent, the harder reading by default
//     and a switch for each alternative (Config.WrappedGet, NotFoundStatus,
//     NumericErrorCodes, ExactNameFilter, DeleteAnswer, OmitListTotal,
//     ForeignUnknownPaths, and the SubscriptionSwitches).
//
// Use it as an http.Handler, usually behind httptest.NewServer:
//
//	emu := emulator.New(emulator.Config{AccessKey: "AK", SecretKey: "SK"})
//	srv := httptest.NewServer(emu)
//	// point the client at srv.URL + emulator.BasePath
package emulator

import (
	"math/rand/v2"
	"net/http"
	"strings"
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// BasePath is the path prefix of the API, as on the real hosts.
const BasePath = "/api/v1"

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

// Emulator is the fake API. It implements http.Handler and is safe for
// concurrent use; the methods besides ServeHTTP let tests inspect and change
// its state out of band, as someone using the NCP console would.
type Emulator struct {
	cfg     Config
	main    account // the account of Config.AccessKey
	other   account // the colleague of Config.OtherAccessKey
	control *http.ServeMux

	mu        sync.Mutex
	rng       *rand.Rand
	keys      []*Key          // creation order, which the list keeps
	byID      map[string]*Key // the same keys, by ID
	issued    map[string]bool // every ID and key value ever handed out, so none repeats
	faults    Faults
	remaining []int                    // injections left per entry of faults.Faults with a Count
	passed    []int                    // matching requests let through per entry, up to its After
	limiters  map[string]*rate.Limiter // rate-limit buckets by access key
	stats     Stats

	products []*Product          // in the order they were put
	catalog  map[string]*Product // the same products, by ID
	subs     []*Subscription     // every key's subscriptions, in the order they were made
}

// New returns an Emulator with no keys and no faults. It panics if cfg does
// not pass Validate, an empty access key or secret key included: an
// emulator that any unsigned request could pass would hide the bugs it is
// meant to find.
func New(cfg Config) *Emulator {
	if err := cfg.Validate(); err != nil {
		panic("emulator: " + err.Error())
	}
	cfg = cfg.withDefaults()
	if cfg.Seed == 0 {
		cfg.Seed = time.Now().UnixNano()
	}
	e := &Emulator{
		cfg:      cfg,
		main:     newAccount(cfg.AccessKey, cfg.SecretKey),
		other:    newAccount(cfg.OtherAccessKey, cfg.OtherSecretKey),
		rng:      rand.New(rand.NewPCG(uint64(cfg.Seed), 0x9e3779b97f4a7c15)),
		byID:     map[string]*Key{},
		issued:   map[string]bool{},
		limiters: map[string]*rate.Limiter{},
		stats:    newStats(),
		catalog:  map[string]*Product{},
	}
	e.control = e.controlMux()
	return e
}

// ServeHTTP answers the API under BasePath (signed) and the control endpoints
// under /_emulator/ (unsigned).
func (e *Emulator) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	switch p := r.URL.Path; {
	case p == BasePath || strings.HasPrefix(p, BasePath+"/"):
		e.serveAPI(w, r)
	case strings.HasPrefix(p, controlPrefix):
		e.control.ServeHTTP(w, r)
	default:
		e.reply(w, e.unknownPath())
	}
}

// serveAPI runs one API request through the same steps as the real gateway,
// with the faults in between: rate limit, latency, authentication, faults
// that hold the request, faults that answer instead of the operation so that
// nothing is committed, the operation (inside which a create may meet its
// twin), and faults that spoil the answer of an operation that succeeded and
// so was committed.
func (e *Emulator) serveAPI(w http.ResponseWriter, r *http.Request) {
	rec := &recorder{ResponseWriter: w}
	defer func() { e.countResponse(rec.status) }() // also runs when a drop panics
	t := resolve(r.Method, strings.TrimPrefix(r.URL.Path, BasePath))
	e.countRequest(t.route)
	// The whole request is read first, as a gateway does before it passes a
	// request on. This also lets net/http notice a client that leaves during
	// the latency, which it watches for only once the body is consumed.
	body, err := readBody(r)
	if err != nil {
		return // the client has gone; status 0 is counted
	}

	if !e.allow(r.Header.Get(headerAccessKey)) {
		e.reply(rec, e.fail(errThrottled))
		return
	}
	if sleep(r.Context(), e.latency()) != nil {
		return // the client has gone; nothing is answered and status 0 is counted
	}
	who, ok := e.authenticate(r)
	if !ok {
		e.reply(rec, e.fail(errAuthFailed))
		return
	}
	if f, ok := e.pickFault(t.route, holdPhase); ok && hold(r.Context(), f.Delay) != nil {
		return // the client left while the request was held
	}
	if f, ok := e.pickFault(t.route, refusePhase); ok {
		e.refuse(rec, r, body, f)
		return
	}
	if t.route == "" {
		e.reply(rec, e.failure(t))
		return
	}
	resp := e.do(t, r.URL.Query(), body, who)
	if resp.status < 300 {
		if f, ok := e.pickFault(t.route, losePhase); ok {
			e.lose(r.Context(), rec, body, f, resp)
			return
		}
	}
	e.reply(rec, resp)
}

// target is where a request goes: a route, key ID and product ID or, when
// route is empty, a path the API does not have (allow empty) or a method the
// path does not have (allow listing those it has).
type target struct {
	route   Route
	id      string
	product string
	allow   string
}

// resolve maps a method and a path below BasePath to a target.
func resolve(method, path string) target {
	if t, ok := resolveSubscription(method, path); ok {
		return t
	}
	const collection = "/api-keys"
	if path == collection {
		switch method {
		case http.MethodGet:
			return target{route: RouteList}
		case http.MethodPost:
			return target{route: RouteCreate}
		}
		return target{allow: "GET, POST"}
	}
	id, ok := strings.CutPrefix(path, collection+"/")
	if !ok || id == "" || strings.Contains(id, "/") {
		return target{}
	}
	switch method {
	case http.MethodGet:
		return target{route: RouteGet, id: id}
	case http.MethodPut:
		return target{route: RouteEdit, id: id}
	case http.MethodPatch:
		return target{route: RouteRegenerate, id: id}
	case http.MethodDelete:
		return target{route: RouteDelete, id: id}
	}
	return target{allow: "GET, PUT, PATCH, DELETE"}
}

// failure answers a target without a route: 404, or 405 for a method the
// path does not have. NCP documents no code for a 405; 100 (bad request) is
// the nearest.
func (e *Emulator) failure(t target) response {
	if t.allow == "" {
		return e.unknownPath()
	}
	resp := e.fail(ncpError{http.StatusMethodNotAllowed, "100", "Method Not Allowed"})
	return resp.with(map[string]string{"Allow": t.allow})
}

// unknownPath answers a path the API does not have: NCP's own 404 envelope,
// or with Config.ForeignUnknownPaths a bare HTML 404 page.
func (e *Emulator) unknownPath() response {
	if e.cfg.ForeignUnknownPaths {
		return htmlPage(http.StatusNotFound)
	}
	return e.fail(errNotFound)
}

// recorder remembers the status written through it, for Stats. A status of
// 0 means nothing was written: the connection was dropped or the client left.
type recorder struct {
	http.ResponseWriter
	status int
}

func (r *recorder) WriteHeader(status int) {
	if r.status == 0 {
		r.status = status
	}
	r.ResponseWriter.WriteHeader(status)
}

func (r *recorder) Write(b []byte) (int, error) {
	if r.status == 0 {
		r.status = http.StatusOK
	}
	return r.ResponseWriter.Write(b)
}

// Unwrap lets http.ResponseController reach the connection to hijack it.
func (r *recorder) Unwrap() http.ResponseWriter { return r.ResponseWriter }

// clock returns the emulated server's time: the host's plus ClockOffset.
func (e *Emulator) clock() time.Time {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.clockLocked()
}

func (e *Emulator) clockLocked() time.Time { return time.Now().Add(e.faults.ClockOffset) }

// stampLocked is a modTime as NCP writes it: UTC, whole seconds.
func (e *Emulator) stampLocked() time.Time {
	return e.clockLocked().UTC().Truncate(time.Second)
}

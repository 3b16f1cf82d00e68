// Package emulator is an in-memory stand-in for the API-key API of NAVER Cloud
// Platform's API Gateway (/api/v1/api-keys). It follows the documented wire
// format and signature v2 authentication, and it can inject the failures a
// real cloud API produces (errors, proxy pages, truncated answers, dropped
// connections, throttling, latency, clock skew), so that a client can be
// tested against them without an NCP account. It knows nothing of Terraform.
//
// Use it as an http.Handler, usually behind httptest.NewServer:
//
//	emu := emulator.New(emulator.Config{AccessKey: "AK", SecretKey: "SK"})
//	srv := httptest.NewServer(emu)
//	// point the client at srv.URL + emulator.BasePath
package emulator

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"maps"
	"math/rand/v2"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
	"time"
)

// BasePath is the path prefix of the API, as on the real hosts.
const BasePath = "/api/v1"

const (
	defaultMaxPageSize = 100
	defaultDomainCode  = "PUB"
)

// Config sets up an Emulator.
type Config struct {
	AccessKey   string // required
	SecretKey   string // required
	MaxPageSize int    // the server silently caps `limit` to this; default 100
	TenantID    string // default a realistic 32-hex string derived from AccessKey
	DomainCode  string // default "PUB"
	Seed        int64  // random seed for ids/keys/fault dice; 0 = time-based
}

// Emulator is the fake API. It implements http.Handler and is safe for
// concurrent use; the methods besides ServeHTTP let tests inspect and change
// its state out of band, as someone using the NCP console would.
type Emulator struct {
	cfg      Config
	modifier string
	control  *http.ServeMux

	mu        sync.Mutex
	rng       *rand.Rand
	keys      []*Key          // creation order, which the list keeps
	byID      map[string]*Key // the same keys, by ID
	issued    map[string]bool // every ID and key value ever handed out, so none repeats
	faults    Faults
	remaining []int // injections left per entry of faults.Faults with a Count
	buckets   map[string]*bucket
	stats     Stats
}

// New returns an Emulator with no keys and no faults. It panics if the
// access key or secret key is empty: an emulator that any unsigned request
// could pass would hide the bugs it is meant to find.
func New(cfg Config) *Emulator {
	if cfg.AccessKey == "" || cfg.SecretKey == "" {
		panic("emulator: Config.AccessKey and Config.SecretKey are required")
	}
	if cfg.MaxPageSize <= 0 {
		cfg.MaxPageSize = defaultMaxPageSize
	}
	if cfg.TenantID == "" {
		cfg.TenantID = derive("tenant", cfg.AccessKey)[:32]
	}
	if cfg.DomainCode == "" {
		cfg.DomainCode = defaultDomainCode
	}
	if cfg.Seed == 0 {
		cfg.Seed = time.Now().UnixNano()
	}
	e := &Emulator{
		cfg:      cfg,
		modifier: uuidFrom(derive("modifier", cfg.AccessKey)),
		rng:      rand.New(rand.NewPCG(uint64(cfg.Seed), 0x9e3779b97f4a7c15)),
		byID:     map[string]*Key{},
		issued:   map[string]bool{},
		buckets:  map[string]*bucket{},
		stats:    newStats(),
	}
	e.control = e.controlMux()
	return e
}

// derive returns a stable hex digest of label and value, so that the values
// NCP fixes per account (tenant, modifier) stay the same across runs.
func derive(label, value string) string {
	sum := sha256.Sum256([]byte(label + "\x00" + value))
	return hex.EncodeToString(sum[:])
}

// uuidFrom formats the first 32 hex digits of h as a UUID.
func uuidFrom(h string) string {
	return fmt.Sprintf("%s-%s-%s-%s-%s", h[0:8], h[8:12], h[12:16], h[16:20], h[20:32])
}

// ServeHTTP answers the API under BasePath (signed) and the control endpoints
// under /_emulator/ (unsigned). Every answer carries a Date header from the
// emulated server clock, so that clients can estimate their clock skew.
func (e *Emulator) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Date", e.clock().UTC().Format(http.TimeFormat))
	switch p := r.URL.Path; {
	case p == BasePath || strings.HasPrefix(p, BasePath+"/"):
		e.serveAPI(w, r)
	case strings.HasPrefix(p, controlPrefix):
		e.control.ServeHTTP(w, r)
	default:
		errNotFound.write(w)
	}
}

// serveAPI runs one API request through the same steps as the real gateway,
// with the faults in between: rate limit, latency, authentication, faults
// that fail before anything is committed, the operation, and faults that
// lose the answer of an operation that succeeded and so was committed.
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
		errThrottled.write(rec)
		return
	}
	if e.delay(r.Context()) != nil {
		return // the client has gone; nothing is answered and status 0 is counted
	}
	if !e.authenticate(r) {
		errAuthFailed.write(rec)
		return
	}
	if t.route == "" {
		t.failure.write(rec)
		return
	}
	if f, ok := e.pickFault(t.route, preCommit); ok {
		preCommitResponse(f).write(rec)
		return
	}
	resp := e.do(t, r.URL.Query(), body)
	if resp.status < 300 {
		if f, ok := e.pickFault(t.route, postCommit); ok {
			loseAnswer(rec, f, resp)
			return
		}
	}
	resp.write(rec)
}

// target is where a request goes: a route and key ID, or, when route is
// empty, the error that answers a path or method the API does not have.
type target struct {
	route   Route
	id      string
	failure response
}

// resolve maps a method and a path below BasePath to a target. The
// subscription endpoints of the real API are not emulated and answer 404.
func resolve(method, path string) target {
	const collection = "/api-keys"
	if path == collection {
		switch method {
		case http.MethodGet:
			return target{route: RouteList}
		case http.MethodPost:
			return target{route: RouteCreate}
		}
		return target{failure: methodNotAllowed("GET, POST")}
	}
	id, ok := strings.CutPrefix(path, collection+"/")
	if !ok || id == "" || strings.Contains(id, "/") {
		return target{failure: errNotFound}
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
	return target{failure: methodNotAllowed("GET, PUT, PATCH, DELETE")}
}

// do runs the operation t names.
func (e *Emulator) do(t target, query url.Values, body []byte) response {
	switch t.route {
	case RouteCreate:
		return e.create(body)
	case RouteGet:
		return e.get(t.id)
	case RouteList:
		return e.list(query)
	case RouteEdit:
		return e.edit(body, t.id)
	case RouteRegenerate:
		return e.regenerate(body, t.id)
	default: // RouteDelete; resolve makes no other route
		return e.delete(t.id)
	}
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

const (
	idAlphabet  = "abcdefghijklmnopqrstuvwxyz0123456789"
	keyAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
	idLen       = 10
	keyLen      = 40
)

// uniqueLocked draws random strings until it finds one never issued before.
func (e *Emulator) uniqueLocked(alphabet string, n int) string {
	b := make([]byte, n)
	for {
		for i := range b {
			b[i] = alphabet[e.rng.IntN(len(alphabet))]
		}
		if s := string(b); !e.issued[s] {
			e.issued[s] = true
			return s
		}
	}
}

func (e *Emulator) newKeyValueLocked() string { return e.uniqueLocked(keyAlphabet, keyLen) }

// Keys returns a snapshot of every key, in creation order.
func (e *Emulator) Keys() []Key {
	e.mu.Lock()
	defer e.mu.Unlock()
	out := make([]Key, len(e.keys))
	for i, k := range e.keys {
		out[i] = *k
	}
	return out
}

// Key returns a copy of the key with the given ID.
func (e *Emulator) Key(id string) (Key, bool) {
	e.mu.Lock()
	defer e.mu.Unlock()
	k, ok := e.byID[id]
	if !ok {
		return Key{}, false
	}
	return *k, true
}

// PutKey creates an enabled key directly, as if it were made in the console.
// It neither validates its arguments nor counts in Stats.
func (e *Emulator) PutKey(name, description string) Key {
	e.mu.Lock()
	defer e.mu.Unlock()
	k := &Key{
		ID:           e.uniqueLocked(idAlphabet, idLen),
		TenantID:     e.cfg.TenantID,
		Name:         name,
		Description:  description,
		PrimaryKey:   e.newKeyValueLocked(),
		SecondaryKey: e.newKeyValueLocked(),
		Modifier:     e.modifier,
		Enabled:      true,
		ModTime:      e.stampLocked(),
		DomainCode:   e.cfg.DomainCode,
	}
	e.keys = append(e.keys, k)
	e.byID[k.ID] = k
	return *k
}

// UpdateKey changes a key out of band (rename, disable, rotate...) and bumps
// its ModTime, as a change in the console would. fn runs under the
// emulator's lock, so it must not call the Emulator; it cannot change the ID.
func (e *Emulator) UpdateKey(id string, fn func(*Key)) bool {
	_, ok := e.update(id, fn)
	return ok
}

// update applies fn to the key with the given ID and returns the result.
func (e *Emulator) update(id string, fn func(*Key)) (Key, bool) {
	e.mu.Lock()
	defer e.mu.Unlock()
	k, ok := e.byID[id]
	if !ok {
		return Key{}, false
	}
	fn(k)
	k.ID = id
	k.ModTime = e.stampLocked()
	return *k, true
}

// DeleteKey removes a key out of band.
func (e *Emulator) DeleteKey(id string) bool {
	e.mu.Lock()
	defer e.mu.Unlock()
	if _, ok := e.byID[id]; !ok {
		return false
	}
	delete(e.byID, id)
	e.keys = slices.DeleteFunc(e.keys, func(k *Key) bool { return k.ID == id })
	return true
}

func newStats() Stats {
	return Stats{Requests: map[Route]int{}, Responses: map[int]int{}}
}

// Stats returns a copy of the counters.
func (e *Emulator) Stats() Stats {
	e.mu.Lock()
	defer e.mu.Unlock()
	return Stats{
		Requests:  maps.Clone(e.stats.Requests),
		Responses: maps.Clone(e.stats.Responses),
		Throttled: e.stats.Throttled,
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

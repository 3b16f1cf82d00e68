package ncpclient

import (
	"crypto/rand"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

const (
	testAccessKey = "AKIDTESTACCESSKEY"
	testSecretKey = "SecretTestValue-MustNeverBeLogged-0123456789"
)

// faultKind says how the fake answers a request hit by a fault.
type faultKind int

const (
	// faultRespond answers with the fault's status, headers and body without
	// doing anything. "{signature}" in the body echoes the request's.
	faultRespond faultKind = iota
	// faultDrop does the operation, then closes the connection unanswered.
	faultDrop
	// faultTruncate does the operation, then answers 200 with half the body.
	faultTruncate
	// faultHang does nothing and answers only when the client gives up.
	faultHang
)

type fault struct {
	kind   faultKind
	status int
	header map[string]string
	body   string
}

// recorded is one request as the fake saw it.
type recorded struct {
	op         string
	method     string
	requestURI string
	header     http.Header
	body       string
}

// fakeAPI is a small in-memory API-key API that checks signatures, records
// requests and injects faults. Its clock may run apart from the host's.
type fakeAPI struct {
	t *testing.T

	mu         sync.Mutex
	keys       map[string]*APIKey
	order      []string
	requests   []recorded
	signatures []string // every signature header received
	keyValues  []string // every key value ever generated
	maxPage    int      // server-side cap on the page size; 0 is none
	wrapGet    bool     // answer view-one wrapped in {"apiKey":...}
	skew       time.Duration
	wrongKey   bool // reject every signature, as for a wrong secret key
	// fault, if set, is asked (with mu held) whether to fail each request.
	fault func(op string) *fault
}

func newFake(t *testing.T) (*fakeAPI, *httptest.Server) {
	f := &fakeAPI{t: t, keys: map[string]*APIKey{}}
	srv := httptest.NewServer(f)
	t.Cleanup(srv.Close)
	return f, srv
}

func (f *fakeAPI) serverNow() time.Time {
	f.mu.Lock()
	defer f.mu.Unlock()
	return time.Now().Add(f.skew)
}

func (f *fakeAPI) count(op string) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	n := 0
	for _, r := range f.requests {
		if r.op == op {
			n++
		}
	}
	return n
}

func (f *fakeAPI) recordedRequests() []recorded {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]recorded(nil), f.requests...)
}

func (f *fakeAPI) key(id string) APIKey {
	f.mu.Lock()
	defer f.mu.Unlock()
	return *f.keys[id]
}

func (f *fakeAPI) numKeys() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return len(f.keys)
}

// seed adds a key directly, as if created by someone else.
func (f *fakeAPI) seed(name string, modTime time.Time) APIKey {
	f.mu.Lock()
	defer f.mu.Unlock()
	k := f.newKeyLocked(name, "seeded")
	k.ModTime = modTime.UTC().Format(time.RFC3339)
	return *k
}

func (f *fakeAPI) newKeyLocked(name, desc string) *APIKey {
	k := &APIKey{
		ID:           randomString(10),
		TenantID:     "tenant0001",
		Name:         name,
		Description:  desc,
		PrimaryKey:   f.keyValueLocked(),
		SecondaryKey: f.keyValueLocked(),
		Modifier:     "tester",
		Enabled:      true,
		ModTime:      time.Now().Add(f.skew).UTC().Format(time.RFC3339),
		DomainCode:   "PUB",
	}
	f.keys[k.ID] = k
	f.order = append(f.order, k.ID)
	return k
}

func (f *fakeAPI) keyValueLocked() string {
	v := randomString(40)
	f.keyValues = append(f.keyValues, v)
	return v
}

func randomString(n int) string {
	const alphabet = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
	b := make([]byte, n)
	_, _ = rand.Read(b)
	for i := range b {
		b[i] = alphabet[int(b[i])%len(alphabet)]
	}
	return string(b)
}

func routeOf(r *http.Request) (op, id string) {
	rest, ok := strings.CutPrefix(r.URL.Path, "/api/v1/api-keys")
	if !ok {
		return "", ""
	}
	id = strings.TrimPrefix(rest, "/")
	switch {
	case id == "" && r.Method == http.MethodPost:
		return "create", ""
	case id == "" && r.Method == http.MethodGet:
		return "list", ""
	case id != "" && r.Method == http.MethodGet:
		return "get", id
	case id != "" && r.Method == http.MethodPut:
		return "edit", id
	case id != "" && r.Method == http.MethodPatch:
		return "regenerate", id
	case id != "" && r.Method == http.MethodDelete:
		return "delete", id
	}
	return "", ""
}

func (f *fakeAPI) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	op, id := routeOf(r)
	now := f.serverNow()
	w.Header().Set("Date", now.UTC().Format(http.TimeFormat))

	f.mu.Lock()
	f.requests = append(f.requests, recorded{op: op, method: r.Method, requestURI: r.RequestURI, header: r.Header.Clone(), body: string(body)})
	f.signatures = append(f.signatures, r.Header.Get(headerSignature))
	wrongKey := f.wrongKey
	f.mu.Unlock()

	if !f.authentic(r, now) || wrongKey {
		writeJSON(w, http.StatusUnauthorized, `{"error":{"errorCode":"200","message":"Authentication Failed"}}`)
		return
	}
	f.mu.Lock()
	var flt *fault
	if f.fault != nil {
		flt = f.fault(op)
	}
	f.mu.Unlock()
	if flt != nil {
		switch flt.kind {
		case faultRespond:
			for k, v := range flt.header {
				w.Header().Set(k, v)
			}
			w.WriteHeader(flt.status)
			_, _ = io.WriteString(w, strings.ReplaceAll(flt.body, "{signature}", r.Header.Get(headerSignature)))
			return
		case faultHang:
			<-r.Context().Done()
			return
		}
	}
	status, resp := f.serve(op, id, r.URL.Query(), body)
	switch {
	case flt != nil && flt.kind == faultDrop:
		conn, _, err := http.NewResponseController(w).Hijack()
		if err != nil {
			f.t.Errorf("hijack: %v", err)
			return
		}
		_ = conn.Close()
	case flt != nil && flt.kind == faultTruncate:
		writeJSON(w, http.StatusOK, resp[:len(resp)/2])
	default:
		writeJSON(w, status, resp)
	}
}

// authentic checks the signature against the URI as received and the
// timestamp against the server's clock.
func (f *fakeAPI) authentic(r *http.Request, now time.Time) bool {
	ts := r.Header.Get(headerTimestamp)
	ms, err := strconv.ParseInt(ts, 10, 64)
	if err != nil || r.Header.Get(headerAccessKey) != testAccessKey {
		return false
	}
	if d := now.Sub(time.UnixMilli(ms)); d > 5*time.Minute || d < -5*time.Minute {
		return false
	}
	return r.Header.Get(headerSignature) == Sign(r.Method, r.RequestURI, ts, testAccessKey, testSecretKey)
}

func writeJSON(w http.ResponseWriter, status int, body string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = io.WriteString(w, body)
}

const notFoundBody = `{"error":{"errorCode":"300","message":"Not Found Exception"}}`

func (f *fakeAPI) serve(op, id string, q map[string][]string, body []byte) (int, string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	var k *APIKey
	if id != "" {
		if k = f.keys[id]; k == nil {
			return http.StatusNotFound, notFoundBody
		}
	}
	switch op {
	case "create":
		var in CreateAPIKeyInput
		if json.Unmarshal(body, &in) != nil || in.Name == "" {
			return http.StatusBadRequest, `{"error":{"errorCode":100,"message":"Bad Request Exception"}}`
		}
		return http.StatusOK, wrap(f.newKeyLocked(in.Name, in.Description))
	case "get":
		if f.wrapGet {
			return http.StatusOK, wrap(k)
		}
		return http.StatusOK, mustJSON(k)
	case "list":
		return http.StatusOK, f.listLocked(q)
	case "edit":
		var in UpdateAPIKeyInput
		if json.Unmarshal(body, &in) != nil {
			return http.StatusBadRequest, `{"error":{"errorCode":"100","message":"Bad Request Exception"}}`
		}
		k.Name, k.Description, k.Enabled = in.Name, in.Description, in.Enabled
		k.ModTime = time.Now().Add(f.skew).UTC().Format(time.RFC3339)
		return http.StatusOK, wrap(k)
	case "regenerate":
		var in struct{ KeyType KeyType }
		_ = json.Unmarshal(body, &in)
		switch in.KeyType {
		case KeyTypePrimary:
			k.PrimaryKey = f.keyValueLocked()
		case KeyTypeSecondary:
			k.SecondaryKey = f.keyValueLocked()
		default:
			return http.StatusBadRequest, `{"error":{"errorCode":"100","message":"Bad Request Exception"}}`
		}
		return http.StatusOK, wrap(k)
	case "delete":
		delete(f.keys, id)
		return http.StatusNoContent, ""
	}
	return http.StatusNotFound, notFoundBody
}

func (f *fakeAPI) listLocked(q map[string][]string) string {
	get := func(k string) string {
		if v := q[k]; len(v) > 0 {
			return v[0]
		}
		return ""
	}
	offset, _ := strconv.Atoi(get("offset"))
	limit, _ := strconv.Atoi(get("limit"))
	if f.maxPage > 0 && limit > f.maxPage {
		limit = f.maxPage
	}
	var matched []APIKey
	for _, id := range f.order {
		// The filter matches partially, so that exact matching is the
		// client's job.
		if k := f.keys[id]; k != nil && strings.Contains(k.Name, get("apiKeyName")) {
			listed := *k
			listed.PrimaryKey, listed.SecondaryKey = "", ""
			matched = append(matched, listed)
		}
	}
	page := []APIKey{}
	if offset < len(matched) {
		page = matched[offset:min(len(matched), offset+limit)]
	}
	return mustJSON(APIKeyPage{APIKeys: page, Total: int64(len(matched)), InitialCount: int64(len(page))})
}

func wrap(k *APIKey) string {
	return mustJSON(map[string]*APIKey{"apiKey": k})
}

func mustJSON(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return string(b)
}

// testConfig is a fast-retrying client configuration for srv.
func testConfig(srv *httptest.Server) Config {
	return Config{
		AccessKey:      testAccessKey,
		SecretKey:      testSecretKey,
		Endpoint:       srv.URL + "/api/v1",
		RetryBaseDelay: time.Millisecond,
		RetryMaxDelay:  10 * time.Millisecond,
		RequestTimeout: 5 * time.Second,
		Limiter:        unpacedLimiter(),
	}
}

// unpacedLimiter adapts like any Limiter, but its clock jumps an hour at
// every reading, so that it never makes a caller wait.
func unpacedLimiter() *Limiter {
	l := NewLimiter()
	now := time.Now()
	l.now = func() time.Time { // called with l.mu held
		now = now.Add(time.Hour)
		return now
	}
	return l
}

func newTestClient(t *testing.T, cfg Config) *Client {
	t.Helper()
	c, err := New(cfg)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	return c
}

// failNext returns a fault function that hits the next count requests of op.
func failNext(op string, count int, flt fault) func(string) *fault {
	return func(o string) *fault {
		if o != op || count == 0 {
			return nil
		}
		count--
		return &flt
	}
}

func (r recorded) String() string {
	return fmt.Sprintf("%s %s", r.method, r.requestURI)
}

// newRawServer serves handler on a test server; handlers run one at a time.
func newRawServer(t *testing.T, handler http.HandlerFunc) *httptest.Server {
	var mu sync.Mutex
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		defer mu.Unlock()
		handler(w, r)
	}))
	t.Cleanup(srv.Close)
	return srv
}

// newConcurrentServer serves handler on a test server without serializing.
func newConcurrentServer(t *testing.T, handler http.HandlerFunc) *httptest.Server {
	srv := httptest.NewServer(handler)
	t.Cleanup(srv.Close)
	return srv
}

package emulator

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestRefusingFaultsCommitNothing covers the faults that answer instead of
// the operation: their status, body, headers and the clock their Date is
// from, NCP's (the server's) or a proxy's (the host's).
func TestRefusingFaultsCommitNothing(t *testing.T) {
	for _, tc := range []struct {
		name        string
		fault       Fault
		status      int
		contentType string
		body        string // the whole body, or for HTML its start
		dateOffset  time.Duration
	}{
		{"error default", Fault{Kind: FaultError}, 503, "application/json", `{"error":{"errorCode":"500","message":"Endpoint Error"}}`, serverOffset},
		{"error 504", Fault{Kind: FaultError, Status: 504}, 504, "application/json", `{"error":{"errorCode":"510","message":"Endpoint Timeout"}}`, serverOffset},
		{"error 500", Fault{Kind: FaultError, Status: 500}, 500, "application/json", `{"error":{"errorCode":"900","message":"Unexpected Error"}}`, serverOffset},
		{"error 429", Fault{Kind: FaultError, Status: 429}, 429, "application/json", `{"error":{"errorCode":"410","message":"Throttle Limited"}}`, serverOffset},
		{"error 502 is a proxy's", Fault{Kind: FaultError, Status: 502}, 502, "text/html", "<html><body><h1>502 Bad Gateway</h1>", 0},
		{"html default", Fault{Kind: FaultHTML}, 503, "text/html", "<html><body><h1>503 Service Temporarily Unavailable</h1></body></html>", 0},
		{"html 504", Fault{Kind: FaultHTML, Status: 504}, 504, "text/html", "<html><body><h1>504 Gateway Timeout</h1>", 0},
		{"raw JSON 404", Fault{Kind: FaultRaw, Status: 404, ContentType: "application/json", Body: `{"message":"no route"}`}, 404, "application/json", `{"message":"no route"}`, 0},
		{"raw empty 404", Fault{Kind: FaultRaw, Status: 404}, 404, "", "", 0},
		{"raw default status", Fault{Kind: FaultRaw, ContentType: "text/plain", Body: "hello"}, 200, "text/plain", "hello", 0},
		{"echo default", Fault{Kind: FaultEcho}, 502, "text/html", "<html><body><h1>502 Bad Gateway</h1>", 0},
		{"echo 500", Fault{Kind: FaultEcho, Status: 500}, 500, "text/html", "<html><body><h1>500 Internal Server Error</h1>", 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			emu, c := newAPI(t, Config{})
			c.skew = serverOffset
			emu.SetFaults(Faults{ClockOffset: serverOffset, Faults: []Fault{tc.fault}})
			status, data, header := c.do("POST", "/api/v1/api-keys", `{"apiKeyName":"web"}`)
			if status != tc.status {
				t.Fatalf("status %d, want %d; body %s", status, tc.status, data)
			}
			if got := header.Get("Content-Type"); got != tc.contentType {
				t.Errorf("Content-Type %q, want %q", got, tc.contentType)
			}
			if tc.contentType == "text/html" && !strings.HasPrefix(string(data), tc.body) || tc.contentType != "text/html" && string(data) != tc.body {
				t.Errorf("body %q, want %q", data, tc.body)
			}
			wantDate(t, header, tc.dateOffset)
			if keys := emu.Keys(); len(keys) != 0 {
				t.Fatalf("a refused create committed %d keys", len(keys))
			}
			if got := emu.Stats().Faults[tc.fault.Kind]; got != 1 {
				t.Errorf("Stats.Faults[%s] = %d, want 1", tc.fault.Kind, got)
			}
		})
	}
}

func TestFaultHeadersAreSent(t *testing.T) {
	for _, kind := range []FaultKind{FaultError, FaultHTML, FaultRaw, FaultEcho, FaultReplace} {
		t.Run(string(kind), func(t *testing.T) {
			emu, c := newAPI(t, Config{})
			emu.SetFaults(Faults{Faults: []Fault{{Kind: kind, Status: 429, Header: map[string]string{"Retry-After": "7", "x-proxy": "p1"}}}})
			status, _, header := c.do("GET", "/api/v1/api-keys", "")
			if status != 429 || header.Get("Retry-After") != "7" || header.Get("X-Proxy") != "p1" {
				t.Fatalf("status %d, Retry-After %q, X-Proxy %q; want 429, 7, p1", status, header.Get("Retry-After"), header.Get("X-Proxy"))
			}
		})
	}
}

func TestEchoFaultShowsTheWholeRequest(t *testing.T) {
	emu, c := newAPI(t, Config{})
	emu.SetFaults(Faults{Faults: []Fault{{Route: RouteList, Kind: FaultEcho}}})
	req := c.newRequest(context.Background(), "GET", "/api/v1/api-keys?apiKeyName=a%20b&limit=5", "")
	req.Header.Set("X-Custom", "<tag>")
	status, data, _ := c.send(req)
	if status != http.StatusBadGateway {
		t.Fatalf("status %d", status)
	}
	// Failures name the line, not its value: the page holds the signature.
	page := string(data)
	for _, want := range []struct{ line, text string }{
		{"request line", "GET /api/v1/api-keys?apiKeyName=a%20b&amp;limit=5 HTTP/1.1\n"},
		{"Host", "Host: " + strings.TrimPrefix(c.base, "http://") + "\n"},
		{"access key", "X-Ncp-Iam-Access-Key: " + testAccessKey + "\n"},
		{"signature", "X-Ncp-Apigw-Signature-V2: " + req.Header.Get("x-ncp-apigw-signature-v2") + "\n"},
		{"timestamp", "X-Ncp-Apigw-Timestamp: " + req.Header.Get("x-ncp-apigw-timestamp") + "\n"},
		{"escaped custom header", "X-Custom: &lt;tag&gt;\n"},
	} {
		if !strings.Contains(page, want.text) {
			t.Errorf("the page does not echo the %s", want.line)
		}
	}
}

// TestHTMLNotFoundForEverything plays a misrouted endpoint: a gateway that
// answers an HTML 404 to every request, paths the API lacks included.
func TestHTMLNotFoundForEverything(t *testing.T) {
	emu, c := newAPI(t, Config{})
	k := emu.PutKey("web", "")
	emu.SetFaults(Faults{Faults: []Fault{{Kind: FaultHTML, Status: http.StatusNotFound}}})
	uri := "/api/v1/api-keys/" + k.ID
	for _, tc := range []struct{ method, uri, body string }{
		{"POST", "/api/v1/api-keys", `{"apiKeyName":"web"}`},
		{"GET", "/api/v1/api-keys", ""},
		{"GET", uri, ""},
		{"PUT", uri, `{"isEnabled":false,"apiKeyName":"x"}`},
		{"PATCH", uri, `{"keyType":"PRIMARY"}`},
		{"DELETE", uri, ""},
		{"GET", "/api/v1/products", ""},
		{"PATCH", "/api/v1/api-keys", "{}"},
	} {
		status, data, header := c.do(tc.method, tc.uri, tc.body)
		if status != http.StatusNotFound || header.Get("Content-Type") != "text/html" || !strings.HasPrefix(string(data), "<html><body><h1>404 Not Found</h1>") {
			t.Errorf("%s %s: %d %s %q, want an HTML 404", tc.method, tc.uri, status, header.Get("Content-Type"), data)
		}
	}
	if keys := emu.Keys(); len(keys) != 1 || keys[0] != k {
		t.Fatalf("keys %+v, want the one key unchanged", keys)
	}
	if got := emu.Stats().Faults[FaultHTML]; got != 8 {
		t.Fatalf("%d HTML pages counted, want 8", got)
	}
}

func TestResetFaultLosesTheRequestBeforeItCommits(t *testing.T) {
	emu, c := newAPI(t, Config{})
	emu.SetFaults(Faults{Faults: []Fault{{Route: RouteCreate, Kind: FaultReset, Count: 1}}})
	if err := c.createUnanswered(context.Background()); !errors.Is(err, syscall.ECONNRESET) {
		t.Fatalf("error %v, want a connection reset", err)
	}
	if keys := emu.Keys(); len(keys) != 0 {
		t.Fatalf("a reset create committed %+v", keys)
	}
	waitFor(t, func() bool { return emu.Stats().Responses[0] == 1 }, "the reset counted as status 0")
	c.create("web", "") // Count 1 is spent
	if got := emu.Stats().Faults; got[FaultReset] != 1 {
		t.Fatalf("Stats.Faults %v, want one reset", got)
	}
}

func TestStallFault(t *testing.T) {
	emu, c := newAPI(t, Config{})
	const delay = 100 * time.Millisecond
	emu.SetFaults(Faults{Faults: []Fault{{Route: RouteCreate, Kind: FaultStall, Delay: delay}}})
	start := time.Now()
	k := c.create("web", "")
	if elapsed := time.Since(start); elapsed < delay {
		t.Fatalf("answered in %v, before the stall of %v", elapsed, delay)
	}
	if _, ok := emu.Key(k.ID); !ok {
		t.Fatal("the stalled create was not committed")
	}
}

func TestTwinFault(t *testing.T) {
	emu, c := newAPI(t, Config{})
	emu.SetFaults(Faults{Faults: []Fault{{Route: RouteCreate, Kind: FaultTwin, Count: 1}}})
	ours := c.create("web", "mine")
	keys := emu.Keys()
	if len(keys) != 2 {
		t.Fatalf("keys %+v, want the twin and ours", keys)
	}
	twin := keys[0] // made just before ours
	if twin.Name != "web" || twin.Description != "made by someone else" || twin.Modifier != emu.OtherModifier() || twin.ID == ours.ID {
		t.Errorf("twin %+v, want a key named web made by the other account", twin)
	}
	if keys[1].ID != ours.ID || ours.Modifier != emu.Modifier() || ours.Description != "mine" {
		t.Errorf("ours %+v, want the created key written by the main account", ours)
	}
	c.create("web", "") // Count 1 is spent
	if n := len(emu.Keys()); n != 3 {
		t.Fatalf("%d keys, want no second twin", n)
	}

	// An invalid create meets no twin.
	emu.SetFaults(Faults{Faults: []Fault{{Route: RouteCreate, Kind: FaultTwin}}})
	c.expectError(http.StatusBadRequest, "100", "POST", "/api/v1/api-keys", `{"apiKeyName":""}`)
	if n := len(emu.Keys()); n != 3 {
		t.Fatalf("%d keys: an invalid create made a twin", n)
	}
}

// TestTwinThenDrop is the lost create that cannot be told apart from
// someone else's key: both keys exist and the client got no answer.
func TestTwinThenDrop(t *testing.T) {
	emu, c := newAPI(t, Config{})
	emu.SetFaults(Faults{Faults: []Fault{
		{Route: RouteCreate, Kind: FaultTwin, Count: 1},
		{Route: RouteCreate, Kind: FaultDrop, Count: 1},
	}})
	if err := c.createUnanswered(context.Background()); !errors.Is(err, io.EOF) {
		t.Fatalf("error %v, want the connection closed without an answer", err)
	}
	keys := emu.Keys()
	if len(keys) != 2 || keys[0].Name != "web" || keys[1].Name != "web" || keys[0].Modifier != emu.OtherModifier() || keys[1].Modifier != emu.Modifier() {
		t.Fatalf("keys %+v, want the twin then ours", keys)
	}
	if got := emu.Stats().Faults; got[FaultTwin] != 1 || got[FaultDrop] != 1 {
		t.Fatalf("Stats.Faults %v", got)
	}
}

// TestRivalFaults: the other account edits its key of the create's name
// while the create's answer is lost: just before the create commits
// (rival, with a drop: ours made), before and instead of it (rival_reset:
// nothing made) or after it (rival_drop: ours made); it makes such a key
// when it has none.
func TestRivalFaults(t *testing.T) {
	for _, tc := range []struct {
		kind      FaultKind
		committed bool
	}{{FaultRival, true}, {FaultRivalReset, false}, {FaultRivalDrop, true}} {
		t.Run(string(tc.kind), func(t *testing.T) {
			emu, c := newAPI(t, Config{})
			old := emu.PutKey("web", "the colleague's")
			emu.PutKey("web2", "another name")
			faults := []Fault{{Route: RouteCreate, Kind: tc.kind, Count: 2}}
			if tc.kind == FaultRival {
				faults = append(faults, Fault{Route: RouteCreate, Kind: FaultDrop})
			}
			emu.SetFaults(Faults{Faults: faults})
			if err := c.createUnanswered(context.Background()); err == nil {
				t.Fatal("the create was answered")
			}
			edited, _ := emu.Key(old.ID)
			if edited.Description != RivalDescription || edited.Modifier != emu.OtherModifier() || edited.ModTime.Before(old.ModTime) {
				t.Errorf("the colleague's key is %+v, want it edited by the colleague", edited)
			}
			if n := len(keysBy(emu, "web", emu.Modifier())); n != map[bool]int{false: 0, true: 1}[tc.committed] {
				t.Errorf("%d keys of ours, want committed = %t", n, tc.committed)
			}
			// Without a key of that name, the colleague makes one.
			emu.DeleteKey(old.ID)
			if err := c.createUnanswered(context.Background()); err == nil {
				t.Fatal("the create was answered")
			}
			if made := keysBy(emu, "web", emu.OtherModifier()); len(made) != 1 || made[0].Description != RivalDescription {
				t.Errorf("the colleague's keys named web: %+v, want one it made and edited", made)
			}
			if n := emu.Stats().Faults[tc.kind]; n != 2 {
				t.Errorf("%d faults counted, want 2", n)
			}
		})
	}
}

// TestFailedFaultCommitsAndAnswersNCPsError: NCP's 500 after the change.
func TestFailedFaultCommitsAndAnswersNCPsError(t *testing.T) {
	emu, c := newAPI(t, Config{})
	emu.SetFaults(Faults{Faults: []Fault{{Route: RouteCreate, Kind: FaultFailed, Count: 1}, {Route: RouteCreate, Kind: FaultFailed, Status: 502, Count: 1}}})
	c.expectError(http.StatusInternalServerError, "900", "POST", "/api/v1/api-keys", `{"apiKeyName":"web"}`)
	status, body, _ := c.do("POST", "/api/v1/api-keys", `{"apiKeyName":"web"}`)
	if status != http.StatusBadGateway || !strings.Contains(string(body), "<html>") {
		t.Errorf("status %d, body %s; want a proxy's 502 page", status, body)
	}
	if n := len(keysBy(emu, "web", emu.Modifier())); n != 2 {
		t.Errorf("%d keys, want both creates committed", n)
	}
}

func keysBy(emu *Emulator, name, modifier string) []Key {
	var keys []Key
	for _, k := range emu.Keys() {
		if k.Name == name && k.Modifier == modifier {
			keys = append(keys, k)
		}
	}
	return keys
}

func TestTruncatedFaultCommits(t *testing.T) {
	emu, c := newAPI(t, Config{})
	c.skew = serverOffset
	emu.SetFaults(Faults{ClockOffset: serverOffset, Faults: []Fault{{Kind: FaultTruncated}}})
	status, data, header := c.do("POST", "/api/v1/api-keys", `{"apiKeyName":"web"}`)
	if status != http.StatusOK || header.Get("Content-Type") != "application/json" {
		t.Fatalf("status %d, content type %q; want 200 application/json", status, header.Get("Content-Type"))
	}
	wantDate(t, header, serverOffset) // NCP's answer, cut
	if json.Valid(data) {
		t.Fatalf("the body is whole: %s", data)
	}
	keys := emu.Keys()
	if len(keys) != 1 {
		t.Fatalf("%d keys committed, want 1", len(keys))
	}
	whole, err := json.Marshal(keyEnvelope{keys[0]})
	if err != nil {
		t.Fatal(err)
	}
	if string(data) != string(whole[:len(whole)/2]) {
		t.Fatalf("body %s, want the first half of %s", data, whole)
	}
}

func TestDropFaultCommitsAndClosesTheConnection(t *testing.T) {
	emu, c := newAPI(t, Config{})
	emu.SetFaults(Faults{Faults: []Fault{{Route: RouteCreate, Kind: FaultDrop}}})
	if err := c.createUnanswered(context.Background()); !errors.Is(err, io.EOF) {
		t.Fatalf("error %v, want the connection closed without an answer", err)
	}
	if keys := emu.Keys(); len(keys) != 1 || keys[0].Name != "web" {
		t.Fatalf("keys %+v, want the dropped create committed", keys)
	}
	waitFor(t, func() bool { return emu.Stats().Responses[0] == 1 }, "a dropped answer counted as status 0")
	c.expect(http.StatusOK, "GET", "/api/v1/api-keys", "") // other routes are unaffected
}

func TestHangUpWithoutHijackAborts(t *testing.T) {
	for _, kind := range []FaultKind{FaultDrop, FaultReset} {
		t.Run(string(kind), func(t *testing.T) {
			emu := New(Config{AccessKey: testAccessKey, SecretKey: testSecretKey, Seed: 1})
			emu.SetFaults(Faults{Faults: []Fault{{Kind: kind}}})
			c := &client{t: t, accessKey: testAccessKey, secretKey: testSecretKey}
			req := c.newRequest(context.Background(), "POST", "/api/v1/api-keys", `{"apiKeyName":"web"}`)
			req.RequestURI = req.URL.RequestURI()

			defer func() {
				if r := recover(); r != http.ErrAbortHandler {
					t.Fatalf("recovered %v, want http.ErrAbortHandler", r)
				}
				if committed := len(emu.Keys()) == 1; committed != (kind == FaultDrop) || emu.Stats().Responses[0] != 1 {
					t.Fatalf("committed %v, stats %+v", committed, emu.Stats())
				}
			}()
			emu.ServeHTTP(httptest.NewRecorder(), req)
		})
	}
}

func TestReplaceFaultCommitsAndGarblesTheAnswer(t *testing.T) {
	emu, c := newAPI(t, Config{})
	c.skew = serverOffset
	emu.SetFaults(Faults{ClockOffset: serverOffset, Faults: []Fault{{Route: RouteCreate, Kind: FaultReplace, ContentType: "text/html", Body: "<html>maintenance</html>"}}})
	status, data, header := c.do("POST", "/api/v1/api-keys", `{"apiKeyName":"web"}`)
	if status != http.StatusOK || string(data) != "<html>maintenance</html>" || header.Get("Content-Type") != "text/html" {
		t.Fatalf("%d %q %q, want the proxy's 200 page", status, header.Get("Content-Type"), data)
	}
	wantDate(t, header, 0)
	if keys := emu.Keys(); len(keys) != 1 {
		t.Fatalf("%d keys, want the create committed", len(keys))
	}
	// A failed operation keeps its own answer.
	c.expectError(http.StatusBadRequest, "100", "POST", "/api/v1/api-keys", `{}`)
}

func TestLateFault(t *testing.T) {
	emu, c := newAPI(t, Config{})
	c.skew = serverOffset
	const delay = 1500 * time.Millisecond
	emu.SetFaults(Faults{ClockOffset: serverOffset, Faults: []Fault{{Route: RouteCreate, Kind: FaultLate, Delay: delay}}})
	type answer struct {
		resp *http.Response
		err  error
		at   time.Time
	}
	answers := make(chan answer, 1)
	start := time.Now()
	go func() {
		resp, err := c.hc.Do(c.newRequest(context.Background(), "POST", "/api/v1/api-keys", `{"apiKeyName":"web"}`))
		answers <- answer{resp, err, time.Now()}
	}()
	waitFor(t, func() bool { return len(emu.Keys()) == 1 }, "the create to commit while its answer is held")
	a := <-answers
	if a.err != nil {
		t.Fatal(a.err)
	}
	defer a.resp.Body.Close()
	if elapsed := a.at.Sub(start); elapsed < delay {
		t.Fatalf("answered in %v, before the delay of %v", elapsed, delay)
	}
	var env wireEnvelope
	if err := json.NewDecoder(a.resp.Body).Decode(&env); err != nil || a.resp.StatusCode != http.StatusOK || env.APIKey == nil || env.APIKey.Name != "web" {
		t.Fatalf("%d %v, want the create's own answer", a.resp.StatusCode, err)
	}
	// Date is the server clock when NCP answered, held back with the
	// answer: over a second before it arrived, with Date's whole seconds.
	wantDate(t, a.resp.Header, serverOffset)
	date, _ := http.ParseTime(a.resp.Header.Get("Date"))
	if lag := a.at.Add(serverOffset).Sub(date); lag < time.Second {
		t.Fatalf("Date %v is %v before the answer arrived, want the time of the commit", date, lag)
	}
}

func TestFaultCountRateAndRoute(t *testing.T) {
	emu, c := newAPI(t, Config{Seed: 7})
	faults := Faults{Faults: []Fault{
		{Route: RouteCreate, Kind: FaultError, Status: 504, Count: 2},
		{Kind: FaultError, Status: 500, Rate: 0.5},
	}}
	emu.SetFaults(faults)

	// The create fault fires twice, then the next matching fault takes over.
	c.expectError(http.StatusGatewayTimeout, "510", "POST", "/api/v1/api-keys", `{"apiKeyName":"a"}`)
	c.expectError(http.StatusGatewayTimeout, "510", "POST", "/api/v1/api-keys", `{"apiKeyName":"a"}`)
	var failed int
	for range 100 {
		switch status, _, _ := c.do("GET", "/api/v1/api-keys", ""); status {
		case http.StatusInternalServerError:
			failed++
		case http.StatusOK:
		default:
			t.Fatalf("status %d", status)
		}
	}
	if failed < 20 || failed > 80 {
		t.Fatalf("%d of 100 lists failed at rate 0.5", failed)
	}
	if got := emu.Stats().Faults[FaultError]; got != 2+failed {
		t.Fatalf("Stats.Faults[error] = %d, want %d", got, 2+failed)
	}

	// SetFaults starts the count again.
	emu.SetFaults(Faults{Faults: faults.Faults[:1]})
	c.expectError(http.StatusGatewayTimeout, "510", "POST", "/api/v1/api-keys", `{"apiKeyName":"a"}`)
	c.expectError(http.StatusGatewayTimeout, "510", "POST", "/api/v1/api-keys", `{"apiKeyName":"a"}`)
	c.create("a", "")
	c.expect(http.StatusOK, "GET", "/api/v1/api-keys", "")
}

// TestFaultAfter lets the first requests through: the second regenerate of
// a rotation of both keys fails, the first succeeds.
func TestFaultAfter(t *testing.T) {
	emu, c := newAPI(t, Config{})
	k := c.create("a", "")
	emu.SetFaults(Faults{Faults: []Fault{{Route: RouteRegenerate, Kind: FaultError, Status: 500, After: 1, Count: 1}}})
	c.expect(http.StatusOK, "PATCH", "/api/v1/api-keys/"+k.ID, `{"keyType":"PRIMARY"}`)
	c.expectError(http.StatusInternalServerError, "900", "PATCH", "/api/v1/api-keys/"+k.ID, `{"keyType":"SECONDARY"}`)
	c.expect(http.StatusOK, "PATCH", "/api/v1/api-keys/"+k.ID, `{"keyType":"SECONDARY"}`)
	if got := emu.Stats().Faults[FaultError]; got != 1 {
		t.Fatalf("Stats.Faults[error] = %d, want 1", got)
	}
	if err := (Fault{Kind: FaultError, After: -1}).validate(); err == nil {
		t.Error("a negative After passed validation")
	}
}

func TestFaultsSpareRefusedRequests(t *testing.T) {
	emu, c := newAPI(t, Config{})
	emu.SetFaults(Faults{Faults: []Fault{{Kind: FaultHTML, Count: 1}}})
	c.as(testAccessKey, "WRONG").expectError(http.StatusUnauthorized, "200", "GET", "/api/v1/api-keys", "")
	if got := emu.Stats().Faults[FaultHTML]; got != 0 {
		t.Fatalf("an unauthenticated request used up the fault: %d", got)
	}
	if status, _, _ := c.do("GET", "/api/v1/api-keys", ""); status != http.StatusServiceUnavailable {
		t.Fatalf("status %d, want the fault's 503", status)
	}
}

// TestAbandonedRequests has the client give up on a request held by the
// latency, a stall or a late answer: it gets nothing, the request counts as
// status 0, and only the late answer's operation was committed.
func TestAbandonedRequests(t *testing.T) {
	for _, tc := range []struct {
		name      string
		faults    Faults
		committed int
	}{
		{"latency", Faults{Latency: time.Minute}, 0},
		{"stall", Faults{Faults: []Fault{{Route: RouteCreate, Kind: FaultStall}}}, 0},
		{"late", Faults{Faults: []Fault{{Route: RouteCreate, Kind: FaultLate}}}, 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			emu, c := newAPI(t, Config{})
			emu.SetFaults(tc.faults)
			ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
			defer cancel()
			if err := c.createUnanswered(ctx); !errors.Is(err, context.DeadlineExceeded) {
				t.Fatalf("error %v, want the client's own timeout", err)
			}
			waitFor(t, func() bool { return emu.Stats().Responses[0] == 1 }, "the abandoned request to end")
			if keys := emu.Keys(); len(keys) != tc.committed {
				t.Fatalf("%d keys committed, want %d", len(keys), tc.committed)
			}
		})
	}
}

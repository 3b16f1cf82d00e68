package emulator

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

const (
	testAccessKey = "AKIDTEST"
	testSecretKey = "SECRETTEST"
)

var (
	idPattern       = regexp.MustCompile(`^[a-z0-9]{10}$`)
	keyPattern      = regexp.MustCompile(`^[A-Za-z0-9]{40}$`)
	tenantPattern   = regexp.MustCompile(`^[0-9a-f]{32}$`)
	modifierPattern = regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$`)
	modTimePattern  = regexp.MustCompile(`^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$`)
)

// client signs requests as an NCP client would, computing the signature
// here rather than with the code under test.
type client struct {
	t         *testing.T
	base      string
	hc        *http.Client
	accessKey string
	secretKey string
	skew      time.Duration // added to the host clock when signing
}

// newAPI starts an emulator behind a real HTTP server and returns a client
// with the right credentials.
func newAPI(t *testing.T, cfg Config) (*Emulator, *client) {
	t.Helper()
	if cfg.AccessKey == "" {
		cfg.AccessKey, cfg.SecretKey = testAccessKey, testSecretKey
	}
	if cfg.Seed == 0 {
		cfg.Seed = 1
	}
	emu := New(cfg)
	srv := httptest.NewServer(emu)
	t.Cleanup(srv.Close)
	return emu, &client{t: t, base: srv.URL, hc: srv.Client(), accessKey: cfg.AccessKey, secretKey: cfg.SecretKey}
}

func sign(secretKey, method, uri, timestamp, accessKey string) string {
	mac := hmac.New(sha256.New, []byte(secretKey))
	fmt.Fprintf(mac, "%s %s\n%s\n%s", method, uri, timestamp, accessKey)
	return base64.StdEncoding.EncodeToString(mac.Sum(nil))
}

// newRequest builds a request for uri (path and query as sent), signed.
func (c *client) newRequest(ctx context.Context, method, uri, body string) *http.Request {
	c.t.Helper()
	var r io.Reader
	if body != "" {
		r = strings.NewReader(body)
	}
	req, err := http.NewRequestWithContext(ctx, method, c.base+uri, r)
	if err != nil {
		c.t.Fatal(err)
	}
	ts := strconv.FormatInt(time.Now().Add(c.skew).UnixMilli(), 10)
	req.Header.Set("x-ncp-apigw-timestamp", ts)
	req.Header.Set("x-ncp-iam-access-key", c.accessKey)
	req.Header.Set("x-ncp-apigw-signature-v2", sign(c.secretKey, method, uri, ts, c.accessKey))
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	return req
}

// do sends a signed request and returns the status, body and headers.
func (c *client) do(method, uri, body string) (int, []byte, http.Header) {
	c.t.Helper()
	return c.send(c.newRequest(context.Background(), method, uri, body))
}

func (c *client) send(req *http.Request) (int, []byte, http.Header) {
	c.t.Helper()
	resp, err := c.hc.Do(req)
	if err != nil {
		c.t.Fatalf("%s %s: %v", req.Method, req.URL, err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		c.t.Fatal(err)
	}
	return resp.StatusCode, data, resp.Header
}

// expect sends a signed request and fails unless the status is want.
func (c *client) expect(want int, method, uri, body string) []byte {
	c.t.Helper()
	status, data, _ := c.do(method, uri, body)
	if status != want {
		c.t.Fatalf("%s %s: status %d, want %d; body %s", method, uri, status, want, data)
	}
	return data
}

func decode[T any](t *testing.T, data []byte) T {
	t.Helper()
	var v T
	if err := json.Unmarshal(data, &v); err != nil {
		t.Fatalf("decoding %s: %v", data, err)
	}
	return v
}

// wireKey is an API key as a client reads it.
type wireKey struct {
	ID           string `json:"apiKeyId"`
	TenantID     string `json:"tenantId"`
	Name         string `json:"apiKeyName"`
	Description  string `json:"apiKeyDescription"`
	PrimaryKey   string `json:"primaryKey"`
	SecondaryKey string `json:"secondaryKey"`
	Modifier     string `json:"modifier"`
	Enabled      bool   `json:"isEnabled"`
	ModTime      string `json:"modTime"`
	DomainCode   string `json:"domainCode"`
}

type wireEnvelope struct {
	APIKey *wireKey `json:"apiKey"`
}

type wirePage struct {
	APIKeys      []wireKey `json:"apiKeys"`
	Total        int       `json:"total"`
	InitialCount int       `json:"initialCount"`
}

type wireError struct {
	Error struct {
		Code    string `json:"errorCode"`
		Message string `json:"message"`
	} `json:"error"`
}

// expectError fails unless the answer is status with NCP error code.
func (c *client) expectError(status int, code, method, uri, body string) {
	c.t.Helper()
	data := c.expect(status, method, uri, body)
	if got := decode[wireError](c.t, data).Error.Code; got != code {
		c.t.Fatalf("%s %s: errorCode %q, want %q; body %s", method, uri, got, code, data)
	}
}

func (c *client) create(name, description string) wireKey {
	c.t.Helper()
	body := fmt.Sprintf(`{"apiKeyName":%q,"apiKeyDescription":%q}`, name, description)
	env := decode[wireEnvelope](c.t, c.expect(http.StatusOK, "POST", "/api/v1/api-keys", body))
	if env.APIKey == nil {
		c.t.Fatal("create: no apiKey in the answer")
	}
	return *env.APIKey
}

func fieldNames(m map[string]json.RawMessage) []string {
	names := make([]string, 0, len(m))
	for name := range m {
		names = append(names, name)
	}
	slices.Sort(names)
	return names
}

var keyFields = []string{"apiKeyDescription", "apiKeyId", "apiKeyName", "domainCode", "isEnabled", "modTime", "modifier", "primaryKey", "secondaryKey", "tenantId"}

func TestCreateAnswersTheDocumentedShape(t *testing.T) {
	_, c := newAPI(t, Config{})
	data := c.expect(http.StatusOK, "POST", "/api/v1/api-keys", `{"apiKeyName":"web","apiKeyDescription":"for the web","unknown":1}`)

	outer := decode[map[string]json.RawMessage](t, data)
	if got := fieldNames(outer); !slices.Equal(got, []string{"apiKey"}) {
		t.Fatalf("top-level fields %v, want [apiKey]", got)
	}
	if got := fieldNames(decode[map[string]json.RawMessage](t, outer["apiKey"])); !slices.Equal(got, keyFields) {
		t.Fatalf("key fields %v, want %v", got, keyFields)
	}
	k := *decode[wireEnvelope](t, data).APIKey
	checks := []struct {
		field, value string
		ok           bool
	}{
		{"apiKeyId", k.ID, idPattern.MatchString(k.ID)},
		{"tenantId", k.TenantID, tenantPattern.MatchString(k.TenantID)},
		{"modifier", k.Modifier, modifierPattern.MatchString(k.Modifier)},
		{"modTime", k.ModTime, modTimePattern.MatchString(k.ModTime)},
		{"primaryKey", k.PrimaryKey, keyPattern.MatchString(k.PrimaryKey)},
		{"secondaryKey", k.SecondaryKey, keyPattern.MatchString(k.SecondaryKey)},
		{"domainCode", k.DomainCode, k.DomainCode == "PUB"},
		{"apiKeyName", k.Name, k.Name == "web"},
		{"apiKeyDescription", k.Description, k.Description == "for the web"},
	}
	for _, check := range checks {
		if !check.ok {
			t.Errorf("%s = %q is not as documented", check.field, check.value)
		}
	}
	if !k.Enabled {
		t.Error("a new key is disabled; the API creates keys enabled")
	}
	modTime, err := time.Parse(time.RFC3339, k.ModTime)
	if err != nil || time.Since(modTime).Abs() > 5*time.Second {
		t.Errorf("modTime %s is not now (%v)", k.ModTime, err)
	}
}

func TestViewOneIsUnwrapped(t *testing.T) {
	_, c := newAPI(t, Config{})
	created := c.create("web", "")
	data := c.expect(http.StatusOK, "GET", "/api/v1/api-keys/"+created.ID, "")

	if got := fieldNames(decode[map[string]json.RawMessage](t, data)); !slices.Equal(got, keyFields) {
		t.Fatalf("fields %v, want the key's own fields %v", got, keyFields)
	}
	if got := decode[wireKey](t, data); got != created {
		t.Fatalf("view one = %+v, want what create answered %+v", got, created)
	}
}

func TestListOmitsKeyValues(t *testing.T) {
	_, c := newAPI(t, Config{})
	created := c.create("web", "d")
	data := c.expect(http.StatusOK, "GET", "/api/v1/api-keys", "")

	for _, field := range []string{"primaryKey", "secondaryKey", created.PrimaryKey, created.SecondaryKey} {
		if strings.Contains(string(data), field) {
			t.Errorf("list answer contains %q: %s", field, data)
		}
	}
	if got := fieldNames(decode[map[string]json.RawMessage](t, data)); !slices.Equal(got, []string{"apiKeys", "initialCount", "total"}) {
		t.Fatalf("top-level fields %v", got)
	}
	page := decode[wirePage](t, data)
	want := created
	want.PrimaryKey, want.SecondaryKey = "", ""
	if page.Total != 1 || page.InitialCount != 1 || len(page.APIKeys) != 1 || page.APIKeys[0] != want {
		t.Fatalf("page = %+v, want the one key %+v", page, want)
	}
}

func TestEditReplacesTheWholeObject(t *testing.T) {
	_, c := newAPI(t, Config{})
	created := c.create("web", "old description")
	uri := "/api/v1/api-keys/" + created.ID

	env := decode[wireEnvelope](t, c.expect(http.StatusOK, "PUT", uri, `{"isEnabled":false,"apiKeyName":"renamed"}`))
	got := *env.APIKey
	if got.Enabled || got.Name != "renamed" || got.Description != "" {
		t.Fatalf("after edit: %+v; want disabled, renamed, description cleared", got)
	}
	if got.PrimaryKey != created.PrimaryKey || got.SecondaryKey != created.SecondaryKey || got.ID != created.ID {
		t.Fatal("edit changed the id or the key values")
	}
	if viewed := decode[wireKey](t, c.expect(http.StatusOK, "GET", uri, "")); viewed != got {
		t.Fatalf("view after edit = %+v, want %+v", viewed, got)
	}
}

func TestRegenerateChangesOnlyTheChosenKey(t *testing.T) {
	_, c := newAPI(t, Config{})
	before := c.create("web", "")
	uri := "/api/v1/api-keys/" + before.ID

	primary := *decode[wireEnvelope](t, c.expect(http.StatusOK, "PATCH", uri, `{"keyType":"PRIMARY"}`)).APIKey
	if primary.PrimaryKey == before.PrimaryKey || !keyPattern.MatchString(primary.PrimaryKey) {
		t.Errorf("PRIMARY: primary key %q, want a new 40-character key", primary.PrimaryKey)
	}
	if primary.SecondaryKey != before.SecondaryKey {
		t.Error("PRIMARY changed the secondary key")
	}

	secondary := *decode[wireEnvelope](t, c.expect(http.StatusOK, "PATCH", uri, `{"keyType":"SECONDARY"}`)).APIKey
	if secondary.SecondaryKey == before.SecondaryKey || !keyPattern.MatchString(secondary.SecondaryKey) {
		t.Errorf("SECONDARY: secondary key %q, want a new 40-character key", secondary.SecondaryKey)
	}
	if secondary.PrimaryKey != primary.PrimaryKey {
		t.Error("SECONDARY changed the primary key")
	}
	if viewed := decode[wireKey](t, c.expect(http.StatusOK, "GET", uri, "")); viewed != secondary {
		t.Fatalf("view after regenerate = %+v, want %+v", viewed, secondary)
	}
}

func TestDeleteAnswers204WithoutBody(t *testing.T) {
	emu, c := newAPI(t, Config{})
	created := c.create("web", "")
	uri := "/api/v1/api-keys/" + created.ID

	if data := c.expect(http.StatusNoContent, "DELETE", uri, ""); len(data) != 0 {
		t.Fatalf("delete body %q, want none", data)
	}
	c.expectError(http.StatusNotFound, "300", "GET", uri, "")
	if _, ok := emu.Key(created.ID); ok {
		t.Fatal("the key is still in the emulator")
	}
}

func TestUnknownIDIsNotFound(t *testing.T) {
	_, c := newAPI(t, Config{})
	c.create("web", "")
	for _, tc := range []struct{ method, body string }{
		{"GET", ""},
		{"PUT", `{"isEnabled":true,"apiKeyName":"x"}`},
		{"PATCH", `{"keyType":"PRIMARY"}`},
		{"DELETE", ""},
	} {
		c.expectError(http.StatusNotFound, "300", tc.method, "/api/v1/api-keys/nosuchkey0", tc.body)
	}
}

func TestInvalidRequestsAreRejectedWithoutChange(t *testing.T) {
	emu, c := newAPI(t, Config{})
	existing := c.create("web", "")
	keyURI := "/api/v1/api-keys/" + existing.ID
	for _, tc := range []struct{ name, method, uri, body string }{
		{"name of 21 runes", "POST", "/api/v1/api-keys", `{"apiKeyName":"` + strings.Repeat("가", 21) + `"}`},
		{"empty name", "POST", "/api/v1/api-keys", `{"apiKeyName":""}`},
		{"missing name", "POST", "/api/v1/api-keys", `{"apiKeyDescription":"d"}`},
		{"description of 51 runes", "POST", "/api/v1/api-keys", `{"apiKeyName":"a","apiKeyDescription":"` + strings.Repeat("é", 51) + `"}`},
		{"invalid JSON", "POST", "/api/v1/api-keys", `{"apiKeyName":`},
		{"JSON array", "POST", "/api/v1/api-keys", `[]`},
		{"JSON null", "POST", "/api/v1/api-keys", `null`},
		{"no body", "POST", "/api/v1/api-keys", ``},
		{"name of the wrong type", "POST", "/api/v1/api-keys", `{"apiKeyName":7}`},
		{"edit without isEnabled", "PUT", keyURI, `{"apiKeyName":"a"}`},
		{"edit without name", "PUT", keyURI, `{"isEnabled":true}`},
		{"edit with name of 21 runes", "PUT", keyURI, `{"isEnabled":true,"apiKeyName":"` + strings.Repeat("a", 21) + `"}`},
		{"bad keyType", "PATCH", keyURI, `{"keyType":"TERTIARY"}`},
		{"lowercase keyType", "PATCH", keyURI, `{"keyType":"primary"}`},
		{"missing keyType", "PATCH", keyURI, `{}`},
		{"limit 0", "GET", "/api/v1/api-keys?limit=0", ""},
		{"negative limit", "GET", "/api/v1/api-keys?limit=-1", ""},
		{"non-numeric offset", "GET", "/api/v1/api-keys?offset=abc", ""},
		{"negative offset", "GET", "/api/v1/api-keys?offset=-1", ""},
		{"filter of 21 runes", "GET", "/api/v1/api-keys?apiKeyName=" + strings.Repeat("a", 21), ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c.t = t
			c.expectError(http.StatusBadRequest, "100", tc.method, tc.uri, tc.body)
			if keys := emu.Keys(); len(keys) != 1 || keys[0].Name != "web" || keys[0].PrimaryKey != existing.PrimaryKey {
				t.Fatalf("the rejected request changed the keys: %+v", keys)
			}
		})
	}
}

func TestLengthsAreCountedInRunes(t *testing.T) {
	_, c := newAPI(t, Config{})
	name, description := strings.Repeat("가", 20), strings.Repeat("é", 50)
	if k := c.create(name, description); k.Name != name || k.Description != description {
		t.Fatalf("created %+v", k)
	}
}

func TestOversizedBodyIsRejected(t *testing.T) {
	_, c := newAPI(t, Config{})
	body := `{"apiKeyName":"a","apiKeyDescription":"` + strings.Repeat("x", maxBodyBytes) + `"}`
	c.expectError(http.StatusRequestEntityTooLarge, "430", "POST", "/api/v1/api-keys", body)
}

func TestListPagesAreCappedToMaxPageSize(t *testing.T) {
	emu, c := newAPI(t, Config{MaxPageSize: 3})
	var ids []string
	for i := range 7 {
		ids = append(ids, emu.PutKey(fmt.Sprintf("key-%d", i), "").ID)
	}
	for _, tc := range []struct {
		query string
		want  []string
	}{
		{"?limit=5", ids[0:3]},
		{"", ids[0:3]},
		{"?offset=3&limit=100", ids[3:6]},
		{"?offset=6", ids[6:7]},
		{"?offset=2&limit=1", ids[2:3]},
		{"?offset=7", nil},
		{"?offset=9223372036854775807&limit=9223372036854775807", nil},
	} {
		data := c.expect(http.StatusOK, "GET", "/api/v1/api-keys"+tc.query, "")
		page := decode[wirePage](t, data)
		var got []string
		for _, k := range page.APIKeys {
			got = append(got, k.ID)
		}
		if !slices.Equal(got, tc.want) || page.Total != 7 || page.InitialCount != len(tc.want) {
			t.Errorf("%s: ids %v total %d initialCount %d; want ids %v total 7", tc.query, got, page.Total, page.InitialCount, tc.want)
		}
		if tc.want == nil && !strings.Contains(string(data), `"apiKeys":[]`) {
			t.Errorf("%s: an empty page should be an empty array: %s", tc.query, data)
		}
	}
}

func TestListDefaultLimitIsTen(t *testing.T) {
	emu, c := newAPI(t, Config{})
	for i := range 12 {
		emu.PutKey(fmt.Sprint("key-", i), "")
	}
	page := decode[wirePage](t, c.expect(http.StatusOK, "GET", "/api/v1/api-keys", ""))
	if len(page.APIKeys) != 10 || page.Total != 12 {
		t.Fatalf("%d keys of %d, want 10 of 12", len(page.APIKeys), page.Total)
	}
}

func TestListFilterIsCaseSensitiveSubstring(t *testing.T) {
	emu, c := newAPI(t, Config{})
	for _, name := range []string{"web-prod", "db", "web-dev", "WEB-x", "a web b"} {
		emu.PutKey(name, "")
	}
	for _, tc := range []struct {
		query string
		want  []string
		total int
	}{
		{"?apiKeyName=web", []string{"web-prod", "web-dev", "a web b"}, 3},
		{"?apiKeyName=WEB", []string{"WEB-x"}, 1},
		{"?apiKeyName=web-prod", []string{"web-prod"}, 1},
		{"?apiKeyName=", []string{"web-prod", "db", "web-dev", "WEB-x", "a web b"}, 5},
		{"?apiKeyName=web&offset=1&limit=1", []string{"web-dev"}, 3},
		{"?apiKeyName=a%20web", []string{"a web b"}, 1},
		{"?apiKeyName=nothing", nil, 0},
	} {
		page := decode[wirePage](t, c.expect(http.StatusOK, "GET", "/api/v1/api-keys"+tc.query, ""))
		var got []string
		for _, k := range page.APIKeys {
			got = append(got, k.Name)
		}
		if !slices.Equal(got, tc.want) || page.Total != tc.total {
			t.Errorf("%s: %v total %d, want %v total %d", tc.query, got, page.Total, tc.want, tc.total)
		}
	}
}

func TestKeyValuesAreUnique(t *testing.T) {
	emu, c := newAPI(t, Config{})
	seen := map[string]bool{}
	record := func(values ...string) {
		for _, v := range values {
			if !keyPattern.MatchString(v) {
				t.Fatalf("key %q is not 40 letters and digits", v)
			}
			if seen[v] {
				t.Fatalf("key %q issued twice", v)
			}
			seen[v] = true
		}
	}
	for range 50 {
		k := emu.PutKey("k", "")
		record(k.PrimaryKey, k.SecondaryKey)
	}
	k := c.create("web", "")
	record(k.PrimaryKey, k.SecondaryKey)
	regenerated := decode[wireEnvelope](t, c.expect(http.StatusOK, "PATCH", "/api/v1/api-keys/"+k.ID, `{"keyType":"PRIMARY"}`))
	record(regenerated.APIKey.PrimaryKey)
}

func TestConcurrentCreatesGiveDistinctKeys(t *testing.T) {
	emu, c := newAPI(t, Config{})
	const n = 20
	keys := make([]wireKey, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			req := c.newRequest(context.Background(), "POST", "/api/v1/api-keys", fmt.Sprintf(`{"apiKeyName":"k%d"}`, i))
			resp, err := c.hc.Do(req)
			if err != nil {
				t.Error(err)
				return
			}
			defer resp.Body.Close()
			var env wireEnvelope
			if err := json.NewDecoder(resp.Body).Decode(&env); err != nil || env.APIKey == nil {
				t.Errorf("create %d: status %d, %v", i, resp.StatusCode, err)
				return
			}
			keys[i] = *env.APIKey
		})
	}
	wg.Wait()

	ids, values := map[string]bool{}, map[string]bool{}
	for _, k := range keys {
		ids[k.ID] = true
		values[k.PrimaryKey], values[k.SecondaryKey] = true, true
	}
	if len(ids) != n || len(values) != 2*n {
		t.Fatalf("%d distinct ids and %d distinct key values, want %d and %d", len(ids), len(values), n, 2*n)
	}
	if got := len(emu.Keys()); got != n {
		t.Fatalf("emulator holds %d keys, want %d", got, n)
	}
	if got := emu.Stats().Requests[RouteCreate]; got != n {
		t.Fatalf("counted %d creates, want %d", got, n)
	}
}

func TestAuthentication(t *testing.T) {
	emu, c := newAPI(t, Config{})
	const uri = "/api/v1/api-keys?limit=5&offset=0"
	for _, tc := range []struct {
		name   string
		client func(c *client)                    // changes credentials or clock before signing
		header func(c *client, req *http.Request) // changes the signed request
		want   int
	}{
		{name: "valid", want: http.StatusOK},
		{name: "wrong access key", client: func(c *client) { c.accessKey = "AKIDOTHER" }, want: http.StatusUnauthorized},
		{name: "wrong secret", client: func(c *client) { c.secretKey = "WRONG" }, want: http.StatusUnauthorized},
		{name: "timestamp 6 minutes old", client: func(c *client) { c.skew = -6 * time.Minute }, want: http.StatusUnauthorized},
		{name: "timestamp 6 minutes ahead", client: func(c *client) { c.skew = 6 * time.Minute }, want: http.StatusUnauthorized},
		{name: "timestamp 4 minutes old", client: func(c *client) { c.skew = -4 * time.Minute }, want: http.StatusOK},
		{name: "timestamp 4 minutes ahead", client: func(c *client) { c.skew = 4 * time.Minute }, want: http.StatusOK},
		{name: "signature without the query", header: func(c *client, req *http.Request) {
			ts := req.Header.Get("x-ncp-apigw-timestamp")
			req.Header.Set("x-ncp-apigw-signature-v2", sign(c.secretKey, "GET", "/api/v1/api-keys", ts, c.accessKey))
		}, want: http.StatusUnauthorized},
		{name: "timestamp other than the signed one", header: func(_ *client, req *http.Request) {
			req.Header.Set("x-ncp-apigw-timestamp", strconv.FormatInt(time.Now().UnixMilli()+1, 10))
		}, want: http.StatusUnauthorized},
		{name: "timestamp in seconds", header: func(c *client, req *http.Request) {
			ts := strconv.FormatInt(time.Now().Unix(), 10)
			req.Header.Set("x-ncp-apigw-timestamp", ts)
			req.Header.Set("x-ncp-apigw-signature-v2", sign(c.secretKey, "GET", uri, ts, c.accessKey))
		}, want: http.StatusUnauthorized},
		{name: "no headers", header: func(_ *client, req *http.Request) { req.Header = http.Header{} }, want: http.StatusUnauthorized},
	} {
		t.Run(tc.name, func(t *testing.T) {
			probe := *c
			probe.t = t
			if tc.client != nil {
				tc.client(&probe)
			}
			req := probe.newRequest(context.Background(), "GET", uri, "")
			if tc.header != nil {
				tc.header(&probe, req)
			}
			status, data, header := probe.send(req)
			if status != tc.want {
				t.Fatalf("status %d, want %d; body %s", status, tc.want, data)
			}
			if header.Get("Date") == "" {
				t.Error("no Date header")
			}
			if status == http.StatusUnauthorized {
				if got := decode[wireError](t, data).Error; got.Code != "200" || got.Message != "Authentication Failed" {
					t.Fatalf("error %+v, want 200 Authentication Failed", got)
				}
			}
		})
	}
	if got := emu.Stats(); got.Responses[http.StatusUnauthorized] != 8 || got.Requests[RouteList] != 11 {
		t.Errorf("stats %+v, want 11 lists of which 8 were refused", got)
	}
}

func TestQueryIsSignedAsSentOnTheWire(t *testing.T) {
	emu, c := newAPI(t, Config{})
	emu.PutKey("a web b", "")
	page := decode[wirePage](t, c.expect(http.StatusOK, "GET", "/api/v1/api-keys?apiKeyName=a%20web&limit=10", ""))
	if page.Total != 1 {
		t.Fatalf("total %d, want 1", page.Total)
	}
}

func TestClockOffsetShiftsTheWindowAndDate(t *testing.T) {
	emu, c := newAPI(t, Config{})
	emu.SetFaults(Faults{ClockOffset: time.Hour})

	status, _, header := c.do("GET", "/api/v1/api-keys", "")
	if status != http.StatusUnauthorized {
		t.Fatalf("a client on host time got %d, want 401 from a server an hour ahead", status)
	}
	date, err := http.ParseTime(header.Get("Date"))
	if err != nil {
		t.Fatal(err)
	}
	if skew := date.Sub(time.Now().Add(time.Hour)); skew.Abs() > 5*time.Second {
		t.Fatalf("Date %v is %v from the server clock", date, skew)
	}

	c.skew = time.Hour // the client corrects its clock from Date
	c.expect(http.StatusOK, "GET", "/api/v1/api-keys", "")
	created := c.create("web", "")
	modTime, err := time.Parse(time.RFC3339, created.ModTime)
	if err != nil || modTime.Sub(time.Now().Add(time.Hour)).Abs() > 5*time.Second {
		t.Fatalf("modTime %s is not from the server clock (%v)", created.ModTime, err)
	}
}

func TestUnknownPathsAndMethods(t *testing.T) {
	_, c := newAPI(t, Config{})
	c.expectError(http.StatusNotFound, "300", "GET", "/api/v1/nothing", "")
	c.expectError(http.StatusNotFound, "300", "GET", "/api/v1/api-keys/a/subscription-detail", "")
	c.expectError(http.StatusNotFound, "300", "GET", "/api/v1", "")

	_, _, header := c.do("PATCH", "/api/v1/api-keys", "{}")
	c.expectError(http.StatusMethodNotAllowed, "100", "PATCH", "/api/v1/api-keys", "{}")
	if got := header.Get("Allow"); got != "GET, POST" {
		t.Fatalf("Allow %q", got)
	}
	c.expectError(http.StatusMethodNotAllowed, "100", "POST", "/api/v1/api-keys/abc", "{}")

	resp, err := c.hc.Get(c.base + "/elsewhere")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusNotFound {
		t.Fatalf("/elsewhere: %d", resp.StatusCode)
	}
}

func TestErrorFaultsCommitNothing(t *testing.T) {
	for _, tc := range []struct {
		fault      Fault
		status     int
		code       string // NCP errorCode; "" for an HTML page
		htmlPrefix string
	}{
		{Fault{Kind: FaultError}, 503, "500", ""},
		{Fault{Kind: FaultError, Status: 503}, 503, "500", ""},
		{Fault{Kind: FaultError, Status: 504}, 504, "510", ""},
		{Fault{Kind: FaultError, Status: 500}, 500, "900", ""},
		{Fault{Kind: FaultError, Status: 429}, 429, "410", ""},
		{Fault{Kind: FaultError, Status: 502}, 502, "", "<html><body><h1>502 Bad Gateway</h1>"},
		{Fault{Kind: FaultHTML}, 503, "", "<html><body><h1>503 Service Temporarily Unavailable</h1></body></html>"},
		{Fault{Kind: FaultHTML, Status: 504}, 504, "", "<html><body><h1>504 Gateway Timeout</h1>"},
	} {
		t.Run(fmt.Sprintf("%s %d", tc.fault.Kind, tc.fault.Status), func(t *testing.T) {
			emu, c := newAPI(t, Config{})
			emu.SetFaults(Faults{Faults: []Fault{tc.fault}})
			status, data, header := c.do("POST", "/api/v1/api-keys", `{"apiKeyName":"web"}`)
			if status != tc.status {
				t.Fatalf("status %d, want %d", status, tc.status)
			}
			if tc.code != "" {
				if got := decode[wireError](t, data).Error.Code; got != tc.code {
					t.Fatalf("errorCode %q, want %q", got, tc.code)
				}
			} else if !strings.HasPrefix(string(data), tc.htmlPrefix) || header.Get("Content-Type") != "text/html" {
				t.Fatalf("body %q (%s), want an HTML page starting %q", data, header.Get("Content-Type"), tc.htmlPrefix)
			}
			if keys := emu.Keys(); len(keys) != 0 {
				t.Fatalf("a failed create committed %d keys", len(keys))
			}
		})
	}
}

func TestTruncatedFaultCommits(t *testing.T) {
	emu, c := newAPI(t, Config{})
	emu.SetFaults(Faults{Faults: []Fault{{Kind: FaultTruncated}}})
	status, data, header := c.do("POST", "/api/v1/api-keys", `{"apiKeyName":"web"}`)
	if status != http.StatusOK || header.Get("Content-Type") != "application/json" {
		t.Fatalf("status %d, content type %q; want 200 application/json", status, header.Get("Content-Type"))
	}
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
	resp, err := c.hc.Do(c.newRequest(context.Background(), "POST", "/api/v1/api-keys", `{"apiKeyName":"web"}`))
	if err == nil {
		resp.Body.Close()
		t.Fatalf("the client got an answer, status %d; want a dropped connection", resp.StatusCode)
	}
	if keys := emu.Keys(); len(keys) != 1 || keys[0].Name != "web" {
		t.Fatalf("keys %+v, want the dropped create committed", keys)
	}
	waitFor(t, func() bool { return emu.Stats().Responses[0] == 1 }, "a dropped answer counted as status 0")
	c.expect(http.StatusOK, "GET", "/api/v1/api-keys", "") // other routes are unaffected
}

func TestDropWithoutHijackAborts(t *testing.T) {
	emu := New(Config{AccessKey: testAccessKey, SecretKey: testSecretKey, Seed: 1})
	emu.SetFaults(Faults{Faults: []Fault{{Kind: FaultDrop}}})
	c := &client{t: t, accessKey: testAccessKey, secretKey: testSecretKey}
	req := c.newRequest(context.Background(), "POST", "/api/v1/api-keys", `{"apiKeyName":"web"}`)
	req.RequestURI = req.URL.RequestURI()

	defer func() {
		if r := recover(); r != http.ErrAbortHandler {
			t.Fatalf("recovered %v, want http.ErrAbortHandler", r)
		}
		if len(emu.Keys()) != 1 || emu.Stats().Responses[0] != 1 {
			t.Fatal("the aborted create was not committed and counted as status 0")
		}
	}()
	emu.ServeHTTP(httptest.NewRecorder(), req)
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

	// SetFaults starts the count again.
	emu.SetFaults(Faults{Faults: faults.Faults[:1]})
	c.expectError(http.StatusGatewayTimeout, "510", "POST", "/api/v1/api-keys", `{"apiKeyName":"a"}`)
	c.expectError(http.StatusGatewayTimeout, "510", "POST", "/api/v1/api-keys", `{"apiKeyName":"a"}`)
	c.create("a", "")
	c.expect(http.StatusOK, "GET", "/api/v1/api-keys", "")
}

func TestRateLimit(t *testing.T) {
	emu, c := newAPI(t, Config{})
	emu.SetFaults(Faults{RateLimit: 0.01, RateBurst: 3})
	for range 3 {
		c.expect(http.StatusOK, "GET", "/api/v1/api-keys", "")
	}
	c.expectError(http.StatusTooManyRequests, "410", "GET", "/api/v1/api-keys", "")
	c.expectError(http.StatusTooManyRequests, "410", "POST", "/api/v1/api-keys", `{"apiKeyName":"a"}`)
	if len(emu.Keys()) != 0 {
		t.Fatal("a throttled create was committed")
	}

	// Buckets are per access key: another key is not throttled, only unknown.
	other := *c
	other.accessKey = "AKIDOTHER"
	other.expectError(http.StatusUnauthorized, "200", "GET", "/api/v1/api-keys", "")

	stats := emu.Stats()
	if stats.Throttled != 2 || stats.Responses[http.StatusTooManyRequests] != 2 || stats.Requests[RouteList] != 5 {
		t.Fatalf("stats %+v; want 2 throttled of 5 lists", stats)
	}
}

func TestRateLimitDefaultBurst(t *testing.T) {
	emu, c := newAPI(t, Config{})
	emu.SetFaults(Faults{RateLimit: 0.5})
	c.expect(http.StatusOK, "GET", "/api/v1/api-keys", "")
	c.expectError(http.StatusTooManyRequests, "410", "GET", "/api/v1/api-keys", "")
}

func TestLatency(t *testing.T) {
	emu, c := newAPI(t, Config{})
	const latency = 80 * time.Millisecond
	emu.SetFaults(Faults{Latency: latency, LatencyJitter: 10 * time.Millisecond})
	start := time.Now()
	c.expect(http.StatusOK, "GET", "/api/v1/api-keys", "")
	if elapsed := time.Since(start); elapsed < latency {
		t.Fatalf("answered in %v, before the latency of %v", elapsed, latency)
	}
}

func TestLatencyEndsWhenTheClientLeaves(t *testing.T) {
	emu, c := newAPI(t, Config{})
	emu.SetFaults(Faults{Latency: time.Minute})
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	if resp, err := c.hc.Do(c.newRequest(ctx, "POST", "/api/v1/api-keys", `{"apiKeyName":"a"}`)); err == nil {
		resp.Body.Close()
		t.Fatal("the request did not time out")
	}
	waitFor(t, func() bool { return emu.Stats().Responses[0] == 1 }, "the abandoned request to end")
	if len(emu.Keys()) != 0 {
		t.Fatal("an abandoned create was committed")
	}
}

func TestStatsCountRoutesAndStatuses(t *testing.T) {
	emu, c := newAPI(t, Config{})
	emu.PutKey("console", "") // not an API request
	k := c.create("web", "")
	uri := "/api/v1/api-keys/" + k.ID
	c.expect(http.StatusOK, "GET", uri, "")
	c.expect(http.StatusOK, "GET", "/api/v1/api-keys", "")
	c.expect(http.StatusBadRequest, "GET", "/api/v1/api-keys?limit=0", "")
	c.expect(http.StatusOK, "PUT", uri, `{"isEnabled":true,"apiKeyName":"w"}`)
	c.expect(http.StatusOK, "PATCH", uri, `{"keyType":"SECONDARY"}`)
	c.expect(http.StatusNoContent, "DELETE", uri, "")
	c.expect(http.StatusNotFound, "GET", "/api/v1/nothing", "")

	want := Stats{
		Requests:  map[Route]int{RouteCreate: 1, RouteGet: 1, RouteList: 2, RouteEdit: 1, RouteRegenerate: 1, RouteDelete: 1},
		Responses: map[int]int{200: 5, 204: 1, 400: 1, 404: 1},
		Faults:    map[FaultKind]int{},
	}
	got := emu.Stats()
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("stats %+v, want %+v", got, want)
	}
	got.Requests[RouteCreate] = 99
	if emu.Stats().Requests[RouteCreate] != 1 {
		t.Fatal("Stats shares its maps with the emulator")
	}
	emu.ResetStats()
	if got := emu.Stats(); len(got.Requests)+len(got.Responses)+got.Throttled != 0 {
		t.Fatalf("after reset: %+v", got)
	}
}

func TestOutOfBandChanges(t *testing.T) {
	emu, c := newAPI(t, Config{})
	k := emu.PutKey("console", "made by hand")
	if !k.Enabled || !idPattern.MatchString(k.ID) || k.Modifier == "" {
		t.Fatalf("PutKey made %+v", k)
	}
	ok := emu.UpdateKey(k.ID, func(k *Key) {
		k.Name, k.Enabled, k.ID = "renamed", false, "hijacked"
	})
	if !ok {
		t.Fatal("UpdateKey found no key")
	}
	viewed := decode[wireKey](t, c.expect(http.StatusOK, "GET", "/api/v1/api-keys/"+k.ID, ""))
	if viewed.Name != "renamed" || viewed.Enabled {
		t.Fatalf("the API shows %+v after an out-of-band change", viewed)
	}
	if got, _ := emu.Key(k.ID); got.ModTime.Before(k.ModTime) {
		t.Fatalf("ModTime went back from %v to %v", k.ModTime, got.ModTime)
	}
	if emu.UpdateKey("nosuchkey0", func(*Key) {}) {
		t.Fatal("UpdateKey of an unknown id succeeded")
	}
	if !emu.DeleteKey(k.ID) || emu.DeleteKey(k.ID) {
		t.Fatal("DeleteKey should succeed once")
	}
	c.expectError(http.StatusNotFound, "300", "GET", "/api/v1/api-keys/"+k.ID, "")
	if got := emu.Stats().Requests[RouteCreate]; got != 0 {
		t.Fatalf("out-of-band changes counted as %d creates", got)
	}
}

func TestConfigDefaultsAndSeed(t *testing.T) {
	a := New(Config{AccessKey: "AK", SecretKey: "SK", Seed: 42}).PutKey("k", "")
	b := New(Config{AccessKey: "AK", SecretKey: "SK", Seed: 42}).PutKey("k", "")
	if a.ID != b.ID || a.PrimaryKey != b.PrimaryKey || a.TenantID != b.TenantID || a.Modifier != b.Modifier {
		t.Fatalf("the same seed gave %+v and %+v", a, b)
	}
	if a.DomainCode != "PUB" || !tenantPattern.MatchString(a.TenantID) || !modifierPattern.MatchString(a.Modifier) {
		t.Fatalf("defaults: %+v", a)
	}
	custom := New(Config{AccessKey: "AK", SecretKey: "SK", TenantID: "t1", DomainCode: "GOV"}).PutKey("k", "")
	if custom.TenantID != "t1" || custom.DomainCode != "GOV" {
		t.Fatalf("configured tenant and domain ignored: %+v", custom)
	}

	defer func() {
		if recover() == nil {
			t.Fatal("New without a secret key did not panic")
		}
	}()
	New(Config{AccessKey: "AK"})
}

func TestFaultsJSON(t *testing.T) {
	f := Faults{
		Latency:       50 * time.Millisecond,
		LatencyJitter: time.Second,
		Faults:        []Fault{{Route: RouteCreate, Kind: FaultDrop, Rate: 0.25, Count: 3}},
		RateLimit:     2.5,
		RateBurst:     4,
		ClockOffset:   -90 * time.Second,
	}
	data, err := json.Marshal(f)
	if err != nil {
		t.Fatal(err)
	}
	const want = `{"latency":"50ms","latency_jitter":"1s","faults":[{"route":"create","kind":"drop","rate":0.25,"count":3}],"rate_limit":2.5,"rate_burst":4,"clock_offset":"-1m30s"}`
	if string(data) != want {
		t.Fatalf("encoded\n%s\nwant\n%s", data, want)
	}
	if back := decode[Faults](t, data); !reflect.DeepEqual(back, f) {
		t.Fatalf("round trip gave %+v", back)
	}
	if got := decode[Faults](t, []byte(`{"latency":50000000}`)); got.Latency != 50*time.Millisecond {
		t.Fatalf("integer nanoseconds read as %v", got.Latency)
	}
	if got, _ := json.Marshal(Faults{}); string(got) != `{}` {
		t.Fatalf("zero Faults encoded as %s", got)
	}
	for _, bad := range []string{`{"latency":"fast"}`, `{"latency":true}`} {
		if err := json.Unmarshal([]byte(bad), &Faults{}); err == nil {
			t.Errorf("%s was accepted", bad)
		}
	}
}

func TestFaultsValidate(t *testing.T) {
	for _, f := range []Faults{
		{Latency: -time.Second},
		{Faults: []Fault{{Kind: "explode"}}},
		{Faults: []Fault{{Kind: FaultError, Route: "nope"}}},
		{Faults: []Fault{{Kind: FaultError, Status: 42}}},
		{Faults: []Fault{{Kind: FaultError, Rate: 1.5}}},
		{Faults: []Fault{{Kind: FaultError, Count: -1}}},
	} {
		if f.Validate() == nil {
			t.Errorf("%+v passed", f)
		}
	}
	if err := (Faults{Faults: []Fault{{Route: RouteList, Kind: FaultHTML, Status: 502, Rate: 1}}}).Validate(); err != nil {
		t.Errorf("a valid configuration failed: %v", err)
	}
}

// control calls an unsigned control endpoint.
func (c *client) control(method, path, body string) (int, []byte) {
	c.t.Helper()
	req, err := http.NewRequest(method, c.base+path, strings.NewReader(body))
	if err != nil {
		c.t.Fatal(err)
	}
	status, data, _ := c.send(req)
	return status, data
}

func TestControlEndpoints(t *testing.T) {
	emu, c := newAPI(t, Config{})
	c.create("web", "")

	status, data := c.control("GET", "/_emulator/stats", "")
	if stats := decode[Stats](t, data); status != http.StatusOK || stats.Requests[RouteCreate] != 1 || stats.Responses[200] != 1 {
		t.Fatalf("stats: %d %s", status, data)
	}
	if status, _ := c.control("POST", "/_emulator/stats/reset", ""); status != http.StatusNoContent {
		t.Fatalf("reset: %d", status)
	}
	if stats := emu.Stats(); len(stats.Requests) != 0 {
		t.Fatalf("after reset: %+v", stats)
	}

	const faults = `{"latency":"5ms","faults":[{"route":"regenerate","kind":"drop","rate":0.5,"count":3}],"rate_limit":10,"clock_offset":-90000000000}`
	if status, data := c.control("PUT", "/_emulator/faults", faults); status != http.StatusNoContent {
		t.Fatalf("put faults: %d %s", status, data)
	}
	want := Faults{Latency: 5 * time.Millisecond, Faults: []Fault{{Route: RouteRegenerate, Kind: FaultDrop, Rate: 0.5, Count: 3}}, RateLimit: 10, ClockOffset: -90 * time.Second}
	if got := emu.Faults(); !reflect.DeepEqual(got, want) {
		t.Fatalf("faults set to %+v, want %+v", got, want)
	}
	if _, data := c.control("GET", "/_emulator/faults", ""); !strings.Contains(string(data), `"clock_offset":"-1m30s"`) || !reflect.DeepEqual(decode[Faults](t, data), want) {
		t.Fatalf("get faults: %s", data)
	}
	for _, bad := range []string{`{"faults":[{"kind":"explode"}]}`, `{"latency":"fast"}`, `[`} {
		if status, _ := c.control("PUT", "/_emulator/faults", bad); status != http.StatusBadRequest {
			t.Errorf("put %s: %d, want 400", bad, status)
		}
	}
	if got := emu.Faults(); !reflect.DeepEqual(got, want) {
		t.Fatalf("a rejected put changed the faults to %+v", got)
	}

	status, data = c.control("POST", "/_emulator/keys", `{"apiKeyName":"bench","count":3}`)
	seeded := decode[wirePage](t, data)
	if status != http.StatusOK || seeded.Total != 3 || len(seeded.APIKeys) != 3 || seeded.APIKeys[2].Name != "bench-3" || !keyPattern.MatchString(seeded.APIKeys[0].PrimaryKey) {
		t.Fatalf("seed: %d %s", status, data)
	}
	if status, _ := c.control("POST", "/_emulator/keys", `{"count":0}`); status != http.StatusBadRequest {
		t.Fatalf("seeding 0 keys: %d", status)
	}
	_, data = c.control("GET", "/_emulator/keys", "")
	if all := decode[wirePage](t, data); all.Total != 4 || all.APIKeys[0].Name != "web" || all.APIKeys[0].PrimaryKey == "" {
		t.Fatalf("keys: %s", data)
	}
	if stats := emu.Stats(); len(stats.Requests)+len(stats.Responses) != 0 {
		t.Fatalf("control requests were counted: %+v", stats)
	}
}

func TestControlSeedsManyKeys(t *testing.T) {
	emu, c := newAPI(t, Config{})
	if status, data := c.control("POST", "/_emulator/keys", `{"apiKeyName":"k","count":10000}`); status != http.StatusOK {
		t.Fatalf("seed: %d %.200s", status, data)
	}
	if n := len(emu.Keys()); n != 10000 {
		t.Fatalf("%d keys", n)
	}
	page := decode[wirePage](t, c.expect(http.StatusOK, "GET", "/api/v1/api-keys?apiKeyName=k-9999&limit=100", ""))
	if page.Total != 1 || page.APIKeys[0].Name != "k-9999" {
		t.Fatalf("filtering 10,000 keys: %+v", page)
	}
}

// waitFor polls cond for up to 5 s, for effects the server completes after
// the client has returned.
func waitFor(t *testing.T, cond func() bool, what string) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

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
	"regexp"
	"slices"
	"strconv"
	"strings"
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

// as returns a copy of c that signs with another account's credentials.
func (c *client) as(accessKey, secretKey string) *client {
	other := *c
	other.accessKey, other.secretKey = accessKey, secretKey
	return &other
}

// createUnanswered sends a signed create of a key named "web" that must get
// no answer before ctx is done, and returns the client's error.
func (c *client) createUnanswered(ctx context.Context) error {
	c.t.Helper()
	resp, err := c.hc.Do(c.newRequest(ctx, "POST", "/api/v1/api-keys", `{"apiKeyName":"web"}`))
	if err == nil {
		resp.Body.Close()
		c.t.Fatalf("create: the client got an answer, status %d; want none", resp.StatusCode)
	}
	return err
}

// serverOffset is the offset of the emulated server clock in the tests that
// tell its Date from the host's.
const serverOffset = time.Hour

// wantDate fails unless the Date header is within a few seconds of the host
// clock plus offset: 0 for a proxy's answer, serverOffset for NCP's.
func wantDate(t *testing.T, header http.Header, offset time.Duration) {
	t.Helper()
	date, err := http.ParseTime(header.Get("Date"))
	if err != nil {
		t.Fatalf("Date %q: %v", header.Get("Date"), err)
	}
	if skew := date.Sub(time.Now().Add(offset)); skew.Abs() > 5*time.Second {
		t.Fatalf("Date %v is %v from the host clock plus %v", date, skew, offset)
	}
}

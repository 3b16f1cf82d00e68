package ncpclient

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestNewErrorDecodesBodies(t *testing.T) {
	tests := []struct {
		name        string
		status      int
		body        string
		wantCode    string
		wantMessage string
		wantExcerpt string
	}{
		{"string code", 401, `{"error":{"errorCode":"210","message":"Permission Denied"}}`, "210", "Permission Denied", ""},
		{"numeric code", 404, `{"error":{"errorCode":300,"message":"Not Found Exception"}}`, "300", "Not Found Exception", ""},
		{"details", 401, `{"error":{"errorCode":"200","message":"Authentication Failed","details":"Invalid authentication information."}}`,
			"200", "Authentication Failed (Invalid authentication information.)", ""},
		{"HTML", 502, "<html>\n<head><title>502 Bad Gateway</title></head>\n<body>\n<center><h1>502 Bad Gateway</h1></center>\n</body>\n</html>",
			"", "", "502 Bad Gateway 502 Bad Gateway"},
		{"empty", 503, "", "", "", ""},
		{"plain text", 500, "upstream connect error", "", "", "upstream connect error"},
		{"truncated JSON", 504, `{"error":{"errorCode":"510","mess`, "", "", `{"error":{"errorCode":"510","mess`},
		{"JSON without error", 500, `{"status":"down"}`, "", "", `{"status":"down"}`},
		{"empty error object", 500, `{"error":{}}`, "", "", `{"error":{}}`},
		// Another service's envelopes: no errorCode, so not NCP's.
		{"foreign envelope with code", 404, `{"error":{"code":404,"message":"Requested entity was not found."}}`,
			"", "", `{"error":{"code":404,"message":"Requested entity was not found."}}`},
		{"foreign envelope, message only", 404, `{"error":{"message":"Not Found"}}`, "", "", `{"error":{"message":"Not Found"}}`},
		{"empty errorCode", 404, `{"error":{"errorCode":"","message":"Not Found Exception"}}`, "", "", `{"error":{"errorCode":"","message":"Not Found Exception"}}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newError("GET", "/api/v1/api-keys", tt.status, []byte(tt.body))
			if e.StatusCode != tt.status || e.Code != tt.wantCode || e.Message != tt.wantMessage || e.Excerpt != tt.wantExcerpt {
				t.Errorf("got %+v, want code %q message %q excerpt %q", *e, tt.wantCode, tt.wantMessage, tt.wantExcerpt)
			}
			msg := e.Error()
			if !strings.Contains(msg, fmt.Sprintf("HTTP %d", tt.status)) || !strings.Contains(msg, "GET /api/v1/api-keys") {
				t.Errorf("Error() = %q lacks the status or the request", msg)
			}
		})
	}
}

func TestErrorString(t *testing.T) {
	tests := []struct {
		err  *Error
		want string
	}{
		{&Error{StatusCode: 404, Code: "300", Message: "Not Found Exception", Method: "GET", Path: "/api/v1/api-keys/abc123"},
			"NCP API GET /api/v1/api-keys/abc123: HTTP 404, error code 300: Not Found Exception"},
		{&Error{StatusCode: 503, Method: "POST", Path: "/api/v1/api-keys"},
			"NCP API POST /api/v1/api-keys: HTTP 503 with an empty response body"},
		{&Error{StatusCode: 502, Method: "PUT", Path: "/api/v1/api-keys/k", Excerpt: "Bad Gateway"},
			`NCP API PUT /api/v1/api-keys/k: HTTP 502; response body: Bad Gateway`},
	}
	for _, tt := range tests {
		if got := tt.err.Error(); got != tt.want {
			t.Errorf("Error() = %q, want %q", got, tt.want)
		}
	}
}

func TestExcerptRedactsAndTruncates(t *testing.T) {
	body := `<p>{"primaryKey": "PRIMARYVALUE1", "SecondaryKey":"SECOND\"VALUE2", "sig":"SIGNATUREVALUE", "secret":"SECRETVALUE"}` +
		strings.Repeat(" 키", 200) + `"primaryKey":"CUTVAL`
	got := excerpt([]byte(body), "SIGNATUREVALUE", "SECRETVALUE")
	for _, leaked := range []string{"PRIMARYVALUE1", "SECOND", "VALUE2", "SIGNATUREVALUE", "SECRETVALUE", "CUTVAL", "<p>"} {
		if strings.Contains(got, leaked) {
			t.Errorf("excerpt %q contains %q", got, leaked)
		}
	}
	if len(got) > maxExcerpt || !utf8.ValidString(got) || !strings.HasSuffix(got, "...") {
		t.Errorf("excerpt is %d bytes, valid UTF-8 %v, marked %v; want <= %d, valid, marked", len(got), utf8.ValidString(got), strings.HasSuffix(got, "..."), maxExcerpt)
	}
	if !strings.Contains(got, `"primaryKey": "***"`) {
		t.Errorf("excerpt %q does not show the redaction", got)
	}
	// A value cut short by the end of the body is redacted too.
	if got := redact([]byte(`{"apiKey":{"primaryKey":"abc\`)); got != `{"apiKey":{"primaryKey":"***` {
		t.Errorf("redact of a truncated value = %q", got)
	}
}

func TestErrorClassifiers(t *testing.T) {
	apiErr := func(status int, code, msg string) error {
		return fmt.Errorf("wrapped: %w", &Error{StatusCode: status, Code: code, Message: msg})
	}
	tests := []struct {
		name            string
		err             error
		throttled, auth bool
	}{
		{"404", apiErr(404, "300", "Not Found Exception"), false, false},
		{"429", apiErr(429, "410", "Throttle Limited"), true, false},
		{"401", apiErr(401, "200", "Authentication Failed"), false, true},
		{"403", apiErr(403, "230", "Forbidden"), false, true},
		{"500", apiErr(500, "900", "Unexpected Error"), false, false},
		{"not an *Error", errors.New("429 throttled"), false, false},
		{"nil", nil, false, false},
	}
	for _, tt := range tests {
		if got := IsThrottled(tt.err); got != tt.throttled {
			t.Errorf("%s: IsThrottled = %v", tt.name, got)
		}
		if got := IsAuth(tt.err); got != tt.auth {
			t.Errorf("%s: IsAuth = %v", tt.name, got)
		}
	}
}

func TestAmbiguousCreateErrorAdvises(t *testing.T) {
	cause := errors.New("NCP API POST /api/v1/api-keys: HTTP 500")
	listErr := errors.New("NCP API GET /api/v1/api-keys: HTTP 503")
	const marker = "terraform-provider-ncp create 0123456789abcdef"
	candidates := []APIKey{
		{ID: "a", Name: "web", ModTime: "2024-05-07T07:08:12Z", Modifier: "colleague", Description: "theirs"},
		{ID: "b", Name: "web", ModTime: "2024-05-07T07:08:13Z", Modifier: "us", Description: marker},
	}
	tests := []struct {
		err  *AmbiguousCreateError
		want []string
	}{
		{&AmbiguousCreateError{Name: "web", Marker: marker, Cause: cause, Err: listErr},
			[]string{`creating API key "web": the API's answer was lost`, "HTTP 500", "HTTP 503", "may have been created", `list the keys named "web"`,
				"ncp_apigw_api_keys data source", `description "` + marker + `"`, "terraform import ncp_apigw_api_key.<name> <id>"}},
		{&AmbiguousCreateError{Name: "web", Marker: marker, Candidates: candidates, Cause: cause, Err: listErr},
			[]string{`id a (name "web", modTime 2024-05-07T07:08:12Z, modifier colleague)`,
				`id b (name "web", modTime 2024-05-07T07:08:13Z, modifier us, carries the marker: terraform import ncp_apigw_api_key.<name> b)`}},
	}
	for _, tt := range tests {
		msg := tt.err.Error()
		for _, want := range tt.want {
			if !strings.Contains(msg, want) {
				t.Errorf("%q lacks %q", msg, want)
			}
		}
		if !errors.Is(tt.err, listErr) {
			t.Errorf("%q does not unwrap to the list's error", msg)
		}
	}
}

const plantedKey = "PLANTEDKEYVALUE0123456789abcdef"

// FuzzDecodeError feeds arbitrary answers through the response-to-error path:
// it must not panic, and a key value in the body must not reach the error.
func FuzzDecodeError(f *testing.F) {
	seeds := []struct {
		status         int
		prefix, suffix string
	}{
		{401, `{"error":{"errorCode":"200","message":"Authentication Failed"},`, `}`},
		{404, `{"error":{"errorCode":300,"message":"Not Found Exception"},`, `}`},
		{200, `{"apiKey":{"apiKeyId":"k1",`, `}}`},
		{200, `{"apiKey":{"apiKeyId":"k1",`, ``},
		{502, `<html><body>`, `</body></html>`},
		{503, ``, ``},
		{500, `{"error":{"errorCode":{"nested":1},"message":5},`, `}`},
	}
	for _, s := range seeds {
		f.Add(s.status, s.prefix, s.suffix)
	}
	f.Fuzz(func(t *testing.T, status int, prefix, suffix string) {
		if containsPart(prefix+suffix, plantedKey) {
			t.Skip("the planted value must come only from the planted field")
		}
		body := []byte(prefix + `"primaryKey":"` + plantedKey + `"` + suffix)
		for _, err := range []error{
			newError("GET", "/api/v1/api-keys/k", status, body, testSecretKey),
			newDecodeError("GET", "/api/v1/api-keys/k", status, body, errors.New("bad"), testSecretKey),
		} {
			if msg := err.Error(); containsPart(msg, plantedKey) || strings.Contains(msg, testSecretKey) {
				t.Fatalf("error leaks a key value: %q", msg)
			}
		}
	})
}

// containsPart reports whether s holds any 8 consecutive bytes of secret.
func containsPart(s, secret string) bool {
	for i := 0; i+8 <= len(secret); i++ {
		if strings.Contains(s, secret[i:i+8]) {
			return true
		}
	}
	return false
}

func TestTruncateCutsOnARuneBoundary(t *testing.T) {
	for _, tt := range []struct {
		s    string
		n    int
		want string
	}{
		{"short", 10, "short"},
		{"abcdefgh", 6, "abc..."},
		{"키키키", 8, "키..."}, // 3-byte runes: the cut at 5 backs up to 3
	} {
		if got := truncate(tt.s, tt.n); got != tt.want {
			t.Errorf("truncate(%q, %d) = %q, want %q", tt.s, tt.n, got, tt.want)
		}
	}
}

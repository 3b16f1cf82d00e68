package ncpclient

import "testing"

// TestRefusedByAPI: only NCP's own 4xx refusals and any 429 prove that a
// request took no effect.
func TestRefusedByAPI(t *testing.T) {
	for _, tc := range []struct {
		name    string
		status  int
		body    string
		refused bool
	}{
		{"NCP 400", 400, `{"error":{"errorCode":"100","message":"Bad Request Exception"}}`, true},
		{"NCP 401, numeric code", 401, `{"error":{"errorCode":200,"message":"Authentication Failed"}}`, true},
		{"NCP 403", 403, `{"error":{"errorCode":"230","message":"Forbidden"}}`, true},
		{"NCP 404", 404, `{"error":{"errorCode":"300","message":"Not Found Exception"}}`, true},
		{"NCP 413", 413, `{"error":{"errorCode":"430","message":"Request Entity Too Large"}}`, true},
		{"NCP 429", 429, `{"error":{"errorCode":"410","message":"Throttle Limited"}}`, true},
		{"bare 429", 429, ``, true},
		{"NCP 500", 500, `{"error":{"errorCode":"900","message":"Unexpected Error"}}`, false},
		{"HTML 500", 500, `<html><body>500 Internal Server Error</body></html>`, false},
		{"empty 500", 500, ``, false},
		{"NCP 503", 503, `{"error":{"errorCode":"500","message":"Endpoint Error"}}`, false},
		{"HTML 404", 404, `<html>404 Not Found</html>`, false},
		{"foreign JSON 404", 404, `{"message":"no Route matched with those values"}`, false},
		{"envelope without a code", 400, `{"error":{"message":"Bad Request"}}`, false},
		{"empty 400", 400, ``, false},
	} {
		if got := refusedByAPI(newError("POST", "/api/v1/api-keys", tc.status, []byte(tc.body))); got != tc.refused {
			t.Errorf("%s: refused = %t, want %t", tc.name, got, tc.refused)
		}
	}
}

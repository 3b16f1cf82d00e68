package ncpclient

import (
	"context"
	"testing"

	"github.com/ncp-community/terraform-provider-ncp/internal/emulator"
)

// The expected signatures were computed independently with openssl:
//
//	printf 'GET /api/v1/api-keys?limit=10&offset=0\n1700000000000\nAKIDEXAMPLE' |
//	  openssl dgst -sha256 -hmac SECRETEXAMPLE -binary | base64
//	printf 'POST /api/v1/api-keys\n1700000000000\nAKIDEXAMPLE' |
//	  openssl dgst -sha256 -hmac SECRETEXAMPLE -binary | base64
//	printf 'GET /api/v1/api-keys?apiKeyName=%%ED%%82%%A4-%%ED%%85%%8C%%EC%%8A%%A4%%ED%%8A%%B8&limit=1000&offset=0\n1700000000000\nAKIDEXAMPLE' |
//	  openssl dgst -sha256 -hmac SECRETEXAMPLE -binary | base64
//	printf 'DELETE /api/v1/api-keys/a%%2Fb\n1700000000123\nAKIDEXAMPLE' |
//	  openssl dgst -sha256 -hmac SECRETEXAMPLE -binary | base64
func TestSignKnownAnswers(t *testing.T) {
	tests := []struct {
		name, method, uri, timestamp, want string
	}{
		{"reference worked example", "GET", "/api/v1/api-keys?limit=10&offset=0", "1700000000000", "QvRWG7PyDSB3//YuYgMfOL2W+iv9Em5yuwk10hb6Yhk="},
		{"POST without query", "POST", "/api/v1/api-keys", "1700000000000", "lIkFaChIuW4NSiWGy817ILGuSHlCfEoHlgZsg3ZmS9M="},
		{"Korean name percent-encoded", "GET", "/api/v1/api-keys?apiKeyName=%ED%82%A4-%ED%85%8C%EC%8A%A4%ED%8A%B8&limit=1000&offset=0", "1700000000000", "GsmyFaJcUl53lSUPtyaEro5vSOuBkzqHfYChcLDPi8k="},
		{"escaped path segment", "DELETE", "/api/v1/api-keys/a%2Fb", "1700000000123", "JL89MC0GEl1QyDJRJ9TBzlBu96a+R76rpmZ5b2SYvOI="},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Sign(tt.method, tt.uri, tt.timestamp, "AKIDEXAMPLE", "SECRETEXAMPLE"); got != tt.want {
				t.Errorf("Sign = %s, want %s", got, tt.want)
			}
		})
	}
}

// TestRequestSignsWireURI checks that what is signed is what is sent: the
// emulator checks every signature against the request URI as received.
func TestRequestSignsWireURI(t *testing.T) {
	env := newEnv(t, emulator.Config{}, nil)
	ctx := context.Background()
	if _, err := env.c.ListAPIKeys(ctx, ListAPIKeysInput{Name: "키-테스트 +&=", Offset: 5, Limit: 7}); err != nil {
		t.Fatal(err)
	}
	if _, err := env.c.GetAPIKey(ctx, "a/b c?d"); !IsNotFound(err) {
		t.Fatalf("get: %v, want not found", err)
	}
	if err := env.c.DeleteAPIKey(ctx, "x"); err != nil {
		t.Fatal(err)
	}
	want := []string{
		"/api/v1/api-keys?apiKeyName=%ED%82%A4-%ED%85%8C%EC%8A%A4%ED%8A%B8+%2B%26%3D&limit=7&offset=5",
		"/api/v1/api-keys/a%2Fb%20c%3Fd",
		"/api/v1/api-keys/x",
	}
	reqs := env.recordedRequests()
	if len(reqs) != len(want) {
		t.Fatalf("requests %v, want %q", reqs, want)
	}
	for i := range want {
		if reqs[i].requestURI != want[i] {
			t.Errorf("request URI %d = %q, want %q", i, reqs[i].requestURI, want[i])
		}
	}
	if n := env.emu.Stats().Responses[401]; n != 0 {
		t.Errorf("%d signatures were refused", n)
	}
}

func BenchmarkSign(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		Sign("GET", "/api/v1/api-keys?limit=1000&offset=0", "1700000000000", "AKIDEXAMPLE", "SECRETEXAMPLE")
	}
}

package ncpclient

import (
	"strings"
	"testing"
)

func TestSiteBaseURL(t *testing.T) {
	tests := []struct{ site, want string }{
		{"public", "https://apigateway.apigw.ntruss.com/api/v1"},
		{"", "https://apigateway.apigw.ntruss.com/api/v1"},
		{"gov", "https://apigateway.apigw.gov-ntruss.com/api/v1"},
		{"fin", "https://apigateway.apigw.fin-ntruss.com/api/v1"},
	}
	for _, tt := range tests {
		if got, err := SiteBaseURL(tt.site); err != nil || got != tt.want {
			t.Errorf("SiteBaseURL(%q) = %q, %v; want %q", tt.site, got, err, tt.want)
		}
	}
	if _, err := SiteBaseURL("FIN-x"); err == nil || !strings.Contains(err.Error(), "public, gov and fin") {
		t.Errorf("SiteBaseURL(unknown) error = %v, want one listing the valid sites", err)
	}
}

func TestValidateEndpoint(t *testing.T) {
	tests := []struct {
		raw     string
		wantErr string // "" for valid
	}{
		{"https://apigateway.apigw.ntruss.com/api/v1", ""},
		{"http://127.0.0.1:8080/api/v1", ""},
		{"http://127.9.9.9/api/v1", ""},
		{"http://localhost/api/v1/", ""},
		{"http://LOCALHOST:9/api/v1", ""},
		{"http://[::1]:1/api/v1", ""},
		{"https://gw.example.com/prefix/api/v1", ""},
		// Without /api/v1 NCP's gateway answers every key "not found".
		{"https://apigateway.apigw.ntruss.com", "must end in /api/v1, the base path of NCP's API-key API, as https://apigateway.apigw.ntruss.com/api/v1 does"},
		{"https://apigateway.apigw.ntruss.com/", "must end in /api/v1"},
		{"http://127.0.0.1:8080/api", "must end in /api/v1"},
		{"https://h/api/v2", "must end in /api/v1"},
		{"https://h/xapi/v1", "must end in /api/v1"},
		{"https://h/api/v1/api-keys", "must end in /api/v1"},
		{"http://example.com/api/v1", "allowed only for a loopback host"},
		{"http://10.0.0.1/api/v1", "allowed only for a loopback host"},
		{"http://localhost.example.com/", "allowed only for a loopback host"},
		{"ftp://example.com/api/v1", `unsupported scheme "ftp"`},
		{"/api/v1", "must be an absolute URL"},
		{"apigateway.apigw.ntruss.com/api/v1", "must be an absolute URL"},
		{"https:///api/v1", "must be an absolute URL"},
		{"::garbage", "not a valid URL"},
		{"https://h/api/v1?x=1", "must not have a query"},
		{"https://h/api/v1#top", "must not have a fragment"},
		{"https://user:pw@h/api/v1", "must not contain user info"},
	}
	for _, tt := range tests {
		err := ValidateEndpoint(tt.raw)
		switch {
		case tt.wantErr == "" && err != nil:
			t.Errorf("ValidateEndpoint(%q) = %v, want nil", tt.raw, err)
		case tt.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tt.wantErr)):
			t.Errorf("ValidateEndpoint(%q) = %v, want an error containing %q", tt.raw, err, tt.wantErr)
		}
	}
}

package emulator

import (
	"net/http"
	"strings"
	"testing"
)

func TestOversizedBodyIsRejected(t *testing.T) {
	_, c := newAPI(t, Config{})
	body := `{"apiKeyName":"a","apiKeyDescription":"` + strings.Repeat("x", maxBodyBytes) + `"}`
	c.expectError(http.StatusRequestEntityTooLarge, "430", "POST", "/api/v1/api-keys", body)
}

package ncpclient

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
)

func newPageBody(n int) []byte {
	page := APIKeyPage{Total: int64(n), InitialCount: int64(n)}
	for i := range n {
		page.APIKeys = append(page.APIKeys, APIKey{
			ID: fmt.Sprintf("key%07d", i), TenantID: "0f4c1b2a3d4e5f60718293a4b5c6d7e8", Name: fmt.Sprintf("key-%d", i),
			Description: "a key for benchmarking", Modifier: "d12c9fd0-0000-0000-0000-246e96591a38",
			Enabled: true, ModTime: "2024-05-07T07:08:12Z", DomainCode: "PUB",
		})
	}
	b, _ := json.Marshal(page)
	return b
}

func BenchmarkDecodeAPIKeyPage(b *testing.B) {
	body := newPageBody(100)
	b.SetBytes(int64(len(body)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := decodePage(body); err != nil {
			b.Fatal(err)
		}
	}
}

// FuzzDecodeAPIKey feeds arbitrary bodies to the view-one and wrapped
// decoders: they must not panic, and whatever they accept has an ID.
func FuzzDecodeAPIKey(f *testing.F) {
	f.Add(`{"apiKeyId":"k1","apiKeyName":"web","primaryKey":"p","isEnabled":true}`)
	f.Add(`{"apiKey":{"apiKeyId":"k1","apiKeyName":"web","primaryKey":"p"}}`)
	f.Add(`{"error":{"errorCode":300,"message":"Not Found Exception"}}`)
	f.Add(`<html><body>502 Bad Gateway</body></html>`)
	f.Add(``)
	f.Add(`{"apiKey":{"apiKeyId":"k1","primaryKey":"abc`)
	f.Add(`{"apiKey":null,"apiKeyId":"k2"}`)
	f.Fuzz(func(t *testing.T, body string) {
		for _, decode := range []func([]byte) (*APIKey, error){decodeKey, decodeWrappedKey} {
			key, err := decode([]byte(body))
			if (err == nil) != (key != nil) || (key != nil && key.ID == "") {
				t.Fatalf("decode(%q) = %+v, %v", body, key, err)
			}
		}
		if _, err := decodePage([]byte(body)); err == nil && !json.Valid([]byte(body)) {
			t.Fatalf("decodePage accepted invalid JSON %q", body)
		}
	})
}

func TestDecodePage(t *testing.T) {
	cases := []struct {
		body      string
		wantKeys  int
		wantTotal int64
		wantErr   bool
	}{
		{body: `{"apiKeys":[{"apiKeyId":"a"}],"total":3,"initialCount":1}`, wantKeys: 1, wantTotal: 3},
		{body: `{"apiKeys":[],"total":0}`, wantKeys: 0, wantTotal: 0},
		{body: `{"apiKeys":[{"apiKeyId":"a"}]}`, wantKeys: 1, wantTotal: 0},
		// Answers that are not a list: never an empty page, which would hide keys.
		{body: `null`, wantErr: true},
		{body: `{}`, wantErr: true},
		{body: `{"apiKey":5}`, wantErr: true},
		{body: `[]`, wantErr: true},
		{body: `{"apiKeys":5,"total":1}`, wantErr: true},
		// A total without the list is not an empty page either.
		{body: `{"total":0}`, wantErr: true},
		{body: `{"apiKeys":null,"total":0}`, wantErr: true},
		{body: `{"apiKeys":[{"apiKeyId":"a"}`, wantErr: true},
	}
	for _, c := range cases {
		page, err := decodePage([]byte(c.body))
		if c.wantErr {
			if err == nil {
				t.Errorf("decodePage(%s) = %+v, want an error", c.body, page)
			}
			continue
		}
		if err != nil {
			t.Errorf("decodePage(%s): %v", c.body, err)
			continue
		}
		if len(page.APIKeys) != c.wantKeys || page.Total != c.wantTotal {
			t.Errorf("decodePage(%s) = %d keys, total %d; want %d and %d", c.body, len(page.APIKeys), page.Total, c.wantKeys, c.wantTotal)
		}
		if reported := page.reportedTotal() != nil; reported != strings.Contains(c.body, `"total"`) {
			t.Errorf("decodePage(%s): total reported %t", c.body, reported)
		}
	}
}

func TestDecodeDeleted(t *testing.T) {
	for body, wantErr := range map[string]bool{
		"":                    false,
		"  \n":                false,
		"{}":                  false,
		`{"result":"ok"}`:     false,
		"<html>Bad Gateway":   true,
		`{"apiKey":{"apiKeyI`: true,
		"OK, deleted (maybe)": true,
	} {
		if err := decodeDeleted([]byte(body)); (err != nil) != wantErr {
			t.Errorf("decodeDeleted(%q) = %v, want error %t", body, err, wantErr)
		}
	}
}

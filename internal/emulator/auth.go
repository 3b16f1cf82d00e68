package emulator

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"net/http"
	"strconv"
	"time"
)

// The headers of NCP's signature v2.
const (
	headerTimestamp = "x-ncp-apigw-timestamp"
	headerAccessKey = "x-ncp-iam-access-key"
	headerSignature = "x-ncp-apigw-signature-v2"
)

// maxClockSkew is how far a request's timestamp may be from the server's
// clock, either way.
const maxClockSkew = 5 * time.Minute

// authenticate returns the account whose access key r carries, if that
// account may use the API, the timestamp is within maxClockSkew of the
// emulated server clock and the signature is valid. Like the real API, it
// does not say which of these failed.
func (e *Emulator) authenticate(r *http.Request) (account, bool) {
	timestamp := r.Header.Get(headerTimestamp)
	var who account
	switch r.Header.Get(headerAccessKey) {
	case e.main.accessKey:
		who = e.main
	case e.other.accessKey:
		who = e.other
	}
	if who.secretKey == "" {
		return account{}, false // an unknown access key, or the other account without API access
	}
	ms, err := strconv.ParseInt(timestamp, 10, 64)
	if err != nil {
		return account{}, false
	}
	if skew := e.clock().Sub(time.UnixMilli(ms)); skew > maxClockSkew || skew < -maxClockSkew {
		return account{}, false
	}
	// The URI is signed exactly as it was sent on the wire. RequestURI is
	// empty only when a test hands ServeHTTP a client-side request.
	uri := r.RequestURI
	if uri == "" {
		uri = r.URL.RequestURI()
	}
	want := signature(who.secretKey, r.Method, uri, timestamp, who.accessKey)
	if !hmac.Equal([]byte(r.Header.Get(headerSignature)), []byte(want)) {
		return account{}, false
	}
	return who, true
}

// signature is base64(HMAC-SHA256(secret, "METHOD URI\ntimestamp\naccessKey")).
func signature(secretKey, method, uri, timestamp, accessKey string) string {
	mac := hmac.New(sha256.New, []byte(secretKey))
	mac.Write([]byte(method + " " + uri + "\n" + timestamp + "\n" + accessKey))
	return base64.StdEncoding.EncodeToString(mac.Sum(nil))
}

package ncpclient

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
)

// Header names of NCP API Gateway's signature v2 scheme.
const (
	headerTimestamp = "x-ncp-apigw-timestamp"
	headerAccessKey = "x-ncp-iam-access-key"
	headerSignature = "x-ncp-apigw-signature-v2"
)

// Sign returns the signature v2 of a request:
// base64(HMAC-SHA256(secretKey, method + " " + uri + "\n" + timestamp + "\n" + accessKey)).
//
// uri is the request's path plus "?" and the raw query exactly as sent on the
// wire (no scheme or host, no "?" without a query), and timestamp is the same
// string as the x-ncp-apigw-timestamp header (milliseconds since the epoch).
// The body is not signed.
func Sign(method, uri, timestamp, accessKey, secretKey string) string {
	msg := make([]byte, 0, len(method)+len(uri)+len(timestamp)+len(accessKey)+3)
	msg = append(msg, method...)
	msg = append(msg, ' ')
	msg = append(msg, uri...)
	msg = append(msg, '\n')
	msg = append(msg, timestamp...)
	msg = append(msg, '\n')
	msg = append(msg, accessKey...)
	mac := hmac.New(sha256.New, []byte(secretKey))
	mac.Write(msg) // a hash never fails to write
	return base64.StdEncoding.EncodeToString(mac.Sum(nil))
}

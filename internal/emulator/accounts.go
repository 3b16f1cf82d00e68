package emulator

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strings"
)

// account is one user of the tenant: the access key it signs with, the
// secret that checks its signatures ("" when it may not use the API) and the
// modifier NCP records on the keys it writes.
type account struct {
	accessKey string
	secretKey string
	modifier  string
}

func newAccount(accessKey, secretKey string) account {
	return account{accessKey: accessKey, secretKey: secretKey, modifier: Modifier(accessKey)}
}

// Modifier is the modifier the emulator records on the keys written by the
// account of accessKey: a stable UUID derived from it, as NCP records a
// user's ID.
func Modifier(accessKey string) string {
	return uuidFrom(derive("modifier", accessKey))
}

// defaultOtherAccessKey is the other account's access key when none is
// configured: 20 letters and digits derived from the main one, like an NCP
// access key ID.
func defaultOtherAccessKey(accessKey string) string {
	return strings.ToUpper(derive("other-access-key", accessKey)[:20])
}

// Modifier is the modifier of the keys the main account writes.
func (e *Emulator) Modifier() string { return e.main.modifier }

// OtherAccessKey is the other account's access key, as configured or derived.
func (e *Emulator) OtherAccessKey() string { return e.other.accessKey }

// OtherModifier is the modifier of the keys the other account writes,
// through the API or out of band.
func (e *Emulator) OtherModifier() string { return e.other.modifier }

// derive returns a stable hex digest of label and value, so that the values
// NCP fixes per account (tenant, modifier) stay the same across runs.
func derive(label, value string) string {
	sum := sha256.Sum256([]byte(label + "\x00" + value))
	return hex.EncodeToString(sum[:])
}

// uuidFrom formats the first 32 hex digits of h as a UUID.
func uuidFrom(h string) string {
	return fmt.Sprintf("%s-%s-%s-%s-%s", h[0:8], h[8:12], h[12:16], h[16:20], h[20:32])
}

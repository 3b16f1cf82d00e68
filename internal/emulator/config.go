package emulator

import (
	"errors"
	"fmt"
	"net/http"
)

const (
	defaultMaxPageSize = 100
	defaultDomainCode  = "PUB"
)

// Config sets up an Emulator. The zero value of each switch is the
// documented behaviour or, where NCP's docs are silent or ambiguous, the one
// harder on a client; the switches play the alternatives.
type Config struct {
	AccessKey   string // required
	SecretKey   string // required
	MaxPageSize int    // the server silently caps `limit` to this; default 100
	TenantID    string // default a realistic 32-hex string derived from AccessKey
	DomainCode  string // default "PUB"
	Seed        int64  // random seed for ids/keys/fault dice; 0 = time-based

	// OtherAccessKey is a second account of the same tenant: a colleague
	// using the console. The Go methods that change keys out of band, and
	// the control endpoints that do, act as this account. Default a stable
	// value derived from AccessKey.
	OtherAccessKey string
	// OtherSecretKey, when set, lets API requests signed by the other
	// account in too; when empty, the other account cannot use the API.
	OtherSecretKey string

	// WrappedGet makes view-one answer {"apiKey":{...}} rather than the
	// documented unwrapped key.
	WrappedGet bool
	// NotFoundStatus is the answer to a request for a key that does not
	// exist: 404 (default) with errorCode "300", or 400 with errorCode "100"
	// and a message saying the key was not found, as some NCP APIs answer.
	NotFoundStatus int
	// NumericErrorCodes sends errorCode as a JSON number rather than the
	// string the docs show.
	NumericErrorCodes bool
	// ExactNameFilter makes the list's apiKeyName filter match names
	// exactly rather than as a case-sensitive substring.
	ExactNameFilter bool
	// DeleteAnswer is how a successful delete answers; default DeleteNoContent.
	DeleteAnswer DeleteAnswer
}

// DeleteAnswer is how a successful delete answers, which NCP does not document.
type DeleteAnswer string

const (
	// DeleteNoContent answers 204 with no body (the default).
	DeleteNoContent DeleteAnswer = "204"
	// DeleteEmptyObject answers 200 with the JSON body {}.
	DeleteEmptyObject DeleteAnswer = "200-object"
	// DeleteEmptyBody answers 200 with an empty body labelled application/json.
	DeleteEmptyBody DeleteAnswer = "200-empty"
)

// Validate reports the first setting New would refuse.
func (c Config) Validate() error {
	if c.AccessKey == "" || c.SecretKey == "" {
		return errors.New("AccessKey and SecretKey are required")
	}
	if c.OtherAccessKey != "" && c.OtherAccessKey == c.AccessKey {
		return errors.New("OtherAccessKey must differ from AccessKey")
	}
	switch c.NotFoundStatus {
	case 0, http.StatusNotFound, http.StatusBadRequest:
	default:
		return fmt.Errorf("NotFoundStatus %d is neither 404 nor 400", c.NotFoundStatus)
	}
	switch c.DeleteAnswer {
	case "", DeleteNoContent, DeleteEmptyObject, DeleteEmptyBody:
	default:
		return fmt.Errorf("DeleteAnswer %q is none of %q, %q, %q", c.DeleteAnswer, DeleteNoContent, DeleteEmptyObject, DeleteEmptyBody)
	}
	return nil
}

// withDefaults fills in every setting left at its zero value.
func (c Config) withDefaults() Config {
	if c.MaxPageSize <= 0 {
		c.MaxPageSize = defaultMaxPageSize
	}
	if c.TenantID == "" {
		c.TenantID = derive("tenant", c.AccessKey)[:32]
	}
	if c.DomainCode == "" {
		c.DomainCode = defaultDomainCode
	}
	if c.OtherAccessKey == "" {
		c.OtherAccessKey = defaultOtherAccessKey(c.AccessKey)
	}
	if c.NotFoundStatus == 0 {
		c.NotFoundStatus = http.StatusNotFound
	}
	if c.DeleteAnswer == "" {
		c.DeleteAnswer = DeleteNoContent
	}
	return c
}

package emulator

import (
	"errors"
	"fmt"
	"net/http"
)

const (
	defaultMaxPageSize             = 100
	defaultMaxSubscriptionPageSize = 20
	defaultDomainCode              = "PUB"
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
	// OmitListTotal leaves "total", which NCP documents, out of every list
	// answer (keys, a key's products, subscription-detail, a product's
	// keys): a client must then page until a page comes back empty.
	OmitListTotal bool
	// ForeignUnknownPaths answers a path the API does not have with a bare
	// HTML 404 page rather than NCP's own 404 envelope (code 300), which
	// NCP's gateway answers for every path it does not serve and which a
	// base URL without /api/v1 therefore meets for every key.
	ForeignUnknownPaths bool
	// RegenerateKeepsStamp makes a regenerate change the key value only,
	// leaving modTime and modifier as they were. NCP's regenerate page
	// answers a modTime and a modifier like every other write but does not
	// say that it sets them; by default the emulator sets them, as on every
	// other write, since the provider's refresh relies on it (see
	// contributing/reliability.md, "Refresh"), and this switch plays the
	// alternative, under which that refresh misses an out-of-band
	// regenerate.
	RegenerateKeepsStamp bool

	SubscriptionSwitches
}

// SubscriptionSwitches play the alternatives where NCP's pages on products
// and subscriptions are silent; each zero value is the harder behaviour
// (contributing/ncp-api-subscriptions.md lists them with their reasons).
type SubscriptionSwitches struct {
	// MaxSubscriptionPageSize caps the pages of a key's products, of a
	// subscription's stages and of a product's keys, whatever `limit`
	// asks; default 20, below what clients ask.
	MaxSubscriptionPageSize int
	// SubscriptionAnswer is how subscribe, unsubscribe and the publisher's
	// approval answer success: by default DeleteEmptyBody (200 with an
	// empty body labelled JSON); DeleteNoContent or DeleteEmptyObject.
	SubscriptionAnswer DeleteAnswer
	// SubscriptionLag hides a subscription made through the API from its
	// key's products for this many reads of them, as an eventually
	// consistent API would.
	SubscriptionLag int
	// IdempotentSubscribe answers a subscribe of a key already subscribed
	// to the product with success, changing nothing, rather than 400 code
	// 100 "already subscribed".
	IdempotentSubscribe bool
	// NotSubscribedStatus answers an unsubscribe of a key that is not
	// subscribed to the product: 404 code 300 (default), 400 code 100
	// saying it is not subscribed, or 200, changing nothing.
	NotSubscribedStatus int
	// RefuseUnsubscribePending refuses, with 400 code 100, to unsubscribe
	// a subscription that is not ACCEPTED.
	RefuseUnsubscribePending bool
	// DropRejected removes a subscription the publisher rejects (REJECTED
	// or DENY), rather than keeping it listed with that status.
	DropRejected bool
	// RefuseDeleteSubscribedKey refuses, with 400 code 100, to delete a
	// key through the API while it has subscriptions, rather than removing
	// them with it.
	RefuseDeleteSubscribedKey bool
	// AllowUnpublished lets keys subscribe to unpublished products.
	AllowUnpublished bool
	// LenientApproval accepts the publisher's approval on a PUBLIC product,
	// or for a key with no subscription, changing nothing, rather than
	// answering 400 code 100 and 404 code 300.
	LenientApproval bool
	// RefuseReapproval refuses, with 400 code 100, to accept a
	// subscription the publisher rejected.
	RefuseReapproval bool
	// AutoAcceptOwnProducts accepts at once a key's subscription to a
	// product of its own tenant, even one that requires approval.
	AutoAcceptOwnProducts bool
	// OmitSelfProduct leaves isSelfProduct out of a key's products, as
	// NCP's own API specification does.
	OmitSelfProduct bool
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
	if err := c.DeleteAnswer.validate("DeleteAnswer"); err != nil {
		return err
	}
	return c.validateSwitches()
}

func (a DeleteAnswer) validate(field string) error {
	switch a {
	case "", DeleteNoContent, DeleteEmptyObject, DeleteEmptyBody:
		return nil
	}
	return fmt.Errorf("%s %q is none of %q, %q, %q", field, a, DeleteNoContent, DeleteEmptyObject, DeleteEmptyBody)
}

func (s SubscriptionSwitches) validateSwitches() error {
	if err := s.SubscriptionAnswer.validate("SubscriptionAnswer"); err != nil {
		return err
	}
	switch s.NotSubscribedStatus {
	case 0, http.StatusNotFound, http.StatusBadRequest, http.StatusOK:
	default:
		return fmt.Errorf("NotSubscribedStatus %d is none of 404, 400, 200", s.NotSubscribedStatus)
	}
	if s.MaxSubscriptionPageSize < 0 || s.SubscriptionLag < 0 {
		return errors.New("MaxSubscriptionPageSize and SubscriptionLag must not be negative")
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
	if c.MaxSubscriptionPageSize == 0 {
		c.MaxSubscriptionPageSize = defaultMaxSubscriptionPageSize
	}
	if c.SubscriptionAnswer == "" {
		c.SubscriptionAnswer = DeleteEmptyBody
	}
	if c.NotSubscribedStatus == 0 {
		c.NotSubscribedStatus = http.StatusNotFound
	}
	return c
}

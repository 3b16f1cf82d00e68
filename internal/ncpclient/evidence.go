package ncpclient

// The proofs the client decides on, one section each (see
// contributing/reliability.md).

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"sync/atomic"
)

// Gone.
//
// A key, a subscription or a product is gone only when NCP itself says it
// is not found, on an endpoint proven to serve NCP's API-key API.
//
// NCP's "not found" is its error envelope with its errorCode (see fromNCP):
// HTTP 404 with code 300, or a 404 or 400 whose code or message says "not
// found", as some NCP APIs answer a lookup of a missing item. A proxy's
// page, an empty body, or another service's JSON ({"error": {"code": 404,
// ...}}, {"message": ...}) has no errorCode and says nothing of the item.
//
// Nor does NCP's own 404 on a wrong base path: NCP's gateway answers every
// path it does not serve with that very envelope. So the first "not found"
// a client meets is checked against the list of keys (GET
// api-keys?offset=0&limit=1), which must answer a page; the client then
// remembers that the endpoint serves the API, as it does after any page of
// the list it read before. A list that is itself "not
// found" means the endpoint is wrong; a check that fails otherwise leaves
// the item's fate unknown. Either is an error, never "gone".

// IsNotFound reports whether err is NCP saying, on an endpoint proven to
// serve its API-key API, that what was asked for (a key, a subscription, a
// product) does not exist. A 404 that did not come from NCP, or that came
// before the endpoint could be proven, is not.
func IsNotFound(err error) bool {
	var e *Error
	return errors.As(err, &e) && e.gone
}

// IsWrongEndpoint reports whether err shows that the endpoint does not
// serve NCP's API-key API: NCP's gateway says its list of keys is not found.
func IsWrongEndpoint(err error) bool {
	var e *Error
	return errors.As(err, &e) && e.wrongEndpoint
}

// codeNotFound is NCP's errorCode for a missing resource.
const codeNotFound = "300"

// saysNotFound reports whether e is NCP's "not found", proven or not.
func (e *Error) saysNotFound() bool {
	if !e.fromNCP() {
		return false
	}
	switch e.StatusCode {
	case http.StatusNotFound:
		return e.Code == codeNotFound || mentionsNotFound(e.Code) || mentionsNotFound(e.Message)
	case http.StatusBadRequest:
		return mentionsNotFound(e.Code) || mentionsNotFound(e.Message)
	}
	return false
}

// mentionsNotFound matches "not found", "NotFound", "NOT_FOUND" and the like.
func mentionsNotFound(s string) bool {
	s = strings.Map(func(r rune) rune {
		switch r {
		case ' ', '_', '-':
			return -1
		}
		return r
	}, strings.ToLower(s))
	return strings.Contains(s, "notfound")
}

// endpointProof is what a client knows of its endpoint: whether a list of
// keys has decoded as a page there (ListAPIKeys records it), which proves that
// it serves NCP's API-key API to the client's credentials. Only success is
// remembered.
type endpointProof struct {
	proven atomic.Bool
	turn   chan struct{} // one check at a time
}

func newEndpointProof() *endpointProof {
	return &endpointProof{turn: make(chan struct{}, 1)}
}

// provenGone judges the final error of cl. NCP's "not found" becomes proof
// that the item is gone (IsNotFound) once the endpoint is proven; for the
// list of keys itself, it means the endpoint is wrong. Any other error is
// returned as it is.
func (c *Client) provenGone(ctx context.Context, cl *call, err error) error {
	var e *Error
	if !errors.As(err, &e) || !e.saysNotFound() {
		return err
	}
	if cl.keyList {
		e.hint, e.wrongEndpoint = c.wrongEndpointHint(), true
		return err
	}
	if checkErr := c.proveEndpoint(ctx); checkErr != nil {
		return fmt.Errorf("%v; whether it is gone is unknown, as checking that the endpoint serves NCP's API-key API failed: %w", err, checkErr)
	}
	e.gone = true
	return err
}

// proveEndpoint reads one key of the list, once per client: a page proves
// that the endpoint serves NCP's API-key API to these credentials.
func (c *Client) proveEndpoint(ctx context.Context) error {
	if c.endpoint.proven.Load() {
		return nil
	}
	select {
	case c.endpoint.turn <- struct{}{}:
		defer func() { <-c.endpoint.turn }()
	case <-ctx.Done():
		return ctx.Err()
	}
	if c.endpoint.proven.Load() { // proven while this caller waited
		return nil
	}
	_, err := c.ListAPIKeys(ctx, ListAPIKeysInput{Limit: 1}) // a page marks the endpoint proven
	return err
}

// wrongEndpointHint explains a list of keys that NCP says is not found.
func (c *Client) wrongEndpointHint() string {
	return fmt.Sprintf("the endpoint %s does not serve NCP's API-key API, whose list of keys cannot be missing: "+
		"the endpoint must be the API's base URL, ending in /api/v1, such as %s", c.BaseURL(), siteBaseURLs[defaultSite])
}

// Nothing to revoke.
//
// The approval of a subscription to a PUBLIC product.

// approvalNeedsNoRevoke reports whether NCP itself says that productID needs
// no approval, so that a refused revocation leaves nothing granted that the
// publisher could take back: NCP's own product (read with GetProduct) has
// subscription code PUBLIC. Only NCP's answer for this very product proves
// it; a read that fails, or a code that is not PUBLIC, proves nothing, and
// the refusal stands.
func (c *Client) approvalNeedsNoRevoke(ctx context.Context, productID string) bool {
	p, err := c.GetProduct(ctx, productID)
	return err == nil && p.ProductID == productID && p.SubscriptionCode == ProductPublic
}

// Not created.
//
// Only a documented refusal proves that a request took no effect: a failure
// before the request was written out, any HTTP 429 (NCP's gateway throttles
// before it passes a request on), or an HTTP 4xx carrying NCP's error
// envelope with an errorCode (NCP's documented 100, 200, 210, 230, 300,
// 430 and 400-420).
// Every other outcome is unknown: any 5xx (NCP's 500 "Unexpected Error"
// included: the operation may have committed before it failed), a 4xx
// without NCP's envelope (a proxy's page says nothing of what NCP did), a
// cut connection, a timeout, a cancellation, an undecodable success. A
// create whose outcome is unknown is reconciled (see "Ours") before it is
// retried or reported.

// refusedByAPI reports whether an answered attempt that failed with err
// (an *Error) was refused without taking effect. The transport's failures,
// which got no answer, are judged by whether the request was written.
func refusedByAPI(err *Error) bool {
	switch {
	case err.StatusCode == http.StatusTooManyRequests:
		return true
	case err.StatusCode >= 400 && err.StatusCode < 500:
		return err.Code != ""
	}
	return false
}

// Ours.
//
// A key is ours only on positive evidence, never on a name and a time. The
// API has no idempotency token, so a create carries its own: the key's
// description is a marker unique to that create (createMarker) until a
// follow-up edit gives it the caller's description. A lost create is
// reconciled by listing the keys of its name: those carrying its marker are
// the keys it made, and only those; none means it made none. No other
// create, in this process or any other, under these credentials or any
// other, carries the same marker.

// markerPrefix starts every create marker, so that a key whose follow-up
// edit failed is recognisable in the console.
const markerPrefix = "terraform-provider-ncp create "

// newCreateMarker returns a marker for one create: markerPrefix and 16
// random hex digits, 46 characters, within the description's 50.
func newCreateMarker() (string, error) {
	var b [8]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", errors.New("making the create's marker: " + err.Error())
	}
	return markerPrefix + hex.EncodeToString(b[:]), nil
}

// provenOurs returns the keys, of those a list of the name gave, that a
// create with marker made: named exactly name (the list's filter may
// match partially) and carrying the marker, sorted by ID.
func provenOurs(keys []APIKey, name, marker string) []APIKey {
	var ours []APIKey
	for _, k := range keys {
		if k.Name == name && k.Description == marker {
			ours = append(ours, k)
		}
	}
	slices.SortFunc(ours, func(a, b APIKey) int { return strings.Compare(a.ID, b.ID) })
	return ours
}

package ncpclient

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"net/http"
	"slices"
	"strings"
)

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

// Package ncpclient is a client for the API-key API of NAVER Cloud Platform's
// API Gateway, and for the subscriptions of keys to products. It signs
// requests (signature v2) on the server's clock,
// retries what is safe to retry, paces requests with an adaptive rate limiter
// shared across clients, and reconciles creates whose answer was lost so that
// a retry never leaves a second key behind.
//
// # NCP's documentation mistakes
//
// NCP's documentation of this API contradicts itself in places (the name
// field's name, the shape of one key, errorCode's type, paths, page sizes,
// what a missing key answers); the client is strict in what it sends and
// liberal in what it accepts. contributing/ncp-api-notes.md lists each
// mistake and what the client does about it.
//
// # Answers that did not come from NCP
//
// Proxies, captive portals, outage pages and other services answer in NCP's
// place. Only an answer that decodes as what the operation returns, or that
// carries NCP's error envelope with its errorCode ({"error": {"errorCode":
// ..., "message": ...}}), counts as NCP's: only such answers teach the
// client the server's clock (their Date header). Any other page is an error
// naming the endpoint.
//
// # Gone
//
// Something is gone (IsNotFound) only when NCP says it is not found, with
// its errorCode, on an endpoint proven to serve NCP's API-key API: NCP's
// gateway answers a path it does not serve with that same "not found", so
// the first one a client meets is checked by reading one key of the list,
// once per client (evidence.go). A list that is itself "not found" means
// the endpoint is wrong (IsWrongEndpoint); a check that fails otherwise
// leaves the item's fate unknown, an error. ValidateEndpoint refuses, up
// front, a base URL whose path does not end in /api/v1.
//
// NCP documents no body for a delete or an unsubscribe, so their success
// answers cannot be told from a proxy's or a mock's: each is confirmed by a
// read in which NCP says the key, or the subscription, is not there, and
// sent again (a few times at most) while it still is.
//
// # The server's clock
//
// NCP rejects a signature whose timestamp is more than 5 minutes from its
// clock. The client signs on its estimate of the server's clock, learnt
// from the Date header of every NCP answer, and until the first NCP answer
// arrives it sends one request at a time, so that a machine whose clock is
// off costs one rejected request, not one per concurrent caller.
//
// # Lost creates
//
// The API has no idempotency token, so a create carries its own: its
// description is a marker unique to it ("terraform-provider-ncp create "
// and 16 random hex digits), which one follow-up edit replaces with the
// caller's description and enabled flag. A create is "not created" only on
// a documented refusal (a request never written, any 429, NCP's 4xx
// envelope with an errorCode); every other outcome, any 5xx included, is
// unknown, and the client then lists the keys of that name: those carrying
// the marker are the keys it made (it keeps one and deletes the others);
// none means the create may be retried, with the same marker. A key's name
// and modTime prove nothing and are not used, so another process's or
// another account's key of the same name is never adopted. When the list
// fails, nothing is adopted: *AmbiguousCreateError names the marker and how
// to import the key. When the follow-up edit fails for good, the key is
// returned with an *UnfinishedCreateError, so that the caller records it.
// A create cut short by the caller's context still reconciles and edits,
// on a short context of its own, so that a key that was made is returned,
// not orphaned. See evidence.go and contributing/reliability.md.
//
// # Subscriptions
//
// NCP documents no answer for subscribe, unsubscribe or the publisher's
// approval, and no status besides ACCEPTED on the key's side; see
// contributing/ncp-api-subscriptions.md. The client reads none of those
// answers (any 2xx with an empty or JSON body is success) and takes
// statuses as they come. A subscribe is repeated only after a read of the
// key's products shows that a lost attempt did not take effect, since NCP
// refuses a second subscribe; unsubscribe and approval are repeated freely,
// as repeating them changes nothing. Lists of products, stages and a
// product's keys are paged like the keys' list, whatever page size the
// server caps them at: until the reported total or an empty page, whichever
// comes first, and to an empty page when the answers report no total. The publisher's list of a product's keys carries the
// subscribers' key values: only IDs and statuses are decoded from it.
package ncpclient

// Package chaos is a seeded fault campaign: a model-based, randomized test
// of the whole provider, through the real terraform CLI, against the
// emulator playing a harsh world. `make chaos SEEDS=n` runs seeds 1 to n;
// `make chaos SEED=s` reruns seed s alone, which every failing seed prints.
//
// Everything a seed does is drawn from the seed (see generate): the
// emulator's answers where NCP's docs are silent, whether its lists carry
// their documented total, the emulator's own random
// numbers (IDs, key values, fault dice), and the steps. Only timing is not:
// which of two concurrent requests meets a fault first may differ between
// runs.
//
// # The model
//
// The model is the configuration a user wants (a few ncp_apigw_api_key
// resources, all named with the seed's prefix) plus what the colleague does
// in the console. Each step:
//
//  1. changes the configuration: adds keys (some disabled, some with a
//     trigger, a key type, store_key_values = false or a short create
//     timeout), renames, describes, enables or disables, rotates PRIMARY,
//     SECONDARY or BOTH, changes the key type alone, removes a trigger,
//     toggles store_key_values, removes keys;
//  2. acts out of band, as the other account: deletes, renames, describes,
//     toggles or regenerates a managed key, or makes a key in the console
//     that the configuration imports in the same step (import block). The
//     acts happen before the apply or, in some steps, between a saved plan
//     and its apply;
//  3. applies under a fault schedule: lost answers before the commit (reset)
//     and after it (drop, truncated, late), 5xx, 429 and a rate limit,
//     Retry-After of 1s, 90s (beyond the client's 1-minute cap) and as
//     HTTP dates past and far ahead, slow answers (stall, latency),
//     stalled connections (no answer within the attempt timeout, once, twice
//     in a row or on two routes; the provider runs with
//     NCP_REQUEST_TIMEOUT=4s), proxy HTML pages, 404s that are not NCP's
//     (another service's JSON with and without an "error" envelope, empty,
//     HTML), a gateway answering HTML 404 for everything, a wrong base path
//     (NCP's own 404 envelope for everything), garbled answers (replace,
//     raw), a proxy echoing the request, a colleague's key of the same name
//     made while our create is in flight (twin), alone or with the create's
//     answer lost, a 500 after the change (NCP's 900 envelope, an HTML
//     page, an empty body), the colleague editing their key of the same
//     name while our create is lost before it commits or after (rival,
//     rival_reset, rival_drop), a server clock within ±4 minutes of ours,
//     and a create answered after its own timeout. Counts, rates and "let the first n
//     through" are such that this faulty apply sometimes fails and
//     sometimes not;
//  4. if the faulty apply failed, or acts came after its plan, clears the
//     faults (the clock stays apart) and applies again, which must succeed.
//     Before it, the user follows the advice of the errors that say a lost
//     create may have made a key: the key of that name whose description
//     is the marker the error gives, if exactly one, is imported (see
//     importLostCreates);
//  5. checks the invariants (invariants.go): state equals the server for
//     every managed key; no key named with the prefix is on the server but
//     not in state, but the colleague's twins (no orphans); no two
//     resources share an ID; the server holds the configuration; keys the
//     configuration does not own
//     (bystanders, whose names contain an owned name, and twins) are
//     untouched (but by the colleague's own edits, the rival faults); key values changed where the configuration rotated them,
//     only once, and nowhere else, and no key was replaced that nothing
//     deleted; removed resources' keys are deleted; the next plan is empty;
//     no secret (secret keys, signatures, key values) appears in terraform's
//     output or trace log.
//
// One rotation is relaxed to "may or may not", as the provider documents
// it: a key imported by an import block whose apply changed nothing adopts
// the first trigger set in a later step rather than rotating, as long as no
// step changed the key in between (only an update ends the adoption, and
// the provider cannot tell an apply that changes nothing from a refresh),
// unless an update the campaign cannot see came in between.
//
// The last step destroys everything under faults, destroys again without
// them if that failed, and checks that no owned key remains.
//
// A step that breaks an invariant ends its seed; the seed's plan, state and
// the server's keys (no secrets) are logged with how to rerun it.
//
// # What the campaign leaves out, and why
//
//   - Resources of the configuration that share a name: each create's
//     marker tells its key from the other's (the provider's acceptance
//     tests cover the race), but the checks and the remedy find resources
//     by name, so every resource here has a name of its own (the
//     colleague's twins and edited keys aside).
//   - Faults beyond the client's retries: they cost minutes of backoff,
//     which would price the campaign out of CI. A create timeout shorter
//     than a late answer covers the same code paths.
//   - Wrong credentials and clock skews beyond NCP's 5-minute window: they
//     fail every request alike, and are tested in internal/e2e.
package chaos

// Package acctest holds what the tests of the provider, the end-to-end tests
// through the terraform CLI and the fault campaign share: an API to test
// against (an in-process emulator, or NCP itself), checks that compare
// Terraform's state with that API, plan checks, and a terraform CLI runner
// that records every secret it must never print. It holds no test.
//
// Acceptance tests run against the emulator. With NCP_ACC_TARGET=ncp and
// real credentials in NCLOUD_ACCESS_KEY and NCLOUD_SECRET_KEY, the tests
// that need no emulator run against NCP.
package acctest

// Package acctest holds what the provider tests, the end-to-end tests and the
// fault campaign share: an API to test against (an emulator, or NCP for the
// tests that need none, with NCP_ACC_TARGET=ncp, NCLOUD_ACCESS_KEY and
// NCLOUD_SECRET_KEY), checks of state and plan against it, and a terraform
// CLI runner that records every secret it must never print. It holds no test.
package acctest

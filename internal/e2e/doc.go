// Package e2e drives the built provider binary with the terraform CLI, as a
// user would, against the emulator. It holds tests only.
package e2e

// Package chaos is a seeded fault campaign: a model-based, randomized test
// of the whole provider, through the real terraform CLI, against the
// emulator playing a harsh world. `make chaos SEEDS=n` runs seeds 1 to n;
// `make chaos SEED=s` reruns seed s alone, which every failing seed prints.
// contributing/reliability.md ("The fault campaign") describes its steps,
// invariants and report, and what it leaves out and why.
//
// A seed draws everything but timing from the seed (steps.go): the
// emulator's switches and random numbers, the configuration's changes, the
// colleague's acts (model.go) and the faults (faults.go). run.go plays the
// steps and follows the errors' advice; invariants.go checks the outcome.
// A step that breaks an invariant ends its seed, and logs the seed's plan,
// state and keys (no secrets).
package chaos

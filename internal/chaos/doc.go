// Package chaos is a seeded fault campaign: a model-based, randomized test
// of the whole provider, through the real terraform CLI, against the
// emulator playing a harsh world. `make chaos SEEDS=n` runs seeds 1 to n;
// `make chaos SEED=s` reruns seed s alone, which every failing seed prints.
// contributing/reliability.md ("The fault campaign") describes its steps,
// invariants and report, and what it leaves out and why.
//
// Everything a seed does is drawn from the seed (generate): the emulator's
// answers where NCP's docs are silent, its random numbers (IDs, key values,
// fault dice) and the steps. Only timing is not: which of two concurrent
// requests meets a fault first may differ between runs.
//
// Each step changes the configuration (steps.go), acts out of band as a
// colleague (model.go), applies under one to three fault families
// (faults.go), applies again without faults if that failed or acts came
// after its plan, importing the keys of lost creates as their errors advise
// (remedy.go), and checks the invariants (invariants.go; runStep checks the
// fault-free apply, the empty plan and secrets). The last step destroys
// everything. A step that breaks an invariant ends its seed, and logs the
// seed's plan, state and keys (no secrets).
package chaos

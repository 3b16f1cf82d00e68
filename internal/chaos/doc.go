// Package chaos is a seeded fault campaign: a model-based, randomized test
// of the whole provider, through the real terraform CLI, against the
// emulator playing a harsh world. `make chaos SEEDS=n` runs seeds 1 to n;
// `make chaos SEED=s` reruns seed s alone, which every failing seed prints.
// contributing/reliability.md ("The fault campaign") lists its steps,
// invariants and report, and what it leaves out and why.
//
// Everything a seed does is drawn from the seed (see generate): the
// emulator's answers where NCP's docs are silent, whether its lists carry
// their documented total, the emulator's own random numbers (IDs, key
// values, fault dice), and the steps. Only timing is not: which of two
// concurrent requests meets a fault first may differ between runs.
//
// The model is the configuration a user wants (a few ncp_apigw_api_key
// resources, all named with the seed's prefix) plus what a colleague does
// in the console. Each step changes the configuration (steps.go), acts out
// of band before the apply or between a saved plan and its apply (acts.go),
// applies under one to three fault families (faults.go), applies again
// without faults if that failed or acts came after the plan, after
// importing the keys of lost creates as their errors advise (remedy.go),
// and checks the invariants (invariants.go, and runStep for the fault-free
// apply, the empty plan and secrets). The last step destroys everything.
// A step that breaks an invariant ends its seed; the seed's plan, state and
// the server's keys (no secrets) are logged with how to rerun it.
//
// Resources of the configuration never share a name: the checks and the
// remedy find resources by name (the colleague's keys aside).
package chaos

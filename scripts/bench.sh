#!/usr/bin/env bash
# make bench / make bench-smoke: the performance harness (bench/, see
# contributing/performance.md). Expects `make build` to have filled bin/. Installs
# the hashicorp/time provider the harness uses as a floor, builds the
# harness, and runs it. BENCH_SMOKE=1 makes the small run CI does;
# BENCH_RUNS sets the runs per measure (default 3, smoke 1).
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
out="$root/bench/out"
tools="$out/tools"
time_version=v0.14.2
time_dir="$tools/terraform-provider-time-$time_version"

export CHECKPOINT_DISABLE=1

for bin in terraform-provider-ncp ncp-apigw-emulator; do
	if [ ! -x "$root/bin/$bin" ]; then
		echo "bench: $root/bin/$bin is missing: run 'make bench', which builds it first" >&2
		exit 1
	fi
done
command -v terraform >/dev/null || { echo "bench: terraform is not on PATH" >&2; exit 1; }

# The time provider comes from the Go module proxy, built from source, into
# a cache under bench/out (gitignored) that later runs reuse.
if [ ! -x "$time_dir/terraform-provider-time" ]; then
	echo "bench: installing hashicorp/time $time_version into $time_dir" >&2
	(cd "$root" && GOBIN="$time_dir" GOFLAGS= go install "github.com/hashicorp/terraform-provider-time@$time_version")
fi

(cd "$root" && go build -o "$tools/bench" ./bench)

# exec, so that an interrupt reaches the harness directly: it stops its
# emulators and removes its temporary directories itself, and the kernel
# kills its children should it be killed outright.
cd "$root"
exec "$tools/bench" -bin "$root/bin" -time-provider-dir "$time_dir" -out "$out" -repo "$root"

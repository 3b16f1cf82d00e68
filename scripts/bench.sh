#!/usr/bin/env bash
# make bench / bench-smoke / bench-scale: the performance harness (bench/,
# see contributing/performance.md). Expects `make build` to have filled bin/.
# Installs what the harness needs (hashicorp/time as a floor, GNU time to
# measure the providers' memory), builds the harness, and runs it with this
# script's arguments (-mode smoke|scale, -store-key-values=false, -run REGEXP).
# BENCH_RUNS sets the runs per measure (default: full 3, smoke and scale 1);
# BENCH_TERRAFORM, the terraform binary (default: terraform on PATH).
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
out="$root/bench/out"
tools="$out/tools"
time_version=v0.14.2
time_dir="$tools/terraform-provider-time-$time_version"

export CHECKPOINT_DISABLE=1

if [ ! -x "$root/bin/terraform-provider-ncp" ]; then
	echo "bench: $root/bin/terraform-provider-ncp is missing: run 'make bench', which builds it first" >&2
	exit 1
fi

# GNU time, Debian's package time, measures the providers' peak RSS.
if ! /usr/bin/time --version 2>&1 | grep -q GNU; then
	echo "bench: installing GNU time (Debian package time)" >&2
	apt-get update -qq && apt-get install -y -qq time >/dev/null
fi

# The time provider comes from the Go module proxy, built from source, into
# a cache under bench/out (gitignored) that later runs reuse.
if [ ! -x "$time_dir/terraform-provider-time" ]; then
	echo "bench: installing hashicorp/time $time_version into $time_dir" >&2
	(cd "$root" && GOBIN="$time_dir" GOFLAGS='' go install "github.com/hashicorp/terraform-provider-time@$time_version")
fi

(cd "$root" && go build -o "$tools/bench" ./bench)

# exec, so that an interrupt reaches the harness directly: it stops
# Terraform and removes its temporary directories itself.
cd "$root"
exec "$tools/bench" -time-provider "$time_dir/terraform-provider-time" -terraform "${BENCH_TERRAFORM:-terraform}" \
	${BENCH_RUNS:+-runs "$BENCH_RUNS"} "$@"

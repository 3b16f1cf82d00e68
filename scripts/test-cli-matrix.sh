#!/usr/bin/env bash
# make test-matrix: the acceptance tests and the tests through the CLI, on
# the other CLIs the provider supports besides the terraform on PATH (which
# `make test` uses): Terraform 1.5.7 and OpenTofu, built by install-clis.sh
# once and cached. Tests of features a CLI lacks skip themselves, by the
# version it reports (identity 1.12, query and actions 1.14, ephemeral
# resources 1.10; OpenTofu has neither query nor actions).
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
export CHECKPOINT_DISABLE=1
for cli in terraform tofu; do
	path=$(bash scripts/install-clis.sh "$cli")
	echo "== $("$path" version | head -n1)"
	# make test-cli picks the provider host OpenTofu needs; RACE= as before:
	# the race detector runs once, in make test.
	TF_ACC_TERRAFORM_PATH="$path" make --no-print-directory test-cli RACE=
done

#!/usr/bin/env bash
# make lint, for examples/: `terraform fmt -check`, then `terraform validate`
# in every directory that holds .tf files. Validation needs the providers the
# examples use without downloading them: the provider built from this tree
# and hashicorp/time, built from the Go module proxy into a cache that later
# runs reuse, both through dev_overrides, so that no `init` is needed.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
time_version=v0.14.2
time_dir="${XDG_CACHE_HOME:-$HOME/.cache}/terraform-provider-ncp/providers/terraform-provider-time-$time_version"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

export CHECKPOINT_DISABLE=1

if [ ! -x "$time_dir/terraform-provider-time" ]; then
	echo "validate-examples: installing hashicorp/time $time_version into $time_dir" >&2
	GOBIN="$time_dir" GOFLAGS='' go install "github.com/hashicorp/terraform-provider-time@$time_version"
fi
(cd "$root" && go build -o "$work/ncp/terraform-provider-ncp" .)

cat >"$work/cli.tfrc" <<RC
provider_installation {
  dev_overrides {
    "ncp-community/ncp" = "$work/ncp"
    "hashicorp/time"    = "$time_dir"
  }
}
RC
export TF_CLI_CONFIG_FILE="$work/cli.tfrc"

echo "terraform fmt -check -recursive examples/"
terraform fmt -check -recursive -diff "$root/examples"

# The per-resource examples that the docs render leave out
# required_providers, as users paste them into a configuration that has it;
# each is validated in a copy that declares it.
cd "$root/examples"
for example in $(find . -name '*.tf' -exec dirname {} \; | sort -u); do
	copy="$work/examples/$example"
	mkdir -p "$copy"
	cp "$example"/*.tf "$copy/"
	if ! grep -q required_providers "$copy"/*.tf; then
		printf 'terraform {\n  required_providers {\n    ncp = { source = "ncp-community/ncp" }\n  }\n}\n' >"$copy/providers.tf"
	fi
	if out=$(cd "$copy" && terraform validate -no-color 2>&1); then
		echo "terraform validate examples/${example#./}: ok"
	else
		echo "terraform validate examples/${example#./}:"
		echo "$out"
		exit 1
	fi
done

#!/usr/bin/env bash
# Installs the Terraform and OpenTofu CLIs of the test matrix, built from
# the Go module proxy, into a per-user cache that fresh clones on the same
# machine share. Prints one absolute path per CLI asked for, in order, so
# that callers can select a CLI the way TF_ACC_TERRAFORM_PATH does:
#
#   TF_ACC_TERRAFORM_PATH=$(scripts/install-clis.sh tofu)
#
# CLIs: terraform (Terraform 1.5.7, the oldest release the provider
# supports) and tofu (OpenTofu, at the version tools/opentofu/go.mod
# requires). The first build of tofu takes about 5 minutes on 2 cores.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
cache="${XDG_CACHE_HOME:-$HOME/.cache}/terraform-provider-ncp/clis"
terraform_version=1.5.7
out=""
trap 'rm -rf "$out"' EXIT
tofu_version=$(awk '$1 == "github.com/opentofu/opentofu" { sub(/^v/, "", $2); print $2 }' "$root/tools/opentofu/go.mod")

# install NAME VERSION BUILD...: runs BUILD with $out set to a scratch
# directory unless NAME-VERSION is already cached, then moves the result in
# place whole, so that an interrupted build never leaves a broken binary.
install() {
	local name=$1 version=$2 dir="$cache/$1-$2"
	shift 2
	if ! "$dir/$name" version >/dev/null 2>&1; then
		echo "install-clis: building $name $version into $dir" >&2
		mkdir -p "$cache"
		out=$(mktemp -d "$cache/.$name-$version.XXXXXX")
		"$@"
		"$out/$name" version >&2
		chmod 755 "$out"
		rm -rf "$dir"
		mv "$out" "$dir"
		out=""
	fi
	echo "$dir/$name"
}

build_terraform() {
	GOBIN="$out" GOFLAGS='' go install "github.com/hashicorp/terraform@v$terraform_version"
}

build_tofu() {
	# dev=no drops the "-dev" suffix, as OpenTofu's release builds do.
	(cd "$root/tools/opentofu" && GOFLAGS='' go build -trimpath \
		-ldflags "-s -w -X github.com/opentofu/opentofu/version.dev=no" \
		-o "$out/tofu" github.com/opentofu/opentofu/cmd/tofu)
}

[ $# -gt 0 ] || { echo "usage: $0 terraform|tofu..." >&2; exit 2; }
for cli in "$@"; do
	case "$cli" in
	terraform) install terraform "$terraform_version" build_terraform ;;
	tofu) install tofu "$tofu_version" build_tofu ;;
	*) echo "install-clis: unknown CLI $cli (terraform or tofu)" >&2; exit 2 ;;
	esac
done

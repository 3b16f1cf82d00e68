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

bash "$root/scripts/dev-overrides.sh" "ncp-community/ncp=$work/ncp" "hashicorp/time=$time_dir" >"$work/cli.tfrc"
export TF_CLI_CONFIG_FILE="$work/cli.tfrc"

echo "terraform fmt -check -recursive examples/"
terraform fmt -check -recursive -diff "$root/examples"

# The CLI validates what it knows: files that use newer language than it
# has (actions and query files 1.14, import by identity 1.12, ephemeral
# resources 1.10) are left out, saying so; with 1.14 or later, query files
# are validated too (-query).
tf_version=$(terraform version -json | sed -n 's/.*"terraform_version": *"\([0-9.]*\)".*/\1/p')
at_least() { [ "$(printf '%s\n%s\n' "$1" "$tf_version" | sort -V | head -n1)" = "$1" ]; }
needs() {
	case "$1" in
	*.tfquery.hcl) echo 1.14.0 ;;
	*)
		if grep -qE '^(action|[[:space:]]+action_trigger) ' "$1"; then
			echo 1.14.0
		elif grep -q 'identity *= *{' "$1"; then
			echo 1.12.0
		elif grep -q '^ephemeral ' "$1"; then
			echo 1.10.0
		else
			echo 1.0.0
		fi
		;;
	esac
}
validate=(validate -no-color)
if at_least 1.14.0; then
	validate+=(-query)
fi

# The per-resource examples that the docs render leave out
# required_providers, as users paste them into a configuration that has it;
# each is validated in a copy that declares it. The import-by-*.tf files are
# alternatives to each other: each is validated alone beside the rest.
validate_copy() {
	local name=$1 copy=$2
	shift 2
	mkdir -p "$copy"
	for file in "$@"; do
		if at_least "$(needs "$file")"; then
			cp "$file" "$copy/"
		else
			echo "terraform validate examples/${file#./}: left out, needs Terraform $(needs "$file") (this is $tf_version)"
		fi
	done
	[ -n "$(ls -A "$copy")" ] || return 0
	if ! grep -qs required_providers "$copy"/*.tf; then
		printf 'terraform {\n  required_providers {\n    ncp = { source = "ncp-community/ncp" }\n  }\n}\n' >"$copy/providers.tf"
	fi
	if out=$(cd "$copy" && terraform "${validate[@]}" 2>&1); then
		echo "terraform validate examples/$name: ok"
	else
		echo "terraform validate examples/$name:"
		echo "$out"
		exit 1
	fi
}

cd "$root/examples"
n=0
for example in $(find . \( -name '*.tf' -o -name '*.tfquery.hcl' \) -exec dirname {} \; | sort -u); do
	case "$example" in
	# It uses NaverCloudPlatform/ncloud, which only `terraform init` can
	# install, from the registry; this runs offline. fmt -check covered it.
	./with-ncloud)
		echo "terraform validate examples/with-ncloud: left out, needs NaverCloudPlatform/ncloud from the registry"
		continue
		;;
	esac
	shared=()
	imports=()
	for file in "$example"/*.tf "$example"/*.tfquery.hcl; do
		[ -e "$file" ] || continue
		case "$(basename "$file")" in
		import-by-*.tf) imports+=("$file") ;;
		*) shared+=("$file") ;;
		esac
	done
	if [ ${#imports[@]} -eq 0 ]; then
		n=$((n + 1))
		validate_copy "${example#./}" "$work/examples/$n" "${shared[@]}"
	fi
	for file in "${imports[@]}"; do
		if ! at_least "$(needs "$file")"; then # the rest was validated without it
			echo "terraform validate examples/${file#./}: left out, needs Terraform $(needs "$file") (this is $tf_version)"
			continue
		fi
		n=$((n + 1))
		validate_copy "${file#./}" "$work/examples/$n" "${shared[@]}" "$file"
	done
done

#!/usr/bin/env bash
# make test-install: proves that the archives `make release-snapshot` put in
# dist/ install like any published provider. For each CLI (paths of
# terraform or tofu binaries given as arguments; by default the terraform on
# PATH and those of scripts/install-clis.sh, Terraform 1.5.7 and OpenTofu),
# in a fresh directory with no dev_overrides:
#
#   1. the archives are laid out as a filesystem mirror;
#   2. `init` installs ncp-community/ncp, pinned to the snapshot's version,
#      from that mirror and nowhere else;
#   3. the lock file records the version and the package's h1: hash, which is
#      the hash of the files in the archive of dist/, and `providers lock
#      -fs-mirror` records the same hashes;
#   4. a key is applied and destroyed against the emulator, which holds it
#      after the apply and holds nothing after the destroy.
#
# Expects `make build` (the emulator) and `make release-snapshot` (dist/).
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
dist="$root/dist"
# shellcheck source=scripts/emulator.sh
. "$root/scripts/emulator.sh" # $work, and the emulator, cleaned up on exit

fail() { echo "test-install: FAIL: $*" >&2; exit 1; }
step() { printf '\n==> %s\n' "$*"; }

export CHECKPOINT_DISABLE=1
# Nothing from the caller's environment may decide where providers come from.
unset TF_PLUGIN_CACHE_DIR TF_CLI_ARGS TF_CLI_ARGS_init TF_CLI_ARGS_apply TF_CLI_ARGS_destroy

if [ $# -eq 0 ]; then
	terraform_on_path=$(command -v terraform) || fail "terraform is not on PATH"
	installed=$(bash "$root/scripts/install-clis.sh" terraform tofu)
	mapfile -t clis <<<"$installed"
	set -- "$terraform_on_path" "${clis[@]}"
fi
[ -f "$dist/metadata.json" ] || fail "no snapshot in $dist: run 'make release-snapshot' first"
version=$(grep -o '"version":"[^"]*"' "$dist/metadata.json" | head -n 1 | cut -d'"' -f4)
sums="$dist/terraform-provider-ncp_${version}_SHA256SUMS"
platform="$(go env GOOS)_$(go env GOARCH)"
platforms="darwin_amd64 darwin_arm64 freebsd_386 freebsd_amd64 freebsd_arm freebsd_arm64 linux_386 linux_amd64 linux_arm linux_arm64 windows_386 windows_amd64 windows_arm64"
hostnames="registry.terraform.io registry.opentofu.org"

step "Snapshot $version: an archive per platform, SHA256SUMS and the manifest"
[ -f "$sums" ] || fail "$sums is missing"
for p in $platforms; do
	grep -q "  terraform-provider-ncp_${version}_$p.zip\$" "$sums" || fail "no archive for $p in $(basename "$sums")"
done
(cd "$dist" && sha256sum --quiet --strict --ignore-missing -c "$sums") || fail "an archive does not match $(basename "$sums")"
[ "$(grep -c '\.zip$' "$sums")" -eq "$(echo "$platforms" | wc -w)" ] || fail "$(basename "$sums") lists archives of unexpected platforms"
manifest_sum=$(sha256sum "$root/terraform-registry-manifest.json" | cut -d' ' -f1)
grep -q "^$manifest_sum  terraform-provider-ncp_${version}_manifest.json\$" "$sums" ||
	fail "$(basename "$sums") does not list terraform-registry-manifest.json as terraform-provider-ncp_${version}_manifest.json"
echo "ok: $(echo "$platforms" | wc -w) archives and the manifest, all matching $(basename "$sums")"

# The packed layout (HOSTNAME/NAMESPACE/TYPE/terraform-provider-TYPE_VERSION_OS_ARCH.zip)
# holds the release archives themselves, so the zh: hashes the CLIs record
# are the SHA256SUMS entries a registry publishes. Terraform and OpenTofu
# read ncp-community/ncp as registry.terraform.io/... and
# registry.opentofu.org/... respectively: the mirror serves both.
step "Filesystem mirror in the packed layout"
mirror="$work/mirror"
for host in $hostnames; do
	mkdir -p "$mirror/$host/ncp-community/ncp"
	for p in $platforms; do
		zip="terraform-provider-ncp_${version}_$p.zip"
		ln "$dist/$zip" "$mirror/$host/ncp-community/ncp/$zip" 2>/dev/null || cp "$dist/$zip" "$mirror/$host/ncp-community/ncp/"
	done
done
cat >"$work/cli.tfrc" <<RC
provider_installation {
  filesystem_mirror {
    path    = "$mirror"
    include = ["registry.terraform.io/ncp-community/ncp", "registry.opentofu.org/ncp-community/ncp"]
  }
}
RC
export TF_CLI_CONFIG_FILE="$work/cli.tfrc"
(cd "$mirror" && find . -name "*_$platform.zip" | sort)

# h1_of_zip ZIP: the h1: hash of the files in ZIP, as Terraform and OpenTofu
# compute it (golang.org/x/mod/sumdb/dirhash.Hash1): the base64 SHA-256 of
# the lines "<hex SHA-256>  <name>" of each file, sorted by name.
h1_of_zip() {
	local files sum
	files=$(mktemp -d "$work/unzip.XXXXXX")
	unzip -q "$1" -d "$files"
	sum=$(cd "$files" && find . -type f | sed 's|^\./||' | LC_ALL=C sort | while IFS= read -r f; do
		printf '%s  %s\n' "$(sha256sum <"$f" | cut -d' ' -f1)" "$f"
	done | sha256sum | cut -d' ' -f1)
	# shellcheck disable=SC2001 # a back-reference, which ${sum//} has not
	printf "h1:%s\n" "$(printf '%b' "$(sed 's/../\\x&/g' <<<"$sum")" | base64)"
}

# lock_hashes DIR HOST: the hashes the lock file in DIR records for
# HOST/ncp-community/ncp, sorted, one a line.
lock_hashes() {
	awk -v block="provider \"$2/ncp-community/ncp\" {" '
		index($0, block) == 1 { inside = 1; next }
		inside && /^}/ { inside = 0 }
		inside && match($0, /"(h1|zh):[^"]*"/) { print substr($0, RSTART + 1, RLENGTH - 2) }
	' "$1/.terraform.lock.hcl" | sort
}

write_config() {
	mkdir -p "$1"
	cat >"$1/main.tf" <<TF
terraform {
  required_providers {
    ncp = {
      source  = "ncp-community/ncp"
      version = "= $version"
    }
  }
}

resource "ncp_apigw_api_key" "installed" {
  name        = "test-install"
  description = "Installed from a filesystem mirror"
}

output "id" {
  value = ncp_apigw_api_key.installed.id
}
TF
}

# tf ARGS: the CLI under test, run in its directory.
tf() { (cd "$dir" && "$cli" "$@" -no-color -input=false); }

# The h1: hash of every archive, for the lock of all platforms below.
expected_all=$(for p in $platforms; do h1_of_zip "$dist/terraform-provider-ncp_${version}_$p.zip"; done | sort)
platform_flags=$(for p in $platforms; do printf -- '-platform=%s ' "$p"; done)

start_emulator
tested=""
for cli in "$@"; do
	cli_version=$("$cli" version)
	cli_version=${cli_version%%$'\n'*}
	case " $tested " in *" $cli_version;"*) continue ;; esac # the same CLI given twice
	tested="$tested $cli_version;"
	case "$cli_version" in
	OpenTofu*) host=registry.opentofu.org ;;
	*) host=registry.terraform.io ;;
	esac
	dir="$work/$(echo "$cli_version" | tr -c 'A-Za-z0-9.\n' '-')"
	write_config "$dir"

	step "$cli_version: init from the mirror, pinned to = $version"
	tf init >"$dir/init.log" 2>&1 || { cat "$dir/init.log"; fail "init failed"; }
	grep -E "Installing ncp-community/ncp v$version|Installed ncp-community/ncp v$version" "$dir/init.log" || {
		cat "$dir/init.log"
		fail "init did not install ncp-community/ncp v$version"
	}
	! grep -qi "development overrides" "$dir/init.log" || fail "init reports provider development overrides"
	binary="$dir/.terraform/providers/$host/ncp-community/ncp/$version/$platform/terraform-provider-ncp_v$version"
	[ -x "$binary" ] || fail "$binary is not installed"

	step "$cli_version: lock file"
	hashes=$(lock_hashes "$dir" "$host")
	echo "$hashes"
	# From a filesystem mirror the CLIs record the h1: hash of what they
	# installed; zh: hashes come only from a registry's signed SHA256SUMS.
	h1=$(h1_of_zip "$dist/terraform-provider-ncp_${version}_$platform.zip")
	[ "$hashes" = "$h1" ] || fail "the lock file records [$(xargs <<<"$hashes")], not $h1, the hash of the $platform archive"
	grep -q "version *= \"$version\"" "$dir/.terraform.lock.hcl" || fail "the lock file does not record version $version"
	echo "ok: version $version and $h1, the hash of terraform-provider-ncp_${version}_$platform.zip"

	lock_dir="$dir-providers-lock"
	write_config "$lock_dir"
	(cd "$lock_dir" && "$cli" providers lock -no-color -fs-mirror="$mirror" -platform="$platform" >/dev/null) ||
		fail "providers lock -fs-mirror failed"
	[ "$(lock_hashes "$lock_dir" "$host")" = "$hashes" ] || {
		diff <(lock_hashes "$lock_dir" "$host") <(echo "$hashes") || true
		fail "providers lock -fs-mirror records other hashes than init"
	}
	echo "ok: providers lock -fs-mirror=... -platform=$platform records the same hashes"
	# A team on several platforms locks them all: each archive's hash.
	rm "$lock_dir/.terraform.lock.hcl"
	# shellcheck disable=SC2086 # one word per platform
	(cd "$lock_dir" && "$cli" providers lock -no-color -fs-mirror="$mirror" $platform_flags >/dev/null) ||
		fail "providers lock -fs-mirror for every platform failed"
	[ "$(lock_hashes "$lock_dir" "$host")" = "$expected_all" ] || fail "providers lock for every platform records other hashes than the archives'"
	echo "ok: providers lock for all $(wc -w <<<"$platforms") platforms records the hash of each archive"

	step "$cli_version: apply and destroy one key against the emulator"
	tf apply -auto-approve >"$dir/apply.log" 2>&1 || { cat "$dir/apply.log"; fail "apply failed"; }
	id=$(cd "$dir" && "$cli" output -raw id)
	[ "$(emulator_key_ids)" = "$id" ] || fail "after apply the emulator holds [$(emulator_key_ids | xargs)], not [$id]"
	echo "ok: the emulator holds key $id"
	tf destroy -auto-approve >"$dir/destroy.log" 2>&1 || { cat "$dir/destroy.log"; fail "destroy failed"; }
	[ -z "$(emulator_key_ids)" ] || fail "after destroy the emulator still holds [$(emulator_key_ids | xargs)]"
	echo "ok: destroyed; the emulator holds no key"
done

step "Installed, locked, applied and destroyed with:$(tr ';' ',' <<<"$tested" | sed 's/,$//')"

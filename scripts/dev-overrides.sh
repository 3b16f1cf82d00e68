#!/usr/bin/env bash
# Prints a Terraform CLI configuration whose dev_overrides make Terraform run
# providers from local directories instead of installing them: by default
# ncp-community/ncp from this repository's bin/ (where `make build` puts it),
# or each SOURCE=DIR given. It is the one writer of dev_overrides: the
# README, demo.sh, validate-examples.sh, the tests through the CLI
# (acctest.BuildProvider) and the bench all use it; point
# TF_CLI_CONFIG_FILE at what it prints. `terraform init` is not
# needed (nor wanted) for overridden providers; `direct {}` lets init fetch
# any others.
#
#   scripts/dev-overrides.sh [SOURCE=DIR ...] >cli.tfrc
set -euo pipefail

if [ $# -eq 0 ]; then
	set -- "ncp-community/ncp=$(cd "$(dirname "$0")/.." && pwd)/bin"
fi
echo 'provider_installation {'
echo '  dev_overrides {'
for override in "$@"; do
	case "$override" in
	*=*) printf '    "%s" = "%s"\n' "${override%%=*}" "${override#*=}" ;;
	*) echo "dev-overrides.sh: $override is not SOURCE=DIR" >&2 && exit 2 ;;
	esac
done
echo '  }'
echo '  direct {}'
echo '}'

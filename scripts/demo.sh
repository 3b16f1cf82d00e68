#!/usr/bin/env bash
# make demo: the provider's whole lifecycle against the bundled emulator, on
# loopback, with no NCP account. Expects `make build` to have filled bin/.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
bin="$root/bin"
# shellcheck source=scripts/emulator.sh
. "$root/scripts/emulator.sh" # $work, and the emulator, cleaned up on exit

step() { printf '\n\033[1m==> %s\033[0m\n' "$*"; }

export CHECKPOINT_DISABLE=1

# A product the web key subscribes to: it needs no approval.
product='[{"productId":"demoprod01","productName":"quickstart-weather","subscriptionCode":"PUBLIC","apis":[{"apiName":"forecast","stages":[{"stageName":"v1"}]}]}]'
export TF_VAR_product_id=demoprod01

step "Starting the NCP API Gateway emulator on a free loopback port, with one product"
start_emulator -products "$product"
echo "emulator: $NCP_APIGW_ENDPOINT"

# Terraform runs the provider built in bin/ instead of downloading it.
bash "$root/scripts/dev-overrides.sh" "ncp-community/ncp=$bin" >"$work/terraformrc"
export TF_CLI_CONFIG_FILE="$work/terraformrc"
cp "$root/examples/quickstart/main.tf" "$work/"
cd "$work"

tf() { terraform "$@" -no-color 2>&1 | grep -v -e 'Provider development overrides' -e 'The following provider' -e 'ncp-community/ncp in' -e 'skip terraform init' -e 'may not match' -e 'unexpected behavior' -e '^ *-'; }

step "terraform init"
terraform init -input=false -no-color >/dev/null 2>&1 || true # providers come from bin/; nothing to download
echo "using the provider from $bin"

step "terraform apply: three keys, one of them disabled, and the web key subscribed to a product"
tf apply -auto-approve -input=false | tail -n 12

step "The keys, as Terraform sees them (key values redacted)"
tf state show 'ncp_apigw_api_key.web'
tf output keys

step "The web key's subscription"
tf state show 'ncp_apigw_api_key_subscription.web[0]'
tf output web_subscriptions

step "Rotate the web key's primary key in place"
tf apply -auto-approve -input=false -var rotation=second | grep -E 'will be updated|primary_key|Apply complete' || true

step "A plan after the applies is empty"
if terraform plan -input=false -var rotation=second -detailed-exitcode -no-color >"$work/plan.txt" 2>&1; then echo "No changes."; else cat "$work/plan.txt"; exit 1; fi

step "terraform destroy"
tf destroy -auto-approve -input=false -var rotation=second | tail -n 2

left=$(emulator_key_ids | wc -l)
subscriptions=$(curl -sf "$emulator_url/_emulator/subscriptions" | grep -o '"total":[0-9]*' | cut -d: -f2 || echo "?")
echo "keys left in the emulator: $left; subscriptions: $subscriptions"
[ "$left" = "0" ] && [ "$subscriptions" = "0" ]

step "Done: created, subscribed, listed, rotated and destroyed without an NCP account"

#!/usr/bin/env bash
# make demo: the provider's whole lifecycle against the bundled emulator, on
# loopback, with no NCP account. Expects `make build` to have filled bin/.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
bin="$root/bin"
work=$(mktemp -d)
emulator_pid=""

cleanup() {
	if [ -n "$emulator_pid" ]; then
		kill "$emulator_pid" 2>/dev/null || true
		wait "$emulator_pid" 2>/dev/null || true
	fi
	rm -rf "$work"
}
trap cleanup EXIT

step() { printf '\n\033[1m==> %s\033[0m\n' "$*"; }

export CHECKPOINT_DISABLE=1
export NCLOUD_ACCESS_KEY="demo-access-key"
NCLOUD_SECRET_KEY="demo-$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')"
export NCLOUD_SECRET_KEY

# A product the web key subscribes to: it needs no approval.
product='[{"productId":"demoprod01","productName":"quickstart-weather","subscriptionCode":"PUBLIC","apis":[{"apiName":"forecast","stages":[{"stageName":"v1"}]}]}]'
export TF_VAR_product_id=demoprod01

step "Starting the NCP API Gateway emulator on a free loopback port, with one product"
"$bin/ncp-apigw-emulator" -listen 127.0.0.1:0 -addr-file "$work/addr" -products "$product" \
	-access-key "$NCLOUD_ACCESS_KEY" -secret-key "$NCLOUD_SECRET_KEY" >"$work/emulator.log" 2>&1 &
emulator_pid=$!
for _ in $(seq 100); do
	[ -s "$work/addr" ] && break
	sleep 0.1
done
[ -s "$work/addr" ] || { echo "the emulator did not start:"; cat "$work/emulator.log"; exit 1; }
base_url=$(cat "$work/addr")
export NCP_APIGW_ENDPOINT="$base_url/api/v1"
echo "emulator: $NCP_APIGW_ENDPOINT"

# Terraform runs the provider built in bin/ instead of downloading it.
cat >"$work/terraformrc" <<RC
provider_installation {
  dev_overrides {
    "ncp-community/ncp" = "$bin"
  }
  direct {}
}
RC
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

left=$(curl -sf "$base_url/_emulator/keys" | grep -o '"total":[0-9]*' | cut -d: -f2 || echo "?")
subscriptions=$(curl -sf "$base_url/_emulator/subscriptions" | grep -o '"total":[0-9]*' | cut -d: -f2 || echo "?")
echo "keys left in the emulator: $left; subscriptions: $subscriptions"
[ "$left" = "0" ] && [ "$subscriptions" = "0" ]

step "Done: created, subscribed, listed, rotated and destroyed without an NCP account"

# shellcheck shell=bash
# Sourced by the scripts that run Terraform against the bundled emulator
# (demo.sh, test-install.sh); expects `make build` to have filled bin/.
#
# Sourcing it makes a scratch directory, $work, and an EXIT trap that stops
# the emulator and removes $work. start_emulator starts bin/ncp-apigw-emulator
# on a free loopback port with fresh random credentials, logging to
# $work/emulator.log, passing it any arguments given (such as -products),
# and exports what the provider reads: NCLOUD_ACCESS_KEY,
# NCLOUD_SECRET_KEY and NCP_APIGW_ENDPOINT. It sets emulator_url, the base of
# the unsigned /_emulator/ control endpoints.

work=$(mktemp -d)
emulator_pid=""
emulator_url=""
trap 'stop_emulator; rm -rf "$work"' EXIT

start_emulator() {
	local bin
	bin="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)/bin"
	export NCLOUD_ACCESS_KEY="emulator-access-key"
	NCLOUD_SECRET_KEY="emulator-$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')"
	export NCLOUD_SECRET_KEY

	"$bin/ncp-apigw-emulator" -listen 127.0.0.1:0 -addr-file "$work/addr" \
		-access-key "$NCLOUD_ACCESS_KEY" -secret-key "$NCLOUD_SECRET_KEY" "$@" >"$work/emulator.log" 2>&1 &
	emulator_pid=$!
	for _ in $(seq 100); do
		[ -s "$work/addr" ] && break
		sleep 0.1
	done
	[ -s "$work/addr" ] || { echo "the emulator did not start:"; cat "$work/emulator.log"; return 1; }
	emulator_url=$(cat "$work/addr")
	export NCP_APIGW_ENDPOINT="$emulator_url/api/v1"
}

stop_emulator() {
	if [ -n "$emulator_pid" ]; then
		kill "$emulator_pid" 2>/dev/null || true
		wait "$emulator_pid" 2>/dev/null || true
		emulator_pid=""
	fi
}

# emulator_key_ids: the IDs of the keys the emulator holds, one a line. The
# control endpoint's answer includes key values, so only the IDs are kept.
emulator_key_ids() {
	local body
	body=$(curl -sf "$emulator_url/_emulator/keys") || { echo "the emulator's key list failed" >&2; return 1; }
	printf '%s' "$body" | { grep -o '"apiKeyId":"[^"]*"' || true; } | cut -d'"' -f4
}

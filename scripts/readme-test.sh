#!/usr/bin/env bash
# make readme-test: runs the README's section "Your own configuration against
# the emulator" as written, so that it cannot drift from what works. From
# that section it takes, in order:
#   ```sh blocks    the commands, run in one bash from the repository's root;
#   ```hcl blocks   whose first line is "# FILE": written to FILE where the
#                   commands have got to;
#   ```text blocks  output the sh block before them must print: each line,
#                   its spaces collapsed, must appear in that block's output,
#                   "..." standing for anything.
# Runs offline with terraform on PATH; needs the section's port free.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
section='## Your own configuration against the emulator'
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export CHECKPOINT_DISABLE=1
export TMPDIR="$work" # the README's mktemp -d lands here, and goes with it

# The script: the harness's own lines, then each sh block after a marker
# line, each hcl file as a heredoc. expect.N holds what sh block N prints.
awk -v section="$section" -v work="$work" '
	$0 == section { inside = 1; next }
	inside && /^## / { inside = 0 }
	!inside { next }
	/^```/ && !fence { fence = substr($0, 4); first = 1; n_lines = 0
		if (fence == "sh") { block++; print "echo \"@@readme-block " block "@@\"" }
		next }
	/^```$/ && fence {
		if (fence == "hcl" && file != "") print "READMEFILE"
		fence = ""; file = ""; next }
	fence == "sh" { print; next }
	fence == "hcl" {
		if (first && match($0, /^# [A-Za-z0-9_.-]+$/)) {
			file = substr($0, 3)
			print "cat >" file " <<'\''READMEFILE'\''"
		}
		first = 0
		if (file != "") print
		next }
	fence == "text" { print > (work "/expect." block); next }
' "$root/README.md" >"$work/body.sh"
[ -s "$work/body.sh" ] || { echo "readme-test: no section \"$section\" in README.md" >&2; exit 1; }

port=$(sed -n 's/.*-listen 127\.0\.0\.1:\([0-9]*\).*/\1/p' "$work/body.sh" | head -n1)
if [ -n "$port" ] && (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
	echo "readme-test: something already listens on 127.0.0.1:$port, the README's emulator port" >&2
	exit 1
fi

{
	echo 'set -euo pipefail'
	echo 'trap '\''kill $(jobs -p) 2>/dev/null || true'\'' EXIT # the emulator, if a step fails'
	cat "$work/body.sh"
} >"$work/readme.sh"

echo "readme-test: running $(grep -c '^echo "@@readme-block' "$work/readme.sh") command blocks of README.md's \"${section#\#\# }\""
status=0
(cd "$root" && bash "$work/readme.sh") >"$work/out.raw" 2>&1 || status=$?
# Terraform colours its output on a terminal only, but be sure.
sed 's/\x1b\[[0-9;]*m//g' "$work/out.raw" >"$work/out.log"
awk -v work="$work" '/^@@readme-block [0-9]+@@$/ { n = $2; sub(/@@$/, "", n); next } { print > (work "/out." n) }' \
	FS='readme-block ' "$work/out.log"

if [ "$status" -ne 0 ]; then
	echo "readme-test: the README's commands failed (exit $status):" >&2
	cat "$work/out.log" >&2
	exit 1
fi

squeeze() { tr -s ' \t' '  ' | sed 's/^ //; s/ $//'; }
failed=0
for expect in "$work"/expect.*; do
	[ -e "$expect" ] || continue
	n=${expect##*.}
	squeeze <"$work/out.$n" 2>/dev/null >"$work/got.$n" || : >"$work/got.$n"
	while IFS= read -r line; do
		line=$(printf '%s' "$line" | squeeze)
		[ -n "$line" ] || continue
		# The line as an extended regular expression, "..." matching anything.
		pattern=$(printf '%s' "$line" | sed 's/[][\.*^$(){}+?|/]/\\&/g; s/\\\.\\\.\\\./.*/g')
		if ! grep -qE -- "$pattern" "$work/got.$n"; then
			echo "readme-test: block $n did not print: $line" >&2
			failed=1
		fi
	done <"$expect"
	if [ "$failed" -ne 0 ]; then
		echo "readme-test: block $n printed:" >&2
		cat "$work/out.$n" >&2
		exit 1
	fi
done
echo "readme-test: ok, every command and the output shown with it"

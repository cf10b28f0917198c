#!/usr/bin/env bash
# Runs every fuzz target for SECONDS each, from the seed corpus (real logs
# and manifests) copied to a scratch corpus. Prints one line per target,
# "fuzz: TARGET: N runs, no crash" or the crash, and exits non-zero on a crash.
set -u
cd "$(dirname "$0")/../.."
seconds=${1:-60}
status=0
out=${OUT:-build}
for bin in "$out"/fuzz/fuzz_*; do
	[ -x "$bin" ] || continue
	name=${bin##*/fuzz_}
	work=$out/fuzz/corpus-$name
	mkdir -p "$work"
	cp -n tests/fuzz/corpus/"$name"/* "$work"/ 2>/dev/null
	log=$out/fuzz/$name.log
	if "$bin" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -dict=tests/fuzz/json.dict \
		-artifact_prefix="$out/fuzz/$name-" "$work" >"$log" 2>&1; then
		runs=$(grep -oE '^#[0-9]+' "$log" | tail -1 | tr -d '#')
		echo "fuzz: $name: ${runs:-0} runs, no crash"
	else
		echo "fuzz: $name: FAILED (see $log)"
		grep -E 'ERROR|SUMMARY|runtime error' "$log" | head -5
		status=1
	fi
done
exit $status

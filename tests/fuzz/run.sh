#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# Runs every fuzz target. With SECONDS, each target fuzzes for that long
# from its seed corpus (real logs and manifests) copied to a scratch corpus;
# with --seeds, each target runs every seed once (make test's regression
# check, a few seconds). Prints one line per target, "fuzz: TARGET: N runs,
# no crash" or the crash, and exits non-zero on a crash.
set -u
cd "$(dirname "$0")/../.."
seconds=${1:-60}
status=0
out=${OUT:-build}
for bin in "$out"/fuzz/fuzz_*; do
	[ -x "$bin" ] || continue
	name=${bin##*/fuzz_}
	seeds=tests/fuzz/corpus/$name
	log=$out/fuzz/$name.log
	if [ "$seconds" = --seeds ]; then
		# files, not the folder: libFuzzer runs each once and fuzzes nothing
		set -- "$seeds"/*
		"$bin" -rss_limit_mb=2048 -timeout=10 -artifact_prefix="$out/fuzz/$name-" "$@" \
			>"$log" 2>&1
		ok=$?
		runs=$#
	else
		work=$out/fuzz/corpus-$name
		mkdir -p "$work"
		cp -n "$seeds"/* "$work"/ 2>/dev/null
		"$bin" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
			-dict=tests/fuzz/json.dict -artifact_prefix="$out/fuzz/$name-" "$work" \
			>"$log" 2>&1
		ok=$?
		runs=$(grep -oE '^#[0-9]+' "$log" | tail -1 | tr -d '#')
	fi
	if [ "$ok" -eq 0 ]; then
		echo "fuzz: $name: ${runs:-0} runs, no crash"
	else
		echo "fuzz: $name: FAILED (see $log)"
		grep -E 'ERROR|SUMMARY|runtime error' "$log" | head -5
		status=1
	fi
done
exit $status

#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# The kernel matrix's run, inside a guest kernel (busybox sh) or on the host:
# every workload scenario traced with --threads and verified against its
# manifest, and every case of tests/e2e/lifecycle_facts.py traced (checked
# later, on the host). Results go to OUT, one file set per scenario or case.
#
#   guest.sh OUT CASES [DEVICE]
#
# CASES: one case a line, "NAME|TRACE-ARGS|COMMAND" (words split on spaces),
# with @LIFECYCLE@ for the test program. DEVICE: where to send OUT as base64 of a tar.gz
# between marker lines (the guest's second serial port).
# PROCLIFE, WORKLOAD, LIFECYCLE: the programs (default: on PATH);
# PROCLIFE_ARGS: more options for every trace (e.g. --mechanisms base).
out=$1 cases=$2 device=${3:-}
PROCLIFE=${PROCLIFE:-proclife}
WORKLOAD=${WORKLOAD:-proclife-workload}
LIFECYCLE=${LIFECYCLE:-lifecycle}
PROCLIFE_ARGS=${PROCLIFE_ARGS:-}
mkdir -p "$out" || exit 1
uname -r > "$out/kernel"

for s in $("$WORKLOAD" --list | awk '$1 != "all" { print $1 }'); do
	# shellcheck disable=SC2086 # words
	"$PROCLIFE" trace $PROCLIFE_ARGS --threads -f jsonl -o "$out/$s.jsonl" --force -- \
		"$WORKLOAD" "$s" --manifest "$out/$s.manifest.json" \
		> "$out/$s.trace-out" 2>&1 < /dev/null
	echo $? > "$out/$s.trace-status"
	"$PROCLIFE" verify "$out/$s.jsonl" "$out/$s.manifest.json" > "$out/$s.verify" 2>&1
	echo "$s: $(tail -n 1 "$out/$s.verify")"
done

while IFS='|' read -r name args cmd; do
	[ -n "$name" ] || continue
	# shellcheck disable=SC2086 # words, as the cases file gives them
	set -- $(echo "$cmd" | sed "s|@LIFECYCLE@|$LIFECYCLE|g")
	# a case's own --mechanisms holds the column's too (matrix.py)
	case " $args " in
	*" --mechanisms "*) given=$(echo "$PROCLIFE_ARGS" | sed 's/--mechanisms [^ ]*//') ;;
	*) given=$PROCLIFE_ARGS ;;
	esac
	# shellcheck disable=SC2086
	"$PROCLIFE" trace $given -f jsonl -o "$out/case-$name.jsonl" --force $args -- "$@" \
		> "$out/case-$name.out" 2> "$out/case-$name.err" < /dev/null
	echo $? > "$out/case-$name.trace-status"
	echo "case $name: traced ($(cat "$out/case-$name.trace-status"))"
done < "$cases"

if [ -n "$device" ]; then
	echo "proclife-matrix-begin" > "$device"
	tar -C "$out" -czf - . | base64 > "$device"
	echo "proclife-matrix-end" > "$device"
fi

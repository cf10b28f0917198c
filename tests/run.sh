#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# Runs every test: the unit tests (cmocka, no root needed), the fuzz targets
# over their seeds, the end-to-end tests (pytest, as root, on the real
# kernel) and the kernel matrix. Arguments name end-to-end tests to run
# alone. Ends with one line that adds them up:
# "total: N passed, N failed, N skipped".
set -u
cd "$(dirname "$0")/.."

passed=0 failed=0 skipped=0
PYTHON=/usr/bin/python3 # Debian's, which has python3-pytest
OUT=${OUT:-build}
export PROCLIFE_BUILD=$OUT

for t in "$OUT"/tests/test_*; do
	[ -x "$t" ] || continue
	out=$("$t" 2>&1)
	status=$?
	printf '%s\n' "$out"
	p=$(printf '%s\n' "$out" | sed -n 's/^\[  PASSED  \] \([0-9]*\) test.*/\1/p' | tail -1)
	f=$(printf '%s\n' "$out" | sed -n 's/^\[  FAILED  \] \([0-9]*\) test.*/\1/p' | tail -1)
	passed=$((passed + ${p:-0}))
	failed=$((failed + ${f:-0}))
	# a crash or a failure cmocka did not count still counts as one
	if [ "$status" -ne 0 ] && [ "${f:-0}" -eq 0 ]; then
		echo "FAILED: $t exited with status $status"
		failed=$((failed + 1))
	fi
done

# the fuzz targets over their seed corpus, a regression check (a line
# each); make fuzz fuzzes for longer
if [ -x "$OUT/fuzz/fuzz_replay" ]; then
	fuzz=$(OUT=$OUT ./tests/fuzz/run.sh --seeds)
	printf '%s\n' "$fuzz"
	passed=$((passed + $(printf '%s\n' "$fuzz" | grep -c 'no crash')))
	failed=$((failed + $(printf '%s\n' "$fuzz" | grep -c 'FAILED')))
fi

# the BPF side builds for every architecture it ships kernel types for
if [ $# -eq 0 ]; then
	for a in $(ls vmlinux); do
		if make --no-print-directory BPF_ARCH="$a" OUT="$OUT/bpf-$a" "$OUT/bpf-$a/bpf/proclife.o" \
			>/dev/null; then
			echo "bpf: builds for $a"
			passed=$((passed + 1))
		else
			echo "FAILED: the BPF side does not build for $a"
			failed=$((failed + 1))
		fi
	done
fi

# adds the counts of pytest's summary line in file $1 to the totals
tally() {
	local summary
	summary=$(grep -E '[0-9]+ (passed|failed|skipped|errors?)' "$1" | tail -1)
	count() { printf '%s\n' "$summary" | grep -oE "[0-9]+ $1" | grep -oE '[0-9]+' || echo 0; }
	passed=$((passed + $(count passed)))
	failed=$((failed + $(count failed) + $(count 'errors?')))
	skipped=$((skipped + $(count skipped)))
}

pytest() {
	"$PYTHON" -m pytest -p no:cacheprovider -q -rfEs "$@"
}

# the whole suite (no tests named), as root, without sanitizers: the soak,
# the zombies' hash and the kernel matrix too
whole=
[ $# -eq 0 ] && [ -z "${SANITIZE:-}" ] && [ "$(id -u)" -eq 0 ] && whole=1

# Two runs side by side, as most of a test's time is spent waiting (for the
# verifier, for a zombie held on purpose): every other test, and beside them
# the tests of zombies again, in the tracer make test builds with a single
# zombie slot (so the zombies' hash, which the slots leave to rare pid
# collisions, is tested too), then the soak
if [ -n "$whole" ]; then
	hash_log=$(mktemp)
	soak_log=$(mktemp)
	(
		if [ -x "$OUT/hash-zombies/proclife" ]; then
			PROCLIFE_TRACER="$OUT/hash-zombies/proclife" pytest \
				tests/e2e/test_workload_verify.py tests/e2e/test_trace_events.py \
				tests/e2e/test_trace_lifecycle.py >"$hash_log" 2>&1
		else
			echo "FAILED: no single-slot tracer at $OUT/hash-zombies/proclife: 1 error" \
				>"$hash_log"
		fi
		pytest tests/e2e/test_soak.py >"$soak_log" 2>&1
	) &
	side=$!
	set -- --ignore=tests/e2e/test_soak.py
fi

e2e_log=$(mktemp)
pytest tests/e2e "$@" 2>&1 | tee "$e2e_log"
tally "$e2e_log"
rm -f "$e2e_log"

if [ -n "$whole" ]; then
	wait "$side"
	echo "== zombies in the hash (BPF_DEFS=-DZOMBIE_SLOTS=1) =="
	cat "$hash_log"
	tally "$hash_log"
	echo "== soak =="
	cat "$soak_log"
	tally "$soak_log"
	rm -f "$hash_log" "$soak_log"
fi

# the kernel matrix: Debian's 5.10, 6.1 and 6.12 booted under qemu, and this
# kernel (each scenario and lifecycle case on each kernel counts as a test);
# PROCLIFE_KERNELS=none leaves it out, saying so
if [ -n "$whole" ]; then
	if [ "${PROCLIFE_KERNELS:-}" = none ]; then
		echo "== kernel matrix: left out (PROCLIFE_KERNELS=none) =="
		skipped=$((skipped + 1))
	else
		echo "== kernel matrix =="
		matrix=$(PROCLIFE_BUILD="$OUT" "$PYTHON" tests/kernels/matrix.py \
			${PROCLIFE_KERNELS:+--suites "$PROCLIFE_KERNELS"} 2>&1)
		printf '%s\n' "$matrix"
		line=$(printf '%s\n' "$matrix" | grep -E '^kernel matrix: [0-9]+ passed' | tail -1)
		if [ -n "$line" ]; then
			passed=$((passed + $(echo "$line" | sed 's/.*: \([0-9]*\) passed.*/\1/')))
			failed=$((failed + $(echo "$line" | sed 's/.* \([0-9]*\) failed.*/\1/')))
			skipped=$((skipped + $(echo "$line" | sed 's/.* \([0-9]*\) skipped.*/\1/')))
		else
			echo "FAILED: the kernel matrix gave no verdict"
			failed=$((failed + 1))
		fi
	fi
fi

echo "total: $passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]

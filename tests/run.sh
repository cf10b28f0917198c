#!/usr/bin/env bash
# Runs every test: the unit tests (cmocka, no root needed) and the end-to-end
# tests (pytest, as root, on the real kernel). Ends with one line that adds
# them up: "total: N passed, N failed, N skipped".
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

# pytest over the end-to-end tests given; adds its counts to the totals
e2e() {
	local out summary
	out=$(mktemp)
	"$PYTHON" -m pytest -p no:cacheprovider -q -rfEs "$@" 2>&1 | tee "$out"
	summary=$(grep -E '[0-9]+ (passed|failed|skipped|errors?)' "$out" | tail -1)
	rm -f "$out"
	count() { printf '%s\n' "$summary" | grep -oE "[0-9]+ $1" | grep -oE '[0-9]+' || echo 0; }
	passed=$((passed + $(count passed)))
	failed=$((failed + $(count failed) + $(count 'errors?')))
	skipped=$((skipped + $(count skipped)))
}

e2e tests/e2e "$@"

# the zombies' hash, which their slots leave to rare pid collisions, takes
# every zombie but one in a tracer built with a single slot
if [ $# -eq 0 ] && [ -z "${SANITIZE:-}" ] && [ "$(id -u)" -eq 0 ]; then
	echo "== zombies in the hash (BPF_DEFS=-DZOMBIE_SLOTS=1) =="
	if make --no-print-directory -j2 OUT="$OUT/hash-zombies" BPF_DEFS=-DZOMBIE_SLOTS=1 \
		"$OUT/hash-zombies/proclife" >/dev/null; then
		PROCLIFE_TRACER="$OUT/hash-zombies/proclife" e2e tests/e2e/test_workload_verify.py \
			tests/e2e/test_trace_events.py tests/e2e/test_trace_lifecycle.py
	else
		echo "FAILED: building the single-slot tracer"
		failed=$((failed + 1))
	fi
fi

# the kernel matrix: Debian's 5.10, 6.1 and 6.12 booted under qemu, and this
# kernel (each scenario and lifecycle case on each kernel counts as a test);
# PROCLIFE_KERNELS=none leaves it out, saying so
if [ $# -eq 0 ] && [ -z "${SANITIZE:-}" ] && [ "$(id -u)" -eq 0 ]; then
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
		else
			echo "FAILED: the kernel matrix gave no verdict"
			failed=$((failed + 1))
		fi
	fi
fi

echo "total: $passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]

# SPDX-License-Identifier: BSD-2-Clause
"""Long runs: under continuous process churn the tracer's memory and open
files stay flat, and pids that wrap past pid_max never merge two lives.
`make soak` runs this for 10 minutes; `make test` for 60 seconds."""
import json
import os
import subprocess
import time

import pytest

from conftest import PROCLIFE, WORKLOAD, assert_eq, needs_root, wait_attached

pytestmark = needs_root
SECONDS = int(os.environ.get("PROCLIFE_SOAK_SECONDS", "60"))


def sample(pid):
    rss = 0
    for line in open(f"/proc/{pid}/status"):
        if line.startswith("VmRSS:"):
            rss = int(line.split()[1])
    return rss, len(os.listdir(f"/proc/{pid}/fd"))


def test_memory_and_files_stay_flat_under_churn():
    # the tracer follows its own command, a loop of storms (one storm stops
    # at its table's size), so what the other tests run beside it in make
    # test never reaches its model: its memory is the churn's alone
    loop = (f'end=$(($(date +%s) + {SECONDS})); '
            f'while [ "$(date +%s)" -lt "$end" ]; do '
            f'"{WORKLOAD}" storm --seconds "$((end - $(date +%s) + 1))" || exit 1; done')
    tracer = subprocess.Popen([PROCLIFE, "trace", "-f", "jsonl", "-o", "/dev/null", "--",
                               "sh", "-c", loop], stdout=subprocess.DEVNULL,
                              stderr=subprocess.PIPE, text=True, stdin=subprocess.DEVNULL)
    wait_attached(tracer)
    samples = []
    try:
        while tracer.poll() is None:
            samples.append(sample(tracer.pid))
            time.sleep(2)
    except FileNotFoundError:
        pass  # it ended between the poll and the sample
    finally:
        tracer.communicate(timeout=SECONDS + 60)
    assert_eq("tracer exit status", 0, tracer.returncode)
    assert len(samples) >= 10, f"too few samples: {samples}"
    # after start-up, and before the last sample, which may have caught the
    # tracer closing its descriptors once the command had ended
    warm = samples[len(samples) // 5:-1]
    half = len(warm) // 2
    first, second = max(r for r, _ in warm[:half]), max(r for r, _ in warm[half:])
    print(f"soak {SECONDS}s: RSS KiB first half max {first}, second half max {second}, "
          f"fds {sorted({f for _, f in samples})}")
    # AddressSanitizer holds freed memory in quarantine: RSS is not the tracer's then
    if not os.environ.get("SANITIZE"):
        assert second <= first + 2048, f"RSS grew: {first} KiB -> {second} KiB ({samples})"
    assert_eq("open files over the run", 1, len({f for _, f in warm}))


def test_pid_wrap_never_merges_lives(tmp_path):
    pid_max = int(open("/proc/sys/kernel/pid_max").read())
    if pid_max > 65536:
        pytest.skip(f"pid_max is {pid_max}: a storm past it would take too long here")
    n = pid_max + 5000  # every pid is handed out again at least once
    log, manifest = tmp_path / "wrap.jsonl", tmp_path / "wrap.json"
    r = subprocess.run([PROCLIFE, "trace", "-f", "jsonl", "-o", str(log), "--", WORKLOAD,
                        "storm", "-n", str(n), "--manifest", str(manifest)],
                       capture_output=True, text=True, timeout=900, stdin=subprocess.DEVNULL)
    assert_eq(f"trace exit status ({r.stderr[-500:]})", 0, r.returncode)
    procs = json.loads(manifest.read_text())["runs"][0]["procs"]
    pids = [p["pid"] for p in procs]
    assert len(pids) > len(set(pids)), "no pid was reused: the wrap did not happen"
    v = subprocess.run([PROCLIFE, "verify", str(log), str(manifest)], capture_output=True,
                       text=True, timeout=600)
    assert v.stdout.rstrip().endswith(" 0 differ"), f"verify:\n{v.stdout[-3000:]}"

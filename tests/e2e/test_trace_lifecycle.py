# SPDX-License-Identifier: BSD-2-Clause
"""How a trace begins and ends: what it names at the end, and SIGUSR1."""
import signal
import subprocess
import time

from conftest import LIFECYCLE, PROCLIFE, assert_eq, needs_root, trace, wait_attached

pytestmark = needs_root


def test_processes_left_running_are_named_in_the_trailer(tmp_path):
    # the command exits at once, leaving a sleeping child behind (which must
    # not hold the tracer's stderr: trace() reads it to its end)
    t = trace(tmp_path, ["sh", "-c", "sleep 30 2>/dev/null & echo left=$!"])
    left = t.pid("left")
    try:
        alive = t.events[-1]["alive"]
        assert_eq("processes alive at the end", [left], [a["pid"] for a in alive])
        assert_eq("their command", "sleep", alive[0]["comm"])
    finally:
        subprocess.run(["kill", str(left)])


def test_sigusr1_prints_the_tree_while_running(tmp_path):
    gate = subprocess.Popen([LIFECYCLE, "gate", "0"], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, text=True)
    assert gate.stdout.readline().startswith("self=")
    tracer = subprocess.Popen([PROCLIFE, "trace", "-p", str(gate.pid), "--no-summary"],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        wait_attached(tracer)
        tracer.send_signal(signal.SIGUSR1)
        # the tree comes on stdout while the tracer keeps running
        deadline = time.monotonic() + 10
        line = ""
        while time.monotonic() < deadline:
            line = tracer.stdout.readline()
            if line.startswith(f"{gate.pid} "):
                break
        assert line.startswith(f"{gate.pid} lifecycle"), f"no tree root line, last: {line!r}"
        assert tracer.poll() is None, "the tracer stopped after SIGUSR1"
    finally:
        gate.communicate("go\n", timeout=30)
        tracer.send_signal(signal.SIGINT)
        tracer.communicate(timeout=30)
    assert_eq("tracer exit status", 0, tracer.returncode)

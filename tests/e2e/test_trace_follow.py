# SPDX-License-Identifier: BSD-2-Clause
"""-p follows one existing process and its descendants, and nothing else."""
import json
import signal
import subprocess

import pytest

from conftest import (LIFECYCLE, PROCLIFE, assert_eq, kill_if_running, needs_root, read_log,
                      roles, wait_attached)

pytestmark = needs_root


def start_gate(code):
    """A process that forks a child exiting with `code` once it reads a line."""
    p = subprocess.Popen([LIFECYCLE, "gate", str(code)], stdin=subprocess.PIPE,
                         stdout=subprocess.PIPE, text=True)
    line = p.stdout.readline()
    assert line.startswith("self="), f"gate did not start: {line!r}"
    return p


def release(p):
    out, _ = p.communicate("go\n", timeout=30)
    assert_eq("gate's exit status", 0, p.returncode)
    return roles(out)


def test_p_follows_only_its_subtree(tmp_path):
    followed, other = start_gate(5), start_gate(6)
    log = tmp_path / "follow.jsonl"
    tracer = subprocess.Popen([PROCLIFE, "trace", "-f", "jsonl", "-o", str(log), "-p",
                               str(followed.pid)], stderr=subprocess.PIPE, text=True)
    try:
        wait_attached(tracer)
        child_of_followed = release(followed)["child"][0]
        child_of_other = release(other)["child"][0]
    finally:
        tracer.send_signal(signal.SIGINT)
        _, err = tracer.communicate(timeout=30)
    assert_eq(f"tracer exit status (stderr: {err})", 0, tracer.returncode)
    events = read_log(log)
    pids = {e.get("pid") for e in events if e["ev"] not in ("header", "trailer")}
    assert child_of_followed in pids, f"the followed process's child {child_of_followed} is missing"
    assert followed.pid in pids, f"the followed process {followed.pid} is missing"
    assert_eq("events about the other subtree", set(), pids & {other.pid, child_of_other})
    fork = [e for e in events if e["ev"] == "fork" and e["pid"] == child_of_followed]
    assert_eq("forks of the followed child", 1, len(fork))
    assert_eq("its parent", followed.pid, fork[0]["ppid"])
    ex = [e for e in events if e["ev"] == "exit" and e["pid"] == child_of_followed]
    assert_eq("its exit code", 5, ex[0]["code"] if ex else None)
    assert_eq("last line after SIGINT", "trailer", events[-1]["ev"])


def test_a_wait_begun_before_tracing_is_still_a_wait(tmp_path):
    # the parent is blocked in waitpid before the tracer attaches
    p = subprocess.Popen([LIFECYCLE, "wait-first", "4"], stdin=subprocess.PIPE,
                         stdout=subprocess.PIPE, text=True)
    assert p.stdout.readline().startswith("self=")
    child = int(p.stdout.readline().split("=")[1])
    log = tmp_path / "t.jsonl"
    tracer = subprocess.Popen([PROCLIFE, "trace", "-f", "jsonl", "-o", str(log), "-p",
                               str(p.pid)], stderr=subprocess.PIPE, text=True)
    try:
        wait_attached(tracer)
        p.communicate("go\n", timeout=30)
    finally:
        tracer.send_signal(signal.SIGINT)
        tracer.communicate(timeout=30)
    reaps = [e for e in read_log(log) if e["ev"] == "reap" and e["pid"] == child]
    assert_eq("reaps of the child", 1, len(reaps))
    assert_eq("reaper", p.pid, reaps[0]["reaper"])
    assert_eq("seen at the wait, not inferred from the free", False, reaps[0]["inferred"])
    assert_eq("status from the zombie record", 4 << 8, reaps[0]["status"])


def test_p_ends_once_the_process_and_its_descendants_have(tmp_path):
    gate = start_gate(3)
    log = tmp_path / "t.jsonl"
    tracer = subprocess.Popen([PROCLIFE, "trace", "-f", "jsonl", "-o", str(log), "-p",
                               str(gate.pid)], stderr=subprocess.PIPE, text=True)
    try:
        wait_attached(tracer)
        release(gate)  # its child exits, it reaps it, exits, and is reaped here
        _, err = tracer.communicate(timeout=30)
    finally:
        kill_if_running(tracer)
    assert_eq(f"tracer exit status ({err})", 0, tracer.returncode)
    assert f"process {gate.pid} and its descendants have all ended" in err, err
    events = read_log(log)
    assert_eq("the followed process's reap", 1,
              len([e for e in events if e["ev"] == "reap" and e["pid"] == gate.pid]))
    assert_eq("last line", "trailer", events[-1]["ev"])


def test_a_pid_handed_on_outside_the_subtree_is_not_followed(tmp_path):
    # the kernel may give a followed process's pid to another process as soon
    # as it is reaped, before its free: that one is not followed
    p = subprocess.Popen([LIFECYCLE, "reuse-outside", "20"], stdin=subprocess.PIPE,
                         stdout=subprocess.PIPE, text=True)
    log = tmp_path / "t.jsonl"
    tracer = None
    try:
        followed = int(p.stdout.readline().split("=")[1])
        tracer = subprocess.Popen([PROCLIFE, "trace", "-f", "jsonl", "-o", str(log), "-p",
                                   str(followed)], stderr=subprocess.PIPE, text=True)
        wait_attached(tracer)
        out, _ = p.communicate("go\n", timeout=60)
    finally:
        kill_if_running(p)
        if tracer:
            tracer.send_signal(signal.SIGINT)
            tracer.communicate(timeout=30)
    assert_eq("the program's exit status", 0, p.returncode)
    reused = roles(out)["reused"][0]
    if reused == 0:
        pytest.skip("no pid was handed on at once (other processes took them first)")
    events = read_log(log)
    exits = [e for e in events if e["ev"] == "exit" and not e["thread"]]
    assert_eq("exits of the outsider's children (code 42)", [],
              [e for e in exits if e.get("code") == 42])
    assert_eq("exits of the followed process's children (code 7)", 20,
              len([e for e in exits if e.get("code") == 7]))
    reaps = [e for e in events if e["ev"] == "reap" and e["pid"] != followed]
    assert_eq("reapers of the reaped children", {followed}, {e["reaper"] for e in reaps})
    assert_eq("reaps of them", 20, len(reaps))


def test_a_sibling_the_command_makes_is_followed(tmp_path):
    """clone(CLONE_PARENT) makes the command's child its sibling, a child
    of the tracer: it is followed all the same (in the tree beside its
    maker, in the counts), named as still running when the trace ends
    before it, and reaped by the tracer once it ends."""
    r = subprocess.run([PROCLIFE, "trace", "--tree", "--", LIFECYCLE, "clone-parent", "1500"],
                       capture_output=True, text=True, timeout=60)
    assert_eq(f"exit status ({r.stderr})", 0, r.returncode)
    sibling = roles(r.stdout)["sibling"][0]
    tree = r.stdout[r.stdout.index("== process tree"):r.stdout.index("== summary")]
    assert f"{sibling} lifecycle" in tree and "(CLONE_PARENT)" in tree, tree
    assert "processes: 2 forks" in r.stdout, r.stdout
    alive = r.stdout[r.stdout.index("still alive"):].split("\n\n")[0]
    assert_eq("still alive", [sibling], [int(l.split()[0]) for l in alive.splitlines()[2:]])
    # waiting for it: its end, and the tracer's reap of it
    r = subprocess.run([PROCLIFE, "trace", "--wait-descendants", "-f", "jsonl", "-o", "-", "--",
                        LIFECYCLE, "clone-parent", "300"],
                       capture_output=True, text=True, timeout=60)
    assert_eq(f"exit status ({r.stderr})", 0, r.returncode)
    events = [json.loads(l) for l in r.stdout.splitlines()]
    sibling = next(e["pid"] for e in events if e["ev"] == "fork" and e.get("creator"))
    reaps = [e for e in events if e["ev"] == "reap" and e["pid"] == sibling]
    assert_eq("its reap", 1, len(reaps))
    assert_eq("the trailer's alive list", [], events[-1]["alive"])

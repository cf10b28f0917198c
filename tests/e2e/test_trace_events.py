# SPDX-License-Identifier: BSD-2-Clause
"""The tracer's events against small programs whose every fact is known."""
import os
import subprocess

import pytest

from conftest import LIFECYCLE, PROCLIFE, assert_eq, needs_root, read_log, trace
from lifecycle_facts import CASES

pytestmark = needs_root


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_lifecycle_facts(tmp_path, case):
    """Each pattern's facts (lifecycle_facts.py), on this kernel."""
    if case.check(trace(tmp_path, case.command(LIFECYCLE), *case.trace_args)) == "n/a":
        pytest.skip("this kernel has no such pattern")


def test_the_command_is_the_tracers_child(tmp_path):
    t = trace(tmp_path, [LIFECYCLE, "fork-exit", "0"])
    top = t.one("fork", comm="proclife")
    assert_eq("tracer as parent of the command", os.getpid() != top["ppid"], True)


def test_log_has_header_and_trailer(tmp_path):
    t = trace(tmp_path, [LIFECYCLE, "exit", "0"])
    head, tail = t.events[0], t.events[-1]
    assert_eq("first line", "header", head["ev"])
    assert_eq("format", "proclife-events", head["format"])
    assert_eq("version", 2, head["version"])
    assert_eq("the command, word by word", [LIFECYCLE, "exit", "0"], head["options"]["command"])
    assert_eq("last line", "trailer", tail["ev"])
    assert_eq("lost events", 0, tail["lost_total"])
    for e in t.events[1:-1]:
        if e["ev"] in ("follow", "lost"):
            continue
        for key in ("ev", "ts", "pid", "tid", "start", "comm"):
            assert key in e, f"event without '{key}': {e}"


def proc_facts(pid):
    """what /proc says of pid, as a proc line says it"""
    with open(f"/proc/{pid}/stat") as f:
        stat = f.read()
    rest = stat[stat.rindex(")") + 2:].split()
    with open(f"/proc/{pid}/status") as f:
        status = dict(line.split(":", 1) for line in f if ":" in line)
    with open(f"/proc/{pid}/cgroup") as f:
        cgroup = next(line[3:].strip() for line in f if line.startswith("0::"))
    with open(f"/proc/{pid}/comm") as f:
        comm = f.read().rstrip("\n")
    uid, euid = (int(v) for v in status["Uid"].split()[:2])
    return {"comm": comm, "ppid": int(rest[1]), "nice": int(rest[16]), "uid": uid,
            "euid": euid, "gid": int(status["Gid"].split()[0]), "cgroup": cgroup}


@pytest.mark.parametrize("who", ["init", "this test"])
def test_a_process_alive_at_the_start_is_listed_as_proc_says(tmp_path, who):
    """Pid 1 too, which some kernels' task iterator never lists: every fact
    of its line is /proc's, none written as a zero it does not know"""
    pid = 1 if who == "init" else os.getpid()
    expected = proc_facts(pid)
    log = tmp_path / "t.jsonl"
    r = subprocess.run([PROCLIFE, "trace", "-f", "jsonl", "-o", str(log), "-d", "0.2"],
                       capture_output=True, text=True, timeout=120, stdin=subprocess.DEVNULL)
    assert_eq(f"exit status ({r.stderr})", 0, r.returncode)
    (line,) = [e for e in read_log(log) if e["ev"] == "proc" and e["pid"] == pid]
    got = {k: line.get(k) for k in expected}
    got["euid"] = line.get("euid", line.get("uid"))  # written where it differs
    assert_eq(f"pid {pid}'s proc line against /proc", expected, got)

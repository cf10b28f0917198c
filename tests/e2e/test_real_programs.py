# SPDX-License-Identifier: BSD-2-Clause
"""Programs no one here wrote, traced end to end; the log is held to the
invariants every faithful trace obeys, checked here independently of the
tracer's own model."""
import os
import shutil

import pytest

from conftest import assert_eq, needs_root, trace

pytestmark = needs_root
HERE = os.path.dirname(os.path.abspath(__file__))
PYTHON = "/usr/bin/python3"


def invariants(events):
    """Every violation of the invariants, as sentences."""
    bad = []
    body = [e for e in events if e["ev"] not in ("header", "trailer", "follow", "lost")]
    trailer = events[-1]
    alive = {(a["pid"], a["start"]) for a in trailer.get("alive", [])}
    known = {(e["pid"], e["start"]) for e in body if e["ev"] == "proc"}
    known_pids = {e["pid"] for e in body if e["ev"] == "proc"}
    forks, exits, reaps, adopted, zombies = {}, set(), {}, set(), {}
    for e in body:
        ident = (e["pid"], e["start"])
        if e["ev"] == "fork" and not e["thread"]:
            if e["ppid"] not in known_pids:
                bad.append(f"pid {e['pid']} ({e['comm']}) forked by unknown parent {e['ppid']}")
            forks[ident] = e
            known.add(ident)
            known_pids.add(e["pid"])
        elif e["ev"] == "exit" and e["group_dead"]:
            exits.add(ident)
        elif e["ev"] == "reap":
            reaps[ident] = e
        elif e["ev"] == "reparent" and e["adopter"] != "thread":
            adopted.add(ident)
        elif e["ev"] == "zombie":
            zombies[ident] = e
    root = next((e["pid"] for e in events if e["ev"] == "follow"), None)
    for ident, f in forks.items():
        what = f"pid {ident[0]} ({f['comm']})"
        if ident in alive:
            continue
        if ident not in exits:
            bad.append(f"{what}: forked, never exited, not listed alive")
        elif ident not in reaps and ident not in adopted and ident[0] != root:
            bad.append(f"{what}: exited, neither reaped nor adopted")
    for ident, z in zombies.items():
        if ident not in reaps and ident not in alive and ident not in adopted:
            bad.append(f"pid {ident[0]} ({z['comm']}): a zombie of {z['parent']} never reaped")
    for ident, r in reaps.items():
        if r.get("unmatched"):
            continue
        if ident not in forks and ident not in known:
            bad.append(f"pid {ident[0]}: reaped but never seen born")
    if trailer.get("lost_total"):
        bad.append(f"{trailer['lost_total']} records lost")
    return bad


def check(tmp_path, command, *args, expect_forks=1):
    t = trace(tmp_path, command, *args, timeout=120)
    bad = invariants(t.events)
    assert not bad, "invariants broken:\n" + "\n".join(bad[:50])
    forks = [e for e in t.events if e["ev"] == "fork" and not e["thread"]]
    assert len(forks) >= expect_forks, f"expected at least {expect_forks} forks, got {len(forks)}"
    return t


@pytest.mark.parametrize("program,forks", [
    ("seed_fork_wait.py", 2), ("seed_waitpid_nohang.py", 2), ("seed_double_fork.py", 3),
    ("seed_orphan_zombie.py", 2), ("mp_process.py", 4), ("mp_daemon.py", 2), ("mp_pool.py", 4),
])
def test_python(tmp_path, program, forks):
    t = check(tmp_path, [PYTHON, os.path.join(HERE, "programs", program)], expect_forks=forks)
    assert_eq("the program's own exit status", 0, t.events[-1]["exit_status"])


def test_python_daemon_is_killed_by_its_parent(tmp_path):
    t = check(tmp_path, [PYTHON, os.path.join(HERE, "programs", "mp_daemon.py")], expect_forks=2)
    top = t.one("fork", comm="proclife")["pid"]
    daemon = [e for e in t.events if e["ev"] == "fork" and e["ppid"] == top]
    assert_eq("daemonic children", 1, len(daemon))
    ex = t.one("exit", pid=daemon[0]["pid"])
    assert_eq("the daemon's end", "SIGTERM", ex.get("signame"))
    assert_eq("reaped by its parent", top, t.one("reap", pid=daemon[0]["pid"])["reaper"])


def test_python_pool_forks_only_its_workers(tmp_path):
    t = check(tmp_path, [PYTHON, os.path.join(HERE, "programs", "mp_pool.py")], expect_forks=4)
    top = t.one("fork", comm="proclife")["pid"]
    workers = [e for e in t.events if e["ev"] == "fork" and e["ppid"] == top and not e["thread"]]
    assert_eq("worker processes for 40 tasks", 3, len(workers))


def test_shell_pipeline(tmp_path):
    t = check(tmp_path, ["sh", "-c", "seq 1000 | sort -r | head -3 | wc -l"], expect_forks=5)
    names = {e["comm"] for e in t.events if e["ev"] == "exec"}
    assert {"seq", "sort", "head", "wc"} <= names, f"pipeline commands exec'd: {names}"


@pytest.mark.skipif(not shutil.which("stress-ng"), reason="stress-ng is not installed")
@pytest.mark.parametrize("stressor", ["zombie", "fork"])
def test_stress_ng(tmp_path, stressor):
    t = check(tmp_path, ["stress-ng", f"--{stressor}", "2", "--timeout", "2s", "--quiet"],
              expect_forks=100)
    assert_eq("stress-ng exit status", 0, t.events[-1]["exit_status"])
    if stressor == "zombie":
        assert len(t.of("zombie")) >= 100, "stress-ng --zombie made few zombies"


def test_invariants_can_fail():
    """The checker itself: a log with a fact missing is caught."""
    def ev(kind, pid, **kw):
        return dict(ev=kind, ts=1, pid=pid, tid=pid, start=pid * 10, comm="x", **kw)
    good = [{"ev": "header"}, ev("proc", 1, ppid=0),
            ev("fork", 5, ppid=1, thread=False), ev("exit", 5, group_dead=True, status=0),
            ev("zombie", 5, parent=1), ev("reap", 5, reaper=1),
            {"ev": "trailer", "alive": [], "lost_total": 0}]
    assert_eq("a complete log", [], invariants(good))
    no_reap = [e for e in good if e["ev"] != "reap"]
    assert len(invariants(no_reap)) == 2, invariants(no_reap)
    orphan_parent = [dict(e, ppid=9) if e["ev"] == "fork" else e for e in good]
    assert "unknown parent" in invariants(orphan_parent)[0]
    lossy = good[:-1] + [{"ev": "trailer", "alive": [], "lost_total": 3}]
    assert_eq("losses", ["3 records lost"], invariants(lossy))

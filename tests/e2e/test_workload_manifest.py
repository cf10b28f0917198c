# SPDX-License-Identifier: BSD-2-Clause
"""proclife-workload on its own: every scenario runs, leaves nothing behind,
and writes a manifest that agrees with itself. No tracer involved.

The binary is the build's proclife-workload (see conftest), or $PROCLIFE_WORKLOAD.
"""
import json
import os
import shutil
import signal
import subprocess
import tempfile
import time
from pathlib import Path

import pytest

from conftest import WORKLOAD as BUILT_WORKLOAD, assert_eq

WORKLOAD = os.environ.get("PROCLIFE_WORKLOAD", BUILT_WORKLOAD)
IS_ROOT = os.geteuid() == 0
NEEDS_ROOT = {"pid-reuse", "pidns", "as-user", "cgroup"}
# small counts: the point here is the manifest, not the load
EXTRA = {"storm": ["-n", "200"], "zombie": ["--hold-ms", "100"],
         "zombie-never-reaped": ["--hold-ms", "100"]}


def scenarios():
    if not os.access(WORKLOAD, os.X_OK):
        return []
    out = subprocess.run([WORKLOAD, "--list"], capture_output=True, text=True, check=True)
    names = [line.split()[0] for line in out.stdout.splitlines() if line.strip()]
    return [n for n in names if n != "all"]


pytestmark = pytest.mark.skipif(not os.access(WORKLOAD, os.X_OK),
                                reason=f"{WORKLOAD} not built")


def run(args, tmp_path, timeout=60):
    man = tmp_path / "manifest.json"
    p = subprocess.run([WORKLOAD, *args, "--manifest", str(man)], capture_output=True,
                       text=True, timeout=timeout)
    return p, json.loads(man.read_text())


def stat_start(pid):
    """field 22 of /proc/PID/stat, None if the pid is gone"""
    try:
        data = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    return int(data[data.rindex(")") + 2:].split()[19])


def children(pid):
    """the pids of pid's children, from /proc"""
    try:
        with open(f"/proc/{pid}/task/{pid}/children") as f:
            return f.read().split()
    except OSError:
        return []


def decode(status):
    if status & 0x7f == 0:
        return {"code": (status >> 8) & 0xff}
    return {"signal": status & 0x7f, "core": bool(status & 0x80)}


def own_cgroup():
    """the cgroup v2 path of this test, which the generator and its children share"""
    for line in open("/proc/self/cgroup"):
        if line.startswith("0::"):
            return line[3:].strip()
    return None


def m_uid(m):
    """the uid (and gid) the generator ran as"""
    return 0 if m["root"] else 65534


def check_run(m, r):
    """facts every run must satisfy, whatever the scenario"""
    gen = m["generator"]["pid"]
    tick = m["tick_ns"]
    procs, threads = r["procs"], r["threads"]
    pids = {p["pid"] for p in procs}
    assert r["begin_ns"] <= r["end_ns"]
    seqs = {}
    for p in procs:
        who = f'{r["scenario"]}/{p["role"]} {p["pid"]}'
        assert p["pid"] > 0, who
        lo, hi = p["fork_ns"]
        assert r["begin_ns"] <= lo <= hi <= r["end_ns"], who
        if "start_ticks" in p:
            # the kernel's start time, cut to ticks, lies in the fork bracket
            assert p["start_ticks"] * tick <= hi and (p["start_ticks"] + 1) * tick > lo, who
        assert p["parent"] == gen or p["parent"] in pids, f"{who}: unknown parent {p['parent']}"
        if "cgroup" in p and r["scenario"] != "cgroup":
            assert p["cgroup"] == own_cgroup(), f"{who}: cgroup {p['cgroup']}"
        if r["scenario"] != "as-user":
            assert (p["uid"], p["gid"]) == (m_uid(m), m_uid(m)), who
        assert "status" in p, f"{who}: no expected status"
        d = decode(p["status"])
        for k, v in d.items():
            assert p[k] == v, f"{who}: {k} {p[k]} != {v}"
        # nothing the generator made may still be there
        if "start_ticks" in p:
            assert stat_start(p["pid"]) != p["start_ticks"], f"{who} left behind"
        reaper = p["reaper"]
        if isinstance(reaper, int):
            assert reaper == p["reaper_pid"], who
            assert reaper == p["parent"] or p.get("orphan", {}).get("new_parent") == reaper, who
            seqs.setdefault(reaper, []).append(p["reap_seq"])
        elif reaper == "init":
            assert p["orphan"]["adopter"] == "init", who
            assert p["orphan"]["new_parent"] == p["reaper_pid"], who
            assert p["orphan"]["old_parent"] == p["parent"], who
        elif reaper.startswith("subreaper:"):
            sub = int(reaper.split(":")[1])
            assert p["orphan"]["adopter"] == "subreaper" and p["orphan"]["new_parent"] == sub, who
            assert sub in pids, who
        else:
            assert reaper == "auto" and p["auto"] in ("sig_ign", "nocldwait"), who
            assert p["reaper_pid"] == p["parent"] and "reaped_ns" not in p, who
        if p["hold_ms"]:
            assert p["exit_seen_ns"], who
            if "reaped_ns" in p:
                assert p["reaped_ns"] - p["exit_seen_ns"] >= p["hold_ms"] * 1_000_000, who
    for reaper, s in seqs.items():
        assert sorted(s) == list(range(1, len(s) + 1)), f"reap order of {reaper}: {s}"
    for t in threads:
        assert t["process"] is False
        assert t["tid"] not in pids, f"thread {t['tid']} listed as a process"
        assert t["pid"] in pids


def by_role(r, role):
    return [p for p in r["procs"] if p["role"] == role]


def check_scenario(m, r):
    name, facts, procs = r["scenario"], r["facts"], r["procs"]
    gen = m["generator"]["pid"]
    if name == "fork-wait":
        assert sorted(p["code"] for p in procs) == list(range(10, 15))
        assert all(p["reaper"] == gen for p in procs)
    elif name == "waitpid":
        assert [p["reap_seq"] for p in procs] == list(range(len(procs), 0, -1))
    elif name == "waitpid-nohang":
        assert facts["empty_polls"] > 0
        assert facts["polls"] == facts["empty_polls"] + len(procs)
        assert all(p["nohang"] for p in procs)
    elif name == "zombie":
        assert procs[0]["hold_ms"] > 0 and procs[0]["reaper"] == gen
    elif name == "zombie-never-reaped":
        z = by_role(r, "zombie")[0]
        assert z["orphan"]["as_zombie"] and z["orphan"]["old_parent"] == facts["neglecting_parent"]
        assert z["reaper"] in ("init", f"subreaper:{z['orphan']['new_parent']}")
    elif name in ("orphan", "double-fork"):
        o = by_role(r, "orphan" if name == "orphan" else "grandchild")[0]
        assert not o["orphan"]["as_zombie"] and o["reaper"] == "init"
        assert o["orphan"]["new_parent"] == m["ns_init"]
    elif name == "subreaper":
        g = by_role(r, "grandchild")[0]
        assert g["reaper"] == f"subreaper:{facts['subreaper']}" and g["status_seen"]
    elif name == "exit-codes":
        ends = {p["role"]: p for p in procs}
        assert [ends[k]["code"] for k in ("exit", "_exit", "return-from-main", "exit-wraps")] == [3, 4, 5, 7]
        assert ends["sigterm"]["signame"] == "SIGTERM" and ends["sigkill"]["signame"] == "SIGKILL"
        assert ends["abort"]["signame"] == "SIGABRT"
        assert ends["return-from-main"]["exec"]["filename"]
        # who sent each fatal signal: the generator, the process itself, its own fault
        assert ends["sigterm"]["killed_by"] == ends["sigkill"]["killed_by"] == gen
        assert ends["abort"]["killed_by"] == ends["abort"]["pid"]
        assert ends["fault"]["signame"] == "SIGSEGV" and ends["fault"]["kill_reason"] == "fault"
        assert "killed_by" not in ends["fault"]
    elif name == "daemon-children":
        parent = by_role(r, "parent")[0]
        for d in by_role(r, "daemon"):
            assert d["signame"] == "SIGTERM" and d["killed_by"] == parent["pid"] == d["reaper"]
    elif name == "pool":
        assert len(procs) == facts["workers"] == facts["forks"]
        assert sum(p.get("tasks", 0) for p in procs) == facts["tasks"]
    elif name == "spawn-churn":
        assert len(procs) == facts["tasks"] == facts["forks"]
    elif name == "nice":
        want = [9, 19, -9] if IS_ROOT else [9, 19]
        assert [p["nice"] for p in procs] == want
    elif name == "auto-reap":
        assert {p["auto"] for p in procs} == {"sig_ign", "nocldwait"}
    elif name == "sigchld-handler":
        assert all(p["in_handler"] for p in procs)
    elif name == "threads":
        assert len(r["threads"]) == facts["threads"] and len(procs) == 1
    elif name == "exec":
        for p in procs:
            assert p["exec"]["comm"] == os.path.basename(p["exec"]["filename"])[:15]
    elif name == "exec-from-thread":
        p, t = procs[0], r["threads"][0]
        assert t["exec_gone"] and p["exec"]["tid"] == t["tid"] != p["pid"]
    elif name == "vfork":
        assert all("vfork" in p for p in procs)
        assert by_role(r, "vfork-exit")[0]["vfork"]["suspended_ns"] >= 20_000_000
    elif name == "pid-reuse":
        first, second = by_role(r, "first-life")[0], by_role(r, "second-life")[0]
        assert first["pid"] == second["pid"] == facts["reused_pid"] == second["reused_from"]
        assert first["reaped_ns"] < second["fork_ns"][0]
    elif name == "pidns":
        init = by_role(r, "ns-init")[0]
        assert init["ns_pid"] == 1 and all("ns_pid" in p for p in procs)
        o = by_role(r, "ns-orphan")[0]
        assert o["reaper"] == "init" and o["orphan"]["new_parent"] == init["pid"] == o["reaper_pid"]
    elif name == "as-user":
        (p,) = procs
        assert p["uid"] == p["gid"] == facts["uid"] == 65534 and p["exec"]["comm"] == "exe"
    elif name == "cgroup":
        (p,) = procs
        assert p["cgroup"] == facts["cgroup"] == f"/proclife-workload-{gen}"
        assert not os.path.exists(f"/sys/fs/cgroup/unified{facts['cgroup']}"), "left behind"
    elif name == "usage":
        assert_eq("roles", ["burner", "thread-burner"], [p["role"] for p in procs])
        for p in procs:
            u = p["usage"]
            # the CPU it saw of itself before its last stretch, at most what wait4 said after
            assert u["burned_ms"] * 1_000_000 <= u["self_cpu_ns"] <= u["reaped_cpu_ns"], p
            assert u["reaped_maxrss_kb"] >= u["touched_kb"], p
    elif name == "storm":
        assert len(procs) == facts["forks"]
        assert [p["code"] for p in procs] == [i % 256 for i in range(len(procs))]


@pytest.mark.parametrize("name", scenarios())
def test_scenario(name, tmp_path):
    p, m = run([name, *EXTRA.get(name, [])], tmp_path)
    assert p.returncode == 0, p.stderr
    assert m["format"] == "proclife-workload-manifest" and m["result"] == "ok"
    (r,) = m["runs"]
    assert r["scenario"] == name
    if name in NEEDS_ROOT and not IS_ROOT:
        assert r["result"] == "skipped" and "root" in r["reason"]
        return
    assert r["result"] == "ok", r.get("reason")
    check_run(m, r)
    check_scenario(m, r)


@pytest.mark.skipif(not IS_ROOT, reason="needs root to drop to nobody")
def test_without_root():
    # nobody must be able to write it: not under pytest's private tmp dir
    tmp = Path(tempfile.mkdtemp(prefix="proclife-workload-"))
    tmp.chmod(0o777)
    man = tmp / "m.json"
    p = subprocess.run(["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups",
                        WORKLOAD, "all", "-n", "3", "--manifest", str(man)],
                       capture_output=True, text=True, timeout=120)
    assert p.returncode == 0, p.stderr
    m = json.loads(man.read_text())
    shutil.rmtree(tmp)
    assert m["root"] is False
    results = {r["scenario"]: r["result"] for r in m["runs"]}
    for needs_root in NEEDS_ROOT:
        assert results.pop(needs_root) == "skipped", needs_root
    assert set(results.values()) == {"ok"}
    for r in m["runs"]:
        if r["result"] == "ok":
            check_run(m, r)


@pytest.mark.parametrize("args", [["nope"], ["zombie", "-n", "x"], ["zombie", "--bogus"],
                                  ["zombie", "--hold-ms"], [], ["zombie", "extra"],
                                  ["zombie", "-n", "2", "-n", "3"],
                                  ["zombie", "--manifest", "a.json", "-m", "b.json"],
                                  ["--list", "extra"], ["zombie", "--list"],
                                  ["--list", "-n", "5"], ["--list", "--manifest", "m.json"],
                                  # options the scenario does not read, and two ends at once
                                  ["zombie", "--tasks", "2"], ["fork-wait", "--seconds", "2"],
                                  ["pool", "--rate", "5"], ["storm", "-n", "5", "--seconds", "2"]])
def test_usage_errors(args):
    p = subprocess.run([WORKLOAD, *args], capture_output=True, text=True)
    assert p.returncode == 2
    assert p.stderr.startswith("error: ") and p.stderr.count("\n") == 1


@pytest.mark.parametrize("scenario", ["fork-wait", "auto-reap"])
def test_exit_codes_past_255_are_written_as_exit_keeps_them(scenario, tmp_path):
    """Children numbered past 255 exit with their code wrapped, as exit()
    keeps it: the manifest says the status they really end with."""
    man = tmp_path / "m.json"
    # fork-wait's codes begin at 10, auto-reap's at 30 and 60: all wrap
    p = subprocess.run([WORKLOAD, scenario, "-n", "250", "--manifest", str(man)],
                       capture_output=True, text=True, timeout=120)
    assert p.returncode == 0, p.stderr
    procs = [q for r in json.loads(man.read_text())["runs"] for q in r["procs"] if "code" in q]
    assert len(procs) >= 250
    for q in procs:
        assert 0 <= q["code"] <= 255 and q["status"] == q["code"] << 8, q


def test_more_children_at_once_than_the_machine_has_pids_for_is_refused():
    """fork-wait keeps -n children alive at once: past the pids left, every
    process on the machine would fail to fork, so it is refused before any"""
    limits = []
    for name in ("pid_max", "threads-max"):
        with open(f"/proc/sys/kernel/{name}") as f:
            limits.append(int(f.read()))
    if min(limits) > 100000:
        pytest.skip(f"room for more than -n's largest value (100000): limits {limits}")
    p = subprocess.run([WORKLOAD, "fork-wait", "-n", str(min(limits))],
                       capture_output=True, text=True, timeout=60)
    assert p.returncode == 2, p
    assert p.stderr.startswith("error: -n ") and "more processes now" in p.stderr, p.stderr
    assert p.stdout == "", p.stdout


@pytest.mark.parametrize("args", [["zombie", "--hold-ms", "5000"],
                                  ["zombie-never-reaped", "--hold-ms", "5000"],
                                  ["sigchld-handler", "-n", "100"], ["storm", "--seconds", "5"],
                                  ["spawn-churn", "--tasks", "100000"]])
def test_interrupt_leaves_nothing(args, tmp_path):
    man = tmp_path / "m.json"
    p = subprocess.Popen([WORKLOAD, *args, "--manifest", str(man)], stderr=subprocess.DEVNULL)
    # interrupted once the scenario has processes of its own
    deadline = time.monotonic() + 10
    while not children(p.pid):
        assert time.monotonic() < deadline, "the scenario started no process"
        time.sleep(0.01)
    p.send_signal(signal.SIGINT)
    assert p.wait(timeout=20) == 128 + signal.SIGINT
    m = json.loads(man.read_text())
    assert m["result"] == "interrupted"
    for r in m["runs"]:
        for proc in r["procs"]:
            if "start_ticks" in proc:
                assert stat_start(proc["pid"]) != proc["start_ticks"], proc

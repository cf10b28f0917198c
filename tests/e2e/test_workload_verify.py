# SPDX-License-Identifier: BSD-2-Clause
"""Every workload scenario traced end to end and held against its own
ground truth: 100% of the facts must match."""
import json
import re
import subprocess

import pytest

from conftest import PROCLIFE, WORKLOAD, assert_eq, needs_root

pytestmark = needs_root


def scenarios():
    out = subprocess.run([WORKLOAD, "--list"], capture_output=True, text=True, check=True).stdout
    return [line.split()[0] for line in out.splitlines() if line.split() and line.split()[0] != "all"]


def trace_scenario(tmp_path, scenario, *extra):
    log, manifest = tmp_path / f"{scenario}.jsonl", tmp_path / f"{scenario}.json"
    r = subprocess.run([PROCLIFE, "trace", "--threads", "-f", "jsonl", "-o", str(log), "--",
                        WORKLOAD, scenario, "--manifest", str(manifest), *extra],
                       capture_output=True, text=True, timeout=300, stdin=subprocess.DEVNULL)
    assert_eq(f"proclife trace exit status ({r.stderr[-2000:]})", 0, r.returncode)
    return log, manifest


def verify(log, manifest):
    return subprocess.run([PROCLIFE, "verify", str(log), str(manifest)], capture_output=True,
                          text=True, timeout=120)


@pytest.mark.parametrize("scenario", scenarios())
def test_scenario_matches_its_ground_truth(tmp_path, scenario):
    log, manifest = trace_scenario(tmp_path, scenario)
    runs = json.loads(manifest.read_text())["runs"]
    assert_eq("scenario result", ["ok"], [r["result"] for r in runs])
    r = verify(log, manifest)
    m = re.search(r"verify: (\d+) process(?:es)?, (\d+) facts? checked, (\d+) differ", r.stdout)
    assert m, f"no verdict line:\n{r.stdout}{r.stderr}"
    assert_eq(f"facts that differ:\n{r.stdout}", 0, int(m.group(3)))
    assert_eq("verify exit status", 0, r.returncode)
    assert int(m.group(2)) > 0, f"nothing was compared:\n{r.stdout}"


def test_a_log_and_a_manifest_of_different_runs_are_said_to_be(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    log, _ = trace_scenario(tmp_path / "a", "fork-wait")
    _, manifest = trace_scenario(tmp_path / "b", "zombie")
    r = verify(log, manifest)
    assert_eq("exit status", 1, r.returncode)
    assert "they are of different runs" in r.stdout, r.stdout
    assert "extra process" not in r.stdout, r.stdout


def test_a_log_cut_before_its_trailer_is_said_to_be(tmp_path):
    """a log whose tracer did not finish: verify says so before what
    differs, and does not call a log cut before the workload another run"""
    log, manifest = trace_scenario(tmp_path, "zombie")
    lines = log.read_text().splitlines(keepends=True)
    cut = tmp_path / "cut.jsonl"
    cut.write_text("".join(lines[:-1]))
    r = verify(cut, manifest)
    assert "no trailer: the tracer did not finish" in r.stderr, r.stderr
    assert_eq("stderr lines", 1, len(r.stderr.splitlines()))
    cut.write_text(lines[0])
    r = verify(cut, manifest)
    assert_eq("exit status", 1, r.returncode)
    assert "the log ends before the workload ran" in r.stdout, r.stdout


def test_a_log_missing_lines_its_reader_did_not_take_is_said_to_be(tmp_path):
    """a tracer whose reader lagged drops lines and says how many in the
    trailer: verify says the log is incomplete, beside what differs"""
    log, manifest = trace_scenario(tmp_path, "zombie")
    lines = [json.loads(line) for line in log.read_text().splitlines()]
    reap = next(i for i, e in enumerate(lines) if e["ev"] == "reap")
    del lines[reap]
    lines[-1]["lines_dropped"] = 1
    dropped = tmp_path / "dropped.jsonl"
    dropped.write_text("".join(json.dumps(e) + "\n" for e in lines))
    r = verify(dropped, manifest)
    assert_eq("exit status", 1, r.returncode)
    assert "could not write 1 of the log's lines" in r.stdout, r.stdout
    assert "dropped" not in r.stderr, "said once, with the facts it costs: " + r.stderr


@pytest.mark.parametrize("edit", ["repeat a line", "drop a line"])
def test_a_log_that_does_not_hold_as_written_is_said_to_differ(tmp_path, edit):
    """a line told twice, or one the trailer counts and the log lacks: the
    reader's warning, as replay gives it, and a fact that differs"""
    log, manifest = trace_scenario(tmp_path, "zombie")
    lines = log.read_text().splitlines(keepends=True)
    fork = next(i for i, line in enumerate(lines) if json.loads(line)["ev"] == "fork")
    if edit == "repeat a line":
        lines.insert(fork, lines[fork])
    else:
        del lines[fork]
    edited = tmp_path / "edited.jsonl"
    edited.write_text("".join(lines))
    r = verify(edited, manifest)
    replayed = subprocess.run([PROCLIFE, "replay", str(edited)], capture_output=True, text=True,
                              timeout=120)
    warned = [w for w in replayed.stderr.splitlines() if w.startswith("warning:")]
    assert warned, replayed.stderr
    assert_eq("verify's warnings", warned,
              [w for w in r.stderr.splitlines() if w.startswith("warning:")])
    assert "the log does not hold as it was written" in r.stdout, r.stdout
    assert_eq("exit status", 1, r.returncode)


def test_reaps_the_log_does_not_show_have_no_order(tmp_path):
    """a log without its reap lines: each missing reap is said, and no
    order is claimed between reaps that were never seen"""
    log, manifest = trace_scenario(tmp_path, "exit-codes")
    lines = [line for line in log.read_text().splitlines(keepends=True)
             if json.loads(line)["ev"] != "reap"]
    cut = tmp_path / "no-reaps.jsonl"
    cut.write_text("".join(lines))
    r = verify(cut, manifest)
    assert_eq("exit status", 1, r.returncode)
    assert "reap order" not in r.stdout, r.stdout
    procs = [p for run in json.loads(manifest.read_text())["runs"] for p in run["procs"]
             if p.get("reaper_pid")]
    assert procs, "the scenario has reaps"
    for p in procs:
        assert f"pid {p['pid']} ({p['role']}): reaped by wait: log has no reap" in r.stdout, \
            r.stdout


@pytest.mark.parametrize("key,value", [("reap_seq", 2147483647), ("reap_seq", 4294967301),
                                       ("status", -1), ("nice", 40), ("hold_ms", -5)])
def test_a_manifest_number_out_of_its_range_is_refused(tmp_path, key, value):
    log, manifest = trace_scenario(tmp_path, "zombie")
    m = json.loads(manifest.read_text())
    m["runs"][0]["procs"][0][key] = value
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(m))
    r = verify(log, bad)
    assert_eq(f"exit status ({r.stderr})", 1, r.returncode)
    assert_eq("stderr lines", 1, len(r.stderr.splitlines()))
    assert r.stderr.startswith("error:") and f"'{key}'" in r.stderr and "range" in r.stderr, \
        r.stderr


def misspelt(proc):
    proc["stauts"] = proc.pop("status")


def reaper_no_pid(proc):
    proc["reaper"] = -1


def reaper_zero(proc):
    proc["reaper"] = 0


def reaper_not_its_pid(proc):
    proc["reaper"] = proc["reaper_pid"] + 1


def reaped_before_born(proc):
    proc["reaped_ns"] = proc["fork_ns"][0] - 1


def fork_window_backwards(proc):
    proc["fork_ns"] = proc["fork_ns"][::-1]
    proc["fork_ns"][0] += 1


@pytest.mark.parametrize("change,words", [
    (misspelt, "a process has a key no manifest has: 'stauts'"),
    (reaper_no_pid, "'reaper' is not a pid"),
    (reaper_zero, "'reaper' is not a pid"),
    (reaper_not_its_pid, "not the pid 'reaper_pid' says"),
    (reaped_before_born, "'reaped_ns' is before its 'fork_ns'"),
    (fork_window_backwards, "'fork_ns' ends before it begins"),
])
def test_a_manifest_that_says_what_none_says_is_refused(tmp_path, change, words):
    """a key the generator never writes, or facts that cannot all hold: one
    error line, never a manifest read as if the key were absent"""
    log, manifest = trace_scenario(tmp_path, "zombie")
    m = json.loads(manifest.read_text())
    change(m["runs"][0]["procs"][0])
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(m))
    r = verify(log, bad)
    assert_eq(f"exit status ({r.stderr})", 1, r.returncode)
    assert_eq("stderr lines", 1, len(r.stderr.splitlines()))
    assert r.stderr.startswith("error:") and words in r.stderr, r.stderr


def rewrite(log, out, change):
    """A copy of the log with one event changed by change(event) -> event or None."""
    with open(log) as f, open(out, "w") as g:
        done = False
        for line in f:
            e = json.loads(line)
            if not done:
                new = change(e)
                if new is not e:
                    done = True
                    if new is None:
                        continue
                    line = json.dumps(new) + "\n"
            g.write(line)
    assert done, "the change matched no event"


def test_verify_catches_wrong_facts(tmp_path):
    log, manifest = trace_scenario(tmp_path, "fork-wait")
    assert_eq("clean log", 0, verify(log, manifest).returncode)
    child = json.loads(manifest.read_text())["runs"][0]["procs"][0]
    pid = child["pid"]

    def wrong_status(e):
        return dict(e, status=e["status"] + 256) if e["ev"] == "exit" and e["pid"] == pid else e

    def lost_reap(e):
        return None if e["ev"] == "reap" and e["pid"] == pid else e

    def lost_fork(e):
        return None if e["ev"] == "fork" and e["pid"] == pid else e

    for name, change, words in [("status", wrong_status, "exit status"),
                                ("reap", lost_reap, "reaper"),
                                ("fork", lost_fork, "parent at birth")]:
        bad = tmp_path / f"bad-{name}.jsonl"
        rewrite(log, bad, change)
        r = verify(bad, manifest)
        assert_eq(f"verify exit status with a wrong {name}", 1, r.returncode)
        assert f"pid {pid}" in r.stdout and words in r.stdout, \
            f"a wrong {name} was not named:\n{r.stdout}"


@pytest.mark.parametrize("scenario, role, kind, change, words", [
    ("as-user", "other-user", "exec", lambda e: dict(e, uid=e["uid"] + 1), "uid"),
    ("as-user", "other-user", "exec", lambda e: dict(e, gid=0), "gid"),
    ("cgroup", "moved", "exec", lambda e: dict(e, cgroup="/elsewhere"), "cgroup"),
    # half the whole, however the kernel split it between user and system
    ("usage", "burner", "exit",
     lambda e: dict(e, cpu_user_ns=(e["cpu_user_ns"] + e["cpu_sys_ns"]) // 2, cpu_sys_ns=0),
     "CPU at exit"),
    ("usage", "burner", "exit", lambda e: dict(e, cpu_sys_ns=e["cpu_sys_ns"] + 10_000_000),
     "CPU at exit"),
    ("usage", "burner", "exit", lambda e: dict(e, max_rss_kb=e["max_rss_kb"] + 4), "peak memory"),
    ("exit-codes", "sigterm", "exit", lambda e: dict(e, killer=e["killer"] + 1), "killer"),
    ("exit-codes", "fault", "exit", lambda e: dict(e, kill_reason="kernel"), "kill reason"),
    # an adopter's reap told 400 ms after its wait returned
    ("subreaper", "grandchild", "reap",
     lambda e: dict(e, ts=e["ts"] + 400_000_000, zombie_ns=e["zombie_ns"] + 400_000_000),
     "zombie time"),
])
def test_verify_catches_wrong_context(tmp_path, scenario, role, kind, change, words):
    """who a process ran as, where, what it used and who killed it, each
    made wrong in the log once: verify names it"""
    log, manifest = trace_scenario(tmp_path, scenario)
    assert_eq("clean log", 0, verify(log, manifest).returncode)
    (pid,) = [p["pid"] for r in json.loads(manifest.read_text())["runs"] for p in r["procs"]
              if p["role"] == role]
    bad = tmp_path / "bad.jsonl"
    rewrite(log, bad, lambda e: change(e) if e["ev"] == kind and e.get("pid") == pid else e)
    r = verify(bad, manifest)
    assert_eq(f"verify exit status with a wrong {words}", 1, r.returncode)
    assert f"pid {pid} ({role}): {words}:" in r.stdout, f"a wrong {words} was not named:\n{r.stdout}"


def test_verify_catches_merged_lives(tmp_path):
    log, manifest = trace_scenario(tmp_path, "pid-reuse")
    run = json.loads(manifest.read_text())["runs"][0]
    second = [p for p in run["procs"] if p.get("reused_from")][0]
    first_start = None
    for line in open(log):
        e = json.loads(line)
        if e["ev"] == "fork" and e["pid"] == second["pid"]:
            first_start = e["start"]
            break
    # give every record of the second life the first life's identity
    bad = tmp_path / "merged.jsonl"
    with open(log) as f, open(bad, "w") as g:
        seen = 0
        for line in f:
            e = json.loads(line)
            if e.get("pid") == second["pid"] and e["ev"] == "fork":
                seen += 1
            if seen >= 2 and e.get("pid") == second["pid"] and "start" in e:
                e["start"] = first_start
            g.write(json.dumps(e) + "\n")
    r = verify(bad, manifest)
    assert_eq("verify exit status with merged lives", 1, r.returncode)
    assert "missing from the log" in r.stdout or "differ" in r.stdout, r.stdout


def test_verify_bad_input(tmp_path):
    r = subprocess.run([PROCLIFE, "verify", "only-one"], capture_output=True, text=True)
    assert_eq("usage error", 2, r.returncode)
    bad = tmp_path / "m.json"
    bad.write_text('{"format": "something-else"}')
    log = tmp_path / "l.jsonl"
    log.write_text('{"ev":"header","format":"proclife-events","version":1}\n')
    r = subprocess.run([PROCLIFE, "verify", str(log), str(bad)], capture_output=True, text=True)
    assert_eq("wrong manifest", 1, r.returncode)
    assert "not a proclife-workload manifest" in r.stderr, r.stderr


def test_a_run_that_failed_is_no_ground_truth(tmp_path):
    """a workload that could not finish (out of pids, say) writes its
    manifest with its result: verify says so once, not a line per process"""
    log, manifest = trace_scenario(tmp_path, "fork-wait")
    doc = json.loads(manifest.read_text())
    for run in doc["runs"]:
        run["result"] = "failed"
    failed = tmp_path / "failed.json"
    failed.write_text(json.dumps(doc))
    r = verify(log, failed)
    assert_eq("exit status", 1, r.returncode)
    assert_eq("stderr", f"error: {failed}: the workload's run failed (result: failed): its "
              "manifest is no ground truth", r.stderr.strip())
    assert_eq("stdout", "", r.stdout)


@pytest.mark.parametrize("out", ["/dev/full", "closed", "a pipe closed early"])
def test_verify_says_when_its_report_is_not_written(tmp_path, out):
    """the report is the answer: lost to a full disk or a closed standard
    output, that is an error; a reader that has seen enough (`| head`) is not"""
    log, manifest = trace_scenario(tmp_path, "zombie")
    cmd = f"{PROCLIFE} verify {log} {manifest}"
    shell = {"/dev/full": f"{cmd} >/dev/full", "closed": f"{cmd} >&-",
             "a pipe closed early": f"{cmd} | true; exit ${{PIPESTATUS[0]}}"}[out]
    r = subprocess.run(shell, shell=True, executable="/bin/bash", capture_output=True, text=True,
                       timeout=120)
    if out == "a pipe closed early":
        assert_eq(f"exit status ({r.stderr})", 0, r.returncode)
        assert_eq("stderr", "", r.stderr)
    else:
        assert_eq(f"exit status ({r.stderr})", 1, r.returncode)
        assert r.stderr.startswith("error: cannot write to standard output"), r.stderr

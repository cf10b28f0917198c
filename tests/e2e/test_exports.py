# SPDX-License-Identifier: BSD-2-Clause
"""Exports: CSV, Perfetto, Graphviz and HTML written from logs of real
traces of the workload scenarios, read back by the tools people use on
them (Python's csv and json, dot, a headless Chromium)."""
import collections
import csv
import datetime
import json
import os
import re
import shutil
import subprocess
import time

import pytest

from conftest import (PROCLIFE, WORKLOAD, assert_eq, kill_if_running, needs_root, read_log,
                      wait_attached)

CHROMIUM = shutil.which("chromium")
DOT = shutil.which("dot")
SCENARIOS = ["fork-wait", "zombie", "zombie-never-reaped", "orphan", "subreaper", "double-fork",
             "exit-codes", "auto-reap", "threads", "exec", "daemon-children"]


def run(argv, timeout=120, **kw):
    return subprocess.run(argv, capture_output=True, text=True, timeout=timeout,
                          stdin=subprocess.DEVNULL, **kw)


def export(log, fmt, out, *args):
    r = run([PROCLIFE, "replay", str(log), "-f", fmt, "-o", str(out), "--force", *args])
    assert_eq(f"replay -f {fmt} exit status ({r.stderr})", 0, r.returncode)
    return out


@pytest.fixture(scope="module")
def logs(tmp_path_factory):
    """One real trace per scenario, with threads: {scenario: log path}."""
    if os.geteuid() != 0:
        pytest.skip("needs root to load BPF programs")
    d = tmp_path_factory.mktemp("exports")
    found = {}
    for s in SCENARIOS:
        log = d / f"{s}.jsonl"
        r = run([PROCLIFE, "trace", "--threads", "-f", "jsonl", "-o", str(log), "--", WORKLOAD, s])
        assert_eq(f"trace of {s} exit status ({r.stderr})", 0, r.returncode)
        found[s] = log
    return found


def processes(events):
    """(pid, start) of every process of the followed subtree: the followed
    pid and everything forked under it (the whole log when nothing is
    followed)."""
    root = next((e["pid"] for e in events if e["ev"] == "follow"), None)
    inside, found = set(), set()
    for e in events:
        if e["ev"] == "proc" and root is None:
            found.add((e["pid"], e["start"]))
        if e["ev"] != "fork" or e["thread"]:
            continue
        if root is None or e["pid"] == root or e["ppid"] in inside:
            inside.add(e["pid"])
            found.add((e["pid"], e["start"]))
    return found


# --- CSV -------------------------------------------------------------------

@needs_root
@pytest.mark.parametrize("scenario", ["fork-wait", "orphan", "subreaper", "exit-codes", "threads"])
def test_csv_agrees_with_the_log(logs, tmp_path, scenario):
    events = read_log(logs[scenario])
    # thread counts come from the thread records: replay shows them when asked
    out = export(logs[scenario], "csv", tmp_path / "out.csv", "--threads")
    with open(out, newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    by = {(int(r["pid"]), int(r["start_ns"])): r for r in rows}
    assert_eq("one row per process", len(rows), len(by))
    assert_eq("processes", processes(events), set(by))
    for e in events:
        key = (e.get("pid"), e.get("start"))
        if e["ev"] == "exit" and not e["thread"]:
            assert_eq(f"status of {key}", str(e["status"]), by[key]["status"])
        elif e["ev"] == "reap" and key in by:
            assert_eq(f"reaper of {key}", str(e["reaper"]), by[key]["reaper"])
        elif e["ev"] == "reparent" and not e["thread"] and e["adopter"] != "thread":
            assert_eq(f"adopter of {key}", e["adopter"], by[key]["adopter"])
    if scenario == "threads":
        assert any(int(r["threads"]) > 0 for r in rows), rows


# --- Perfetto --------------------------------------------------------------

def check_perfetto(path):
    """Loads a trace-event file and checks what a viewer relies on; returns
    its events by phase."""
    with open(path, encoding="utf-8") as f:
        doc = json.load(f)
    events = doc["traceEvents"]
    named = {e["pid"] for e in events if e["ph"] == "M" and e["name"] == "process_name"}
    used = {e["pid"] for e in events}
    assert not used - named, f"pids with no process_name track: {sorted(used - named)[:20]}"
    ph = collections.defaultdict(list)
    for e in events:
        ph[e["ph"]].append(e)
    slices = collections.defaultdict(list)
    for e in ph["X"]:
        assert e["dur"] >= 0, e
        slices[(e["pid"], e["tid"])].append((e["ts"], e["ts"] + e["dur"]))
    # one life at a time on a track: slices follow each other (1 ns of rounding)
    for track, spans in slices.items():
        spans.sort()
        for (a, b), (c, d) in zip(spans, spans[1:]):
            assert c >= b - 0.0015, f"slices overlap on {track}: {(a, b)} {(c, d)}"
    # flow ends bind to the slice around them: there must be one
    flows = collections.defaultdict(dict)
    for e in ph["s"] + ph["f"]:
        inside = any(a <= e["ts"] < b for a, b in slices[(e["pid"], e["tid"])])
        assert inside, f"flow event outside any slice of its track: {e}"
        flows[(e["cat"], e["id"])][e["ph"]] = e
    for key, ends in flows.items():
        assert set(ends) == {"s", "f"}, f"flow {key} lacks an end: {ends}"
    return ph


@needs_root
@pytest.mark.parametrize("scenario", ["orphan", "subreaper", "zombie", "double-fork", "exec",
                                      "threads"])
def test_perfetto_tracks_slices_and_flows(logs, tmp_path, scenario):
    events = read_log(logs[scenario])
    ph = check_perfetto(export(logs[scenario], "perfetto", tmp_path / "out.json", "--threads"))
    cats = collections.Counter(e["cat"] for e in ph["X"])
    forks = [e for e in events if e["ev"] == "fork" and not e["thread"]]
    assert_eq("a life slice per process", len(processes(events)), cats["life"])
    assert cats["zombie"] > 0, cats
    assert_eq("fork arrows", len(forks), sum(1 for e in ph["s"] if e["cat"] == "fork"))
    reparents = [e for e in events if e["ev"] == "reparent" and e["old_parent"] != e["new_parent"]]
    assert_eq("reparent arrows", len(reparents),
              sum(1 for e in ph["s"] if e["cat"] == "reparent"))
    instants = collections.Counter(e["name"] for e in ph["i"])
    assert_eq("exit instants", sum(1 for e in events if e["ev"] == "exit" and not e["thread"]),
              instants["exit"])
    assert_eq("exec instants", sum(1 for e in events if e["ev"] == "exec"), instants["exec"])
    # microseconds: a fork's arrow starts at the fork record's ts / 1000
    first = forks[0]
    s = next(e for e in ph["s"] if e["cat"] == "fork" and e["pid"] == first["ppid"])
    assert abs(s["ts"] - first["ts"] / 1000) < 0.002, (s, first)
    if scenario == "threads":
        assert instants["thread start"] > 0 and instants["thread exit"] > 0, instants
    zombies = [e for e in ph["X"] if e["cat"] == "zombie"]
    assert all(e["name"] == "zombie" for e in zombies) and all(
        e["name"] != "zombie" for e in ph["X"] if e["cat"] == "life")


@needs_root
def test_perfetto_from_the_live_tracer(tmp_path):
    out = tmp_path / "live.json"
    r = run([PROCLIFE, "trace", "-f", "perfetto", "-o", str(out), "--", WORKLOAD, "orphan"])
    assert_eq(f"trace -f perfetto exit status ({r.stderr})", 0, r.returncode)
    ph = check_perfetto(out)
    assert any(e["cat"] == "reparent" for e in ph["s"]), "no reparent arrow"


@needs_root
def test_a_zombie_whose_reap_was_lost_has_an_unknown_reaper_in_every_export(logs, tmp_path):
    """a zombie when last seen, where records of reaps were lost, may have
    been reaped by anyone: no export says it was left unreaped"""
    lines = open(logs["zombie"]).read().splitlines()
    reaps = [i for i, l in enumerate(lines) if json.loads(l)["ev"] == "reap"]
    dropped = json.loads(lines[reaps[-1]])
    trailer = json.loads(lines[-1])
    trailer["lost"]["reap"] += 1
    trailer["lost_total"] += 1
    trailer["events"]["reap"] -= 1
    log = tmp_path / "lost.jsonl"
    log.write_text("\n".join(lines[:reaps[-1]] + lines[reaps[-1] + 1:-1] +
                              [json.dumps(trailer)]) + "\n")
    pid = dropped["pid"]
    tree = run([PROCLIFE, "replay", str(log), "-f", "tree"]).stdout
    assert "records of reaps were lost" in tree, tree
    rows = list(csv.DictReader(open(export(log, "csv", tmp_path / "out.csv"), newline="")))
    (row,) = [r for r in rows if int(r["pid"]) == pid]
    assert_eq("its state in the CSV", "reaper-unknown", row["state"])
    dot = export(log, "dot", tmp_path / "out.dot").read_text()
    assert "records of reaps were lost" in dot and "not reaped when the trace ended" not in dot, dot
    ph = check_perfetto(export(log, "perfetto", tmp_path / "out.json"))
    (z,) = [e for e in ph["X"] if e["cat"] == "zombie" and e["pid"] == pid]
    assert_eq("its reap in Perfetto", "unknown", z["args"]["reap"])
    assert "zombie_ms" not in z["args"], z
    html = export(log, "html", tmp_path / "out.html").read_text()
    assert '"reaper-unknown"' in html, "no reaper-unknown state in the report's data"


@needs_root
def test_perfetto_draws_a_process_running_at_the_end_to_the_end(tmp_path):
    """a process still running when the trace stops (-d) ran until then:
    its life slice ends where the run does, not at the last event before"""
    out = tmp_path / "running.json"
    r = run([PROCLIFE, "trace", "-d", "1", "-f", "perfetto", "-o", str(out), "--", "sh", "-c",
             "exec sleep 3"])
    assert_eq(f"trace -f perfetto exit status ({r.stderr})", 0, r.returncode)
    ph = check_perfetto(out)
    (life,) = [e for e in ph["X"] if e["cat"] == "life" and e["name"] == "sleep"]
    run_end = max(e["ts"] + e["dur"] for e in ph["X"])
    assert abs(life["ts"] + life["dur"] - run_end) < 0.002, (life, run_end)
    # the trace ran a second (-d 1) after the command began
    assert life["dur"] > 500_000, life


def written_bytes(pid):
    with open(f"/proc/{pid}/io") as f:
        return int(next(x for x in f if x.startswith("wchar:")).split()[1])


@needs_root
@pytest.mark.parametrize("ext", ["csv", "json"])
def test_a_tracer_killed_hard_leaves_no_export_that_passes_for_whole(tmp_path, ext):
    """SIGKILL, after the export's first bytes were written: its file is
    left empty, not with a header and some rows that read as the end"""
    out = tmp_path / f"killed.{ext}"
    t = subprocess.Popen([PROCLIFE, "trace", "-o", str(out)], stdin=subprocess.DEVNULL,
                         stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        wait_attached(t)
        before = written_bytes(t.pid)
        deadline = time.monotonic() + 30
        while written_bytes(t.pid) == before and time.monotonic() < deadline:
            run([WORKLOAD, "fork-wait", "-n", "3"])
        assert written_bytes(t.pid) > before, "the tracer wrote nothing of its export"
        t.kill()
        t.wait(timeout=30)
    finally:
        kill_if_running(t)
    assert_eq("bytes in the export a killed tracer left", 0, out.stat().st_size)


# --- Graphviz --------------------------------------------------------------

def dot_svg(path, tmp_path):
    if not DOT:
        pytest.skip("SKIPPED LOUDLY: graphviz's dot is missing (apt-get install graphviz)")
    text = path.read_text()
    declared = set(re.findall(r"^\s*(\w+) \[", text, re.M))
    used = {n for a, b in re.findall(r"(\w+) -> (\w+)", text) for n in (a, b)}
    assert not used - declared, f"edges to nodes never declared: {sorted(used - declared)}"
    svg = tmp_path / "out.svg"
    start = time.monotonic()
    r = run([DOT, "-Tsvg", str(path), "-o", str(svg)])
    took = time.monotonic() - start
    assert_eq(f"dot -Tsvg exit status ({r.stderr})", 0, r.returncode)
    assert "Error" not in r.stderr and "syntax" not in r.stderr, r.stderr
    assert svg.stat().st_size > 0
    return took


@needs_root
@pytest.mark.parametrize("scenario", SCENARIOS)
def test_dot_is_accepted_by_graphviz(logs, tmp_path, scenario):
    path = export(logs[scenario], "dot", tmp_path / "out.dot")
    dot_svg(path, tmp_path)
    text = path.read_text()
    assert text.startswith("digraph"), text[:80]
    assert "cluster_legend" in text
    events = read_log(logs[scenario])
    orphans = [e for e in events if e["ev"] == "reparent" and e["adopter"] in ("init", "subreaper")]
    if orphans:
        assert "style=dashed" in text and f'adopted ({orphans[0]["adopter"]})' in text, text
    if scenario == "zombie-never-reaped":
        assert "#f6aea9" in text or "#c5221f" in text.split("}", 1)[1], "no zombie marked"
    if scenario == "fork-wait":
        assert "more like this" in text or text.count("->") < 20, text


# --- HTML ------------------------------------------------------------------

def chromium(html, tmp_path, *extra, timeout=120):
    if not CHROMIUM:
        pytest.skip("SKIPPED LOUDLY: chromium is missing (apt-get install chromium)")
    argv = [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu",
            "--disable-background-networking", "--disable-component-update", "--disable-sync",
            "--no-first-run", f"--user-data-dir={tmp_path / 'chromium'}",
            "--window-size=1400,900", "--virtual-time-budget=10000", *extra,
            f"file://{html}"]
    return run(argv, timeout=timeout)


def load_page(html, tmp_path):
    """Screenshot and DOM of the page in headless Chromium; fails on a script
    error or when no process bar was drawn. Returns (dom, bars)."""
    shot = tmp_path / "page.png"
    r = chromium(html, tmp_path, f"--screenshot={shot}")
    assert_eq(f"chromium --screenshot exit status ({r.stderr[-2000:]})", 0, r.returncode)
    assert shot.exists() and shot.stat().st_size > 10000, "no screenshot"
    r = chromium(html, tmp_path, "--dump-dom")
    assert_eq(f"chromium --dump-dom exit status ({r.stderr[-2000:]})", 0, r.returncode)
    root = re.search(r"<html[^>]*>", r.stdout)
    assert root, r.stdout[:2000]
    root = root.group(0)
    assert "data-error" not in root, f"script error in the page: {root}"
    m = re.search(r'data-bars="(\d+)"', root)
    assert m, f"the page did not say it drew: {root!r}"
    assert int(m.group(1)) > 0, f"no process bars drawn: {root!r}"
    title = re.search(r"<title>(.*?)</title>", r.stdout, re.S)
    assert title and title.group(1) == "proclife report", "the page's title is its own"
    return r.stdout, int(m.group(1))


def self_contained(text):
    for what in ("http://", "https://", "<link", " src=", "url(", "@import"):
        assert what not in text, f"the page reaches out: {what!r}"


@needs_root
@pytest.mark.parametrize("scenario", ["zombie", "orphan", "subreaper", "fork-wait"])
def test_html_report_draws_in_chromium(logs, tmp_path, scenario):
    html = export(logs[scenario], "html", tmp_path / "report.html")
    self_contained(html.read_text())
    dom, bars = load_page(html, tmp_path)
    events = read_log(logs[scenario])
    assert bars >= min(len(processes(events)), 10), (bars, len(processes(events)))
    for e in events:
        if e["ev"] == "reparent" and e["adopter"] in ("init", "subreaper"):
            assert "orphan \u2192 " + e["adopter"] in dom or "orphan → " in dom, "no orphan in the tree"


@needs_root
def test_html_of_a_whole_machine_trace_begins_with_the_trace(tmp_path):
    """Its timeline starts when the trace did, not at boot; what was running
    already is drawn from the left edge, marked as begun before."""
    log = tmp_path / "machine.jsonl"
    r = run([PROCLIFE, "trace", "-d", "0.5", "-f", "jsonl", "-o", str(log)])
    assert_eq(f"trace exit status ({r.stderr})", 0, r.returncode)
    events = read_log(log)
    head, tail = events[0], events[-1]
    html = export(log, "html", tmp_path / "machine.html")

    def no_key_twice(pairs):
        keys = [k for k, _ in pairs]
        assert len(keys) == len(set(keys)), f"a key twice in the page's data: {keys}"
        return dict(pairs)

    data = json.loads(re.search(r'id="data">(.*?)</script>', html.read_text(), re.S).group(1),
                      object_pairs_hook=no_key_twice)
    assert 0 < data["span_ns"] <= tail["ts"] - head["ts"], \
        f"span {data['span_ns']} ns, the trace {tail['ts'] - head['ts']} ns"
    assert_eq("the wall-clock time of time 0", (head["boot_to_wall_ns"] + head["ts"]) // 10**6,
              data["t0_wall_ms"])
    before = [p for p in data["procs"] if p[20] & 256]
    # by the start times records carry: every process found running or
    # seen to exec or exit is a row; a record of one already gone (its
    # free, say) makes none
    earlier = {e["pid"] for e in events[1:-1] if 0 < e.get("start", 0) < head["ts"]}
    rows = {e["pid"] for e in events[1:-1] if 0 < e.get("start", 0) < head["ts"] and
            (e["ev"] in ("proc", "exec") or (e["ev"] == "exit" and not e["thread"]))}
    marked = {p[0] for p in before}
    assert rows <= marked, f"begun before the trace but not marked: {sorted(rows - marked)}"
    assert marked <= earlier, f"marked but begun later: {sorted(marked - earlier)}"
    assert_eq("their births on the timeline", {0}, {p[4] for p in before})
    dom, bars = load_page(html, tmp_path)
    marks = re.search(r'data-before-marks="(\d+)"', dom)
    assert marks and int(marks.group(1)) > 0, "no bar drawn with the mark of an earlier start"
    assert "began before the trace" in dom, "the tree does not say what began before"
    began = datetime.datetime.fromtimestamp(data["t0_wall_ms"] / 1000, datetime.timezone.utc)
    assert began.strftime("%Y-%m-%dT%H:%M:%S") in dom, "the trace's start is not shown"


def synthetic_log(path, n, comm="worker"):
    """A log of a root with n children reaped in turn; every 50th held a
    zombie 200 ms, every 500th leaves an orphan to init; times in ns."""
    lines = [{"ev": "header", "format": "proclife-events", "version": 1, "ts": 1000}]
    t = 1_000_000
    root = {"pid": 100, "tid": 100, "start": t - 10, "comm": "root"}
    lines.append({"ev": "fork", "ts": t, **root, "ppid": 1, "thread": False})

    def life(pid, ppid, born, name, hold, reaper):
        me = {"pid": pid, "tid": pid, "start": born - 5, "comm": name}
        out = [{"ev": "fork", "ts": born, **me, "ppid": ppid, "thread": False},
               {"ev": "exit", "ts": born + 50_000, **me, "ppid": ppid, "status": 0,
                "thread": False, "group_dead": True},
               {"ev": "zombie", "ts": born + 60_000, **me, "parent": ppid, "status": 0},
               {"ev": "reap", "ts": born + 60_000 + hold, **me, "reaper": reaper, "status": 0,
                "zombie_ns": hold, "auto": False, "inferred": False}]
        return out

    for i in range(n):
        born = t + 10_000 + i * 100_000
        pid = 1000 + i
        hold = 200_000_000 if i % 50 == 0 else 20_000
        lines += life(pid, 100, born, comm if i % 2 else "worker", hold, 100)
        if i % 500 == 0:
            g = {"pid": 30000 + i, "tid": 30000 + i, "start": born + 10_000, "comm": "orphan"}
            lines.append({"ev": "fork", "ts": born + 10_005, **g, "ppid": pid, "thread": False})
            lines.append({"ev": "reparent", "ts": born + 55_000, **g, "old_parent": pid,
                          "new_parent": 1, "adopter": "init", "thread": False})
    lines.sort(key=lambda e: e["ts"])
    with open(path, "w", encoding="utf-8") as f:
        for e in lines:
            f.write(json.dumps(e) + "\n")
    return path


def test_html_names_each_outside_process_once(tmp_path):
    """Three orphans under init: init, outside what was followed, is named
    once in the page's data (a key twice is no JSON object)."""
    html = tmp_path / "orphans.html"
    r = run([PROCLIFE, "trace", "--wait-descendants", "-o", str(html), "--", "sh", "-c",
             "sleep 0.2 & sleep 0.2 & sleep 0.2 & exit 0"])
    assert_eq(f"trace exit status ({r.stderr})", 0, r.returncode)
    text = re.search(r'id="data">(.*?)</script>', html.read_text(), re.S).group(1)
    names = re.search(r'"names":(\{[^}]*\})', text).group(1)
    keys = [k for k, _ in json.loads(names, object_pairs_hook=lambda pairs: pairs)]
    assert len(keys) == len(set(keys)), f"a process named twice: {names}"
    assert "1" in keys, f"init, their new parent, not named: {names}"


def test_html_escapes_what_it_embeds(tmp_path):
    evil = "</script><b>x"
    log = synthetic_log(tmp_path / "evil.jsonl", 20, comm=evil)
    html = export(log, "html", tmp_path / "evil.html")
    text = html.read_text()
    assert evil not in text and "\\u003c/script\\u003e" in text, "a comm left unescaped"
    dom, bars = load_page(html, tmp_path)
    assert bars > 0
    # the name is shown as text, not taken as markup
    assert "&lt;/script&gt;&lt;b&gt;x" in dom, "the comm is not shown as text"


def test_ten_thousand_processes_stay_quick(tmp_path):
    log = synthetic_log(tmp_path / "big.jsonl", 10_000)
    start = time.monotonic()
    html = export(log, "html", tmp_path / "big.html")
    took = time.monotonic() - start
    assert took < 10, f"replay -f html of 10,000 processes took {took:.1f} s"
    start = time.monotonic()
    dom, bars = load_page(html, tmp_path)
    took = time.monotonic() - start
    assert took < 60, f"headless Chromium took {took:.1f} s for the page (twice)"
    ready = re.search(r'data-ready-ms="([0-9.]+)"', dom)
    assert ready, "the page did not record when it was ready"
    assert float(ready.group(1)) < 5000, f"the page took {ready.group(1)} ms to draw"
    # no DOM node per process: the tree opens a bounded number of rows
    assert dom.count("<li") < 1000, f"{dom.count('<li')} tree rows in the DOM"
    # the other formats keep up, and the tree stays a picture
    ph = check_perfetto(export(log, "perfetto", tmp_path / "big.json"))
    assert_eq("life slices", 10_000 + 1 + 20, sum(1 for e in ph["X"] if e["cat"] == "life"))
    path = export(log, "dot", tmp_path / "big.dot")
    assert path.read_text().count("->") < 200, "10,000 alike leaves were not folded"
    assert dot_svg(path, tmp_path) < 30


def names_log(path):
    """a root with children named as processes may name themselves: UTF-8,
    a control byte, bytes that are no UTF-8, an ampersand, a bidi override"""
    names = [("café", None), ("a\x1b[31mb", None), ("\ufffd\ufffdok", "fffe6f6b"), ("x&y", None),
             ("\u202eexe.live", None)]
    lines = [{"ev": "header", "format": "proclife-events", "version": 2, "ts": 1000},
             {"ev": "fork", "ts": 2000, "pid": 100, "tid": 100, "start": 1990, "comm": "root",
              "ppid": 1, "thread": False}]
    for i, (comm, hexed) in enumerate(names):
        me = {"pid": 200 + i, "tid": 200 + i, "start": 3000 + i * 10, "comm": comm}
        if hexed:
            me["comm_hex"] = hexed
        lines.append({"ev": "fork", "ts": 3000 + i * 10, **me, "ppid": 100, "thread": False})
    lines.append({"ev": "trailer", "ts": 9000, "events": {}, "lost": {}})
    path.write_text("".join(json.dumps(e) + "\n" for e in lines))
    return path


def test_names_of_any_bytes_in_csv_and_dot(tmp_path):
    log = names_log(tmp_path / "names.jsonl")
    out = export(log, "csv", tmp_path / "n.csv")
    with open(out, encoding="utf-8") as f:  # UTF-8 text whatever the names
        rows = {r["pid"]: r for r in csv.DictReader(f)}
    assert_eq("a UTF-8 name", "café", rows["200"]["command"])
    assert_eq("a control byte", "$'a\\E[31mb'", rows["201"]["command"])
    assert_eq("bytes that are no UTF-8", "$'\\xff\\xfeok'", rows["202"]["command"])
    assert_eq("its name at birth", "$'\\xff\\xfeok'", rows["202"]["command_at_birth"])
    dot = export(log, "dot", tmp_path / "n.dot").read_text(encoding="utf-8")
    for label in ("café 200", "a?[31mb 201", "??ok 202", "x&amp;y 203", "?exe.live 204"):
        assert f'label="{label}' in dot, f"no label {label!r} in:\n{dot}"
    r = subprocess.run(["dot", "-Tsvg", str(tmp_path / "n.dot")], capture_output=True, text=True,
                       timeout=60)
    assert_eq(f"dot's exit status ({r.stderr})", 0, r.returncode)
    assert_eq("dot's warnings", "", r.stderr)


def test_a_subtree_exports_alone_to_perfetto(tmp_path):
    """-p: the subtree's slices, instants and arrows, and tracks for the
    parent and adopter they reach; nothing of the processes beside it"""
    log = synthetic_log(tmp_path / "s.jsonl", 20)  # 1000 leaves orphan 30000 to init
    trace = json.loads(export(log, "perfetto", tmp_path / "p.json", "-p", "1000").read_text())
    events = trace["traceEvents"]
    assert_eq("lives drawn", [1000, 30000],
              sorted(e["pid"] for e in events if e.get("cat") == "life"))
    assert_eq("instants' processes", {1000, 30000},
              {e["pid"] for e in events if e.get("ph") == "i"})
    assert_eq("fork arrows from", [100, 1000],
              sorted(e["pid"] for e in events if e.get("ph") == "s" and e["name"] == "fork"))
    assert_eq("tracks", {1, 100, 1000, 30000},
              {e["pid"] for e in events if e.get("name") == "process_name"})


def test_html_isolates_each_name(tmp_path):
    """a name of right-to-left overrides stays inside its own isolate: the
    pid after it is not turned around"""
    html = export(names_log(tmp_path / "names.jsonl"), "html", tmp_path / "n.html")
    dom, _ = load_page(html, tmp_path)
    assert "\u2068\u202eexe.live\u2069 204" in dom, "the name is not isolated from its pid"

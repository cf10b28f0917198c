# SPDX-License-Identifier: BSD-2-Clause
"""Replay: a log read back through the same model tells the same story."""
import csv
import json
import os
import resource
import shutil
import sys
import subprocess
import tempfile

import pytest

from conftest import LIFECYCLE, PROCLIFE, assert_eq, needs_root, read_log, trace

# facts that must survive a round trip; times of the model's zombie flags
# depend on when it looked, so those compare without them
VOLATILE = {"ts", "zombie_ns", "cpu"}


def facts(events, volatile_for=("zombie_long",)):
    out = set()
    for e in events:
        if e["ev"] in ("header", "trailer"):
            continue
        drop = VOLATILE if e["ev"] in volatile_for else set()
        out.add(json.dumps({k: v for k, v in e.items() if k not in drop}, sort_keys=True))
    return out


def replay(*args, **kw):
    return subprocess.run([PROCLIFE, "replay", *args], capture_output=True, text=True,
                          timeout=60, stdin=subprocess.DEVNULL, **kw)


@needs_root
@pytest.mark.parametrize("pattern", [["subreaper"], ["zombie", "150"], ["autoreap"], ["orphan"]])
def test_round_trip_jsonl(tmp_path, pattern):
    t = trace(tmp_path, [LIFECYCLE, *pattern])
    original = tmp_path / "trace.jsonl"
    again = tmp_path / "again.jsonl"
    r = replay(str(original), "-f", "jsonl", "-o", str(again))
    assert_eq(f"replay exit status ({r.stderr})", 0, r.returncode)
    replayed = read_log(again)
    assert_eq("header kept", t.events[0], replayed[0])
    missing = facts(t.events) - facts(replayed)
    extra = facts(replayed) - facts(t.events)
    assert not missing and not extra, f"lost in replay: {missing}\nadded by replay: {extra}"
    assert_eq("trailer counts", t.events[-1]["events"], replayed[-1]["events"])


def raw_lines(path):
    with open(path) as f:
        return [json.loads(line) for line in f]


@needs_root
def test_an_exit_line_tells_its_zombie_moment_once(tmp_path):
    """A zombie moment that adds only its time rides in its exit's line
    (zombie_ts), once; so does that of a process whose leader ended before
    it, whose exit its last thread tells (one that says more would keep a
    line of its own). Replay reads such a line as two events and writes the
    log again line for line."""
    script = f"{LIFECYCLE} zombie 150; {LIFECYCLE} leader-leaves 20"
    t = trace(tmp_path, ["sh", "-c", script])
    original = tmp_path / "trace.jsonl"
    lines = raw_lines(original)
    lifecycles = [e["pid"] for e in lines if e["ev"] == "exec" and e["filename"] == LIFECYCLE]
    assert_eq("the two programs run", 2, len(lifecycles))
    child = t.pid("child")
    leader_left = lifecycles[1]
    exit_line = [e for e in lines if e["ev"] == "exit" and e["pid"] == child]
    assert_eq("the child's exit lines", 1, len(exit_line))
    assert_eq("the child's zombie lines", [],
              [e for e in lines if e["ev"] == "zombie" and e["pid"] == child])
    zombie = t.one("zombie", pid=child)
    assert_eq("the zombie moment read from the exit line", exit_line[0]["zombie_ts"], zombie["ts"])
    assert exit_line[0]["ts"] <= zombie["ts"] <= t.one("reap", pid=child)["ts"], (exit_line, zombie)
    own = [e for e in lines if e["ev"] == "zombie" and e["pid"] == leader_left]
    (last,) = [e for e in lines if e["ev"] == "exit" and e["pid"] == leader_left
               and e.get("group_dead")]
    assert last["tid"] != leader_left, f"the process's end told by its leader: {last}"
    assert_eq("the zombie moment of the process whose leader left, told once", 1,
              len(own) + ("zombie_ts" in last))
    assert_eq("zombie events in the trailer", len(t.of("zombie")), lines[-1]["events"]["zombie"])
    again = tmp_path / "again.jsonl"
    r = replay(str(original), "-f", "jsonl", "-o", str(again))
    assert_eq(f"replay exit status ({r.stderr})", 0, r.returncode)

    def said(events):
        return [e for e in events if e["ev"] in ("exit", "zombie", "reap")]
    assert_eq("exit, zombie and reap lines written again", said(lines), said(raw_lines(again)))


@needs_root
def test_no_summary_leaves_the_events_alone(tmp_path):
    t = trace(tmp_path, [LIFECYCLE, "fork-exit", "3"])
    log = str(tmp_path / "trace.jsonl")
    whole, alone = replay(log), replay(log, "--no-summary")
    assert_eq(f"exit status ({alone.stderr})", 0, alone.returncode)
    assert "== summary" in whole.stdout and "== summary" not in alone.stdout, alone.stdout
    assert_eq("the events, as with the summary", whole.stdout.split("\n\n== summary")[0].rstrip(),
              alone.stdout.rstrip())
    assert f" {t.pid('child')} " in alone.stdout, alone.stdout
    r = replay(log, "--no-summary", "-f", "tree")
    assert_eq("a usage error", 2, r.returncode)
    assert r.stderr.startswith("error: --no-summary"), r.stderr


@needs_root
def test_wall_clock_of_a_log_that_does_not_say_it_is_warned(tmp_path):
    """A header without boot_to_wall_ns (an earlier version's): --wall-clock
    cannot give times of the day, and says so rather than drop the option."""
    trace(tmp_path, [LIFECYCLE, "fork-exit", "1"])
    lines = open(tmp_path / "trace.jsonl").read().splitlines(keepends=True)
    header = json.loads(lines[0])
    del header["boot_to_wall_ns"]
    old = tmp_path / "old.jsonl"
    old.write_text(json.dumps(header) + "\n" + "".join(lines[1:]))
    r = replay(str(old), "--wall-clock")
    assert_eq(f"exit status ({r.stderr})", 0, r.returncode)
    assert "warning: the log does not say the wall clock at boot" in r.stderr, r.stderr
    r = replay(str(tmp_path / "trace.jsonl"), "--wall-clock")
    assert "warning" not in r.stderr, r.stderr


@needs_root
def test_tree_and_summary_are_added_as_trace_adds_them(tmp_path):
    trace(tmp_path, [LIFECYCLE, "fork-exit", "2"])
    log = str(tmp_path / "trace.jsonl")
    tree, summary = replay(log, "-f", "tree"), replay(log, "-f", "summary")
    for args, parts in [(["--tree"], ["events", tree.stdout, summary.stdout]),
                        (["-f", "summary", "--tree"], [tree.stdout, summary.stdout]),
                        (["-f", "tree", "--summary"], [tree.stdout, summary.stdout])]:
        r = replay(log, *args)
        assert_eq(f"exit status of {args} ({r.stderr})", 0, r.returncode)
        for part in parts[-2:]:
            assert part.strip() in r.stdout, f"{args}: {part!r} not in\n{r.stdout}"
        assert r.stdout.index("== process tree") < r.stdout.index("== summary"), r.stdout
    for args, words in [(["-f", "csv", "--tree"], "--tree adds"),
                        (["-f", "jsonl", "--summary"], "--summary adds"),
                        (["--summary", "--no-summary"], "cannot be combined"),
                        (["-f", "csv", "--wall-clock"], "--wall-clock shows"),
                        (["-f", "summary", "--wall-clock"], "--wall-clock shows")]:
        r = replay(log, *args)
        assert_eq(f"exit status of {args}", 2, r.returncode)
        assert r.stderr.startswith(f"error: {words}") or words in r.stderr, r.stderr


@needs_root
def test_replay_needs_no_root_and_prints_the_same_summary(tmp_path):
    t = trace(tmp_path, [LIFECYCLE, "subreaper"], "--summary")
    # a copy anyone may read, in a folder anyone may enter
    shared = tempfile.mkdtemp(prefix="proclife-replay-")
    os.chmod(shared, 0o755)
    log = os.path.join(shared, "trace.jsonl")
    shutil.copy(tmp_path / "trace.jsonl", log)
    os.chmod(log, 0o644)
    setpriv = shutil.which("setpriv")
    if not setpriv:
        pytest.skip("setpriv is missing")
    r = subprocess.run([setpriv, "--reuid=65534", "--regid=65534", "--clear-groups", PROCLIFE,
                        "replay", str(log), "-f", "summary"], capture_output=True, text=True)
    assert_eq(f"replay as nobody ({r.stderr})", 0, r.returncode)
    grandchild = t.pid("grandchild")
    assert f"{grandchild}" in r.stdout and "subreaper" in r.stdout, r.stdout
    tree = replay(str(log), "-f", "tree")
    shutil.rmtree(shared)
    assert_eq("tree exit status", 0, tree.returncode)
    assert "adopted by subreaper" in tree.stdout, tree.stdout


GOOD = ('{"ev":"header","format":"proclife-events","version":1,"ts":1}\n'
        '{"ev":"fork","ts":2,"pid":10,"tid":10,"start":2,"comm":"a","ppid":1}\n')


def test_the_trailers_counts_are_read(tmp_path):
    """What the trailer adds up is what the summary says: records lost that
    no lost line told (lines cut from the log), and the kernel side's
    counters."""
    log = tmp_path / "t.jsonl"
    log.write_text(GOOD + '{"ev":"lost","ts":3,"kind":"exit","count":2}\n'
                   '{"ev":"trailer","ts":4,"events":{},"lost":{"exit":5,"fork":1},'
                   '"stats":{"kills_lost":3}}\n')
    r = replay(str(log), "-f", "summary")
    assert_eq(f"exit status ({r.stderr})", 0, r.returncode)
    assert "lost records: 6 (fork 1, exit 5)" in r.stdout, r.stdout
    # the tracer tells every loss in a lost line: 4 of them were not
    assert_eq("stderr", f"warning: {log}: the trailer counts 4 lost records that no lost line "
              "told: its lines are not all the trace wrote\n", r.stderr)
    assert "fatal signals whose sender was not told" in r.stdout and ": 3\n" in r.stdout, r.stdout


def test_an_end_that_is_no_wait_status_is_said_as_it_is(tmp_path):
    """A kernel thread ends with whatever its function returned: its exit's
    status is told as that number, never decoded into an exit code or a
    signal it is not; the JSONL written again keeps it, decoding nothing."""
    log = tmp_path / "k.jsonl"
    log.write_text(GOOD + '{"ev":"exit","ts":3,"pid":10,"tid":10,"start":2,"comm":"a","ppid":1,'
                   '"status":-4,"group_dead":true}\n')
    r = replay(str(log), "-f", "text")
    assert_eq(f"exit status ({r.stderr})", 0, r.returncode)
    assert "ended with -4 (no wait status)" in r.stdout, r.stdout
    assert "exits: 0 with a code, 0 killed by a signal (0 of them dumping core), 1 with no " \
        "wait status" in r.stdout, r.stdout
    r = replay(str(log), "-f", "jsonl")
    exit_ = next(json.loads(line) for line in r.stdout.splitlines() if '"exit"' in line)
    assert_eq("status kept", -4, exit_["status"])
    assert_eq("nothing decoded", [], [k for k in ("code", "signal", "core") if k in exit_])


def test_an_adoption_told_after_the_reap_is_no_disorder(tmp_path):
    """An orphan's adoption is told at its old parent's last switch, which
    may come after the orphan itself has ended and been reaped: a log that
    says so is as the tracer writes it, with no warning"""
    log = tmp_path / "late.jsonl"
    log.write_text(GOOD.splitlines()[0] + "\n" +
                   '{"ev":"fork","ts":2,"pid":8,"tid":8,"start":2,"comm":"s","ppid":1}\n'
                   '{"ev":"fork","ts":3,"pid":9,"tid":9,"start":3,"comm":"m","ppid":8}\n'
                   '{"ev":"fork","ts":4,"pid":10,"tid":10,"start":4,"comm":"c","ppid":9}\n'
                   '{"ev":"exit","ts":5,"pid":9,"tid":9,"start":3,"comm":"m","ppid":8,'
                   '"status":0,"zombie_ts":5,"group_dead":true}\n'
                   '{"ev":"exit","ts":6,"pid":10,"tid":10,"start":4,"comm":"c","ppid":8,'
                   '"status":0,"zombie_ts":6,"group_dead":true}\n'
                   '{"ev":"reap","ts":7,"pid":10,"tid":10,"start":4,"comm":"c","reaper":8,'
                   '"status":0,"zombie_ns":1}\n'
                   '{"ev":"reparent","ts":8,"pid":10,"tid":10,"start":4,"comm":"c",'
                   '"old_parent":9,"new_parent":8,"new_parent_start":2,"adopter":"subreaper"}\n')
    r = replay(str(log), "-f", "summary")
    assert_eq(f"exit status ({r.stderr})", 0, r.returncode)
    assert "out of order" not in r.stderr, r.stderr
    assert "orphans: 0 adopted by init, 1 by a subreaper" in r.stdout, r.stdout


def test_a_kernel_threads_reap_by_no_wait_keeps_its_status(tmp_path):
    """kthreadd's children are reaped as they end, no wait made: the reap
    carries the thread's return as it is, which a log holds; a wait's reap
    never does (the parameters above)"""
    log = tmp_path / "k.jsonl"
    log.write_text(GOOD.replace('"ppid":1', '"ppid":2') +
                   '{"ev":"exit","ts":3,"pid":10,"tid":10,"start":2,"comm":"a","ppid":2,'
                   '"status":-4,"group_dead":true}\n'
                   '{"ev":"reap","ts":3,"pid":10,"tid":10,"start":2,"comm":"a","reaper":2,'
                   '"status":-4,"zombie_ns":0,"auto":true,"final":true}\n')
    r = replay(str(log), "-f", "jsonl")
    assert_eq(f"exit status ({r.stderr})", 0, r.returncode)
    reap = next(json.loads(line) for line in r.stdout.splitlines() if '"reap"' in line)
    assert_eq("its status kept", -4, reap["status"])
    r = replay(str(log), "-f", "tree", "--kernel-threads")
    assert "ended with -4 (no wait status)" in r.stdout and "killed" not in r.stdout, r.stdout


def test_an_end_that_is_no_wait_status_is_decoded_in_no_view(tmp_path):
    """Among siblings that exited 0, one that ended with -1, which decoded
    as a wait status would read as killed by signal 127 with a core: the
    CSV gives it no code, signal or core, and the tree and the graph give
    it a line of its own with the number, folding it with none."""
    lines = [GOOD.splitlines()[0]]
    ts = 2
    for pid in range(10, 19):
        start, status = ts, -1 if pid == 14 else 0
        lines.append(f'{{"ev":"fork","ts":{ts},"pid":{pid},"tid":{pid},"start":{start},'
                     f'"comm":"a","ppid":1}}')
        lines.append(f'{{"ev":"exit","ts":{ts + 1},"pid":{pid},"tid":{pid},"start":{start},'
                     f'"comm":"a","ppid":1,"status":{status},"group_dead":true}}')
        end = ('"reap"', ',"reaper":1,"status":0,"zombie_ns":1') if status == 0 else \
            ('"free"', ',"status":-1')
        lines.append(f'{{"ev":{end[0]},"ts":{ts + 2},"pid":{pid},"tid":{pid},"start":{start},'
                     f'"comm":"a"{end[1]}}}')
        ts += 3
    log = tmp_path / "k.jsonl"
    log.write_text("\n".join(lines) + "\n")
    r = replay(str(log), "-f", "csv", "-o", str(tmp_path / "k.csv"))
    assert_eq(f"exit status ({r.stderr})", 0, r.returncode)
    rows = list(csv.DictReader(open(tmp_path / "k.csv", newline="")))
    (row,) = [r for r in rows if r["pid"] == "14"]
    assert_eq("its end, told", "ended with -1 (no wait status)", row["end"])
    assert_eq("nothing decoded", {"code": "", "signal": "", "core": ""},
              {k: row[k] for k in ("code", "signal", "core")})
    for fmt in ("tree", "dot"):
        out = replay(str(log), "-f", fmt).stdout
        (told,) = [line for line in out.splitlines() if "14 a" in line or "a 14" in line]
        assert "ended with -1 (no wait status)" in told, out
        assert "killed" not in out and "127" not in out, out


@needs_root
@pytest.mark.parametrize("how,words", [
    ("joined twice", ["told twice"]),
    ("reversed", ["ends after its reap"]),
    ("as it was", []),
])
def test_lines_repeated_or_out_of_order_are_said(tmp_path, how, words):
    """A log joined twice, or sorted, tells every life twice or backwards:
    replay says so (once), and a log as the tracer wrote it says nothing."""
    trace(tmp_path, [LIFECYCLE, "fork-exit", "3"])
    lines = (tmp_path / "trace.jsonl").read_text().splitlines(keepends=True)
    head, body, tail = lines[:1], lines[1:-1], lines[-1:]
    body = {"joined twice": body + body, "reversed": body[::-1], "as it was": body}[how]
    log = tmp_path / "changed.jsonl"
    log.write_text("".join(head + body + tail))
    r = replay(str(log), "-f", "summary")
    assert_eq(f"exit status ({r.stderr})", 0, r.returncode)
    warnings = [l for l in r.stderr.splitlines() if l.startswith("warning:")]
    assert_eq(f"warnings ({r.stderr})", len(words), len(warnings))
    for w in words:
        assert w in warnings[0] and "repeated or out of order" in warnings[0], warnings


@needs_root
def test_an_orphaning_told_again_later_is_said(tmp_path):
    """A parent ends once: an orphan's reparent line repeated further on
    (not right after itself) tells an orphaning that cannot be."""
    trace(tmp_path, [LIFECYCLE, "orphan"])
    lines = (tmp_path / "trace.jsonl").read_text().splitlines(keepends=True)
    at = next(i for i, l in enumerate(lines) if '"ev":"reparent"' in l)
    pid = json.loads(lines[at])["pid"]
    later = next(i for i in range(at + 1, len(lines))
                 if f'"pid":{pid},' in lines[i] and '"ev":"reparent"' not in lines[i])
    log = tmp_path / "changed.jsonl"
    log.write_text("".join(lines[:later + 1] + [lines[at]] + lines[later + 1:]))
    r = replay(str(log), "-f", "summary")
    assert_eq(f"exit status ({r.stderr})", 0, r.returncode)
    assert f"pid {pid} is orphaned twice by the end of one parent" in r.stderr, r.stderr
    clean = replay(str(tmp_path / "trace.jsonl"), "-f", "summary")
    assert "warning" not in clean.stderr, clean.stderr


def _edit_exit_of_a_child(lines, edit):
    """lines of a real log with one child's exit line changed by edit(exit,
    reap): the first exit that has a reap of its own life"""
    events = [json.loads(l) for l in lines]
    for i, e in enumerate(events):
        if e.get("ev") != "exit" or "zombie_ts" not in e:
            continue
        reap = next((r for r in events if r.get("ev") == "reap" and r["pid"] == e["pid"]
                     and r["start"] == e["start"]), None)
        if reap:
            edit(e, reap)
            lines[i] = json.dumps(e, separators=(",", ":")) + "\n"
            return lines
    raise AssertionError("no exit with its reap in the log")


def _cut_a_fork(lines):
    i = next(i for i, l in enumerate(lines) if '"ev":"fork"' in l)
    return lines[:i] + lines[i + 1:]


def _exec_after_reap(lines):
    """an exec line of a child moved after the wait that reaped it"""
    events = [json.loads(l) for l in lines]
    for i, e in enumerate(events):
        if e.get("ev") == "reap" and not e.get("auto") and not e.get("inferred"):
            fork = next(f for f in events if f.get("ev") == "fork" and f["pid"] == e["pid"]
                        and f["start"] == e["start"])
            ex = {k: fork[k] for k in ("pid", "tid", "start", "comm", "ppid", "pstart")}
            ex = {"ev": "exec", "ts": e["ts"] + 1000, **ex, "old_tid": e["pid"],
                  "filename": "/bin/true", "argv": ["true"]}
            return lines[:i + 1] + [json.dumps(ex, separators=(",", ":")) + "\n"] + lines[i + 1:]
    raise AssertionError("no reap by a wait in the log")


def _header_later(lines):
    """the header's time moved a minute on: every line older than the start"""
    head = json.loads(lines[0])
    head["ts"] += 60 * 10**9
    return [json.dumps(head, separators=(",", ":")) + "\n"] + lines[1:]


def _lost_total(lines):
    lines[-1] = lines[-1].replace('"lost_total":0', '"lost_total":5')
    return lines


@needs_root
@pytest.mark.parametrize("how,words", [
    ("ends after its reap", "is reaped before it ends"),
    ("a zombie before its end", "is a zombie before it ends"),
    ("a line cut", "the trailer counts 1 event that is not in the log"),
    ("lost_total changed", "the trailer's lost_total is 5, but its lost records per kind add up to 0"),
    ("an exec after its reap", "has a line after the wait that reaped it"),
    ("a header later than its lines", "s older than the log's header, where it begins"),
])
def test_times_and_counts_that_cannot_be_are_said(tmp_path, how, words):
    """A log edited so a life ends after its own reap by their times, or is
    a zombie before it ends, or with a line cut out, or a trailer whose
    totals disagree: replay says so once, where the lines' order alone
    would not show it."""
    trace(tmp_path, [LIFECYCLE, "fork-exit", "3"])
    lines = (tmp_path / "trace.jsonl").read_text().splitlines(keepends=True)
    edits = {
        "ends after its reap": lambda l: _edit_exit_of_a_child(
            l, lambda e, r: e.update(ts=r["ts"] + 1000, zombie_ts=r["ts"] + 2000)),
        "a zombie before its end": lambda l: _edit_exit_of_a_child(
            l, lambda e, r: e.update(zombie_ts=e["ts"] - 1)),
        "a line cut": _cut_a_fork,
        "lost_total changed": _lost_total,
        "an exec after its reap": _exec_after_reap,
        "a header later than its lines": _header_later,
    }
    log = tmp_path / "changed.jsonl"
    log.write_text("".join(edits[how](lines)))
    r = replay(str(log), "-f", "summary")
    assert_eq(f"exit status ({r.stderr})", 0, r.returncode)
    warnings = [l for l in r.stderr.splitlines() if l.startswith("warning:")]
    assert_eq(f"warnings ({r.stderr})", 1, len(warnings))
    assert words in warnings[0], warnings


@needs_root
def test_replay_flags_zombies_at_the_traces_own_threshold(tmp_path):
    """A log traced with --zombie-ms 50: its replay flags the zombie held
    75 ms as the live trace did, at 50 ms, and a rewritten log keeps it."""
    t = trace(tmp_path, [LIFECYCLE, "zombie", "75"], "--zombie-ms", "50")
    live = [e for e in t.events if e["ev"] == "zombie_long"]
    assert_eq("zombie_long lines live", 1, len(live))
    log = tmp_path / "trace.jsonl"
    r = replay(str(log), "-f", "jsonl")
    again = [json.loads(l) for l in r.stdout.splitlines() if '"zombie_long"' in l
             and '"ev":"zombie_long"' in l]
    assert_eq("zombie_long lines in replay", 1, len(again))
    assert_eq("its time as a zombie: the threshold", 50000000, again[0]["zombie_ns"])
    assert_eq("its moment", live[0]["ts"], again[0]["ts"])
    r = replay(str(log), "-f", "summary")
    assert "1 past 50 ms" in r.stdout, r.stdout
    r = replay(str(log), "-f", "summary", "--zombie-ms", "200")
    assert "0 past 200 ms" in r.stdout, r.stdout


@pytest.mark.parametrize("args,name", [
    (["-o", "a.txt", "-o", "b.txt"], "-o (--output)"),
    (["-f", "tree", "-f", "summary"], "-f (--format)"),
    (["-p", "1", "-p", "2"], "-p (--pid)"),
    (["--zombie-ms", "5", "--zombie-ms", "6"], "--zombie-ms"),
    (["--events", "all", "--events", "fork"], "--events"),
])
def test_replay_refuses_an_option_of_one_value_given_twice(tmp_path, args, name):
    log = tmp_path / "t.jsonl"
    log.write_text(GOOD)
    r = replay(str(log), *args)
    assert_eq(f"exit status ({r.stderr})", 2, r.returncode)
    assert_eq("stderr", f"error: {name} given twice: one at a time\n", r.stderr)


def test_a_log_written_again_keeps_its_own_zombie_threshold(tmp_path):
    """Its zombie_long lines are remade at the threshold its header names:
    another one would write a log that says one and does the other."""
    log = tmp_path / "a.jsonl"
    log.write_text(GOOD)
    r = replay(str(log), "-f", "jsonl", "--zombie-ms", "50")
    assert_eq(f"exit status ({r.stderr})", 2, r.returncode)
    assert_eq("stderr", "error: --zombie-ms sets what the views flag as a long zombie; replay -f "
              "jsonl writes the log again with the threshold it was traced with\n", r.stderr)
    assert_eq("output", "", r.stdout)


def test_an_exit_that_took_long_is_no_disorder(tmp_path):
    """An exit's record waits for its zombie moment: one whose exit took
    1.4 s (closing its files) comes after lines newer than its exit, and
    that is the order the tracer writes, not a log out of order."""
    log = tmp_path / "slow-exit.jsonl"
    log.write_text(
        '{"ev":"header","format":"proclife-events","version":2,"ts":1,"waits_counted":true}\n'
        '{"ev":"fork","ts":1000000000,"pid":10,"tid":10,"start":1000000000,"comm":"a","ppid":1}\n'
        '{"ev":"fork","ts":2500000000,"pid":11,"tid":11,"start":2500000000,"comm":"b","ppid":1}\n'
        '{"ev":"exit","ts":2600000000,"pid":11,"tid":11,"start":2500000000,"comm":"b","ppid":1,'
        '"status":0,"zombie_ts":2600000100}\n'
        '{"ev":"exit","ts":1200000000,"pid":10,"tid":10,"start":1000000000,"comm":"a","ppid":1,'
        '"status":0,"zombie_ts":3500000000}\n'
        '{"ev":"trailer","ts":4000000000,"events":{},"lost":{}}\n')
    r = replay(str(log), "-f", "summary")
    assert_eq(f"exit status ({r.stderr})", 0, r.returncode)
    assert_eq("replay's warnings", "", r.stderr)


def test_lost_counts_too_large_to_add_stop_at_the_largest(tmp_path):
    big = 2**64 - 1
    log = tmp_path / "t.jsonl"
    log.write_text(GOOD + "".join(f'{{"ev":"lost","ts":3,"kind":"{k}","count":{big}}}\n'
                                  for k in ("exit", "exit", "fork")))
    r = replay(str(log), "-f", "summary")
    assert f"lost records: {big} (fork {big}, exit {big})" in r.stdout, r.stdout


def test_a_line_before_its_process_started_is_said(tmp_path):
    # a time no kernel gives: the log was edited or is not what it claims
    log = tmp_path / "t.jsonl"
    log.write_text(GOOD + '{"ev":"exit","ts":1,"pid":10,"tid":10,"start":2,"comm":"a",'
                   '"status":0}\n{"ev":"trailer","ts":4,"events":{},"lost":{}}\n')
    r = replay(str(log), "-f", "summary")
    assert_eq(f"exit status ({r.stderr})", 0, r.returncode)
    lines = r.stderr.strip().splitlines()
    assert_eq(f"stderr lines {lines}", 1, len(lines))
    assert f"{log}:3: this line's time is before its process started" in lines[0], lines[0]


@pytest.mark.parametrize("content,status,words", [
    (GOOD + '{"ev":"fork","ts":3,"pid":"x"}\n', 1, [":3:", "'pid'"]),
    (GOOD + '{"ev":"exit","ts":3,"pid":10,"tid":10,"start":2,"comm":"a"}\n', 1,
     [":3:", "missing field 'status'"]),
    (GOOD + 'not json\n', 1, [":3:", "invalid JSON"]),
    ('{"ev":"header","format":"proclife-events","version":9}\n', 1, [":1:", "version 9"]),
    ('', 1, ["empty"]),
    ('\x00\x01\x02garbage\xff\n', 1, [":1:", "not a proclife log"]),
    (GOOD + '{"ev":"exit","ts":3,"pid":10', 0, [":3:", "cut short"]),
    (GOOD + '{"ev":"fork","ts":3,"pid":11,"tid":11,"start":3,"comm":"\xff","ppid":1}\n'
     '{"ev":"trailer","ts":4,"events":{},"lost":{}}\n', 0,
     [":3:", "not UTF-8", "'?'"]),
    (GOOD + '{"ev":"fork","ts":3,"pid":11,"tid":11,"start":3,"comm":"a\\u0000b","ppid":1}\n', 1,
     [":3:", "NUL"]),
    (GOOD + '{"ev":"fork","ts":3} trailing\n', 1, [":3:", "invalid JSON"]),
    ('{"ev":"header","format":"proclife-events","version":1,"boot_to_wall_ns":9223372036854775807}\n',
     1, [":1:", "boot_to_wall_ns", "since 1970"]),
    ('{"ev":"header","format":"proclife-events","version":1,"boot_to_wall_ns":-1}\n',
     1, [":1:", "boot_to_wall_ns"]),
    (GOOD + '{"ev":"reap","ts":5,"pid":10,"tid":10,"start":2,"comm":"a","reaper":1,'
     '"status":0,"zombie_ns":18446744073709551615}\n', 1,
     [":3:", "'zombie_ns' is 18446744073709551615, longer than the time since boot"]),
    ('{"ev":"header","format":"proclife-events","version":2,"waits_counted":null}\n',
     1, [":1:", "waits_counted is null, expected true or false"]),
    ('{"ev":"header","format":"proclife-events","version":2,"ts":"5"}\n',
     1, [":1:", "ts is string, expected a whole number"]),
    ('{"ev":"header","format":"proclife-events","version":2,"options":{"zombie_ms":-5}}\n',
     1, [":1:", "options.zombie_ms is negative"]),
    ('{"ev":"header","format":"proclife-events","version":2,"options":{"zombie_ms":86400001}}\n',
     1, [":1:", "options.zombie_ms is 86400001, not a --zombie-ms (1 to 86400000)"]),
    ('{"ev":"header","format":"proclife-events","version":2,"options":[]}\n',
     1, [":1:", "options is array, expected an object"]),
    (GOOD + '{"ev":"trailer","ts":4,"events":{},"lost":{}}\n'
     '{"ev":"fork","ts":5,"pid":12,"tid":12,"start":5,"comm":"a","ppid":1}\n', 1,
     [":4:", "after the trailer"]),
    # what the trailer counts is checked where the log ends: here it does not
    pytest.param(GOOD + '{"ev":"trailer","ts":4,"events":{"fork":9},"lost":{"exit":2}}\n'
                 '{"ev":"fork","ts":5,"pid":12,"tid":12,"start":5,"comm":"a","ppid":1}\n', 1,
                 [":4:", "after the trailer"], id="trailer-mid-log"),
    # longer than any record holds: the writer's line has room for no more
    pytest.param(GOOD + '{"ev":"exec","ts":3,"pid":10,"tid":10,"start":2,"comm":"a",'
                 '"filename":"/a","argv":[' + ",".join(['"a"'] * 40000) + ']}\n', 1,
                 [":3:", "field 'argv' is longer than a tracer writes (4096 bytes"],
                 id="argv-too-long"),
    pytest.param(GOOD + '{"ev":"exec","ts":3,"pid":10,"tid":10,"start":2,"comm":"a",'
                 '"filename":"' + "a" * 4096 + '"}\n', 1,
                 [":3:", "field 'filename' is longer than a tracer writes (4095"],
                 id="filename-too-long"),
    pytest.param(GOOD + '{"ev":"fork","ts":3,"pid":11,"tid":11,"start":3,"comm":"a","ppid":1,'
                 '"uid":0,"gid":0,"cgroup_id":5,"cgroup":"/x","cgroup_hex":"' + "41" * 5000
                 + '"}\n', 1, [":3:", "field 'cgroup' is longer than a tracer writes"],
                 id="cgroup-hex-too-long"),
    pytest.param(GOOD + '{"ev":"exit","ts":3,"pid":10,"tid":10,"start":2,"comm":"a","status":0,'
                 '"cpu_user_ns":18446744073709551615,"cpu_sys_ns":5,"max_rss_kb":1}\n', 1,
                 [":3:", "'cpu_user_ns' and 'cpu_sys_ns' add up to more than 2^63 ns"],
                 id="cpu-times-wrap"),
    # no status wait() reports: -1, a stop's, signal 72, past 16 bits
    *[pytest.param(GOOD + '{"ev":"reap","ts":3,"pid":10,"tid":10,"start":2,"comm":"a",'
                   f'"reaper":1,"status":{status},"zombie_ns":0}}\n', 1,
                   [":3:", f"field 'status' is {status}, which is no status wait() reports"],
                   id=f"status-{status}") for status in (-1, 4991, 200, 65536)],
    pytest.param('{"ev":"header","format":"proclife-events","version":2,"version":3}\n', 1,
                 [":1:", "field 'version' is given twice"], id="header-key-twice"),
    pytest.param('{"ev":"header","format":"proclife-events","version":2,"options":'
                 '{"zombie_ms":5,"threads":true,"zombie_ms":6}}\n', 1,
                 [":1:", "field 'zombie_ms' of 'options' is given twice"], id="option-twice"),
    pytest.param(GOOD + '{"ev":"trailer","ts":4,"events":{"fork":1,"exit":0,"fork":2},'
                 '"lost":{}}\n', 1, [":3:", "field 'fork' of 'events' is given twice"],
                 id="trailer-count-twice"),
    pytest.param(GOOD + '{"ev":"lost","kind":"fork","count":1,"ts":3,"count":2}\n', 1,
                 [":3:", "field 'count' is given twice"], id="lost-count-twice"),
    pytest.param(GOOD + '{"ev":"fork","ts":3,"pid":11,"tid":11,"start":3,"comm":"a","ppid":11,'
                 '"pstart":3}\n', 1, [":3:", "a process born of itself"], id="own-parent"),
    # the exact bytes of other arguments than the strings tell
    pytest.param(GOOD + '{"ev":"exec","ts":3,"pid":10,"tid":10,"start":2,"comm":"a",'
                 '"argv":["a","b"],"argv_hex":["ff"]}\n', 1,
                 [":3:", "field 'argv_hex' holds 1 argument, 'argv' 2"], id="argv-hex-count"),
    pytest.param(GOOD + '{"ev":"exec","ts":3,"pid":10,"tid":10,"start":2,"comm":"a",'
                 '"argv":[],"argv_hex":["ff"]}\n', 1,
                 [":3:", "field 'argv_hex' holds 1 argument, 'argv' 0"],
                 id="argv-hex-count-of-none"),
    pytest.param(GOOD + '{"ev":"exec","ts":3,"pid":10,"tid":10,"start":2,"comm":"a",'
                 '"argv_hex":["ff"]}\n', 1,
                 [":3:", "field 'argv_hex' is given without 'argv'"], id="argv-hex-alone"),
    # the command's end: a wait status, or -1 for none
    *[pytest.param(GOOD + '{"ev":"trailer","ts":4,"events":{},"lost":{},'
                   f'"exit_status":{status}}}\n', 1,
                   [":3:", f"'exit_status' is {status}, which is no status wait()"
                    if status < 2**31 else "'exit_status' is out of range"],
                   id=f"trailer-status-{status}") for status in (-2, 65536, 4294967296)],
])
def test_malformed_logs(tmp_path, content, status, words):
    log = tmp_path / "bad.jsonl"
    log.write_bytes(content.encode("latin-1"))
    r = replay(str(log), "-f", "summary")
    assert_eq(f"exit status (stderr {r.stderr!r})", status, r.returncode)
    lines = r.stderr.strip().splitlines()
    assert_eq(f"stderr lines {lines}", 1, len(lines))
    for w in words:
        assert w in lines[0], f"{w!r} not in {lines[0]!r}"
    assert str(log) in lines[0], f"the file is not named: {lines[0]!r}"


def test_the_longest_fields_a_tracer_writes_replay_whole(tmp_path):
    """A file name, cgroup path and arguments as long as a record holds,
    every byte escaped six-fold or not UTF-8 (its string repaired and its
    bytes again in hex): replay writes the line back whole, and reads that
    back the same."""
    ctl, bad = "\\u0001" * 4095, "ff" * 4095
    log = tmp_path / "longest.jsonl"
    log.write_text(GOOD + '{"ev":"exec","ts":3,"pid":10,"tid":10,"start":2,"comm":"a",'
                   '"ppid":1,"uid":0,"gid":0,"cgroup_id":5,"cgroup":"x","cgroup_hex":"' + bad
                   + '","filename":"' + ctl + '","argv":["' + ctl + '"]}\n'
                   '{"ev":"exec","ts":4,"pid":10,"tid":10,"start":2,"comm":"a","ppid":1,'
                   '"filename":"x","filename_hex":"' + bad + '","argv":["x"],"argv_hex":["'
                   + bad + '"],"uid":0,"gid":0,"cgroup_id":5,"cgroup":"' + ctl + '"}\n'
                   '{"ev":"exec","ts":5,"pid":10,"tid":10,"start":2,"comm":"a","ppid":1,'
                   '"filename":"/a","argv":[' + ",".join(['""'] * 4096) + ']}\n')
    once = tmp_path / "once.jsonl"
    r = replay(str(log), "-f", "jsonl", "-o", str(once))
    assert_eq(f"exit status ({r.stderr})", 0, r.returncode)
    execs = [json.loads(line) for line in once.read_text().splitlines()
             if '"ev":"exec"' in line]
    assert_eq("exec lines written", 3, len(execs))
    assert_eq("file name", "\x01" * 4095, execs[0]["filename"])
    assert_eq("cgroup's bytes", bad, execs[0]["cgroup_hex"])
    assert_eq("arguments' bytes", [bad], execs[1]["argv_hex"])
    assert_eq("empty arguments", 4096, len(execs[2]["argv"]))
    twice = replay(str(once), "-f", "jsonl")
    assert_eq(f"exit status again ({twice.stderr})", 0, twice.returncode)
    assert_eq("the same lines again", once.read_text(), twice.stdout)


def test_a_line_of_a_million_values_is_refused(tmp_path):
    """Each value listed takes some 40 times the bytes its text does: a line
    that is not a log's cannot make replay hold gigabytes."""
    log = tmp_path / "big.jsonl"
    log.write_text(GOOD + '{"ev":"fork","ts":3,"pid":11,"tid":11,"start":3,"comm":"a",'
                   '"ppid":1,"x":[' + ",".join(["1"] * 1100000) + ']}\n')
    r = replay(str(log), "-f", "summary")
    assert_eq("exit status", 1, r.returncode)
    assert ":3:" in r.stderr and "more than 1048576 values in one line" in r.stderr, r.stderr


@pytest.mark.parametrize("fmt", ["csv", "html", "jsonl", "summary"])
def test_a_log_that_fails_half_way_leaves_no_output(tmp_path, fmt):
    log = tmp_path / "bad.jsonl"
    log.write_text(GOOD + '{"ev":"fork","ts":3,"pid":"x"}\n')
    out = tmp_path / f"out.{fmt}"
    r = replay(str(log), "-f", fmt, "-o", str(out))
    assert_eq(f"exit status ({r.stderr})", 1, r.returncode)
    assert not out.exists(), f"half an output was left: {out.read_text()[:200]!r}"


@pytest.mark.parametrize("fmt", ["perfetto", "jsonl"])
def test_a_log_that_fails_half_way_gives_a_pipe_no_half_export(tmp_path, fmt):
    """A pipe cannot be given back what it took: an export reaches it only
    whole, and a log (a stream, as from a filter) only in whole lines, even
    where more than a buffer of it went out before the bad line."""
    lines = [GOOD]
    for pid in range(11, 6011):
        lines.append(f'{{"ev":"fork","ts":{pid},"pid":{pid},"tid":{pid},"start":{pid},'
                     f'"comm":"worker-{pid}","ppid":10,"pstart":2}}\n')
    log = tmp_path / "bad.jsonl"
    log.write_text("".join(lines) + '{"ev":"fork","ts":7000,"pid":"x"}\n')
    r = subprocess.run([PROCLIFE, "replay", str(log), "-f", fmt], stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE, timeout=60, stdin=subprocess.DEVNULL)
    assert_eq(f"exit status ({r.stderr})", 1, r.returncode)
    if fmt != "jsonl":
        assert_eq("bytes of half an export", 0, len(r.stdout))
        return
    assert len(r.stdout) > 65536, f"only {len(r.stdout)} bytes: the test needs more lines"
    assert r.stdout.endswith(b"\n"), f"a line cut: {r.stdout[-80:]!r}"
    for line in r.stdout.decode().splitlines():
        json.loads(line)


@pytest.mark.parametrize("fmt", ["csv", "perfetto"])
def test_an_export_appended_to_a_file_keeps_what_was_there(tmp_path, fmt):
    """`>> FILE`: an export made whole first is added after what the file
    held, as any program's output is."""
    log = tmp_path / "t.jsonl"
    log.write_text(GOOD + '{"ev":"trailer","ts":4,"events":{},"lost":{}}\n')
    out = tmp_path / f"out.{fmt}"
    out.write_text("before\n")
    with open(out, "a") as f:
        r = subprocess.run([PROCLIFE, "replay", str(log), "-f", fmt], stdout=f,
                           stderr=subprocess.PIPE, text=True, timeout=60,
                           stdin=subprocess.DEVNULL)
    assert_eq(f"exit status ({r.stderr})", 0, r.returncode)
    alone = replay(str(log), "-f", fmt)
    assert_eq("the file: what it held, then the export", "before\n" + alone.stdout,
              out.read_text())


@pytest.mark.parametrize("fmt", ["csv", "html", "jsonl", "summary"])
@pytest.mark.parametrize("why", ["a bad line", "a pid not in it"])
def test_a_replay_that_fails_leaves_the_file_it_was_to_replace(tmp_path, fmt, why):
    log = tmp_path / "bad.jsonl"
    log.write_text(GOOD + ('{"ev":"fork","ts":3,"pid":"x"}\n' if why == "a bad line" else
                           '{"ev":"trailer","ts":4,"events":{},"lost":{}}\n'))
    out = tmp_path / f"out.{fmt}"
    out.write_text("what was there\n")
    r = replay(str(log), "-f", fmt, "-o", str(out), "--force",
               *(["-p", "77"] if why == "a pid not in it" else []))
    assert_eq(f"exit status ({r.stderr})", 1, r.returncode)
    assert_eq("the file", "what was there\n", out.read_text())
    assert_eq("files beside it", ["bad.jsonl", f"out.{fmt}"], sorted(os.listdir(tmp_path)))
    # and a replay that ends well replaces it
    good = tmp_path / "good.jsonl"
    good.write_text(GOOD + '{"ev":"trailer","ts":4,"events":{},"lost":{}}\n')
    r = replay(str(good), "-f", fmt, "-o", str(out), "--force")
    assert_eq(f"exit status ({r.stderr})", 0, r.returncode)
    assert out.read_text() != "what was there\n", "the file was not replaced"
    assert_eq("its mode", 0o600, os.stat(out).st_mode & 0o777)


@pytest.mark.parametrize("fmt", ["summary", "tree", "text", "jsonl", "csv"])
@pytest.mark.parametrize("pid,status", [(10, 0), (77, 1)])
def test_replay_of_a_pid_the_log_lacks_is_an_error(tmp_path, pid, status, fmt):
    log = tmp_path / "one.jsonl"
    log.write_text(GOOD + '{"ev":"trailer","ts":4,"events":{},"lost":{}}\n')
    r = replay(str(log), "-p", str(pid), "-f", fmt)
    assert_eq(f"exit status (stderr {r.stderr!r})", status, r.returncode)
    assert_eq("stderr", f"error: {log}: pid {pid} is not in the log" if status else "",
              r.stderr.strip())
    if status:
        assert_eq("what else it printed: nothing", "", r.stdout)


def test_replay_from_stdin_of_a_pid_the_log_lacks_prints_no_summary():
    r = subprocess.run([PROCLIFE, "replay", "-", "-p", "77", "-f", "summary"], input=GOOD,
                       capture_output=True, text=True)
    assert_eq(f"exit status ({r.stderr})", 1, r.returncode)
    assert_eq("stderr", "error: -: pid 77 is not in the log", r.stderr.strip())
    assert_eq("what else it printed: nothing", "", r.stdout)


def test_replay_from_stdin():
    r = subprocess.run([PROCLIFE, "replay", "-", "-f", "summary"], input=GOOD,
                       capture_output=True, text=True)
    assert_eq(f"exit status ({r.stderr})", 0, r.returncode)
    assert "processes: 1 fork, threads not in the log," in r.stdout, r.stdout


def at_most_1_gib():
    """a reader that keeps a line with no end fails under this limit instead
    of filling the machine (sanitizers reserve more than that up front)"""
    if os.environ.get("SANITIZE"):
        return None
    return lambda: resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30))


@pytest.mark.parametrize("what", ["log", "line", "manifest"])
def test_a_line_with_no_end_is_refused(tmp_path, what):
    log = tmp_path / "one.jsonl"
    log.write_text(GOOD + '{"ev":"trailer","ts":4,"events":{},"lost":{}}\n')
    if what == "log":
        argv, words = ["replay", "/dev/zero", "-f", "summary"], ["/dev/zero:1:", "longer than"]
    elif what == "line":
        endless = tmp_path / "endless.jsonl"
        endless.write_bytes(GOOD.encode() + b'{"ev":"fork","comm":"' + b"x" * (65 << 20))
        argv, words = ["replay", str(endless), "-f", "summary"], [f"{endless}:3:", "longer than"]
    else:
        argv, words = ["verify", str(log), "/dev/zero"], ["/dev/zero", "larger than"]
    r = subprocess.run([PROCLIFE, *argv], capture_output=True, text=True, timeout=60,
                       stdin=subprocess.DEVNULL, preexec_fn=at_most_1_gib())
    assert_eq(f"exit status (stderr {r.stderr!r})", 1, r.returncode)
    lines = r.stderr.strip().splitlines()
    assert_eq(f"stderr lines {lines}", 1, len(lines))
    for w in words:
        assert w in lines[0], f"{w!r} not in {lines[0]!r}"


@needs_root
def test_a_name_that_is_not_utf8_comes_back_byte_for_byte(tmp_path):
    rename = "import ctypes; ctypes.CDLL(None).prctl(15, b'\\xff\\xfeok', 0, 0, 0)"
    t = trace(tmp_path, [sys.executable, "-c", rename])
    exits = [e for e in t.events if e["ev"] == "exit" and "comm_hex" in e]
    assert exits, f"no exit line with the name's bytes: {t.events}"
    for e in exits:
        assert_eq("the name's bytes", "fffe6f6b", e["comm_hex"])
        assert_eq("the readable name beside them", "\xff\xfeok", e["comm"])
    again = tmp_path / "again.jsonl"
    r = replay(str(tmp_path / "trace.jsonl"), "-f", "jsonl", "-o", str(again))
    assert_eq(f"replay exit status ({r.stderr})", 0, r.returncode)
    assert_eq("lines with the name's bytes after a replay", exits,
              [e for e in read_log(again) if e["ev"] == "exit" and e.get("comm_hex")])


@pytest.mark.parametrize("fmt", ["text", "jsonl", "html"])
def test_replay_into_a_pipe_its_reader_closed_ends_quietly(tmp_path, fmt):
    # as `proclife trace | head` does: the reader has seen enough, no error
    log = tmp_path / "many.jsonl"
    log.write_text(GOOD + "".join(
        f'{{"ev":"fork","ts":{i},"pid":{i},"tid":{i},"start":{i},"comm":"c","ppid":10}}\n'
        for i in range(100, 10100)) + '{"ev":"trailer","ts":20000,"events":{},"lost":{}}\n')
    r = subprocess.run(f"{PROCLIFE} replay {log} -f {fmt} | head -c 100 >/dev/null; "
                       "exit ${PIPESTATUS[0]}", shell=True, executable="/bin/bash",
                       capture_output=True, text=True, timeout=60)
    assert_eq(f"replay's exit status ({r.stderr})", 0, r.returncode)
    assert_eq("its stderr", "", r.stderr)


@pytest.mark.parametrize("how", ["-o", "--force", "stdout", "stdin"])
def test_the_log_being_read_is_never_the_output(tmp_path, how):
    log = tmp_path / "trace.jsonl"
    log.write_text(GOOD + '{"ev":"trailer","ts":4,"events":{},"lost":{}}\n')
    before = log.read_bytes()
    if how == "stdout":  # appended to: replay would read its own lines
        with open(log, "a") as out:
            r = subprocess.run([PROCLIFE, "replay", str(log), "-f", "text"], stdout=out,
                               stderr=subprocess.PIPE, stdin=subprocess.DEVNULL, text=True,
                               timeout=60)
    elif how == "stdin":
        with open(log) as inp:
            r = subprocess.run([PROCLIFE, "replay", "-", "-f", "jsonl", "-o", str(log), "--force"],
                               stdin=inp, capture_output=True, text=True, timeout=60)
    else:
        r = replay(str(log), "-f", "jsonl", "-o", str(log), *(["--force"] if how == "--force" else []))
    assert_eq("exit status", 1, r.returncode)
    assert r.stderr.startswith("error: the output is the log being read"), r.stderr
    assert_eq("stderr lines", 1, len(r.stderr.splitlines()))
    assert_eq("the log, untouched", before, log.read_bytes())


def test_a_log_with_no_trailer_gives_a_log_with_none(tmp_path):
    """a tracer killed hard leaves no trailer: the log made from its log must
    not look finished either"""
    log = tmp_path / "killed.jsonl"
    log.write_text(GOOD)
    again = tmp_path / "again.jsonl"
    r = replay(str(log), "-f", "jsonl", "-o", str(again))
    assert_eq(f"exit status ({r.stderr})", 0, r.returncode)
    assert "no trailer" in r.stderr, r.stderr
    events = read_log(again)
    assert_eq("kinds of the lines", ["header"] + ["fork"] * (len(events) - 1),
              [e["ev"] for e in events])
    r = replay(str(again), "-f", "summary")
    assert "no trailer" in r.stderr, r.stderr


def test_a_chain_too_deep_to_draw_says_how_many_it_hides(tmp_path):
    """the tree draws 256 levels: below them, every process it leaves out
    is counted, not only the children of the last one drawn"""
    depth = 1000
    lines = [GOOD.splitlines()[0]]
    for i in range(depth):
        pid = 100 + i
        lines.append(f'{{"ev":"fork","ts":{10 + i},"pid":{pid},"tid":{pid},"start":{10 + i},'
                     f'"comm":"c","ppid":{pid - 1 if i else 1}}}')
    log = tmp_path / "chain.jsonl"
    log.write_text("\n".join(lines) + '\n{"ev":"trailer","ts":5000,"events":{},"lost":{}}\n')
    r = replay(str(log), "-f", "tree")
    assert_eq(f"exit status ({r.stderr})", 0, r.returncode)
    (cut,) = [l for l in r.stdout.splitlines() if "more below" in l]
    hidden = int(cut.split("(")[1].split()[0])
    pids = {int(w) for l in r.stdout.splitlines() for w in l.replace("-", " ").split()
            if w.isdigit() and 100 <= int(w) < 100 + depth}
    assert_eq("processes drawn and hidden", depth, len(pids) + hidden)


@needs_root
def test_a_log_written_again_still_says_what_it_lacks(tmp_path):
    """replay -f jsonl of a log that lacks lines (cut out, or dropped for a
    reader that lagged) writes a trailer that still says so."""
    trace(tmp_path, [LIFECYCLE, "fork-exit", "3"])
    lines = open(tmp_path / "trace.jsonl").read().splitlines(keepends=True)
    cut = [line for line in lines if '"ev":"exit"' not in line]
    assert len(cut) < len(lines), "no exit line to cut"
    trailer = json.loads(lines[-1])
    trailer["lines_dropped"] = 5
    for name, content, words in [
            ("cut", "".join(cut), "events that are not in the log"),
            ("dropped", "".join(lines[:-1]) + json.dumps(trailer) + "\n", "5 lines were dropped")]:
        log, again = tmp_path / f"{name}.jsonl", tmp_path / f"{name}-again.jsonl"
        log.write_text(content)
        r = replay(str(log), "-f", "jsonl", "-o", str(again))
        assert_eq(f"exit status ({r.stderr})", 0, r.returncode)
        assert words in r.stderr, r.stderr
        r = replay(str(again), "-f", "summary")
        assert_eq(f"exit status ({r.stderr})", 0, r.returncode)
        assert words in r.stderr, f"{name}: the log written again says nothing: {r.stderr!r}"
    r = replay(str(tmp_path / "trace.jsonl"), "-f", "jsonl", "-o", str(tmp_path / "whole.jsonl"))
    assert_eq("a whole log written again, without a word", "", r.stderr)
    r = replay(str(tmp_path / "whole.jsonl"), "-f", "summary")
    assert "warning" not in r.stderr, r.stderr

# SPDX-License-Identifier: BSD-2-Clause
"""The text view as a person reads it, from the real tracer on the real
kernel: what the main job shows (held to the workload's own manifest),
--events, colours on a terminal, times of day, the tree on SIGUSR1 and
kernel threads left out of whole-machine pictures."""
import ctypes
import datetime
import json
import os
import pty
import re
import select
import signal
import subprocess

import pytest

from conftest import (LIFECYCLE, PROCLIFE, WORKLOAD, assert_eq, kill_if_running, needs_root,
                      roles, wait_attached)

pytestmark = needs_root

# what the text view's lines look like: time, kind, pid
LINE = re.compile(r"^\s*(\d+\.\d{6}|\d\d:\d\d:\d\d\.\d{6}) (\S+)\s+(\d+)\s")
FOLDED = re.compile(r"^\s+\.\.\.\s.*\s([\d,]+) more alike (\w+)")
RED, YELLOW = "\033[1;31m", "\033[1;33m"


def run(args, env=None, timeout=120):
    r = subprocess.run([PROCLIFE, *args], capture_output=True, text=True, timeout=timeout,
                       stdin=subprocess.DEVNULL, env=env)
    return r


def lines(text, kind, pid=None):
    """The text view's lines of one kind (about pid, if given)."""
    found = []
    for line in text.splitlines():
        m = LINE.match(line.replace(RED, "").replace(YELLOW, ""))
        if m and m.group(2) == kind and (pid is None or int(m.group(3)) == pid):
            found.append(line)
    return found


def folded(text, kind):
    """How many events of a kind the view counted instead of showing."""
    total = 0
    for line in text.splitlines():
        m = FOLDED.match(line)
        if m and m.group(2).rstrip("s") == kind:
            total += int(m.group(1).replace(",", ""))
    return total


def test_the_main_job_reads_at_a_glance(tmp_path):
    """make run's command, held to the workload's manifest: at most 350
    lines, and every long zombie, orphan, double fork and abnormal exit
    is named; every fork is either shown or counted. (About 260 on an idle
    machine; a busy one shows more: zombies that pass 100 ms, and alike
    lines that come too far apart to fold.)"""
    manifest = tmp_path / "manifest.json"
    r = run(["trace", "--tree", "--summary", "--", WORKLOAD, "all", "--manifest", str(manifest)])
    assert_eq(f"proclife exit status (stderr: {r.stderr})", 0, r.returncode)
    out = r.stdout
    total = len(out.splitlines()) + len(r.stderr.splitlines())
    assert total <= 350, f"{total} lines on the terminal:\n{out}"
    m = json.loads(manifest.read_text())
    procs = [p for run_ in m["runs"] for p in run_["procs"]]
    for p in procs:
        who = f"{p['role']} {p['pid']}"
        if "signame" in p:
            assert any(f"killed by {p['signame']}" in l for l in lines(out, "exit", p["pid"])), \
                f"{who}, killed by {p['signame']}, not named in the view:\n{out}"
        if p.get("hold_ms", 0) >= 100:
            assert lines(out, "zombie_long", p["pid"]), f"{who}, a zombie held {p['hold_ms']} ms, " \
                f"not named in the view:\n{out}"
        o = p.get("orphan")
        if o:
            orphan = [l for l in lines(out, "reparent", p["pid"])
                      if f"ORPHAN: parent {o['old_parent']} -> {o['new_parent']}" in l]
            assert orphan, f"{who}, adopted by {o['adopter']}, not named in the view:\n{out}"
        # each orphan of the workload that was not already a zombie was left
        # by a parent that exited right after forking it
        if o and not o["as_zombie"]:
            assert lines(out, "double_fork", p["pid"]), f"{who}: no double fork line:\n{out}"
    # routine records are not lines of their own
    assert_eq("wait lines", [], lines(out, "wait"))
    assert_eq("zombie lines", [], lines(out, "zombie"))
    # every fork is a line or counted in one: the summary's count of them
    forks = int(re.search(r"^processes: (\d+) forks?,", out, re.M).group(1))
    assert_eq("forks the view shows or counts", forks, len(lines(out, "fork")) + folded(out, "fork"))
    assert_eq("forks of the workload and the workload itself", len(procs) + 1, forks)
    assert "\n== process tree ==\n" in out, out


def test_events_chooses_what_the_view_shows(tmp_path):
    r = run(["trace", "--events", "fork,exit", "--no-summary", "--", LIFECYCLE, "fork-exit", "3"])
    assert_eq(f"exit status ({r.stderr})", 0, r.returncode)
    child = roles(r.stdout)["child"][0]
    assert_eq("exit lines of the child", 1, len(lines(r.stdout, "exit", child)))
    kinds = {LINE.match(l).group(2) for l in r.stdout.splitlines() if LINE.match(l)}
    assert_eq("kinds shown", {"fork", "exit"}, kinds)

    r = run(["trace", "--events", "all", "--no-summary", "--", LIFECYCLE, "fork-exit", "3"])
    child = roles(r.stdout)["child"][0]
    for kind in ("wait", "zombie", "reap"):
        assert lines(r.stdout, kind), f"no {kind} line with --events all:\n{r.stdout}"
    assert lines(r.stdout, "reap", child), r.stdout

    r = run(["trace", "--no-summary", "--", LIFECYCLE, "fork-exit", "3"])
    child = roles(r.stdout)["child"][0]
    assert lines(r.stdout, "fork", child) and lines(r.stdout, "exit", child), r.stdout
    assert_eq("routine lines by default", [], lines(r.stdout, "wait") + lines(r.stdout, "zombie")
              + lines(r.stdout, "reap"))


def test_events_in_replay_and_its_refusals(tmp_path):
    log = tmp_path / "t.jsonl"
    # waits are counted; --events wait adds a line for each call to a log
    r = run(["trace", "-f", "jsonl", "-o", str(log), "--events", "wait", "--", LIFECYCLE,
             "fork-exit", "3"])
    assert_eq(f"exit status ({r.stderr})", 0, r.returncode)
    r = run(["replay", str(log), "--events", "default,wait"])
    assert_eq(f"replay exit status ({r.stderr})", 0, r.returncode)
    assert lines(r.stdout, "wait") and lines(r.stdout, "fork"), r.stdout
    assert_eq("zombie lines", [], lines(r.stdout, "zombie"))
    # to a log, a list that adds waits to what is kept anyway adds them
    for events in ("default,wait", "all"):
        other = tmp_path / f"{events}.jsonl"
        r = run(["trace", "-f", "jsonl", "-o", str(other), "--events", events, "--", LIFECYCLE,
                 "fork-exit", "3"])
        assert_eq(f"exit status with --events {events} ({r.stderr})", 0, r.returncode)
        assert '"ev":"wait"' in other.read_text(), f"no wait line with --events {events}"
    for args, words in [
        (["trace", "--events", "fork,bogus", "--", "true"], "unknown event kind 'bogus'"),
        (["trace", "-f", "jsonl", "--events", "fork", "--", "true"], "keeps every record"),
        (["trace", "-f", "jsonl", "--events", "default", "--", "true"], "adds one for each"),
        (["replay", str(log), "-f", "summary", "--events", "fork"], "text view"),
        (["trace", "--color=sometimes", "--", "true"], "--color takes auto, always or never"),
        # its word after a space would be read as the command, or the log
        (["trace", "--color", "never", "true"], "--color=never"),
        (["replay", "--color", "always", str(log)], "--color=always"),
        (["replay", str(log), "--color", "auto"], "--color=auto"),
        (["trace", "--events", "fork,", "--", "true"], "--events names an empty kind"),
        (["replay", str(log), "--events", "fork,,exit"], "--events names an empty kind"),
        (["trace", "--summary", "--no-summary", "--", "true"], "cannot be combined"),
        (["trace", "--force", "--", "true"], "--force replaces the file -o names"),
        (["replay", str(log), "--force"], "--force replaces the file -o names"),
    ]:
        r = run(args)
        assert_eq(f"exit status of {args} ({r.stderr})", 2, r.returncode)
        assert_eq(f"stderr of {args}", 1, len(r.stderr.splitlines()))
        assert words in r.stderr, f"{words!r} not in {r.stderr!r}"


def on_a_terminal(args, env):
    """Runs proclife with a terminal for its output, as a person would;
    returns what the terminal got."""
    master, slave = pty.openpty()
    p = subprocess.Popen([PROCLIFE, *args], stdin=subprocess.DEVNULL, stdout=slave, stderr=slave,
                         env=env)
    os.close(slave)
    chunks = []
    while True:
        try:
            data = os.read(master, 65536)
        except OSError:  # EIO: every writer has closed the terminal
            break
        if not data:
            break
        chunks.append(data)
    os.close(master)
    assert_eq("exit status", 0, p.wait(timeout=60))
    return b"".join(chunks).decode(errors="replace").replace("\r\n", "\n")


def test_colour_marks_only_what_is_notable():
    env = {k: v for k, v in os.environ.items() if k != "NO_COLOR"}
    args = ["trace", "--tree", "--", LIFECYCLE, "zombie", "300"]
    out = on_a_terminal(args, env)
    child = roles(out.replace(RED, "").replace("\033[0m", ""))["child"][0]
    long_zombie = lines(out, "zombie_long", child)
    assert long_zombie and long_zombie[0].startswith(RED), f"the long zombie is not red:\n{out}"
    # its exit and the command's own are ordinary ends
    for line in lines(out, "exit"):
        assert "\033[" not in line, f"an ordinary exit in colour: {line!r}"
    assert f"-{RED}{child} lifecycle " in out, f"the long zombie is not red in the tree:\n{out}"
    # every exit makes a zombie for a moment: the command's own is no news
    out = on_a_terminal(["trace", "--events", "all", "--", LIFECYCLE, "zombie", "300"], env)
    child = roles(out.replace(RED, "").replace("\033[0m", ""))["child"][0]
    top = [l for l in lines(out, "zombie") if LINE.match(l) and int(LINE.match(l).group(3)) != child]
    assert top and "\033[" not in top[0], f"a prompt zombie in colour: {top}"
    assert "\033[" not in on_a_terminal(args, {**env, "NO_COLOR": "1"}), "colours despite NO_COLOR"
    never = on_a_terminal(["trace", "--color=never", "--", LIFECYCLE, "zombie", "300"], env)
    assert "\033[" not in never, "colours despite --color=never"
    r = run(["trace", "--color=always", "--", LIFECYCLE, "zombie", "300"])
    assert RED in r.stdout, "no colours with --color=always into a pipe"


def test_wall_clock_times():
    before = datetime.datetime.now(datetime.timezone.utc)
    r = run(["trace", "--wall-clock", "--no-summary", "--", LIFECYCLE, "fork-exit", "0"],
            env={**os.environ, "TZ": "UTC"})
    after = datetime.datetime.now(datetime.timezone.utc)
    assert_eq(f"exit status ({r.stderr})", 0, r.returncode)
    assert "\nTIME            EVENT " in "\n" + r.stdout, r.stdout
    child = roles(r.stdout)["child"][0]
    when = LINE.match(lines(r.stdout, "fork", child)[0]).group(1)
    seen = datetime.datetime.strptime(when, "%H:%M:%S.%f").time()
    # within the run (a run across midnight has its day in two parts)
    if before.date() == after.date():
        assert before.time() <= seen <= after.time(), (before, seen, after)
    else:
        assert seen >= before.time() or seen <= after.time(), (before, seen, after)


def test_wall_clock_is_the_text_views(tmp_path):
    """A log and the exports keep times since boot: --wall-clock with them
    is refused rather than dropped."""
    for fmt in ["jsonl", "csv"]:
        r = run(["trace", "-f", fmt, "-o", str(tmp_path / f"t.{fmt}"), "--wall-clock", "--",
                 "true"])
        assert_eq(f"exit status with -f {fmt}", 2, r.returncode)
        assert r.stderr.startswith("error: --wall-clock shows"), r.stderr
        assert ("boot_to_wall_ns" in r.stderr) == (fmt == "jsonl"), r.stderr


def test_tree_heading_only_where_the_tree_is_not_alone(tmp_path):
    """Among the tracer's messages (a jsonl log on standard output) the tree
    has its heading; alone on standard output (a log to a file) it has none,
    so it can be read as it is."""
    r = run(["trace", "-f", "jsonl", "--tree", "--", LIFECYCLE, "fork-exit", "0"])
    assert_eq(f"exit status ({r.stderr})", 0, r.returncode)
    assert "\n== process tree ==\n" in r.stderr, r.stderr
    assert "== process tree" not in r.stdout, "a heading inside the log"
    child = roles(r.stderr)["child"][0]  # the command's output: never inside the log
    tree = r.stderr.split("\n== process tree ==\n", 1)[1]
    assert f"{child} lifecycle" in tree, tree
    log = tmp_path / "t.jsonl"
    r = run(["trace", "-o", str(log), "--tree", "--", LIFECYCLE, "fork-exit", "0"])
    assert_eq(f"exit status ({r.stderr})", 0, r.returncode)
    child = roles(r.stdout)["child"][0]
    assert "== process tree" not in r.stdout + r.stderr, r.stdout
    assert f"{child} lifecycle" in r.stdout, r.stdout


def test_tree_on_sigusr1_has_a_heading_with_the_time():
    tracer = subprocess.Popen([PROCLIFE, "trace", "--no-summary", "--", LIFECYCLE, "gate", "0"],
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True)
    try:
        wait_attached(tracer)
        seen = []
        for line in tracer.stdout:
            seen.append(line)
            if line.startswith("self="):
                break
        gate = int(seen[-1].split("=")[1])
        tracer.send_signal(signal.SIGUSR1)
        for line in tracer.stdout:
            seen.append(line)
            if line.startswith("== process tree at"):
                break
        heading = seen[-1]
        top = tracer.stdout.readline()
        rest, err = tracer.communicate("go\n", timeout=60)
    finally:
        if tracer.poll() is None:
            tracer.kill()
    assert_eq(f"tracer exit status ({err})", 0, tracer.returncode)
    assert re.fullmatch(r"== process tree at \d+\.\d{3} s \(\d\d:\d\d:\d\d\.\d{6}\) ==\n", heading), \
        heading
    assert top.startswith(f"{gate} lifecycle running"), f"the tree's top: {top!r}"


def test_kernel_threads_hidden_in_whole_machine_pictures(tmp_path):
    log = tmp_path / "machine.jsonl"
    r = run(["trace", "-d", "0.3", "-f", "jsonl", "-o", str(log)])
    assert_eq(f"exit status ({r.stderr})", 0, r.returncode)
    kernel = set()
    for e in (json.loads(l) for l in open(log)):
        if e["ev"] == "proc" and e["ppid"] == 2:
            kernel.add(e["pid"])
    assert kernel, "no kernel threads in a whole-machine trace"

    def shown(text):
        return {int(m.group(1)) for m in re.finditer(r"^(?:[|` ]*[|`]-)?(\d+) ", text, re.M)}

    tree = run(["replay", str(log), "-f", "tree"]).stdout
    assert_eq("kernel threads in the tree", set(), shown(tree) & kernel)
    assert re.search(r"^2 kthreadd running \(\d+ kernel threads not shown: --kernel-threads "
                     r"shows them\)$", tree, re.M), tree
    assert 1 in shown(tree), tree
    summary = run(["replay", str(log), "-f", "summary"]).stdout
    alive = summary[summary.index("\nstill alive"):].split("\n\n")[0].splitlines()
    assert "kernel threads not listed: --kernel-threads lists them" in alive[1], alive
    rows = {int(l.split()[0]) for l in alive[3:] if l.split()[0].isdigit()}
    assert rows and not rows & kernel, f"kernel threads still alive: {rows & kernel}"
    everything = run(["replay", str(log), "-f", "tree", "--kernel-threads"]).stdout
    assert_eq("kernel threads with --kernel-threads", kernel, shown(everything) & kernel)


def test_a_process_whose_leader_is_gone_is_no_zombie_at_the_start(tmp_path):
    """its main thread ended while another runs: the kernel shows the
    leader a zombie, but the process lives. The trace begins with it
    running, and its exit and reap come as they happen"""
    p = subprocess.Popen([LIFECYCLE, "leader-gone", "3"], stdin=subprocess.PIPE,
                         stdout=subprocess.PIPE, text=True)
    t = None
    try:
        said = {}
        for line in p.stdout:
            role, value = line.strip().split("=")
            said[role] = int(value)
            if role == "leader_gone":
                break
        pid = said["self"]
        t = subprocess.Popen([PROCLIFE, "trace", "-p", str(pid), "-f", "jsonl"],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                             stdin=subprocess.DEVNULL)
        wait_attached(t)
        p.stdin.write("go\n")
        p.stdin.flush()
        assert_eq("its exit status", 3, p.wait(timeout=30))
        out, _ = t.communicate(timeout=60)
    finally:
        kill_if_running(p)
        if t:
            kill_if_running(t)
    events = [json.loads(x) for x in out.splitlines()]
    mine = [e for e in events if e.get("pid") == pid]
    assert_eq("zombie at the start", [False], [e["zombie"] for e in mine if e["ev"] == "proc"])
    assert_eq("its exit's status", [3 << 8],
              [e["status"] for e in mine if e["ev"] == "exit" and not e["thread"]])
    assert_eq("its reap: status, at_least", [(3 << 8, False)],
              [(e["status"], e.get("at_least", False)) for e in mine if e["ev"] == "reap"])


def test_a_zombie_from_before_the_trace_is_timed_as_a_lower_bound(tmp_path):
    """its exit came before the trace: its zombie time counts from the start
    of the trace and says so, and the line of its reap names it and gives
    the status the kernel kept, though the wait that reaps it asks for none"""
    child = os.fork()
    if child == 0:
        os._exit(5)
    t = subprocess.Popen([PROCLIFE, "trace", "-p", str(child), "-f", "jsonl"],
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                         stdin=subprocess.DEVNULL)
    log, reaped = "", False
    try:
        wait_attached(t)
        # reaped once the tracer has called it a long zombie (or gave up):
        # read from the descriptor, where select sees what is unread
        while '"ev":"zombie_long"' not in log:
            ready, _, _ = select.select([t.stdout.fileno()], [], [], 30)
            chunk = os.read(t.stdout.fileno(), 1 << 16).decode() if ready else ""
            if not chunk:
                break
            log += chunk
        # waitpid(child, NULL, 0): no status in user memory to read back
        libc = ctypes.CDLL(None, use_errno=True)
        assert_eq("waitpid(child, NULL, 0)", child, libc.waitpid(child, None, 0))
        reaped = True
        out, _ = t.communicate(timeout=60)
    finally:
        if not reaped:
            os.waitpid(child, 0)
        kill_if_running(t)
    path = tmp_path / "z.jsonl"
    path.write_text(log + out)
    events = [json.loads(x) for x in path.read_text().splitlines()]
    flagged = [e for e in events if e["ev"] == "zombie_long" and e["pid"] == child]
    assert_eq("at_least in the log", [True], [e.get("at_least") for e in flagged])
    proc = [e for e in events if e["ev"] == "proc" and e["pid"] == child]
    reaps = [e for e in events if e["ev"] == "reap" and e["pid"] == child]
    assert_eq("its reap lines", 1, len(reaps))
    assert_eq("the reap: start, status, code, at_least, unmatched",
              (proc[0]["start"], 5 << 8, 5, True, False),
              (reaps[0]["start"], reaps[0]["status"], reaps[0].get("code"),
               reaps[0].get("at_least"), reaps[0].get("unmatched", False)))
    assert reaps[0]["zombie_ns"] >= flagged[0]["zombie_ns"], (reaps[0], flagged[0])
    text = run(["replay", str(path), "-f", "text"]).stdout
    long_ = lines(text, "zombie_long", child)
    assert_eq("zombie_long lines", 1, len(long_))
    assert "ZOMBIE for at least " in long_[0], long_[0]
    reap = lines(text, "reap", child)
    assert_eq("reap lines", 1, len(reap))
    with open("/proc/self/comm") as f:
        name = f.read().strip()  # the child's, which fork copied
    assert f" {name} " in reap[0], f"the reap does not name {name}: {reap[0]!r}"
    assert "after at least " in reap[0] and "(exit 5)" in reap[0], reap[0]

# SPDX-License-Identifier: BSD-2-Clause
"""How a trace begins and ends: what it names at the end, and SIGUSR1."""
import os
import signal
import subprocess
import sys
import time

import pytest

from conftest import (LIFECYCLE, PROCLIFE, WORKLOAD, assert_eq, kill_if_running, needs_root,
                      read_log, trace, wait_attached)

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
        assert "processes it started still run" in t.stderr, t.stderr
    finally:
        subprocess.run(["kill", str(left)])


def test_a_zombie_left_at_the_end_is_not_said_to_run():
    # the command's child is orphaned to a subreaper above the tracer that
    # never reaps it while the trace runs: it has ended, it does not run
    code = ("import ctypes, subprocess, sys\n"
            "ctypes.CDLL(None).prctl(36, 1, 0, 0, 0)  # PR_SET_CHILD_SUBREAPER\n"
            f"r = subprocess.run([{PROCLIFE!r}, 'trace', '--no-summary', '--', 'sh', '-c', "
            "'true & exit 0'], capture_output=True, text=True)\n"
            "sys.stderr.write(r.stderr)\n"
            "sys.exit(r.returncode)\n")
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60,
                       stdin=subprocess.DEVNULL)
    assert_eq(f"exit status ({r.stderr})", 0, r.returncode)
    assert "1 process it started has ended and is not reaped yet" in r.stderr, r.stderr
    assert "still run" not in r.stderr, r.stderr


def test_p_of_a_zombie_says_it_waits_for_the_reap():
    # a parent holding its child a zombie: -p of the child ends only with
    # the reap, and says so; the parent reaps it when told (init, which
    # would reap it after the parent's end, may take its time)
    code = ("import os, sys\n"
            "p = os.fork()\n"
            "if p == 0:\n"
            "    os._exit(5)\n"
            "print(p, flush=True)\n"
            "sys.stdin.readline()\n"
            "os.waitpid(p, 0)\n")
    parent = subprocess.Popen([sys.executable, "-c", code], stdin=subprocess.PIPE,
                              stdout=subprocess.PIPE, text=True)
    tracer = None
    try:
        child = int(parent.stdout.readline())
        tracer = subprocess.Popen([PROCLIFE, "trace", "-p", str(child), "--no-summary"],
                                  stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        while "for the reap" not in (line := tracer.stderr.readline()):
            assert line, "the tracer ended without saying it waits for the reap"
        assert f"process {child} and its descendants have all ended; waiting up to 5 s for " \
               "the reap of 1 zombie" in line, line
        parent.communicate("go\n", timeout=30)
        _, err = tracer.communicate(timeout=60)
    finally:
        kill_if_running(parent)
        if tracer:
            kill_if_running(tracer)
    assert_eq(f"tracer exit status ({err})", 0, tracer.returncode)
    assert f"process {child} and its descendants have all ended\n" in err, err


@pytest.mark.parametrize("follow", ["--wait-descendants", "-p"])
def test_the_wait_for_a_reap_that_never_comes_ends(tmp_path, follow):
    """what the trace follows has all ended, but a zombie's parent outside
    it (a subreaper, or init, that reaps late or never) holds it: the wait
    for the reap ends, said, and the log is whole with the zombie unreaped"""
    log = tmp_path / "t.jsonl"
    trace = [PROCLIFE, "trace", "--no-summary", "-f", "jsonl", "-o", str(log)]
    # a subreaper that reaps only the tracer: the command's orphan, or -p's
    # process (its own child), stays its zombie until it exits
    code = ("import ctypes, os, subprocess, sys\n"
            "ctypes.CDLL(None).prctl(36, 1, 0, 0, 0)  # PR_SET_CHILD_SUBREAPER\n"
            f"trace = {trace!r}\n"
            "if sys.argv[1] == '-p':\n"
            "    child = subprocess.Popen(['sh', '-c', 'read x; exit 4'], stdin=subprocess.PIPE)\n"
            "    trace += ['-p', str(child.pid)]\n"
            "else:\n"
            "    trace += ['--wait-descendants', '--', 'sh', '-c', '(read x; exit 4) & exit 0']\n"
            "t = subprocess.Popen(trace, stderr=subprocess.PIPE, text=True)\n"
            "while 'attached' not in t.stderr.readline():\n"
            "    pass\n"
            "if sys.argv[1] == '-p':\n"
            "    child.stdin.close()\n"
            "sys.stderr.write(t.communicate()[1])\n"
            "sys.exit(t.returncode)\n")
    # the wrapper's own stdin is the command's: closed, it ends the read
    r = subprocess.run([sys.executable, "-c", code, follow], capture_output=True, text=True,
                       timeout=60, stdin=subprocess.DEVNULL)
    assert_eq(f"tracer exit status ({r.stderr})", 0, r.returncode)
    assert "1 zombie not reaped in 5 s: stopping" in r.stderr, r.stderr
    events = read_log(log)
    ended = [e for e in events if e["ev"] == "exit" and e.get("code") == 4]
    assert_eq(f"the exit of the process left a zombie ({events})", 1, len(ended))
    assert_eq("its reap", [], [e for e in events if e["ev"] == "reap" and
                               e["pid"] == ended[0]["pid"]])
    assert_eq("the log's last line", "trailer", events[-1]["ev"])


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


@pytest.mark.parametrize("script,status", [("exit 0", 0), ("exit 7", 7),
                                           ("kill -TERM $$", 128 + signal.SIGTERM),
                                           ("kill -KILL $$", 128 + signal.SIGKILL)])
def test_the_exit_status_is_the_commands(script, status):
    # as strace, time and timeout give it: a shell's 128 + N for signal N
    r = subprocess.run([PROCLIFE, "trace", "--", "sh", "-c", script], capture_output=True,
                       text=True, timeout=60, stdin=subprocess.DEVNULL)
    assert_eq(f"exit status of a trace of '{script}' ({r.stderr})", status, r.returncode)
    assert "error" not in r.stderr, r.stderr


def test_the_tracers_own_failure_is_an_error_line(tmp_path):
    # the command exits 7; the tracer could not write: its failure, said
    r = subprocess.run(f"exec {PROCLIFE} trace -f jsonl -- sh -c 'exit 7' >/dev/full", shell=True,
                       capture_output=True, text=True, timeout=60, stdin=subprocess.DEVNULL)
    assert_eq(f"exit status ({r.stderr})", 1, r.returncode)
    assert [l for l in r.stderr.splitlines() if l.startswith("error: ")], r.stderr


def test_wait_descendants_traces_a_daemon_to_its_end(tmp_path):
    # the command leaves at once; the daemon it started waits for a line
    fifo = tmp_path / "go"
    os.mkfifo(fifo)
    log = tmp_path / "t.jsonl"
    daemon = f"read x < {fifo}; exit 3"
    p = subprocess.Popen([PROCLIFE, "trace", "--wait-descendants", "-f", "jsonl", "-o", str(log),
                          "--", "sh", "-c",
                          f"setsid -f sh -c '{daemon}' </dev/null >/dev/null 2>&1"],
                         stderr=subprocess.PIPE, text=True, stdin=subprocess.DEVNULL)
    try:
        wait_attached(p)
        while "waiting for the processes it started" not in p.stderr.readline():
            assert p.poll() is None, "the tracer ended with the command"
        with open(fifo, "w") as f:
            f.write("go\n")
        _, err = p.communicate(timeout=30)
    finally:
        kill_if_running(p)
    assert_eq(f"exit status: the command's ({err})", 0, p.returncode)
    events = read_log(log)
    assert [e for e in events if e["ev"] == "exit" and e.get("code") == 3], \
        f"the daemon's exit is not in the log: {events}"
    assert_eq("processes left running", [], events[-1]["alive"])


@pytest.mark.parametrize("mechanisms, warned", [
    ("kfunc", True), ("io-waitid,pt-regs", True), ("base,kfunc", False), ("-base", False),
    ("none", False),
])
def test_mechanisms_that_need_base_are_named_without_it(tmp_path, mechanisms, warned):
    """pt-regs, kfunc and exit-arg keep their state in base's maps: a list
    that names one of them without base is warned about; one that takes
    base out of all says what it means"""
    t = trace(tmp_path, ["true"], "--mechanisms", mechanisms)
    said = [l for l in t.stderr.splitlines() if l.startswith("warning: --mechanisms")]
    assert_eq(f"warned ({t.stderr})", warned, bool(said))
    if warned:
        assert_eq("how orphans are looked up, without base", "task_pointer",
                  t.one("header")["mechanisms"]["orphan_lookup"])


@pytest.mark.parametrize("mechanisms, held_back", [
    ("-cgroup-names", {"cgroup_names": "lookup"}),
    ("all,-oom-victim", {"oom_kills": "kernel"}),
    ("-oom-victim,-cgroup-names", {"oom_kills": "kernel", "cgroup_names": "lookup"}),
])
def test_mechanisms_taken_out_are_the_only_ones_held_back(tmp_path, mechanisms, held_back):
    """--mechanisms -NAME: all the kernel offers but NAME (a list that
    begins with a minus starts from all), as the log's header says"""
    def header(sub, *args):
        (tmp_path / sub).mkdir()
        return trace(tmp_path / sub, ["true"], *args).one("header")["mechanisms"]

    offered = header("all")
    assert_eq("what is held back", dict(offered, **held_back),
              header("less", "--mechanisms", mechanisms))


def processes_line(text):
    (line,) = [l for l in text.splitlines() if l.startswith("processes: ")]
    return line


@pytest.mark.parametrize("threads", [False, True])
def test_a_summary_counts_threads_or_says_the_log_has_none(tmp_path, threads):
    """the live summary counts threads whether the log keeps their lines or
    not; replayed, a log traced with --threads gives the same count, and
    one without says its threads are not in it (not that there were none)"""
    log = tmp_path / "threads.jsonl"
    opts = ["--threads"] if threads else []
    live = subprocess.run([PROCLIFE, "trace", "-f", "jsonl", "-o", str(log), "--force",
                           "--summary", *opts, "--", WORKLOAD, "threads"], capture_output=True,
                          text=True, timeout=60, stdin=subprocess.DEVNULL)
    assert_eq(f"trace exit status ({live.stderr})", 0, live.returncode)
    counted = processes_line(live.stdout + live.stderr)
    assert " 0 threads" not in counted and " threads" in counted, counted
    again = subprocess.run([PROCLIFE, "replay", str(log), "-f", "summary"], capture_output=True,
                           text=True, timeout=60)
    assert_eq(f"replay exit status ({again.stderr})", 0, again.returncode)
    if threads:
        assert_eq("the replay's counts", counted, processes_line(again.stdout))
    else:
        assert_eq("the replay's counts",
                  counted.split(", ")[0] + ", threads not in the log, " +
                  ", ".join(counted.split(", ")[2:]), processes_line(again.stdout))

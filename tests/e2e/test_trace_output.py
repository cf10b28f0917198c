# SPDX-License-Identifier: BSD-2-Clause
"""Where the tracer's output goes, and that nothing else gets into it."""
import json
import os
import pty
import re
import resource
import select
import signal
import subprocess
import threading
import termios

import pytest

from conftest import (PROCLIFE, WORKLOAD, assert_eq, kill_if_running, needs_root, read_log,
                      wait_attached)

pytestmark = needs_root


@pytest.mark.parametrize("fmt", ["jsonl", "csv"])
def test_the_commands_output_stays_out_of_a_log_on_stdout(tmp_path, fmt):
    log = tmp_path / f"run.{fmt}"
    with open(log, "w") as f:
        r = subprocess.run([PROCLIFE, "trace", "-f", fmt, "--", "sh", "-c",
                            "echo to-stdout; echo to-stderr >&2"], stdout=f,
                           stderr=subprocess.PIPE, text=True, timeout=60,
                           stdin=subprocess.DEVNULL)
    assert_eq(f"exit status ({r.stderr})", 0, r.returncode)
    assert "to-stdout" not in log.read_text().splitlines(), f"the command's output is in the {fmt}"
    # it goes where the tracer's own messages go, not lost
    assert "to-stdout" in r.stderr and "to-stderr" in r.stderr, r.stderr
    if fmt == "jsonl":
        read_log(log)  # every line is the log's
        replay = subprocess.run([PROCLIFE, "replay", str(log), "-f", "summary"],
                                capture_output=True, text=True, timeout=60)
        assert_eq(f"replay of it ({replay.stderr})", 0, replay.returncode)


def stalled_fifo(tmp_path):
    """a FIFO whose reader holds it open and never reads: the reader's end,
    and the end to give the tracer"""
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    reader = os.open(fifo, os.O_RDONLY | os.O_NONBLOCK)
    return reader, open(fifo, "w")


@pytest.mark.parametrize("stop", ["SIGTERM", "SIGINT", "-d"])
def test_a_stalled_reader_never_holds_the_tracer(tmp_path, stop):
    reader, writer = stalled_fifo(tmp_path)
    p = subprocess.Popen([PROCLIFE, "trace", "-f", "jsonl", *(["-d", "5"] if stop == "-d" else [])],
                         stdout=writer, stderr=subprocess.PIPE, text=True,
                         stdin=subprocess.DEVNULL)
    writer.close()
    try:
        wait_attached(p)
        # far more than the pipe holds: the tracer's writes cannot all go through
        subprocess.run([WORKLOAD, "storm", "-n", "2000"], check=True, capture_output=True,
                       timeout=120)
        if stop != "-d":
            p.send_signal(getattr(signal, stop))
        _, err = p.communicate(timeout=30)
    finally:
        kill_if_running(p)
        os.close(reader)
    errors = [l for l in err.splitlines() if l.startswith("error:")]
    assert_eq(f"exit status ({err})", 1, p.returncode)
    assert_eq(f"error lines ({err})", 1, len(errors))
    assert re.search(r"^error: \d+ lines of output were not written to standard output",
                     errors[0]), errors[0]


def test_lines_dropped_for_a_late_reader_are_told_in_the_log(tmp_path):
    """A reader that comes late gets the log from where it caught up: the
    trailer says how many lines it missed, and replay says so."""
    p = subprocess.Popen([PROCLIFE, "trace", "-f", "jsonl", "--",
                          "sh", "-c", f"{WORKLOAD} storm -n 8000 >/dev/null; read x"],
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, stdin=subprocess.PIPE,
                         text=True)
    got = []
    try:
        for line in p.stderr:  # nothing read from stdout until lines are dropped
            if "is not being read" in line:
                break
        reader = threading.Thread(target=lambda: got.append(p.stdout.read()))
        reader.start()
        p.stdin.write("\n")  # the command ends
        p.stdin.close()
        err = p.stderr.read()
        p.wait(timeout=60)
        reader.join(timeout=60)
    finally:
        kill_if_running(p)
    dropped = re.search(r"^error: (\d+) lines of output were not written", err, re.M)
    assert dropped, err
    log = tmp_path / "late.jsonl"
    log.write_text(got[0])
    trailer = read_log(log)[-1]
    assert_eq("lines the trailer says were dropped", int(dropped.group(1)),
              trailer.get("lines_dropped"))
    r = subprocess.run([PROCLIFE, "replay", str(log), "-f", "summary"], capture_output=True,
                       text=True, timeout=60)
    assert re.search(rf"\b{dropped.group(1)} lines? (was|were) dropped from this log", r.stderr), \
        r.stderr


def test_a_paused_terminal_never_holds_the_tracer():
    # a terminal paused with Ctrl-S: events and messages alike wait on it
    master, slave = pty.openpty()
    # LeakSanitizer's check at exit stops every thread, and one stays in its
    # write to the paused terminal: a sanitizer build checks all but leaks
    env = dict(os.environ, ASAN_OPTIONS="detect_leaks=0") if os.environ.get("SANITIZE") else None
    p = subprocess.Popen([PROCLIFE, "trace"], stdout=slave, stderr=slave,
                         stdin=subprocess.DEVNULL, env=env)
    try:
        seen = b""
        while b"attached" not in seen:
            seen += os.read(master, 4096)
        termios.tcflow(slave, termios.TCOOFF)
        subprocess.run([WORKLOAD, "storm", "-n", "2000"], check=True, capture_output=True,
                       timeout=120)
        p.send_signal(signal.SIGTERM)
        p.wait(timeout=30)
    finally:
        kill_if_running(p)
        termios.tcflow(slave, termios.TCOON)
        os.close(master)
        os.close(slave)
    assert_eq("exit status (output was lost)", 1, p.returncode)


FORMAT_SIGNS = {  # what each format's file begins with
    "jsonl": '{"ev":"header"', "csv": "pid,", "json": '{"traceEvents"', "dot": "digraph",
    "gv": "digraph", "html": "<!DOCTYPE html>", "htm": "<!DOCTYPE html>",
}


@pytest.mark.parametrize("ext", sorted(FORMAT_SIGNS))
def test_the_format_follows_the_extension_when_not_given(tmp_path, ext):
    out = tmp_path / f"run.{ext}"
    r = subprocess.run([PROCLIFE, "trace", "-o", str(out), "--", "true"], capture_output=True,
                       text=True, timeout=60, stdin=subprocess.DEVNULL)
    assert_eq(f"trace exit status ({r.stderr})", 0, r.returncode)
    assert out.read_text().startswith(FORMAT_SIGNS[ext]), out.read_text()[:200]
    if ext == "jsonl":  # replay's -o too
        again = tmp_path / "again.html"
        r = subprocess.run([PROCLIFE, "replay", str(out), "-o", str(again)], capture_output=True,
                           text=True, timeout=60)
        assert_eq(f"replay exit status ({r.stderr})", 0, r.returncode)
        assert again.read_text().startswith(FORMAT_SIGNS["html"]), again.read_text()[:200]


def test_text_to_a_file_holds_the_summary_too(tmp_path):
    out = tmp_path / "run.txt"
    r = subprocess.run([PROCLIFE, "trace", "-o", str(out), "--", "true"], capture_output=True,
                       text=True, timeout=60, stdin=subprocess.DEVNULL)
    assert_eq(f"exit status ({r.stderr})", 0, r.returncode)
    assert "the command: exit 0" in out.read_text(), out.read_text()
    assert_eq("what went to standard output", "", r.stdout)


# a log goes to standard output (on standard error, where proclife's own
# messages go, it is refused: test_trace_errors.py); the text view to either
@pytest.mark.parametrize("path,stream,fmt,mark", [
    ("/dev/stdout", "stdout", "jsonl", '{"ev":"trailer"'),
    ("/dev/fd/1", "stdout", "jsonl", '{"ev":"trailer"'),
    ("/dev/stderr", "stderr", "text", "== summary"),
])
def test_the_standard_streams_are_outputs_too(path, stream, fmt, mark):
    r = subprocess.run([PROCLIFE, "trace", "-f", fmt, "-o", path, "--", "true"],
                       capture_output=True, text=True, timeout=60, stdin=subprocess.DEVNULL)
    assert_eq(f"exit status ({r.stderr})", 0, r.returncode)
    assert mark in getattr(r, stream), r


@needs_root
def test_a_named_pipe_nobody_reads_is_waited_for_aloud(tmp_path):
    """opening a FIFO for writing waits for a reader: the tracer says so
    instead of hanging in silence, then traces once someone reads"""
    fifo = tmp_path / "events"
    os.mkfifo(fifo)
    t = subprocess.Popen([PROCLIFE, "trace", "-o", str(fifo), "-f", "jsonl", "-d", "1"],
                         stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                         stdin=subprocess.DEVNULL)
    try:
        ready, _, _ = select.select([t.stderr], [], [], 30)
        assert ready, "the tracer said nothing while it waited for a reader"
        said = t.stderr.readline()
        assert_eq("its first word", f"proclife: waiting for someone to read '{fifo}'",
                  said.strip())
        with open(fifo) as reader:
            lines = reader.read().splitlines()
        err = t.stderr.read()
        assert_eq(f"exit status ({err})", 0, t.wait(timeout=60))
    finally:
        kill_if_running(t)
    assert_eq("first line", "header", json.loads(lines[0])["ev"])
    assert_eq("last line", "trailer", json.loads(lines[-1])["ev"])


def test_d_bounds_the_wait_for_a_reader(tmp_path):
    """-d is how long the whole trace may last: a FIFO no one opens ends
    it then, with one line that says why"""
    fifo = tmp_path / "events"
    os.mkfifo(fifo)
    r = subprocess.run([PROCLIFE, "trace", "-o", str(fifo), "-f", "jsonl", "-d", "0.5"],
                       capture_output=True, text=True, timeout=60, stdin=subprocess.DEVNULL)
    assert_eq(f"exit status ({r.stderr})", 1, r.returncode)
    assert_eq("what it said", [f"proclife: waiting for someone to read '{fifo}'",
                               f"error: no one read '{fifo}' in the 0.5 s the trace was to last"],
              r.stderr.splitlines())


@needs_root
def test_ctrl_backslash_stops_the_trace_with_its_log_whole(tmp_path):
    """SIGQUIT (Ctrl-\\ at a terminal) asks to stop as Ctrl-C does: the
    command is told and given its moment, and the log ends with its exit
    and the trailer, not cut where the signal came."""
    log = tmp_path / "quit.jsonl"
    no_core = lambda: resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    t = subprocess.Popen([PROCLIFE, "trace", "-f", "jsonl", "-o", str(log), "--", "sleep", "60"],
                         stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                         stdin=subprocess.DEVNULL, preexec_fn=no_core)
    try:
        wait_attached(t)
        t.send_signal(signal.SIGQUIT)
        status = t.wait(timeout=30)
        err = t.stderr.read()
    finally:
        kill_if_running(t)
    assert_eq(f"exit status ({err})", 128 + signal.SIGQUIT, status)
    assert "stopping: the command has 2 s to end (SIGQUIT again to stop now)" in err, err
    events = read_log(log)
    assert_eq("last line", "trailer", events[-1]["ev"])
    command = next(e["pid"] for e in events if e["ev"] == "fork" and e["ppid"] == t.pid)
    ends = [e for e in events if e["ev"] == "exit" and e["pid"] == command]
    assert_eq(f"the command's end ({ends})", [signal.SIGQUIT], [e.get("signal") for e in ends])


@needs_root
@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGQUIT, signal.SIGTERM])
def test_a_stop_signal_ends_the_wait_for_a_reader(tmp_path, sig):
    """Ctrl-C (or a service manager's SIGTERM) while the tracer waits for
    a FIFO's reader ends it, with one line that says why"""
    fifo = tmp_path / "events"
    os.mkfifo(fifo)
    t = subprocess.Popen([PROCLIFE, "trace", "-o", str(fifo), "-f", "jsonl"],
                         stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                         stdin=subprocess.DEVNULL)
    try:
        said = t.stderr.readline()
        assert "waiting for someone to read" in said, said
        t.send_signal(sig)
        status = t.wait(timeout=30)
        err = t.stderr.read()
    finally:
        kill_if_running(t)
    assert_eq(f"exit status ({err})", 1, status)
    assert_eq("what it said", f"error: stopped while waiting for someone to read '{fifo}'",
              err.strip())

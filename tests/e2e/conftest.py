# SPDX-License-Identifier: BSD-2-Clause
"""Shared helpers for the end-to-end tests: run the real tracer on the real
kernel, read its JSONL log, and say clearly what differed."""
import os
import signal
import subprocess

import pytest

from tracelog import Trace, assert_eq, read_log_lines, roles, shell_status  # noqa: F401 (for the tests)

# The commands the tests trace take the stop signals as a terminal's
# foreground job does. A run started in the background of a script, or
# under nohup, ignores SIGINT, SIGQUIT or SIGHUP, and an ignored signal
# stays ignored across fork and exec: every command would inherit that.
signal.signal(signal.SIGINT, signal.default_int_handler)
signal.signal(signal.SIGQUIT, signal.SIG_DFL)
signal.signal(signal.SIGHUP, signal.SIG_DFL)

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
BUILD = os.path.abspath(os.environ.get("PROCLIFE_BUILD", os.path.join(ROOT, "build")))
# PROCLIFE_TRACER: another build of the tracer, run against this build's programs
PROCLIFE = os.path.abspath(os.environ.get("PROCLIFE_TRACER", os.path.join(BUILD, "proclife")))
WORKLOAD = os.path.join(BUILD, "proclife-workload")
LIFECYCLE = os.path.join(BUILD, "tests", "lifecycle")

needs_root = pytest.mark.skipif(os.geteuid() != 0, reason="needs root to load BPF programs")


def read_log(path):
    """Every line of a JSONL log, parsed; fails on an invalid line."""
    try:
        return read_log_lines(path)
    except ValueError as e:
        pytest.fail(str(e))


def trace(tmp_path, command, *args, timeout=60):
    """Runs `proclife trace -f jsonl -o LOG [args] -- command` to the end;
    the tracer's exit status must be the command's."""
    log = tmp_path / "trace.jsonl"
    out = tmp_path / "command.out"
    argv = [PROCLIFE, "trace", "-f", "jsonl", "-o", str(log), "--force", *args, "--", *command]
    with open(out, "w") as f:
        r = subprocess.run(argv, stdout=f, stderr=subprocess.PIPE, text=True, timeout=timeout,
                           stdin=subprocess.DEVNULL)
    events = read_log(log)
    status = shell_status(events[-1]["exit_status"]) if "exit_status" in events[-1] else 0
    assert r.returncode == status, (f"proclife exited {r.returncode}, the command {status}: "
                                    f"{r.stderr}")
    return Trace(events, out.read_text(), r.stderr, r.returncode)


def kill_if_running(proc):
    """in a test's finally: a process the test could not end is ended"""
    if proc.poll() is None:
        proc.kill()
        proc.wait()


def wait_attached(proc):
    """Reads the tracer's stderr until it says it is attached."""
    lines = []
    for line in proc.stderr:
        lines.append(line)
        if "attached" in line:
            return lines
    pytest.fail(f"the tracer ended without attaching: {''.join(lines)}")

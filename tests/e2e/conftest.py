"""Shared helpers for the end-to-end tests: run the real tracer on the real
kernel, read its JSONL log, and say clearly what differed."""
import json
import os
import subprocess
import sys

import pytest

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
BUILD = os.path.abspath(os.environ.get("PROCLIFE_BUILD", os.path.join(ROOT, "build")))
# PROCLIFE_TRACER: another build of the tracer, run against this build's programs
PROCLIFE = os.path.abspath(os.environ.get("PROCLIFE_TRACER", os.path.join(BUILD, "proclife")))
WORKLOAD = os.path.join(BUILD, "proclife-workload")
LIFECYCLE = os.path.join(BUILD, "tests", "progs", "lifecycle")

needs_root = pytest.mark.skipif(os.geteuid() != 0, reason="needs root to load BPF programs")


def read_log(path):
    """Every line of a JSONL log, parsed; fails on an invalid line."""
    events = []
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            try:
                events.append(json.loads(line))
            except ValueError as e:
                pytest.fail(f"{path}:{n}: invalid JSON ({e}): {line!r}")
    return events


def roles(stdout):
    """The "role=pid" lines the test programs print, as {role: [pid, ...]}."""
    found = {}
    for line in stdout.splitlines():
        if "=" in line:
            role, _, pid = line.partition("=")
            if pid.isdigit():
                found.setdefault(role, []).append(int(pid))
    return found


class Trace:
    """One finished trace: the log's events and the command's output."""

    def __init__(self, events, stdout, stderr, returncode):
        self.events = events
        self.stdout = stdout
        self.stderr = stderr
        self.returncode = returncode
        self.roles = roles(stdout)

    def of(self, kind, **match):
        return [e for e in self.events
                if e["ev"] == kind and all(e.get(k) == v for k, v in match.items())]

    def one(self, kind, **match):
        found = self.of(kind, **match)
        assert len(found) == 1, (
            f"expected exactly one '{kind}' event with {match}, found {len(found)}: {found}\n"
            f"all events: {self.events}")
        return found[0]

    def pid(self, role, i=0):
        assert role in self.roles, f"the program did not report a '{role}' pid: {self.stdout!r}"
        return self.roles[role][i]


def trace(tmp_path, command, *args, timeout=60):
    """Runs `proclife trace -f jsonl -o LOG [args] -- command` to the end."""
    log = tmp_path / "trace.jsonl"
    out = tmp_path / "command.out"
    argv = [PROCLIFE, "trace", "-f", "jsonl", "-o", str(log), "--force", *args, "--", *command]
    with open(out, "w") as f:
        r = subprocess.run(argv, stdout=f, stderr=subprocess.PIPE, text=True, timeout=timeout,
                           stdin=subprocess.DEVNULL)
    assert r.returncode == 0, f"proclife exited {r.returncode}: {r.stderr}"
    return Trace(read_log(log), out.read_text(), r.stderr, r.returncode)


def wait_attached(proc):
    """Reads the tracer's stderr until it says it is attached."""
    lines = []
    for line in proc.stderr:
        lines.append(line)
        if "attached" in line:
            return lines
    pytest.fail(f"the tracer ended without attaching: {''.join(lines)}")


def assert_eq(what, expected, actual):
    assert expected == actual, f"{what}: expected {expected!r}, got {actual!r}"

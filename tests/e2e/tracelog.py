# SPDX-License-Identifier: BSD-2-Clause
"""A finished trace as the tests read it: the log's events and what the
traced command printed. No pytest here: the kernel matrix (tests/kernels/)
reads logs brought back from its guests with it too."""
import json


def read_log_lines(path):
    """Every line of a JSONL log, parsed; raises ValueError naming the line."""
    events = []
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            try:
                events.append(json.loads(line))
            except ValueError as e:
                raise ValueError(f"{path}:{n}: invalid JSON ({e}): {line!r}") from None
    return events


def shell_status(wait_status):
    """a wait status as a shell gives it: the exit code, or 128 + the signal"""
    return 128 + (wait_status & 0x7f) if wait_status & 0x7f else wait_status >> 8


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

    def __init__(self, events, stdout, stderr="", returncode=0):
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


def assert_eq(what, expected, actual):
    assert expected == actual, f"{what}: expected {expected!r}, got {actual!r}"

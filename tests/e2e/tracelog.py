# SPDX-License-Identifier: BSD-2-Clause
"""A finished trace as the tests read it: the log's events and what the
traced command printed. No pytest here: the kernel matrix (tests/kernels/)
reads logs brought back from its guests with it too."""
import json


# what a zombie moment told in its exit's line shares with the exit
ZOMBIE_FROM_EXIT = ("pid", "tid", "start", "comm", "comm_hex", "status", "cpu", "code", "signal",
                    "signame", "core")


def zombie_in_exit(exit):
    """The zombie event an exit line with zombie_ts tells too: the same
    thread, parent and status, at its own time (the log's format)."""
    z = {"ev": "zombie", "ts": exit["zombie_ts"]}
    z.update((k, exit[k]) for k in ZOMBIE_FROM_EXIT if k in exit)
    z["parent"] = exit["ppid"]
    if "pstart" in exit:
        z["parent_start"] = exit["pstart"]
    return z


def read_log_lines(path):
    """Every event of a JSONL log, parsed, one per line but for an exit line
    that tells its zombie moment too (then that zombie event follows it);
    raises ValueError naming the line."""
    events = []
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            try:
                events.append(json.loads(line))
            except ValueError as e:
                raise ValueError(f"{path}:{n}: invalid JSON ({e}): {line!r}") from None
            if events[-1].get("ev") == "exit" and "zombie_ts" in events[-1]:
                events.append(zombie_in_exit(events[-1]))
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

# SPDX-License-Identifier: BSD-2-Clause
"""The model's picture of real programs: tree, summary and conclusions."""
import os
import re
import subprocess
import sys

from conftest import LIFECYCLE, PROCLIFE, assert_eq, needs_root, roles, trace

pytestmark = needs_root


def run_text(*args):
    """`proclife trace` in text mode; returns (stdout, the command's roles)."""
    r = subprocess.run([PROCLIFE, "trace", *args], capture_output=True, text=True, timeout=60,
                       stdin=subprocess.DEVNULL)
    assert_eq(f"proclife exit status (stderr: {r.stderr})", 0, r.returncode)
    return r.stdout, roles(r.stdout)


def section(text, title):
    """The lines of a summary table, from its title to the next blank line."""
    lines = text.splitlines()
    for i, line in enumerate(lines):
        if line.rstrip().rstrip(":") == title.rstrip(":"):
            out = []
            for rest in lines[i + 1:]:
                if not rest.strip():
                    break
                out.append(rest)
            return out
    raise AssertionError(f"no '{title}' section in:\n{text}")


def ms_in(line):
    m = re.search(r"([0-9.]+) ms", line)
    assert m, f"no duration in ms in {line!r}"
    return float(m.group(1))


def test_zombie_held_500ms_in_summary_and_log(tmp_path):
    out, pids = run_text("--summary", "--", LIFECYCLE, "zombie", "500")
    child = pids["child"][0]
    rows = [l for l in section(out, "zombies, longest first (! past 100 ms):")
            if l.split()[0] == str(child)]
    assert_eq(f"zombie table rows for {child}", 1, len(rows))
    ms = ms_in(rows[0])
    most = (pids["reaped_ns"][0] - pids["forking_ns"][0]) / 1e6  # shown to 3 places
    assert 500 <= ms <= most + 0.0005, f"zombie time in the summary: expected 500 ms to {most:.3f}, got {ms}"
    assert "wait" in rows[0], f"reap kind missing: {rows[0]!r}"
    t = trace(tmp_path, [LIFECYCLE, "zombie", "500"])
    child = t.pid("child")
    flagged = t.one("zombie_long", pid=child)
    assert_eq("flagged as derived by the model", True, flagged["derived"])
    assert flagged["zombie_ns"] >= 100e6, f"flagged before the threshold: {flagged}"


def test_double_fork_recognised(tmp_path):
    t = trace(tmp_path, [LIFECYCLE, "orphan"])
    middle, grandchild = t.pid("middle"), t.pid("grandchild")
    d = t.one("double_fork", pid=grandchild)
    assert_eq("middle process of the double fork", middle, d["middle"])
    top = t.one("fork", pid=middle)["ppid"]
    assert_eq("original parent", top, d["original_parent"])


def test_orphan_adopted_by_subreaper_in_tree_and_summary():
    out, pids = run_text("--tree", "--summary", "--", LIFECYCLE, "subreaper")
    middle, grandchild = pids["middle"][0], pids["grandchild"][0]
    lines = out.splitlines()
    node = [l for l in lines if re.search(rf"-{grandchild} ", l)]
    assert_eq(f"tree nodes for the grandchild {grandchild}", 1, len(node))
    assert "adopted by subreaper" in node[0], f"no adoption mark: {node[0]!r}"
    assert f"orphan of {middle}" in node[0], f"old parent not named: {node[0]!r}"
    root = [l for l in lines if "[subreaper]" in l]
    assert root, f"the subreaper is not marked in the tree:\n{out}"
    rows = [l for l in section(out, "orphans:") if l.split()[0] == str(grandchild)]
    assert_eq("orphan table rows", 1, len(rows))
    assert_eq("orphan row: old parent, adopter", [str(middle), "subreaper"],
              [rows[0].split()[2], rows[0].split()[4]])


def test_every_orphan_counted_past_what_the_kernel_side_remembers():
    # more children than an exit's record remembers (64): the rest are told
    # by their later records, and counted alike in the summary and the tree
    n = 150
    out, pids = run_text("--tree", "--summary", "--", LIFECYCLE, "orphans", str(n))
    middle = pids["middle"][0]
    counts = [l for l in out.splitlines() if l.startswith("orphans:")]
    assert counts and counts[0].startswith(f"orphans: 0 adopted by init, {n} by a subreaper"), \
        counts
    marks = [l for l in out.splitlines() if f"[orphan of {middle}, adopted by subreaper]" in l]
    assert_eq("orphans in the tree", n, len(marks))
    lines = [l for l in out.splitlines() if f"ORPHAN: parent {middle} -> " in l]
    assert_eq("orphan lines in the text view", n, len(lines))


def test_orphans_never_seen_make_the_counts_bounds():
    """children past the 64 an exit's record reads, which do nothing more
    while the trace lasts, are orphaned with no record: the counts say so"""
    held, hold = os.pipe()  # the children wait until the test lets them go
    # (their output elsewhere: the test reads the tracer's to its end)
    script = (f"import os\nfor _ in range(100):\n    if os.fork() == 0:\n"
              f"        n = os.open('/dev/null', os.O_RDWR); os.dup2(n, 1); os.dup2(n, 2)\n"
              f"        os.close({hold}); os.read({held}, 1); os._exit(0)\n")
    try:
        r = subprocess.run([PROCLIFE, "trace", "--summary", "--", sys.executable, "-c", script],
                           capture_output=True, text=True, timeout=60, stdin=subprocess.DEVNULL,
                           pass_fds=(held, hold))
    finally:
        os.close(hold)  # and they end
        os.close(held)
    assert_eq(f"exit status ({r.stderr})", 0, r.returncode)
    (counts,) = [l for l in r.stdout.splitlines()
                 if l.startswith("orphans:") and "adopted by init" in l]
    assert counts.startswith("orphans: at least "), counts
    assert "past the first 64 were orphaned unseen" in counts, counts


def test_threads_counted_not_processes():
    out, pids = run_text("--summary", "--", LIFECYCLE, "thread")
    counts = [l for l in out.splitlines() if l.startswith("processes:")]
    assert counts, f"no counts line:\n{out}"
    assert re.search(r"\b1 thread,", counts[0]), f"thread count: {counts[0]!r}"
    # one fork: the command itself, started by the tracer; the thread is not one
    assert re.search(r"\b1 fork,", counts[0]), f"a thread counted as a fork: {counts[0]!r}"

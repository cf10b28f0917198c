# SPDX-License-Identifier: BSD-2-Clause
"""The tracer's events against small programs whose every fact is known."""
import os

import pytest

from conftest import LIFECYCLE, assert_eq, needs_root, trace
from lifecycle_facts import CASES

pytestmark = needs_root


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_lifecycle_facts(tmp_path, case):
    """Each pattern's facts (lifecycle_facts.py), on this kernel."""
    if case.check(trace(tmp_path, case.command(LIFECYCLE), *case.trace_args)) == "n/a":
        pytest.skip("this kernel has no such pattern")


def test_the_command_is_the_tracers_child(tmp_path):
    t = trace(tmp_path, [LIFECYCLE, "fork-exit", "0"])
    top = t.one("fork", comm="proclife")
    assert_eq("tracer as parent of the command", os.getpid() != top["ppid"], True)


def test_log_has_header_and_trailer(tmp_path):
    t = trace(tmp_path, [LIFECYCLE, "exit", "0"])
    head, tail = t.events[0], t.events[-1]
    assert_eq("first line", "header", head["ev"])
    assert_eq("format", "proclife-events", head["format"])
    assert_eq("version", 2, head["version"])
    assert_eq("the command, word by word", [LIFECYCLE, "exit", "0"], head["options"]["command"])
    assert_eq("last line", "trailer", tail["ev"])
    assert_eq("lost events", 0, tail["lost_total"])
    for e in t.events[1:-1]:
        if e["ev"] in ("follow", "lost"):
            continue
        for key in ("ev", "ts", "pid", "tid", "start", "comm"):
            assert key in e, f"event without '{key}': {e}"

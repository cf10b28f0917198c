"""The tracer's events against small programs whose every fact is known."""
import os

import pytest

from conftest import LIFECYCLE, assert_eq, needs_root, trace

pytestmark = needs_root


def test_fork_has_the_right_parent(tmp_path):
    t = trace(tmp_path, [LIFECYCLE, "fork-exit", "0"])
    top = t.one("fork", comm="proclife")  # the command itself, forked by the tracer
    child = t.pid("child")
    fork = t.one("fork", pid=child)
    assert_eq("parent of the forked child", top["pid"], fork["ppid"])
    assert_eq("parent's identity", top["start"], fork["pstart"])
    assert_eq("thread flag of a process fork", False, fork["thread"])
    assert_eq("tracer as parent of the command", os.getpid() != top["ppid"], True)


def test_exec_reports_new_name_and_same_pid(tmp_path):
    t = trace(tmp_path, [LIFECYCLE, "exec", "/bin/true"])
    child = t.pid("child")
    ex = t.one("exec", pid=child)
    assert_eq("command name after exec", "true", ex["comm"])
    assert_eq("exec'd file", "/bin/true", ex["filename"])
    fork = t.one("fork", pid=child)
    assert_eq("identity kept across exec", fork["start"], ex["start"])


def test_exit_codes_zero_and_seven(tmp_path):
    for code in (0, 7):
        t = trace(tmp_path, [LIFECYCLE, "fork-exit", str(code)])
        child = t.pid("child")
        ex = t.one("exit", pid=child)
        assert_eq(f"exit code of a child that exits {code}", code, ex["code"])
        assert_eq("raw wait status", code << 8, ex["status"])
        reap = t.one("reap", pid=child)
        assert_eq("status reported at reap", code << 8, reap["status"])


def test_death_by_sigkill(tmp_path):
    t = trace(tmp_path, [LIFECYCLE, "sigkill"])
    ex = t.one("exit", comm="lifecycle")
    assert_eq("signal", 9, ex["signal"])
    assert_eq("signal name", "SIGKILL", ex["signame"])
    assert_eq("core dumped", False, ex["core"])
    assert "code" not in ex, f"a killed process has no exit code: {ex}"
    assert_eq("trailer: the command's status", 9, t.events[-1]["exit_status"])


@pytest.mark.parametrize("call", ["wait4", "waitid"])
def test_stop_and_continue_reports_are_not_reaps(tmp_path, call):
    t = trace(tmp_path, [LIFECYCLE, "stop-cont", call])
    assert_eq("the program's own verdict", 0, t.events[-1]["exit_status"])
    child = t.pid("child")
    reap = t.one("reap", pid=child)  # one reap: the stop and continue reports are none
    assert_eq("status at the reap", 5 << 8, reap["status"])
    assert_eq("reaped through waitid", call == "waitid", reap.get("waitid", False))
    assert_eq("reaper", t.one("fork", pid=child)["ppid"], reap["reaper"])
    assert reap["ts"] >= t.one("zombie", pid=child)["ts"], "reaped before it was a zombie"


def test_a_tracers_wait_is_not_the_reap(tmp_path):
    """Under strace -f the tracer's wait sees the child's exit first and only
    hands the zombie on: the parent's wait is the one reap."""
    t = trace(tmp_path, ["strace", "-f", "-o", os.devnull, LIFECYCLE, "fork-exit", "3"])
    child = t.pid("child")
    parent = t.one("fork", pid=child)["ppid"]
    assert_eq("the zombie's parent", parent, t.one("zombie", pid=child)["parent"])
    reap = t.one("reap", pid=child)  # exactly one
    assert_eq("reaper", parent, reap["reaper"])
    assert_eq("status", 3 << 8, reap["status"])


def test_zombie_held_300ms(tmp_path):
    t = trace(tmp_path, [LIFECYCLE, "zombie", "300"])
    child = t.pid("child")
    top = t.one("fork", comm="proclife")["pid"]
    z = t.one("zombie", pid=child)
    assert_eq("parent that must reap the zombie", top, z["parent"])
    reap = t.one("reap", pid=child)
    assert_eq("reaper", top, reap["reaper"])
    ms = reap["zombie_ns"] / 1e6
    assert 200 <= ms <= 400, f"zombie time: expected 300 ms +- 100, got {ms:.1f} ms"
    assert_eq("zombie time equals reap - zombie timestamps", reap["ts"] - z["ts"],
              reap["zombie_ns"])
    assert_eq("auto-reaped", False, reap["auto"])


def test_orphan_adopted_by_init(tmp_path):
    t = trace(tmp_path, [LIFECYCLE, "orphan"])
    middle, grandchild = t.pid("middle"), t.pid("grandchild")
    r = t.one("reparent", pid=grandchild)
    assert_eq("old parent", middle, r["old_parent"])
    assert_eq("new parent", 1, r["new_parent"])
    assert_eq("adopter kind", "init", r["adopter"])
    assert r["ts"] >= t.one("exit", pid=middle)["ts"], "reparent before the old parent's exit"


def test_orphan_adopted_by_subreaper(tmp_path):
    t = trace(tmp_path, [LIFECYCLE, "subreaper"])
    top = t.one("fork", comm="proclife")["pid"]
    middle, grandchild = t.pid("middle"), t.pid("grandchild")
    r = t.one("reparent", pid=grandchild)
    assert_eq("old parent", middle, r["old_parent"])
    assert_eq("new parent", top, r["new_parent"])
    assert_eq("adopter kind", "subreaper", r["adopter"])
    reap = t.one("reap", pid=grandchild)
    assert_eq("reaped by the subreaper", top, reap["reaper"])


def test_autoreap_with_sig_ign(tmp_path):
    t = trace(tmp_path, [LIFECYCLE, "autoreap"])
    top = t.one("fork", comm="proclife")["pid"]
    for child, code in zip(t.roles["child"], (3, 4)):
        reap = t.one("reap", pid=child)
        assert_eq("auto-reaped", True, reap["auto"])
        assert_eq("reaper", top, reap["reaper"])
        assert_eq("status at auto-reap", code << 8, reap["status"])
        assert_eq("zombie events for an auto-reaped child", [], t.of("zombie", pid=child))


def test_thread_is_not_a_process(tmp_path):
    t = trace(tmp_path, [LIFECYCLE, "thread"])
    tid = t.pid("thread")
    seen = [e for e in t.events if e.get("tid") == tid or e.get("pid") == tid]
    assert_eq("events about the thread without --threads", [], seen)
    t = trace(tmp_path, [LIFECYCLE, "thread"], "--threads")
    tid = t.pid("thread")
    fork = t.one("fork", tid=tid)
    assert_eq("thread flag", True, fork["thread"])
    assert fork["pid"] != tid, f"a thread reported as its own process: {fork}"
    exit_ = t.one("exit", tid=tid)
    assert_eq("thread exit is not the process's", False, exit_["group_dead"])
    assert_eq("a thread never becomes a zombie", [], t.of("zombie", pid=tid))


def test_log_has_header_and_trailer(tmp_path):
    t = trace(tmp_path, [LIFECYCLE, "exit", "0"])
    head, tail = t.events[0], t.events[-1]
    assert_eq("first line", "header", head["ev"])
    assert_eq("format", "proclife-events", head["format"])
    assert_eq("version", 1, head["version"])
    assert_eq("the command, word by word", [LIFECYCLE, "exit", "0"], head["options"]["command"])
    assert_eq("last line", "trailer", tail["ev"])
    assert_eq("lost events", 0, tail["lost_total"])
    for e in t.events[1:-1]:
        if e["ev"] in ("follow", "lost"):
            continue
        for key in ("ev", "ts", "pid", "tid", "start", "comm"):
            assert key in e, f"event without '{key}': {e}"

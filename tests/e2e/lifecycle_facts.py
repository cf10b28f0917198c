# SPDX-License-Identifier: BSD-2-Clause
"""What the tracer must say about each pattern of tests/e2e/lifecycle/lifecycle,
as checks on a finished trace. test_trace_events.py runs them on this
kernel; the kernel matrix (tests/kernels/) runs the same commands in each
guest kernel and checks the logs it brings back."""
from tracelog import assert_eq


class Case:
    """`lifecycle ARGS` traced with TRACE_ARGS (under WRAPPER), then check(trace)."""

    def __init__(self, name, args, check, trace_args=(), wrapper=()):
        self.name = name
        self.args = list(args)
        self.check = check
        self.trace_args = list(trace_args)
        self.wrapper = list(wrapper)

    def command(self, lifecycle):
        return [*self.wrapper, lifecycle, *self.args]


def fork_parent(t):
    top = t.one("fork", comm="proclife")  # the command itself, forked by the tracer
    child = t.pid("child")
    fork = t.one("fork", pid=child)
    assert_eq("parent of the forked child", top["pid"], fork["ppid"])
    assert_eq("parent's identity", top["start"], fork["pstart"])
    assert_eq("thread flag of a process fork", False, fork["thread"])
    assert_eq("its parent is neither init nor a subreaper", None,
              t.one("exit", pid=child).get("parent_kind"))


def exec_true(t):
    child = t.pid("child")
    ex = t.one("exec", pid=child)
    assert_eq("command name after exec", "true", ex["comm"])
    assert_eq("exec'd file", "/bin/true", ex["filename"])
    fork = t.one("fork", pid=child)
    assert_eq("identity kept across exec", fork["start"], ex["start"])


def exit_code(code):
    def check(t):
        child = t.pid("child")
        ex = t.one("exit", pid=child)
        assert_eq(f"exit code of a child that exits {code}", code, ex["code"])
        assert_eq("raw wait status", code << 8, ex["status"])
        reap = t.one("reap", pid=child)
        assert_eq("status reported at reap", code << 8, reap["status"])
        for line in (t.one("zombie", pid=child), reap):
            assert_eq(f"name on the {line['ev']} line", ex["comm"], line["comm"])
    return check


def sigkill(t):
    ex = t.one("exit", comm="lifecycle")
    assert_eq("signal", 9, ex["signal"])
    assert_eq("signal name", "SIGKILL", ex["signame"])
    assert_eq("core dumped", False, ex["core"])
    assert "code" not in ex, f"a killed process has no exit code: {ex}"
    assert_eq("trailer: the command's status", 9, t.events[-1]["exit_status"])


def stop_and_continue(call):
    def check(t):
        assert_eq("the program's own verdict", 0, t.events[-1]["exit_status"])
        child = t.pid("child")
        reap = t.one("reap", pid=child)  # one reap: the stop and continue reports are none
        assert_eq("status at the reap", 5 << 8, reap["status"])
        assert_eq("reaped through waitid", call == "waitid", reap.get("waitid", False))
        assert_eq("reaper", t.one("fork", pid=child)["ppid"], reap["reaper"])
        assert reap["ts"] >= t.one("zombie", pid=child)["ts"], "reaped before it was a zombie"
    return check


def tracer_wait_is_no_reap(t):
    """Under strace -f the tracer's wait sees the child's exit first and only
    hands the zombie on: the parent's wait is the one reap."""
    child = t.pid("child")
    fork = t.one("fork", pid=child)
    parent = fork["ppid"]
    zombie = t.one("zombie", pid=child)
    assert_eq("the zombie's parent", parent, zombie["parent"])
    assert_eq("the zombie's parent's start (not the tracer's)", fork["pstart"],
              zombie["parent_start"])
    reap = t.one("reap", pid=child)  # exactly one
    assert_eq("reaper", parent, reap["reaper"])
    assert_eq("status", 3 << 8, reap["status"])


def ptrace_stop_is_no_reap(t):
    """A ptracer's wait that sees its tracee stop, with no status to read,
    reaps nothing: the parent's wait after the exit is the one reap."""
    child = t.pid("child")
    assert_eq("the tracer's own verdict", 0, t.one("exit", pid=t.pid("tracer"))["code"])
    parent = t.one("fork", pid=child)["ppid"]
    reap = t.one("reap", pid=child)  # exactly one
    assert_eq("reaper", parent, reap["reaper"])
    assert_eq("status", 21 << 8, reap["status"])
    assert_eq("a wait record matched it", False, reap.get("inferred", False))
    assert_eq("matched to its zombie", False, reap.get("unmatched", False))
    assert reap["ts"] >= t.one("zombie", pid=child)["ts"], "reaped before it was a zombie"


def tracer_wait_releases(ms):
    """The parent ignores SIGCHLD: the ptracer's wait on the zombie hands it
    to the parent, and the kernel releases it there, for the parent."""
    def check(t):
        child = t.pid("child")
        assert_eq("the tracer's own verdict: its wait took the exit",
                  0, t.one("exit", pid=t.pid("tracer"))["code"])
        top = t.one("fork", comm="proclife")
        reap = t.one("reap", pid=child)
        assert_eq("auto-reaped", True, reap["auto"])
        assert_eq("for the parent", top["pid"], reap["reaper"])
        assert_eq("the parent's identity", top["start"], reap["reaper_start"])
        assert_eq("status", 22 << 8, reap["status"])
        assert_eq("released there", True, reap["final"])
        assert_eq("not inferred", False, reap.get("inferred", False))
        assert reap["zombie_ns"] >= ms * 1000000, \
            f"a zombie until the tracer's wait, {ms} ms after it saw the exit: {reap}"
    return check


def traced_zombie_adopted(how):
    """A traced zombie whose parent ends is handed to the subreaper with no
    signal (its tracer is told, not the adopter): its reap, by the
    subreaper's wait or by the release the tracer's wait makes under the
    subreaper's ignored SIGCHLD, is the subreaper's, never the dead
    middle's."""
    def check(t):
        top = t.one("fork", comm="proclife")
        traced, middle = t.pid("traced"), t.pid("middle")
        assert_eq("the tracer's own verdict: its wait took the exit",
                  0, t.one("exit", pid=t.pid("tracer"))["code"])
        hops = [(e["old_parent"], e["new_parent"], e["adopter"]) for e in t.of("reparent", pid=traced)]
        assert_eq("its adoption", [(middle, top["pid"], "subreaper")], hops)
        assert_eq("its exit status", 23 << 8, t.one("exit", pid=traced)["status"])
        reap = t.one("reap", pid=traced)
        assert_eq("reaper", (top["pid"], top["start"]), (reap["reaper"], reap["reaper_start"]))
        assert_eq("auto-reaped, not inferred", (how == "ignore", False),
                  (reap["auto"], reap.get("inferred", False)))
        assert_eq("status at reap", 23 << 8, reap["status"])
    return check


def double_fork_under_an_ignoring_parent(t):
    """The middle's exit and auto-reap are told at its last switch, after
    the daemon's adoption: the double fork is still seen, once."""
    top = t.one("fork", comm="proclife")
    middle, daemon = t.pid("middle"), t.pid("daemon")
    assert_eq("the middle auto-reaped", (top["pid"], True),
              (t.one("reap", pid=middle)["reaper"], t.one("reap", pid=middle)["auto"]))
    d = t.one("double_fork", pid=daemon)
    assert_eq("its middle and their parent", (middle, top["pid"]),
              (d["middle"], d["original_parent"]))
    assert_eq("its adoption", [(middle, top["pid"], "subreaper")],
              [(e["old_parent"], e["new_parent"], e["adopter"]) for e in t.of("reparent", pid=daemon)])
    assert_eq("the daemon's exit", 9 << 8, t.one("exit", pid=daemon)["status"])


def reaped_by_the_ns_inits_end(t):
    """A pid namespace's init that ends with a zombie child: the kernel's
    wait in its end reaps it, for it; no adoption, no auto-reap."""
    assert_eq("the program's own verdict", 0, t.events[-1]["exit_status"])
    init = t.pid("init")
    reaps = [e for e in t.of("reap") if e["reaper"] == init]
    assert_eq(f"reaps by init {init}", 1, len(reaps))
    reap = reaps[0]
    assert_eq("by its end", True, reap.get("at_exit", False))
    assert_eq("status", 5 << 8, reap["status"])
    assert_eq("not an auto-reap", False, reap["auto"])
    assert_eq("not inferred", False, reap.get("inferred", False))
    assert_eq("adoptions of it", [], [e for e in t.of("reparent") if e["pid"] == reap["pid"]])


def zombie_held_300ms(t):
    child = t.pid("child")
    top = t.one("fork", comm="proclife")["pid"]
    z = t.one("zombie", pid=child)
    assert_eq("parent that must reap the zombie", top, z["parent"])
    reap = t.one("reap", pid=child)
    assert_eq("reaper", top, reap["reaper"])
    # a zombie before the 300 ms began, reaped before the program's wait returned
    forking, reaped = t.pid("forking_ns"), t.pid("reaped_ns")
    assert 300e6 <= reap["zombie_ns"] <= reaped - forking, \
        f"zombie time: expected 300 ms to {(reaped - forking) / 1e6:.3f} ms, got {reap['zombie_ns'] / 1e6:.3f} ms"
    assert forking <= z["ts"] <= reap["ts"] <= reaped, \
        f"times out of order: forking {forking}, zombie {z['ts']}, reap {reap['ts']}, wait returned {reaped}"
    assert_eq("zombie time equals reap - zombie timestamps", reap["ts"] - z["ts"],
              reap["zombie_ns"])
    assert_eq("auto-reaped", False, reap["auto"])


def orphan_adopted_by_init(t):
    middle, grandchild = t.pid("middle"), t.pid("grandchild")
    r = t.one("reparent", pid=grandchild)
    assert_eq("old parent", middle, r["old_parent"])
    assert_eq("new parent", 1, r["new_parent"])
    assert_eq("adopter kind", "init", r["adopter"])
    assert r["ts"] >= t.one("exit", pid=middle)["ts"], "reparent before the old parent's exit"
    assert_eq("the orphan's exit says its parent is init", "init",
              t.one("exit", pid=grandchild).get("parent_kind"))


def orphan_adopted_by_subreaper(t):
    top = t.one("fork", comm="proclife")["pid"]
    middle, grandchild = t.pid("middle"), t.pid("grandchild")
    r = t.one("reparent", pid=grandchild)
    assert_eq("old parent", middle, r["old_parent"])
    assert_eq("new parent", top, r["new_parent"])
    assert_eq("adopter kind", "subreaper", r["adopter"])
    assert_eq("the orphan's exit says its parent is a subreaper", "subreaper",
              t.one("exit", pid=grandchild).get("parent_kind"))
    reap = t.one("reap", pid=grandchild)
    assert_eq("reaped by the subreaper", top, reap["reaper"])


def autoreap_with_sig_ign(t):
    top = t.one("fork", comm="proclife")
    for child, code in zip(t.roles["child"], (3, 4)):
        reap = t.one("reap", pid=child)
        assert_eq("auto-reaped", True, reap["auto"])
        assert_eq("reaper", top["pid"], reap["reaper"])
        assert_eq("reaper's identity", top["start"], reap["reaper_start"])
        assert_eq("status at auto-reap", code << 8, reap["status"])
        assert_eq("zombie events for an auto-reaped child", [], t.of("zombie", pid=child))


def autoreap_as_the_parent_ends(t):
    """A child whose parent, ignoring SIGCHLD, ends as the child does: one
    whose end came first is released by that parent, even when the
    parent's end, a moment later, points it at the subreaper as it goes;
    it was never an orphan. One adopted before its end is the subreaper's
    zombie, reaped by its wait."""
    top = t.one("fork", comm="proclife")
    middles, children = t.roles["middle"], t.roles["child"]
    released, adopted = set(t.roles.get("released", [])), set(t.roles.get("adopted", []))
    assert_eq("rounds played", len(middles), len(children))
    assert_eq("rounds told", len(children), len(released) + len(adopted))
    for middle, child in zip(middles, children):
        reap = t.one("reap", pid=child)
        assert_eq("status at the reap", 7 << 8, reap["status"])
        hops = [(e["old_parent"], e["new_parent"]) for e in t.of("reparent", pid=child)]
        if child in released:
            assert_eq("auto-reaped", True, reap["auto"])
            assert_eq("reaper", middle, reap["reaper"])
            assert_eq("reaper's identity", t.one("fork", pid=middle)["start"],
                      reap["reaper_start"])
            assert_eq("zombie events for an auto-reaped child", [], t.of("zombie", pid=child))
            assert_eq("adoptions of a released child", [], hops)
        else:
            assert_eq("auto-reaped", False, reap["auto"])
            assert_eq("reaper", top["pid"], reap["reaper"])
            assert_eq("adoptions", [(middle, top["pid"])], hops)


def thread_hidden(t):
    """No thread's own events. The process's lines may still name a thread
    in their tid: the one whose exit ended the process (or, on a kernel
    without the exit tracepoint's group_dead, one that saw it end)."""
    tid = t.pid("thread")
    seen = [e for e in t.events if e.get("pid") == tid or e.get("thread")]
    assert_eq("events about the thread without --threads", [], seen)


def thread_shown(t):
    tid = t.pid("thread")
    fork = t.one("fork", tid=tid)
    assert_eq("thread flag", True, fork["thread"])
    assert fork["pid"] != tid, f"a thread reported as its own process: {fork}"
    exit_ = t.one("exit", tid=tid)
    if exit_["group_dead"] and t.events[0]["mechanisms"]["process_exit"] == "signal_live":
        # that kernel cannot say which thread was last; the other thread that
        # saw the process end must say so
        other = [e for e in t.of("exit", pid=fork["pid"]) if e is not exit_]
        assert_eq("the other exit that saw the process end",
                  [True], [e.get("last_thread_unknown", False) for e in other])
    else:
        assert_eq("thread exit is not the process's", False, exit_["group_dead"])
    assert_eq("a thread never becomes a zombie", [], t.of("zombie", pid=tid))


def adopted_by_one_that_releases(nocldwait):
    """A zombie and a running child handed to a subreaper that ignores
    SIGCHLD (SIG_IGN: no signal and no wait) or has SA_NOCLDWAIT (signalled
    as the kernel releases them), the running one perhaps before its old
    parent's exit is complete."""
    def check(t):
        adopted_by_one_that_ignores_sigchld(t)
        for child in t.roles["zombie"] + t.roles["runner"]:
            assert_eq("released for SA_NOCLDWAIT, not SIG_IGN", nocldwait,
                      t.one("reap", pid=child).get("nocldwait", False))
    return check


def orphaned_twice(t):
    """A zombie whose adopter ends too is adopted again: each hop told, old
    parent to new, and it is reaped by the last adopter's wait."""
    top = t.one("fork", comm="proclife")
    second, zombie = t.pid("second"), t.pid("zombie")
    middle = t.one("fork", pid=zombie)["ppid"]
    hops = [(e["old_parent"], e["new_parent"], e["adopter"]) for e in t.of("reparent", pid=zombie)]
    assert_eq("its adoptions", [(middle, second, "subreaper"), (second, top["pid"], "subreaper")],
              hops)
    reap = t.one("reap", pid=zombie)
    assert_eq("reaper", top["pid"], reap["reaper"])
    assert_eq("reaped by a wait", (False, False), (reap["auto"], reap["inferred"]))
    assert_eq("status at reap", 7 << 8, reap["status"])
    z = t.one("zombie", pid=zombie)
    assert_eq("zombie time is reap - zombie", reap["ts"] - z["ts"], reap["zombie_ns"])


def clone_parent_sibling(t):
    """A child made with CLONE_PARENT is its maker's sibling: its fork names
    its maker, and its parent, the tracer (the command's), reaps it as it
    ends, after the command itself."""
    top = t.one("fork", comm="proclife")
    sibling = t.pid("sibling")
    fork = t.one("fork", pid=sibling)
    assert_eq("its parent: its maker's", top["ppid"], fork["ppid"])
    assert_eq("its maker", top["pid"], fork.get("creator"))
    assert_eq("the command's own fork names no maker", None, top.get("creator"))
    assert_eq("its exit status", 4 << 8, t.one("exit", pid=sibling)["status"])
    reap = t.one("reap", pid=sibling)
    assert_eq("reaped by its parent, the tracer", top["ppid"], reap["reaper"])
    assert_eq("by a wait", (False, False), (reap["auto"], reap["inferred"]))
    assert_eq("the trace's alive list", [], t.one("trailer")["alive"])


def adopted_by_one_that_ignores_sigchld(t):
    """A zombie and a running child handed to a subreaper that ignores
    SIGCHLD: the kernel releases both with no signal and no wait, the
    running one perhaps before its old parent's exit is complete."""
    top = t.one("fork", comm="proclife")
    zombies, runners = t.roles["zombie"], t.roles["runner"]
    assert_eq("patterns played", len(t.roles["middle"]), len(zombies))
    for child in zombies + runners:
        middle = t.one("fork", pid=child)["ppid"]
        r = t.one("reparent", pid=child)
        assert_eq("old parent", middle, r["old_parent"])
        assert_eq("new parent", top["pid"], r["new_parent"])
        assert_eq("adopter kind", "subreaper", r["adopter"])
        reap = t.one("reap", pid=child)
        assert_eq("reaper", top["pid"], reap["reaper"])
        assert_eq("reaper's identity", top["start"], reap["reaper_start"])
        assert_eq("auto-reaped", True, reap["auto"])
        assert_eq("inferred", False, reap["inferred"])
    for child in zombies:
        z = t.one("zombie", pid=child)
        assert_eq("the zombie's first parent", t.one("fork", pid=child)["ppid"], z["parent"])
        reap = t.one("reap", pid=child)
        assert_eq("zombie time is reap - zombie", reap["ts"] - z["ts"], reap["zombie_ns"])
    assert_eq("orphans whose new parent went unread", 0,
              t.events[-1]["stats"]["reparent_unchecked"])


def adopted_while_exiting(how):
    """A child whose exit has begun when its parent ends (its memory is
    still being freed) is adopted while it exits: one reparent, told as it
    happened, and its end as its adopter saw it: reaped by that adopter's
    wait, or released by the kernel for it (SIGCHLD ignored, SA_NOCLDWAIT).
    Its exit, begun under the old parent, names that parent, and is no
    second reparent. Which comes first, its zombie moment or its parent's
    end, is the scheduler's race: a round whose child became a zombie
    under its parent first is told as that (a zombie of the parent, then
    adopted as one); at least one round is adopted while it exits."""
    def check(t):
        top = t.one("fork", comm="proclife")
        middles, children = t.roles["middle"], t.roles["exiting"]
        assert_eq("rounds played", len(middles), len(children))
        adopted_exiting = 0
        for i, (middle, child) in enumerate(zip(middles, children)):
            hops = [(e["old_parent"], e["new_parent"], e["adopter"], e.get("derived", False))
                    for e in t.of("reparent", pid=child)]
            assert_eq(f"adoptions of {child}", [(middle, top["pid"], "subreaper", False)], hops)
            adopted = t.one("reparent", pid=child)["ts"]
            exit_ = t.one("exit", pid=child)
            assert_eq("its exit status", (40 + i) << 8, exit_["status"])
            # the middle ended only once this exit had begun
            assert_eq("the parent its exit names", middle, exit_["ppid"])
            reap = t.one("reap", pid=child)
            assert_eq("reaper", top["pid"], reap["reaper"])
            assert_eq("reaper's identity", top["start"], reap["reaper_start"])
            assert_eq("released by the kernel", how != "wait", reap["auto"])
            assert_eq("for SA_NOCLDWAIT", how == "nocldwait", reap.get("nocldwait", False))
            assert_eq("inferred", False, reap["inferred"])
            assert_eq("status at the reap", (40 + i) << 8, reap["status"])
            zombies = t.of("zombie", pid=child)
            if how == "ignore-silent" and zombies:
                # its exit signal still 0 at its end (adopted after it): a
                # zombie no signal told under the middle, told by its last
                # switch perhaps after its adoption, then released as its
                # adoption made it SIGCHLD
                assert_eq("its zombie's parent", [middle], [z["parent"] for z in zombies])
                continue
            if zombies and zombies[0]["ts"] <= adopted:
                # a zombie of its parent before that parent ended, handed on
                # as one
                assert_eq("zombie moments", 1, len(zombies))
                assert_eq("its zombie's parent", middle, zombies[0]["parent"])
                assert_eq("reaped after its adoption", True, reap["ts"] >= adopted)
            elif how == "wait":
                adopted_exiting += 1
                assert_eq("zombie moments", 1, len(zombies))
                assert_eq("its zombie's parent", top["pid"], zombies[0]["parent"])
            else:
                adopted_exiting += 1
                assert_eq("zombie moments of one released at once", [], zombies)
            if zombies:
                assert_eq("zombie time is reap - zombie", reap["ts"] - zombies[0]["ts"],
                          reap["zombie_ns"])
        assert_eq("rounds adopted while exiting", True, adopted_exiting > 0)
        assert_eq("reparents the model derived", [],
                  [e for e in t.of("reparent") if e.get("derived")])
    return check


def adopted_while_exiting_from_one_that_ignores(t):
    """A child whose exit begins under a parent that ignores SIGCHLD (the
    kernel would release it unseen) and which is adopted, while it exits,
    by a subreaper that waits: it becomes that adopter's zombie and is
    reaped by its wait, once, with no release by the kernel told beside
    it. A round whose child ended before its parent did is released by that
    parent: no adoption, no zombie. At least one round is adopted."""
    top = t.one("fork", comm="proclife")
    middles, children = t.roles["middle"], t.roles["exiting"]
    assert_eq("rounds played", len(middles), len(children))
    adopted = 0
    for i, (middle, child) in enumerate(zip(middles, children)):
        exit_ = t.one("exit", pid=child)
        assert_eq("its exit status", (40 + i) << 8, exit_["status"])
        assert_eq("the parent its exit names", middle, exit_["ppid"])
        reap = t.one("reap", pid=child)
        assert_eq("status at the reap", (40 + i) << 8, reap["status"])
        assert_eq("inferred", False, reap["inferred"])
        hops = [(e["old_parent"], e["new_parent"], e["adopter"])
                for e in t.of("reparent", pid=child)]
        zombies = t.of("zombie", pid=child)
        if not hops:
            assert_eq("reaper of one that ended first", middle, reap["reaper"])
            assert_eq("released by the kernel", True, reap["auto"])
            assert_eq("zombie moments of one released at once", [], zombies)
            continue
        adopted += 1
        assert_eq(f"adoptions of {child}", [(middle, top["pid"], "subreaper")], hops)
        assert_eq("reaper", top["pid"], reap["reaper"])
        assert_eq("reaper's identity", top["start"], reap["reaper_start"])
        assert_eq("reaped by a wait", False, reap["auto"])
        assert_eq("its zombie's parent", [top["pid"]], [z["parent"] for z in zombies])
        assert_eq("zombie time is reap - zombie", reap["ts"] - zombies[0]["ts"],
                  reap["zombie_ns"])
    assert_eq("rounds adopted while exiting", True, adopted > 0)


def reaped_before_its_pid_was_reused(t):
    """A reap only a free shows (waitid of any child, no siginfo), its pid
    taken by the next child before that free: the first life's reap is
    still told (by inference, as for any such reap), the second's too."""
    top = t.one("fork", comm="proclife")["pid"]
    pid = t.pid("first")
    assert_eq("the second child has the first one's pid", pid, t.pid("second"))
    lives = sorted(t.of("fork", pid=pid), key=lambda e: e["ts"])
    assert_eq("lives of the pid", 2, len(lives))
    for life, code, inferred in ((lives[0], 11, True), (lives[1], 12, False)):
        reap = t.one("reap", pid=pid, start=life["start"])
        assert_eq("reaper", top, reap["reaper"])
        assert_eq("status", code << 8, reap["status"])
        assert_eq("known by inference", inferred, reap["inferred"])
    assert_eq("the trace's alive list", [], t.one("trailer")["alive"])


def exit_signal(sig):
    """A clone child whose exit signal is not SIGCHLD (or none) is a zombie
    like any other, and its reap names it."""
    def check(t):
        child = t.pid("child")
        fork = t.one("fork", pid=child)
        z = t.one("zombie", pid=child)
        assert_eq("the zombie's parent", fork["ppid"], z["parent"])
        assert_eq("status", 6 << 8, z["status"])
        reap = t.one("reap", pid=child)
        assert_eq("reap matched to its zombie", False, reap.get("unmatched", False))
        assert_eq("name at reap", fork["comm"], reap["comm"])
        assert_eq("identity at reap", fork["start"], reap["start"])
        assert_eq("zombie time is reap - zombie", reap["ts"] - z["ts"], reap["zombie_ns"])
        assert_eq("auto-reaped (only SIGCHLD's disposition can do that)", False, reap["auto"])
    return check


def exit_signal_polled(n):
    """Children with no exit signal, each reaped by a parent polling with
    WNOHANG: a reap that comes before the child's last switch is still the
    parent's wait, with the child's status, after its zombie moment."""
    def check(t):
        assert_eq("the program's own verdict", 0, t.events[-1]["exit_status"])
        parent = t.one("fork", comm="proclife")["pid"]
        for i in range(n):
            child = t.pid("child", i)
            z = t.one("zombie", pid=child)
            assert_eq("the zombie's parent", parent, z["parent"])
            assert_eq("the zombie's status", (i + 1) << 8, z["status"])
            reap = t.one("reap", pid=child)
            assert_eq("reaped by a wait, not auto-reaped", False, reap["auto"])
            assert_eq("reap matched to its zombie", False, reap.get("unmatched", False))
            assert_eq("reaper", parent, reap["reaper"])
            assert_eq("status at the reap", (i + 1) << 8, reap["status"])
            assert_eq("identity at reap", t.one("fork", pid=child)["start"], reap["start"])
            assert reap["ts"] >= z["ts"], f"reaped before it was a zombie: {z} {reap}"
            # a last switch telling the zombie as the wait returns leaves
            # that reap to the free, told as inferred
            if not reap["inferred"]:
                assert_eq("no free after a final reap", [], t.of("free", pid=child))
    return check


def thread_killed_dumps_core(t):
    """Killed through a thread that is not its leader, dumping core: the
    zombie line says the status wait() reports, as the exit and reap do."""
    assert_eq("the program's own verdict", 0, t.events[-1]["exit_status"])
    child = t.pid("child")
    core = bool(t.pid("core"))
    for kind in ("exit", "zombie", "reap"):
        line = t.one(kind, pid=child)
        assert_eq(f"signal on the {kind} line", 3, line.get("signal"))
        assert_eq(f"core dumped on the {kind} line", core, line.get("core"))
        assert_eq(f"status on the {kind} line", 3 | (0x80 if core else 0), line["status"])


def killed_by_exit_signal(sig):
    """A clone child's exit signal is the kernel's notice (CLD_EXITED), not
    a fault: a parent that leaves that signal at its default dies of it,
    killed by the kernel."""
    def check(t):
        ex = t.one("exit", pid=t.pid("child"))
        assert_eq("signal", sig, ex.get("signal"))
        assert_eq("killer", 0, ex.get("killer"))
        assert_eq("how", "kernel", ex.get("kill_reason"))
    return check


def renamed_child(t):
    """prctl(PR_SET_NAME) is announced by no record: every line about the
    process after it, the model's own included, uses the new name."""
    child = t.pid("child")
    for kind in ("exit", "zombie", "zombie_long", "reap"):
        assert_eq(f"name on the {kind} line", "renamed", t.one(kind, pid=child)["comm"])


def reaped_by_waitid_without_siginfo(t):
    child = t.pid("child")
    top = t.one("fork", comm="proclife")["pid"]
    z = t.one("zombie", pid=child)
    reap = t.one("reap", pid=child)
    assert_eq("reaper", top, reap["reaper"])
    assert_eq("inferred", False, reap["inferred"])
    assert_eq("through waitid", True, reap.get("waitid", False))
    assert_eq("status", 9 << 8, reap["status"])
    assert_eq("zombie time is reap - zombie", reap["ts"] - z["ts"], reap["zombie_ns"])


def reaped_through_io_uring(t):
    """IORING_OP_WAITID (6.7) reaps in the kernel with no syscall a hook sees:
    its completion tells the reap, exactly. Where the kernel has no such
    operation the program says so: nothing to hold the tracer to."""
    if "unsupported" in t.roles:
        return "n/a"
    child = t.pid("child")
    top = t.one("fork", comm="proclife")["pid"]
    z = t.one("zombie", pid=child)
    reap = t.one("reap", pid=child)
    assert_eq("reaper", top, reap["reaper"])
    assert_eq("inferred", False, reap["inferred"])
    assert_eq("status", 11 << 8, reap["status"])
    assert_eq("zombie time is reap - zombie", reap["ts"] - z["ts"], reap["zombie_ns"])


# what `lifecycle args` gives its child before the numbered ones
CAREFUL_ARGS = ["lifecycle", "exit", "0", "with blank", 'quote"d', "new\nline", "café", ""]


def child_exec(t):
    child = t.pid("child")
    return child, t.one("exec", pid=child)


def argv_kept(t):
    _, ex = child_exec(t)
    assert_eq("argv, byte for byte", CAREFUL_ARGS + ["a0", "a1", "a2"], ex["argv"])
    assert_eq("argv cut", False, ex.get("argv_truncated", False))
    assert_eq("file name", "/proc/self/exe", ex["filename"])


def argv_truncated(t):
    _, ex = child_exec(t)
    argv = ex["argv"]
    assert_eq("argv cut", True, ex.get("argv_truncated"))
    assert_eq("the arguments kept begin as given", CAREFUL_ARGS, argv[:len(CAREFUL_ARGS)])
    kept = argv[len(CAREFUL_ARGS):]
    # all but the last whole, in order; the last perhaps cut short
    assert_eq("whole arguments kept in order", [f"a{i}" for i in range(len(kept) - 1)], kept[:-1])
    assert f"a{len(kept) - 1}".startswith(kept[-1]), f"the last argument kept: {kept[-1]!r}"
    size = sum(len(a.encode()) + 1 for a in argv)
    assert 4096 - 8 <= size <= 4097, f"bytes of arguments kept: {size}"


def runs_as_user(uid):
    def check(t):
        child, ex = child_exec(t)
        fork = t.one("fork", pid=child)
        assert_eq("uid at fork", 0, fork["uid"])
        assert_eq("uid after setuid and exec", uid, ex["uid"])
        assert_eq("gid after setgid and exec", uid, ex["gid"])
        assert_eq("euid written only where it differs", None, ex.get("euid"))
    return check


def becomes_user(uid):
    """A server's worker drops to another user and never forks or execs
    again: its exit says who it ended as, its fork who it began as."""
    def check(t):
        child = t.pid("child")
        fork, ex = t.one("fork", pid=child), t.one("exit", pid=child)
        assert_eq("uid at fork", 0, fork["uid"])
        assert_eq("uid at its exit", uid, ex.get("uid"))
        assert_eq("gid at its exit", uid, ex.get("gid"))
        assert_eq("euid written only where it differs", None, ex.get("euid"))
        parent_exit = t.one("exit", pid=fork["ppid"])
        assert_eq("an exit as its fork said says nothing of who", None, parent_exit.get("uid"))
    return check


def moved_cgroup_no_exec(t):
    """A process moved to another cgroup that never forks or execs again:
    its exit says where it ended."""
    if "unsupported" in t.roles:
        return "n/a"
    child = t.pid("child")
    top = t.one("fork", comm="proclife")["pid"]
    fork, ex = t.one("fork", pid=child), t.one("exit", pid=child)
    assert "cgroup_id" in ex and fork["cgroup_id"] != ex["cgroup_id"], \
        f"the exit does not say the new cgroup: {ex}"
    told = t.one("header")["mechanisms"].get("cgroup_names") == "mkdir"
    if told or "cgroup" in ex:
        assert_eq("cgroup at its exit", f"/proclife-lifecycle-{top}", ex.get("cgroup"))


def moved_cgroup(t):
    """The cgroup is removed as soon as the child is reaped: its path is known
    from the kernel's word as it was made, or, without that tracepoint, only
    if the tracer looked before it was gone (else it is left out, never
    guessed)."""
    if "unsupported" in t.roles:
        return "n/a"
    child, ex = child_exec(t)
    top = t.one("fork", comm="proclife")["pid"]
    fork = t.one("fork", pid=child)
    assert fork["cgroup_id"] != ex["cgroup_id"], "the cgroup id did not change"
    told = t.one("header")["mechanisms"].get("cgroup_names") == "mkdir"
    if told or "cgroup" in ex:
        assert_eq("cgroup after moving", f"/proclife-lifecycle-{top}", ex.get("cgroup"))


def usage_at_exit(ms, kib):
    def check(t):
        child = t.pid("child")
        ex = t.one("exit", pid=child)
        self_cpu = t.pid("self_user_ns") + t.pid("self_sys_ns")
        reaped_cpu = t.pid("reaped_cpu_ns")
        cpu = ex["cpu_user_ns"] + ex["cpu_sys_ns"]
        # what wait4 says after its end (in whole microseconds: 2 us of
        # rounding), and what it ran of its end after a wait4 on another CPU
        assert self_cpu <= reaped_cpu <= cpu <= reaped_cpu + 2000 + 1000000, \
            f"CPU at exit {cpu} ns: expected wait4's {reaped_cpu}"
        assert cpu >= ms * 1000000, f"CPU at exit {cpu} ns, spun {ms} ms"
        # split as the kernel splits it (by ticks), which the process read
        # of itself just before its end: its end adds system time alone.
        # Not "user above system": where page faults are slow (an emulated
        # guest), touching the memory can take longer than the spin
        for part in ("user", "sys"):
            seen = t.pid(f"self_{part}_ns")
            assert ex[f"cpu_{part}_ns"] >= seen * 0.9 - 4000000, \
                f"{part} CPU at exit {ex[f'cpu_{part}_ns']} ns, below the {seen} ns " \
                f"the process read of itself before its end: {ex}"
        assert_eq("peak memory, as wait4 says it", t.pid("reaped_maxrss_kb"), ex["max_rss_kb"])
        assert ex["max_rss_kb"] >= kib, f"peak memory {ex['max_rss_kb']} KiB, {kib} KiB touched"
    return check


def usage_of_threads_ending_at_once(ms, times):
    """The threads that end a process together are each counted: the one the
    kernel counts last may end it while another is still being taken off,
    its CPU not yet in the process's sum."""
    def check(t):
        for i in range(times):
            ex = t.one("exit", pid=t.pid(f"child_{i}"), thread=False)
            reaped_cpu = t.pid(f"reaped_cpu_ns_{i}")
            assert "cpu_user_ns" in ex, f"no CPU at exit: {ex}"
            cpu = ex["cpu_user_ns"] + ex["cpu_sys_ns"]
            # the lines of its threads' ends too: which thread told the
            # process's end, and whether another saw it as well
            assert reaped_cpu <= cpu <= reaped_cpu + 2000 + 1000000, \
                f"child {i}: CPU at exit {cpu} ns, expected wait4's {reaped_cpu}: " \
                f"{t.of('exit', pid=ex['pid'])}"
            # the first to end ends the others, wherever their spin is
            assert cpu >= ms * 1000000, f"CPU at exit {cpu} ns, a thread spun {ms} ms"
    return check


def killed_by_sender(sig):
    def check(t):
        child = t.pid("child")
        ex = t.one("exit", pid=child)
        sender = t.pid("self")
        assert_eq("signal", sig, ex.get("signal"))
        assert_eq("killer", sender, ex.get("killer"))
        assert_eq("killer's identity", t.one("fork", pid=sender)["start"], ex.get("killer_start"))
        assert_eq("killer's name", "lifecycle", ex.get("killer_comm"))
        assert_eq("how", "process", ex.get("kill_reason"))
    return check


def group_killed_by_sender(n):
    """A kill of a whole process group: each of its processes tells who
    sent the signal that ended it."""
    def check(t):
        assert_eq("the program's own verdict", 0, t.events[-1]["exit_status"])
        sender = t.pid("self")
        children = t.roles["child"]
        assert_eq("children", n, len(children))
        for child in children:
            ex = t.one("exit", pid=child)
            assert_eq("signal", 15, ex.get("signal"))
            assert_eq(f"killer of {child}", sender, ex.get("killer"))
        assert_eq("senders not told", 0, t.events[-1]["stats"]["kills_lost"])
    return check


def killed_by_fault(t):
    ex = t.one("exit", pid=t.pid("child"))
    assert_eq("signal", 11, ex.get("signal"))
    assert_eq("killer", 0, ex.get("killer"))
    assert_eq("how", "fault", ex.get("kill_reason"))


def killed_by_sigpipe(by_kernel):
    """A write to a pipe nobody reads ends the writer with the kernel's
    SIGPIPE (its send_sig names no sender); kill(getpid(), SIGPIPE) is the
    process's own doing."""
    def check(t):
        child = t.pid("child")
        ex = t.one("exit", pid=child)
        assert_eq("signal", 13, ex.get("signal"))
        if by_kernel:
            assert_eq("how", "kernel", ex.get("kill_reason"))
            assert_eq("killer", 0, ex.get("killer"))
        else:
            assert_eq("how", "process", ex.get("kill_reason"))
            assert_eq("killer", child, ex.get("killer"))
    return check


def killed_by_the_oom_killer(t):
    """The OOM killer sends SIGKILL, then marks its victim: the kill is its
    own where the kernel has that tracepoint, else the kernel's."""
    if "unsupported" in t.roles:
        return "n/a"
    ex = t.one("exit", pid=t.pid("child"))
    assert_eq("signal", 9, ex.get("signal"))
    assert_eq("killer", 0, ex.get("killer"))
    marks = t.one("header")["mechanisms"].get("oom_kills") == "mark_victim"
    assert_eq("how", "oom" if marks else "kernel", ex.get("kill_reason"))


def failed_execs(t):
    child = t.pid("child")
    failed = t.of("exec_failed", pid=child)
    assert_eq("failed execs", [2, 13], [f["errno"] for f in failed])
    assert_eq("missing file", "/nonexistent/proclife-missing", failed[0]["filename"])
    assert_eq("its arguments", ["missing", "one arg"], failed[0]["argv"])
    assert_eq("file it may not run", f"/tmp/proclife-noexec-{child}", failed[1]["filename"])
    assert_eq("its arguments", ["noexec", "one arg"], failed[1]["argv"])
    assert_eq("no exec succeeded", [], t.of("exec", pid=child))
    assert_eq("exit after the failures", 0, t.one("exit", pid=child)["code"])


def failed_execs_at_the_bound(t):
    child = t.pid("child")
    failed = t.of("exec_failed", pid=child)
    assert_eq("failed execs", ["/nonexistent/proclife-fills", "/nonexistent/proclife-past"],
              [f["filename"] for f in failed])
    fills = "a" * 4095
    assert_eq("arguments that fill the room", [fills], failed[0]["argv"])
    assert_eq("not cut", False, failed[0].get("argv_truncated", False))
    assert_eq("one more past the room", [fills], failed[1]["argv"])
    assert_eq("cut", True, failed[1].get("argv_truncated", False))


def failed_execs_by_fd(t):
    """A failed execveat's name is told as the kernel tells a successful
    one's: relative to its directory's fd, /dev/fd/N/NAME; the file an fd
    is open on, /dev/fd/N."""
    child, dirfd, filefd = t.pid("child"), t.pid("dirfd"), t.pid("filefd")
    failed = t.of("exec_failed", pid=child)
    assert_eq("names", [f"/dev/fd/{dirfd}/proclife-missing-here", f"/dev/fd/{filefd}",
                        "/nonexistent/proclife-missing"], [f["filename"] for f in failed])
    assert_eq("errors", [2, 13, 2], [f["errno"] for f in failed])
    assert_eq("arguments, an empty one among them", [["at", "", "x"]] * 3,
              [f["argv"] for f in failed])


def waits_across_thread_exec(polls):
    """Waits before a non-leader thread's exec (which releases the old
    leader) and after it are one process's."""
    def check(t):
        top = t.one("fork", comm="proclife")["pid"]
        by_thread = [e for e in t.of("exec", pid=top) if e["old_tid"] != top]
        assert_eq("execs by a non-leader thread", 1, len(by_thread))
        ex = t.one("exit", pid=top)
        assert_eq("waits: the polls, the reap before the exec, the one after", polls + 2,
                  ex.get("waits"))
        assert_eq("WNOHANG polls", polls, ex.get("nohang_polls"))
    return check


def kernel_at_least(t, major, minor):
    release = t.one("header")["kernel"].split(".")
    return (int(release[0]), int(release[1])) >= (major, minor)


def waits_read_from_the_hash(polls):
    """Without the map element iterator the end reads the hash by bpf()
    calls, which a tracer without its capabilities may make from 5.19 on;
    before, with kernel.unprivileged_bpf_disabled set (Debian's default),
    that is told as a warning and the count is not given."""
    check_counts = waits_of_one_still_running(polls)

    def check(t):
        assert_eq("how the counts were listed", "map_lookup",
                  t.one("header")["mechanisms"]["waits_left"])
        if not kernel_at_least(t, 5, 19):
            return "n/a"
        return check_counts(t)
    return check


def waits_after_the_leader_left(polls):
    """The main thread's waits and, once it has ended, three threads' at
    once are all the process's."""
    def check(t):
        top = t.one("fork", comm="proclife")["pid"]
        ex = t.one("exit", pid=top)
        assert_eq("waits: the main thread's polls, three threads' polls, the reap",
                  4 * polls + 1, ex.get("waits"))
        assert_eq("WNOHANG polls", 4 * polls, ex.get("nohang_polls"))
    return check


def waits_of_one_still_running(polls):
    """A process still running at the end: its counts are listed there
    (polls of them; twice as many when its leader ended between)."""
    def check(t):
        waiter = t.pid("waiter")
        assert_eq("no exit of the waiter in the trace", [], t.of("exit", pid=waiter))
        left = t.one("waits", pid=waiter)
        assert_eq("its waits", polls, left["waits"])
        assert_eq("its WNOHANG polls", polls, left["nohang_polls"])
        assert_eq("its identity", t.one("fork", pid=waiter)["start"], left["start"])
        assert_eq("its name", t.one("fork", pid=waiter)["comm"], left["comm"])
    return check


CASES = [
    Case("fork-parent", ["fork-exit", "0"], fork_parent),
    Case("exec", ["exec", "/bin/true"], exec_true),
    Case("exit-0", ["fork-exit", "0"], exit_code(0)),
    Case("exit-7", ["fork-exit", "7"], exit_code(7)),
    Case("sigkill", ["sigkill"], sigkill),
    Case("stop-cont-wait4", ["stop-cont", "wait4"], stop_and_continue("wait4")),
    Case("stop-cont-waitid", ["stop-cont", "waitid"], stop_and_continue("waitid")),
    Case("strace-wait", ["fork-exit", "3"], tracer_wait_is_no_reap,
         wrapper=["strace", "-f", "-o", "/dev/null"]),
    Case("zombie-300ms", ["zombie", "300"], zombie_held_300ms),
    Case("orphan", ["orphan"], orphan_adopted_by_init),
    Case("subreaper", ["subreaper"], orphan_adopted_by_subreaper),
    Case("autoreap", ["autoreap"], autoreap_with_sig_ign),
    Case("autoreap-parent-ends", ["autoreap-parent-ends", "200"], autoreap_as_the_parent_ends),
    Case("thread-hidden", ["thread"], thread_hidden),
    Case("thread", ["thread"], thread_shown, trace_args=["--threads"]),
    Case("adopt-ignoring", ["adopt-ignoring", "20"], adopted_by_one_that_releases(False)),
    Case("adopt-nocldwait", ["adopt-nocldwait", "20"], adopted_by_one_that_releases(True)),
    Case("orphaned-twice", ["orphaned-twice"], orphaned_twice),
    Case("adopted-exiting-wait", ["adopted-exiting", "wait", "5"], adopted_while_exiting("wait")),
    Case("adopted-exiting-ignore", ["adopted-exiting", "ignore", "5"],
         adopted_while_exiting("ignore")),
    Case("adopted-exiting-nocldwait", ["adopted-exiting", "nocldwait", "5"],
         adopted_while_exiting("nocldwait")),
    Case("adopted-exiting-silent", ["adopted-exiting", "ignore-silent", "5"],
         adopted_while_exiting("ignore-silent")),
    Case("adopted-exiting-parent-ignores", ["adopted-exiting", "parent-ignores", "5"],
         adopted_while_exiting_from_one_that_ignores),
    Case("reuse-before-free", ["reuse-before-free"], reaped_before_its_pid_was_reused),
    Case("exit-signal-usr2", ["exit-signal", "12"], exit_signal(12)),
    Case("exit-signal-none", ["exit-signal", "0"], exit_signal(0)),
    Case("exit-signal-polled", ["exit-signal-polled", "40"], exit_signal_polled(40)),
    Case("thread-killed-core", ["thread-killed-core"], thread_killed_dumps_core),
    Case("killed-by-exit-signal", ["killed-by-exit-signal", "15"], killed_by_exit_signal(15)),
    Case("clone-parent", ["clone-parent", "100"], clone_parent_sibling),
    Case("rename", ["rename", "150"], renamed_child),
    Case("ptrace-stop", ["ptrace-stop", "50"], ptrace_stop_is_no_reap),
    Case("tracer-release", ["tracer-release", "100"], tracer_wait_releases(100)),
    Case("double-fork-ignored", ["double-fork-ignored"], double_fork_under_an_ignoring_parent),
    Case("traced-zombie-adopted-wait", ["traced-zombie-adopted", "wait"],
         traced_zombie_adopted("wait")),
    Case("traced-zombie-adopted-ignore", ["traced-zombie-adopted", "ignore"],
         traced_zombie_adopted("ignore")),
    Case("ns-init-ends", ["ns-init-ends"], reaped_by_the_ns_inits_end),
    Case("waitid-null", ["waitid-null", "50"], reaped_by_waitid_without_siginfo),
    Case("io-uring-waitid", ["io-uring-waitid", "50"], reaped_through_io_uring),
    Case("argv", ["args", "3"], argv_kept),
    Case("argv-1000", ["args", "1000"], argv_truncated),
    Case("as-user", ["as-user", "1234"], runs_as_user(1234)),
    Case("becomes-user", ["becomes-user", "4321"], becomes_user(4321)),
    Case("cgroup", ["cgroup"], moved_cgroup),
    Case("moves-cgroup", ["moves-cgroup"], moved_cgroup_no_exec),
    Case("usage", ["burn", "300", "32768"], usage_at_exit(300, 32768)),
    Case("usage-threads", ["burn-threads", "250", "2", "8192", "6"],
         usage_of_threads_ending_at_once(250, 6), trace_args=["--threads"]),
    Case("killed", ["killed", "15"], killed_by_sender(15)),
    Case("killed-group", ["killed-group", "200"], group_killed_by_sender(200)),
    Case("segv", ["segv"], killed_by_fault),
    Case("broken-pipe", ["broken-pipe"], killed_by_sigpipe(True)),
    Case("sigpipe-self", ["sigpipe-self"], killed_by_sigpipe(False)),
    Case("oom", ["oom"], killed_by_the_oom_killer),
    Case("exec-fail", ["exec-fail"], failed_execs),
    Case("exec-fail-at-bound", ["exec-fail-bound"], failed_execs_at_the_bound),
    Case("exec-fail-by-fd", ["exec-fail-at"], failed_execs_by_fd),
    Case("thread-exec-waits", ["thread-exec", "5"], waits_across_thread_exec(5)),
    Case("leader-leaves-waits", ["leader-leaves", "50"], waits_after_the_leader_left(50)),
    Case("waits-left", ["waits-left", "7"], waits_of_one_still_running(7)),
    Case("waits-left-hash", ["waits-left-hash", "7"], waits_of_one_still_running(14)),
    Case("waits-left-lookup", ["waits-left-hash", "7"], waits_read_from_the_hash(14),
         trace_args=["--mechanisms", "-map-iter"]),
]

# SPDX-License-Identifier: BSD-2-Clause
"""Who, what and how much, as the views say them, from the real tracer on
the real kernel: command lines bash reads back as the log's argv, what a
process used, who killed it, failed execs that stood (and a $PATH search's
misses left out), users and containers where they are news, whole names,
and each filter keeping exactly the lines of its processes."""
import csv
import json
import os
import pwd
import re
import subprocess

import pytest

from conftest import LIFECYCLE, PROCLIFE, WORKLOAD, assert_eq, needs_root, read_log, roles

pytestmark = needs_root

# time, kind, pid, ppid, comm, detail
LINE = re.compile(r"^\s*\d+\.\d{6} (\S+)\s+(\d+)\s+(\S+)\s+(\S+)\s+(.*)$")


def run(args, timeout=120):
    return subprocess.run([PROCLIFE, *args], capture_output=True, text=True, timeout=timeout,
                          stdin=subprocess.DEVNULL)


def traced(tmp_path, command, env=None, name="trace", status=0, options=()):
    """command traced to a log: its events, what it printed, the log's path;
    the trace ends with the command's status"""
    log = tmp_path / f"{name}.jsonl"
    r = subprocess.run([PROCLIFE, "trace", "-f", "jsonl", "-o", str(log), "--force", *options,
                        "--", *command], capture_output=True, text=True, timeout=120,
                       stdin=subprocess.DEVNULL, env=env)
    assert_eq(f"proclife trace exit status ({r.stderr})", status, r.returncode)
    return read_log(log), r.stdout, log


def cpu_words(ns):
    """CPU time as the text view says it: two or three digits"""
    if ns >= 9995000000:
        return f"{ns / 1e9:.1f} s"
    if ns >= 999500000:
        return f"{ns / 1e9:.2f} s"
    if ns >= 9950000:
        return f"{ns / 1e6:.0f} ms"
    if ns >= 999500:
        return f"{ns / 1e6:.1f} ms"
    return f"{(ns + 500) // 1000} us"


def text_lines(text, kind=None, pid=None):
    """(kind, pid, comm, detail) of the text view's event lines"""
    found = []
    for line in text.splitlines():
        m = LINE.match(line)
        if m and (kind is None or m.group(1) == kind) and (pid is None or int(m.group(2)) == pid):
            found.append((m.group(1), int(m.group(2)), m.group(4), m.group(5)))
    return found


def shell_words(text):
    """the words bash reads from text, as bytes"""
    r = subprocess.run(["bash", "-c", 'printf "%s\\0" ' + text], capture_output=True, timeout=10)
    assert_eq(f"bash reading {text!r} ({r.stderr})", 0, r.returncode)
    return r.stdout.split(b"\0")[:-1]


def one(events, kind, **match):
    found = [e for e in events if e["ev"] == kind and all(e.get(k) == v for k, v in match.items())]
    assert len(found) == 1, f"{kind} {match}: {found}"
    return found[0]


def test_command_lines_read_back_as_their_argv(tmp_path):
    events, out, log = traced(tmp_path, [LIFECYCLE, "args", "3"])
    child = roles(out)["child"][0]
    ex = one(events, "exec", pid=child)
    (line,) = text_lines(run(["replay", str(log)]).stdout, "exec", child)
    command, _, rest = line[3].partition("  (argv[0] ")
    # the file, then argv[1:], each word as bash reads it back
    want = [ex["filename"], *ex["argv"][1:]]
    assert_eq("the exec line's words", [w.encode() for w in want], shell_words(command))
    assert_eq("argv[0], said apart", shell_words(rest.rstrip(")")), [ex["argv"][0].encode()])


def test_a_script_is_shown_as_run_with_its_interpreter_apart(tmp_path):
    """The kernel runs a #! script as its interpreter, the script's path
    and its arguments: the line says what was run, then what ran it."""
    plain, by_env = tmp_path / "plain.sh", tmp_path / "by-env.sh"
    plain.write_text("#!/bin/sh\nexit 0\n")
    by_env.write_text("#!/usr/bin/env sh\nexit 0\n")
    for script in (plain, by_env):
        script.chmod(0o755)
    events, _, log = traced(tmp_path, ["sh", "-c", f"{plain} a 'b c'; {by_env} d"])
    text = run(["replay", str(log)]).stdout
    # the command line alone: a note on who or where may follow it
    details = {ex["filename"]: [l[3].split("  [")[0] for l in text_lines(text, "exec", ex["pid"])
                                if l[3].startswith(ex["filename"])]
               for ex in events if ex["ev"] == "exec" and ex["filename"].endswith(".sh")}
    assert_eq(f"the scripts' lines in:\n{text}",
              {str(plain): [f"{plain} a 'b c'  (run by /bin/sh)"],
               str(by_env): [f"{by_env} d  (run by /usr/bin/env sh)"]}, details)


def test_a_cut_argv_says_so(tmp_path):
    events, out, log = traced(tmp_path, [LIFECYCLE, "args", "1000"])
    child = roles(out)["child"][0]
    ex = one(events, "exec", pid=child)
    assert ex["argv_truncated"], ex
    (line,) = text_lines(run(["replay", str(log)]).stdout, "exec", child)
    command = line[3].split("  (argv[0] ")[0]
    # "..." on the last argument, which the cut most often went through,
    # not after it as if it were whole
    assert command.endswith(" " + ex["argv"][-1] + "..."), (command[-80:], ex["argv"][-1])


def test_exit_lines_say_use_and_killer(tmp_path):
    events, out, log = traced(tmp_path, ["sh", "-c", f"{LIFECYCLE} burn 200 20000; "
                                         f"timeout 0.1 sleep 5; {LIFECYCLE} segv"])
    text = run(["replay", str(log)]).stdout
    burner = roles(out)["child"][0]
    ex = one(events, "exit", pid=burner)
    cpu = ex["cpu_user_ns"] + ex["cpu_sys_ns"]
    (line,) = text_lines(text, "exit", burner)
    assert_eq("the burner's exit", f"exit 0 ({cpu_words(cpu)} CPU, {ex['max_rss_kb'] / 1024:.0f} MiB)",
              line[3])
    timeout = one(events, "exec", comm="timeout")["pid"]
    sleeper = one(events, "exec", comm="sleep")["pid"]
    (line,) = text_lines(text, "exit", sleeper)
    assert line[3].startswith(f"killed by SIGTERM from timeout[{timeout}] ("), line
    segv = roles(out)["child"][1]
    (line,) = text_lines(text, "exit", segv)
    assert line[3].startswith("killed by SIGSEGV (a fault) ("), line
    # the tree says who killed them too
    tree = run(["replay", str(log), "-f", "tree"]).stdout
    assert f"{sleeper} sleep freed (killed by SIGTERM from timeout[{timeout}])" in tree, tree


def test_failed_execs_that_stood_and_a_search_left_out(tmp_path):
    env = {**os.environ, "PATH": "/nonexistent/a:/nonexistent/b:/usr/bin:/bin"}
    # env searches $PATH with execvp, trying each directory in turn
    events, out, log = traced(tmp_path, ["sh", "-c", f"env sleep 0; {LIFECYCLE} exec-fail"],
                              env=env)
    text = run(["replay", str(log)]).stdout
    sleeper = one(events, "exec", comm="sleep")["pid"]
    misses = [e for e in events if e["ev"] == "exec_failed" and e["pid"] == sleeper]
    assert [e["filename"] for e in misses] == ["/nonexistent/a/sleep", "/nonexistent/b/sleep"], misses
    assert_eq("a search's misses in the view", [], text_lines(text, "exec_failed", sleeper))
    child = roles(out)["child"][0]
    stood = [e for e in events if e["ev"] == "exec_failed" and e["pid"] == child]
    shown = text_lines(text, "exec_failed", child)
    assert_eq("failed execs that stood, shown",
              [f"exec failed: {n} {e['filename']} 'one arg'  (argv[0] {e['argv'][0]})"
               for n, e in zip(["ENOENT", "EACCES"], stood)], [s[3] for s in shown])
    # said before its exit line
    kinds = [k for k, pid, _, _ in text_lines(text) if pid == child]
    assert_eq("the child's lines", ["fork", "exec_failed", "exec_failed", "exit"], kinds)
    summary = run(["replay", str(log), "-f", "summary"]).stdout
    assert f"      1  ENOENT   {stood[0]['filename']} (lifecycle[{child}])" in summary, summary
    assert "/nonexistent/a/sleep" not in summary, summary


def test_user_and_whole_names(tmp_path):
    events, out, log = traced(tmp_path, [WORKLOAD, "fork-wait", "-n", "2"])
    text = run(["replay", str(log)]).stdout
    top = one(events, "exec", comm="proclife-worklo")["pid"]
    names = [(kind, comm) for kind, pid, comm, _ in text_lines(text) if pid == top]
    assert_eq("the workload's lines, named whole after its exec",
              [("fork", "proclife"), ("exec", "proclife-workload"), ("exit", "proclife-workload")],
              names)

    events, out, log = traced(tmp_path, [LIFECYCLE, "as-user", "1234"], name="as-user")
    child = roles(out)["child"][0]
    try:
        name = pwd.getpwuid(1234).pw_name
    except KeyError:
        name = "1234"
    (line,) = text_lines(run(["replay", str(log)]).stdout, "exec", child)
    assert line[3].endswith(f"  [user {name}]"), line
    (fork,) = text_lines(run(["replay", str(log)]).stdout, "fork", child)
    assert "[" not in fork[3], f"root's fork of root's child: nothing to say: {fork}"


def cgroup2_root():
    for line in open("/proc/self/mountinfo"):
        f = line.split()
        if " - cgroup2 " in line and f[3] == "/":
            return f[4]
    return None


def test_a_cgroup_made_before_the_trace_is_named(tmp_path):
    """a cgroup already there, and empty, when the trace starts: the kernel
    tells nothing of it, and the tracer may no longer open it by its id; it
    is named all the same, and --cgroup finds its processes"""
    root = cgroup2_root()
    if not root:
        pytest.skip("no cgroup2 hierarchy mounted at its root")
    scope = f"/proclife-before-{os.getpid()}.scope"
    os.mkdir(root + scope)
    try:
        inner = f"echo $$ > {root}{scope}/cgroup.procs && exec {LIFECYCLE} exit 0"
        events, out, log = traced(tmp_path, ["sh", "-c", inner])
    finally:
        os.rmdir(root + scope)  # its processes have ended with the trace
    ex = one(events, "exec", comm="lifecycle")
    assert_eq("the log's cgroup", scope, ex.get("cgroup"))
    tree = run(["replay", str(log), "--cgroup", scope, "-f", "tree"]).stdout
    assert f"{ex['pid']} lifecycle freed (exit 0)" in tree, tree


def test_a_cgroup_made_while_tracing_is_named_by_walking_again(tmp_path):
    """without the kernel's word on new cgroups (--mechanisms -cgroup-names)
    the tracer, which may no longer open a cgroup by its id, names one made
    during the trace by walking the hierarchy again, at most every 5 s: a
    process there before a walk may be made is told with no cgroup name
    (not known then), one after it with its name; none with a wrong one"""
    root = cgroup2_root()
    if not root:
        pytest.skip("no cgroup2 hierarchy mounted at its root")
    scope = f"/proclife-later-{os.getpid()}.scope"
    # the second program runs past the 5 s the first walk holds the next off
    inner = (f"mkdir {root}{scope} && echo $$ > {root}{scope}/cgroup.procs && "
             f"{LIFECYCLE} exit 2; sleep 6; exec {LIFECYCLE} exit 3")
    try:
        events, out, log = traced(tmp_path, ["sh", "-c", inner], status=3,
                                  options=["--mechanisms", "-cgroup-names"])
    finally:
        if os.path.isdir(root + scope):
            os.rmdir(root + scope)
    ran = {e["argv"][-1]: e for e in events if e["ev"] == "exec" and e["comm"] == "lifecycle"}
    assert_eq("the programs run", ["2", "3"], sorted(ran))
    assert_eq("the cgroup of the one after a walk may come", scope, ran["3"].get("cgroup"))
    assert_eq("one cgroup", ran["2"]["cgroup_id"], ran["3"]["cgroup_id"])
    for e in events:
        if e.get("cgroup_id") == ran["3"]["cgroup_id"]:
            assert e.get("cgroup") in (None, scope), e


def test_a_cgroup_filter_says_when_no_such_cgroup_is_there():
    root = cgroup2_root()
    if not root:
        pytest.skip("no cgroup2 hierarchy mounted at its root")
    missing = f"/proclife-none-{os.getpid()}.slice"
    r = run(["trace", "--no-summary", "--cgroup", missing, "--", "true"])
    assert_eq(f"exit status ({r.stderr})", 0, r.returncode)
    assert f"no cgroup {missing} is there now" in r.stderr, r.stderr
    scope = f"/proclife-there-{os.getpid()}.scope"
    os.mkdir(root + scope)
    try:
        r = run(["trace", "--no-summary", "--cgroup", scope, "--", "true"])
    finally:
        os.rmdir(root + scope)
    assert_eq(f"exit status ({r.stderr})", 0, r.returncode)
    assert "is there now" not in r.stderr, r.stderr


def test_a_container_is_named(tmp_path):
    root = cgroup2_root()
    if not root:
        pytest.skip("no cgroup2 hierarchy mounted at its root")
    cid = "0123456789abcdef" * 4
    scope = f"/docker-{cid}.scope"
    # made while traced: the kernel tells its path as it makes it
    inner = f"echo $$ > {root}{scope}/cgroup.procs && exec {LIFECYCLE} exit 0"
    script = f"mkdir {root}{scope} && sh -c '{inner}'; rmdir {root}{scope}"
    try:
        events, out, log = traced(tmp_path, ["sh", "-c", script])
    finally:
        if os.path.exists(root + scope):
            os.rmdir(root + scope)
    ex = one(events, "exec", comm="lifecycle")
    assert_eq("the log's cgroup", scope, ex.get("cgroup"))
    (line,) = [l for l in text_lines(run(["replay", str(log)]).stdout, "exec", ex["pid"])
               if l[2] == "lifecycle"]
    assert line[3].endswith("  [in docker 0123456789ab]"), line
    tree = run(["replay", str(log), "-f", "tree"]).stdout
    assert f"{ex['pid']} lifecycle freed (exit 0)" in tree and "[in docker 0123456789ab]" in tree, tree


def identity(events, pid, ts):
    """what the log says of pid by ts: its latest uid, cgroup and command"""
    who = {}
    for e in events:
        if e.get("pid") == pid and e["ev"] in ("fork", "exec", "proc") and e["ts"] <= ts:
            who = {"uid": e.get("uid"), "cgroup": e.get("cgroup"), "comm": e["comm"]}
    return who


def keeps(filt, who):
    kind, value = filt
    if kind == "--uid":
        return who.get("uid") == int(value)
    if kind == "--cgroup":
        c = who.get("cgroup") or ""
        return c == value or c.startswith(value + "/")
    return who.get("comm") == value


@pytest.mark.parametrize("filt", [("--uid", "1234"), ("--cgroup", "CGROUP"), ("--comm", "true")])
def test_each_filter_keeps_exactly_its_processes(tmp_path, filt):
    """one log of processes of two users, two cgroups and several names;
    the filtered view's lines are exactly the unfiltered view's lines whose
    process matched when the line was said (by the log's own records)"""
    if not cgroup2_root():
        pytest.skip("no cgroup2 hierarchy mounted at its root")
    events, out, log = traced(tmp_path, ["sh", "-c", f"{LIFECYCLE} as-user 1234; "
                                         f"{LIFECYCLE} cgroup; /bin/true; {LIFECYCLE} exit 0"])
    if filt[0] == "--cgroup":
        moved = one(events, "exec", pid=roles(out)["child"][1])
        filt = ("--cgroup", moved["cgroup"])
    every = run(["replay", str(log), "--events", "all"]).stdout.splitlines()
    kept = run(["replay", str(log), "--events", "all", *filt]).stdout.splitlines()
    ts = {}
    for e in events:  # the time of each line, as the view prints it
        if "pid" in e and "ts" in e:
            ts.setdefault((e["ev"], e["pid"]), []).append(e["ts"])
    t0 = one(events, "header")["ts"]
    want, births, told = [], {}, set()
    for line in every:
        m = LINE.match(line)
        if not m:
            continue
        kind, pid = m.group(1), int(m.group(2))
        t = t0 + round(float(line.split()[0]) * 1e9)
        # the record this line says: the one of its kind and pid nearest its time
        near = min(ts[(kind, pid)], key=lambda x: abs(x - t))
        if kind == "fork":
            births[pid] = line
        if keeps(filt, identity(events, pid, near)):
            # a process kept only from later on has its fork line told
            # just before its first line kept
            if kind != "fork" and pid in births and pid not in told:
                want.append(births[pid])
            told.add(pid)
            want.append(line)
    got = [l for l in kept if LINE.match(l)]
    assert want, f"nothing to keep for {filt}: the test proves nothing"
    assert len(want) < len([l for l in every if LINE.match(l)]), f"{filt} kept everything"
    assert_eq(f"lines kept by {filt}", want, got)


def test_filter_in_a_live_trace_and_in_the_tree(tmp_path):
    r = run(["trace", "--tree", "--no-summary", "--comm", "true", "--", "sh", "-c",
             "/bin/true; /bin/echo hi"])
    assert_eq(f"exit status ({r.stderr})", 0, r.returncode)
    lines = text_lines(r.stdout)
    assert_eq("kinds shown", ["fork", "exec", "exit"], [k for k, _, _, _ in lines])
    # its fork, told before its exec made it a "true": by the name it had then
    (fork, pid, comm, detail) = lines[0]
    assert comm == "sh" and detail.startswith("child of "), lines[0]
    assert all(p == pid and c == "true" for _, p, c, _ in lines[1:]), r.stdout
    tree = r.stdout[r.stdout.index("== process tree =="):]
    assert " true freed" in tree and " echo " not in tree, tree


def test_a_fork_told_late_has_the_whole_name_it_was_born_with(tmp_path):
    """A process kept only from its exec on has its fork line told then,
    by the name it was born with: whole, as the unfiltered view says it,
    not the kernel's first 15 bytes of its parent's name."""
    shell = tmp_path / "a-shell-of-a-long-name"
    shell.write_bytes(open("/bin/sh", "rb").read())
    shell.chmod(0o755)
    command = ["--", str(shell), "-c", "/bin/true; :"]
    every = text_lines(run(["trace", "--no-summary", *command]).stdout, kind="fork")
    kept = run(["trace", "--no-summary", "--comm", "true", *command])
    assert_eq(f"exit status ({kept.stderr})", 0, kept.returncode)
    (fork, pid, comm, detail) = text_lines(kept.stdout)[0]
    assert_eq("the fork line kept", "fork", fork)
    assert_eq("its name at birth, as the unfiltered view said it",
              [c for k, p, c, _ in every if c.startswith("a-shell")][-1], comm)
    assert_eq("its name at birth", shell.name, comm)


RENAMES_ITSELF = ["/usr/bin/python3", "-c",
                  "import ctypes; ctypes.CDLL(None).prctl(15, b'renamed-x', 0, 0, 0)"]


def test_a_rename_after_exec_leaves_what_the_filter_keeps(tmp_path):
    """Kept by its name after its exec, from its fork to its end and in the
    tree, whatever it calls itself later; never by the later name."""
    r = run(["trace", "--tree", "--no-summary", "--comm", "python3", "--", *RENAMES_ITSELF])
    assert_eq(f"exit status ({r.stderr})", 0, r.returncode)
    lines = text_lines(r.stdout)
    assert_eq("kinds shown", ["fork", "exec", "exit"], [k for k, _, _, _ in lines])
    assert_eq("its name at its end", "renamed-x", lines[2][2])
    tree = r.stdout[r.stdout.index("== process tree =="):]
    assert "renamed-x freed" in tree, tree
    r = run(["trace", "--tree", "--no-summary", "--comm", "renamed-x", "--", *RENAMES_ITSELF])
    assert_eq(f"exit status ({r.stderr})", 0, r.returncode)
    assert_eq("lines kept by the later name", [], text_lines(r.stdout))


@pytest.mark.parametrize("args, words", [
    (["trace", "--uid", "no-such-user-here", "--", "true"], "--uid takes a uid or a user's name"),
    (["trace", "--cgroup", "system.slice", "--", "true"], "--cgroup takes a cgroup's path"),
    (["trace", "-n", "", "--", "true"], "--comm takes a process name"),
    (["trace", "--comm", "a", "--comm", "b", "--", "true"], "--comm given twice"),
    (["trace", "-f", "jsonl", "--uid", "0", "--", "true"], "a jsonl log keeps every record"),
    (["replay", "/dev/null", "-f", "jsonl", "-c", "/"], "replay -f jsonl writes every record"),
])
def test_filter_refusals(args, words):
    r = run(args)
    assert_eq(f"exit status of {args} ({r.stderr})", 2, r.returncode)
    assert_eq(f"stderr of {args}", 1, len(r.stderr.splitlines()))
    assert r.stderr.startswith("error: ") and words in r.stderr, r.stderr


def test_summary_says_who_used_most_and_where_zombies_were(tmp_path):
    events, out, log = traced(tmp_path, ["sh", "-c", f"{LIFECYCLE} burn 200 20000; "
                                         f"{LIFECYCLE} zombie 300"])
    summary = run(["replay", str(log), "-f", "summary"]).stdout
    burner = roles(out)["child"][0]
    cpu = max(e["cpu_user_ns"] + e["cpu_sys_ns"] for e in events if e["ev"] == "exit")
    ex = one(events, "exit", pid=burner)
    assert_eq("the most CPU: the burner", cpu, ex["cpu_user_ns"] + ex["cpu_sys_ns"])
    top = summary[summary.index("the most CPU"):].splitlines()[2]
    assert_eq("the first row's pid", burner, int(top.split()[0]))
    zombie = roles(out)["child"][1]
    cgroup = one(events, "fork", pid=zombie).get("cgroup")
    table = summary[summary.index("long zombies and orphans by cgroup"):].splitlines()
    row = [l for l in table[2:] if l.endswith(" " + (cgroup or "(not known)"))]
    assert row and row[0].split()[:1] == ["1"], f"the zombie's cgroup's row:\n{summary}"


def test_exports_carry_context(tmp_path):
    events, out, log = traced(tmp_path, ["sh", "-c", f"{LIFECYCLE} as-user 1234; "
                                         f"{LIFECYCLE} args 2; timeout 0.1 sleep 5"],
                                status=124)  # timeout's own: it killed sleep
    csv_text = run(["replay", str(log), "-f", "csv"]).stdout
    rows = {int(r["pid"]): r for r in csv.DictReader(csv_text.splitlines())}
    user = roles(out)["child"][0]
    assert_eq("uid column", "1234", rows[user]["uid"])
    args = roles(out)["child"][1]
    ex = one(events, "exec", pid=args)
    assert_eq("argv column, as bash reads it", [a.encode() for a in ex["argv"]],
              shell_words(rows[args]["argv"]))
    sleeper = one(events, "exec", comm="sleep")["pid"]
    exit_ = one(events, "exit", pid=sleeper)
    for col in ("cpu_user_ns", "cpu_sys_ns", "max_rss_kb", "killer"):
        assert_eq(f"{col} column", str(exit_[col]), rows[sleeper][col])
    assert_eq("kill_reason column", "process", rows[sleeper]["kill_reason"])
    assert_eq("killer_command column", "timeout", rows[sleeper]["killer_command"])
    trace = json.loads(run(["replay", str(log), "-f", "perfetto"]).stdout)
    life = [e for e in trace["traceEvents"] if e.get("cat") == "life" and e["pid"] == sleeper][0]
    assert_eq("the life slice's killer", f"timeout[{exit_['killer']}]", life["args"]["killer"])
    assert_eq("the life slice's memory", exit_["max_rss_kb"], life["args"]["max_rss_kb"])
    assert_eq("the life slice's argv", "sleep 5", life["args"]["argv"])


@needs_root
def test_the_commands_peak_memory_is_not_the_tracers(tmp_path):
    """The kernel carries a process's peak memory across exec: forked from
    the tracer, the command would count the ring buffer the tracer maps (a
    16 MiB ring is mapped twice, 32 MiB) as its own."""
    log = tmp_path / "t.jsonl"
    r = subprocess.run([PROCLIFE, "trace", "--ring-kb", "16384", "-f", "jsonl", "-o", str(log),
                        "--", "true"], capture_output=True, text=True, timeout=120,
                       stdin=subprocess.DEVNULL)
    assert_eq(f"exit status ({r.stderr})", 0, r.returncode)
    (ex,) = [e for e in read_log(log) if e["ev"] == "exit" and e["comm"] == "true"]
    assert ex["max_rss_kb"] < 16384, f"true's peak memory holds the ring buffer: {ex}"

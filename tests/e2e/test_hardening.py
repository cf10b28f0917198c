# SPDX-License-Identifier: BSD-2-Clause
"""The tracer under stress and attack: stopping every way, overload, a full
disk, privileges, and output files that must not be clobbered."""
import fcntl
import json
import os
import pty
import shutil
import signal
import stat
import subprocess
import sys
import tempfile
import termios
import time

import pytest

from conftest import (LIFECYCLE, PROCLIFE, WORKLOAD, assert_eq, kill_if_running, needs_root,
                      read_log,
                      wait_attached)

pytestmark = needs_root


def start(*args, **kw):
    p = subprocess.Popen([PROCLIFE, "trace", *args], stderr=subprocess.PIPE, text=True,
                         stdin=subprocess.DEVNULL, **kw)
    wait_attached(p)
    return p


@pytest.mark.parametrize("sudo", [False, True])
def test_capabilities_dropped_once_attached(tmp_path, sudo):
    """All of them, run through sudo with a log file too (the parts it
    opens later are the user's by the file system identity it takes)."""
    env = dict(os.environ, **({"SUDO_UID": "65534", "SUDO_GID": "65534"} if sudo else {}))
    os.chmod(tmp_path, 0o777)
    p = start("-o", str(tmp_path / "t.jsonl"), env=env)
    kept = 0
    try:
        status = open(f"/proc/{p.pid}/status").read()
        caps = {l.split(":")[0]: int(l.split()[1], 16) for l in status.splitlines()
                if l.startswith("Cap")}
        assert_eq("effective capabilities after attach", kept, caps["CapEff"])
        assert_eq("permitted capabilities after attach", kept, caps["CapPrm"])
        assert_eq("bounding set after attach", 0, caps["CapBnd"])
    finally:
        p.send_signal(signal.SIGINT)
        p.communicate(timeout=30)
    assert_eq("still traced to the end", "trailer", read_log(tmp_path / "t.jsonl")[-1]["ev"])


@pytest.mark.parametrize("how", [["-u", "nobody"], []])
def test_command_runs_as_the_user(tmp_path, how):
    env = dict(os.environ)
    if not how:
        env.update(SUDO_UID="65534", SUDO_GID="65534")  # as if started through sudo
    r = subprocess.run([PROCLIFE, "trace", "-o", str(tmp_path / "t.jsonl"), *how, "--", "id", "-u"],
                       capture_output=True, text=True, env=env, timeout=60)
    assert_eq(f"exit status ({r.stderr})", 0, r.returncode)
    assert_eq("the command's uid", "65534", r.stdout.strip())


def test_root_is_said_aloud(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("SUDO_")}
    r = subprocess.run([PROCLIFE, "trace", "-o", str(tmp_path / "t.jsonl"), "--", "true"],
                       capture_output=True, text=True, env=env, timeout=60)
    assert "runs as root" in r.stderr, r.stderr


def test_output_files_are_private_and_never_clobbered(tmp_path):
    out = tmp_path / "t.jsonl"
    r = subprocess.run([PROCLIFE, "trace", "-o", str(out), "--", "true"], capture_output=True,
                       text=True)
    assert_eq("first trace", 0, r.returncode)
    assert_eq("mode of a new log", 0o600, stat.S_IMODE(os.stat(out).st_mode))
    before = out.read_text()
    r = subprocess.run([PROCLIFE, "trace", "-o", str(out), "--", "true"], capture_output=True,
                       text=True)
    assert_eq("second trace into the same file", 1, r.returncode)
    assert "--force" in r.stderr, r.stderr
    assert_eq("the existing log is untouched", before, out.read_text())
    os.chmod(out, 0o644)
    r = subprocess.run([PROCLIFE, "trace", "--force", "-o", str(out), "--", "true"],
                       capture_output=True, text=True)
    assert_eq("with --force", 0, r.returncode)
    assert_eq("mode of a replaced log", 0o600, stat.S_IMODE(os.stat(out).st_mode))
    victim = tmp_path / "victim"
    victim.write_text("precious")
    link = tmp_path / "link.jsonl"
    link.symlink_to(victim)
    r = subprocess.run([PROCLIFE, "trace", "--force", "-o", str(link), "--", "true"],
                       capture_output=True, text=True)
    assert_eq("through a symlink", 1, r.returncode)
    assert "symbolic link" in r.stderr, r.stderr
    assert_eq("the symlink's target", "precious", victim.read_text())


@pytest.mark.parametrize("fmt", ["jsonl", "html"])
def test_files_written_for_a_sudo_user_are_theirs(fmt):
    # in a folder anyone may enter, as a user's own would be
    shared = tempfile.mkdtemp(prefix="proclife-sudo-")
    try:
        os.chmod(shared, 0o755)
        out = os.path.join(shared, f"t.{fmt}")
        env = dict(os.environ, SUDO_UID="65534", SUDO_GID="65534")  # as if run through sudo
        for force in ([], ["--force"]):  # created, then replaced
            r = subprocess.run([PROCLIFE, "trace", "-f", fmt, "-o", out, *force, "--", "true"],
                               capture_output=True, text=True, env=env, timeout=60)
            assert_eq(f"exit status ({r.stderr})", 0, r.returncode)
            st = os.stat(out)
            assert_eq(f"owner of the {fmt} file {'replaced' if force else 'made'} for the "
                      "sudo user", (65534, 65534), (st.st_uid, st.st_gid))
            assert_eq("its mode", 0o600, stat.S_IMODE(st.st_mode))
        if fmt == "jsonl":
            r = subprocess.run(["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups",
                                PROCLIFE, "replay", out, "-f", "summary"], capture_output=True,
                               text=True, timeout=60)
            assert_eq(f"the sudo user's replay of it ({r.stderr})", 0, r.returncode)
    finally:
        shutil.rmtree(shared)


def test_rotated_parts_for_a_sudo_user_are_theirs():
    """Each part a rotation opens after the tracer gave up its privileges
    is the sudo user's too, as the first one is, in a folder of that user's
    own that no one else may write to."""
    shared = tempfile.mkdtemp(prefix="proclife-sudo-")
    try:
        os.chown(shared, 65534, 65534)
        os.chmod(shared, 0o755)
        out = os.path.join(shared, "ev.jsonl")
        env = dict(os.environ, SUDO_UID="65534", SUDO_GID="65534")  # as if run through sudo
        r = subprocess.run([PROCLIFE, "trace", "-f", "jsonl", "-o", out, "--rotate", "64K,50",
                            "--", WORKLOAD, "spawn-churn", "--tasks", "1500"],
                           capture_output=True, text=True, env=env, timeout=120)
        assert_eq(f"exit status ({r.stderr})", 0, r.returncode)
        assert "warning" not in r.stderr, r.stderr
        parts = sorted(os.listdir(shared))
        assert len(parts) > 1, f"no rotation: {parts}"
        owners = {p: (os.stat(os.path.join(shared, p)).st_uid,
                      os.stat(os.path.join(shared, p)).st_gid) for p in parts}
        assert_eq("owners of the parts", {p: (65534, 65534) for p in parts}, owners)
    finally:
        shutil.rmtree(shared)


def test_closed_pipe_ends_the_tracer_cleanly():
    # `proclife trace | head`: head leaves after 5 lines, the tracer must follow
    t0 = time.monotonic()
    r = subprocess.run(f"{PROCLIFE} trace -- {WORKLOAD} storm -n 3000 | head -5",
                       shell=True, capture_output=True, text=True, timeout=120)
    assert_eq("lines through head", 5, len(r.stdout.splitlines()))
    assert "error" not in r.stderr, f"a closed pipe is not an error: {r.stderr}"
    assert time.monotonic() - t0 < 60, "the tracer kept running after its reader left"


@pytest.mark.parametrize("fmt", ["text", "jsonl"])
def test_a_reader_leaving_a_quiet_trace_stops_it(fmt):
    """The reader leaves while nothing happens: no write will fail, yet the
    trace ends (the command stopped as by Ctrl-C), quietly, status 0.
    Without that it would run as long as the command: 10 minutes here."""
    r = subprocess.run(["bash", "-c", f"{PROCLIFE} trace -f {fmt} -- sleep 600 | head -1; "
                        "echo status=${PIPESTATUS[0]} >&2"],
                       capture_output=True, text=True, timeout=120)
    assert "status=0" in r.stderr, r.stderr
    assert "error" not in r.stderr, f"a reader leaving is not an error: {r.stderr}"


def test_a_terminal_hung_up_gives_the_command_its_end():
    """The terminal the trace writes to hangs up: the tracer gets SIGHUP and
    loses its output at once, and neither is a second asking to stop: the
    command, hung up too, is given its time to end, rather than being left
    running."""
    master, slave = pty.openpty()

    def session():
        os.setsid()
        fcntl.ioctl(0, termios.TIOCSCTTY, 0)

    p = subprocess.Popen([PROCLIFE, "trace", "--", "sleep", "600.25"], stdin=slave, stdout=slave,
                         stderr=subprocess.PIPE, text=True, preexec_fn=session)
    os.close(slave)
    try:
        got = b""
        while b"sleep" not in got:  # its fork or exec line: the command runs
            got += os.read(master, 4096)
        os.close(master)
        _, err = p.communicate(timeout=60)
    finally:
        kill_if_running(p)
    assert "still running" not in err, err
    assert_eq(f"exit status: its reader left, quietly ({err})", 0, p.returncode)
    left = subprocess.run(["pgrep", "-f", "sleep 600.25"], capture_output=True, text=True)
    assert_eq("the command left running", "", left.stdout)


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM, signal.SIGHUP])
def test_stop_signals_leave_a_complete_log(tmp_path, sig):
    log = tmp_path / "t.jsonl"
    p = start("-o", str(log))
    subprocess.run([LIFECYCLE, "fork-exit", "1"], check=True)
    p.send_signal(sig)
    p.communicate(timeout=30)
    assert_eq(f"exit status after {sig.name}", 0, p.returncode)
    events = read_log(log)
    assert_eq("last line", "trailer", events[-1]["ev"])


def group_runs(pgid, comm):
    """a process called comm runs in process group pgid"""
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            with open(f"/proc/{pid}/stat") as f:
                stat = f.read()
        except OSError:
            continue
        name, rest = stat[stat.index("(") + 1:stat.rindex(")")], stat[stat.rindex(")") + 2:]
        if name == comm and int(rest.split()[2]) == pgid:
            return True
    return False


def trace_in_own_group(log, script):
    """the tracer and its command alone in a process group, as a terminal's
    foreground job is: Ctrl-C reaches both"""
    p = subprocess.Popen([PROCLIFE, "trace", "-f", "jsonl", "-o", str(log), "--", "sh", "-c",
                          script], start_new_session=True, stderr=subprocess.PIPE, text=True)
    while "attached" not in p.stderr.readline():
        assert p.poll() is None, "the tracer ended before attaching"
    # Ctrl-C once the command's sleep runs, not before the shell starts it
    deadline = time.monotonic() + 10
    while not group_runs(p.pid, "sleep"):
        assert time.monotonic() < deadline, "the command's sleep never started"
        time.sleep(0.02)
    return p


def test_ctrl_c_lets_the_command_end_in_the_log(tmp_path):
    log = tmp_path / "t.jsonl"
    p = trace_in_own_group(log, "sleep 30; echo unreachable")
    os.killpg(p.pid, signal.SIGINT)
    p.wait(timeout=30)
    assert_eq("exit status: the command's, killed by SIGINT", 128 + signal.SIGINT, p.returncode)
    events = read_log(log)
    assert_eq("the command's status in the trailer (killed by SIGINT)", signal.SIGINT,
              events[-1]["exit_status"])
    assert [e for e in events if e["ev"] == "reap" and e["comm"] == "sh"], "no reap of the command"
    # sleep may outlive sh for a moment and be reaped by init later: its exit is enough
    assert [e for e in events if e["ev"] == "exit" and e["comm"] == "sleep"], "sleep's exit missing"


def test_a_second_sigterm_stops_at_once(tmp_path):
    log = tmp_path / "t.jsonl"
    p = trace_in_own_group(log, "exec 2>/dev/null; trap '' TERM; sleep 30")
    try:
        p.send_signal(signal.SIGTERM)
        while "stopping: the command has" not in (line := p.stderr.readline()):
            assert p.poll() is None, "the tracer ended at the first SIGTERM"
        assert "(SIGTERM again to stop now)" in line, f"the signal to send again: {line}"
        p.send_signal(signal.SIGTERM)
        p.communicate(timeout=30)
    finally:
        try:
            os.killpg(p.pid, signal.SIGKILL)  # the command that ignored SIGTERM
        except ProcessLookupError:
            pass
    assert_eq("exit status: as if SIGTERM had ended the command", 128 + signal.SIGTERM,
              p.returncode)
    assert_eq("last line", "trailer", read_log(log)[-1]["ev"])


def test_a_second_ctrl_c_stops_at_once(tmp_path):
    log = tmp_path / "t.jsonl"
    # the command holds no pipe of the test's: it outlives the tracer
    p = trace_in_own_group(log, "exec 2>/dev/null; trap '' INT; sleep 30")
    try:
        os.killpg(p.pid, signal.SIGINT)
        # the second Ctrl-C once the tracer has taken the first
        while "stopping: the command has" not in (line := p.stderr.readline()):
            assert p.poll() is None, "the tracer ended at the first Ctrl-C"
        assert "(Ctrl-C again to stop now)" in line, line
        p.send_signal(signal.SIGINT)
        _, err = p.communicate(timeout=30)
    finally:
        try:
            os.killpg(p.pid, signal.SIGKILL)  # the command that ignored Ctrl-C
        except ProcessLookupError:
            pass
    assert "has not ended" not in err, f"the second Ctrl-C waited for the command: {err}"
    assert_eq("exit status: as if the Ctrl-C had ended the command", 128 + signal.SIGINT,
              p.returncode)
    assert_eq("last line", "trailer", read_log(log)[-1]["ev"])


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGHUP, signal.SIGINT],
                         ids=lambda s: s.name)
def test_a_stop_signal_is_passed_on_to_the_command(tmp_path, sig):
    # sent to the tracer alone, as `kill` does (a terminal's Ctrl-C reaches
    # the whole group itself): the command gets it too, and its end is logged
    log = tmp_path / "t.jsonl"
    p = start("-f", "jsonl", "-o", str(log), "--", "sh", "-c", "exec sleep 30 2>/dev/null")
    p.send_signal(sig)
    _, err = p.communicate(timeout=30)
    events = read_log(log)
    assert_eq(f"the command's status in the trailer ({err})", int(sig),
              events[-1].get("exit_status"))
    assert_eq("exit status: the command's, killed by the signal", 128 + sig, p.returncode)
    assert "still running" not in err, err


def left_running(cmdline):
    """pids of the processes whose command line is cmdline"""
    r = subprocess.run(["pgrep", "-fx", cmdline], capture_output=True, text=True)
    return r.stdout.split()


def test_a_stop_reaches_what_the_command_forked_just_before(tmp_path):
    """The command forks, then sends the tracer alone a SIGTERM: the fork is
    still in the ring when the signal comes, and the child, in the command's
    process group, is told as well, not left running"""
    log = tmp_path / "t.jsonl"
    p = start("-f", "jsonl", "-o", str(log), "--", "sh", "-c",
              "sleep 600.31 & kill -TERM $PPID; wait")
    try:
        _, err = p.communicate(timeout=60)
    finally:
        kill_if_running(p)
    left = left_running("sleep 600.31")
    subprocess.run(["kill", "-9", *left], capture_output=True)
    assert_eq(f"left running ({err})", [], left)
    ends = [e for e in read_log(log) if e["ev"] == "exit" and e.get("ppid") != p.pid]
    assert ends, "the command's child never ended in the log"
    for e in ends:  # killed as a sh, before its exec, or as the sleep
        assert_eq(f"how {e['comm']} ended", ("SIGTERM", p.pid),
                  (e.get("signame"), e.get("killer")))


def reader_leaves(command, waiter):
    """The tracer's stderr once a `head -1` reading the trace of command (a
    shell's words) left at its first line, the tracer's exit status
    appended; nothing named waiter (a command line) may be left running"""
    r = subprocess.run(["bash", "-c", f"{PROCLIFE} trace -- {command} | head -1; "
                        "echo status=${PIPESTATUS[0]} >&2"],
                       capture_output=True, text=True, timeout=120)
    left = left_running(waiter)
    subprocess.run(["kill", "-9", *left], capture_output=True)
    assert_eq(f"left running ({r.stderr})", [], left)
    assert "still running" not in r.stderr, r.stderr
    assert "status=0" in r.stderr, r.stderr
    return r.stderr


def test_a_reader_leaving_stops_what_the_command_started(tmp_path):
    """The reader leaves at the command's first line, as its shell forks:
    the stop as on Ctrl-C reaches the shell's child too, whose fork was not
    read yet (a shell waits for its child before it acts on SIGINT)"""
    reader_leaves("sh -c 'echo x; sleep 600.32'", "sleep 600.32")


@pytest.mark.parametrize("trap", ["sleep 600.33; exit 3", "exec sleep 600.33"])
def test_a_stop_reaches_what_was_forked_or_execd_after_it(tmp_path, trap):
    """The reader leaves at the command's first line; its shell takes the
    stop in a trap that forks, or execs, a process that waits on: one that
    may have missed the stop (forked or exec'd since it came, as a shell's
    child forked while the shell defers SIGINT, or a forked shell that caught
    it just before its exec) is told once the grace is over"""
    script = tmp_path / "cmd.sh"
    # its standard error elsewhere: a process left running holds no pipe of the test's
    script.write_text(f"exec 2>/dev/null\ntrap '{trap}' INT\necho x\n"
                      "while :; do sleep 0.1; done\n")
    err = reader_leaves(f"sh {script}", "sleep 600.33")
    assert "the stop is passed on again to 1 process forked or exec'd since it came" in err, err


def test_sigkill_leaves_lines_replay_accepts(tmp_path):
    log = tmp_path / "t.jsonl"
    p = start("-o", str(log))
    # the storm runs until the test stops it: no race against a slow start
    storm = subprocess.Popen([WORKLOAD, "storm", "--seconds", "600"], stdout=subprocess.DEVNULL)
    try:
        # any moment will do, once the storm's records are in the log
        while log.stat().st_size < 256 * 1024:
            assert storm.poll() is None, "the storm ended before the log filled"
            time.sleep(0.01)
    finally:
        p.kill()
        p.wait()
        storm.send_signal(signal.SIGINT)  # its work is done: the log is cut
        storm.wait(timeout=60)
    text = log.read_bytes().decode()
    complete = text.split("\n")[:-1]
    for n, line in enumerate(complete, 1):
        json.loads(line)  # every complete line is valid JSON
    r = subprocess.run([PROCLIFE, "replay", str(log), "-f", "summary"], capture_output=True,
                       text=True)
    assert_eq(f"replay of a killed tracer's log ({r.stderr})", 0, r.returncode)


def programs_skipped_runs(pid):
    """The recursion_misses of the BPF programs process pid holds, summed,
    from their fdinfo; None if its kernel does not count them (before 5.12)."""
    total, counted = 0, False
    for fd in os.listdir(f"/proc/{pid}/fd"):
        try:
            if os.readlink(f"/proc/{pid}/fd/{fd}") != "anon_inode:bpf-prog":
                continue
            info = open(f"/proc/{pid}/fdinfo/{fd}").read()
        except FileNotFoundError:
            continue
        for line in info.splitlines():
            if line.startswith("recursion_misses:"):
                total, counted = total + int(line.split()[1]), True
    return total if counted else None


def test_runs_the_kernel_skipped_are_counted(tmp_path):
    """A program already running on a CPU is not run there again (a run the
    kernel skips, and counts): the trailer says how many, as losses are
    said, where the kernel counts them; where not, it says nothing."""
    log = tmp_path / "t.jsonl"
    p = start("-o", str(log))
    try:
        subprocess.run([WORKLOAD, "storm", "-n", "2000"], check=True, capture_output=True,
                       timeout=120)
        before_stop = programs_skipped_runs(p.pid)
    finally:
        p.send_signal(signal.SIGINT)
        _, err = p.communicate(timeout=60)
    assert_eq(f"exit status ({err})", 0, p.returncode)
    stats = read_log(log)[-1]["stats"]
    if before_stop is None:
        assert "runs_skipped" not in stats, f"a count the kernel does not keep: {stats}"
        return
    assert stats.get("runs_skipped", -1) >= before_stop, \
        f"the trailer's runs_skipped ({stats}) against the programs' own {before_stop}"
    said = "skipped" in err
    assert_eq(f"skipped runs warned of ({err})", stats["runs_skipped"] > 0, said)


def test_tiny_ring_counts_losses_and_states_nothing_unseen(tmp_path):
    log, manifest = tmp_path / "t.jsonl", tmp_path / "m.json"
    p = start("--ring-kb", "4", "-o", str(log))
    # the reader held still while a storm fills its 4 KiB ring: losses for sure
    os.kill(p.pid, signal.SIGSTOP)
    try:
        subprocess.run([WORKLOAD, "storm", "-n", "3000", "--manifest", str(manifest)],
                       check=True, capture_output=True, timeout=120)
    finally:
        os.kill(p.pid, signal.SIGCONT)
    p.send_signal(signal.SIGINT)
    p.wait(timeout=60)
    # through the stream that read "attached": a warning of losses at once
    # after it may be in its buffer already, which communicate() would miss
    err = p.stderr.read()
    assert_eq(f"exit status ({err})", 0, p.returncode)
    events = read_log(log)
    trailer = events[-1]
    assert trailer["lost_total"] > 0, "a 4 KiB ring lost nothing under a storm"
    assert_eq("losses reported as they happened",
              trailer["lost_total"], sum(e["count"] for e in events if e["ev"] == "lost"))
    assert "lost" in err, f"losses not reported live: {err}"
    # one warning per burst, whatever kinds it lost: a burst's lost lines share a time
    warned = [l for l in err.splitlines() if l.startswith("warning:") and "lost" in l]
    assert_eq(f"warnings of losses ({warned})",
              len({e["ts"] for e in events if e["ev"] == "lost"}), len(warned))
    s = subprocess.run([PROCLIFE, "replay", str(log), "-f", "summary"], capture_output=True,
                       text=True)
    assert_eq("replay of a lossy log", 0, s.returncode)
    assert "lost records" in s.stdout and "uncertain" in s.stdout, s.stdout
    # the storm's parent reaped every child: none may be stated a zombie still
    storm = {q["pid"] for q in json.loads(manifest.read_text())["runs"][0]["procs"]}
    tree = subprocess.run([PROCLIFE, "replay", str(log), "-f", "tree"], capture_output=True,
                          text=True).stdout
    zombies = []
    for line in tree.splitlines():
        words = line.lstrip("|`- ").split()
        if len(words) > 2 and words[0].isdigit() and int(words[0]) in storm and \
                words[2] == "zombie":
            zombies.append(line)
    assert_eq("storm children stated to be zombies still", [], zombies)


def test_losses_of_the_view_on_a_pipe_are_said_on_stderr(tmp_path):
    """The text view on a pipe (grep, a file), stderr elsewhere: the view's
    LOST lines are not where the user looks, so stderr says it too."""
    view = open(tmp_path / "view.txt", "w")
    p = start("--ring-kb", "4", stdout=view)
    os.kill(p.pid, signal.SIGSTOP)
    try:
        subprocess.run([WORKLOAD, "storm", "-n", "3000"], check=True, capture_output=True,
                       timeout=120)
    finally:
        os.kill(p.pid, signal.SIGCONT)
    p.send_signal(signal.SIGINT)
    _, err = p.communicate(timeout=60)
    view.close()
    assert_eq(f"exit status ({err})", 0, p.returncode)
    shown = [l for l in (tmp_path / "view.txt").read_text().splitlines() if " LOST " in l]
    assert shown, "a 4 KiB ring lost nothing under a storm"
    warned = [l for l in err.splitlines() if l.startswith("warning:") and "records lost" in l]
    assert warned, f"losses not said on stderr: {err}"


@pytest.fixture
def tiny_disk(tmp_path):
    """a 64 KiB file system, full after a few hundred lines"""
    mnt = tmp_path / "small"
    mnt.mkdir()
    subprocess.run(["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", str(mnt)], check=True)
    yield mnt
    subprocess.run(["umount", str(mnt)])


def errors_of(r):
    return [l for l in r.stderr.splitlines() if l.startswith("error:")]


def test_full_disk_stops_the_command_and_says_so_once(tmp_path, tiny_disk):
    pidfile = tmp_path / "command.pid"
    r = subprocess.run([PROCLIFE, "trace", "-o", str(tiny_disk / "t.jsonl"), "--", "sh", "-c",
                        f"echo $$ > {pidfile}; exec {WORKLOAD} storm --seconds 60 2>/dev/null"],
                       capture_output=True, text=True, timeout=120, stdin=subprocess.DEVNULL)
    pid = int(pidfile.read_text())
    try:
        gone = not os.path.exists(f"/proc/{pid}")
    finally:
        subprocess.run(["kill", "-KILL", str(pid)], capture_output=True)
    assert_eq(f"exit status on a full disk ({r.stderr})", 1, r.returncode)
    assert_eq(f"error lines ({r.stderr})", 1, len(errors_of(r)))
    assert "No space left on device" in errors_of(r)[0], r.stderr
    assert gone, f"the command {pid} was left running: {r.stderr}"


def test_an_export_that_does_not_fit_is_not_left(tiny_disk):
    out = tiny_disk / "x.html"
    r = subprocess.run([PROCLIFE, "trace", "-f", "html", "-o", str(out), "--", WORKLOAD, "storm",
                        "-n", "2000"], capture_output=True, text=True, timeout=120,
                       stdin=subprocess.DEVNULL)
    assert_eq(f"exit status ({r.stderr})", 1, r.returncode)
    assert_eq(f"error lines ({r.stderr})", 1, len(errors_of(r)))
    assert "No space left on device" in errors_of(r)[0], r.stderr
    assert not out.exists(), f"a cut report of {out.stat().st_size} bytes was left"


@pytest.mark.parametrize("where,reason", [(">/dev/full", "No space left on device"),
                                          (">&-", "Bad file descriptor")])
def test_an_output_that_takes_nothing_is_one_error(tmp_path, where, reason):
    # and the command is not started only to be stopped
    ran = tmp_path / "ran"
    r = subprocess.run(f"exec {PROCLIFE} trace -f jsonl -- touch {ran} {where}", shell=True,
                       capture_output=True, text=True, timeout=60, stdin=subprocess.DEVNULL)
    assert_eq(f"exit status ({r.stderr})", 1, r.returncode)
    assert_eq(f"error lines ({r.stderr})", 1, len(errors_of(r)))
    assert reason in errors_of(r)[0], r.stderr
    assert not ran.exists(), "the command ran"


@pytest.mark.parametrize("command", ["trace", "replay", "verify"])
@pytest.mark.parametrize("where,reason", [(">/dev/full", "No space left on device"),
                                          (">&-", "Bad file descriptor")])
def test_help_that_cannot_be_written_is_one_error(command, where, reason):
    r = subprocess.run(f"exec {PROCLIFE} {command} --help {where}", shell=True,
                       capture_output=True, text=True, timeout=60, stdin=subprocess.DEVNULL)
    assert_eq(f"exit status ({r.stderr})", 1, r.returncode)
    assert_eq(f"error lines ({r.stderr})", 1, len(errors_of(r)))
    assert reason in errors_of(r)[0], r.stderr


def test_replay_of_a_closed_standard_input_says_so():
    """Not "empty": nothing could be read."""
    r = subprocess.run(f"exec {PROCLIFE} replay - <&-", shell=True, capture_output=True,
                       text=True, timeout=60)
    assert_eq(f"exit status ({r.stderr})", 1, r.returncode)
    assert_eq(f"error lines ({r.stderr})", 1, len(errors_of(r)))
    assert "cannot read standard input: Bad file descriptor" in errors_of(r)[0], r.stderr


def test_a_stop_asked_before_the_command_starts_keeps_it_from_running(tmp_path):
    """Ctrl-C while the tracer loads: the command is not started only to be
    stopped, and the log still ends with its trailer. The signal is blocked
    before the tracer runs, so it surely waits for the tracer to look."""
    log, ran = tmp_path / "t.jsonl", tmp_path / "ran"
    p = subprocess.Popen([PROCLIFE, "trace", "-f", "jsonl", "-o", str(log), "--", "touch",
                          str(ran)], stderr=subprocess.PIPE, text=True, stdin=subprocess.DEVNULL,
                         preexec_fn=lambda: signal.pthread_sigmask(signal.SIG_BLOCK,
                                                                   {signal.SIGINT}))
    try:
        p.send_signal(signal.SIGINT)
        _, err = p.communicate(timeout=60)
    finally:
        kill_if_running(p)
    assert_eq(f"exit status: as if interrupted ({err})", 128 + signal.SIGINT, p.returncode)
    assert "stopped before the command started" in err, err
    assert "attached" not in err, err
    assert not ran.exists(), "the command ran"
    assert_eq("last line", "trailer", read_log(log)[-1]["ev"])


def test_a_command_stopped_before_it_ran_reports_no_other_process(tmp_path):
    """The end of a trace of a command that never ran holds no process:
    not the whole machine's, which the tracer had listed as it attached."""
    csv_path = tmp_path / "t.csv"
    block = lambda: signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})  # noqa: E731
    p = subprocess.Popen([PROCLIFE, "trace", "--tree", "--summary", "--", "true"],
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                         stdin=subprocess.DEVNULL, preexec_fn=block)
    q = subprocess.Popen([PROCLIFE, "trace", "-f", "csv", "-o", str(csv_path), "--", "true"],
                         stderr=subprocess.PIPE, text=True, stdin=subprocess.DEVNULL,
                         preexec_fn=block)
    try:
        p.send_signal(signal.SIGINT)
        q.send_signal(signal.SIGINT)
        out, err = p.communicate(timeout=60)
        _, qerr = q.communicate(timeout=60)
    finally:
        kill_if_running(p)
        kill_if_running(q)
    assert "stopped before the command started" in err, err
    tree = out[out.index("== process tree =="):out.index("== summary")]
    assert_eq("the tree", "== process tree ==\n(no processes)", tree.strip())
    assert "== summary of the command, which was not run ==" in out, out
    assert "0 already running" in out, out
    assert "stopped before the command started" in qerr, qerr
    assert_eq("the export's rows", 1, len(csv_path.read_text().splitlines()))


def wait_for(what, check, timeout=30):
    deadline = time.monotonic() + timeout
    while not check():
        assert time.monotonic() < deadline, f"{what}: not within {timeout} s"
        time.sleep(0.01)


def process_state(pid):
    with open(f"/proc/{pid}/stat") as f:
        return f.read().rsplit(")", 1)[1].split()[0]


def test_a_stopped_command_is_continued_to_get_the_signal(tmp_path):
    log, pidfile = tmp_path / "t.jsonl", tmp_path / "pid"
    p = start("-f", "jsonl", "-o", str(log), "--", "sh", "-c",
              f"echo $$ > {pidfile}.new; mv {pidfile}.new {pidfile}; kill -STOP $$; echo resumed")
    try:
        wait_for("the command's pid", pidfile.exists)
        pid = int(pidfile.read_text())
        wait_for("the command stopped", lambda: process_state(pid) == "T")
        p.send_signal(signal.SIGTERM)
        _, err = p.communicate(timeout=60)
    finally:
        kill_if_running(p)
    assert_eq(f"exit status: the command's, killed by SIGTERM ({err})", 128 + signal.SIGTERM,
              p.returncode)
    assert "still running" not in err, err


def stop_after_the_command_ended(tmp_path, left):
    """--wait-descendants of a command whose process left running (left, a
    shell command that writes its pid to $PIDFILE) outlives it: SIGTERM to
    the tracer once it waits for it. The tracer's exit and what it said"""
    log, pidfile = tmp_path / "t.jsonl", tmp_path / "pid"
    p = start("--wait-descendants", "-f", "jsonl", "-o", str(log), "--", "sh", "-c",
              left.replace("$PIDFILE", str(pidfile)))
    try:
        err = ""
        while "waiting for the processes it started" not in err:
            line = p.stderr.readline()
            assert line, f"the tracer ended: {err}"
            err += line
        # the file is written once it is where it runs on (after setsid)
        wait_for("the process left running", pidfile.exists)
        p.send_signal(signal.SIGTERM)
        rest = p.communicate(timeout=60)[1]
    finally:
        kill_if_running(p)
        if pidfile.exists():
            os.kill(int(pidfile.read_text()), signal.SIGKILL)
    return p.returncode, rest


def test_a_stop_after_the_command_ended_waits_for_none_it_cannot_tell(tmp_path):
    # --wait-descendants: the command has ended, a process it started runs on
    # in a session of its own, where a signal passed on does not reach it
    # (nor does it hold the tracer's standard error open): nothing is
    # waited for that was not told
    status, rest = stop_after_the_command_ended(
        tmp_path, "setsid -f sh -c 'echo $$ > $PIDFILE.new; mv $PIDFILE.new $PIDFILE; "
        "exec sleep 600' </dev/null >/dev/null 2>&1")
    assert "the processes the command started left its process group, and are not told " \
           "to stop" in rest, rest
    assert "2 s" not in rest, rest
    assert "the command has" not in rest, rest
    assert_eq("exit status: the command's", 0, status)


def test_a_stop_after_the_command_ended_names_what_it_waits_for(tmp_path):
    # --wait-descendants: the command has ended, a process it started runs on
    # in its process group: it is told, and given its time (its pid is
    # written once it ignores the signal)
    status, rest = stop_after_the_command_ended(
        tmp_path, "sh -c 'trap \"\" TERM; echo $$ > $PIDFILE.new; mv $PIDFILE.new $PIDFILE; "
        "while :; do sleep 0.1; done' </dev/null >/dev/null 2>&1 & exit 0")
    assert "the processes the command started have 2 s to end" in rest, rest
    assert "have not ended in 2 s: stopping without them" in rest, rest
    assert "the command has" not in rest, rest
    assert_eq("exit status: the command's", 0, status)


@pytest.mark.skipif(not __import__("shutil").which("valgrind"), reason="valgrind is missing")
@pytest.mark.skipif(bool(os.environ.get("SANITIZE")), reason="valgrind cannot run a sanitizer build")
@pytest.mark.parametrize("fmt", ["summary", "tree", "jsonl", "csv"])
def test_replay_is_clean_under_valgrind(tmp_path, fmt):
    t = subprocess.run([PROCLIFE, "trace", "-f", "jsonl", "-o", str(tmp_path / "t.jsonl"), "--",
                        WORKLOAD, "subreaper"], capture_output=True, text=True, timeout=120)
    assert_eq("trace", 0, t.returncode)
    r = subprocess.run(["valgrind", "--error-exitcode=3", "--leak-check=full",
                        "--errors-for-leak-kinds=definite,indirect", PROCLIFE, "replay",
                        str(tmp_path / "t.jsonl"), "-f", fmt, "-o", str(tmp_path / f"out.{fmt}")],
                       capture_output=True, text=True, timeout=300)
    assert_eq(f"valgrind's verdict on replay -f {fmt}:\n{r.stderr[-3000:]}", 0, r.returncode)


def test_a_hangup_of_the_terminal_the_tracer_leads_reaches_the_command(tmp_path):
    """Closing a terminal whose session the tracer leads signals the tracer
    alone: the tracer passes the hangup on, and the command's end to it is
    in the log. (A shell's terminal sends two hangups: no stop at once.)"""
    log = tmp_path / "t.jsonl"
    pid, master = pty.fork()
    if pid == 0:  # the session's leader, the terminal its own
        os.execv(PROCLIFE, [PROCLIFE, "trace", "-f", "jsonl", "-o", str(log), "--", "sh", "-c",
                            "trap 'exit 9' HUP; sleep 30 & wait"])
    try:
        said = b""
        while b"attached" not in said:
            said += os.read(master, 4096)
        deadline = time.monotonic() + 10
        while not group_runs(pid, "sleep"):
            assert time.monotonic() < deadline, "the command's sleep never started"
            time.sleep(0.02)
        os.close(master)  # the terminal hangs up
        os.waitpid(pid, 0)
        pid = 0
    finally:
        if pid:
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
    ends = [e for e in read_log(log) if e["ev"] == "exit" and e["comm"] == "sh"]
    assert_eq("the command's end, to the hangup passed on", [9], [e.get("code") for e in ends])
    assert_eq("last line", "trailer", read_log(log)[-1]["ev"])


def test_a_second_hangup_still_waits_for_the_command(tmp_path):
    log, go = tmp_path / "t.jsonl", tmp_path / "go"
    # the command ends at the hangup once the test says so
    p = trace_in_own_group(log, f"exec 2>/dev/null; trap 'while [ ! -e {go} ]; do sleep 0.01; "
                                "done; exit 9' HUP; sleep 30 & wait")
    try:
        p.send_signal(signal.SIGHUP)
        while "stopping on a hangup" not in p.stderr.readline():
            assert p.poll() is None, "the tracer ended at the first SIGHUP"
        p.send_signal(signal.SIGHUP)  # as a closing terminal's shell and kernel send two
        go.touch()
        p.communicate(timeout=30)
    finally:
        go.touch()  # a command left behind by a failure ends too
        try:
            os.killpg(p.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        kill_if_running(p)
    ends = [e for e in read_log(log) if e["ev"] == "exit" and e["comm"] == "sh"]
    assert_eq("the command's end, to the second hangup", [9], [e.get("code") for e in ends])


def signals_in(pid, field):
    """the set of signals /proc/PID/status lists in FIELD (SigBlk, SigIgn)"""
    with open(f"/proc/{pid}/status") as f:
        mask = next(int(line.split()[1], 16) for line in f if line.startswith(field + ":"))
    return {sig for sig in range(1, 65) if mask >> (sig - 1) & 1}


def trace_started_ignoring(log, sig, stop, then):
    """a whole-machine trace started with sig ignored, as nohup or a
    script's background job starts it: then(p) once it has attached, then
    stop; it must end as a clean stop does"""
    p = subprocess.Popen([PROCLIFE, "trace", "-f", "jsonl", "-o", str(log), "-d", "120"],
                         preexec_fn=lambda: signal.signal(sig, signal.SIG_IGN),
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        while "attached" not in p.stderr.readline():
            assert p.poll() is None, "the tracer ended before attaching"
        then(p)
        p.send_signal(stop)
        p.communicate(timeout=30)
    finally:
        kill_if_running(p)
    assert_eq("exit status", 0, p.returncode)
    assert_eq("last line", "trailer", read_log(log)[-1]["ev"])


def test_a_tracer_started_under_nohup_keeps_on_at_a_hangup(tmp_path):
    """nohup starts it with SIGHUP ignored: it stays ignored, as in any
    program, and a hangup does not end the trace"""
    def hang_up(p):
        assert signal.SIGHUP in signals_in(p.pid, "SigIgn"), "SIGHUP no longer ignored"
        assert signal.SIGHUP not in signals_in(p.pid, "SigBlk"), "SIGHUP blocked, to be read"
        p.send_signal(signal.SIGHUP)
        p.send_signal(signal.SIGUSR1)  # the tree: it still runs
        while "== process tree at" not in p.stdout.readline():
            assert p.poll() is None, "the tracer ended at a hangup it was started ignoring"

    trace_started_ignoring(tmp_path / "t.jsonl", signal.SIGHUP, signal.SIGTERM, hang_up)


def test_a_tracer_started_in_a_scripts_background_stops_at_ctrl_c(tmp_path):
    """a script's job in the background starts with SIGINT ignored; the
    script's `kill -INT` still stops the trace"""
    trace_started_ignoring(tmp_path / "t.jsonl", signal.SIGINT, signal.SIGINT, lambda p: None)


def test_a_tracer_started_with_sigchld_ignored_waits_for_its_command(tmp_path):
    """SIGCHLD ignored would have the kernel reap the command as it ends:
    the tracer takes it back to its default, and the command gets it as the
    tracer was given it"""
    check = ("import signal, sys; "
             "sys.exit(7 if signal.getsignal(signal.SIGCHLD) == signal.SIG_IGN else 1)")
    r = subprocess.run([PROCLIFE, "trace", "-f", "jsonl", "-o", str(tmp_path / "t.jsonl"), "--",
                        sys.executable, "-c", check],
                       preexec_fn=lambda: signal.signal(signal.SIGCHLD, signal.SIG_IGN),
                       capture_output=True, text=True, timeout=60)
    assert_eq(f"exit status: the command's, which saw SIGCHLD ignored ({r.stderr})", 7,
              r.returncode)
    events = read_log(tmp_path / "t.jsonl")
    assert_eq("the trailer's status", 7 << 8, events[-1]["exit_status"])


def test_a_duration_that_ends_a_wait_for_descendants_says_what_is_left(tmp_path):
    r = subprocess.run([PROCLIFE, "trace", "-d", "1", "--wait-descendants", "--no-summary", "--",
                        "sh", "-c", "sleep 30 & exit 5"],
                       capture_output=True, text=True, timeout=60)
    assert_eq(f"exit status: the command's ({r.stderr})", 5, r.returncode)
    assert "the command has ended; processes it started still run\n" in r.stderr, r.stderr

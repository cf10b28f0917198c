# SPDX-License-Identifier: BSD-2-Clause
"""Bad input and a hostile environment: one clear line, a non-zero exit."""
import os
import shutil
import subprocess
import sys

import pytest

from conftest import LIFECYCLE, PROCLIFE, assert_eq, needs_root, read_log


def run(*argv, **kw):
    return subprocess.run(argv, capture_output=True, text=True, timeout=60,
                          stdin=subprocess.DEVNULL, **kw)


def assert_error(r, status, *words):
    # progress notes ("proclife: ...") may come first; the error is one line
    lines = [l for l in r.stderr.strip().splitlines() if not l.startswith("proclife: ")]
    assert_eq(f"exit status (stderr: {r.stderr!r})", status, r.returncode)
    assert_eq(f"stderr lines ({r.stderr!r})", 1, len(lines))
    assert lines[0].startswith("error: "), f"not an error line: {lines[0]!r}"
    for w in words:
        assert w in lines[0], f"{w!r} not in the error line {lines[0]!r}"


def test_a_user_that_is_not():
    # -u and --uid alike: a usage error
    assert_error(run(PROCLIFE, "trace", "-u", "no-such-user-here", "--", "true"), 2,
                 "no user 'no-such-user-here'")
    assert_error(run(PROCLIFE, "trace", "--uid", "no-such-user-here", "--", "true"), 2,
                 "no-such-user-here")


@needs_root
def test_sudo_variables_that_do_not_agree():
    env = {**os.environ, "SUDO_UID": "4242"}
    env.pop("SUDO_GID", None)
    assert_error(run(PROCLIFE, "trace", "--", "true", env=env), 1, "SUDO_UID is 4242",
                 "SUDO_GID is not set")


def test_unknown_option():
    assert_error(run(PROCLIFE, "trace", "--frobnicate"), 2, "unknown option", "--frobnicate")


@pytest.mark.parametrize("argv", [
    ["trace", "-tv", "--", "true"],
    ["trace", "-d", "1", "-vt", "--", "true"],
    ["trace", "--output=x.jsonl", "-tv", "--", "true"],
    ["replay", "x.jsonl", "-tv"],
])
def test_an_unknown_letter_in_a_cluster_is_named(argv):
    """Not the word before it."""
    assert_error(run(PROCLIFE, *argv), 2, "unknown option '-t'")


def test_missing_option_value():
    assert_error(run(PROCLIFE, "trace", "-o"), 2, "-o", "needs a value")


def test_bad_values():
    assert_error(run(PROCLIFE, "trace", "-f", "xml"), 2, "unknown format", "xml")
    assert_error(run(PROCLIFE, "trace", "-p", "abc"), 2, "-p")
    assert_error(run(PROCLIFE, "trace", "-d", "-1"), 2, "-d")
    assert_error(run(PROCLIFE, "trace", "-d", "5x"), 2, "-d takes a time above 0")
    assert_error(run(PROCLIFE, "trace", "-d", "m"), 2, "-d takes a time above 0")
    assert_error(run(PROCLIFE, "trace", "--ring-kb", "100"), 2, "power of two")
    assert_error(run(PROCLIFE, "trace", "-p", "1", "--", "true"), 2, "cannot be combined")


def test_unknown_command():
    assert_error(run(PROCLIFE, "frobnicate"), 2, "unknown command")
    assert_error(run(PROCLIFE), 2, "a command is needed: trace, replay or verify")


@pytest.mark.parametrize("command", ["trace", "replay", "verify"])
def test_help_of_a_command_is_its_own(command):
    """'proclife help CMD' is 'proclife CMD --help', and --help stands
    anywhere among a command's arguments."""
    own = run(PROCLIFE, command, "--help")
    assert_eq(f"exit status ({own.stderr})", 0, own.returncode)
    assert own.stdout.startswith(f"usage: proclife {command}"), own.stdout
    for argv in (["help", command], [command, "--help", "x"]):
        r = run(PROCLIFE, *argv)
        assert_eq(f"exit status of {argv} ({r.stderr})", 0, r.returncode)
        assert_eq(f"help of {argv}", own.stdout, r.stdout)


@pytest.mark.parametrize("argv,words", [
    (["help", "frobnicate"], "no command 'frobnicate'"),
    (["--version", "x"], "--version takes nothing"),
    (["--help", "x"], "--help takes nothing"),
    (["replay", "-o", "", "x.jsonl"], "-o takes a file name, not an empty one"),
    (["trace", "-o", ""], "-o takes a file name, not an empty one"),
])
def test_words_after_what_takes_none(argv, words):
    assert_error(run(PROCLIFE, *argv), 2, words)


def free_pid():
    pid_max = int(open("/proc/sys/kernel/pid_max").read())
    for pid in range(pid_max - 1, 1, -1):
        if not os.path.exists(f"/proc/{pid}"):
            return pid
    pytest.skip("no free pid")


@needs_root
def test_p_of_a_pid_that_does_not_exist():
    pid = free_pid()
    assert_error(run(PROCLIFE, "trace", "-p", str(pid)), 1, "no process", str(pid))


@needs_root
@pytest.mark.parametrize("fmt", ["jsonl", "csv"])
def test_a_log_or_an_export_on_standard_error_is_refused(fmt):
    """proclife's own messages go there: the log would not read back."""
    assert_error(run(PROCLIFE, "trace", "-f", fmt, "-o", "/dev/stderr", "--", "true"), 1,
                 "standard error", "/dev/stderr")


@needs_root
@pytest.mark.parametrize("fmt", ["jsonl", "csv"])
def test_replay_refuses_a_log_or_an_export_on_standard_error_too(tmp_path, fmt):
    """replay's warnings go there (a log without a trailer, say)"""
    log = tmp_path / "t.jsonl"
    assert_eq("trace", 0, run(PROCLIFE, "trace", "-o", str(log), "--", "true").returncode)
    r = run(PROCLIFE, "replay", str(log), "-f", fmt, "-o", "/dev/stderr")
    assert_error(r, 1, "standard error", "/dev/stderr")


@needs_root
def test_unwritable_output(tmp_path):
    target = tmp_path / "missing-dir" / "x.jsonl"
    assert_error(run(PROCLIFE, "trace", "-o", str(target), "--", "true"), 1, "cannot open",
                 str(target))


@needs_root
def test_a_btf_file_that_is_not_one_says_what_it_is(tmp_path):
    # the file given is wrong, not the kernel: no word of CONFIG_DEBUG_INFO_BTF
    missing = tmp_path / "no-such-btf"
    assert_error(run(PROCLIFE, "trace", "--btf", str(missing), "--", "true"), 1,
                 f"cannot open BTF file '{missing}'", "No such file or directory")
    garbage = tmp_path / "garbage-btf"
    garbage.write_bytes(b"not btf at all")
    assert_error(run(PROCLIFE, "trace", "--btf", str(garbage), "--", "true"), 1,
                 f"'{garbage}' is not a BTF file")
    assert_error(run(PROCLIFE, "trace", "--btf", PROCLIFE, "--", "true"), 1,
                 f"'{PROCLIFE}' is not a BTF file", "no .BTF section")
    assert_error(run(PROCLIFE, "trace", "--btf", str(tmp_path), "--", "true"), 1,
                 f"'{tmp_path}' is a directory")
    # a FIFO no one writes would block the open for ever, signals held
    fifo = tmp_path / "btf-fifo"
    os.mkfifo(fifo)
    assert_error(run(PROCLIFE, "trace", "--btf", str(fifo), "--", "true"), 1,
                 f"'{fifo}' is not a regular file")
    bpf_object = os.path.join(os.environ.get("PROCLIFE_BUILD", "build"), "bpf", "proclife.o")
    assert_error(run(PROCLIFE, "trace", "--btf", bpf_object, "--", "true"), 1,
                 "holds BTF, but not a kernel's")
    for r in (run(PROCLIFE, "trace", "--btf", p, "--", "true") for p in (missing, garbage)):
        assert "CONFIG_DEBUG_INFO_BTF" not in r.stderr, r.stderr


@pytest.mark.parametrize("args,name", [
    (["-p", "1", "-p", "2"], "-p (--pid)"),
    (["-o", "a.jsonl", "--output", "b.jsonl"], "-o (--output)"),
    (["-f", "jsonl", "-f", "text"], "-f (--format)"),
    (["-d", "1", "--duration=2"], "-d (--duration)"),
    (["--rotate", "1M", "--rotate", "2M", "-o", "x.jsonl"], "--rotate"),
    (["--zombie-ms", "5", "--zombie-ms", "6"], "--zombie-ms"),
    (["-u", "root", "-u", "nobody", "--", "true"], "-u (--user)"),
    (["--events", "fork", "--events", "exit", "--", "true"], "--events"),
    (["--color=never", "--color=always", "--", "true"], "--color"),
])
def test_an_option_of_one_value_given_twice_is_refused(args, name):
    """-p 1 -p 2 followed pid 2 alone, without a word: which was meant?"""
    assert_error(run(PROCLIFE, "trace", *args), 2, f"{name} given twice")


@pytest.mark.parametrize("args,words", [
    (["-d", "0x10"], ["-d", "'0x10'"]),
    (["-d", " 5"], ["-d", "' 5'"]),
    (["--mechanisms", ""], ["--mechanisms needs a list"]),
    (["--mechanisms", "all,-bogus"], ["unknown mechanism 'bogus'"]),
    (["--mechanisms", "all,-"], ["unknown mechanism ''"]),
    (["--mechanisms", "base,"], ["unknown mechanism ''"]),
])
def test_values_read_another_way_are_refused(args, words):
    assert_error(run(PROCLIFE, "trace", *args), 2, *words)


def test_a_duration_past_the_limit_says_the_limit():
    assert_error(run(PROCLIFE, "trace", "-d", "4e9"), 2, "-d", "1000000000", "4e9")


def test_verify_given_a_directory_says_so(tmp_path):
    log = tmp_path / "x.jsonl"
    log.write_text('{"ev":"header","format":"proclife-events","version":1,"ts":1}\n')
    assert_error(run(PROCLIFE, "verify", str(log), str(tmp_path)), 1,
                 f"'{tmp_path}' is a directory")


@needs_root
def test_a_numeric_user_needs_no_passwd_entry(tmp_path):
    uid = next(u for u in range(99999, 60000, -1) if not known_uid(u))
    r = run(PROCLIFE, "trace", "-o", str(tmp_path / "t.jsonl"), "-u", str(uid), "--", "id")
    assert_eq(f"exit status ({r.stderr})", 0, r.returncode)
    assert f"uid={uid} gid={uid}" in r.stdout, r.stdout


def known_uid(uid):
    import pwd
    try:
        pwd.getpwuid(uid)
        return True
    except KeyError:
        return False


@needs_root
def test_not_root():
    setpriv = shutil.which("setpriv")
    if not setpriv:
        pytest.skip("setpriv (util-linux) is missing")
    r = run(setpriv, "--reuid=65534", "--regid=65534", "--clear-groups", PROCLIFE, "trace", "--",
            "true")
    assert_error(r, 1, "needs root", "CAP_BPF", "CAP_PERFMON")


@needs_root
def test_tracefs_missing_and_not_mountable():
    capsh, unshare = shutil.which("capsh"), shutil.which("unshare")
    if not capsh or not unshare:
        pytest.skip("capsh (libcap2-bin) or unshare (util-linux) is missing")
    # a private mount namespace without tracefs, and no right to mount it again
    script = ("umount /sys/kernel/tracing 2>/dev/null; umount /sys/kernel/debug 2>/dev/null; "
              f"exec {capsh} --drop=cap_sys_admin -- -c '{PROCLIFE} trace -- true'")
    r = run(unshare, "-m", "--propagation", "private", "sh", "-c", script)
    assert_error(r, 1, "tracefs", "/sys/kernel/tracing", "Operation not permitted")


@needs_root
def test_command_that_cannot_run(tmp_path):
    """as a shell, env and timeout end: 127 for a command not found, 126 for
    one found that cannot run"""
    missing = str(tmp_path / "no-such-program")
    log = tmp_path / "x.jsonl"
    assert_error(run(PROCLIFE, "trace", "-o", str(log), "--", missing), 127, "cannot run", missing)
    assert not log.exists(), "a log was left though nothing was traced (a retry would need --force)"
    assert_error(run(PROCLIFE, "trace", "--", "no-such-program-anywhere"), 127, "cannot run",
                 "No such file or directory")
    data = tmp_path / "data.txt"
    data.write_text("not a program\n")
    assert_error(run(PROCLIFE, "trace", "--", str(data)), 126, "cannot run", str(data),
                 "Permission denied")


@needs_root
def test_a_script_whose_interpreter_is_missing_says_which(tmp_path):
    script = tmp_path / "job.sh"
    script.write_text("#! /no/such/shell -e\necho hi\n")
    script.chmod(0o755)
    assert_error(run(PROCLIFE, "trace", "--", str(script)), 127, "cannot run", str(script),
                 "its interpreter '/no/such/shell' was not found")


@needs_root
def test_the_command_found_in_path_with_no_failed_exec(tmp_path):
    """the tracer searches PATH for the command as execvp would, but with no
    exec per directory: those would be failed execs of the traced command"""
    first, second = tmp_path / "first", tmp_path / "second"
    first.mkdir()
    second.mkdir()
    (first / "job").write_text("not runnable: skipped, as execvp skips it\n")
    (second / "job").write_text("#!/bin/sh\nexit 3\n")
    (second / "job").chmod(0o755)
    log = tmp_path / "t.jsonl"
    env = {**os.environ, "PATH": f"/nonexistent:{first}:{second}:/usr/bin:/bin"}
    r = run(PROCLIFE, "trace", "-o", str(log), "--", "job", env=env)
    assert_eq(f"the command's status ({r.stderr})", 3, r.returncode)
    events = read_log(log)
    assert_eq("failed execs", [], [e for e in events if e["ev"] == "exec_failed"])
    execs = [e["filename"] for e in events if e["ev"] == "exec"]
    assert execs[:1] == [str(second / "job")], execs


@needs_root
def test_p_of_a_thread_names_its_process(tmp_path):
    code = ("import sys, threading, time\n"
            "t = threading.Thread(target=time.sleep, args=(30,), daemon=True)\n"
            "t.start(); print(t.native_id, flush=True); time.sleep(30)\n")
    p = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True)
    try:
        tid = int(p.stdout.readline())
        assert_error(run(PROCLIFE, "trace", "-p", str(tid), "-d", "1"), 1,
                     f"{tid} is a thread of process {p.pid}", f"-p {p.pid}")
    finally:
        p.kill()
        p.wait()


@needs_root
def test_sigterm_leaves_a_complete_log(tmp_path):
    import signal
    from conftest import read_log, wait_attached
    log = tmp_path / "t.jsonl"
    p = subprocess.Popen([PROCLIFE, "trace", "-o", str(log)], stderr=subprocess.PIPE, text=True)
    wait_attached(p)
    assert_eq("a traced command", 0, run(LIFECYCLE, "fork-exit", "3").returncode)
    p.send_signal(signal.SIGTERM)
    p.communicate(timeout=30)
    assert_eq("exit status after SIGTERM", 0, p.returncode)
    events = read_log(log)
    assert_eq("first line", "header", events[0]["ev"])
    assert_eq("last line", "trailer", events[-1]["ev"])


@needs_root
@pytest.mark.parametrize("duration", ["0.005m", ".005m"])
def test_a_duration_with_a_unit(tmp_path, duration):
    """-d 0.005m is 0.3 s: the trace lasts that long, not 0.005 s; as
    timeout(1) takes it, .005m is the same"""
    log = tmp_path / "t.jsonl"
    r = run(PROCLIFE, "trace", "-d", duration, "-f", "jsonl", "-o", str(log))
    assert_eq(f"exit status ({r.stderr})", 0, r.returncode)
    events = read_log(log)
    assert_eq("last line", "trailer", events[-1]["ev"])
    assert events[-1]["ts"] - events[0]["ts"] >= 300000000, "stopped before 0.3 s"


@pytest.mark.parametrize("duration", [".", ".e5", ".s"])
def test_a_duration_that_is_only_a_point_is_refused(duration):
    assert_error(run(PROCLIFE, "trace", "-d", duration), 2, "-d takes a time above 0")


def test_a_name_with_a_newline_or_escape_is_one_error_line(tmp_path):
    """A path is any bytes: said in the error, it neither ends the line
    nor works on the terminal."""
    r = run(PROCLIFE, "replay", str(tmp_path / "bad\x1b[31mname\nnext"))
    assert_eq(f"exit status ({r.stderr!r})", 1, r.returncode)
    assert_eq("lines on stderr", 1, len(r.stderr.splitlines()))
    assert "\x1b" not in r.stderr, repr(r.stderr)
    assert "bad?[31mname?next" in r.stderr, repr(r.stderr)

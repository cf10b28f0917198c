# SPDX-License-Identifier: BSD-2-Clause
"""A log that rotates, by size (--rotate) or when logrotate has moved it
(SIGUSR2): every event of the workload in exactly one file, each file a
whole log that replays alone, and the files joined again as the README
says hold every fact of the workload's ground truth."""
import json
import os
import random
import re
import signal
import subprocess
import time

import pytest

from conftest import PROCLIFE, WORKLOAD, assert_eq, needs_root, read_log, wait_attached

pytestmark = needs_root

# the README's way of joining a rotated log's files, oldest first: the
# first whole, from each later one what follows its header and restated
# processes, and only the last trailer
JOIN = ("awk 'FNR==1 && NR>1 {later=1} later && /^\\{\"ev\":\"(header|follow|proc)\"/ {next} "
        "/^\\{\"ev\":\"trailer\"/ {t=$0; next} {print} END {print t}'")
# the events of a workload's processes: each must be in exactly one file
LIFE_EVENTS = ("fork", "exec", "exit", "zombie", "reap", "reparent")


def parts_oldest_first(log):
    """FILE.N ... FILE.1 FILE, as they exist."""
    numbered = []
    for name in os.listdir(log.parent):
        m = re.fullmatch(re.escape(log.name) + r"\.(\d+)", name)
        if m:
            numbered.append((int(m.group(1)), log.parent / name))
    return [p for _, p in sorted(numbered, reverse=True)] + [log]


def check_each_part_alone(parts):
    """Each file: a header first (part numbers in order, one trace), a
    trailer last that counts its lines, and a replay of it alone that
    finds nothing uncertain."""
    first = None
    for n, path in enumerate(parts, 1):
        events = read_log(path)
        header, trailer = events[0], events[-1]
        assert_eq(f"{path.name}: first line", "header", header["ev"])
        assert_eq(f"{path.name}: last line", "trailer", trailer["ev"])
        if n == 1:
            first = header
            assert "part" not in header, f"{path.name} is the first part: {header}"
        else:
            assert_eq(f"{path.name}: part", n, header.get("part"))
            assert_eq(f"{path.name}: trace_start", first["ts"], header.get("trace_start"))
        counted = {}
        for e in events[1:-1]:
            if e["ev"] not in ("lost", "follow"):
                counted[e["ev"]] = counted.get(e["ev"], 0) + 1
        assert_eq(f"{path.name}: the trailer's counts",
                  counted, {k: v for k, v in trailer["events"].items() if v})
        r = subprocess.run([PROCLIFE, "replay", str(path), "-f", "summary"], capture_output=True,
                           text=True, timeout=60)
        assert_eq(f"replay of {path.name} alone ({r.stderr})", 0, r.returncode)
        assert_eq(f"{path.name}: replay's warnings", "", r.stderr)
        assert "uncertain facts (whole machine): 0" in r.stdout, r.stdout


def life_events(parts):
    """{(kind, pid): how many files tell it} for the life events of every process."""
    seen = {}
    for path in parts:
        for e in read_log(path):
            if e["ev"] in LIFE_EVENTS:
                key = (e["ev"], e["pid"])
                seen[key] = seen.get(key, 0) + 1
    return seen


def check_every_event_once(parts, manifests):
    """Every process the workload made was born, exited, became a zombie
    and was reaped, each told in exactly one file."""
    seen = life_events(parts)
    for manifest in manifests:
        procs = [p for run in json.loads(manifest.read_text())["runs"] for p in run["procs"]]
        assert procs, f"{manifest.name} lists no process"
        wrong = {p["pid"]: {ev: seen.get((ev, p["pid"]), 0) for ev in LIFE_EVENTS}
                 for p in procs}
        wrong = {pid: n for pid, n in wrong.items()
                 if n != {"fork": 1, "exec": 0, "exit": 1, "zombie": 1, "reap": 1, "reparent": 0}}
        assert not wrong, f"processes of {manifest.name} not told exactly once: {wrong}"


def check_joined_holds_the_ground_truth(parts, manifest):
    """The files joined as the README says: verify finds every fact."""
    joined = parts[-1].parent / "joined.jsonl"
    subprocess.run(f"{JOIN} {' '.join(str(p) for p in parts)} > {joined}", shell=True,
                   check=True)
    r = subprocess.run([PROCLIFE, "verify", str(joined), str(manifest)], capture_output=True,
                       text=True, timeout=120)
    assert_eq(f"verify of the joined log:\n{r.stdout}{r.stderr}", 0, r.returncode)
    assert " 0 differ" in r.stdout, r.stdout
    # the files themselves, in any order: the same verdict, line for line
    shuffled = list(parts)
    random.Random(3).shuffle(shuffled)
    r2 = subprocess.run([PROCLIFE, "verify", *map(str, shuffled), str(manifest)],
                        capture_output=True, text=True, timeout=120)
    assert_eq(f"verify of the files:\n{r2.stdout}{r2.stderr}", 0, r2.returncode)
    assert_eq("verify of the files: warnings", "", r2.stderr)
    assert_eq("verify of the files against that of the joined log", r.stdout, r2.stdout)


def replay(*args):
    return subprocess.run([PROCLIFE, "replay", *map(str, args)], capture_output=True, text=True,
                          timeout=120)


def check_replayed_as_one(parts):
    """replay given every file, in any order, reads them as one log: what
    it shows is what it shows of the files joined as the README says"""
    joined = parts[-1].parent / "joined.jsonl"
    shuffled = list(reversed(parts))
    random.Random(7).shuffle(shuffled)
    for fmt in ("summary", "jsonl", "csv"):
        want = replay(joined, "-f", fmt)
        assert_eq(f"replay -f {fmt} of the joined log ({want.stderr})", 0, want.returncode)
        got = replay(*shuffled, "-f", fmt)
        assert_eq(f"replay -f {fmt} of the files ({got.stderr})", 0, got.returncode)
        assert_eq(f"replay -f {fmt} of the files: warnings", "", got.stderr)
        assert got.stdout == want.stdout, \
            f"replay -f {fmt} of the files differs from that of the joined log"


def test_rotate_by_size_loses_no_event(tmp_path):
    log, manifest = tmp_path / "events.jsonl", tmp_path / "m.json"
    r = subprocess.run([PROCLIFE, "trace", "-f", "jsonl", "-o", str(log), "--rotate", "64K,100",
                        "--", WORKLOAD, "spawn-churn", "--tasks", "800", "--manifest",
                        str(manifest)], capture_output=True, text=True, timeout=300,
                       stdin=subprocess.DEVNULL)
    assert_eq(f"proclife trace exit status ({r.stderr})", 0, r.returncode)
    parts = parts_oldest_first(log)
    assert len(parts) >= 3, f"800 lives in 64K files made only {len(parts)} files"
    check_each_part_alone(parts)
    check_every_event_once(parts, [manifest])
    check_joined_holds_the_ground_truth(parts, manifest)
    check_replayed_as_one(parts)


def test_a_rotated_log_replayed_with_a_part_missing_says_which(tmp_path):
    """The files of one log, one of them missing between two given: one
    clear error naming it (the lives that span it would be told wrong), as
    for files of another trace or one part given twice; the files after
    the oldest rotated away read as a log of their own"""
    log = tmp_path / "events.jsonl"
    r = subprocess.run([PROCLIFE, "trace", "-f", "jsonl", "-o", str(log), "--rotate", "64K,100",
                        "--", WORKLOAD, "spawn-churn", "--tasks", "1200"], capture_output=True,
                       text=True, timeout=300, stdin=subprocess.DEVNULL)
    assert_eq(f"proclife trace exit status ({r.stderr})", 0, r.returncode)
    parts = parts_oldest_first(log)
    assert len(parts) >= 5, f"1200 lives in 64K files made only {len(parts)} files"
    other = tmp_path / "other.jsonl"
    r = subprocess.run([PROCLIFE, "trace", "-f", "jsonl", "-o", str(other), "--", "true"],
                       capture_output=True, text=True, timeout=60, stdin=subprocess.DEVNULL)
    assert_eq(f"proclife trace of true ({r.stderr})", 0, r.returncode)
    for files, status, words in (
            ([*parts[:1], *parts[2:]], 1,
             f"part 2 of the log is missing, between '{parts[0]}' (part 1) and '{parts[2]}' "
             "(part 3): replay the files before it and after it apart"),
            ([*parts[4:], *parts[:2]], 1,
             f"parts 3 to 4 of the log are missing, between '{parts[1]}' (part 2) and "
             f"'{parts[4]}' (part 5): replay the files before them and after them apart"),
            ([other, *parts], 1, "are not parts of one log"),
            ([parts[1], *parts], 1, "are both part 2 of the log"),
            ([parts[0], "-"], 2, "standard input ('-') is a log alone")):
        r = replay(*files, "-f", "summary")
        assert_eq(f"replay of {files}: status ({r.stderr})", status, r.returncode)
        assert_eq(f"replay of {files}: output", "", r.stdout)
        assert r.stderr.startswith("error: ") and r.stderr.count("\n") == 1 and words in r.stderr, \
            r.stderr
    # the first two rotated away: the rest replay as a whole log
    r = replay(*parts[2:], "-f", "summary")
    assert_eq(f"replay of parts 3 on ({r.stderr})", 0, r.returncode)
    assert_eq("replay of parts 3 on: warnings", "", r.stderr)
    assert "uncertain facts (whole machine): 0" in r.stdout, r.stdout


def wait_for(what, cond, tracer, seconds=60):
    """Polls cond() until it holds; fails if the tracer ends or time runs out."""
    deadline = time.monotonic() + seconds
    while not cond():
        assert tracer.poll() is None, f"the tracer ended while waiting for {what}"
        assert time.monotonic() < deadline, f"gave up waiting for {what}"
        time.sleep(0.01)


def tracing(log, script):
    """the tracer writing log, running a shell script as its command"""
    return subprocess.Popen([PROCLIFE, "trace", "-f", "jsonl", "-o", str(log), "--",
                             "sh", "-c", script], stderr=subprocess.PIPE, text=True,
                            stdin=subprocess.DEVNULL)


def in_rounds(tmp_path, log, rounds, between, status=0):
    """The workload, rounds times, the tracer writing the log all along;
    between(tracer, i) after round i, before the next begins; the tracer
    ends with status. The tracer's stderr."""
    go = tmp_path / "go"
    os.mkfifo(go)
    script = (f"for i in $(seq {rounds}); do {WORKLOAD} spawn-churn --tasks 150 "
              f"--manifest {tmp_path}/m$i.json >/dev/null && read x < {go}; done")
    tracer = tracing(log, script)
    try:
        wait_attached(tracer)
        for i in range(1, rounds + 1):
            wait_for(f"round {i}'s manifest", (tmp_path / f"m{i}.json").exists, tracer)
            between(tracer, i)
            with open(go, "w") as f:
                f.write("next\n")
        _, err = tracer.communicate(timeout=120)
    finally:
        if tracer.poll() is None:
            tracer.kill()
    assert_eq(f"proclife trace exit status ({err})", status, tracer.returncode)
    return err


def test_sigusr2_after_logrotate_moved_the_file_loses_no_event(tmp_path):
    """As logrotate does it: mv the log away, then SIGUSR2 (postrotate).
    Three rounds of the workload, the log moved between them while the
    tracer keeps tracing."""
    log, rounds = tmp_path / "events.jsonl", 3

    def rotate(tracer, i):
        # logrotate's own numbering: the newest moved file is .1
        for n in range(i - 1, 0, -1):
            os.rename(f"{log}.{n}", f"{log}.{n + 1}")
        os.rename(log, f"{log}.1")
        tracer.send_signal(signal.SIGUSR2)
        wait_for("the log reopened at its path", log.exists, tracer)

    in_rounds(tmp_path, log, rounds, rotate)
    parts = parts_oldest_first(log)
    assert_eq("files", rounds + 1, len(parts))
    check_each_part_alone(parts)
    check_every_event_once(parts, [tmp_path / f"m{i}.json" for i in range(1, rounds + 1)])


def logrotate_create(tracer, log, mode, owner=None):
    """as logrotate's create does it: the log moved to .1, an empty file
    made in its place (mode, and owner uid), then SIGUSR2 (postrotate)"""
    os.rename(log, f"{log}.1")
    fd = os.open(log, os.O_WRONLY | os.O_CREAT | os.O_EXCL, mode)
    os.fchmod(fd, mode)
    if owner is not None:
        os.fchown(fd, owner, owner)
    os.close(fd)
    tracer.send_signal(signal.SIGUSR2)


def test_sigusr2_after_logrotate_created_an_empty_file_goes_on_in_it(tmp_path):
    """logrotate's create: the log moved away, an empty file with the mode
    asked for made in its place, then SIGUSR2: the log goes on in that file,
    which keeps its mode."""
    log = tmp_path / "events.jsonl"

    def rotate(tracer, i):
        if i > 1:
            return
        logrotate_create(tracer, log, 0o640)
        wait_for("the log begun in the new file", lambda: log.stat().st_size > 0, tracer)

    err = in_rounds(tmp_path, log, 2, rotate)
    assert "error" not in err, err
    assert_eq("its mode, as logrotate made it", 0o640, log.stat().st_mode & 0o777)
    parts = parts_oldest_first(log)
    assert_eq("files", 2, len(parts))
    check_each_part_alone(parts)
    check_every_event_once(parts, [tmp_path / "m1.json", tmp_path / "m2.json"])


def test_a_zombie_across_a_rotation_has_its_whole_time_in_the_later_part(tmp_path):
    """A zombie when the log rotates is restated at the start of the next
    part, where its reap tells its whole time: that part replayed alone
    says that time as exact, as the reap line does, not as a lower bound."""
    log, go, pid_file = tmp_path / "events.jsonl", tmp_path / "go", tmp_path / "child"
    os.mkfifo(go)
    # a child left a zombie until the test says go, then reaped
    script = ("import os\n"
              "pid = os.fork()\n"
              "if pid == 0: os._exit(3)\n"
              f"open('{pid_file}', 'w').write(str(pid))\n"
              f"open('{go}').read()\n"
              "os.waitpid(pid, 0)\n")
    tracer = subprocess.Popen([PROCLIFE, "trace", "-f", "jsonl", "-o", str(log), "--",
                               "/usr/bin/python3", "-c", script], stderr=subprocess.PIPE,
                              text=True, stdin=subprocess.DEVNULL)
    try:
        wait_attached(tracer)
        wait_for("the child's pid", lambda: pid_file.exists() and pid_file.read_text(), tracer)
        child = int(pid_file.read_text())
        wait_for("the child's exit in the log",
                 lambda: any(e["ev"] == "exit" and e["pid"] == child for e in read_log(log)),
                 tracer)
        os.rename(log, f"{log}.1")
        tracer.send_signal(signal.SIGUSR2)
        wait_for("the log reopened at its path", log.exists, tracer)
        with open(go, "w") as f:
            f.write("reap it\n")
        _, err = tracer.communicate(timeout=60)
    finally:
        if tracer.poll() is None:
            tracer.kill()
    assert_eq(f"exit status ({err})", 0, tracer.returncode)
    later = read_log(log)
    (restated,) = [e for e in later if e["ev"] == "proc" and e["pid"] == child]
    assert restated.get("zombie"), f"not restated as a zombie: {restated}"
    (reap,) = [e for e in later if e["ev"] == "reap" and e["pid"] == child]
    assert "at_least" not in reap, f"the reap's time is a lower bound: {reap}"
    r = subprocess.run([PROCLIFE, "replay", str(log), "-f", "summary"], capture_output=True,
                       text=True, timeout=60)
    assert_eq(f"replay of the later part alone ({r.stderr})", 0, r.returncode)
    (row,) = [l for l in r.stdout.splitlines() if re.match(rf"\s*{child}\s", l)
              and l.rstrip().endswith(("wait", "(at least)"))]
    assert row.rstrip().endswith(" wait"), f"its time told as a bound: {row}"


def test_a_log_emptied_where_it_lies_begins_again_in_it(tmp_path):
    """logrotate's copytruncate: the log copied, then emptied in place, with
    no signal. The tracer sees it, says so, and the log begins again with a
    header where it was (no hole of NUL bytes), a whole log of its own."""
    log = tmp_path / "events.jsonl"

    def copytruncate(tracer, i):
        if i > 1:
            return
        with open(log, "rb") as f, open(f"{log}.1", "wb") as copy:
            copy.write(f.read())
        os.truncate(log, 0)
        for line in tracer.stderr:  # the workload's own lines come here too
            if line.startswith("warning: "):
                assert "emptied where it lay" in line, line
                break

    in_rounds(tmp_path, log, 2, copytruncate)
    events = read_log(log)
    assert_eq("first line", "header", events[0]["ev"])
    assert_eq("its part", 2, events[0].get("part"))
    assert_eq("last line", "trailer", events[-1]["ev"])
    r = subprocess.run([PROCLIFE, "replay", str(log), "-f", "summary"], capture_output=True,
                       text=True, timeout=60)
    assert_eq(f"replay of it ({r.stderr})", 0, r.returncode)
    assert_eq("replay's warnings", "", r.stderr)
    # the round after it, whole in the log begun again
    check_every_event_once([log], [tmp_path / "m2.json"])


def test_a_next_file_that_cannot_be_opened_is_an_error_in_the_status(tmp_path):
    """logrotate's create made the new file for a user the tracer, its
    privileges dropped, cannot write for: an error, the log goes on in the
    moved file, and the trace's status says it failed."""
    log = tmp_path / "events.jsonl"

    def rotate(tracer, i):
        if i > 1:
            return
        logrotate_create(tracer, log, 0o600, owner=65534)
        for line in tracer.stderr:
            if line.startswith(("error: ", "warning: ")):
                assert line.startswith("error: cannot open"), line
                break

    in_rounds(tmp_path, log, 2, rotate, status=1)
    check_each_part_alone([log.parent / f"{log.name}.1"])


def test_sigusr2_with_the_file_still_in_place_goes_on_in_it(tmp_path):
    log = tmp_path / "events.jsonl"
    tracer = subprocess.Popen([PROCLIFE, "trace", "-f", "jsonl", "-o", str(log), "--",
                               "sh", "-c", "read x"], stdin=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True)
    try:
        wait_attached(tracer)
        tracer.send_signal(signal.SIGUSR2)
        line = tracer.stderr.readline()
        assert line.startswith("warning: ") and "was not moved away" in line, line
        tracer.stdin.write("done\n")
        _, err = tracer.communicate(timeout=60)
    finally:
        if tracer.poll() is None:
            tracer.kill()
    assert_eq(f"exit status ({err})", 0, tracer.returncode)
    assert_eq("files", [log], parts_oldest_first(log))
    check_each_part_alone([log])


def test_sigusr2_without_a_log_file_is_ignored_with_a_warning(tmp_path):
    tracer = subprocess.Popen([PROCLIFE, "trace", "-f", "jsonl", "--", "sh", "-c", "read x"],
                              stdin=subprocess.PIPE, stdout=subprocess.DEVNULL,
                              stderr=subprocess.PIPE, text=True)
    try:
        wait_attached(tracer)
        tracer.send_signal(signal.SIGUSR2)
        line = tracer.stderr.readline()
        assert_eq("the warning", "warning: SIGUSR2 reopens a JSONL log file (-f jsonl -o FILE): "
                  "ignored\n", line)
        tracer.stdin.write("done\n")
        _, err = tracer.communicate(timeout=60)
    finally:
        if tracer.poll() is None:
            tracer.kill()
    assert_eq(f"exit status ({err})", 0, tracer.returncode)


def test_a_restart_with_rotate_keeps_the_last_log(tmp_path):
    """A service restarted: the log of the run before moves to FILE.1."""
    log = tmp_path / "events.jsonl"
    for run in (1, 2):
        r = subprocess.run([PROCLIFE, "trace", "-f", "jsonl", "-o", str(log), "--rotate", "1M",
                            "--", "sh", "-c", f"exit {run}"], capture_output=True, text=True,
                           timeout=60, stdin=subprocess.DEVNULL)
        assert_eq(f"run {run}: the command's status ({r.stderr})", run, r.returncode)
    assert_eq("files", [tmp_path / "events.jsonl.1", log], parts_oldest_first(log))
    statuses = [read_log(p)[-1]["exit_status"] >> 8 for p in parts_oldest_first(log)]
    assert_eq("the runs' commands' exit codes, oldest first", [1, 2], statuses)


@pytest.mark.parametrize("args, message", [
    (["--rotate", "1M"], "--rotate rotates a JSONL log file: give -f jsonl -o FILE"),
    (["-o", "x.txt", "--rotate", "1M"],
     "--rotate rotates a JSONL log file: give -f jsonl -o FILE"),
    (["-f", "jsonl", "-o", "x.jsonl", "--rotate", "10"],
     "--rotate takes SIZE[,COUNT] with SIZE from 64K to 1024G (e.g. 100M or 100M,10), not '10'"),
    (["-f", "jsonl", "-o", "x.jsonl", "--rotate", "1X"],
     "--rotate takes SIZE[,COUNT] with SIZE from 64K to 1024G (e.g. 100M or 100M,10), not '1X'"),
    (["-f", "jsonl", "-o", "x.jsonl", "--rotate", " 1M"],
     "--rotate takes SIZE[,COUNT] with SIZE from 64K to 1024G (e.g. 100M or 100M,10), not ' 1M'"),
    (["-f", "jsonl", "-o", "x.jsonl", "--rotate", "+1M"],
     "--rotate takes SIZE[,COUNT] with SIZE from 64K to 1024G (e.g. 100M or 100M,10), not '+1M'"),
    (["-f", "jsonl", "-o", "x.jsonl", "--rotate", "1M,0"],
     "--rotate's COUNT takes a whole number from 1 to 1000, not '0'"),
    (["-f", "jsonl", "-o", "x.jsonl", "--rotate", "1M,"],
     "--rotate's COUNT takes a whole number from 1 to 1000, not ''"),
])
def test_bad_rotate_is_one_clear_line(tmp_path, args, message):
    r = subprocess.run([PROCLIFE, "trace", *args, "--", "true"], capture_output=True, text=True,
                       cwd=tmp_path, timeout=30)
    assert_eq("exit status", 2, r.returncode)
    assert_eq("stderr", f"error: {message}\n", r.stderr)
    assert_eq("files left", [], os.listdir(tmp_path))


@pytest.mark.parametrize("target", ["/dev/stdout", "fifo", "/dev/null"])
def test_only_a_file_is_rotated(tmp_path, target):
    """A stream's, a device's or a FIFO's name is not the log's own to
    move: rotating it renamed /dev/stdout for the whole machine."""
    if target == "fifo":
        target = str(tmp_path / "fifo")
        os.mkfifo(target)
        reader = os.open(target, os.O_RDONLY | os.O_NONBLOCK)
    before = os.lstat(target)
    with open(tmp_path / "out", "w") as out:
        r = subprocess.run([PROCLIFE, "trace", "-f", "jsonl", "-o", target, "--force",
                            "--rotate", "64K,2", "--", "true"], stdout=out, stderr=subprocess.PIPE,
                           text=True, timeout=30, stdin=subprocess.DEVNULL)
    if "reader" in locals():
        os.close(reader)
    assert_eq("exit status", 1, r.returncode)
    assert_eq("stderr", f"error: --rotate rotates a JSONL log file: '{target}' is not a file\n",
              r.stderr)
    after = os.lstat(target)
    assert_eq(f"{target} itself", (before.st_ino, before.st_mode), (after.st_ino, after.st_mode))
    assert not os.path.lexists(target + ".1"), f"{target} was rotated"


@pytest.mark.parametrize("how", [
    ["trace", "-f", "jsonl", "--rotate", "64K"],
    ["trace", "-f", "jsonl", "--force"],
    ["trace", "-f", "text", "--force"],
    ["trace", "-f", "csv", "--force"],
    ["replay", "-f", "jsonl", "--force"],
], ids=["rotate", "force", "text", "export", "replay"])
def test_a_log_another_tracer_writes_is_left_alone(tmp_path, how):
    """Another proclife given the same file would move (--rotate), empty or
    replace (--force) the first one's live log: it refuses, and the first
    goes on."""
    log = tmp_path / "events.jsonl"
    first = subprocess.Popen([PROCLIFE, "trace", "-f", "jsonl", "-o", str(log), "--rotate", "64K"],
                             stderr=subprocess.PIPE, text=True, stdin=subprocess.DEVNULL)
    try:
        wait_attached(first)
        inode = os.stat(log).st_ino
        other = tmp_path / "other.jsonl"
        other.write_text('{"ev":"header","format":"proclife-events","version":2,"ts":1}\n')
        args = [*how, "-o", str(log)] + ([str(other)] if how[0] == "replay" else ["--", "true"])
        second = subprocess.run([PROCLIFE, *args], capture_output=True, text=True, timeout=60,
                                stdin=subprocess.DEVNULL)
        assert_eq(f"the second's status ({second.stderr})", 1, second.returncode)
        assert_eq("what it said", f"error: '{log}' is being written by another proclife: "
                  "give another -o FILE\n", second.stderr)
        assert_eq("the first's log, in place", inode, os.stat(log).st_ino)
    finally:
        first.send_signal(signal.SIGTERM)
        _, err = first.communicate(timeout=30)
    assert_eq(f"the first's status ({err})", 0, first.returncode)
    assert_eq("files", [log], parts_oldest_first(log))
    assert_eq("the first's log ends whole", "trailer", read_log(log)[-1]["ev"])


def test_a_rotation_that_cannot_move_the_log_says_so_once_and_fails(tmp_path):
    """FILE.1 is a folder with something in it, so FILE cannot become it:
    every rotation fails, the log goes on whole in FILE, it is said once
    (not at every SIZE written), and the trace's exit status says it
    failed."""
    log, manifest = tmp_path / "events.jsonl", tmp_path / "m.json"
    (tmp_path / "events.jsonl.1").mkdir()
    (tmp_path / "events.jsonl.1" / "x").write_text("x")
    r = subprocess.run([PROCLIFE, "trace", "-f", "jsonl", "-o", str(log), "--rotate", "64K,1",
                        "--", WORKLOAD, "spawn-churn", "--tasks", "800", "--manifest",
                        str(manifest)], capture_output=True, text=True, timeout=300,
                       stdin=subprocess.DEVNULL)
    assert_eq(f"proclife trace exit status ({r.stderr})", 1, r.returncode)
    errors = [l for l in r.stderr.splitlines() if l.startswith(("error:", "warning:"))]
    assert_eq("what it said of the rotations", [
        f"error: cannot rotate '{log}' to '{log}.1': Is a directory",
        f"warning: {log}: the log goes on in the file it was writing"], errors)
    assert log.stat().st_size > 4 * 65536, "the rotations were not even tried"
    check_each_part_alone([log])
    check_every_event_once([log], [manifest])


def test_rotate_in_a_folder_the_user_cannot_write_is_refused_at_start(tmp_path):
    """Run under sudo, the log's files are made and moved as sudo's user:
    a folder that user cannot write is said before anything starts, not at
    each rotation."""
    folder = tmp_path / "root-only"
    folder.mkdir(mode=0o755)
    (folder / "events.jsonl").write_text("the last run's log\n")
    (folder / "events.jsonl.1").write_text("the run's before\n")
    env = dict(os.environ, SUDO_UID="65534", SUDO_GID="65534", SUDO_USER="nobody")
    r = subprocess.run([PROCLIFE, "trace", "-f", "jsonl", "-o", str(folder / "events.jsonl"),
                        "--rotate", "64K", "--", "true"], capture_output=True, text=True,
                       timeout=60, stdin=subprocess.DEVNULL, env=env)
    assert_eq("exit status", 1, r.returncode)
    assert_eq("stderr", f"error: --rotate moves the log's files in '{folder}', which this trace "
              "cannot write: Permission denied\n", r.stderr)
    assert_eq("the logs there, untouched",
              {"events.jsonl": "the last run's log\n", "events.jsonl.1": "the run's before\n"},
              {p.name: p.read_text() for p in folder.iterdir()})


def test_a_later_part_says_who_each_running_process_runs_as(tmp_path):
    """a process running across a rotation is restated at the new part's
    start with its user and cgroup, so that the part replayed alone finds
    it by them"""
    log, pidfile = tmp_path / "who.jsonl", tmp_path / "pid"
    script = (f"setpriv --reuid=65534 --regid=65534 --clear-groups sleep 120 & "
              f"echo $! > {pidfile}; wait")
    tracer = tracing(log, script)
    try:
        wait_attached(tracer)
        wait_for("the sleep's exec as nobody in the log",
                 lambda: '"comm":"sleep"' in log.read_text() and '"uid":65534' in log.read_text(),
                 tracer)
        os.rename(log, f"{log}.1")
        tracer.send_signal(signal.SIGUSR2)
        wait_for("the log reopened at its path", log.exists, tracer)
        os.kill(int(pidfile.read_text()), signal.SIGTERM)
        _, err = tracer.communicate(timeout=60)
    finally:
        if tracer.poll() is None:
            tracer.kill()
        if pidfile.exists():
            subprocess.run(["pkill", "-F", str(pidfile)])
    assert_eq(f"proclife trace exit status ({err})", 0, tracer.returncode)
    sleep_pid = int(pidfile.read_text())
    (restated,) = [e for e in read_log(log) if e["ev"] == "proc" and e["pid"] == sleep_pid]
    assert_eq("its user, restated", 65534, restated.get("uid"))
    assert "cgroup_id" in restated, restated
    tree = subprocess.run([PROCLIFE, "replay", str(log), "--uid", "65534", "-f", "tree"],
                          capture_output=True, text=True, timeout=60).stdout
    assert f"{sleep_pid} sleep" in tree, tree

# SPDX-License-Identifier: BSD-2-Clause
"""A kernel that refuses a BPF program its probes said it would take:
proclife loads again without the mechanisms that chose that program, says
so in one warning, and still tells every fact of a workload's ground
truth; a program nothing can replace is named in one error line. The
refusals are the kernel's own answers made to fail: strace fails the one
bpf() call that loads (or attaches) that program."""
import json
import re
import resource
import shutil
import subprocess

import pytest

from conftest import PROCLIFE, WORKLOAD, assert_eq, needs_root

pytestmark = [needs_root,
              pytest.mark.skipif(not shutil.which("strace"), reason="needs strace")]


def trace_argv(tmp_path, scenario):
    return [PROCLIFE, "trace", "--force", "-f", "jsonl", "-o", str(tmp_path / "trace.jsonl"),
            "--", WORKLOAD, scenario, "--manifest", str(tmp_path / "manifest.json")]


def run(argv, tmp_path, *strace_args):
    """argv under strace, which sees only the tracer's own bpf() calls"""
    calls = tmp_path / "bpf-calls"
    return subprocess.run(["strace", "-qq", "-e", "trace=bpf", "-e", "signal=none",
                           "-o", str(calls), *strace_args, *argv],
                          capture_output=True, text=True, timeout=300,
                          stdin=subprocess.DEVNULL), calls


def header(tmp_path):
    with open(tmp_path / "trace.jsonl") as f:
        return json.loads(f.readline())


def call_of(tmp_path, scenario, prog, command):
    """the ordinal among the tracer's bpf() calls of the one that loads prog
    (a name of at most 15 characters: the kernel keeps no more), or of the
    first that attaches it; None when the kernel did not get that program.
    The tracer makes the same calls in the same order each time it runs"""
    r, calls = run(trace_argv(tmp_path, scenario), tmp_path)
    assert_eq(f"a plain run's exit status ({r.stderr})", 0, r.returncode)
    lines = [l for l in calls.read_text().splitlines() if l.startswith("bpf(")]
    load = next((i for i, l in enumerate(lines)
                 if l.startswith("bpf(BPF_PROG_LOAD") and f'prog_name="{prog}"' in l), None)
    if load is None or command == "BPF_PROG_LOAD":
        return None if load is None else load + 1, header(tmp_path)
    fd = re.search(r"\) = (\d+)$", lines[load]).group(1)
    attach = next(i for i, l in enumerate(lines)
                  if l.startswith(f"bpf({command}") and f"prog_fd={fd}" in l)
    return attach + 1, header(tmp_path)


def refused(tmp_path, scenario, prog, command="BPF_PROG_LOAD", every_call_after=False):
    """the scenario traced with the kernel refusing prog: libbpf asks again
    once (a load with the verifier's log; an attach, after EINVAL, the
    older way), and is refused that time too. every_call_after: every
    bpf() call from that one on fails"""
    n, plain = call_of(tmp_path, scenario, prog, command)
    if n is None:
        pytest.skip(f"this kernel does not get {prog}")
    error = "EPERM" if command == "BPF_PROG_LOAD" else "EINVAL"
    when = f"{n}+" if every_call_after else f"{n}..{n + 1}"
    r, calls = run(trace_argv(tmp_path, scenario), tmp_path,
                   "-e", f"inject=bpf:error={error}:when={when}")
    assert "INJECTED" in calls.read_text(), "strace failed no call"
    return r, plain


def warnings(r):
    return [l for l in r.stderr.splitlines() if l.startswith("warning: ")]


def traced_with_one_warning(r):
    """the trace ran to its end, and said one warning: that line"""
    assert_eq(f"exit status ({r.stderr})", 0, r.returncode)
    w = warnings(r)
    assert_eq(f"warnings ({r.stderr})", 1, len(w))
    return w[0]


def assert_all_facts_told(tmp_path):
    r = subprocess.run([PROCLIFE, "verify", str(tmp_path / "trace.jsonl"),
                        str(tmp_path / "manifest.json")], capture_output=True, text=True,
                       timeout=120)
    m = re.search(r"verify: (\d+) process(?:es)?, (\d+) facts? checked, (\d+) differ", r.stdout)
    assert m, f"no verdict line:\n{r.stdout}{r.stderr}"
    assert_eq(f"facts that differ:\n{r.stdout}", 0, int(m.group(3)))
    assert int(m.group(2)) > 0, f"nothing was compared:\n{r.stdout}"


@pytest.mark.parametrize("prog, command, aspect, before, after, without", [
    # the orphan's new parent is read through the task pointer kept at exit
    ("on_switch", "BPF_PROG_LOAD", "orphan_lookup", "kfunc", "task_pointer", "kfunc"),
    # a hook of its own: OOM kills are told as the kernel's
    ("on_oom_victim", "BPF_PROG_LOAD", "oom_kills", "mark_victim", "kernel", "oom-victim"),
    # refused as it attaches, not as it loads
    ("on_cgroup_mkdir", "BPF_LINK_CREATE", "cgroup_names", "mkdir", "lookup", "cgroup-names"),
])
def test_a_refused_program_gives_way_to_the_next(tmp_path, prog, command, aspect, before, after,
                                                  without):
    r, plain = refused(tmp_path, "orphan", prog, command)
    warning = traced_with_one_warning(r)
    assert_eq("the plain run's mechanism", before, plain["mechanisms"].get(aspect))
    for word in (prog, "refused", "tracing without " + without):
        assert word in warning, f"{word!r} not in {warning!r}"
    assert_eq("the mechanism used", after, header(tmp_path)["mechanisms"].get(aspect))
    assert_all_facts_told(tmp_path)


def test_refused_base_programs_give_way_to_the_compat_ones(tmp_path):
    # the process listing needs base's maps: every hook falls back
    r, plain = refused(tmp_path, "zombie", "dump_task")
    warning = traced_with_one_warning(r)
    assert "tracing without base" in warning, warning
    assert_eq("thread state before", "task_storage", plain["mechanisms"]["thread_state"])
    assert header(tmp_path)["mechanisms"]["thread_state"] != "task_storage"
    assert_all_facts_told(tmp_path)


def test_exec_failures_give_way_without_base(tmp_path):
    # the next variant needs neither base nor pt-regs: doing without
    # pt-regs is enough, and every other hook keeps base's programs
    r, plain = refused(tmp_path, "exec", "on_execve_exit")
    warning = traced_with_one_warning(r)
    assert warning.endswith("tracing without pt-regs"), warning
    assert_eq("thread state", plain["mechanisms"]["thread_state"],
              header(tmp_path)["mechanisms"]["thread_state"])
    assert_all_facts_told(tmp_path)


def assert_one_error(r, *words):
    lines = [l for l in r.stderr.splitlines() if not l.startswith("proclife: ")]
    assert_eq(f"exit status ({r.stderr})", 1, r.returncode)
    assert_eq(f"stderr lines ({r.stderr})", 1, len(lines))
    assert lines[0].startswith("error: "), lines[0]
    for word in words:
        assert word in lines[0], f"{word!r} not in {lines[0]!r}"


def test_a_program_nothing_replaces_is_named(tmp_path):
    r, _ = refused(tmp_path, "fork-wait", "on_fork")
    assert_one_error(r, "cannot load the BPF program on_fork for sched_process_fork",
                     "Operation not permitted")


def test_a_kernel_that_refuses_everything_gets_one_error_line(tmp_path):
    # no warning for a fallback that then failed too: the first refusal
    # is the one named
    r, plain = refused(tmp_path, "fork-wait", "dump_task", every_call_after=True)
    assert_one_error(r, "cannot load the BPF program", "Operation not permitted")


@needs_root
def test_too_few_open_files_is_said_as_such(tmp_path):
    """every program and map is a descriptor: a low limit is named, not the
    verifier"""
    r = subprocess.run([PROCLIFE, "trace", "-d", "1", "-f", "jsonl", "-o", str(tmp_path / "t.jsonl")],
                       capture_output=True, text=True, timeout=60, stdin=subprocess.DEVNULL,
                       preexec_fn=lambda: resource.setrlimit(resource.RLIMIT_NOFILE, (30, 30)))
    assert_eq("exit status", 1, r.returncode)
    errors = [l for l in r.stderr.splitlines() if l.startswith("error:")]
    assert_eq(f"error lines ({r.stderr})", 1, len(errors))
    assert "the limit on open files, ulimit -n, is too low" in errors[0], errors[0]

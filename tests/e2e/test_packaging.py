# SPDX-License-Identifier: BSD-2-Clause
"""What a packager and an administrator rely on: one version everywhere,
licences that agree, make install and uninstall, man pages that render
clean, bash completion, a unit systemd accepts."""
import os
import re
import shutil
import subprocess

import pytest

from conftest import BUILD, PROCLIFE, ROOT, WORKLOAD, assert_eq, needs_root, trace


def version_file():
    with open(f"{ROOT}/VERSION", encoding="utf-8") as f:
        return f.read().strip()


def test_both_programs_say_the_version_file():
    version = version_file()
    for program, name in ((PROCLIFE, "proclife"), (WORKLOAD, "proclife-workload")):
        r = subprocess.run([program, "--version"], capture_output=True, text=True, timeout=10)
        assert r.returncode == 0, r.stderr
        assert r.stdout == f"{name} {version}\n"


@pytest.mark.parametrize("args", [["proclife", "--version"], ["proclife", "--help"],
                                  ["proclife", "verify", "--help"],
                                  ["proclife-workload", "--version"],
                                  ["proclife-workload", "--list"]])
def test_what_a_program_prints_on_a_full_disk_is_an_error(args):
    program = PROCLIFE if args[0] == "proclife" else WORKLOAD
    with open("/dev/full", "w") as full:
        r = subprocess.run([program, *args[1:]], stdout=full, stderr=subprocess.PIPE, text=True,
                           timeout=10)
    assert_eq("exit status", 1, r.returncode)
    assert_eq("stderr", "error: cannot write to standard output: No space left on device\n",
              r.stderr)


@needs_root
def test_the_log_header_names_the_version(tmp_path):
    t = trace(tmp_path, ["true"])
    assert t.events[0]["ev"] == "header"
    assert t.events[0]["proclife_version"] == version_file()


# what each part of the tree is licensed under (LICENSE says why)
LICENCE_OF = {"bpf": "GPL-2.0", "include": "GPL-2.0 OR BSD-2-Clause"}
USERSPACE_LICENCE = "BSD-2-Clause"
SOURCE_ENDINGS = (".c", ".h", ".cpp", ".py", ".sh", ".js", ".html")


def source_files():
    """Every source, build and script file of the tree (vmlinux/ is the
    kernel's own types, data files carry no header)."""
    found = [os.path.join(ROOT, f) for f in ("Makefile", ".ci/run")]
    for top in ("bpf", "include", "src", "tests", "docs", "dist"):
        for d, _, names in os.walk(os.path.join(ROOT, top)):
            if "__pycache__" in d:
                continue
            found += [os.path.join(d, n) for n in names if n.endswith(SOURCE_ENDINGS)]
    return found


def test_every_source_file_names_the_licence_of_its_part():
    wrong = []
    for path in source_files():
        rel = os.path.relpath(path, ROOT)
        expected = LICENCE_OF.get(rel.split("/")[0], USERSPACE_LICENCE)
        with open(path, encoding="utf-8") as f:
            head = [next(f, "") for _ in range(3)]
        found = [line.split("SPDX-License-Identifier:")[1].strip(" */->\n")
                 for line in head if "SPDX-License-Identifier:" in line]
        if found != [expected]:
            wrong.append(f"{rel}: {found or 'no SPDX line'} (expected {expected})")
    assert not wrong, "licence lines that do not agree with LICENSE:\n" + "\n".join(wrong)


def test_the_bpf_object_declares_what_bpf_sources_say():
    r = subprocess.run(["llvm-objdump", "-s", "-j", "license", f"{BUILD}/bpf/proclife.o"],
                       capture_output=True, text=True, timeout=30)
    assert r.returncode == 0, r.stderr
    # "GPL" is GPL-2.0 to the kernel (include/linux/module.h)
    assert "GPL." in r.stdout.split("Contents of section license:")[1]
    with open(f"{ROOT}/LICENSE", encoding="utf-8") as f:
        text = f.read()
    for part in ("GNU GENERAL PUBLIC LICENSE", "Version 2, June 1991",
                 "Redistribution and use in source and binary forms"):
        assert part in text


# --- make install, as a distribution's package lays it out ---

INSTALLED = {
    "sbin/proclife": 0o755,
    "bin/proclife-workload": 0o755,
    "share/man/man8/proclife.8": 0o644,
    "share/man/man1/proclife-workload.1": 0o644,
    "share/bash-completion/completions/proclife": 0o644,
    "share/bash-completion/completions/proclife-workload": "proclife",
    "lib/systemd/system/proclife.service": 0o644,
    "share/doc/proclife/README.md": 0o644,
    "share/doc/proclife/LICENSE": 0o644,
    "share/doc/proclife/CHANGELOG.md": 0o644,
    "share/doc/proclife/examples/logrotate": 0o644,
    "share/doc/proclife/examples/proclife-alerts.yml": 0o644,
}


def make(*args):
    r = subprocess.run(["make", "--no-print-directory", "-s", f"OUT={os.path.relpath(BUILD, ROOT)}",
                        *args], cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert r.returncode == 0, f"make {' '.join(args)}: {r.stdout}{r.stderr}"


def files_under(top):
    found = {}
    for d, _, names in os.walk(top):
        for n in names:
            path = os.path.join(d, n)
            rel = os.path.relpath(path, top)
            found[rel] = os.readlink(path) if os.path.islink(path) else os.stat(path).st_mode & 0o7777
    return found


@pytest.fixture(scope="module")
def staged(tmp_path_factory):
    """make install DESTDIR=... PREFIX=/usr, as a package build does."""
    stage = tmp_path_factory.mktemp("stage")
    make("install", f"DESTDIR={stage}", "PREFIX=/usr")
    return stage


def test_install_lays_out_a_package(staged):
    assert_eq("installed files and their modes",
              {f"usr/{k}": v for k, v in INSTALLED.items()}, files_under(staged))
    with open(staged / "usr/lib/systemd/system/proclife.service") as f:
        unit = f.read()
    assert "\nExecStart=/usr/sbin/proclife trace " in unit, unit
    with open(staged / "usr/share/man/man8/proclife.8") as f:
        assert f'"proclife {version_file()}"' in f.read()
    r = subprocess.run([staged / "usr/sbin/proclife", "--version"], capture_output=True, text=True)
    assert_eq("the installed program", f"proclife {version_file()}\n", r.stdout)


def test_install_defaults_to_usr_local_and_uninstall_takes_it_all_back(tmp_path):
    make("install", f"DESTDIR={tmp_path}")
    assert_eq("installed under /usr/local", {f"usr/local/{k}": v for k, v in INSTALLED.items()},
              files_under(tmp_path))
    make("uninstall", f"DESTDIR={tmp_path}")
    assert_eq("files left after uninstall", {}, files_under(tmp_path))


def rendered(page):
    """man --warnings of a page: its text, and what groff warned about."""
    r = subprocess.run(["man", "--warnings", "-l", str(page)], capture_output=True, text=True,
                       timeout=60, env={**os.environ, "MANWIDTH": "80", "MAN_KEEP_FORMATTING": ""})
    assert_eq(f"man's exit status ({r.stderr})", 0, r.returncode)
    return r.stdout, r.stderr


@pytest.mark.parametrize("page", ["man8/proclife.8", "man1/proclife-workload.1"])
def test_man_pages_render_without_warnings(staged, page):
    text, warnings = rendered(staged / "usr/share/man" / page)
    assert_eq("groff's warnings", "", warnings)
    for section in ("NAME", "SYNOPSIS", "DESCRIPTION", "EXIT STATUS", "SEE ALSO"):
        assert f"\n{section}\n" in text, f"{page} has no {section} section"


def long_options(argv):
    """The long options a --help names."""
    out = subprocess.run(argv + ["--help"], capture_output=True, text=True, check=True).stdout
    return sorted(set(re.findall(r"(?<![\w-])--[a-z][a-z-]+", out)))


def completion_words(*words):
    """What the installed-to-be bash completion offers for the last word."""
    script = (f"source {ROOT}/dist/bash-completion/proclife\n"
              'COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1))\n'
              'case $1 in proclife) _proclife ;; *) _proclife_workload ;; esac\n'
              'printf "%s\\n" "${COMPREPLY[@]}"\n')
    r = subprocess.run(["bash", "-c", script, "bash", *words], capture_output=True, text=True,
                       timeout=30, env={**os.environ, "PATH": f"{BUILD}:{os.environ['PATH']}"})
    assert_eq(f"bash ({r.stderr})", 0, r.returncode)
    return [w for w in r.stdout.split("\n") if w]


@pytest.mark.parametrize("argv, page, words", [
    (["trace"], "man8/proclife.8", ["proclife", "trace", "--"]),
    (["replay"], "man8/proclife.8", ["proclife", "replay", "x.jsonl", "--"]),
    ([], "man1/proclife-workload.1", ["proclife-workload", "--"]),
])
def test_man_page_and_completion_know_every_option(staged, argv, page, words):
    program = PROCLIFE if argv else WORKLOAD
    options = long_options([program, *argv])
    assert options, "no options found"
    text, _ = rendered(staged / "usr/share/man" / page)
    completed = completion_words(*words)
    assert_eq("options the man page leaves out", [], [o for o in options if o not in text])
    assert_eq("options the completion leaves out", [], [o for o in options if o not in completed])


@pytest.mark.parametrize("words, expected", [
    (["proclife", "tr"], ["trace"]),
    (["proclife", "help", "r"], ["replay"]),
    (["proclife", "trace", "--ro"], ["--rotate"]),
    (["proclife", "trace", "--events", "fork,ex"], ["fork,exec", "fork,exit", "fork,exec_failed"]),
    (["proclife", "trace", "-f", "c"], ["csv"]),
    (["proclife", "replay", "x.jsonl", "-f", "su"], ["summary"]),
    (["proclife", "trace", "--mechanisms", "base,k"], ["base,kfunc"]),
    (["proclife-workload", "zombie-"], ["zombie-never-reaped"]),
    # bash splits --color=WHEN at '='
    (["proclife", "trace", "--color", "=", "al"], ["always"]),
    (["proclife", "replay", "x.jsonl", "--color", "="], ["auto", "always", "never"]),
])
def test_bash_completion(words, expected):
    assert_eq(f"completions of {words}", expected, completion_words(*words))


@pytest.mark.skipif(not shutil.which("systemd-analyze"), reason="needs systemd-analyze")
def test_systemd_accepts_the_unit(tmp_path):
    """Installed where its ExecStart and man page really are, as verify checks both."""
    make("install", f"PREFIX={tmp_path}/usr")
    r = subprocess.run(["systemd-analyze", "verify",
                        f"{tmp_path}/usr/lib/systemd/system/proclife.service"],
                       capture_output=True, text=True, timeout=120,
                       env={**os.environ, "MANPATH": f"{tmp_path}/usr/share/man"})
    assert_eq(f"systemd-analyze verify: {r.stdout}{r.stderr}", (0, ""), (r.returncode, r.stderr))

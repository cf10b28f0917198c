# SPDX-License-Identifier: BSD-2-Clause
"""What a packager and an administrator rely on: one version everywhere."""
import os
import subprocess

from conftest import BUILD, PROCLIFE, ROOT, WORKLOAD, needs_root, trace


def version_file():
    with open(f"{ROOT}/VERSION", encoding="utf-8") as f:
        return f.read().strip()


def test_both_programs_say_the_version_file():
    version = version_file()
    for program, name in ((PROCLIFE, "proclife"), (WORKLOAD, "proclife-workload")):
        r = subprocess.run([program, "--version"], capture_output=True, text=True, timeout=10)
        assert r.returncode == 0, r.stderr
        assert r.stdout == f"{name} {version}\n"


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

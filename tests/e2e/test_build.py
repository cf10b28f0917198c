# SPDX-License-Identifier: BSD-2-Clause
"""The build itself: goals given together do what each does alone, in the
order given, under -j too."""
import os
import subprocess

from conftest import ROOT, assert_eq

PRODUCT = ("proclife", "proclife-workload")


def make(out, *goals):
    r = subprocess.run(["make", "-j2", f"OUT={out}", *goals], cwd=ROOT, capture_output=True,
                       text=True, timeout=600, stdin=subprocess.DEVNULL)
    assert_eq(f"make {' '.join(goals)} exit status ({r.stderr})", 0, r.returncode)
    return r


def test_clean_then_all_builds_again(tmp_path):
    out = tmp_path / "build"
    make(out, "all")
    make(out, "clean", "all")
    for name in PRODUCT:
        assert os.access(out / name, os.X_OK), f"{name} is missing after 'make -j2 clean all'"


def test_all_then_clean_leaves_nothing(tmp_path):
    out = tmp_path / "build"
    make(out, "all", "clean")
    assert not out.exists(), f"'make -j2 all clean' left {sorted(os.listdir(out))}"

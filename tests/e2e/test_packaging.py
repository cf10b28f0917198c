"""What a packager and an administrator rely on: one version everywhere."""
import subprocess

from conftest import PROCLIFE, ROOT, WORKLOAD, needs_root, trace


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

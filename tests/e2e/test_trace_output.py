"""Where the tracer's output goes, and that nothing else gets into it."""
import subprocess

import pytest

from conftest import PROCLIFE, assert_eq, needs_root, read_log

pytestmark = needs_root


@pytest.mark.parametrize("fmt", ["jsonl", "csv"])
def test_the_commands_output_stays_out_of_a_log_on_stdout(tmp_path, fmt):
    log = tmp_path / f"run.{fmt}"
    with open(log, "w") as f:
        r = subprocess.run([PROCLIFE, "trace", "-f", fmt, "--", "sh", "-c",
                            "echo to-stdout; echo to-stderr >&2"], stdout=f,
                           stderr=subprocess.PIPE, text=True, timeout=60,
                           stdin=subprocess.DEVNULL)
    assert_eq(f"exit status ({r.stderr})", 0, r.returncode)
    assert "to-stdout" not in log.read_text().splitlines(), f"the command's output is in the {fmt}"
    # it goes where the tracer's own messages go, not lost
    assert "to-stdout" in r.stderr and "to-stderr" in r.stderr, r.stderr
    if fmt == "jsonl":
        read_log(log)  # every line is the log's
        replay = subprocess.run([PROCLIFE, "replay", str(log), "-f", "summary"],
                                capture_output=True, text=True, timeout=60)
        assert_eq(f"replay of it ({replay.stderr})", 0, replay.returncode)

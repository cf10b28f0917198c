# SPDX-License-Identifier: BSD-2-Clause
"""The service as systemd would run it: the unit's own command line with
only the capabilities its CapabilityBoundingSet grants (each of them
needed), no-new-privileges, READY=1 once attached and STOPPING=1 at the
end on the notify socket, a reload that rotates the log; and the logrotate
configuration doing its rotation on a live trace."""
import os
import re
import shlex
import signal
import socket
import subprocess
import time

import pytest

from conftest import PROCLIFE, ROOT, assert_eq, needs_root, read_log
from scrape import Holder, scrape

pytestmark = needs_root

UNIT = os.path.join(ROOT, "dist", "systemd", "proclife.service.in")
LOGROTATE = os.path.join(ROOT, "dist", "logrotate", "proclife")


def unit_setting(name):
    with open(UNIT) as f:
        values = [line.split("=", 1)[1].strip() for line in f if line.startswith(name + "=")]
    assert len(values) == 1, f"{name}= in the unit: {values}"
    return values[0]


def unit_command(log):
    """ExecStart, run here: this build's tracer, the log in log, metrics on
    a port of the kernel's choice."""
    argv = shlex.split(unit_setting("ExecStart"))
    assert_eq("the unit runs", "@SBINDIR@/proclife", argv[0])
    argv[0] = PROCLIFE
    argv[argv.index("-o") + 1] = str(log)
    assert_eq("metrics on loopback", "127.0.0.1:9433", argv[argv.index("--metrics") + 1])
    argv[argv.index("--metrics") + 1] = "127.0.0.1:0"
    return argv


def unit_caps():
    caps = unit_setting("CapabilityBoundingSet").split()
    assert all(c.startswith("CAP_") for c in caps), caps
    return [c[4:].lower() for c in caps]


def bounded(argv, caps):
    """argv with the bounding set the unit gives and no-new-privileges."""
    return ["setpriv", "--bounding-set=-all," + ",".join("+" + c for c in caps),
            "--inh-caps=-all", "--no-new-privs", *argv]


def run_briefly(tmp_path, caps):
    """The unit's trace for a second with these capabilities: its exit
    status, stderr and log."""
    log = tmp_path / "events.jsonl"
    r = subprocess.run(bounded(unit_command(log) + ["-d", "1"], caps), capture_output=True,
                       text=True, timeout=120, stdin=subprocess.DEVNULL)
    return r.returncode, r.stderr, log


def test_the_units_capabilities_are_enough(tmp_path):
    status, err, log = run_briefly(tmp_path, unit_caps())
    assert_eq(f"exit status ({err})", 0, status)
    events = read_log(log)
    me = [e for e in events if e["ev"] == "proc" and e["pid"] == os.getpid()]
    assert_eq("this test's process, named with its cgroup", 1, len([e for e in me if "cgroup" in e]))
    assert_eq("the last line", "trailer", events[-1]["ev"])


@pytest.mark.parametrize("cap, why", [
    ("bpf", "error: proclife needs root to load BPF programs (missing capabilities: CAP_BPF)\n"),
    ("perfmon",
     "error: proclife needs root to load BPF programs (missing capabilities: CAP_PERFMON)\n"),
    ("setpcap", "error: cannot drop capabilities: Operation not permitted\n"),
])
def test_each_of_the_units_capabilities_is_needed(tmp_path, cap, why):
    status, err, log = run_briefly(tmp_path, [c for c in unit_caps() if c != cap])
    assert_eq("exit status", 1, status)
    assert err.endswith(why), err


def datagram(sock, seconds=60):
    sock.settimeout(seconds)
    return sock.recv(4096).decode()


def test_the_service_notifies_systemd_and_reloads(tmp_path):
    log = tmp_path / "events.jsonl"
    notify = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    notify.bind(str(tmp_path / "notify"))
    tracer = subprocess.Popen(bounded(unit_command(log), unit_caps()), stderr=subprocess.PIPE,
                              text=True, stdin=subprocess.DEVNULL,
                              env={**os.environ, "NOTIFY_SOCKET": str(tmp_path / "notify")})
    try:
        ready = datagram(notify)
        m = re.fullmatch(r"READY=1\nSTATUS=tracing every process; metrics at (http://\S+)", ready)
        assert m, f"the first notification: {ready!r}"
        with open(log) as f:
            assert f.readline().startswith('{"ev":"header"'), "ready before the log began"
        assert scrape(m.group(1))["proclife_processes"] > 0
        # ExecReload: with --rotate, the log moves to .1 at once
        reload = shlex.split(unit_setting("ExecReload").replace("$MAINPID", str(tracer.pid)))
        subprocess.run(reload, check=True, timeout=30)
        deadline = time.monotonic() + 60
        while not os.path.exists(f"{log}.1"):
            assert time.monotonic() < deadline and tracer.poll() is None, "no rotation"
            time.sleep(0.01)
        tracer.send_signal(signal.SIGTERM)
        assert_eq("the last notification", "STOPPING=1", datagram(notify))
        _, err = tracer.communicate(timeout=60)
    finally:
        if tracer.poll() is None:
            tracer.kill()
            tracer.wait()
        notify.close()
    assert_eq(f"exit status ({err})", 0, tracer.returncode)
    for path in (f"{log}.1", log):
        events = read_log(path)
        assert_eq(f"{path}: first and last lines", ["header", "trailer"],
                  [events[0]["ev"], events[-1]["ev"]])


def test_logrotate_rotates_a_live_trace(tmp_path):
    """The shipped configuration, pointed at this test's log and tracer:
    logrotate moves the log to a dated name and the tracer, told by the
    postrotate script, goes on in a new file."""
    log = tmp_path / "events.jsonl"
    holder = Holder()
    tracer = subprocess.Popen([PROCLIFE, "trace", "-f", "jsonl", "-o", str(log),
                               "-p", str(holder.pid)], stderr=subprocess.PIPE, text=True)
    try:
        for line in tracer.stderr:
            if "attached" in line:
                break
        with open(LOGROTATE) as f:
            config = f.read()
        assert "/var/log/proclife/events.jsonl {" in config
        assert "systemctl reload proclife.service" in config
        assert "systemctl -q is-active proclife.service" in config
        config = config.replace("/var/log/proclife/events.jsonl", str(log)).replace(
            "systemctl reload proclife.service", f"kill -USR2 {tracer.pid}").replace(
            "systemctl -q is-active proclife.service", f"kill -0 {tracer.pid}")
        (tmp_path / "logrotate.conf").write_text(config)
        r = subprocess.run(["logrotate", "--force", "--state", str(tmp_path / "state"),
                            str(tmp_path / "logrotate.conf")], capture_output=True, text=True,
                           timeout=60)
        assert_eq(f"logrotate ({r.stdout}{r.stderr})", 0, r.returncode)
        dated = [n for n in os.listdir(tmp_path) if re.fullmatch(r"events\.jsonl-\d{8}-\d+", n)]
        assert_eq("files logrotate made", 1, len(dated))
        deadline = time.monotonic() + 60
        while not log.exists():
            assert time.monotonic() < deadline and tracer.poll() is None, "not reopened"
            time.sleep(0.01)
        assert_eq("the holder's work goes on being traced", ["ran", "0"], holder.run("true"))
        tracer.send_signal(signal.SIGTERM)
        _, err = tracer.communicate(timeout=60)
    finally:
        holder.stop()
        if tracer.poll() is None:
            tracer.kill()
            tracer.wait()
    assert_eq(f"exit status ({err})", 0, tracer.returncode)
    old, new = read_log(tmp_path / dated[0]), read_log(log)
    assert_eq("the moved file ends with its trailer", "trailer", old[-1]["ev"])
    assert_eq("the new file's part", 2, new[0].get("part"))
    assert [e for e in new if e["ev"] == "exec" and e["filename"].endswith("/true")], \
        "the command run after the rotation is not in the new file"

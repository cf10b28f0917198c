# SPDX-License-Identifier: BSD-2-Clause
"""--metrics: the counters held against the workload's ground truth and
against the log written from the same stream, the gauges against a zombie
the test holds, in a cgroup of its own, the HTTP side, and bad input."""
import os
import re
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request

import pytest

from conftest import PROCLIFE, ROOT, assert_eq, needs_root, read_log
from scrape import (Holder, counts_in_log, get, ground_truth, run_scenarios, scrape,
                    start_tracer, wait_until, zombie_bucket_bounds)

pytestmark = needs_root


def reaps(s):
    return sum(v for k, v in s.items() if k.startswith("proclife_reaps_total{"))


def test_counters_agree_with_the_ground_truth_and_the_log(tmp_path):
    holder = Holder()
    log = tmp_path / "events.jsonl"
    tracer, url = start_tracer(log, holder.pid)
    try:
        truth = ground_truth(run_scenarios(holder, tmp_path))
        # every process born is reaped in the end: by then every record is in.
        # The orphans init adopts are reaped when the machine's pid 1 gets to
        # it: seconds on some machines, and far longer while they are busy
        s = wait_until(url, "every process's reap",
                       lambda s: s["proclife_forks_total"] == truth["forks"] and
                       reaps(s) == truth["forks"], seconds=300)
        for key, metric in (("forks", "proclife_forks_total"),
                            ("code", 'proclife_exits_total{how="code"}'),
                            ("signal", 'proclife_exits_total{how="signal"}'),
                            ("core", 'proclife_exits_total{how="core"}'),
                            ("auto", 'proclife_reaps_total{how="auto"}'),
                            ("init", 'proclife_orphans_total{adopter="init"}'),
                            ("subreaper", 'proclife_orphans_total{adopter="subreaper"}')):
            assert_eq(f"{metric} against the manifests", truth[key], s[metric])
        # the zombie scenario holds its zombie 300 ms on purpose
        assert s["proclife_zombie_seconds_count"] - s['proclife_zombie_seconds_bucket{le="0.1"}'] \
            >= 1, "no zombie past 100 ms"
        assert_eq("zombies left", 0, s["proclife_zombies"])
        tracer.send_signal(signal.SIGTERM)
        _, err = tracer.communicate(timeout=60)
        assert_eq(f"tracer exit status ({err})", 0, tracer.returncode)
    finally:
        holder.stop()
        if tracer.poll() is None:
            tracer.kill()
    # the holder was idle from the last scrape on: the log has nothing more
    in_log = counts_in_log(read_log(log), zombie_bucket_bounds(s))
    differ = {k: (v, s.get(k, 0)) for k, v in in_log.items()
              if (abs(v - s.get(k, 0)) > 1e-6 if k.endswith("_sum") else v != s.get(k, 0))}
    assert not differ, f"log count and metric differ (log, metric): {differ}"


# a cgroup's name is any bytes its maker chose; a label is UTF-8, written
# here as the exposition escapes it (a backslash doubled)
@pytest.mark.parametrize("name, label", [
    (b"", ""),
    (b"-not-utf8-\xff\xfe", "-not-utf8-\\\\xff\\\\xfe"),
], ids=["plain", "not-utf8"])
def test_gauges_name_a_held_zombie_and_its_cgroup(tmp_path, name, label):
    mount = next((line.split()[4] for line in open("/proc/self/mountinfo")
                  if " - cgroup2 " in line), None)
    if not mount:
        pytest.skip("no cgroup2 hierarchy mounted")
    cgroup = f"/proclife-metrics-{os.getpid()}"
    path = os.fsencode(mount + cgroup) + name
    holder = Holder()
    tracer, url = start_tracer(tmp_path / "events.jsonl", holder.pid)
    # made while tracing: the kernel tells its path as it makes it
    os.mkdir(path)
    try:
        with open(path + b"/cgroup.procs", "w") as f:
            f.write(str(holder.pid))  # the holder moved
        zombie = int(holder.ask("zombie")[1])
        s = wait_until(url, "the zombie", lambda s: s["proclife_zombies"] == 1)
        assert_eq("alive: the holder", 1, s["proclife_processes"])
        assert_eq("its cgroup's zombies", 1,
                  s[f'proclife_zombies_by_cgroup{{cgroup="{cgroup}{label}"}}'])
        assert_eq("other cgroups' zombies", 0, s['proclife_zombies_by_cgroup{cgroup="other"}'])
        assert s["proclife_oldest_zombie_seconds"] > 0, s
        with open(f"/proc/{zombie}/stat") as f:
            assert_eq("what /proc says it is", "Z", f.read().rpartition(")")[2].split()[0])
        assert_eq("reaping it", ["reaped"], holder.ask("reap"))
        s = wait_until(url, "the reap", lambda s: s["proclife_zombies"] == 0)
        assert_eq("oldest zombie when there is none", 0, s["proclife_oldest_zombie_seconds"])
        assert_eq("the reap counted", 1, s['proclife_reaps_total{how="wait"}'])
    finally:
        holder.ask(f"cgroup {mount}")
        holder.stop()
        tracer.kill()
        tracer.wait()
        os.rmdir(path)


def test_http_serves_metrics_and_nothing_else(tmp_path):
    holder = Holder()
    tracer, url = start_tracer(tmp_path / "events.jsonl", holder.pid)
    try:
        status, ctype, text = get(url)
        assert_eq("status", 200, status)
        assert_eq("content type", "text/plain; version=0.0.4; charset=utf-8", ctype)
        assert mapped(tracer.pid, "libmicrohttpd"), "serving, yet no libmicrohttpd mapped"
        lint = subprocess.run(["promtool", "check", "metrics"], input=text, capture_output=True,
                              text=True, timeout=60)
        assert_eq(f"promtool's findings: {lint.stdout}{lint.stderr}", 0, lint.returncode)
        status, ctype, text = get(url, "application/openmetrics-text;version=1.0.0,*/*;q=0.1")
        assert_eq("OpenMetrics content type",
                  "application/openmetrics-text; version=1.0.0; charset=utf-8", ctype)
        assert text.endswith("\n# EOF\n"), text[-100:]
        # q=0: not acceptable, whatever its place in the list
        _, ctype, _ = get(url, "application/openmetrics-text; q=0, text/plain")
        assert_eq("OpenMetrics refused", "text/plain; version=0.0.4; charset=utf-8", ctype)
        # another media type that begins alike is not it
        for other in ("application/openmetrics-textual", "application/openmetrics-text-x;q=1"):
            _, ctype, _ = get(url, other)
            assert_eq(f"content type for {other}", "text/plain; version=0.0.4; charset=utf-8",
                      ctype)
        # the absolute form of a request's target (RFC 9112 3.2.2)
        host, port = url.split("/")[2].rsplit(":", 1)
        with socket.create_connection((host, int(port)), timeout=30) as conn:
            conn.sendall(f"GET {url} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"
                         .encode())
            answer = b""
            while chunk := conn.recv(65536):
                answer += chunk
        assert answer.startswith(b"HTTP/1.1 200 "), answer[:100]
        with pytest.raises(urllib.error.HTTPError) as e:
            get(url.replace("/metrics", "/other"))
        assert_eq("another path", 404, e.value.code)
        with pytest.raises(urllib.error.HTTPError) as e:
            urllib.request.urlopen(urllib.request.Request(url, data=b"x", method="POST"),
                                   timeout=30)
        assert_eq("a POST", 405, e.value.code)
        with open(os.path.join(ROOT, "VERSION")) as f:
            version = f.read().strip()
        assert_eq("build info", 1, scrape(url)[f'proclife_build_info{{version="{version}"}}'])
    finally:
        holder.stop()
        tracer.kill()
        tracer.wait()


def test_a_request_sent_a_byte_at_a_time_does_not_hold_its_place(tmp_path):
    """A client that is never idle yet never finishes its request (a byte
    every second) is closed: otherwise a few hundred such would hold every
    place the endpoint has. Each of them past that, and the endpoint serves
    scrapes again."""
    holder = Holder()
    tracer, url = start_tracer(tmp_path / "events.jsonl", holder.pid)
    host, port = url.split("/")[2].rsplit(":", 1)
    slow = []
    try:
        for _ in range(300):  # past the 256 places
            conn = socket.create_connection((host, int(port)), timeout=30)
            conn.sendall(b"GET /metrics HTTP/1.1\r\nHost: x\r\n")
            conn.setblocking(False)
            slow.append(conn)
        closed, deadline = set(), time.monotonic() + 120
        while len(closed) < len(slow) and time.monotonic() < deadline:
            time.sleep(1)  # the client's own pace: a byte a second
            for i, conn in enumerate(slow):
                if i in closed:
                    continue
                try:
                    conn.sendall(b"X")
                    if conn.recv(1) == b"":
                        closed.add(i)
                except BlockingIOError:
                    pass
                except OSError:
                    closed.add(i)
        assert_eq("slow connections closed", len(slow), len(closed))
        assert_eq("a scrape after them", 200, get(url)[0])
    finally:
        for conn in slow:
            conn.close()
        holder.stop()
        tracer.kill()
        tracer.wait()


def mapped(pid, library):
    """The files of the library mapped in process pid."""
    with open(f"/proc/{pid}/maps") as f:
        return sorted({line.split()[-1] for line in f if library in line})


def test_no_listener_unless_asked(tmp_path):
    holder = Holder()
    tracer = subprocess.Popen([PROCLIFE, "trace", "-f", "jsonl", "-o", str(tmp_path / "l.jsonl"),
                               "-p", str(holder.pid)], stderr=subprocess.PIPE, text=True)
    try:
        for line in tracer.stderr:
            if "attached" in line:
                break
        fds = os.listdir(f"/proc/{tracer.pid}/fd")
        sockets = [os.readlink(f"/proc/{tracer.pid}/fd/{fd}") for fd in fds]
        inodes = {s[8:-1] for s in sockets if s.startswith("socket:[")}
        listening = [line for line in open("/proc/net/tcp").readlines()[1:] +
                     open("/proc/net/tcp6").readlines()[1:]
                     if line.split()[3] == "0A" and line.split()[9] in inodes]
        assert_eq("the tracer's listening sockets", [], listening)
        # nor is the HTTP library (and the TLS stack under it) loaded
        assert_eq("libmicrohttpd mapped", [], mapped(tracer.pid, "libmicrohttpd"))
    finally:
        holder.stop()
        tracer.kill()
        tracer.wait()


def test_a_port_in_use_is_one_clear_line(tmp_path):
    taken = socket.socket()
    taken.bind(("127.0.0.1", 0))
    taken.listen(1)
    port = taken.getsockname()[1]
    try:
        r = subprocess.run([PROCLIFE, "trace", "-f", "jsonl", "-o", "x.jsonl", "--metrics",
                            f"127.0.0.1:{port}", "--", "true"], capture_output=True, text=True,
                           cwd=tmp_path, timeout=60)
    finally:
        taken.close()
    assert_eq("exit status", 1, r.returncode)
    assert_eq("stderr", f"error: cannot listen on '127.0.0.1:{port}': Address already in use\n",
              r.stderr)
    assert_eq("files left", [], os.listdir(tmp_path))


@pytest.mark.parametrize("arg, message", [
    ("9433", "--metrics takes ADDR:PORT (e.g. 127.0.0.1:9433 or [::1]:9433), not '9433'"),
    (":9433", "--metrics takes ADDR:PORT (e.g. 127.0.0.1:9433 or [::1]:9433), not ':9433'"),
    ("127.0.0.1:", "--metrics takes ADDR:PORT (e.g. 127.0.0.1:9433 or [::1]:9433), not "
     "'127.0.0.1:'"),
    ("[::1]", "--metrics takes ADDR:PORT (e.g. 127.0.0.1:9433 or [::1]:9433), not '[::1]'"),
    ("[::1", "--metrics takes ADDR:PORT (e.g. 127.0.0.1:9433 or [::1]:9433), not '[::1'"),
    ("[]:9433", "--metrics takes ADDR:PORT (e.g. 127.0.0.1:9433 or [::1]:9433), not '[]:9433'"),
    ("127.0.0.1:99999", "--metrics' port takes a whole number from 0 to 65535, not '99999'"),
    ("127.0.0.1:http", "--metrics' port takes a whole number from 0 to 65535, not 'http'"),
    ("127.0.0.1: 80", "--metrics' port takes a whole number from 0 to 65535, not ' 80'"),
    ("::1:9433", "--metrics: an IPv6 address goes in brackets before its port ([::1]:9433), "
     "not '::1:9433'"),
    ("300.1.1.1:9433", None),
])
def test_a_bad_metrics_address_is_one_clear_line(tmp_path, arg, message):
    r = subprocess.run([PROCLIFE, "trace", "--metrics", arg, "--", "true"], capture_output=True,
                       text=True, cwd=tmp_path, timeout=60)
    assert_eq("exit status", 2, r.returncode)
    if message:
        assert_eq("stderr", f"error: {message}\n", r.stderr)
    else:
        assert re.fullmatch(r"error: --metrics: no address '300\.1\.1\.1' to listen on: .+\n",
                            r.stderr), r.stderr
    assert_eq("files left", [], os.listdir(tmp_path))

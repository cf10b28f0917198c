# SPDX-License-Identifier: BSD-2-Clause
"""What the metrics tests share: a holder process the tracer follows (-p)
and that runs what the test asks, one thing at a time; the tracer started
with --metrics; /metrics scraped and parsed; the log's own counts of what
the metrics count."""
import json
import re
import subprocess
import sys
import time
import urllib.request

from conftest import PROCLIFE, WORKLOAD, wait_attached

# reads one request a line, does it, answers one line: run ARGV (JSON),
# zombie (a child that exits and is not reaped), reap, cgroup DIR (moves
# itself there)
HOLDER = r"""
import json, os, subprocess, sys
zombies = []
for line in sys.stdin:
    what, _, arg = line.strip().partition(" ")
    if what == "run":
        r = subprocess.run(json.loads(arg), stdout=subprocess.DEVNULL)
        print("ran", r.returncode, flush=True)
    elif what == "zombie":
        pid = os.fork()
        if pid == 0:
            os._exit(7)
        zombies.append(pid)
        print("zombie", pid, flush=True)
    elif what == "reap":
        os.waitpid(zombies.pop(), 0)
        print("reaped", flush=True)
    elif what == "cgroup":
        with open(os.path.join(arg, "cgroup.procs"), "w") as f:
            f.write(str(os.getpid()))
        print("moved", flush=True)
"""

# the workload's scenarios with every kind of end, reap and orphan
SCENARIOS = ["exit-codes", "orphan", "zombie", "zombie-never-reaped", "subreaper", "double-fork",
             "auto-reap"]


class Holder:
    def __init__(self):
        self.proc = subprocess.Popen([sys.executable, "-c", HOLDER], stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE, text=True)
        self.pid = self.proc.pid

    def ask(self, request):
        self.proc.stdin.write(request + "\n")
        self.proc.stdin.flush()
        answer = self.proc.stdout.readline()
        assert answer, f"the holder ended on '{request}'"
        return answer.split()

    def run(self, *argv):
        return self.ask("run " + json.dumps(list(argv)))

    def stop(self):
        if self.proc.poll() is None:
            self.proc.stdin.close()
            self.proc.wait(timeout=30)


def start_tracer(log, pid, *extra):
    """proclife trace -p PID with metrics on a port of the kernel's choice;
    returns the process and the URL it says it serves."""
    tracer = subprocess.Popen([PROCLIFE, "trace", "-f", "jsonl", "-o", str(log), "-p", str(pid),
                               "--metrics", "127.0.0.1:0", *extra],
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    lines = wait_attached(tracer)
    urls = [m.group(1) for line in lines
            if (m := re.match(r"proclife: metrics at (http://\S+)$", line))]
    assert len(urls) == 1, f"the tracer did not say where its metrics are: {lines}"
    return tracer, urls[0]


def get(url, accept=None):
    req = urllib.request.Request(url, headers={"Accept": accept} if accept else {})
    with urllib.request.urlopen(req, timeout=30) as r:
        return r.status, r.headers["Content-Type"], r.read().decode()


def parse(text):
    """{'name{label="v"}': value} of every sample."""
    samples = {}
    for line in text.splitlines():
        if line and not line.startswith("#"):
            name, _, value = line.rpartition(" ")
            samples[name] = float(value)
    return samples


def scrape(url):
    return parse(get(url)[2])


def wait_until(url, what, holds, seconds=60):
    """Scrapes until holds(samples) (what proclife says, not a clock, says
    when the records are in); the last scrape."""
    deadline = time.monotonic() + seconds
    while True:
        samples = scrape(url)
        if holds(samples):
            return samples
        assert time.monotonic() < deadline, f"gave up waiting for {what}: {samples}"
        time.sleep(0.05)


def run_scenarios(holder, tmp_path):
    """Each scenario, its ground truth written to tmp_path; the manifests."""
    manifests = []
    for sc in SCENARIOS:
        manifest = tmp_path / f"{sc}.json"
        answer = holder.run(WORKLOAD, sc, "--manifest", str(manifest))
        assert answer == ["ran", "0"], f"{sc}: {answer}"
        manifests.append(json.loads(manifest.read_text()))
    return manifests


def ground_truth(manifests):
    """What the metrics must count, from the manifests: each scenario is
    one process the holder forked (and exec'd), and the processes it made."""
    procs = [p for m in manifests for r in m["runs"] for p in r["procs"]]
    truth = {"forks": len(manifests) + len(procs), "code": len(manifests), "signal": 0,
             "core": 0, "auto": 0, "init": 0, "subreaper": 0}
    for p in procs:
        status = p["status"]
        how = "code" if status & 0x7f == 0 else "core" if status & 0x80 else "signal"
        truth[how] += 1
        if p["reaper"] == "auto":
            truth["auto"] += 1
        if p.get("orphan"):
            truth[p["orphan"]["adopter"]] += 1
    return truth


def zombie_bucket_bounds(samples):
    return sorted(float(m.group(1)) for k in samples
                  if (m := re.fullmatch(r'proclife_zombie_seconds_bucket\{le="([0-9.e+]+)"\}', k)))


def counts_in_log(events, bounds):
    """The log's counts of what each metric counts, under the metric's name."""
    c = {}

    def add(key, n=1):
        c[key] = c.get(key, 0) + n

    zombie_ns = []
    for e in events:
        ev = e["ev"]
        if ev == "fork" and not e["thread"]:
            add("proclife_forks_total")
        elif ev == "exec":
            add("proclife_execs_total")
        elif ev == "exit" and not e["thread"]:
            how = "core" if e.get("core") else "signal" if "signal" in e else \
                "code" if "code" in e else "other"
            add(f'proclife_exits_total{{how="{how}"}}')
        elif ev == "reap":
            how = "auto" if e["auto"] else "inferred" if e["inferred"] else "wait"
            add(f'proclife_reaps_total{{how="{how}"}}')
            if not e["auto"] and not e.get("unmatched"):
                zombie_ns.append(e["zombie_ns"])
        elif ev == "reparent" and e["adopter"] != "thread":
            add(f'proclife_orphans_total{{adopter="{e["adopter"]}"}}')
        elif ev == "trailer":
            for kind, n in e["lost"].items():
                add(f'proclife_lost_records_total{{kind="{kind}"}}', n)
    for b in bounds:
        add(f'proclife_zombie_seconds_bucket{{le="{b:g}"}}',
            sum(1 for ns in zombie_ns if ns / 1e9 <= b))
    add("proclife_zombie_seconds_count", len(zombie_ns))
    add("proclife_zombie_seconds_sum", sum(zombie_ns) / 1e9)
    return c

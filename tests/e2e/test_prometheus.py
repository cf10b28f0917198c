# SPDX-License-Identifier: BSD-2-Clause
"""A real Prometheus (Debian's) scrapes a real trace: started here on
loopback with storage of its own, it finds the workload's forks, orphans
and zombie seconds through its HTTP API, and loads the shipped alert
rules, which promtool also tests on made-up series."""
import json
import os
import shutil
import socket
import subprocess
import time
import urllib.parse
import urllib.request

import pytest

from conftest import ROOT, assert_eq, needs_root
from scrape import Holder, ground_truth, run_scenarios, start_tracer, wait_until

ALERTS = os.path.join(ROOT, "dist", "prometheus", "proclife-alerts.yml")
needs_prometheus = pytest.mark.skipif(not shutil.which("prometheus"),
                                      reason="needs prometheus (Debian's package)")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def api(base, path, **params):
    url = f"{base}{path}" + ("?" + urllib.parse.urlencode(params) if params else "")
    with urllib.request.urlopen(url, timeout=30) as r:
        body = json.loads(r.read())
    assert_eq(f"{path} status", "success", body["status"])
    return body["data"]


class Prometheus:
    """prometheus on 127.0.0.1, scraping target every second."""

    def __init__(self, tmp_path, target):
        config = tmp_path / "prometheus.yml"
        config.write_text(
            "global:\n  scrape_interval: 1s\n  evaluation_interval: 1s\n"
            f"rule_files: ['{ALERTS}']\n"
            "scrape_configs:\n  - job_name: proclife\n"
            f"    static_configs:\n      - targets: ['{target}']\n")
        self.out = open(tmp_path / "prometheus.out", "w")
        # a port another program took between our look and its bind ends it
        # at once: then another port
        for _ in range(3):
            port = free_port()
            self.base = f"http://127.0.0.1:{port}"
            self.proc = subprocess.Popen(
                ["prometheus", f"--config.file={config}",
                 f"--storage.tsdb.path={tmp_path / 'data'}",
                 f"--web.listen-address=127.0.0.1:{port}"],
                stdout=self.out, stderr=subprocess.STDOUT)
            if self.wait_ready():
                return
        pytest.fail(f"prometheus did not start: {(tmp_path / 'prometheus.out').read_text()}")

    def wait_ready(self, seconds=60):
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                return False
            try:
                with urllib.request.urlopen(f"{self.base}/-/ready", timeout=5) as r:
                    if r.status == 200:
                        return True
            except OSError:
                pass
            time.sleep(0.1)
        return False

    def value(self, query):
        """The query's one value now, or None while it has none."""
        result = api(self.base, "/api/v1/query", query=query)["result"]
        assert len(result) <= 1, f"{query}: more than one series: {result}"
        return float(result[0]["value"][1]) if result else None

    def wait_value(self, query, expected, seconds=60):
        """Polls until the query gives expected: the scrape that has it landed."""
        deadline = time.monotonic() + seconds
        while (got := self.value(query)) != expected:
            assert self.proc.poll() is None, "prometheus ended"
            assert time.monotonic() < deadline, f"{query}: {got}, never {expected}"
            time.sleep(0.2)
        return got

    def stop(self):
        self.proc.terminate()
        self.proc.wait(timeout=60)
        self.out.close()


@needs_root
@needs_prometheus
def test_prometheus_finds_the_workload(tmp_path):
    holder = Holder()
    tracer, url = start_tracer(tmp_path / "events.jsonl", holder.pid)
    prometheus = None
    try:
        prometheus = Prometheus(tmp_path, url.split("/")[2])
        truth = ground_truth(run_scenarios(holder, tmp_path))
        # what proclife says once every process is reaped: the figures to find
        s = wait_until(url, "every process's reap",
                       lambda s: s["proclife_forks_total"] == truth["forks"] and
                       sum(v for k, v in s.items() if k.startswith("proclife_reaps_total{"))
                       == truth["forks"])
        job = '{job="proclife"}'
        prometheus.wait_value(f"proclife_forks_total{job}", truth["forks"])
        prometheus.wait_value('proclife_orphans_total{job="proclife",adopter="init"}',
                              truth["init"])
        prometheus.wait_value('proclife_orphans_total{job="proclife",adopter="subreaper"}',
                              truth["subreaper"])
        prometheus.wait_value(f"proclife_zombie_seconds_count{job}",
                              s["proclife_zombie_seconds_count"])
        # the zombie scenario's 300 ms hold, seen in the histogram's buckets
        held = prometheus.value('proclife_zombie_seconds_count{job="proclife"} - ignoring(le) '
                                'proclife_zombie_seconds_bucket{job="proclife",le="0.1"}')
        assert held >= 1, f"no zombie past 100 ms in Prometheus: {held}"
        sum_seconds = prometheus.value(f"proclife_zombie_seconds_sum{job}")
        assert abs(sum_seconds - s["proclife_zombie_seconds_sum"]) < 1e-6, sum_seconds
        assert_eq("the tracer's own CPU scraped", True,
                  prometheus.value(f"process_cpu_seconds_total{job}") > 0)
        # the rules are evaluated every second: until then their health is unknown
        deadline = time.monotonic() + 60
        while True:
            health = {r["name"]: r["health"]
                      for g in api(prometheus.base, "/api/v1/rules")["groups"] for r in g["rules"]}
            if "unknown" not in health.values() or time.monotonic() > deadline:
                break
            time.sleep(0.2)
        assert_eq("alert rules loaded and evaluated",
                  {"ProclifeZombieOld": "ok", "ProclifeZombiesGrowing": "ok"}, health)
    finally:
        if prometheus:
            prometheus.stop()
        holder.stop()
        tracer.kill()
        tracer.wait()


@needs_prometheus
def test_alert_rules_fire_as_the_readme_says():
    r = subprocess.run(["promtool", "test", "rules", "alerts_test.yml"], capture_output=True,
                       text=True, timeout=120, cwd=os.path.dirname(__file__))
    assert_eq(f"promtool test rules:\n{r.stdout}{r.stderr}", 0, r.returncode)

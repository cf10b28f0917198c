# SPDX-License-Identifier: BSD-2-Clause
"""The benchmark's measurements, one function per figure. Every traced run
sits between two untraced runs of the same storm, so a ratio compares runs
seconds apart, never runs minutes apart on this noisy machine."""
import json
import os
import re
import select
import signal
import subprocess
import time

from tracers import (BUILD, PROCLIFE, Proclife, StatsFloor, cpu_rate, kernel_threads_clock,
                     settled_ns, status_kb)

STORM = os.path.join(BUILD, "bench", "plbench-storm")
NOP = os.path.join(BUILD, "bench", "plbench-nop")
MODEL_BENCH = os.path.join(BUILD, "bench", "model_bench")
PARSE_BENCH = os.path.join(BUILD, "bench", "parse_bench")


def storm(workdir, kind, n, kernel_threads=False, cpus=None):
    """One storm; its forks+exits+reaps per CPU-second and its children.
    With kernel_threads, also the CPU the kernel's threads spent from its
    start until they had finished what it left them. cpus: the CPUs the
    storm and its children are held to (None: any)."""
    result = os.path.join(workdir, "storm.json")
    args = [STORM, kind, str(n), result] + ([NOP] if kind == "exec" else [])
    kthreads = kernel_threads_clock() if kernel_threads else None
    subprocess.run(args, check=True,
                   preexec_fn=(lambda: os.sched_setaffinity(0, cpus)) if cpus else None)
    with open(result) as f:
        r = json.load(f)
    if kernel_threads:
        r["kthreads_ns_per_life"] = settled_ns(kthreads) / r["lives"]
    r["rate"] = 3 * r["lives"] / (r["cpu_ns"] / 1e9)
    r["ns_per_life"] = r["cpu_ns"] / r["lives"]
    r["pids"] = set(r["pids"])
    return r


def slowdown(workdir, kind, n, tracers, rounds, log, extra_rounds=0, cpus=None):
    """rounds x (B T1 B T2 ... Tk B); each traced rate over the mean of the
    untraced runs beside it; then extra_rounds of (B T1 B) for the first
    tracer alone, whose figures sit at the noise floor and need more runs
    than the peers', which are far above it. cpus: the CPUs the storms are
    held to (the tracers run anywhere). Returns {tracer: [run, ...]}."""
    runs = {t.name: [] for t in tracers}
    # untraced beside untraced: how far two runs of the same storm differ
    # with nothing traced, the precision of every traced-minus-untraced figure
    runs["_untraced_pairs"] = []
    runs["_untraced_pairs_kthreads"] = []
    for r in range(rounds + extra_rounds):
        # rotate the order so no tracer always runs first in a round
        order = tracers[r % len(tracers):] + tracers[:r % len(tracers)]
        if r >= rounds:
            order = tracers[:1]
        before = storm(workdir, kind, n, kernel_threads=True, cpus=cpus)
        for t in order:
            t.start()
            s = storm(workdir, kind, n, kernel_threads=True, cpus=cpus)
            cost = t.stop()
            after = storm(workdir, kind, n, kernel_threads=True, cpus=cpus)
            runs["_untraced_pairs"].append(after["ns_per_life"] - before["ns_per_life"])
            runs["_untraced_pairs_kthreads"].append(
                after["ns_per_life"] + after["kthreads_ns_per_life"] -
                before["ns_per_life"] - before["kthreads_ns_per_life"])
            base = (before["rate"] + after["rate"]) / 2
            base_ns = (before["ns_per_life"] + after["ns_per_life"]) / 2
            base_k = (before["kthreads_ns_per_life"] + after["kthreads_ns_per_life"]) / 2
            tracer_ns = cost["cpu_ns"] / s["lives"]
            # all in: the storm's own CPU and the tracer's, against the storm
            # untraced beside it; and with the kernel's threads counted too
            allin_ns = s["ns_per_life"] + tracer_ns
            allin_k = allin_ns + s["kthreads_ns_per_life"]
            run = {"rate": s["rate"], "base": base, "ratio": s["rate"] / base,
                   "lives": s["lives"], "round": r, "base_ns": base_ns,
                   "added_storm_ns": allin_ns - base_ns,
                   "added_ns": allin_k - base_ns - base_k,
                   "allin_ratio": (base_ns + base_k) / allin_k,
                   "kthreads_ns": s["kthreads_ns_per_life"], "base_kthreads_ns": base_k,
                   "tracer_ns_per_life": tracer_ns}
            run.update(cost)
            run.update(t.count(s["pids"]))
            runs[t.name].append(run)
            log(f"{kind} storm round {r + 1}: {t.name} ratio {run['ratio']:.3f}, "
                f"{run['added_ns']:.0f} ns added per lifecycle all in "
                f"({run['added_storm_ns']:.0f} counting the storm and the tracer alone)")
            before = after
    return runs


def syscalls(workdir, n):
    """CPU ns per getppid() of n calls in a row."""
    result = os.path.join(workdir, "syscalls.json")
    subprocess.run([STORM, "syscalls", str(n), result], check=True)
    with open(result) as f:
        r = json.load(f)
    return r["cpu_ns"] / r["calls"]


def syscall_tax(workdir, n, tracers, rounds):
    """What a tracer adds to every system call of every process, not only to
    those it traces: syscall tracepoints send every call through the kernel's
    traced entry and exit. rounds x (B T1 B T2 ... B), ns added per call
    against the mean of the untraced runs beside it. {tracer: [ns, ...]}"""
    runs = {t.name: [] for t in tracers}
    runs["_untraced_pairs"] = []  # the noise floor, as in slowdown()
    for r in range(rounds):
        order = tracers[r % len(tracers):] + tracers[:r % len(tracers)]
        before = syscalls(workdir, n)
        for t in order:
            t.start()
            traced = syscalls(workdir, n)
            t.stop()
            after = syscalls(workdir, n)
            runs[t.name].append(traced - (before + after) / 2)
            runs["_untraced_pairs"].append(abs(after - before))
            before = after
    return runs


def tracer_per_record(workdir, n, reps):
    """The tracer's own figures from its log's trailer, a long fork storm
    traced whole: CPU since it attached and the part inside write(), both
    exact, and the records it read."""
    runs = []
    for _ in range(reps):
        t = Proclife(workdir, "per-record")
        t.start()
        s = storm(workdir, "fork", n)
        t.stop()
        runs.append(t.count(s["pids"]))
    return runs


def idle_cpu(workdir, quiet_s=3, span_s=10):
    """The tracer's CPU a second while nothing happens, writing a log file:
    after quiet_s of nothing (its timer slows down), over span_s. With the
    events its trailer counts (processes bootstrapped aside): the machine's
    own programs may run meanwhile, and then it was not idle."""
    t = Proclife(workdir, "idle")
    t.start()
    time.sleep(quiet_s)
    rate, _, _ = cpu_rate(t.proc.pid, span_s)
    t.stop()
    events = None
    with open(t.out) as f:
        for line in f:
            if line.startswith('{"ev":"trailer"'):
                counts = json.loads(line)["events"]
                events = sum(v for k, v in counts.items() if k != "proc")
    return rate, events


def quiet_then_wake(workdir, quiet_s=3, span_s=10, reps=5):
    """The default view on a pipe, as someone watches it: its CPU a second
    while nothing happens (after quiet_s), then, reps times after quiet_s
    of nothing, the ms from starting a program to the line of its exec."""
    p = subprocess.Popen([PROCLIFE, "trace"], stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE, text=True)
    while True:
        line = p.stderr.readline()
        if not line:
            raise RuntimeError("proclife trace ended before attaching")
        if ": attached," in line:
            break
    out = p.stdout.fileno()
    os.set_blocking(out, False)

    def read():
        try:
            return os.read(out, 1 << 16).decode(errors="replace")
        except BlockingIOError:
            return ""
    time.sleep(quiet_s)
    rate, _, _ = cpu_rate(p.pid, span_s)
    waits = []
    for i in range(reps):
        while read():
            pass
        time.sleep(quiet_s)
        name = f"plbench-wake{i}"  # its command name: the file it runs
        prog = os.path.join(workdir, name)
        if not os.path.exists(prog):
            os.symlink("/bin/true", prog)
        t0 = time.monotonic()
        subprocess.run([prog])
        seen = ""
        while name not in seen and time.monotonic() - t0 < 5:
            select.select([out], [], [], 5)
            seen += read()
        waits.append((time.monotonic() - t0) * 1000 if name in seen else None)
    p.send_signal(signal.SIGINT)
    p.communicate(timeout=60)
    return rate, [w for w in waits if w is not None]


def bpf_time(workdir, kind, n, rounds, hooks):
    """Runs traced with kernel.bpf_stats_enabled on: BPF run time per
    program, and that of programs doing nothing on the same hooks."""
    runs = []
    for _ in range(rounds):
        floor = StatsFloor(hooks)
        floor.start()
        try:
            t = Proclife(workdir, "bpf-time", out=os.devnull)
            t.start()
            s = storm(workdir, kind, n)
            run = t.stop()
        finally:
            run_floor = floor.stop()
        run["floor"] = run_floor
        run["lives"] = s["lives"]
        runs.append(run)
    return runs


class Crowd:
    """n sleeping processes alive at once, for as long as the with-block."""

    def __init__(self, n):
        self.n = n

    def __enter__(self):
        self.p = subprocess.Popen([STORM, "live", str(self.n)], stdin=subprocess.PIPE,
                                  stdout=subprocess.PIPE, text=True)
        if not self.p.stdout.readline().startswith("live"):
            raise RuntimeError("plbench-storm live: no live line")
        return self

    def __exit__(self, *exc):
        self.p.stdin.write("\n")
        self.p.stdin.close()
        self.p.wait()


def bpf_time_crowded(workdir, kind, n, rounds, live, hooks):
    """BPF run time per lifecycle with `live` other processes alive: does
    the cost grow with the tables?"""
    with Crowd(live):
        return bpf_time(workdir, kind, n, rounds, hooks)


def attach_time(workdir, live, reps):
    """Seconds from the tracer's start to its "attached" line with `live`
    processes already running: the bootstrap's pass over them."""
    times = []
    with Crowd(live):
        for _ in range(reps):
            t = Proclife(workdir, "attach", out=os.devnull)
            t.start()
            times.append(t.attach_s)
            t.stop()
    return times


def lost_at(workdir, n, ring_kb):
    t = Proclife(workdir, "ring", ring_kb=ring_kb)
    t.start()
    s = storm(workdir, "fork", n)
    t.stop()
    return t.count(s["pids"])["lost"]


def smallest_ring(workdir, n, log):
    """Bisects over powers of two, 4 KiB to the default 8 MiB, for the
    smallest ring that loses nothing at the storm's full rate."""
    sizes = [4 << i for i in range(12)]
    lo, hi, tried = 0, len(sizes) - 1, {}
    tried[sizes[hi]] = lost_at(workdir, n, sizes[hi])
    if tried[sizes[hi]]:
        return None, tried
    while lo < hi:
        mid = (lo + hi) // 2
        tried[sizes[mid]] = lost_at(workdir, n, sizes[mid])
        log(f"ring {sizes[mid]} KiB: {tried[sizes[mid]]} lost")
        if tried[sizes[mid]]:
            lo = mid + 1
        else:
            hi = mid
    return sizes[hi], tried


def settle(t, polls=3, every=0.1):
    """Waits until the tracer's RSS stops moving: it has caught up."""
    last, same = None, 0
    for _ in range(300):
        rss = t.rss_kb()
        same = same + 1 if rss == last else 0
        if same >= polls:
            return rss
        last = rss
        time.sleep(every)
    return last


def memory_live(workdir, n):
    """Tracer peak RSS with n sleeping processes alive at once."""
    t = Proclife(workdir, "live", out=os.devnull)
    t.start()
    p = subprocess.Popen([STORM, "live", str(n)], stdin=subprocess.PIPE,
                         stdout=subprocess.PIPE, text=True)
    line = p.stdout.readline()
    if not line.startswith("live"):
        raise RuntimeError("plbench-storm live: no live line")
    rss = settle(t)
    p.stdin.write("\n")
    p.stdin.close()
    p.wait()
    settle(t)
    hwm, maps = t.rss_kb("VmHWM"), t.map_rss_kb()
    t.stop()
    return {"live": n, "rss_kb_live": rss, "hwm_kb": hwm, "bpf_map_rss_kb": maps}


def memory_churn(workdir, n, every, log):
    """Tracer RSS along n short lives (vfork storm): it must stay flat."""
    t = Proclife(workdir, "churn", out=os.devnull)
    t.start()
    start_rss = t.rss_kb()
    result = os.path.join(workdir, "churn.json")
    p = subprocess.Popen([STORM, "vfork", str(n), result, str(every)],
                         stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    points = []
    for line in p.stdout:
        k = int(line.split()[1])
        points.append({"lives": k, "rss_kb": settle(t, polls=2, every=0.05),
                       "hwm_kb": t.rss_kb("VmHWM")})
        log(f"churn {k}: RSS {points[-1]['rss_kb']} KiB")
        p.stdin.write("\n")
        p.stdin.flush()
    p.wait()
    t.stop()
    with open(result) as f:
        r = json.load(f)
    return {"start_rss_kb": start_rss, "points": points, "lives": n,
            "wall_s": r["wall_ns"] / 1e9}


def log_for_replay(workdir, n):
    """A real log of a fork storm, for replay to read back."""
    t = Proclife(workdir, "replay-src")
    t.start()
    storm(workdir, "fork", n)
    t.stop()
    # a line an event, header and trailer aside; an exit line with zombie_ts
    # is its zombie moment's too
    with open(t.out) as f:
        events = sum(1 + ('"zombie_ts":' in line) for line in f) - 2
    return t.out, events


def replay(log_path, events, reps):
    """Events per second through replay (model and summary, no output),
    by the replayer's CPU time."""
    rates = []
    for _ in range(reps):
        p = subprocess.Popen([PROCLIFE, "replay", log_path, "-f", "summary", "-o", os.devnull],
                             stdout=subprocess.DEVNULL)
        _, _, ru = os.wait4(p.pid, 0)
        rates.append(events / (ru.ru_utime + ru.ru_stime))
    return rates


def callgrind(workdir, log_path, events):
    """Instructions per replayed event: repeatable where seconds are not."""
    out = os.path.join(workdir, "callgrind.out")
    subprocess.run(["valgrind", "--tool=callgrind", f"--callgrind-out-file={out}",
                    PROCLIFE, "replay", log_path, "-f", "summary", "-o", os.devnull],
                   check=True, capture_output=True)
    with open(out) as f:
        for line in f:
            if line.startswith(("summary:", "totals:")):
                return int(line.split()[1]) / events
    return None


def parse_rates(log_path, events):
    """Replay's reading alone, from memory (build/bench/parse_bench): events
    a second through simdjson ("json") and on to events ("lines")."""
    out = subprocess.run([PARSE_BENCH, log_path], stdout=subprocess.PIPE,
                         stderr=subprocess.STDOUT, text=True).stdout
    rates = {}
    for step in ("json", "lines"):
        m = re.search(step + r": [0-9]+ lines, ([0-9]+) ns CPU", out)
        rates[step] = events / (int(m.group(1)) / 1e9) if m and int(m.group(1)) else None
    return rates


def model_figures():
    """The model alone, fed from memory (build/bench/model_bench)."""
    out = subprocess.run([MODEL_BENCH], stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                         text=True).stdout
    m = re.search(r"([0-9]+) records/s", out)
    b = re.search(r"model memory: ([0-9]+) bytes per live", out)
    return {"records_per_s": int(m.group(1)) if m else None,
            "bytes_per_live": int(b.group(1)) if b else None}

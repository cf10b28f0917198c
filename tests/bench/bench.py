#!/usr/bin/python3
# SPDX-License-Identifier: BSD-2-Clause
"""make bench: what proclife costs and loses, beside its peers, in one run.
Writes build/bench.json and prints a table with each target beside its
figure. A missed target is reported, not failed: this measures, it does not
test. Environment: BENCH_ROUNDS (default 5), BENCH_CHURN (short lives for
the memory figure, default 1000000), BENCH_EXTRA_ROUNDS (fork-storm rounds of
proclife alone, default 10), BENCH_ONE_CPU_ROUNDS (fork-storm rounds with the
storm held to one CPU, default 8)."""
import json
import os
import platform
import shutil
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import phases  # noqa: E402
from report import summarise, table  # noqa: E402
from tracers import (BASELINE, BUILD, Bpftrace, Exitsnoop, Forkstat, Hooks, Proclife,  # noqa: E402
                     proclife_hooks)

ROUNDS = int(os.environ.get("BENCH_ROUNDS", "5"))
# fork-storm rounds of proclife alone beyond those with the peers: its
# all-in figure is near the noise floor, and a median of more runs moves less
EXTRA_ROUNDS = int(os.environ.get("BENCH_EXTRA_ROUNDS", "10"))
# the storm and its children held to one CPU (the tracer runs anywhere):
# runs that vary less than where the scheduler places every child
ONE_CPU_ROUNDS = int(os.environ.get("BENCH_ONE_CPU_ROUNDS", "8"))
CHURN = int(os.environ.get("BENCH_CHURN", "1000000"))
FORK_N, EXEC_N, LIVE_N, CROWD_N = 20000, 1500, 10000, 30000
PER_RECORD_N = 20000  # a storm long enough that the tracer's start weighs little
REPLAY_N = 40000  # lives in the replayed log: start-up is a small part of it
SYSCALLS_N = 2000000  # about a quarter of a second of getppid() calls
STATS = "/proc/sys/kernel/bpf_stats_enabled"


def set_stats(value):
    with open(STATS, "w") as f:
        f.write(value)


def machine():
    with open("/proc/meminfo") as f:
        mem_kb = int(f.readline().split()[1])
    return {"kernel": platform.release(), "cpus": os.cpu_count(),
            "memory_gib": round(mem_kb / 1048576, 1)}


def main():
    if os.geteuid() != 0:
        print("error: make bench needs root (BPF, bpf_stats, peers)", file=sys.stderr)
        return 1
    t0 = time.monotonic()

    def log(msg):
        print(f"[{time.monotonic() - t0:6.1f}s] {msg}", file=sys.stderr, flush=True)

    work = os.path.join(BUILD, "bench-work")
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(work)
    with open(STATS) as f:
        stats_before = f.read().strip()
    raw = {"machine": machine(), "rounds": ROUNDS}
    try:
        # off while ratios are measured, as in production: with it on, every
        # BPF program run reads the clock twice, which forkstat never pays
        set_stats("0")
        hooks = proclife_hooks(work)
        raw["hooks"] = hooks
        peers = [Bpftrace(work), Forkstat(work), Exitsnoop(work)]
        ours = [Proclife(work, "proclife"), Proclife(work, "proclife-text", fmt="text")]
        if BASELINE:  # before and after a change, side by side
            peers.append(Proclife(work, "baseline", binary=BASELINE))
        log(f"fork storm: {FORK_N} lives per run, {ROUNDS} rounds, then {EXTRA_ROUNDS} of "
            "proclife alone")
        raw["fork"] = phases.slowdown(work, "fork", FORK_N, ours + peers + [Hooks(hooks)],
                                      ROUNDS, log, EXTRA_ROUNDS)
        one_cpu = min(os.sched_getaffinity(0))
        raw["one_cpu"] = one_cpu
        log(f"fork storm held to CPU {one_cpu}: {ONE_CPU_ROUNDS} rounds")
        raw["fork_one_cpu"] = phases.slowdown(work, "fork", FORK_N, [ours[0], Hooks(hooks)],
                                              ONE_CPU_ROUNDS, log, cpus={one_cpu})
        log(f"exec storm: {EXEC_N} lives per run")
        raw["exec"] = phases.slowdown(work, "exec", EXEC_N, ours[:1] + peers, ROUNDS, log)
        log(f"every other system call: {SYSCALLS_N} getppid() per run")
        raw["syscall_tax"] = phases.syscall_tax(work, SYSCALLS_N, ours[:1] + peers, ROUNDS)
        log(f"the tracer per record: {PER_RECORD_N} lives per run")
        raw["per_record"] = phases.tracer_per_record(work, PER_RECORD_N, 3)
        log("the tracer while nothing happens")
        raw["idle_ns_per_s"], raw["idle_events"] = phases.idle_cpu(work)
        raw["idle_pipe_ns_per_s"], raw["wake_ms"] = phases.quiet_then_wake(work)
        set_stats("1")  # run_time_ns per program, in runs of their own
        log("BPF time per lifecycle")
        raw["bpf_fork"] = phases.bpf_time(work, "fork", FORK_N, ROUNDS, hooks)
        raw["bpf_exec"] = phases.bpf_time(work, "exec", EXEC_N, ROUNDS, hooks)
        log(f"BPF time per lifecycle with {LIVE_N} processes alive")
        raw["bpf_crowded"] = phases.bpf_time_crowded(work, "fork", FORK_N, ROUNDS, LIVE_N,
                                                     hooks)
        set_stats("0")
        log("smallest ring that loses nothing")
        raw["ring_kb"], raw["ring_tried"] = phases.smallest_ring(work, FORK_N, log)
        raw["attach"] = {}
        for live in (LIVE_N, CROWD_N):
            log(f"start to attached with {live} processes running")
            raw["attach"][live] = phases.attach_time(work, live, 3)
        log(f"memory: {LIVE_N} live")
        raw["live"] = phases.memory_live(work, LIVE_N)
        log(f"memory: {CHURN} short lives")
        raw["churn"] = phases.memory_churn(work, CHURN, CHURN // 10, log)
        log("replay")
        path, events = phases.log_for_replay(work, REPLAY_N)
        raw["replay"] = {"events": events, "rates": phases.replay(path, events, 5),
                         "instr_per_event": phases.callgrind(work, path, events),
                         "parse": phases.parse_rates(path, events)}
        raw["model"] = phases.model_figures()
    finally:
        set_stats(stats_before)
    raw["elapsed_s"] = round(time.monotonic() - t0, 1)
    summary = summarise(raw)
    with open(os.path.join(BUILD, "bench.json"), "w") as f:
        json.dump(summary, f, indent=1, default=list)
    print(table(summary))
    log("wrote build/bench.json")
    return 0


if __name__ == "__main__":
    sys.exit(main())

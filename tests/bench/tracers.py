# SPDX-License-Identifier: BSD-2-Clause
"""Starting, synchronising with and stopping the tracers the benchmark
compares: proclife and its peers. Each start() returns once the tracer sees
events; each stop() returns what it cost and what it saw."""
import json
import os
import re
import select
import signal
import subprocess
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
# where make built (OUT=DIR): the tracer, the storms, and where results go
BUILD = os.path.abspath(os.environ.get("PROCLIFE_BUILD", os.path.join(ROOT, "build")))
PROCLIFE = os.path.join(BUILD, "proclife")
FLOOR = os.path.join(BUILD, "bench", "plbench-floor")
FLOOR_OBJ = os.path.join(BUILD, "bench", "floor.bpf.o")
# another build of proclife measured beside this one (before and after a change)
BASELINE = os.environ.get("BENCH_BASELINE")

# the same fork, exit and reap events proclife reports, streamed with printf
# (tracepoints only: this kernel has no kprobes)
BPFTRACE_SCRIPT = r"""
tracepoint:sched:sched_process_fork { printf("fork %d %d\n", args->parent_pid, args->child_pid); }
tracepoint:sched:sched_process_exit { printf("exit %d %s\n", pid, comm); }
tracepoint:syscalls:sys_exit_wait4 /args->ret > 0/ { printf("reap %d %d\n", pid, args->ret); }
"""


def sched_ns(pid):
    """CPU time so far of a single-threaded process, in ns (schedstat is
    exact; /proc/PID/stat counts in 10 ms ticks)."""
    with open(f"/proc/{pid}/schedstat") as f:
        return int(f.read().split()[0])


def process_cpu_ns(pid):
    """CPU time so far of every thread of a process, in ns (schedstat)."""
    total = 0
    for tid in os.listdir(f"/proc/{pid}/task"):
        try:
            with open(f"/proc/{pid}/task/{tid}/schedstat") as f:
                total += int(f.read().split()[0])
        except OSError:
            pass  # a thread that ended meanwhile: its time is in the process's rusage
    return total


def kernel_threads_cpu():
    """CPU time so far of each of the kernel's own threads (kthreadd's
    children: ksoftirqd, RCU, kworkers), in ns, by (pid, start time). They
    finish part of every process's end (RCU callbacks free its task and its
    pages), and whether a storm does that work itself (softirqs run as it
    re-enables them) or leaves it to ksoftirqd shifts with its timing: a
    figure that counts the storm alone charges a traced run for what an
    untraced one handed to them."""
    times = {}
    for pid in os.listdir("/proc"):
        if not pid.isdigit():
            continue
        try:
            with open(f"/proc/{pid}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
            if pid == "2" or fields[1] == "2":
                with open(f"/proc/{pid}/schedstat") as f:
                    times[(pid, fields[19])] = int(f.read().split()[0])
        except (OSError, IndexError):
            pass  # ended meanwhile
    return times


def kernel_threads_clock():
    """A reader of the kernel threads' CPU ns since it was made: each
    thread's growth, so a kworker that ends (the kernel retires idle ones)
    takes its past with it, not out of the sum; one that starts counts
    whole."""
    since = kernel_threads_cpu()

    def read():
        return sum(ns - since.get(key, 0) for key, ns in kernel_threads_cpu().items())
    return read


def settled_ns(read, idle_ns=200000, every=0.05, quiet_s=0.4):
    """read()'s CPU ns once the work it counts is done: read until quiet_s
    passes in which it grew by less than idle_ns in every interval."""
    last = read()
    quiet = 0
    for _ in range(400):
        time.sleep(every)
        now = read()
        quiet = quiet + 1 if now - last < idle_ns else 0
        last = now
        if quiet * every >= quiet_s:
            return now
    return last


def caught_up_cpu_ns(pid):
    """The tracer's CPU once it has handled everything so far: settled, its
    timer's wakes costing microseconds. quiet_s is longer than any tracer's
    timer period while records come (proclife's 200 ms): one that holds
    records until its timer fires has read them by then. Taken before and
    after a storm, the difference is what the storm cost it; its start-up
    and tear-down stay out, which are no cost per lifecycle and would weigh
    on a short storm."""
    return settled_ns(lambda: process_cpu_ns(pid))


def cpu_rate(pid, seconds):
    """A process's CPU ns a second over the next `seconds`; with the CPU
    and the time it ended at."""
    c0, t0 = process_cpu_ns(pid), time.monotonic()
    time.sleep(seconds)
    c1, t1 = process_cpu_ns(pid), time.monotonic()
    return (c1 - c0) / (t1 - t0), c1, t1


class StormCpu:
    """What a storm cost a tracer's process: its CPU from when it has caught
    up with all before the storm to when it has caught up with the storm,
    less what it spends idle over as long (its timers' wakes, spent with or
    without a storm). The idle rate is measured just before."""
    IDLE_S = 0.25

    def __init__(self, pid):
        self.pid = pid
        caught_up_cpu_ns(pid)
        self.idle_ns_per_s, self.cpu0, self.t0 = cpu_rate(pid, self.IDLE_S)

    def end(self):
        cpu = caught_up_cpu_ns(self.pid) - self.cpu0
        idle = self.idle_ns_per_s * (time.monotonic() - self.t0)
        return {"cpu_ns": cpu - idle, "cpu_ns_with_idle": cpu,
                "idle_ns_per_s": self.idle_ns_per_s}


def status_kb(pid, key):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith(key + ":"):
                return int(line.split()[1])
    return None


def prog_ids(pid):
    """ids of the BPF programs a process holds: its descriptors say so, even
    when other tracers with the same program names run beside it."""
    ids = []
    fddir = f"/proc/{pid}/fdinfo"
    for fd in os.listdir(fddir):
        try:
            with open(os.path.join(fddir, fd)) as f:
                for line in f:
                    if line.startswith("prog_id:"):
                        ids.append(int(line.split()[1]))
        except OSError:
            pass
    return ids


def bpf_stats(ids):
    """{name: (run_time_ns, run_cnt)} of the given programs."""
    out = subprocess.run(["bpftool", "prog", "show", "-j"], capture_output=True, text=True,
                         check=True).stdout
    wanted = set(ids)
    return {p["name"]: (p.get("run_time_ns", 0), p.get("run_cnt", 0))
            for p in json.loads(out) if p["id"] in wanted}


def hooks_of(pid):
    """the tracepoints a process's BPF programs are attached to"""
    out = subprocess.run(["bpftool", "perf", "show", "-j"], capture_output=True, text=True,
                         check=True).stdout
    return sorted({a["tracepoint"] for a in json.loads(out)
                   if a.get("pid") == pid and a.get("tracepoint")})


def proclife_hooks(workdir):
    """the hooks proclife attaches on this kernel, from a run of its own"""
    t = Proclife(workdir, "hooks", out=os.devnull)
    t.start()
    try:
        hooks = hooks_of(t.proc.pid)
    finally:
        t.stop()
    if not hooks:
        raise RuntimeError("bpftool perf show names no hook of proclife's")
    return hooks


class Floor:
    """Programs that do nothing, on the hooks given (tests/bench/floor.bpf.c):
    the hooks' own cost, whatever a program does."""

    def __init__(self, hooks):
        self.hooks = hooks

    def start(self):
        self.proc = subprocess.Popen([FLOOR, FLOOR_OBJ] + self.hooks, stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE, text=True)
        if self.proc.stdout.readline().strip() != "attached":
            self.proc.stdin.close()
            code = self.proc.wait()
            raise RuntimeError(f"plbench-floor: no attached line (exit {code})")

    def stop(self):
        self.proc.stdin.close()
        self.proc.wait()


class StatsFloor(Floor):
    """Beside proclife in runs with kernel.bpf_stats_enabled: an empty
    program's run time is what the stats' own clock reads add to every
    program's run."""

    def start(self):
        super().start()
        self.ids = prog_ids(self.proc.pid)
        self.stats0 = bpf_stats(self.ids)

    def stop(self):
        stats1 = bpf_stats(self.ids)
        super().stop()
        return {k: (stats1[k][0] - v[0], stats1[k][1] - v[1])
                for k, v in self.stats0.items() if k in stats1}


class Hooks(Floor):
    """A storm's "tracer" that is only the hooks proclife attaches, with
    programs that do nothing on them: what the kernel's tracepoints cost a
    storm before any program does its work. Its process holds the links and
    sleeps."""
    name = "hooks alone"

    def start(self):
        super().start()
        self.cpu = StormCpu(self.proc.pid)

    def stop(self):
        cost = self.cpu.end()
        super().stop()
        return cost

    def count(self, pids):
        return {"fork": None, "exit": None, "reap": None}


def wait4(proc, timeout):
    """Reaps proc, returning its CPU ns from its rusage."""
    deadline = time.monotonic() + timeout
    while True:
        pid, status, ru = os.wait4(proc.pid, os.WNOHANG)
        if pid:
            proc.returncode = os.waitstatus_to_exitcode(status)
            return int((ru.ru_utime + ru.ru_stime) * 1e9)
        if time.monotonic() > deadline:
            proc.kill()
            deadline += 10
        time.sleep(0.02)


# the text view's line for a burst of alike events it did not print one by one
FOLDED = re.compile(r"^\s+\.\.\.\s.*\s([\d,]+) more alike ")


class Proclife:
    def __init__(self, workdir, name, fmt="jsonl", ring_kb=None, out=None, binary=None):
        self.name = name
        self.fmt = fmt
        self.out = out or os.path.join(workdir, f"{name}.{fmt}")
        self.args = [binary or PROCLIFE, "trace", "-f", fmt, "-o", self.out]
        # every record through the text view: each is a line or counted in
        # the line that folds its burst, so the records can be counted
        if fmt == "text":
            self.args += ["--events", "all"]
        if ring_kb:
            self.args += ["--ring-kb", str(ring_kb)]

    def start(self):
        if self.out != os.devnull and os.path.exists(self.out):
            os.unlink(self.out)
        t0 = time.monotonic()
        self.proc = subprocess.Popen(self.args, stdout=subprocess.DEVNULL,
                                     stderr=subprocess.PIPE, text=True)
        # the tracer says when it sees everything: no fixed sleep
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            line = self.proc.stderr.readline()
            if not line:
                raise RuntimeError(f"{self.name}: tracer ended before attaching")
            if ": attached," in line:  # "proclife: attached, ...", whatever its name
                self.attach_s = time.monotonic() - t0
                break
        self.ids = prog_ids(self.proc.pid)
        self.stats0 = bpf_stats(self.ids)
        # from here on its CPU is the storm's: what it does as it starts
        # (the processes already running, bpftool's run just now) is done
        self.cpu = StormCpu(self.proc.pid)

    def stop(self):
        stats1 = bpf_stats(self.ids)
        cost = self.cpu.end()
        self.proc.send_signal(signal.SIGINT)
        wait4(self.proc, 120)
        self.proc.stderr.close()
        cost["bpf"] = {k: (stats1[k][0] - v[0], stats1[k][1] - v[1])
                       for k, v in self.stats0.items() if k in stats1}
        return cost

    def rss_kb(self, key="VmRSS"):
        return status_kb(self.proc.pid, key)

    def map_rss_kb(self):
        """RSS of the BPF maps mapped in (the ring buffer, its data pages
        mapped twice): kernel memory, resident from attach on, whatever the
        tracer does."""
        total, in_map = 0, False
        with open(f"/proc/{self.proc.pid}/smaps") as f:
            for line in f:
                w = line.split()
                if "-" in w[0] and len(w) >= 5:
                    in_map = w[-1].startswith("anon_inode:bpf-map")
                elif in_map and w[0] == "Rss:":
                    total += int(w[1])
        return total

    def count(self, pids):
        """What the log says about the storm's children, and its trailer."""
        seen = {"fork": set(), "exit": set(), "reap": set()}
        trailer, lines, event_lines, event_bytes = None, 0, 0, 0
        with open(self.out) as f:
            for line in f:
                folded = FOLDED.match(line)
                lines += int(folded.group(1).replace(",", "")) if folded else 1
                if self.fmt != "jsonl":
                    continue
                e = json.loads(line)
                ev = e.get("ev")
                if ev not in ("header", "trailer", "proc"):
                    event_lines += 1
                    event_bytes += len(line.encode())
                if ev in seen and e.get("pid") in pids:
                    seen[ev].add(e["pid"])
                elif ev == "trailer":
                    trailer = e
        r = {k: len(v) for k, v in seen.items()}
        if trailer:
            r["events"] = sum(v for k, v in trailer["events"].items() if k != "proc")
            r["event_lines"] = event_lines
            r["log_bytes"] = event_bytes
            r["lost"] = trailer["lost_total"]
            ring = trailer.get("ring", {})
            r["ring_records"] = ring.get("records")
            r["ring_bytes"] = ring.get("bytes")
            own = trailer.get("tracer_cpu", {})
            r["tracer_cpu_ns"] = own.get("cpu_ns")
            r["tracer_write_ns"] = own.get("write_ns")
        else:
            r["events"] = lines - 1  # text: a line per event, or a count, under a heading
            r["fork"] = r["exit"] = r["reap"] = None
        return r


class Peer:
    """A peer tracer writing lines to a file; it is ready once the exit of a
    marker process shows up in them."""

    def __init__(self, workdir, name, args):
        self.name = name
        self.args = args
        self.out = os.path.join(workdir, f"{name}.out")
        self.workdir = workdir

    def start(self):
        self.fh = open(self.out, "w")
        self.proc = subprocess.Popen(self.args, stdout=self.fh, stderr=subprocess.STDOUT,
                                     cwd=self.workdir)
        markers, deadline = [], time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"{self.name}: ended before attaching")
            m = subprocess.Popen(["/bin/true"])
            m.wait()
            markers.append(m.pid)
            with open(self.out) as f:
                text = f.read()
            if any(re.search(rf"\b{p}\b", text) for p in markers):
                self.cpu = StormCpu(self.proc.pid)
                return
            time.sleep(0.05)
        raise RuntimeError(f"{self.name}: never showed a marker process")

    def stop(self):
        cost = self.cpu.end()
        self.proc.send_signal(signal.SIGINT)
        wait4(self.proc, 60)
        self.fh.close()
        return cost

    reports = ("fork", "exit", "reap")

    def count(self, pids):
        seen = {"fork": set(), "exit": set(), "reap": set()}
        with open(self.out, errors="replace") as f:
            for line in f:
                self.parse(line.split(), pids, seen)
        return {k: (len(v) if k in self.reports else None) for k, v in seen.items()}


class Bpftrace(Peer):
    def __init__(self, workdir):
        script = os.path.join(workdir, "lifecycle.bt")
        with open(script, "w") as f:
            f.write(BPFTRACE_SCRIPT)
        super().__init__(workdir, "bpftrace", ["bpftrace", script])

    @staticmethod
    def parse(w, pids, seen):
        if len(w) == 3 and w[0] == "fork" and w[2].isdigit() and int(w[2]) in pids:
            seen["fork"].add(int(w[2]))
        elif len(w) >= 2 and w[0] == "exit" and w[1].isdigit() and int(w[1]) in pids:
            seen["exit"].add(int(w[1]))
        elif len(w) == 3 and w[0] == "reap" and w[2].isdigit() and int(w[2]) in pids:
            seen["reap"].add(int(w[2]))


class Forkstat(Peer):
    reports = ("fork", "exit")

    def __init__(self, workdir):
        super().__init__(workdir, "forkstat", ["forkstat", "-l", "-e", "fork,exit"])

    @staticmethod
    def parse(w, pids, seen):
        # "TIME fork PID child ..." and "TIME exit PID STATUS ..."
        if len(w) >= 4 and w[2].isdigit() and int(w[2]) in pids:
            if w[1] == "fork" and w[3] == "child":
                seen["fork"].add(int(w[2]))
            elif w[1] == "exit":
                seen["exit"].add(int(w[2]))


class Exitsnoop(Peer):
    reports = ("exit",)

    def __init__(self, workdir):
        super().__init__(workdir, "exitsnoop", ["stdbuf", "-oL", "exitsnoop"])

    @staticmethod
    def parse(w, pids, seen):
        # "PCOMM PID PPID TID AGE EXIT_CODE"
        if len(w) >= 3 and w[1].isdigit() and int(w[1]) in pids:
            seen["exit"].add(int(w[1]))

# SPDX-License-Identifier: BSD-2-Clause
"""Turns the benchmark's runs into figures (median, min-max) held against
their targets, and into the table make bench prints and the README quotes."""
import re
import statistics

PEERS = ("bpftrace", "forkstat", "exitsnoop")


def spread(values):
    """median, min - max; and the mean with its standard error, for figures
    whose runs scatter more than their median moves"""
    values = [v for v in values if v is not None]
    if not values:
        return None
    n = len(values)
    return {"median": statistics.median(values), "min": min(values), "max": max(values),
            "n": n, "mean": statistics.fmean(values),
            "se": statistics.stdev(values) / n ** 0.5 if n > 1 else None}


def lifecycles(run):
    """every fork on the machine while the storm ran, not only the storm's:
    the programs ran for all of them (others' processes share this VM)"""
    return max(run["bpf"].get("on_fork", (0, 0))[1], run["lives"])


def floor_ns(name, floor):
    """ns a run that bpf_stats' own measurement adds to program `name`: an
    empty program's on the same hook, else the mean of them all"""
    base = re.sub(r"_(live|compat|args|probe)$", "", name)
    rt, cnt = floor.get("floor_" + base.removeprefix("on_"), (0, 0))
    if cnt:
        return rt / cnt
    runs = sum(c for _, c in floor.values())
    return sum(t for t, _ in floor.values()) / runs if runs else 0


def bpf_net(run):
    """ns of BPF time per lifecycle less what the stats' clock reads add"""
    return sum(rt - cnt * floor_ns(name, run.get("floor", {}))
               for name, (rt, cnt) in run["bpf"].items()) / lifecycles(run)


def floor_mean(runs):
    runs_ = sum(c for r in runs for _, c in r.get("floor", {}).values())
    return sum(t for r in runs for t, _ in r.get("floor", {}).values()) / runs_ if runs_ else None


def bpf_cost(runs):
    """ns of BPF time per lifecycle, in total and per program."""
    per_life = [sum(rt for rt, _ in r["bpf"].values()) / lifecycles(r) for r in runs]
    progs = {}
    lives = sum(lifecycles(r) for r in runs)
    for name in sorted({p for r in runs for p in r["bpf"]}):
        rt = sum(r["bpf"].get(name, (0, 0))[0] for r in runs)
        cnt = sum(r["bpf"].get(name, (0, 0))[1] for r in runs)
        progs[name] = {"ns_per_run": rt / cnt if cnt else 0, "runs_per_life": cnt / lives,
                       "ns_per_life": rt / lives}
    return spread(per_life), progs


def saw(runs, kind):
    """fewest of the storm's children a tracer saw, of how many"""
    seen = [r.get(kind) for r in runs]
    if not seen or any(s is None for s in seen):
        return None
    return {"min_seen": min(seen), "lives": runs[0]["lives"],
            "all": all(s == r["lives"] for s, r in zip(seen, runs))}


def per_life(rs, key):
    """a figure of the trailer's per lifecycle of the storm (None when not logged)"""
    return spread([r[key] / r["lives"] for r in rs if r.get(key)])


def beats_peers_each_round(runs):
    """per round: proclife's all-in ns added, and the best peer's; True when
    proclife added less than every peer in every round"""
    rounds = []
    for r in runs["proclife"]:
        peers = [p["added_ns"] for name in PEERS if name in runs
                 for p in runs[name] if p["round"] == r["round"]]
        if peers:  # the extra rounds run proclife alone
            rounds.append({"proclife": r["added_ns"], "best_peer": min(peers)})
    return {"rounds": rounds,
            "every_round": bool(rounds) and all(x["proclife"] < x["best_peer"] for x in rounds)}


def storm_figures(runs):
    out = {"_noise_ns": spread([abs(d) for d in runs.get("_untraced_pairs_kthreads", [])]),
           "_noise_storm_ns": spread([abs(d) for d in runs.get("_untraced_pairs", [])])}
    for name, rs in runs.items():
        if name.startswith("_"):
            continue
        out[name] = {"ratio": spread([r["ratio"] for r in rs]),
                     "rate": spread([r["rate"] for r in rs]),
                     "untraced_rate": spread([r["base"] for r in rs]),
                     "added_ns": spread([r["added_ns"] for r in rs]),
                     "added_storm_ns": spread([r["added_storm_ns"] for r in rs]),
                     "kthreads_ns": spread([r["kthreads_ns"] for r in rs]),
                     "base_kthreads_ns": spread([r["base_kthreads_ns"] for r in rs]),
                     "allin_ratio": spread([r["allin_ratio"] for r in rs]),
                     "tracer_ns_per_life": spread([r["tracer_ns_per_life"] for r in rs]),
                     "idle_us_per_s": spread([r["idle_ns_per_s"] / 1000 for r in rs
                                              if r.get("idle_ns_per_s") is not None]),
                     "records_per_life": per_life(rs, "ring_records"),
                     "ring_bytes_per_life": per_life(rs, "ring_bytes"),
                     "lines_per_life": per_life(rs, "event_lines"),
                     "log_bytes_per_life": per_life(rs, "log_bytes"),
                     "fork": saw(rs, "fork"), "exit": saw(rs, "exit"), "reap": saw(rs, "reap")}
    out["_beats_peers"] = beats_peers_each_round(runs)
    return out


def summarise(raw):
    s = {"machine": raw["machine"], "rounds": raw["rounds"], "elapsed_s": raw["elapsed_s"]}
    s["fork_storm"] = storm_figures(raw["fork"])
    s["exec_storm"] = storm_figures(raw["exec"])
    if raw["fork_one_cpu"]["proclife"]:
        s["fork_storm_one_cpu"] = storm_figures(raw["fork_one_cpu"])
        s["one_cpu"] = raw["one_cpu"]
    s["hooks"] = raw["hooks"]
    ours = raw["fork"]["proclife"] + raw["exec"]["proclife"]
    s["bpf_ns_per_life_fork"], s["bpf_programs_fork"] = bpf_cost(raw["bpf_fork"])
    s["bpf_ns_per_life_exec"], s["bpf_programs_exec"] = bpf_cost(raw["bpf_exec"])
    s["bpf_ns_per_life_crowded"], _ = bpf_cost(raw["bpf_crowded"])
    for kind in ("fork", "exec"):
        s[f"bpf_net_ns_per_life_{kind}"] = spread([bpf_net(r) for r in raw[f"bpf_{kind}"]])
        s[f"stats_floor_ns_{kind}"] = floor_mean(raw[f"bpf_{kind}"])
    s["attach_s"] = {str(k): spread(v) for k, v in raw["attach"].items()}
    # the trailer's exact figures over a long fork storm: CPU since attach,
    # less the part inside write(), per record read
    counted = [r for r in raw["per_record"]
               if r.get("ring_records") and r.get("tracer_cpu_ns") is not None]
    s["unwritten_ns_per_record_jsonl"] = spread([(r["tracer_cpu_ns"] - r["tracer_write_ns"]) /
                                                 r["ring_records"] for r in counted])
    s["write_ns_per_record_jsonl"] = spread([r["tracer_write_ns"] / r["ring_records"]
                                             for r in counted])
    fork_tracer = [r["tracer_ns_per_life"] for r in raw["fork"]["proclife"]]
    bpf_fork = s["bpf_net_ns_per_life_fork"]
    if fork_tracer and bpf_fork:
        s["allin_exact_parts_fork"] = spread([bpf_fork["median"] + x for x in fork_tracer])
    s["syscall_tax_ns"] = {name: spread(v) for name, v in raw.get("syscall_tax", {}).items()}
    s["user_ns_per_event_jsonl"] = spread([r["cpu_ns"] / r["events"] for r in ours
                                           if r["events"]])
    s["user_ns_per_event_text"] = spread([r["cpu_ns"] / r["events"]
                                          for r in raw["fork"]["proclife-text"] if r["events"]])
    s["idle_us_per_s"] = raw["idle_ns_per_s"] / 1000
    s["idle_events"] = raw.get("idle_events")
    s["idle_pipe_us_per_s"] = raw["idle_pipe_ns_per_s"] / 1000
    s["wake_ms"] = spread(raw["wake_ms"])
    s["lost_default"] = spread([r["lost"] for r in ours])
    s["smallest_ring_kb"] = raw["ring_kb"]
    s["ring_tried"] = {str(k): v for k, v in raw["ring_tried"].items()}
    s["live"] = raw["live"]
    s["churn"] = raw["churn"]
    s["replay"] = {"events_per_s": spread(raw["replay"]["rates"]),
                   "events": raw["replay"]["events"],
                   "instr_per_event": raw["replay"]["instr_per_event"],
                   "parse": raw["replay"].get("parse", {})}
    s["model"] = raw["model"]
    s["raw"] = raw
    return s


def fmt(x, digits=0):
    if x is None:
        return "-"
    return f"{x:,.{digits}f}"


def med(sp, digits=0, scale=1.0):
    if not sp:
        return "-", "-"
    return (fmt(sp["median"] * scale, digits),
            f"{fmt(sp['min'] * scale, digits)} - {fmt(sp['max'] * scale, digits)}")


def verdict(ok):
    return "met" if ok else "MISSED"


def saw_text(f):
    parts = []
    for kind in ("fork", "exit"):
        x = f[kind]
        if x is None:
            parts.append(f"{kind}s: not reported")
        else:
            parts.append(f"{kind}s: {'all' if x['all'] else 'min ' + str(x['min_seen'])}"
                         f"/{x['lives']}")
    return ", ".join(parts)


def mean_text(sp):
    """the mean and its standard error over the runs"""
    if not sp or sp.get("se") is None:
        return ""
    return f"mean {fmt(sp['mean'])} +- {fmt(sp['se'])} over {sp['n']} runs; "


def allin_rows(name, figs, label=None):
    """the all-in figures: the storm's CPU, the kernel's threads' and the
    tracer's own, traced minus untraced, per lifecycle; beside them, the
    same without the kernel's threads. label: the storm's, when it is not
    the plain one that carries the targets"""
    rows = []
    beats = figs["_beats_peers"]
    title = label or f"{name} storm"
    for tracer, f in figs.items():
        if tracer.startswith("_"):
            continue
        m, r = med(f["added_ns"])
        note = (f"{mean_text(f['added_ns'])}all-in ratio {med(f['allin_ratio'], 3)[0]}; "
                f"the tracer's own "
                f"{med(f['tracer_ns_per_life'])[0]} ns; the kernel's threads "
                f"{med(f['kthreads_ns'])[0]} ns (untraced {med(f['base_kthreads_ns'])[0]}); "
                f"the storm and the tracer alone {med(f['added_storm_ns'])[0]} ns added "
                f"({med(f['added_storm_ns'])[1]}); idle, it spends "
                f"{med(f['idle_us_per_s'])[0]} us a second")
        if tracer == "hooks alone":
            note += ("; programs that do nothing, on the hooks proclife attaches: the "
                     "tracepoints' own cost")
        target = ok = ""
        if tracer == "proclife" and not label:
            per_round = ", ".join(f"{x['proclife']:.0f}/{x['best_peer']:.0f}"
                                  for x in beats["rounds"] if x["best_peer"] is not None)
            note += f"; per round, ours/best peer's: {per_round}"
            if name == "fork":
                target = "<= 2,000, < every peer each round"
                ok = verdict(f["added_ns"]["median"] <= 2000 and beats["every_round"])
            else:
                target = "< every peer each round"
                ok = verdict(beats["every_round"])
        rows.append((f"{title}, all-in ns added per lifecycle: {tracer}", m, r, target, ok,
                     note))
    rows.append((f"{title}, untraced run beside untraced run, ns apart per lifecycle",
                 *med(figs["_noise_ns"]), "", "",
                 "the noise floor of the rows above: no tracer, the same storm seconds apart; "
                 f"the storm alone {med(figs['_noise_storm_ns'])[0]} "
                 f"({med(figs['_noise_storm_ns'])[1]})"))
    return rows


def record_rows(figs):
    f = figs["proclife"]
    rows = []
    m, r = med(f["records_per_life"], 2)
    rows.append(("ring records per lifecycle (fork storm, jsonl)", m, r, "<= 4",
                 verdict(f["records_per_life"] and f["records_per_life"]["median"] <= 4),
                 f"log lines per lifecycle {med(f['lines_per_life'], 2)[0]}, "
                 f"{med(f['log_bytes_per_life'])[0]} bytes"))
    m, r = med(f["ring_bytes_per_life"])
    rows.append(("ring bytes per lifecycle (fork storm)", m, r, "", "",
                 "with the ring's own 8-byte header per record; was 5 x 232"))
    return rows


def storm_rows(name, figs):
    rows = []
    ours = figs["proclife"]["ratio"]["median"]
    best_peer = max((figs[p]["ratio"]["median"] for p in PEERS if p in figs), default=0)
    mine = figs["proclife"]["ratio"]
    # peers whose min-max overlaps ours: the order of medians is within noise
    close = [p for p in PEERS if p in figs and
             figs[p]["ratio"]["min"] <= mine["max"] and mine["min"] <= figs[p]["ratio"]["max"]]
    for tracer, f in figs.items():
        if tracer.startswith("_"):
            continue
        m, r = med(f["ratio"], 3)
        note = saw_text(f)
        if tracer == "proclife":
            target = ">= 0.97, > every peer"
            ok = verdict(ours >= 0.97 and ours > best_peer)
            if close:
                note += "; ranges overlap " + ", ".join(close)
        else:
            target, ok = "", ""
        rows.append((f"{name} storm, traced/untraced ops per CPU-s: {tracer}", m, r, target, ok,
                     note))
    return rows


def table(s):
    rows = [("figure", "median", "min - max", "target", "", "notes")]
    base = s["fork_storm"]["proclife"]["untraced_rate"]
    rows += allin_rows("fork", s["fork_storm"])
    if "fork_storm_one_cpu" in s:
        rows += allin_rows("fork", s["fork_storm_one_cpu"],
                           f"fork storm held to CPU {s['one_cpu']}")
    rows += allin_rows("exec", s["exec_storm"])
    rows += storm_rows("fork", s["fork_storm"])
    rows += storm_rows("exec", s["exec_storm"])
    rows += record_rows(s["fork_storm"])
    for kind in ("fork", "exec"):
        sp = s[f"bpf_ns_per_life_{kind}"]
        m, r = med(sp)
        progs = s[f"bpf_programs_{kind}"]
        top = sorted(progs.items(), key=lambda kv: -kv[1]["ns_per_life"])
        note = "; ".join(f"{n} {p['ns_per_run']:.0f} ns x {p['runs_per_life']:.1f}"
                         for n, p in top if p["runs_per_life"] > 0.01)
        rows.append((f"BPF ns per lifecycle ({kind} storm)", m, r, "<= 3,000",
                     verdict(sp and sp["median"] <= 3000), note))
    for kind in ("fork", "exec"):
        rows.append((f"BPF ns per lifecycle less bpf_stats' own clock reads ({kind} storm)",
                     *med(s[f"bpf_net_ns_per_life_{kind}"]), "", "",
                     "each program's run time less an empty program's on the same hook, "
                     f"in the same storms ({fmt(s[f'stats_floor_ns_{kind}'])} ns a run on "
                     "average): what the programs cost with the stats off, their dispatch "
                     "aside"))
    sp = s["bpf_ns_per_life_crowded"]
    rows.append(("BPF ns per lifecycle (fork storm, 10,000 processes alive)", *med(sp),
                 "<= 3,000", verdict(sp and sp["median"] <= 3000),
                 "does the cost grow with the tables?"))
    sp = s["unwritten_ns_per_record_jsonl"]
    rows.append(("tracer ns per ring record, all but writing (fork storm, jsonl)", *med(sp),
                 "<= 250", verdict(sp and sp["median"] <= 250),
                 "reading the ring, the model, formatting: the trailer's CPU since attach less "
                 "its CPU inside write(), both exact; 3 storms of 20,000 lives"))
    rows.append(("tracer ns per ring record inside write() (fork storm, jsonl)",
                 *med(s["write_ns_per_record_jsonl"]), "", "",
                 "the file system's work for the lines it is given"))
    sp = s.get("allin_exact_parts_fork")
    rows.append(("fork storm, ns per lifecycle from exact parts: BPF + tracer process", *med(sp),
                 "<= 2,000", verdict(sp and sp["median"] <= 2000),
                 "BPF run time less the stats' own clock reads, plus the tracer's CPU "
                 "(schedstat), each run; "
                 "without the storm's noise, and without the tracepoints' own dispatch"))
    for name, sp in s.get("syscall_tax_ns", {}).items():
        if name == "_untraced_pairs":
            continue
        rows.append((f"any other system call, ns added while traced: {name}", *med(sp, 1), "", "",
                     "getppid() in a loop, traced minus untraced beside it: syscall "
                     "tracepoints (a reap's wait4/waitid, a failed exec) send every call "
                     "of every process through the kernel's traced path" if name == "proclife"
                     else ""))
    sp = s.get("syscall_tax_ns", {}).get("_untraced_pairs")
    if sp:
        rows.append(("any other system call, untraced run beside untraced run, ns apart",
                     *med(sp, 1), "", "", "the noise floor of the rows above"))
    rows.append(("tracer CPU while nothing happens (us a second, a log file)",
                 fmt(s["idle_us_per_s"]), "", "", "",
                 "after 3 s of quiet, over 10 s: its timer slows down when nothing comes" +
                 ("" if s.get("idle_events") is None else
                  f"; the machine's own programs made {s['idle_events']} events meanwhile")))
    rows.append(("tracer CPU while nothing happens (us a second, the text view on a pipe)",
                 fmt(s["idle_pipe_us_per_s"]), "", "", "",
                 "the same, as someone watches the default view"))
    rows.append(("first line after a quiet spell (ms from a program's start to its exec line)",
                 *med(s["wake_ms"], 1), "", "",
                 "after 3 s of quiet, the text view on a pipe: the next record wakes the "
                 "tracer, which reads the rest of its burst 5 ms later"))
    for live, sp in sorted(s["attach_s"].items(), key=lambda kv: int(kv[0])):
        rows.append((f"start to attached, {int(live):,} processes running (s)", *med(sp, 2),
                     "", "", "the bootstrap's pass over them"))
    for kind in ("jsonl", "text"):
        sp = s[f"user_ns_per_event_{kind}"]
        m, r = med(sp)
        rows.append((f"tracer CPU ns per event ({kind} to a file)", m, r, "<= 1,000",
                     verdict(sp and sp["median"] <= 1000), ""))
    sp = s["lost_default"]
    m, r = med(sp)
    rows.append(("events lost at full storm rate, default ring", m, r, "0",
                 verdict(sp and sp["max"] == 0), f"{s['rounds'] * 2} runs"))
    rows.append(("smallest --ring-kb losing none (fork storm)",
                 fmt(s["smallest_ring_kb"]) if s["smallest_ring_kb"] else "> 8192", "", "", "",
                 "tried " + ", ".join(f"{k}: {v} lost" for k, v in
                                      sorted(s["ring_tried"].items(), key=lambda kv: int(kv[0])))))
    live = s["live"]
    rows.append((f"tracer peak RSS, {live['live']:,} live processes (MiB)",
                 fmt(live["hwm_kb"] / 1024, 1), "", "<= 20", verdict(live["hwm_kb"] <= 20 * 1024),
                 f"RSS while they lived {live['rss_kb_live'] / 1024:.1f} MiB; of it the "
                 f"ring buffer mapped in: {live['bpf_map_rss_kb'] / 1024:.1f} MiB"))
    rows.append(("  the same without the BPF maps (MiB)",
                 fmt((live["hwm_kb"] - live["bpf_map_rss_kb"]) / 1024, 1), "", "", "",
                 "the tracer's own heap, code and libraries"))
    ch = s["churn"]
    pts = ch["points"]
    first, last = pts[0]["rss_kb"], pts[-1]["rss_kb"]
    flat = last <= first * 1.1
    rows.append((f"tracer RSS along {ch['lives']:,} short lives (MiB)", fmt(last / 1024, 1),
                 f"{min(p['rss_kb'] for p in pts) / 1024:.1f} - "
                 f"{max(p['rss_kb'] for p in pts) / 1024:.1f}", "flat (last <= first +10%)",
                 verdict(flat),
                 ", ".join(f"{p['lives'] // 1000}k: {p['rss_kb'] / 1024:.1f}" for p in pts)
                 + f"; peak {pts[-1]['hwm_kb'] / 1024:.1f} MiB; {ch['wall_s']:.0f} s"))
    sp = s["replay"]["events_per_s"]
    m, r = med(sp)
    rows.append(("replay events per second (log to summary)", m, r, ">= 2,000,000",
                 verdict(sp["median"] >= 2e6), f"{s['replay']['events']:,} events"))
    parse = s["replay"]["parse"]
    for step, what, note in (
            ("json", "its JSON alone", "each line through simdjson into the list of its "
             "members, from memory: the most replay could reach here"),
            ("lines", "its lines to events", "the JSON and the checks of every field, "
             "before the model")):
        if parse.get(step):
            rows.append((f"replay events per second: {what}", fmt(parse[step]), "", "", "",
                         note))
    rows.append(("replay instructions per event (callgrind)",
                 fmt(s["replay"]["instr_per_event"]), "", "", "", "includes start-up"))
    rows.append(("model alone, records per second (from memory)",
                 fmt(s["model"]["records_per_s"]), "", "", "",
                 f"{s['model']['bytes_per_live']} bytes per live process"))
    rows.append(("untraced fork storm, ops per CPU-s", *med(base), "", "", "for scale"))
    widths = [max(len(str(r[i])) for r in rows) for i in range(6)]
    lines = []
    for i, r in enumerate(rows):
        lines.append("| " + " | ".join(str(c).ljust(w) for c, w in zip(r, widths)) + " |")
        if i == 0:
            lines.append("|" + "|".join("-" * (w + 2) for w in widths) + "|")
    m = s["machine"]
    lines.append(f"\n{m['kernel']}, {m['cpus']} CPUs, {m['memory_gib']} GiB; "
                 f"{s['rounds']} rounds; {s['elapsed_s']:.0f} s\n"
                 "Ratios with kernel.bpf_stats_enabled=0 (as in production); BPF ns per "
                 "lifecycle from separate traced runs with it on (its clock reads included).")
    return "\n".join(lines)

#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-2-Clause
"""The kernel matrix: the built tracer on Debian's own kernels, booted under
qemu, and on the running kernel.

For each kernel it boots Debian's cloud kernel image with an initramfs that
holds busybox, the built proclife, proclife-workload and test programs with
their libraries, and a pid 1 that reaps what it inherits (tests/kernels/
init.c). Inside, tests/kernels/guest.sh traces every workload scenario and
verifies it against its manifest, and traces every case of
tests/e2e/lifecycle_facts.py; the results come back over a second serial
port and the cases are checked here. The same run on the running kernel is
one more column. Prints one table and "kernel matrix: N passed, N failed";
exits 1 if any fact differs or a kernel gave no result.

Kernel packages come from the Debian archive this machine's apt sources
name, through a private apt state directory and source list (the system's
apt configuration is never touched), and are cached in
$PROCLIFE_KERNEL_CACHE (default ~/.cache/proclife/kernels).

Timings inside an emulated guest mean nothing: this checks correctness only.
"""
import argparse
import base64
import concurrent.futures
import glob
import io
import json
import os
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", ".."))
sys.path.insert(0, os.path.join(ROOT, "tests", "e2e"))
from lifecycle_facts import CASES  # noqa: E402
from tracelog import Trace, read_log_lines, shell_status  # noqa: E402

# Debian release -> its kernel: the cloud flavour (small, virtio built in)
SUITES = {"bullseye": "5.10", "bookworm": "6.1", "trixie": "6.12"}
# moving suites, booted only when asked (--suites): their kernel is
# whatever the archive has today, named by its image
MOVING = ("forky", "sid")
KEYRING = "/usr/share/keyrings/debian-archive-keyring.gpg"
# seconds for a whole guest run: one to fifteen minutes under software
# emulation, the newest kernel the longest, and longer on a busy machine
GUEST_TIMEOUT = 2400
BEGIN, END = "proclife-matrix-begin", "proclife-matrix-end"


def say(msg):
    print(f"matrix: {msg}", file=sys.stderr, flush=True)


class MatrixError(Exception):
    pass


def run(argv, **kw):
    r = subprocess.run(argv, capture_output=True, text=True, **kw)
    if r.returncode:
        raise MatrixError(f"{' '.join(argv[:3])}... failed ({r.returncode}): {r.stderr[-2000:]}")
    return r.stdout


# --- kernels, from the Debian archive through a private apt --------------------

def archive_uri():
    """The Debian archive URI this machine's apt sources already name."""
    uris = []
    for path in ["/etc/apt/sources.list", *sorted(glob.glob("/etc/apt/sources.list.d/*.list"))]:
        if os.path.exists(path):
            for line in open(path):
                m = re.match(r"\s*deb\s+(?:\[[^]]*\]\s+)?(\S+)\s+(\S+)", line)
                if m and "security" not in m.group(2):
                    uris.append(m.group(1))
    for path in sorted(glob.glob("/etc/apt/sources.list.d/*.sources")):
        for stanza in open(path).read().split("\n\n"):
            fields = dict(re.findall(r"^(\w[\w-]*):\s*(.*)$", stanza, re.M))
            if "deb" in fields.get("Types", "").split() and "security" not in fields.get("Suites", ""):
                uris += fields.get("URIs", "").split()
    for uri in uris:
        if uri.startswith(("http://", "https://")) and "debian" in uri:
            return uri.rstrip("/")
    raise MatrixError("no Debian archive in this machine's apt sources")


class PrivateApt:
    """apt-get and apt-cache on a source list and state of their own."""

    def __init__(self, top):
        self.top = top
        for d in ("etc/sources.list.d", "etc/preferences.d", "state/lists/partial",
                  "cache/archives/partial"):
            os.makedirs(os.path.join(top, d), exist_ok=True)
        signed = f"[signed-by={KEYRING}] " if os.path.exists(KEYRING) else ""
        uri = archive_uri()
        with open(os.path.join(top, "etc/sources.list"), "w") as f:
            for suite in (*SUITES, *MOVING):
                f.write(f"deb {signed}{uri} {suite} main\n")
        self.opts = [f"-oDir::Etc={top}/etc", f"-oDir::Etc::sourcelist={top}/etc/sources.list",
                     f"-oDir::Etc::sourceparts={top}/etc/sources.list.d",
                     f"-oDir::State={top}/state", "-oDir::State::status=/dev/null",
                     f"-oDir::Cache={top}/cache", "-oAPT::Architecture=amd64",
                     "-oAPT::Sandbox::User=root", "-qq"]
        self.updated = False

    def update(self):
        if not self.updated:
            run(["apt-get", *self.opts, "update"])
            self.updated = True

    def cloud_image(self, suite):
        """The unsigned cloud kernel image package the suite's metapackage names."""
        self.update()
        policy = run(["apt-cache", *self.opts, "policy", "linux-image-cloud-amd64"])
        version = None
        for line in policy.splitlines():
            m = re.match(r"\s+(?:\*\*\*\s+)?(\S+)\s+\d+$", line)
            if m:
                version = m.group(1)
            elif version and f" {suite}/main " in line:
                break
        else:
            raise MatrixError(f"no linux-image-cloud-amd64 in {suite}")
        show = run(["apt-cache", *self.opts, "show", f"linux-image-cloud-amd64={version}"])
        m = re.search(r"^Depends:.*?(linux-image-\S+-cloud-amd64)\b", show, re.M)
        if not m:
            raise MatrixError(f"linux-image-cloud-amd64 {version} names no image")
        # the unsigned image: a package of its own in older suites; from
        # Debian 14 on the image package is a frame around a binary package
        image = m.group(1)
        version_tag = image[len("linux-image-"):]
        for package in (f"{image}-unsigned", f"linux-binary-unsigned-{version_tag}", image):
            found = subprocess.run(["apt-cache", *self.opts, "show", package],
                                   capture_output=True, text=True)
            if found.returncode == 0 and found.stdout.strip():
                return package
        raise MatrixError(f"no package of {suite} holds the image {image} names")

    def download(self, package, where):
        run(["apt-get", *self.opts, "download", package], cwd=where)
        debs = glob.glob(os.path.join(where, f"{package}_*.deb"))
        if not debs:
            raise MatrixError(f"apt-get download {package} left no package")
        return debs[0]


def kernel_version(suite, image):
    """A suite's kernel version: the fixed one, or a moving suite's from its
    image's name (vmlinuz-7.2.13+deb14-cloud-amd64: 7.2)."""
    if suite in SUITES:
        return SUITES[suite]
    m = re.match(r"vmlinuz-(\d+\.\d+)", os.path.basename(image))
    return m.group(1) if m else "?"


def kernel_image(cache, apt, suite):
    """vmlinuz of the suite's cloud kernel, from the cache or the archive."""
    d = os.path.join(cache, suite)
    if suite in MOVING:  # cached by today's package: a newer kernel is fetched
        d = os.path.join(d, apt.cloud_image(suite))
    found = glob.glob(os.path.join(d, "vmlinuz-*"))
    if found:
        return found[0]
    os.makedirs(d, exist_ok=True)
    package = apt.cloud_image(suite)
    say(f"fetching {package}")
    deb = apt.download(package, d)
    with tempfile.TemporaryDirectory() as x:
        run(["dpkg-deb", "-x", deb, x])
        # boot/vmlinuz-VERSION, or (Debian 14) usr/lib/modules/VERSION/vmlinuz.unsigned
        images = [(os.path.basename(p), p) for p in glob.glob(os.path.join(x, "boot", "vmlinuz-*"))]
        images += [("vmlinuz-" + os.path.basename(os.path.dirname(p)), p)
                   for p in glob.glob(os.path.join(x, "usr", "lib", "modules", "*", "vmlinuz*"))]
        if not images:
            raise MatrixError(f"{deb} holds no kernel image")
        name, path = images[0]
        dest = os.path.join(d, name)
        shutil.copy(path, dest + ".part")
        os.rename(dest + ".part", dest)
    os.unlink(deb)
    return dest


# --- the initramfs ------------------------------------------------------------

def libraries(binary):
    """The shared objects a dynamic binary loads, the loader included."""
    r = subprocess.run(["ldd", binary], capture_output=True, text=True)
    if r.returncode:  # static
        return []
    return sorted(set(re.findall(r"(/\S+\.so[.\d]*)", r.stdout)))


def case_trace_args(case, extra):
    """A case's own options; its --mechanisms list goes after the one every
    trace of the column has (extra), which guest.sh then leaves out."""
    args = list(case.trace_args)
    given = extra.split()
    if "--mechanisms" in args and "--mechanisms" in given:
        i = args.index("--mechanisms") + 1
        args[i] = given[given.index("--mechanisms") + 1] + "," + args[i]
    return args


def cases_file(path, extra=""):
    with open(path, "w") as f:
        for c in CASES:
            cmd = " ".join(c.command("@LIFECYCLE@"))
            f.write(f"{c.name}|{' '.join(case_trace_args(c, extra))}|{cmd}\n")


def make_initramfs(build, work):
    root = os.path.join(work, "root")
    shutil.rmtree(root, ignore_errors=True)
    for d in ("bin", "matrix", "proc", "sys", "dev", "tmp"):
        os.makedirs(os.path.join(root, d))
    busybox = shutil.which("busybox") or "/bin/busybox"
    if libraries(busybox):
        raise MatrixError(f"{busybox} is not static: install busybox-static")
    shutil.copy(busybox, os.path.join(root, "bin", "busybox"))
    for applet in run([busybox, "--list"]).split():
        if applet != "busybox":
            os.symlink("busybox", os.path.join(root, "bin", applet))
    programs = [os.path.join(build, "proclife"), os.path.join(build, "proclife-workload"),
                os.path.join(build, "tests", "lifecycle"), shutil.which("strace")]
    for p in programs:
        if not p or not os.access(p, os.X_OK):
            raise MatrixError(f"missing program for the guest: {p}")
        dest = os.path.join(root, "bin", os.path.basename(p))
        if os.path.lexists(dest):
            os.unlink(dest)
        shutil.copy(p, dest)
        for lib in libraries(p):
            target = os.path.join(root, lib.lstrip("/"))
            os.makedirs(os.path.dirname(target), exist_ok=True)
            shutil.copy(os.path.realpath(lib), target)
    shutil.copy(os.path.join(build, "tests", "matrix-init"), os.path.join(root, "init"))
    shutil.copy(os.path.join(HERE, "guest.sh"), os.path.join(root, "matrix", "guest.sh"))
    cases_file(os.path.join(root, "matrix", "cases.txt"))
    image = os.path.join(work, "initramfs.cpio.gz")
    subprocess.run(f"cd '{root}' && find . | cpio -o -H newc --quiet | gzip -1 > '{image}'",
                   shell=True, check=True)
    return image


# --- running ------------------------------------------------------------------

INIT_STARTED = "init: started"  # the guest's init says it first (init.c)


def died_before_init(console):
    """The guest kernel panicked before the matrix's init ran: nothing of the
    project's had run yet (the emulator, now and then, at early boot)."""
    if not os.path.exists(console):
        return False
    text = open(console, errors="replace").read()
    return "Kernel panic" in text and INIT_STARTED not in text


def boot(kernel, initramfs, work):
    """Boots the kernel; returns the directory its results came back into.
    A kernel that dies before the init starts is booted once more."""
    console = os.path.join(work, "console.log")
    data = os.path.join(work, "serial1.txt")
    argv = ["qemu-system-x86_64", "-accel", "tcg,thread=single", "-cpu", "max", "-smp", "2",
            "-m", "1024", "-kernel", kernel, "-initrd", initramfs,
            "-append", "console=ttyS0 panic=-1 quiet", "-display", "none", "-monitor", "none",
            "-serial", f"file:{console}", "-serial", f"file:{data}", "-no-reboot"]
    for attempt in (1, 2):
        try:
            subprocess.run(argv, stdin=subprocess.DEVNULL, capture_output=True,
                           timeout=GUEST_TIMEOUT)
        except subprocess.TimeoutExpired:
            raise MatrixError(f"no end after {GUEST_TIMEOUT} s; console: {tail(console)}") from None
        if attempt == 1 and died_before_init(console):
            say(f"{os.path.basename(kernel)} died before its init started; booting it again:"
                f"{tail(console, 4)}")
            continue
        break
    text = open(data, errors="replace").read() if os.path.exists(data) else ""
    if BEGIN not in text or END not in text:
        raise MatrixError(f"no results came back; console: {tail(console)}")
    payload = text.split(BEGIN, 1)[1].split(END, 1)[0]
    out = os.path.join(work, "out")
    with tarfile.open(fileobj=io.BytesIO(base64.b64decode("".join(payload.split())))) as t:
        t.extractall(out)
    return out


def tail(path, n=30):
    if not os.path.exists(path):
        return "(none)"
    return "\n" + "\n".join(open(path, errors="replace").read().splitlines()[-n:])


def run_host(build, work, extra=""):
    """The same run on the running kernel (extra: options for every trace)."""
    out = os.path.join(work, "out")
    cases = os.path.join(work, "cases.txt")
    cases_file(cases, extra)
    env = dict(os.environ, PROCLIFE=os.path.join(build, "proclife"),
               WORKLOAD=os.path.join(build, "proclife-workload"),
               LIFECYCLE=os.path.join(build, "tests", "lifecycle"), PROCLIFE_ARGS=extra)
    r = subprocess.run(["sh", os.path.join(HERE, "guest.sh"), out, cases], env=env,
                       capture_output=True, text=True, stdin=subprocess.DEVNULL)
    if r.returncode:
        raise MatrixError(f"guest.sh on the host failed: {r.stderr[-2000:]}")
    return out


# --- results ------------------------------------------------------------------

VERDICT = re.compile(r"verify: (\d+) process(?:es)?, (\d+) facts? checked, (\d+) differ")


def scenario_result(out, s):
    """(passed, cell, detail) of one workload scenario."""
    status = read(out, f"{s}.trace-status").strip()
    verify = read(out, f"{s}.verify")
    m = VERDICT.search(verify)
    if status != "0" or not m:
        return False, "FAIL", f"trace exit {status}: {read(out, f'{s}.trace-out')[-1500:]}{verify}"
    checked, differ = int(m.group(2)), int(m.group(3))
    return differ == 0 and checked > 0, f"{checked}/{differ}", verify if differ else ""


def case_result(out, case):
    """The tracer ends with its command's status (128+N for signal N), as
    the log's trailer gives it, and the log holds the case's facts."""
    status = read(out, f"case-{case.name}.trace-status").strip()
    try:
        events = read_log_lines(os.path.join(out, f"case-{case.name}.jsonl"))
    except (ValueError, OSError) as e:
        return False, "FAIL", f"trace exit {status}: {e} {read(out, f'case-{case.name}.err')[-1500:]}"
    trailer = events[-1] if events and events[-1].get("ev") == "trailer" else {}
    expected = shell_status(trailer["exit_status"]) if "exit_status" in trailer else 0
    if status != str(expected):
        return False, "FAIL", (f"trace exit {status}, the command's {expected}: "
                               f"{read(out, f'case-{case.name}.err')[-1500:]}")
    try:
        verdict = case.check(Trace(events, read(out, f"case-{case.name}.out")))
    except (AssertionError, ValueError, KeyError) as e:
        return False, "FAIL", str(e)[:1500]
    if verdict == "n/a":
        return None, "n/a", ""  # the kernel has no such pattern
    return True, "ok", ""


def read(out, name):
    path = os.path.join(out, name)
    return open(path, errors="replace").read() if os.path.exists(path) else ""


REFUSED = re.compile(r"this kernel refused the BPF program .*")


def refusals_result(out):
    """(passed, cell, detail): every program proclife chose for a kernel by
    probing it loads there; one the kernel refuses is traced around, with a
    warning, and a mechanism less, which no fact above may show."""
    said = set()
    for name in sorted(os.listdir(out)):
        if name.endswith((".trace-out", ".err")):
            said.update(m.group(0) for m in REFUSED.finditer(read(out, name)))
    if said:
        return False, "FAIL", "\n".join(sorted(said)) + f"\n(in the traces' messages, {out})"
    return True, "none", ""


def mechanisms(out, scenarios):
    for s in scenarios:
        path = os.path.join(out, f"{s}.jsonl")
        if os.path.exists(path):
            with open(path) as f:
                return json.loads(f.readline()).get("mechanisms", {})
    return {}


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--suites", default=",".join(SUITES),
                    help="Debian releases whose kernels to boot (default: %(default)s; also forky "
                    "and sid, whose kernel is the archive's of the day)")
    ap.add_argument("--no-host", action="store_true", help="leave out the running kernel")
    args = ap.parse_args()
    build = os.path.abspath(os.environ.get("PROCLIFE_BUILD", os.path.join(ROOT, "build")))
    work = os.path.join(build, "kernels")
    cache = os.environ.get("PROCLIFE_KERNEL_CACHE") or os.path.join(
        os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache"), "proclife", "kernels")
    suites = [s for s in args.suites.split(",") if s]
    for s in suites:
        if s not in SUITES and s not in MOVING:
            ap.error(f"unknown suite '{s}' (known: {', '.join((*SUITES, *MOVING))})")
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(work)

    columns = []  # (label, future or exception)
    try:
        apt = PrivateApt(os.path.join(cache, "apt"))
        images = [(s, kernel_image(cache, apt, s)) for s in suites]
        initramfs = make_initramfs(build, work)
    except (MatrixError, OSError, subprocess.CalledProcessError) as e:
        print(f"error: kernel matrix: {e}", file=sys.stderr)
        print(f"kernel matrix: 0 passed, {max(1, len(suites))} failed, 0 skipped")
        return 1

    with concurrent.futures.ThreadPoolExecutor(max_workers=2) as pool:
        booted = {}
        # the newest kernel, the slowest to emulate, first: the others and
        # this machine's runs share the second worker meanwhile
        for suite, image in reversed(images):
            d = os.path.join(work, suite)
            os.makedirs(d)
            say(f"booting {os.path.basename(image)} ({suite})")
            booted[suite] = pool.submit(boot, image, initramfs, d)
        for suite, _ in images:
            columns.append((f"{kernel_version(suite, dict(images)[suite])} ({suite})",
                            booted[suite]))
        if not args.no_host:
            d = os.path.join(work, "host")
            os.makedirs(d)
            columns.append((f"{os.uname().release} (this machine)", pool.submit(run_host, build, d)))
            # the variants no Debian kernel here loads: those for 5.12 to 5.14,
            # which have task storage but no bpf_task_pt_regs() (io_uring's
            # waitid is a hook of its own, which this kernel has)
            d = os.path.join(work, "host-base")
            os.makedirs(d)
            columns.append(("this machine, --mechanisms base,io-waitid,map-iter",
                            pool.submit(run_host, build, d, "--mechanisms base,io-waitid,map-iter")))
        outs = []
        for label, fut in columns:
            try:
                outs.append((label, fut.result(), None))
            except (MatrixError, OSError, tarfile.TarError, ValueError) as e:
                outs.append((label, None, str(e)))

    scenarios = run([os.path.join(build, "proclife-workload"), "--list"]).split("\n")
    scenarios = [l.split()[0] for l in scenarios if l.split() and l.split()[0] != "all"]
    rows = [(s, lambda out, s=s: scenario_result(out, s)) for s in scenarios]
    rows += [(f"lifecycle {c.name}", lambda out, c=c: case_result(out, c)) for c in CASES]
    rows.append(("programs refused", refusals_result))

    passed = failed = skipped = 0
    details = []
    table = [["", *[label for label, _, _ in outs]]]
    for name, result in rows:
        line = [name]
        for label, out, err in outs:
            if out is None:
                ok, cell, detail = False, "-", ""
            else:
                ok, cell, detail = result(out)
            passed += ok is True
            failed += ok is False
            skipped += ok is None
            line.append(cell)
            if detail:
                details.append(f"{name} on {label}:\n{detail.rstrip()}")
        table.append(line)
    for key in mechanisms(next((o for _, o, _ in outs if o), ""), scenarios) or {}:
        table.append([f"mechanism {key}",
                      *[mechanisms(o, scenarios).get(key, "-") if o else "-" for _, o, _ in outs]])
    for label, out, err in outs:
        if err:
            details.append(f"{label}: {err}")
            failed += 1

    widths = [max(len(r[i]) for r in table) for i in range(len(table[0]))]
    print("kernel matrix: facts checked/facts that differ per scenario (proclife verify); "
          "ok, FAIL or n/a (no such pattern on that kernel) per lifecycle case; "
          "none or FAIL for the programs a kernel refused")
    for r in table:
        print("  ".join(c.ljust(w) for c, w in zip(r, widths)).rstrip())
    for d in details:
        print(f"\n{d}")
    print(f"kernel matrix: {passed} passed, {failed} failed, {skipped} skipped")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())

# SPDX-License-Identifier: BSD-2-Clause
"""multiprocessing.Process with start, join, is_alive, name, pid, exitcode."""
import multiprocessing as mp
import sys


def work(n):
    sys.exit(n)


if __name__ == "__main__":
    mp.set_start_method("fork")
    procs = [mp.Process(target=work, args=(i,), name=f"worker-{i}") for i in range(3)]
    for p in procs:
        p.start()
    for p in procs:
        p.join()
    sys.exit(0 if [p.exitcode for p in procs] == [0, 1, 2] else 1)

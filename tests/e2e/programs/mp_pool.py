# SPDX-License-Identifier: BSD-2-Clause
"""multiprocessing.Pool with map: a few workers, many tasks."""
import multiprocessing as mp
import sys


def square(x):
    return x * x


if __name__ == "__main__":
    mp.set_start_method("fork")
    with mp.Pool(3) as pool:
        out = pool.map(square, range(40))
    pool.join()
    sys.exit(0 if out == [x * x for x in range(40)] else 1)

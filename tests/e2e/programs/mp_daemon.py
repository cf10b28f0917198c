# SPDX-License-Identifier: BSD-2-Clause
"""multiprocessing.Process(daemon=True): terminated when the parent exits."""
import multiprocessing as mp
import time


def forever():
    while True:
        time.sleep(1)


if __name__ == "__main__":
    mp.set_start_method("fork")
    d = mp.Process(target=forever, daemon=True)
    d.start()
    time.sleep(0.2)

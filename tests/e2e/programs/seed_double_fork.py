# SPDX-License-Identifier: BSD-2-Clause
"""The double fork that keeps a parent free of zombies: the child forks a
grandchild and exits at once; the grandchild is adopted."""
import os
import sys
import time

r, w = os.pipe()
pid = os.fork()
if pid == 0:
    if os.fork() == 0:
        os.close(r)
        while os.getppid() == pid:
            time.sleep(0.001)
        os._exit(0)  # its end closes the pipe
    os._exit(0)
os.close(w)
os.waitpid(pid, 0)
os.read(r, 1)  # EOF once the grandchild is gone
sys.exit(0)

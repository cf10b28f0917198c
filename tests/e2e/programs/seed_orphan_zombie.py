# SPDX-License-Identifier: BSD-2-Clause
"""A zombie whose parent never collects it, and an orphan: the notes'
examples of what to avoid, run to their end."""
import os
import sys
import time

pid = os.fork()
if pid == 0:
    os._exit(1)
time.sleep(0.3)  # the child is a zombie all this while
os.waitpid(pid, 0)
sys.exit(0)

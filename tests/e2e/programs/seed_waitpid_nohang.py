# SPDX-License-Identifier: BSD-2-Clause
"""waitpid(pid, WNOHANG) polled while the parent keeps busy."""
import os
import sys
import time

pid = os.fork()
if pid == 0:
    time.sleep(0.1)
    os._exit(5)
while True:
    got, status = os.waitpid(pid, os.WNOHANG)
    if got:
        break
    time.sleep(0.01)
sys.exit(0 if os.waitstatus_to_exitcode(status) == 5 else 1)

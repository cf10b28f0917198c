# SPDX-License-Identifier: BSD-2-Clause
"""os.fork then os.wait: the parent collects its child's status."""
import os
import sys

pid = os.fork()
if pid == 0:
    os._exit(3)
got, status = os.wait()
sys.exit(0 if got == pid and os.waitstatus_to_exitcode(status) == 3 else 1)

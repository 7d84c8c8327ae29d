"""Worker processes end with their parent: a killed run leaves no process behind.

Given as the `initializer` of the run's pool (`atelier`), its one process boundary. On Linux
the kernel sends SIGKILL to the worker when its parent dies (prctl PR_SET_PDEATHSIG);
elsewhere, and as a second guard, a daemon thread polls the parent's pid and ends the worker
when it changed.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import signal
import sys
import threading
import time
from typing import TypeVar

T = TypeVar("T")
PR_SET_PDEATHSIG = 1
INTERVALLE = 0.5  # seconds between two looks at the parent


def _guetter(parent: int) -> None:
    while True:
        if os.getppid() != parent:
            os._exit(1)
        time.sleep(INTERVALLE)


def lier_au_parent(parent: int | None = None) -> None:
    """Initializer of a worker: die with `parent` (the pool's process), and leave Ctrl-C to it.
    A terminal sends Ctrl-C to every process of the run: a worker waiting for work died of it
    with a Python traceback on the analyst's screen; the parent stops the workers itself."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    parent = parent or os.getppid()
    if sys.platform.startswith("linux"):
        try:
            libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
            libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
        except OSError:
            pass
    if os.getppid() != parent:  # the parent died before the guard was set
        os._exit(1)
    threading.Thread(target=_guetter, args=(parent,), daemon=True, name="parent").start()

"""Worker processes end with their parent: a killed run leaves no process behind.

Given as the `initializer` of every ProcessPoolExecutor. On Linux the kernel sends SIGKILL
to the worker when its parent dies (prctl PR_SET_PDEATHSIG); elsewhere, and as a second
guard, a daemon thread polls the parent's pid and ends the worker when it changed. A piece of
work done beside the run (`AuCote`, the committee's workbook) is bound the same way.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import os
import pickle
import signal
import sys
import threading
import time
from collections.abc import Callable
from typing import Generic, TypeVar

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


class AuCote(Generic[T]):
    """A piece of work done in a forked process while the caller goes on (Linux: the data is
    shared by the fork, never copied or pickled); elsewhere, or when this process has other
    threads, done at once in this process. `attendre` returns its result when it is done
    (pickled back) and raises its error as it was raised there (an OSError keeps its errno
    and file name); `arreter` kills it (the caller failed first). As a context manager, it is
    killed when the block fails before waiting for it:

        with AuCote(lambda: ecrire(...)) as cote:
            ...  # meanwhile, here
            cote.attendre()
    """

    def __init__(self, travail: Callable[[], T]):
        self.pid: int | None = None
        self._resultat: T | None = None
        self._erreur: Exception | None = None
        # a fork copies only the calling thread: only a process without other threads forks
        # (with letters, the run's workers are alive and their pool has its threads)
        if not sys.platform.startswith("linux") or threading.active_count() > 1:
            self._ici(travail)
            return
        lecture, ecriture = os.pipe()
        parent = os.getpid()
        try:
            pid = os.fork()
        except OSError:  # no process to be had (a limit reached): the work is done here
            os.close(lecture)
            os.close(ecriture)
            self._ici(travail)
            return
        if pid == 0:  # the child: do the work, say how it went, leave without any cleanup of the parent's
            os.close(lecture)
            try:
                lier_au_parent(parent)
                message = pickle.dumps((True, travail()), protocol=pickle.HIGHEST_PROTOCOL)
            except BaseException as exc:
                try:
                    message = pickle.dumps((False, exc))
                except Exception:
                    message = pickle.dumps((False, RuntimeError(f"{type(exc).__name__} : {exc}")))
            try:
                with os.fdopen(ecriture, "wb") as flux:
                    flux.write(message)
            finally:
                os._exit(0)
        os.close(ecriture)
        self.pid, self._lecture = pid, lecture

    def _ici(self, travail: Callable[[], T]) -> None:
        """The work done in this process; its error raised by `attendre`, as from a fork."""
        try:
            self._resultat = travail()
        except Exception as exc:
            self._erreur = exc

    def attendre(self) -> T:
        if self.pid is None:
            if self._erreur is not None:
                erreur, self._erreur = self._erreur, None
                raise erreur
            return self._resultat  # type: ignore[return-value]  # done here, or already waited for
        try:
            with os.fdopen(self._lecture, "rb") as flux:
                self._lecture = -1  # closed with `flux`
                message = flux.read()
            os.waitpid(self.pid, 0)
        except BaseException:
            self.arreter()
            raise
        self.pid = None
        if not message:
            raise RuntimeError("le processus qui travaillait à côté s'est arrêté sans rien dire")
        try:
            reussi, valeur = pickle.loads(message)
        except Exception as exc:  # an error of an odd kind: said all the same
            raise RuntimeError("le processus qui travaillait à côté a échoué") from exc
        if not reussi:
            raise valeur
        return valeur

    def __enter__(self) -> AuCote[T]:
        return self

    def __exit__(self, type_: type[BaseException] | None, exc: BaseException | None, tb: object) -> None:
        if type_ is not None:
            self.arreter()

    def arreter(self) -> None:
        if self.pid is None:
            return
        pid, self.pid = self.pid, None
        with contextlib.suppress(OSError):
            os.kill(pid, signal.SIGKILL)
        with contextlib.suppress(OSError):
            os.waitpid(pid, 0)
        if self._lecture >= 0:
            with contextlib.suppress(OSError):
                os.close(self._lecture)

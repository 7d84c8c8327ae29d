"""The run's worker processes: one pool for the whole run, shared by the stages that keep two
cores busy (reading a large folder, rendering the letters).

Letters are most of a cold run, and a renderer's first letter costs it more than half a
second more than the next ones (importing WeasyPrint, loading the fonts and stylesheets,
cutting the fonts). With one pool for the run, that first letter is laid out in the
workers (`preparer`) while the main process validates and decides, instead of after.

Workers end with their parent (`processus.lier_au_parent`): a killed run leaves none.

    with Atelier(2) as atelier:
        lectures = list(atelier.map(lire_fichier, chemins))
        atelier.preparer(echauffer, dossiers)   # in the background, result ignored
        ...
        pdfs = list(atelier.map(rendre, pages))
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from types import TracebackType
from typing import Any, TypeVar

from campaign.run.processus import lier_au_parent

T = TypeVar("T")
R = TypeVar("R")


class Atelier:
    """A pool of `processus` worker processes, started at its first use, ended with the run."""

    def __init__(self, processus: int = 2):
        self.processus = processus
        self._pool: ProcessPoolExecutor | None = None

    @property
    def parallele(self) -> bool:
        """Whether work goes to worker processes (two or more) rather than this one."""
        return self.processus > 1

    def _executeur(self) -> ProcessPoolExecutor:
        if self._pool is None:
            self._pool = ProcessPoolExecutor(
                max_workers=self.processus, initializer=lier_au_parent, initargs=(os.getpid(),)
            )
        return self._pool

    def preparer(self, fonction: Callable[..., Any], *args: Any) -> None:
        """Run `fonction(*args)` in the background, once per worker (a warm-up: its result is not
        used; it must not raise). Queued after the work already submitted."""
        if self.parallele:
            pool = self._executeur()
            for _ in range(self.processus):
                pool.submit(fonction, *args)

    def map(self, fonction: Callable[[T], R], elements: Iterable[T], chunksize: int = 1) -> Iterator[R]:
        """`fonction` over `elements` in the workers, results in order (as `Executor.map`)."""
        return self._executeur().map(fonction, elements, chunksize=chunksize)

    def fermer(self) -> None:
        """End the workers once their tasks in hand are done; work not begun is dropped; they
        are started again if work comes."""
        if self._pool is not None:
            pool, self._pool = self._pool, None
            pool.shutdown(wait=True, cancel_futures=True)

    def __enter__(self) -> Atelier:
        return self

    def __exit__(
        self, type_: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        # even a failed run waits for the tasks in hand (a letter, a warm-up: a second at most):
        # on Python 3.11, a pool left running at the interpreter's exit may race its own
        # clean-up and print a traceback after the user's sentence (CPython gh-125451, fixed
        # in 3.12 and 3.13 only)
        self.fermer()

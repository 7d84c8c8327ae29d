"""A figure of `make bench`: the median of several runs, with their min and max, the CPU time
they took (this process and the processes it waited for) and the machine's load while they
ran (a loaded machine is said, not hidden)."""

from __future__ import annotations

import os
import resource
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

FOIS = 3  # runs of each figure: the median of three, with min and max


@dataclass
class Mesure:
    """Seconds of each run of one figure."""

    nom: str
    durees: list[float] = field(default_factory=list)
    charge: float = 0.0  # the 1-minute load average after the last run
    calculs: list[float] = field(default_factory=list)  # CPU seconds of each run, all processes

    @property
    def mediane(self) -> float:
        return statistics.median(self.durees)

    @property
    def mini(self) -> float:
        return min(self.durees)

    @property
    def maxi(self) -> float:
        return max(self.durees)

    @property
    def calcul(self) -> float:
        """Median CPU seconds of a run (0 when not recorded)."""
        return statistics.median(self.calculs) if self.calculs else 0.0

    def texte(self, unite: str = "s", facteur: float = 1.0) -> str:
        """'1.23 s (1.20–1.31)' or, per file, '3.1 ms (3.0–3.4)'."""
        chiffres = 2 if self.mediane * facteur < 10 else 1
        m, a, b = (x * facteur for x in (self.mediane, self.mini, self.maxi))
        return f"{m:.{chiffres}f} {unite} ({a:.{chiffres}f}–{b:.{chiffres}f})"


def repeter(
    nom: str, action: Callable[[], object], fois: int = FOIS, avant: Callable[[], object] | None = None
) -> Mesure:
    """Time `action` `fois` times; `avant` (not timed) runs before each, e.g. to empty a cache."""
    mesure = Mesure(nom)
    for _ in range(fois):
        if avant is not None:
            avant()
        debut, cpu = time.perf_counter(), _cpu()
        action()
        mesure.durees.append(time.perf_counter() - debut)
        mesure.calculs.append(_cpu() - cpu)
    mesure.charge = os.getloadavg()[0]
    return mesure


def _cpu() -> float:
    """CPU seconds (user + system) of this process and of the children it has waited for
    (a `campaign run` with its workers, which it waits for)."""
    moi, enfants = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return moi.ru_utime + moi.ru_stime + enfants.ru_utime + enfants.ru_stime


def interpreteur() -> str:
    """The Python that runs the bench (and the runs it times), in French: its path relative to
    the project (`.venv/bin/python`), never a path of the machine that measured."""
    executable = Path(sys.executable)
    try:
        chemin = executable.relative_to(Path.cwd()).as_posix()
    except ValueError:  # outside the project: its name alone
        chemin = executable.name
    return f"Python {sys.version.split()[0]} ({chemin})"


def charge() -> str:
    """The machine's load, in French, with its number of cores."""
    un, cinq, quinze = os.getloadavg()
    return (
        f"charge de la machine {un:.2f} / {cinq:.2f} / {quinze:.2f} (1, 5, 15 min) "
        f"pour {os.cpu_count()} cœurs"
    )


def virgule(x: float, chiffres: int = 1) -> str:
    """French decimal comma, for the README's table."""
    return f"{x:.{chiffres}f}".replace(".", ",")


def ligne(m: Mesure, chiffres: int = 1, gras: bool = False) -> str:
    """'**1,2 s** (1,1–1,4)' for a README cell."""
    coeur = f"{virgule(m.mediane, chiffres)} s"
    return (f"**{coeur}**" if gras else coeur) + f" ({virgule(m.mini, chiffres)}–{virgule(m.maxi, chiffres)})"

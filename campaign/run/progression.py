"""Progress of the long stages (reading, letters, workbook, sending), drawn by `rich` on the
terminal only: into a file, a pipe or a test's buffer, nothing at all is written (the
summary on stdout is the run's plain account).

    with Progression("Courriers", len(pages)) as progression:
        for page in pages:
            ...
            progression.avancer()

A stage whose length is unknown (`total=None`) shows a moving bar and the time spent.
"""

from __future__ import annotations

import sys
from types import TracebackType
from typing import TYPE_CHECKING, TextIO

if TYPE_CHECKING:  # rich is imported only when something is drawn (a tenth of a second)
    from rich.progress import Progress, ProgressColumn, TaskID


def sur_un_terminal(flux: TextIO) -> bool:
    try:
        return flux.isatty()
    except (AttributeError, ValueError):  # a closed or odd stream: not a terminal
        return False


class Progression:
    """One stage's progress line on stderr (or `flux`), drawn only when it is a terminal."""

    def __init__(self, titre: str, total: int | None, flux: TextIO | None = None, detail: str = ""):
        self.titre, self.total, self.fait = titre, total, 0
        self.flux = flux or sys.stderr
        self.actif = sur_un_terminal(self.flux) and total != 0
        self._barre: Progress | None = None
        self._tache: TaskID | None = None
        self._detail = detail

    def __enter__(self) -> Progression:
        if self.actif:
            from rich.console import Console
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

            colonnes: list[ProgressColumn | str] = [TextColumn("{task.description}"), BarColumn()]
            if self.total is not None:
                colonnes.append(MofNCompleteColumn(separator="/"))
            colonnes += [TimeElapsedColumn(), TextColumn("{task.fields[detail]}")]
            console = Console(file=self.flux, force_terminal=True, highlight=False)
            self._barre = Progress(*colonnes, console=console, refresh_per_second=8)
            self._tache = self._barre.add_task(self.titre, total=self.total, detail=self._detail)
            self._barre.start()
        return self

    def avancer(self, n: int = 1, detail: str | None = None) -> None:
        self.fait += n
        if self._barre is not None and self._tache is not None:
            if detail is None:
                self._barre.update(self._tache, advance=n)
            else:  # a new detail is drawn at once, even if the next refresh would miss it
                self._barre.update(self._tache, advance=n, detail=detail, refresh=True)

    def __exit__(
        self, type_exc: type[BaseException] | None, exc: BaseException | None, trace: TracebackType | None
    ) -> None:
        if self._barre is not None and self._tache is not None:
            if self.total is None and type_exc is None:  # an unknown length: full once done
                self._barre.update(self._tache, total=max(self.fait, 1), completed=max(self.fait, 1))
            self._barre.stop()
            self._barre = None

"""The terminal the commands print on: it never makes a command fail.

Whatever its encoding (`PYTHONIOENCODING=ascii`, a cp1252 console, `LANG=C`), a character it
cannot show is replaced (`?`), never an error after the outputs are written or the letters
sent. A reader that leaves (`campaign run … | head`) closes the pipe: what follows is not
printed, and the command ends as it would have, with its own exit code and its outputs
whole. Set once, by the `campaign` command itself (`campaign.cli.programme`).
"""

from __future__ import annotations

import contextlib
import os
import sys
from typing import TextIO


class Flux:
    """A text stream that replaces what it cannot encode and goes quiet once its reader left."""

    def __init__(self, flux: TextIO):
        self._flux = flux
        self.parti = False  # the reader closed the pipe: nothing more is written

    def write(self, texte: str) -> int:
        if not self.parti:
            try:
                self._flux.write(texte)
            except BrokenPipeError:
                self._quitter()
        return len(texte)

    def flush(self) -> None:
        if not self.parti:
            try:
                self._flux.flush()
            except BrokenPipeError:
                self._quitter()

    def _quitter(self) -> None:
        """The reader left: the stream's descriptor now leads nowhere, so that what is still
        buffered, flushed when the process ends, raises no error either."""
        self.parti = True
        with contextlib.suppress(OSError, ValueError):
            nulle = os.open(os.devnull, os.O_WRONLY)
            os.dup2(nulle, self._flux.fileno())
            os.close(nulle)

    def __getattr__(self, nom: str):  # isatty, fileno, encoding…: those of the stream
        return getattr(self._flux, nom)


def preparer() -> None:
    """sys.stdout and sys.stderr that never fail a command (see the module's docstring)."""
    for nom in ("stdout", "stderr"):
        flux = getattr(sys, nom)
        if flux is None or isinstance(flux, Flux):
            continue
        with contextlib.suppress(AttributeError, ValueError, OSError):
            flux.reconfigure(errors="replace")
        setattr(sys, nom, Flux(flux))

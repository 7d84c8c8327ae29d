"""Where the letter templates (gabarits) are: the shipped folder, and a Caf's own before it.

The shipped templates are the top-level `templates/` folder of a checkout; the wheel carries
the same files as `campaign/templates` (see `[tool.setuptools]` in pyproject.toml). A Caf
may name its own folder in `campagne.toml` (`[caf] gabarits`, dossier.md §6): a file found
there wins, a file it lacks is taken from the shipped folder. Every lookup of a template,
stylesheet or font goes through the folder list of `dossiers_gabarits`.
"""

from __future__ import annotations

from pathlib import Path

import campaign

_PAQUET = Path(campaign.__file__).resolve().parent  # the package, wherever it is installed


def dossier_gabarits() -> Path:
    """The shipped templates folder: inside the installed package (a wheel), else the
    checkout's top-level `templates/` (a source tree or an editable install)."""
    installe = _PAQUET / "templates"
    return installe if installe.is_dir() else _PAQUET.parent / "templates"


def dossiers_gabarits(propres: Path | None = None) -> tuple[Path, ...]:
    """The folders a template is looked up in, first found wins: the Caf's own folder
    (`Campagne.gabarits`, already checked to exist) when it has one, then the shipped one."""
    livres = dossier_gabarits()
    if propres is None or propres.resolve() == livres:
        return (livres,)
    return (propres.resolve(), livres)


def chercher(nom: str, dossiers: tuple[Path, ...]) -> Path:
    """The file `nom` (a path relative to a templates folder) in the first folder that has
    it; the shipped one's path when none has it (the caller's read then names it)."""
    for dossier in dossiers:
        if (dossier / nom).is_file():
            return dossier / nom
    return dossiers[-1] / nom

"""Where the letter templates (gabarits) are: the shipped folder, and a Caf's own before it.

The shipped templates are the top-level `templates/` folder of a checkout; the wheel carries
the same files as `campaign/templates` (see `[tool.setuptools]` in pyproject.toml). A Caf
may name its own folder in `campagne.toml` (`[caf] gabarits`, dossier.md §6): a file found
there wins, a file it lacks is taken from the shipped folder. Every lookup of a template,
stylesheet or font goes through the folder list of `dossiers_gabarits`.

A Caf's folder may be anywhere (dossier.md §7): only the files of the kinds the program reads
(`SORTES`: templates, stylesheets, fonts, images) are hashed and used, and a folder holding
more than `OCTETS_MAX` of them, or too many entries to be a templates folder (`/`, `/usr`),
is refused with a sentence (`fichiers`).
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

import campaign
from campaign.erreurs import CampaignError

SORTES = (".j2", ".css", ".svg", ".png", ".jpg", ".jpeg", ".gif", ".ttf", ".otf", ".woff", ".woff2", ".xmp")
OCTETS_MAX = 50 * 1024 * 1024  # of those files in a Caf's folder
ENTREES_MAX = 10_000  # entries looked at in a Caf's folder

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


def _refus(dossier: Path, pourquoi: str) -> CampaignError:
    return CampaignError(
        f"Le dossier de gabarits {dossier} (clé « caf.gabarits » de campagne.toml) {pourquoi} : "
        "ce n'est pas un dossier de gabarits ; nommez le dossier qui ne contient que les gabarits "
        "de la Caf (par exemple _entete.html.j2, courrier.css, un logo), ou retirez la clé."
    )


def fichiers(dossier: Path) -> dict[str, Path]:
    """The files of a templates folder the program may read: relative path (POSIX) -> path.
    Sub-folders are walked without following their links; a file reached through a link is
    counted at its target's size; an unreadable sub-folder is skipped (its files could not be
    read either). CampaignError beyond ENTREES_MAX entries or OCTETS_MAX bytes of them."""
    trouves: dict[str, Path] = {}
    pile, entrees, octets = [dossier], 0, 0
    while pile:
        courant = pile.pop()
        try:
            with os.scandir(courant) as it:
                contenu = list(it)
        except OSError:
            continue
        entrees += len(contenu)
        if entrees > ENTREES_MAX:
            raise _refus(dossier, f"contient plus de {ENTREES_MAX:,} fichiers et dossiers".replace(",", " "))
        for entree in contenu:
            if entree.is_dir(follow_symlinks=False):
                pile.append(Path(entree.path))
                continue
            if not entree.name.lower().endswith(SORTES):
                continue
            try:
                info = os.stat(entree.path)
            except OSError:
                continue
            if not stat.S_ISREG(info.st_mode):
                continue
            octets += info.st_size
            if octets > OCTETS_MAX:
                raise _refus(
                    dossier,
                    f"contient plus de {OCTETS_MAX // 1024 // 1024} Mo de gabarits, d'images et de polices",
                )
            trouves[Path(entree.path).relative_to(dossier).as_posix()] = Path(entree.path)
    return dict(sorted(trouves.items()))

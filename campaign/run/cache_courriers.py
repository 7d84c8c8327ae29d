"""The letters' cache (`<output's parent>/.cache/courriers`): a letter whose content, templates,
rendering code and libraries are those of a letter already rendered is taken from it, never
rendered twice. The key says all of that; the cache keeps only the letters of the last run.
"""

from __future__ import annotations

import hashlib
import json
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from campaign.ecrire.courriers import pdf as moteur_pdf
from campaign.ecrire.gabarits import dossiers_gabarits
from campaign.ecrire.gabarits import fichiers as fichiers_gabarits

MODULES_RENDU = Path(moteur_pdf.__file__).parent  # the PDF engine's adapter: its every module
BIBLIOTHEQUES_RENDU = (
    "weasyprint",
    "pydyf",
    "fonttools",
    "tinycss2",
    "cssselect2",
    "tinyhtml5",
    "pyphen",
    "pillow",
)


def _rendu() -> str:
    """What else makes a letter's bytes: the rendering code and the libraries it drives."""
    h = hashlib.sha256()
    for module in sorted(MODULES_RENDU.glob("*.py")):  # read, not imported: WeasyPrint loads only
        h.update(module.name.encode() + b"\0" + module.read_bytes())  # when a letter is made
    for bibliotheque in BIBLIOTHEQUES_RENDU:
        try:
            h.update(f"{bibliotheque} {version(bibliotheque)}\n".encode())
        except PackageNotFoundError:
            h.update(f"{bibliotheque} absent\n".encode())
    return h.hexdigest()


def empreinte_gabarits(dossiers: tuple[Path, ...] | None = None) -> str:
    """Hash of every file of the kinds read that the templates folders give (names and bytes,
    the first folder's file where two have one), of the rendering code and of the libraries'
    versions: a letter is taken from the cache only if all of them are those it was rendered
    with."""
    trouves: dict[str, Path] = {}
    for dossier in reversed(dossiers or dossiers_gabarits()):
        trouves |= fichiers_gabarits(dossier)  # only the kinds a letter reads, bounded
    h = hashlib.sha256(f"rendu {_rendu()}\n".encode())
    for relatif in sorted(trouves):
        h.update(relatif.encode() + b"\0")
        h.update(hashlib.sha256(trouves[relatif].read_bytes()).digest())
    return h.hexdigest()


def cle_cache(vue: dict, empreinte: str) -> str:
    texte = json.dumps(vue, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256((empreinte + "\n" + texte).encode("utf-8")).hexdigest()


def elaguer(cache: Path, gardees: set[str]) -> None:
    """The cache keeps only the letters of the last run: it never grows season after season."""
    for chemin in cache.glob("*/*"):
        if chemin.stem not in gardees or chemin.suffix != ".pdf":
            chemin.unlink(missing_ok=True)
    for sous in cache.iterdir() if cache.is_dir() else ():
        if sous.is_dir() and not any(sous.iterdir()):
            sous.rmdir()

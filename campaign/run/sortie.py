"""The output folder: never a folder that is not ours, never half written.

`--out S` is a symbolic link to a versioned sibling folder `.S.v<N>` that the program made
(it holds the marker file `MARQUE`). A run writes the whole set into a new `.S.v<N+1>`, then
switches the link with `os.replace` of a new link (atomic on POSIX): at every instant `S`
holds the complete previous set or the complete new one. Versions other than the current
one are leftovers (of a killed run, or the previous set) and are removed, under the lock,
at the start and at the end of a run.

Refused before anything is read or moved (exit 2, one sentence): an `S` equal to, inside or
containing the campagne folder, an existing file, folder or link the program did not make,
and a folder of ours (the link's version, or a copy of it) holding a file that its manifest
does not list (`etrangers`): the user's notes are never removed with the outputs.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import hashlib
import json
import os
import re
import shutil
import stat
from pathlib import Path

from campaign import formats
from campaign.erreurs import CampaignError

MARQUE = ".campaign-sortie"
MANIFESTE = "manifest.json"
# what `campaign envoyer` writes in the output folder: its dry run's previews (envoi.md §1, §5)
APERCUS_ENVOI = re.compile(r"envoi/(apercu/[^/]+\.eml|a_poster\.(pdf|csv))")
# where a run writes, for a folder whose manifest cannot be read
FORME = re.compile(
    r"(dossiers|decisions|decisions_finales|anomalies|publipostage)\.csv|synthese\.xlsx"
    r"|courriers/[^/]+\.pdf|comite/proces-verbal-[^/]+\.pdf"
)
MANIFESTE_MAX = 64 * 1024 * 1024
NOMMES_MAX = 5  # strangers named in the sentence; the others counted
AT_FDCWD, RENAME_EXCHANGE = -100, 2
TEXTE_MARQUE = (
    "Dossier de sortie écrit par campaign : il est remplacé en entier à chaque "
    "exécution de « campaign run ».\n"
)


def absolu(sortie: Path) -> Path:
    """The output path made absolute without following its last component (a link)."""
    sortie = Path(os.path.abspath(sortie))
    return sortie.parent.resolve() / sortie.name


def _versions(sortie: Path) -> dict[int, Path]:
    motif = re.compile(rf"^\.{re.escape(sortie.name)}\.v(\d+)$")
    trouvees = {}
    for p in sortie.parent.iterdir() if sortie.parent.is_dir() else ():
        m = motif.match(p.name)
        if m:
            trouvees[int(m.group(1))] = p
    return trouvees


def _provisoire(sortie: Path) -> Path:
    return sortie.with_name(f".{sortie.name}.lien")


def courante(sortie: Path) -> Path | None:
    """The version folder `sortie` points to, when it is one of ours; None when absent."""
    if not sortie.is_symlink():
        return None
    cible = Path(os.readlink(sortie))
    if cible.parent != Path(".") or cible.name not in {p.name for p in _versions(sortie).values()}:
        return None
    dossier = sortie.parent / cible.name
    return dossier if (dossier / MARQUE).is_file() else None


def verifier(sortie: Path, campagne: Path) -> Path:
    """The absolute output path when the program may write there; CampaignError otherwise."""
    sortie, campagne = absolu(sortie), campagne.resolve()
    cible = sortie.resolve()
    for chemin in {sortie, cible}:
        if chemin == campagne or campagne in chemin.parents or chemin in campagne.parents:
            relation = (
                "est le dossier de campagne"
                if chemin == campagne
                else "est à l'intérieur du dossier de campagne"
                if campagne in chemin.parents
                else "contient le dossier de campagne"
            )
            raise CampaignError(
                f"Le dossier de sortie {sortie} {relation} {campagne} : les sorties remplacent "
                "leur dossier en entier ; choisissez avec --out un dossier à part, par exemple "
                "outputs/2026-2027."
            )
    if not os.path.lexists(sortie):
        return sortie
    if courante(sortie) is not None or _copie(sortie):
        remplacable(sortie)
        return sortie
    quoi = "un lien" if sortie.is_symlink() else "un dossier" if sortie.is_dir() else "un fichier"
    raise CampaignError(
        f"{sortie} existe déjà et n'est pas un dossier de sortie écrit par campaign ({quoi} "
        f"sans le fichier {MARQUE}) : rien n'y a été touché ; choisissez avec --out un dossier "
        "qui n'existe pas encore, ou déplacez celui-ci."
    )


def _manifeste(dossier: Path) -> set[str] | None:
    """The files the manifest lists, read as a regular file only (never through a link, never
    blocking on a FIFO); None when it cannot be read."""
    try:
        fd = os.open(dossier / MANIFESTE, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
        with os.fdopen(fd, "rb") as f:
            if not stat.S_ISREG(os.fstat(f.fileno()).st_mode):
                return None
            return {str(p) for p in json.loads(f.read(MANIFESTE_MAX))["empreintes_sorties"]}
    except (OSError, ValueError, KeyError, TypeError):
        return None


def etrangers(dossier: Path) -> list[str]:
    """The regular files in an output folder of ours that no run wrote there: paths relative
    to it. A run wrote the marker, the manifest and each file the manifest lists (when the
    manifest cannot be read: the files at the places a run writes, `FORME`); `envoyer` its
    previews (envoi/). Links and other special files are not counted: removing them loses
    nothing."""
    listes = _manifeste(dossier)
    trouves = []
    for racine, _, noms in os.walk(dossier):  # links to folders are not followed
        relatif = Path(racine).relative_to(dossier)
        for nom in noms:
            chemin = (relatif / nom).as_posix()
            if not stat.S_ISREG(os.lstat(os.path.join(racine, nom)).st_mode):
                continue
            ecrit = chemin in (MARQUE, MANIFESTE) or (
                chemin in listes if listes is not None else bool(FORME.fullmatch(chemin))
            )
            if not ecrit and not APERCUS_ENVOI.fullmatch(chemin):
                trouves.append(chemin)
    return sorted(trouves)


def remplacable(sortie: Path) -> None:
    """CampaignError, nothing touched, when the outputs to replace (the link's version, or a
    copied set) hold someone's files; checked before the run and again before the switch."""
    dossier = courante(sortie) or (sortie if _copie(sortie) else None)
    trouves = etrangers(dossier) if dossier is not None else []
    if not trouves:
        return
    noms = formats.quelques_noms(trouves, NOMMES_MAX)
    raise CampaignError(
        f"Le dossier de sortie {sortie} contient des fichiers que campaign n'y a pas écrits : "
        f"{noms} ; les sorties sont remplacées en entier à chaque exécution : "
        "déplacez ces fichiers ailleurs, ou choisissez avec --out un autre dossier ; rien n'a "
        "été touché."
    )


def _copie(sortie: Path) -> bool:
    """A real folder holding the marker: a set copied elsewhere (cp -r follows the link)."""
    return not sortie.is_symlink() and sortie.is_dir() and (sortie / MARQUE).is_file()


def _echanger(a: Path, b: Path) -> bool:
    """Swap two paths in one step (Linux renameat2 RENAME_EXCHANGE); False where unavailable."""
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    return renameat2(AT_FDCWD, os.fsencode(a), AT_FDCWD, os.fsencode(b), RENAME_EXCHANGE) == 0


def nettoyer(sortie: Path) -> None:
    """Remove the leftovers of a killed run: every version but the current one (lock held)."""
    garder = courante(sortie)
    for version in _versions(sortie).values():
        if version != garder and ((version / MARQUE).is_file() or not any(version.iterdir())):
            shutil.rmtree(version, ignore_errors=True)
    _provisoire(sortie).unlink(missing_ok=True)


def nouvelle(sortie: Path) -> Path:
    """A new, empty, marked version folder beside `sortie` (lock held)."""
    numero = max(_versions(sortie), default=0) + 1
    dossier = sortie.with_name(f".{sortie.name}.v{numero}")
    dossier.mkdir(parents=True)
    try:
        (dossier / MARQUE).write_text(TEXTE_MARQUE, encoding="utf-8")
    except OSError:  # a full disk: no empty version folder left behind
        shutil.rmtree(dossier, ignore_errors=True)
        raise
    return dossier


def _synchroniser(dossier: Path) -> None:
    """Flush the new set to the disk before the link points to it (a power cut after the
    switch must not leave a link to empty files)."""
    for racine, _, fichiers in os.walk(dossier):
        for nom in fichiers:
            fd = os.open(os.path.join(racine, nom), os.O_RDONLY)
            try:
                os.fsync(fd)
            finally:
                os.close(fd)
    fd = os.open(dossier.parent, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def basculer(sortie: Path, dossier: Path) -> None:
    """Point `sortie` at `dossier` in one atomic step, then remove the previous version."""
    _synchroniser(dossier)
    lien = _provisoire(sortie)
    lien.unlink(missing_ok=True)
    try:
        os.symlink(dossier.name, lien)
    except (OSError, NotImplementedError):  # Windows without the right to make links
        _sans_lien(sortie, dossier)
        return
    if _copie(sortie):  # a copied set, a real folder: swapped with the link, then removed
        if not _echanger(lien, sortie):
            os.rename(sortie, sortie.with_name(f".{sortie.name}.v0"))  # a short gap, once
            os.replace(lien, sortie)
        elif lien.is_dir():
            shutil.rmtree(lien)
    else:
        os.replace(lien, sortie)
    nettoyer(sortie)


def _sans_lien(sortie: Path, dossier: Path) -> None:
    """Where no link can be made: two renames (the output path is missing between them, for an
    instant; the previous set is kept aside until the new one is in place)."""
    ancien = sortie.with_name(f".{sortie.name}.v0")
    if _copie(sortie) or sortie.is_symlink():
        if ancien.exists():
            shutil.rmtree(ancien)
        os.rename(sortie, ancien)
    os.rename(dossier, sortie)
    shutil.rmtree(ancien, ignore_errors=True)
    nettoyer(sortie)


def intacte(sortie: Path) -> bool | None:
    """Whether the output path holds a whole set, checked file by file against the sha256 of
    its manifest; None when there is no output yet."""
    if not os.path.lexists(sortie):
        return None
    try:
        manifest = json.loads((sortie / "manifest.json").read_text(encoding="utf-8"))
        return all(
            hashlib.sha256((sortie / f).read_bytes()).hexdigest() == h
            for f, h in manifest["empreintes_sorties"].items()
        )
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return False


def abandonner(dossier: Path) -> None:
    """A run that failed while writing: its version folder goes (a full disk stays usable)."""
    shutil.rmtree(dossier, ignore_errors=True)

"""A rerun on unchanged inputs: the outputs already there are the ones it would write.

A run is a function of what it reads: every entry of the campagne folder (campagne.toml and
comite/ through their links), last year's outputs it may read (`[historique]`), the
templates folders, the program (its files, its parameter files), the libraries installed, the
Python that runs it, the options (the letters' date: today's when none is given) and the
output path. Their sha256 is the run's key (`cle`). A run that completes records its key, the
manifest's sha256, its exit code and its summary, sealed, in
`<output parent>/.cache/relance/<name>.json`. The next run computes the key first: the same
key, a record whose seal holds, outputs that are regular files and nothing else, each still as
the manifest says (sha256), and it prints the stored summary without reading a workbook.
Anything else, and anything that cannot be hashed, makes a full run.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
import os
import stat
import sys
from dataclasses import dataclass
from pathlib import Path

import campaign
from campaign.ecrire.gabarits import dossiers_gabarits
from campaign.ecrire.gabarits import fichiers as fichiers_gabarits
from campaign.erreurs import CampaignError
from campaign.lire.historique import FICHIERS as FICHIERS_PRECEDENTS
from campaign.run import sortie as dossier_sortie
from campaign.run.fichiers import ecrire_entier

MANIFESTE = "manifest.json"
VERSION_CLE = b"campaign-relance-1"
ENTREES_MAX = 100_000  # entries looked at; beyond, or beyond OCTETS_MAX hashed, no key: a full run
OCTETS_MAX = 2 * 1024**3
OCTETS_ENREGISTRES = 64 * 1024 * 1024  # a manifest or a record larger than that was not written by a run
LIENS_SUIVIS = ("campagne.toml", "comite")  # what a run reads of a campagne through a link


class _TropGrand(Exception):
    """The tree is too large to be hashed quickly: the run does its work instead."""


@dataclass(frozen=True)
class Execution:
    """What a completed run recorded: its exit code and its summary (lines, as printed)."""

    code: int
    resume: list[str]


def _contenu(chemin: str, info: os.stat_result, h, reste: int) -> int:
    """Hash what is at `chemin`: the bytes of a regular file, whatever its size (a dossier
    beyond the reader's cap still has its sha256 written), never more than `reste`; size and
    dates of anything else, never opened (a FIFO, a device). -> the bytes read."""
    if not stat.S_ISREG(info.st_mode):
        h.update(f"{info.st_size}:{info.st_mtime_ns}:{info.st_ctime_ns}:{info.st_ino}".encode())
        return 0
    fd = os.open(chemin, os.O_RDONLY | os.O_NONBLOCK)  # a read that would block raises
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):  # replaced since looked at
            raise OSError(chemin)
        contenu, lus = hashlib.sha256(), 0
        while bloc := os.read(fd, 1 << 20):
            contenu.update(bloc)
            lus += len(bloc)
            if lus > reste:
                raise _TropGrand(chemin)
    finally:
        os.close(fd)
    h.update(contenu.digest())
    return lus


def _arbre(racine: Path, h, suivis: tuple[str, ...] | None = None) -> None:
    """Every entry under `racine`: name, kind, and contents. A link's text, and what it leads
    to where the run reads through links: everywhere (`suivis` None: the templates, the
    program), else under the top-level names `suivis` only (a campagne's campagne.toml and
    comite/; its dossiers are opened O_NOFOLLOW, its sub-folders walked without following).
    A folder reached twice (a link to an ancestor) is walked once."""
    pile, vus, entrees_vues, octets = [racine], set(), 0, 0
    while pile:
        dossier = pile.pop()
        info_dossier = os.stat(dossier)
        if (info_dossier.st_dev, info_dossier.st_ino) in vus:
            continue
        vus.add((info_dossier.st_dev, info_dossier.st_ino))
        with os.scandir(dossier) as entrees:
            triees = sorted(entrees, key=lambda e: os.fsencode(e.name))
        entrees_vues += len(triees)
        if entrees_vues > ENTREES_MAX:
            raise _TropGrand(racine)
        for entree in triees:
            if entree.name == "__pycache__":
                continue
            relatif = os.path.relpath(entree.path, racine)
            info = entree.stat(follow_symlinks=False)
            h.update(b"\0" + os.fsencode(relatif) + b"\0" + str(stat.S_IFMT(info.st_mode)).encode())
            if stat.S_ISLNK(info.st_mode):
                h.update(os.fsencode(os.readlink(entree.path)))
                if suivis is not None and relatif.split(os.sep)[0] not in suivis:
                    continue
                try:
                    info = os.stat(entree.path)
                except OSError:  # dangling, or a loop of links: the link's text says it all
                    continue
                h.update(b"->" + str(stat.S_IFMT(info.st_mode)).encode())
            if stat.S_ISDIR(info.st_mode):
                pile.append(Path(entree.path))
            else:
                octets += _contenu(entree.path, info, h, OCTETS_MAX - octets)


def _bibliotheques() -> list[str]:
    """Installed distributions with their versions, from the names of their metadata folders
    (`pandas-2.2.3.dist-info`): a library upgraded may change the bytes written."""
    noms: set[str] = set()
    for chemin in sys.path:
        try:
            noms.update(n for n in os.listdir(chemin or ".") if n.endswith((".dist-info", ".egg-info")))
        except OSError:
            continue
    return sorted(noms)


def cle(
    campagne_dossier: Path, sortie: Path, gabarits: Path | None, options: dict, historique: Path | None = None
) -> str | None:
    """The run's key, or None when something cannot be looked at (the full run then says what).
    `historique`: last year's output folder (`[historique] precedente`), outside the campagne
    folder: the files of it a run may read are in the key, present or not."""
    h = hashlib.sha256(VERSION_CLE)
    try:
        if historique is not None:
            h.update(b"\n[historique]" + os.fsencode(historique))
            for nom in FICHIERS_PRECEDENTS:
                chemin = historique / nom
                h.update(b"\0" + nom.encode() + b"\0")
                if chemin.exists():
                    _contenu(str(chemin), os.stat(chemin), h, OCTETS_MAX)
                else:
                    h.update(b"absent")
        h.update(b"\n[programme]")
        _arbre(Path(campaign.__file__).parent, h)
        for i, dossier in enumerate(dossiers_gabarits(gabarits)):  # the files of the kinds read
            h.update(f"\n[gabarits{i}]".encode())
            for relatif, chemin in fichiers_gabarits(dossier).items():
                h.update(b"\0" + relatif.encode() + b"\0")
                _contenu(str(chemin), os.stat(chemin), h, OCTETS_MAX)
        h.update(b"\n[campagne]")
        _arbre(campagne_dossier, h, suivis=LIENS_SUIVIS)
    except (OSError, ValueError, _TropGrand, CampaignError):
        return None
    contexte = {
        "python": sys.version,
        "bibliotheques": _bibliotheques(),
        "sortie": str(sortie),
        "options": {k: v.isoformat() if isinstance(v, dt.date) else v for k, v in sorted(options.items())},
    }
    h.update(json.dumps(contexte, sort_keys=True).encode())
    return h.hexdigest()


def _trace(sortie: Path) -> Path:
    return sortie.parent / ".cache" / "relance" / f"{sortie.name}.json"


def _lire(chemin: Path) -> bytes:
    """The bytes of a regular file, never through a link nor blocking (a FIFO put in the place
    of an output or of the record makes a full run, never a hang), at most OCTETS_ENREGISTRES."""
    fd = os.open(chemin, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise ValueError(chemin)
        with os.fdopen(fd, "rb", closefd=False) as f:
            octets = f.read(OCTETS_ENREGISTRES + 1)
    finally:
        os.close(fd)
    if len(octets) > OCTETS_ENREGISTRES:
        raise ValueError(chemin)
    return octets


def _empreinte(chemin: Path) -> str:
    return hashlib.sha256(_lire(chemin)).hexdigest()


def _sceau(cle_: str, manifeste: str, code: int, resume: list[str]) -> str:
    """What the record says, hashed: a record edited by hand (its exit code, its summary) no
    longer matches its seal, and the run does its work."""
    return hashlib.sha256(json.dumps([cle_, manifeste, code, resume]).encode()).hexdigest()


def enregistrer(sortie: Path, cle_: str | None, code: int, resume: list[str]) -> None:
    """Record what the run that just wrote `sortie` was and what it said. Best effort: a record
    that cannot be written (full disk) only means a full run next time."""
    if cle_ is None:
        return
    trace = _trace(sortie)
    try:
        manifeste = _empreinte(sortie / MANIFESTE)
        donnees = {
            "cle": cle_,
            "manifeste": manifeste,
            "code": code,
            "resume": resume,
            "sceau": _sceau(cle_, manifeste, code, resume),
        }
        ecrire_entier(trace, (json.dumps(donnees, ensure_ascii=False, indent=1) + "\n").encode("utf-8"))
    except OSError:
        with contextlib.suppress(OSError):  # a stale record must not stand; a folder is never read
            trace.unlink(missing_ok=True)


def _seuls_fichiers_ecrits(sortie: Path) -> bool:
    """The folder holds the manifest's files, the manifest and the marker, each a regular file
    (never a link), and the folders that hold them: nothing else, not even an empty folder."""
    manifeste = json.loads(_lire(sortie / MANIFESTE))
    attendus = {*manifeste["empreintes_sorties"], MANIFESTE, dossier_sortie.MARQUE}
    dossiers = {str(p) for f in attendus for p in Path(f).parents if str(p) != "."}
    fichiers: set[str] = set()
    for racine, sous, noms in os.walk(sortie.resolve()):  # links are listed, never followed
        relatif = Path(racine).relative_to(sortie.resolve())
        for nom in sous:
            if os.path.islink(os.path.join(racine, nom)) or str(relatif / nom) not in dossiers:
                return False
        for nom in noms:
            if not stat.S_ISREG(os.lstat(os.path.join(racine, nom)).st_mode):
                return False
            fichiers.add(str(relatif / nom))
    return fichiers == attendus


def deja_faite(sortie: Path, cle_: str | None) -> Execution | None:
    """The recorded run when it had this key and its outputs are all still as written."""
    if cle_ is None:
        return None
    try:
        trace = json.loads(_lire(_trace(sortie)))
        if (
            trace["cle"] != cle_
            or trace["sceau"] != _sceau(cle_, trace["manifeste"], trace["code"], trace["resume"])
            or not _seuls_fichiers_ecrits(sortie)  # first: every output a regular file
            or trace["manifeste"] != _empreinte(sortie / MANIFESTE)
            or not dossier_sortie.intacte(sortie)
        ):
            return None
        return Execution(int(trace["code"]), [str(ligne) for ligne in trace["resume"]])
    except (OSError, ValueError, KeyError, TypeError):
        return None

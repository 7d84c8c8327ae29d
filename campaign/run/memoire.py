"""What was read, kept: a warm rerun reads again only the files that changed.

Each `Lecture` is kept under a key, the sha256 of the file's name and bytes (its anomalies
cite the name), in packs: `<cache>/<version>/<name>.pickle`, each a pickled dict key -> the
pickled reading, written by the process that read a batch of files (one file per batch, not
per dossier: creating thousands of small files cost more than reading them). The version is
a hash of the program's own sources, of python-calamine's version and of Python's: a file
renamed, edited, or read by another version of the program is read again. A pack that cannot
be loaded is removed and its files read again; the folders of other versions are removed;
when most kept readings are no longer of use, the ones used are packed anew and the old packs
go (`ranger`). The cache is the program's own, beside the letters' (`<output's
parent>/.cache/lectures`): it trusts what it wrote there as it trusts the outputs folder.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import pickle
import shutil
import sys
from importlib.metadata import version
from pathlib import Path

import campaign
from campaign.lire.entrees import lire_entree, nom_affiche
from campaign.lire.lecture import IGNORE, Lecture, lire_fichier
from campaign.run.fichiers import ecrire_entier

PROTOCOLE = 5
PAR_PAQUET = 64  # readings per pack written by `ranger`
INUTILES_MAX = 1_000  # kept readings not used by a run, beyond which `ranger` packs anew


@functools.cache
def version_programme() -> str:
    """Hash of every source file of the package and of the reader's and Python's versions."""
    racine = Path(campaign.__file__).parent
    h = hashlib.sha256(f"{sys.version}\ncalamine {version('python-calamine')}\n".encode())
    for source in sorted(racine.rglob("*.py")):
        h.update(source.relative_to(racine).as_posix().encode() + b"\0" + source.read_bytes())
    return h.hexdigest()[:16]


def _cle(nom: str, sha256: str) -> str | None:
    if not sha256 or nom.startswith(("~$", ".")):
        return None
    return hashlib.sha256(f"{nom}\0{sha256}".encode()).hexdigest()


class Memoire:
    """The kept readings of one cache folder; `dossier=None`: nothing kept, nothing found.
    Picklable: the reading processes keep what they read (`lire`)."""

    def __init__(self, dossier: Path | None):
        self.dossier = dossier / version_programme() if dossier is not None else None
        if self.dossier is not None and dossier is not None and dossier.is_dir():
            for ancien in dossier.iterdir():  # another version's readings: of no use now
                if ancien != self.dossier and ancien.is_dir():
                    shutil.rmtree(ancien, ignore_errors=True)
        self._index: dict[str, bytes] | None = None  # key -> pickled reading, loaded once
        self._paquets: list[Path] = []  # the packs loaded
        self._utilisees: set[str] = set()

    def __getstate__(self) -> dict:
        """What a reading process receives: the folder, not the readings loaded."""
        return {**self.__dict__, "_index": None, "_paquets": [], "_utilisees": set()}

    def _charger(self) -> dict[str, bytes]:
        """Every kept reading of this version (none when there is no folder: a first run)."""
        if self._index is not None:
            return self._index
        self._index = {}
        if self.dossier is None or not self.dossier.is_dir():
            return self._index
        for paquet in sorted(self.dossier.glob("*.pickle")):
            try:
                contenu = pickle.loads(paquet.read_bytes())
                if not isinstance(contenu, dict):
                    raise TypeError(paquet)
            except FileNotFoundError:  # removed meanwhile by another run's `ranger`
                continue
            except Exception:  # a damaged pack, of any kind: its files are read again
                paquet.unlink(missing_ok=True)
                continue
            self._index.update(contenu)
            self._paquets.append(paquet)
        return self._index

    def reprendre(self, chemin: Path) -> Lecture | None:
        """The file's kept reading, or None (not kept, or unreadable: then read it again)."""
        index = self._charger()
        if not index:  # nothing kept: no file hashed twice
            return None
        contenu = lire_entree(chemin)  # bounded, never an exception: as `lire_fichier` reads it
        nom = nom_affiche(chemin.name)
        cle = _cle(nom, contenu.sha256) if contenu.octets is not None else None
        if cle is None or cle not in index:
            return None
        try:
            lecture = pickle.loads(index[cle])
        except Exception:  # a damaged entry, of any kind, is only a miss
            return None
        if not isinstance(lecture, Lecture) or lecture.fichier != nom:
            return None
        self._utilisees.add(cle)
        return lecture

    def lire(self, chemins: list[Path]) -> list[Lecture]:
        """Read the files and keep their readings in one pack (in the process that read them)."""
        lectures = [lire_fichier(chemin) for chemin in chemins]
        self._ecrire(
            {
                cle: pickle.dumps(lecture, protocol=PROTOCOLE)
                for lecture in lectures
                if lecture.statut != IGNORE and (cle := _cle(lecture.fichier, lecture.sha256))
            }
        )
        return lectures

    def _ecrire(self, paquet: dict[str, bytes]) -> None:
        """One pack, named after its keys, written aside then renamed: never half a pack."""
        if self.dossier is None or not paquet:
            return
        with contextlib.suppress(OSError):  # a full or read-only disk: the run goes on without them
            ecrire_entier(self.dossier / _nom(list(paquet)), pickle.dumps(paquet, protocol=PROTOCOLE))

    def ranger(self) -> None:
        """After a run: when the packs loaded hold many readings it did not use (files changed
        or gone), or are many small ones, the readings it used are packed anew and the packs
        loaded removed (the packs written by this run stay)."""
        if self._index is None or not self._paquets:
            return
        utilisees = sorted(self._utilisees)
        lots = [utilisees[i : i + PAR_PAQUET] for i in range(0, len(utilisees), PAR_PAQUET)]
        inutiles = len(self._index) - len(utilisees)
        if inutiles <= INUTILES_MAX and len(self._paquets) <= 4 * len(lots) + 16:
            return
        for lot in lots:
            self._ecrire({cle: self._index[cle] for cle in lot})
        nouveaux = {_nom(lot) for lot in lots}
        for paquet in self._paquets:
            if paquet.name not in nouveaux:
                paquet.unlink(missing_ok=True)


def _nom(cles: list[str]) -> str:
    """A pack's file name: the hash of its keys (the same readings, the same pack)."""
    return hashlib.sha256("\n".join(sorted(cles)).encode()).hexdigest() + ".pickle"

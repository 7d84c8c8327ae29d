"""What was read, kept: a warm rerun reads again only the files that changed.

Each `Lecture` is kept in `<cache>/<version>/<key>.pickle`, where the key is the sha256 of
the file's name and bytes (its anomalies cite the name), and the version a hash of the
program's own sources, of python-calamine's version and of Python's: a file renamed,
edited, or read by another version of the program is read again. An entry that cannot be
loaded is read again and rewritten; the folders of other versions are removed. The cache is
the program's own, beside the letters' (`<output's parent>/.cache/lectures`): it trusts
what it wrote there as it trusts the outputs folder.
"""

from __future__ import annotations

import functools
import hashlib
import os
import pickle
import shutil
import sys
import tempfile
from importlib.metadata import version
from pathlib import Path

import campaign
from campaign.lire.entrees import lire_entree, nom_affiche
from campaign.lire.lecture import IGNORE, Lecture

PROTOCOLE = 5


@functools.cache
def version_programme() -> str:
    """Hash of every source file of the package and of the reader's and Python's versions."""
    racine = Path(campaign.__file__).parent
    h = hashlib.sha256(f"{sys.version}\ncalamine {version('python-calamine')}\n".encode())
    for source in sorted(racine.rglob("*.py")):
        h.update(source.relative_to(racine).as_posix().encode() + b"\0" + source.read_bytes())
    return h.hexdigest()[:16]


class Memoire:
    """The kept readings of one cache folder; `dossier=None`: nothing kept, nothing found."""

    def __init__(self, dossier: Path | None):
        self.dossier = dossier / version_programme() if dossier is not None else None
        if self.dossier is not None and dossier is not None and dossier.is_dir():
            for ancien in dossier.iterdir():  # another version's readings: of no use now
                if ancien != self.dossier and ancien.is_dir():
                    shutil.rmtree(ancien, ignore_errors=True)

    def _garde(self, nom: str, sha256: str) -> Path | None:
        if self.dossier is None or not sha256 or nom.startswith(("~$", ".")):
            return None
        h = hashlib.sha256(f"{nom}\0{sha256}".encode()).hexdigest()
        return self.dossier / h[:2] / f"{h}.pickle"

    def reprendre(self, chemin: Path) -> Lecture | None:
        """The file's kept reading, or None (not kept, or unreadable: then read it again)."""
        if self.dossier is None:
            return None
        contenu = lire_entree(chemin)  # bounded, never an exception: as `lire_fichier` reads it
        nom = nom_affiche(chemin.name)
        garde = self._garde(nom, contenu.sha256) if contenu.octets is not None else None
        if garde is None or not garde.is_file():
            return None
        try:
            lecture = pickle.loads(garde.read_bytes())
        except Exception:  # a damaged entry, of any kind, is only a miss
            return None
        return lecture if isinstance(lecture, Lecture) and lecture.fichier == nom else None

    def garder(self, lecture: Lecture) -> Lecture:
        """Keep `lecture`, under the sha256 of the bytes it read (written aside, then renamed:
        never half an entry)."""
        garde = self._garde(lecture.fichier, lecture.sha256)
        if garde is None or lecture.statut == IGNORE:
            return lecture
        provisoire = None
        try:
            garde.parent.mkdir(parents=True, exist_ok=True)
            fd, provisoire = tempfile.mkstemp(dir=garde.parent, prefix=".", suffix=".part")
            with os.fdopen(fd, "wb") as f:
                f.write(pickle.dumps(lecture, protocol=PROTOCOLE))
            os.replace(provisoire, garde)
        except OSError:  # a full or read-only disk: the run goes on without keeping it
            if provisoire is not None:
                Path(provisoire).unlink(missing_ok=True)
        return lecture

"""The entries of a campagne folder: every one accounted for, none fatal.

Only regular files are opened, never through a link (O_NOFOLLOW), without blocking
(O_NONBLOCK: a FIFO never hangs the run) and never beyond `OCTETS_MAX` (a link to
/dev/zero or a huge file is never read whole). A name that is not UTF-8 is listed with its
bytes escaped (`\\xe9`). The committee's and the sending's folders, and the Caf's own
templates folder, are not dossiers: they are not listed at all.
"""

from __future__ import annotations

import hashlib
import os
import stat
from dataclasses import dataclass
from pathlib import Path

from campaign.lire.caracteres import retire

NON_DOSSIERS = ("campagne.toml", "comite", "envois")  # campagne.toml, comite.md, envoi.md
OCTETS_MAX = 20 * 1024 * 1024  # a dossier weighs well under 1 MB
EXTENSIONS_CLASSEURS = (".xlsx", ".xlsm", ".ods", ".xls", ".xlsb")
ENTREES_MAX = 10_000  # entries looked at to count a sub-folder's workbooks


def nom_affiche(nom: str) -> str:
    """A file name as text: the bytes that are not UTF-8 escaped (`\\xe9`), never a crash; the
    characters that hide or reorder text escaped too (`\\x07`, `\\u202e`, dossier.md §7)."""
    texte = nom.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
    return "".join(_echappe(c) if retire(c) or c in "\t\n" else c for c in texte)


def _echappe(c: str) -> str:
    """`\\x1b` as Python writes it, `\\u202e` beyond one byte."""
    return f"\\x{ord(c):02x}" if ord(c) < 0x100 else f"\\u{ord(c):04x}"


def fichiers_du_dossier(dossier: Path, exclus: tuple[str, ...] = ()) -> list[Path]:
    """Every entry of the campagne folder but the non-dossiers, in name order."""
    ecartes = set(NON_DOSSIERS) | set(exclus)
    return sorted((p for p in dossier.iterdir() if p.name not in ecartes), key=lambda p: nom_affiche(p.name))


@dataclass
class Contenu:
    """What an entry gave: its bytes (regular file within bounds), or why not."""

    octets: bytes | None
    sha256: str
    sorte: str  # "fichier", "dossier", "lien", "special", "trop-gros", "disparu", "interdit", "erreur"
    detail: str = ""


def _classeurs(dossier: Path) -> int:
    n = 0
    for i, (_, _, fichiers) in enumerate(os.walk(dossier)):
        n += sum(f.lower().endswith(EXTENSIONS_CLASSEURS) for f in fichiers)
        if i > ENTREES_MAX:
            break
    return n


def _sha_flux(fd: int) -> str:
    h = hashlib.sha256()
    while bloc := os.read(fd, 1 << 20):
        h.update(bloc)
    return h.hexdigest()


def lire_entree(chemin: Path, octets_max: int | None = None) -> Contenu:
    """The bytes of a regular file of at most `octets_max` (a dossier's OCTETS_MAX by default),
    or the kind of entry it is; never an exception."""
    octets_max = OCTETS_MAX if octets_max is None else octets_max
    try:
        info = os.lstat(chemin)
    except FileNotFoundError:
        return Contenu(None, "", "disparu")
    except OSError as exc:
        return Contenu(None, "", "erreur", exc.strerror or type(exc).__name__)
    if stat.S_ISLNK(info.st_mode):
        return Contenu(None, "", "lien", os.readlink(chemin) if os.path.islink(chemin) else "")
    if stat.S_ISDIR(info.st_mode):
        return Contenu(None, "", "dossier", str(_classeurs(chemin)))
    if not stat.S_ISREG(info.st_mode):
        return Contenu(None, "", "special")
    try:
        fd = os.open(chemin, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    except FileNotFoundError:
        return Contenu(None, "", "disparu")
    except PermissionError:
        return Contenu(None, "", "interdit")
    except OSError as exc:
        return Contenu(None, "", "erreur", exc.strerror or type(exc).__name__)
    try:
        ouvert = os.fstat(fd)
        if not stat.S_ISREG(ouvert.st_mode):  # replaced between lstat and open
            return Contenu(None, "", "special")
        if ouvert.st_size > octets_max:
            return Contenu(None, _sha_flux(fd), "trop-gros", str(ouvert.st_size))
        morceaux, total = [], 0
        while bloc := os.read(fd, 1 << 20):
            morceaux.append(bloc)
            total += len(bloc)
            if total > octets_max:  # grew while read
                return Contenu(None, "", "trop-gros", str(total))
        octets = b"".join(morceaux)
        return Contenu(octets, hashlib.sha256(octets).hexdigest(), "fichier")
    except OSError as exc:
        return Contenu(None, "", "erreur", exc.strerror or type(exc).__name__)
    finally:
        os.close(fd)


def phrase(contenu: Contenu, nom: str) -> str:
    """Why an entry that is not a readable regular file was not read, and what to do."""
    d = contenu.detail
    mo = int(d) // 1024 // 1024 if contenu.sorte == "trop-gros" else 0
    return {
        "lien": f"« {nom} » est un lien symbolique (vers « {nom_affiche(d)} ») : il n'est pas suivi ; "
        "copiez le classeur lui-même dans le dossier de campagne.",
        "special": f"« {nom} » n'est pas un fichier ordinaire (tube, périphérique ou socket) : il n'est "
        "pas lu ; retirez-le du dossier de campagne.",
        "trop-gros": f"« {nom} » pèse {mo} Mo, bien plus qu'un dossier "
        f"(au plus {OCTETS_MAX // 1024 // 1024} Mo) : il n'est pas lu ; "
        "demandez au porteur un classeur sans images ni pièces jointes.",
        "disparu": f"« {nom} » a disparu du dossier pendant la lecture : remettez-le, puis relancez.",
        "interdit": f"« {nom} » ne peut pas être lu (permission refusée) : donnez le droit de lecture "
        "sur ce fichier (ou copiez-le), puis relancez.",
        "erreur": f"« {nom} » ne peut pas être lu ({d}) : copiez-le à nouveau dans le dossier de "
        "campagne, puis relancez.",
    }[contenu.sorte]

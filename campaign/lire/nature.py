"""What a file is, in the operator's words, when it cannot be read as a workbook (dossier.md §7).

A sentence names what the file is (not a workbook, and which kind of file it seems to be; a
workbook with Excel 4.0 macro sheets; a workbook whose XML declares entities; a damaged
one; a protected one) and what to do; never a library's name or an exception's. Only a
protected workbook's sentence speaks of a password.
"""

from __future__ import annotations

import io
import zipfile

PROTEGE = "le classeur est protégé par un mot de passe : enregistrez-le sans mot de passe"
ENDOMMAGE = (
    "le classeur est endommagé : ouvrez-le dans Excel ou LibreOffice et enregistrez-le à nouveau "
    "au format .xlsx"
)
ENTITES = (
    "le classeur déclare des entités dans son XML, ce qu'aucun tableur n'écrit et qui peut servir "
    "à saturer la machine qui le lit : il est refusé par sécurité ; ouvrez-le dans Excel ou "
    "LibreOffice et enregistrez-le à nouveau au format .xlsx"
)
MACROS = (
    "le classeur contient des feuilles de macros Excel 4.0, que le programme ne lit pas : copiez "
    "ses feuilles dans un classeur sans macros (le dossier vierge, par exemple) et enregistrez-le "
    "au format .xlsx"
)
_SORTES = (
    (b"\x09\x00", "un classeur Excel 2 (1987), un format trop ancien pour être lu"),
    (b"\x09\x02", "un classeur Excel 3 (1990), un format trop ancien pour être lu"),
    (b"\x09\x04", "un classeur Excel 4 (1992), un format trop ancien pour être lu"),
    (b"%PDF", "un document PDF"),
    (b"{\\rtf", "un document RTF (traitement de texte)"),
    (b"\x89PNG", "une image"),
    (b"\xff\xd8\xff", "une image"),
    (b"GIF8", "une image"),
)


def _sorte(contenu: bytes) -> str:
    """What kind of file the bytes seem to be, for a sentence."""
    for debut, sorte in _SORTES:
        if contenu.startswith(debut):
            return sorte
    if contenu.startswith(bytes.fromhex("d0cf11e0a1b11ae1")):
        return "un document Office qui n'est pas un classeur (Word, PowerPoint…)"
    if contenu.startswith(b"PK"):
        return "une archive zip qui n'est pas un classeur (un document Word ou autre)"
    tete = contenu[:4096].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if tete.startswith((b"<html", b"<!doctype html", b"<table", b"<?xml", b"<")):
        return "une page web ou un fichier XML"
    try:
        tete.decode("utf-8")
    except UnicodeDecodeError:
        if b"\0" in tete:
            return "un fichier d'un autre format"
    return "un fichier texte (CSV ou autre)"


def nature(contenu: bytes) -> str:
    """The sentence for bytes that are not a workbook at all."""
    if not contenu:
        return "le fichier est vide : demandez au porteur de renvoyer son dossier"
    sorte = _sorte(contenu)
    debut = (
        f"c'est {sorte}"
        if sorte.startswith("un classeur")
        else f"ce n'est pas un classeur mais {sorte}, malgré son nom"
    )
    return (
        f"{debut} : ouvrez-le dans Excel ou LibreOffice et enregistrez-le au "
        "format .xlsx, ou demandez au porteur son dossier"
    )


def echec_du_lecteur(contenu: bytes, erreur: BaseException) -> tuple[str, str]:
    """(sentence, anomaly code) for a workbook the reader could not open, after the container
    passed its checks."""
    if any(mot in str(erreur).lower() for mot in ("password", "encrypt")):
        return PROTEGE, "FICHIER-PROTEGE"
    if contenu.startswith(b"PK"):
        try:
            with zipfile.ZipFile(io.BytesIO(contenu)) as archive:
                noms = [n.replace("\\", "/").lower() for n in archive.namelist()]
        except (zipfile.BadZipFile, ValueError, OSError):
            noms = []
        if any(n.startswith("xl/macrosheets/") for n in noms):
            return MACROS, "FICHIER-ILLISIBLE"
        if noms and not any(n in _CLASSEURS for n in noms):
            return nature(contenu), "FICHIER-ILLISIBLE"
    return ENDOMMAGE, "FICHIER-ILLISIBLE"


_CLASSEURS = ("xl/workbook.xml", "xl/workbook.bin", "content.xml")  # the workbook's part

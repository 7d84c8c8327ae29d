"""An .xls workbook (an OLE compound file holding a BIFF8 `Workbook` stream), looked at
before python-calamine allocates its sheets.

python-calamine allocates a grid from the first to the last cell of a sheet; an .xls with
one value at IV65536 costs it gigabytes. The `Workbook` stream is read here (the compound
file's FAT chain, at most `OCTETS_MAX`) and its records walked once: the DIMENSIONS of each
sheet and the row and column of every cell record must stay within the form. An encrypted
workbook (FILEPASS, or an `EncryptionInfo` stream) is said to be so.
"""

from __future__ import annotations

import struct

from campaign.lire.etendue import COLONNES_MAX, LIGNES_MAX, HorsFormulaire, lettres_colonne

SIGNATURE = bytes.fromhex("d0cf11e0a1b11ae1")
FIN_DE_CHAINE = 0xFFFFFFFE
SECTEURS_MAX = 1 << 16
FILEPASS, DIMENSIONS, BOF, BOUNDSHEET = 0x002F, 0x0200, 0x0809, 0x0085
MULTIPLES = {0x00BD, 0x00BE}  # MULRK, MULBLANK: their last column in their last two bytes
# cell records: row (u16) and column (u16) first
CELLULES = {0x0006, 0x00FD, 0x0203, 0x0204, 0x0205, 0x027E, 0x0201, 0x00BD, 0x00BE}


class OleIllisible(Exception):
    """The compound file is damaged or not a workbook."""


class Protege(Exception):
    """The workbook is encrypted."""


def _chaine(fat: list[int], debut: int) -> list[int]:
    secteurs: list[int] = []
    s = debut
    while s != FIN_DE_CHAINE:
        if s >= len(fat) or len(secteurs) > SECTEURS_MAX:
            raise OleIllisible("chaîne de secteurs invalide")
        secteurs.append(s)
        s = fat[s]
    return secteurs


def flux_classeur(contenu: bytes) -> bytes:
    """The `Workbook` (or `Book`) stream of an OLE compound file."""
    if len(contenu) < 512 or not contenu.startswith(SIGNATURE):
        raise OleIllisible("pas un fichier OLE")
    taille = 1 << struct.unpack_from("<H", contenu, 30)[0]
    if taille not in (512, 4096):
        raise OleIllisible("taille de secteur invalide")
    n_fat, premier_repertoire = struct.unpack_from("<II", contenu, 44)
    difat = [x for x in struct.unpack_from("<109I", contenu, 76) if x < FIN_DE_CHAINE][:n_fat]

    def secteur(i: int) -> bytes:
        debut = (i + 1) * taille
        if debut + taille > len(contenu) + taille:
            raise OleIllisible("secteur hors du fichier")
        return contenu[debut : debut + taille]

    fat: list[int] = []
    for s in difat:
        fat.extend(struct.unpack(f"<{taille // 4}I", secteur(s).ljust(taille, b"\0")))
    repertoire = b"".join(secteur(s) for s in _chaine(fat, premier_repertoire))
    for i in range(0, len(repertoire) - 127, 128):
        entree = repertoire[i : i + 128]
        longueur = struct.unpack_from("<H", entree, 64)[0]
        nom = entree[: max(0, longueur - 2)].decode("utf-16-le", "replace")
        if nom == "EncryptionInfo":
            raise Protege()
        if nom in ("Workbook", "Book"):
            depart, octets = struct.unpack_from("<II", entree, 116)
            if octets < 4096:  # in the mini stream: too small to hold a dossier anyway
                raise OleIllisible("flux du classeur trop petit")
            return b"".join(secteur(s) for s in _chaine(fat, depart))[:octets]
    raise OleIllisible("aucun flux Workbook")


def verifier_xls(contenu: bytes, lignes_max: int = LIGNES_MAX) -> None:
    """Walk the BIFF records: Protege, HorsFormulaire or OleIllisible when it must not be opened."""
    flux = flux_classeur(contenu)
    noms: list[str] = []
    feuille, i = 0, 0

    def nom() -> str:
        return noms[feuille - 2] if 0 <= feuille - 2 < len(noms) else f"n° {feuille - 1}"

    while i + 4 <= len(flux):
        genre, longueur = struct.unpack_from("<HH", flux, i)
        donnees = flux[i + 4 : i + 4 + longueur]
        i += 4 + longueur
        if genre == FILEPASS:
            raise Protege()
        if genre == BOF:
            feuille += 1
        elif genre == BOUNDSHEET and len(donnees) >= 8:
            n, large = donnees[6], donnees[7] & 1
            texte = donnees[8 : 8 + n * (2 if large else 1)]
            noms.append(texte.decode("utf-16-le" if large else "latin-1", "replace"))
        elif genre == DIMENSIONS and len(donnees) >= 12:
            _, fin_lignes, _, fin_colonnes = struct.unpack_from("<IIHH", donnees)
            if fin_lignes > lignes_max + 1 or fin_colonnes > COLONNES_MAX + 1:
                raise HorsFormulaire(nom(), f"{lettres_colonne(fin_colonnes)}{fin_lignes}", lignes_max)
        elif genre in CELLULES and len(donnees) >= 4:
            ligne, colonne = struct.unpack_from("<HH", donnees)
            if genre in MULTIPLES and len(donnees) >= 6:
                colonne = struct.unpack_from("<H", donnees, len(donnees) - 2)[0]
            if ligne + 1 > lignes_max or colonne + 1 > COLONNES_MAX:
                raise HorsFormulaire(nom(), f"{lettres_colonne(colonne + 1)}{ligne + 1}", lignes_max)

"""An .xlsb workbook (records of [MS-XLSB] in a zip archive), looked at before python-calamine
allocates its sheets.

python-calamine allocates a grid from the first to the last cell of a sheet; an .xlsb with one
value at XFD1048576 would cost it more memory than the machine has. Each sheet part of the form
is walked here, record by record (a type of at most 2 bytes, a size of at most 4, the payload):
the declared range (BrtWsDim), the row of each BrtRowHdr and the column of each cell record
must stay within the form.
"""

from __future__ import annotations

import struct
from collections.abc import Iterator

from campaign.lire.etendue import COLONNES_MAX, LIGNES_MAX, HorsFormulaire, lettres_colonne

LIGNE, PREMIERE_CELLULE, DERNIERE_CELLULE = 0x0000, 0x0001, 0x000B  # BrtRowHdr; BrtCellBlank..BrtFmlaError
DIMENSION, FIN_DES_DONNEES, FEUILLE_DU_CLASSEUR = (
    0x0094,
    0x0092,
    0x009C,
)  # BrtWsDim, BrtEndSheetData, BrtBundleSh
SANS_TEXTE = 0xFFFFFFFF


class XlsbIllisible(Exception):
    """The binary part is damaged."""


def enregistrements(octets: bytes) -> Iterator[tuple[int, memoryview]]:
    """(type, payload) of each record."""
    vue, i = memoryview(octets), 0
    while i < len(vue):
        genre = vue[i] & 0x7F
        if vue[i] & 0x80:
            if i + 1 >= len(vue):
                raise XlsbIllisible("type tronqué")
            genre |= (vue[i + 1] & 0x7F) << 7
            i += 1
        i += 1
        taille = 0
        for n in range(4):
            if i >= len(vue):
                raise XlsbIllisible("taille tronquée")
            taille |= (vue[i] & 0x7F) << (7 * n)
            i += 1
            if not vue[i - 1] & 0x80:
                break
        if i + taille > len(vue):
            raise XlsbIllisible("enregistrement tronqué")
        yield genre, vue[i : i + taille]
        i += taille


def _texte(donnees: memoryview, debut: int) -> tuple[str | None, int]:
    """An XLNullableWideString at `debut` -> (text or None, offset after it)."""
    (n,) = struct.unpack_from("<I", donnees, debut)
    if n == SANS_TEXTE:
        return None, debut + 4
    fin = debut + 4 + 2 * n
    if fin > len(donnees):
        raise XlsbIllisible("texte tronqué")
    return bytes(donnees[debut + 4 : fin]).decode("utf-16-le", "replace"), fin


def feuilles(classeur: bytes) -> dict[str, str]:
    """Sheet name -> relationship id, from the BrtBundleSh records of xl/workbook.bin."""
    trouvees = {}
    for genre, donnees in enregistrements(classeur):
        if genre == FEUILLE_DU_CLASSEUR:
            rid, suite = _texte(donnees, 8)
            nom, _ = _texte(donnees, suite)
            if rid is not None and nom is not None:
                trouvees[nom] = rid
    return trouvees


def verifier_xlsb(feuille: str, octets: bytes, lignes_max: int = LIGNES_MAX) -> None:
    """Refuse a sheet part whose declared range, or any row or cell, lies beyond the form."""

    def hors(ligne: int, colonne: int) -> None:  # both counted from 0
        if ligne + 1 > lignes_max or colonne + 1 > COLONNES_MAX:
            raise HorsFormulaire(feuille, f"{lettres_colonne(colonne + 1)}{ligne + 1}", lignes_max)

    ligne = 0
    for genre, donnees in enregistrements(octets):
        if genre == DIMENSION and len(donnees) >= 16:
            _, derniere_ligne, _, derniere_colonne = struct.unpack_from("<IIII", donnees)
            hors(derniere_ligne, derniere_colonne)
        elif genre == LIGNE and len(donnees) >= 4:
            (ligne,) = struct.unpack_from("<I", donnees)
        elif PREMIERE_CELLULE <= genre <= DERNIERE_CELLULE and len(donnees) >= 4:
            hors(ligne, struct.unpack_from("<I", donnees)[0])
        elif genre == FIN_DES_DONNEES:
            return

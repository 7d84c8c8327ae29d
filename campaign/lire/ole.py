"""An .xls workbook (an OLE compound file holding a BIFF5 or BIFF8 `Workbook` stream), looked
at before python-calamine allocates its sheets.

python-calamine allocates, when it opens an .xls, a grid from the first to the last cell of
every sheet; one value at IV65536 costs it gigabytes. The `Workbook` (or `Book`, any case)
stream is read here (the compound file's FAT chains, or its mini stream for a small one) and
its records walked once: in a sheet of the form, the DIMENSIONS and the row and column of
every cell record must stay within the form; in any other sheet, each cell record's type is
changed, in a copy of the file, to one the reader skips, so that a sheet outside the form is
neither read nor bounded. An encrypted workbook (FILEPASS: XOR or RC4; an `EncryptionInfo`
stream) is said to be so.
"""

from __future__ import annotations

import struct
from collections.abc import Callable

from campaign.lire.etendue import COLONNES_MAX, LIGNES_MAX, HorsFormulaire, lettres_colonne

SIGNATURE = bytes.fromhex("d0cf11e0a1b11ae1")
FIN_DE_CHAINE = 0xFFFFFFFE
SECTEURS_MAX = 1 << 16
FILEPASS, DIMENSIONS, BOF, BOUNDSHEET = 0x002F, 0x0200, 0x0809, 0x0085
MULTIPLES = {0x00BD, 0x00BE}  # MULRK, MULBLANK: their last column in their last two bytes
# cell records: row (u16) and column (u16) first
CELLULES = {0x0006, 0x00FD, 0x0203, 0x0204, 0x0205, 0x027E, 0x0201, 0x00BD, 0x00BE, 0x00D6}
CHAINE_DE_FORMULE = 0x0207  # STRING: a formula's text result, after its FORMULA record
NEUTRE = 0x0866  # HFPicture (a header's or footer's picture): the reader skips it
FLUX = ("workbook", "book")


class OleIllisible(Exception):
    """The compound file is damaged."""


class PasUnClasseur(Exception):
    """A compound file without a workbook stream: a Word or other Office document."""


class Protege(Exception):
    """The workbook is encrypted."""


def _chaine(table: list[int], debut: int) -> list[int]:
    secteurs: list[int] = []
    s = debut
    while s != FIN_DE_CHAINE:
        if s >= len(table) or len(secteurs) > SECTEURS_MAX:
            raise OleIllisible("chaîne de secteurs invalide")
        secteurs.append(s)
        s = table[s]
    return secteurs


class _Fichier:
    """The compound file's sectors, FAT and directory."""

    def __init__(self, contenu: bytes):
        if len(contenu) < 512 or not contenu.startswith(SIGNATURE):
            raise OleIllisible("pas un fichier OLE")
        self.contenu = contenu
        self.taille = 1 << struct.unpack_from("<H", contenu, 30)[0]
        self.petite = 64  # a mini sector's size, fixed by [MS-CFB]
        if self.taille not in (512, 4096):
            raise OleIllisible("taille de secteur invalide")
        n_fat, premier_repertoire = struct.unpack_from("<II", contenu, 44)
        self.seuil, self.premier_minifat, _, premier_difat, n_difat = struct.unpack_from(
            "<IIIII", contenu, 56
        )
        difat = list(struct.unpack_from("<109I", contenu, 76))
        s = premier_difat
        for _ in range(min(n_difat, SECTEURS_MAX)):  # the FAT's sectors beyond the header's 109
            if s >= FIN_DE_CHAINE:
                break
            entrees = struct.unpack(f"<{self.taille // 4}I", self.secteur(s))
            difat.extend(entrees[:-1])
            s = entrees[-1]
        self.fat: list[int] = []
        for s in [x for x in difat if x < FIN_DE_CHAINE][:n_fat]:
            self.fat.extend(struct.unpack(f"<{self.taille // 4}I", self.secteur(s)))
        self.repertoire = b"".join(self.secteur(s) for s in _chaine(self.fat, premier_repertoire))

    def position(self, i: int) -> int:
        return (i + 1) * self.taille

    def secteur(self, i: int) -> bytes:
        debut = self.position(i)
        if debut >= len(self.contenu):
            raise OleIllisible("secteur hors du fichier")
        return self.contenu[debut : debut + self.taille].ljust(self.taille, b"\0")

    def entrees(self):
        """(name, first sector, size) of each directory entry."""
        for i in range(0, len(self.repertoire) - 127, 128):
            entree = self.repertoire[i : i + 128]
            longueur = min(struct.unpack_from("<H", entree, 64)[0], 64)
            depart, octets = struct.unpack_from("<II", entree, 116)
            yield entree[: max(0, longueur - 2)].decode("utf-16-le", "replace"), depart, octets

    def flux(self, depart: int, octets: int) -> tuple[bytes, list[int], int]:
        """A stream's bytes, the file offset of each of its (mini) sectors, their size."""
        if octets >= self.seuil:
            positions = [self.position(s) for s in _chaine(self.fat, depart)]
            taille = self.taille
        else:  # in the mini stream, held by the root entry's sectors
            _, racine, _ = next(self.entrees())
            conteneur = [self.position(s) for s in _chaine(self.fat, racine)]
            minifat: list[int] = []
            for s in _chaine(self.fat, self.premier_minifat):
                minifat.extend(struct.unpack(f"<{self.taille // 4}I", self.secteur(s)))
            positions = []
            for m in _chaine(minifat, depart):
                debut = m * self.petite
                if debut // self.taille >= len(conteneur):
                    raise OleIllisible("mini secteur hors du flux")
                positions.append(conteneur[debut // self.taille] + debut % self.taille)
            taille = self.petite
        donnees = b"".join(self.contenu[p : p + taille] for p in positions)[:octets]
        if len(donnees) < octets:
            raise OleIllisible("flux tronqué")
        return donnees, positions, taille


def flux_classeur(contenu: bytes) -> tuple[bytes, list[int], int]:
    """The `Workbook` (or `Book`) stream of an OLE compound file, with where its bytes are."""
    fichier = _Fichier(contenu)
    for nom, depart, octets in fichier.entrees():
        if nom == "EncryptionInfo":
            raise Protege()
        if nom.lower() in FLUX:
            return fichier.flux(depart, octets)
    raise PasUnClasseur()


def _nom(donnees: bytes, biff8: bool) -> tuple[int, str]:
    """(position of its BOF, name) of a BOUNDSHEET record."""
    (position,) = struct.unpack_from("<I", donnees)
    n = donnees[6]
    if biff8:
        large = donnees[7] & 1
        texte = donnees[8 : 8 + n * (2 if large else 1)]
        return position, texte.decode("utf-16-le" if large else "latin-1", "replace")
    return position, donnees[7 : 7 + n].decode("cp1252", "replace")


def verifier_xls(
    contenu: bytes, du_formulaire: Callable[[list[str]], set[str]], lignes_max: int = LIGNES_MAX
) -> bytes:
    """The file to give the reader: its sheets outside the form emptied of their cells.
    Protege, HorsFormulaire or OleIllisible (PasUnClasseur) when it must not be opened.
    `du_formulaire`: the names, among the workbook's sheets, of those the reader will read."""
    flux, positions, taille = flux_classeur(contenu)
    copie = bytearray(contenu)
    feuilles: dict[int, str] = {}
    lues: set[str] | None = None  # the sheets of the form, known once every BOUNDSHEET is
    courante: str | None = None
    biff8, i = True, 0
    while i + 4 <= len(flux):
        genre, longueur = struct.unpack_from("<HH", flux, i)
        donnees = flux[i + 4 : i + 4 + longueur]
        if genre == FILEPASS:
            raise Protege()
        if genre == BOF:
            if i == 0 and len(donnees) >= 2:
                biff8 = struct.unpack_from("<H", donnees)[0] >= 0x0600
            elif i in feuilles:
                courante = feuilles[i]
                if lues is None:
                    lues = du_formulaire(list(feuilles.values()))
        elif genre == BOUNDSHEET and len(donnees) >= 8:
            position, nom = _nom(donnees, biff8)
            feuilles[position] = nom
        elif courante is not None and lues is not None and courante not in lues:
            if genre in CELLULES or genre in (CHAINE_DE_FORMULE, DIMENSIONS):
                for k, octet in enumerate(struct.pack("<H", NEUTRE)):
                    o = i + k
                    copie[positions[o // taille] + o % taille] = octet
        elif courante is not None:
            _borner(courante, genre, donnees, lignes_max)
        i += 4 + longueur
    return bytes(copie)


def _borner(feuille: str, genre: int, donnees: bytes, lignes_max: int) -> None:
    """HorsFormulaire when a record of a sheet of the form lies beyond it."""
    if genre == DIMENSIONS and len(donnees) in (10, 14):
        if len(donnees) == 14:  # BIFF8: 32-bit rows
            _, fin_lignes, _, fin_colonnes = struct.unpack_from("<IIHH", donnees)
        else:
            _, fin_lignes, _, fin_colonnes = struct.unpack_from("<HHHH", donnees)
        if fin_lignes > lignes_max + 1 or fin_colonnes > COLONNES_MAX + 1:
            raise HorsFormulaire(feuille, f"{lettres_colonne(fin_colonnes)}{fin_lignes}", lignes_max)
    elif genre in CELLULES and len(donnees) >= 4:
        ligne, colonne = struct.unpack_from("<HH", donnees)
        if genre in MULTIPLES and len(donnees) >= 6:
            colonne = struct.unpack_from("<H", donnees, len(donnees) - 2)[0]
        if ligne + 1 > lignes_max or colonne + 1 > COLONNES_MAX:
            raise HorsFormulaire(feuille, f"{lettres_colonne(colonne + 1)}{ligne + 1}", lignes_max)

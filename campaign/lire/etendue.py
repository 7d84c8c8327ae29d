"""The used range of a sheet, checked before the workbook reader allocates it.

The reader allocates a grid from the first to the last cell of a sheet: one value at
`XFD10000` is 160 million cells. A dossier's sheets are small (at most 30 collectifs), so a
range far beyond the form is refused here, naming its cell: for an .xlsx, the sheet's
`<dimension>` and every cell reference; for an .ods, the repeat counts of cells and rows
that hold a value (LibreOffice writes huge repeats of *empty* cells: those are harmless).
Only the sheets of the form are bounded: the others are never given to the reader.
"""

from __future__ import annotations

import functools
import io
import re
import xml.etree.ElementTree as ET

LIGNES_MAX = 1_000  # rows of one sheet of the form (30 collectifs, ~40 budget lines)
COLONNES_MAX = 64  # columns (Collectifs has 27)
ELEMENTS_MAX = 500_000  # XML elements of an .ods content looked at

_DIMENSION = re.compile(rb'<dimension\b[^>]*?\bref="([^"]*)"')
_REF = re.compile(rb'<c\b[^>]*?\br="([A-Za-z]{1,4})(\d{1,8})"')
_LIGNE = re.compile(rb'<c\b[^>]*?\br="[A-Za-z]{1,4}(\d{1,8})"')
_CELLULE = re.compile(r"([A-Za-z]{1,4})(\d{1,8})")
_TABLE = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"
_OFFICE = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"


class HorsFormulaire(Exception):
    """A sheet's range far beyond the form: `feuille` and `cellule` say where."""

    def __init__(self, feuille: str, cellule: str, lignes_max: int = LIGNES_MAX):
        super().__init__(
            f"la feuille « {feuille} » a une cellule en {cellule}, bien au-delà du "
            f"formulaire (au plus {lignes_max} lignes et {COLONNES_MAX} colonnes) : "
            "supprimez les lignes et colonnes en trop, puis enregistrez le fichier"
        )
        self.feuille, self.cellule = feuille, cellule


def numero_colonne(lettres: str) -> int:
    n = 0
    for c in lettres.upper():
        n = n * 26 + ord(c) - 64
    return n


def lettres_colonne(n: int) -> str:
    s = ""
    while n:
        n, r = divmod(n - 1, 26)
        s = chr(65 + r) + s
    return s


def _colonnes_hors() -> bytes:
    """The columns beyond COLONNES_MAX (two letters: `BL` for 64), as a regex alternation."""
    derniere = lettres_colonne(COLONNES_MAX)
    assert len(derniere) == 2, derniere  # the form is wider than Z, narrower than ZZ
    premiere, seconde = derniere[0], derniere[1]
    apres = lambda c: f"{chr(ord(c) + 1)}-Z{chr(ord(c) + 1).lower()}-z" if c != "Z" else ""  # noqa: E731
    hors = ["[A-Za-z]{3,4}"]
    if apres(premiere):
        hors.append(f"[{apres(premiere)}][A-Za-z]")
    if apres(seconde):
        hors.append(f"[{premiere}{premiere.lower()}][{apres(seconde)}]")
    return "|".join(hors).encode()


def _hors(colonne: int, ligne: int, lignes_max: int) -> bool:
    return colonne > COLONNES_MAX or ligne > lignes_max


def verifier_xlsx(feuille: str, xml: bytes, lignes_max: int = LIGNES_MAX) -> None:
    """Refuse a worksheet whose declared dimension or any cell lies beyond the form."""
    m = _DIMENSION.search(xml, 0, 8192)
    if m:
        for ref in m.group(1).decode("ascii", "replace").split(":"):
            c = _CELLULE.fullmatch(ref.replace("$", ""))
            if c and _hors(numero_colonne(c.group(1)), int(c.group(2)), lignes_max):
                raise HorsFormulaire(feuille, ref, lignes_max)
    # every cell reference, at the speed of the regex engine: first one pass for what any cell
    # beyond the form must contain (`_suspects`); only when there is such a text, one search for
    # a column beyond the form, the largest row number, and the offending cell
    if _suspects(lignes_max).search(xml) is None:
        return
    colonne = _COLONNES_HORS.search(xml)
    lignes = _LIGNE.findall(xml)
    if colonne is None and (not lignes or max(map(int, lignes)) <= lignes_max):
        return
    for r in _REF.finditer(xml):
        lettres, ligne = r.group(1).decode("ascii"), int(r.group(2))
        if _hors(numero_colonne(lettres), ligne, lignes_max):
            raise HorsFormulaire(feuille, f"{lettres.upper()}{ligne}", lignes_max)


_HORS = _colonnes_hors()
_COLONNES_HORS = re.compile(rb'<c\b[^>]*?\br="((?:' + _HORS + rb")\d{1,8})\"")  # a cell beyond them


@functools.cache
def _suspects(lignes_max: int) -> re.Pattern[bytes]:
    """The text every reference beyond the form holds: `r="` then a column `_COLONNES_HORS`
    refuses and a digit, or letters and as many digits as `lignes_max` has (a row beyond it has
    at least as many). Without a match no cell can be beyond the form; with one (rare), the
    exact checks decide. Without the `<c ...` prefix the engine looks for the literal `r="` at
    its own speed: a third of the exact searches' time."""
    chiffres = str(len(str(lignes_max))).encode()
    return re.compile(rb'r="(?:(?:' + _HORS + rb")\d|[A-Za-z]{1,4}\d{" + chiffres + rb"})")


def _repetition(el: ET.Element, attribut: str) -> int:
    try:
        return max(1, int(el.get(f"{{{_TABLE}}}{attribut}", "1")))
    except ValueError:
        return 1


def verifier_ods(contenu: bytes, garder: set[str], lignes_max: int = LIGNES_MAX) -> None:
    """Walk content.xml once: in a table of the form (`garder`), a cell or row holding a value,
    repeated beyond the form, is refused; the other tables are passed over."""
    feuille, ligne, colonne, elements = "?", 0, 0, 0
    ligne_a_valeur, dedans = False, False
    for evenement, el in ET.iterparse(io.BytesIO(contenu), events=("start", "end")):
        nom = el.tag.rpartition("}")[2] if el.tag.startswith(f"{{{_TABLE}}}") else ""
        if evenement == "start":
            if nom == "table":
                feuille, ligne = el.get(f"{{{_TABLE}}}name", "?"), 0
                dedans = feuille in garder
            elif nom == "table-row":
                colonne, ligne_a_valeur = 0, False
            continue
        if not dedans:
            if nom in ("table-cell", "covered-table-cell", "table-row"):
                el.clear()
            continue
        elements += 1
        if elements > ELEMENTS_MAX:
            raise HorsFormulaire(feuille, f"{lettres_colonne(colonne + 1)}{ligne + 1} (trop de cellules)")
        if nom in ("table-cell", "covered-table-cell"):
            n = _repetition(el, "number-columns-repeated")
            if el.get(f"{{{_OFFICE}}}value-type") is not None or len(el):
                ligne_a_valeur = True
                if _hors(colonne + n, ligne + 1, lignes_max):
                    raise HorsFormulaire(
                        feuille, f"{lettres_colonne(min(colonne + n, 16384))}{ligne + 1}", lignes_max
                    )
            colonne += n
            el.clear()
        elif nom == "table-row":
            n = _repetition(el, "number-rows-repeated")
            if ligne_a_valeur and ligne + n > lignes_max:
                raise HorsFormulaire(feuille, f"A{min(ligne + n, 1 << 20)}", lignes_max)
            ligne += n
            el.clear()

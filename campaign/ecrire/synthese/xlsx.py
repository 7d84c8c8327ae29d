"""The committee workbook's writer on XlsxWriter: each look made once, cells written by kind.

XlsxWriter's normal mode, the zip built in memory: for this workbook it is faster than its
constant_memory mode (measured on 3,000 dossiers: 3.5 s against 4.1 s, and a smaller file),
because the many repeated texts (✓, ✗, statuses, codes) are shared strings, escaped once, and
no temporary file is written; it holds the cells until `close` (~90 MB for 3,000 dossiers,
openpyxl held twice that). Sheets are still written top to bottom (`Feuille` raises on a row
above the last one written), so that constant_memory mode, which writes each row to disk as
soon as the next one starts, stays one option away; a sheet laid out in bands side by side is
gathered first (`Page`) and written in order at the end. Coordinates here are 1-based.

Safe by construction: text goes through `write_string` only (never `write`, which would take
"=..." for a formula); values are written by kind (`ECRIVAINS`).

Reproducible: the document's dates are the one given, and XlsxWriter dates every zip entry
1 January 1980 (a fixed `ZipInfo`, whatever the clock or the time zone), so one content gives
one byte string, in any process, at any time.
"""

from __future__ import annotations

import datetime as dt
import gc
import io
import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pandas as pd
from xlsxwriter import Workbook
from xlsxwriter.format import Format
from xlsxwriter.url import Url
from xlsxwriter.worksheet import Worksheet

# characters XML 1.0 cannot carry (those openpyxl drops too): removed from every text
ILLEGAUX = re.compile(r"[\000-\010]|[\013-\014]|[\016-\037]")
PIXELS_PAR_CARACTERE = 7  # Calibri 11's digit: a column of width w is 7 w pixels


def pixels(points: float) -> float:
    """A row height in XlsxWriter's pixels, written back as exactly `points` (p pixels: 0.75 p)."""
    return points / 0.75


@contextmanager
def sans_ramasse_miettes() -> Iterator[None]:
    """Python's cycle collector paused while a workbook is built: XlsxWriter keeps a small tuple
    per cell (400,000 for 3,000 dossiers), none in a cycle, and the collector's passes over
    them are a third of the workbook (measured 2026-12-07 on 3,000 dossiers without letters:
    3.05 s against 2.0 s for the writing, 8.0 s against 6.2 s for the run, the AuCote fork
    gone too). Our own process's setting, around our own code; restored as it was."""
    actif = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if actif:
            gc.enable()


def ouvrir(quand: dt.datetime) -> Workbook:
    """A workbook built in memory, dated `quand`; `fermer` writes it."""
    classeur = Workbook(io.BytesIO(), {"in_memory": True})
    classeur.set_properties({"author": "campaign", "created": quand})
    return classeur


def fermer(classeur: Workbook, chemin: Path) -> None:
    """Write the file in one go, the zip made in memory: a full disk fails in a plain write and
    its OSError reaches the user's sentence as it came. (XlsxWriter writing the zip into the
    file itself left, on a full disk, a half-closed zip whose clean-up at garbage collection
    printed a Python traceback after that sentence.)"""
    classeur.close()
    chemin.write_bytes(classeur.filename.getvalue())


class Styles:
    """One XlsxWriter format per distinct look (a dict of format properties), made once."""

    def __init__(self, classeur: Workbook):
        self.classeur = classeur
        self._formats: dict[frozenset, Format] = {}

    def __call__(self, *proprietes: dict[str, Any]) -> Format:
        """The format of the merged `proprietes` (later ones win)."""
        fusion = {k: v for p in proprietes for k, v in p.items()}
        cle = frozenset(fusion.items())
        format_ = self._formats.get(cle)
        if format_ is None:
            format_ = self._formats[cle] = self.classeur.add_format(fusion)
        return format_


def vide(valeur) -> bool:
    """None, NaN, NaT or pd.NA: an empty cell."""
    if valeur is None:
        return True
    if type(valeur) in (str, int, bool):
        return False
    if type(valeur) is float:
        return valeur != valeur
    return bool(pd.isna(valeur))


def chaine(valeur) -> str:
    """The text of a cell: empty for a missing value, without the characters XML cannot carry."""
    if type(valeur) is not str:
        valeur = "" if vide(valeur) else str(valeur)
    return ILLEGAUX.sub("", valeur)


def _texte(ws: Worksheet, r: int, c: int, valeur, format_: Format) -> None:
    if type(valeur) is not str:
        valeur = "" if vide(valeur) else str(valeur)
    if valeur:
        valeur = ILLEGAUX.sub("", valeur)
    if valeur:
        ws.write_string(r, c, valeur, format_)
    else:
        ws.write_blank(r, c, None, format_)


def _nombre(conversion):
    def ecrire(ws: Worksheet, r: int, c: int, valeur, format_: Format) -> None:
        if vide(valeur):
            ws.write_blank(r, c, None, format_)
        else:
            ws.write_number(r, c, conversion(valeur), format_)

    return ecrire


def jour(valeur) -> dt.date:
    """A date, a datetime or a Timestamp -> its day."""
    if isinstance(valeur, dt.date) and not isinstance(valeur, dt.datetime):
        return valeur
    return pd.Timestamp(valeur).date()


def _date(ws: Worksheet, r: int, c: int, valeur, format_: Format) -> None:
    if vide(valeur):
        ws.write_blank(r, c, None, format_)
    else:
        ws.write_datetime(r, c, jour(valeur), format_)


# kind of a value -> how it is written; amounts arrive as integer cents and are written in euros
ECRIVAINS = {
    "texte": _texte,
    "euros": _nombre(lambda v: int(v) / 100),
    "entier": _nombre(int),
    "decimal": _nombre(float),
    "pourcent": _nombre(float),
    "date": _date,
}


def ecrire_lien(ws: Worksheet, r: int, c: int, cible, format_: Format, format_lien: Format) -> None:
    """A link to the file at the relative path `cible`, the path shown in the cell ("": none)."""
    if vide(cible) or not cible:
        _texte(ws, r, c, "", format_)
        return
    url = Url("external:" + cible)
    url.text = chaine(cible)
    # XlsxWriter writes a file link with '\\' (Windows's way); the target stays as given, with
    # '/', which Excel and LibreOffice follow on every system (letters' names are [a-z0-9-])
    url._relationship_link = cible
    ws.write_url(r, c, url, format_lien)


def ecrire_typee(ws: Worksheet, r: int, c: int, typee: tuple, format_: Format, styles: Styles) -> None:
    """A (value, number format) pair: text as text, a number or a date right-aligned."""
    valeur, nombre = typee
    if isinstance(valeur, str):
        _texte(ws, r, c, valeur, format_)
        return
    style = styles({"num_format": nombre, "align": "right", "valign": "top"})
    if isinstance(valeur, dt.date):
        ws.write_datetime(r, c, valeur, style)
    else:
        ws.write_number(r, c, valeur if isinstance(valeur, int) else float(valeur), style)


class Feuille:
    """A worksheet written top to bottom, in 1-based coordinates, with the workbook's styles."""

    def __init__(self, ws: Worksheet, styles: Styles):
        self.ws, self.styles, self.classeur = ws, styles, styles.classeur
        self.nom: str = ws.get_name()
        self.derniere = 1  # the last row written (constant_memory mode would have flushed those above)
        self.largeurs: dict[int, float] = {}

    def atteindre(self, ligne: int) -> int:
        """Move down to `ligne` (0-based row returned); a row above the last one is an error."""
        if ligne < self.derniere:
            raise ValueError(f"{self.nom} : ligne {ligne} déjà écrite (dernière : {self.derniere})")
        self.derniere = ligne
        return ligne - 1

    def ecrire(
        self, ligne: int, colonne: int, valeur, genre: str = "texte", style: dict | None = None
    ) -> None:
        """Write `valeur` as its kind (`ECRIVAINS`) with the look `style`."""
        ECRIVAINS[genre](self.ws, self.atteindre(ligne), colonne - 1, valeur, self.styles(style or {}))

    def hauteur(self, ligne: int, points: float | None) -> None:
        """The row's height in points (None: the default), exact: XlsxWriter counts in pixels."""
        if points:
            self.ws.set_row_pixels(self.atteindre(ligne), pixels(points))

    def largeur(self, colonne: int, largeur: float, niveau: int = 0) -> None:
        """A column's width in characters; folded and hidden at outline `niveau` > 0."""
        self.largeurs[colonne] = largeur
        options = {"level": niveau, "hidden": True} if niveau else None
        # a whole number of pixels, 7 per character: written back as exactly `largeur`
        largeur_px = round(largeur * PIXELS_PAR_CARACTERE)
        self.ws.set_column_pixels(colonne - 1, colonne - 1, largeur_px, None, options)


class Page(Feuille):
    """A sheet written in any order (bands side by side), kept in memory until `fin`."""

    def __init__(self, ws: Worksheet, styles: Styles):
        super().__init__(ws, styles)
        self.cellules: dict[int, dict[int, tuple[str, Any, dict]]] = {}
        self.hauteurs: dict[int, float] = {}

    def ecrire(
        self, ligne: int, colonne: int, valeur, genre: str = "texte", style: dict | None = None
    ) -> None:
        self.cellules.setdefault(ligne, {})[colonne] = (genre, valeur, dict(style or {}))

    def styler(self, ligne: int, colonne: int, style: dict) -> None:
        """Add `style` (a font, a fill) to the look of a cell already written."""
        genre, valeur, avant = self.cellules.get(ligne, {}).get(colonne, ("texte", None, {}))
        self.cellules.setdefault(ligne, {})[colonne] = (genre, valeur, {**avant, **style})

    def hauteur(self, ligne: int, points: float | None) -> None:
        if points:
            self.hauteurs[ligne] = points

    def fin(self) -> None:
        """Write every height and cell, row by row."""
        for ligne in sorted(self.cellules.keys() | self.hauteurs.keys()):
            Feuille.hauteur(self, ligne, self.hauteurs.get(ligne))
            for colonne, (genre, valeur, style) in sorted(self.cellules.get(ligne, {}).items()):
                Feuille.ecrire(self, ligne, colonne, valeur, genre, style)

"""The committee workbook's look: number formats, colours, and how a table is written.

Every value that comes from an operator's file goes through `texte`, which forces a string
cell: openpyxl would otherwise take a text starting with "=" for a formula (CSV/formula
injection). Amounts arrive as integer cents and are written in euros, as numbers.
"""

from __future__ import annotations

import datetime as dt
from copy import copy
from dataclasses import dataclass
from decimal import Decimal

import pandas as pd
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.formatting.rule import FormulaRule
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from campaign.formats import EXCEL_EUROS

FORMAT_EUROS = EXCEL_EUROS
FORMAT_ENTIER = "#,##0"
FORMAT_DECIMAL = "#,##0.0#"
FORMAT_DATE = "DD/MM/YYYY"
FORMAT_POURCENT = "0.0 %"

ROUGE_CLAIR = PatternFill("solid", fgColor="FFC7CE")
ORANGE_CLAIR = PatternFill("solid", fgColor="FFE0B2")
FOND_ENTETE = PatternFill("solid", fgColor="1F4E78")
FOND_TITRE_BLOC = PatternFill("solid", fgColor="DDEBF7")
POLICE_ENTETE = Font(name="Calibri", size=11, bold=True, color="FFFFFF")
POLICE_TITRE = Font(name="Calibri", bold=True, size=14, color="1F4E78")
POLICE_BLOC = Font(name="Calibri", size=11, bold=True, color="1F4E78")
POLICE_ROUGE = Font(name="Calibri", size=11, bold=True, color="C00000")
POLICE_LIEN = Font(name="Calibri", size=11, color="0563C1", underline="single")
TRAIT = Side(style="thin", color="BFBFBF")
BORDURE_ENTETE = Border(bottom=Side(style="medium", color="1F4E78"))

VALIDE, ECHEC = "✓", "✗"


def texte(cellule, valeur) -> None:
    """Write `valeur` as a string cell, whatever it looks like ("=...", "+33...", "12")."""
    if valeur is None or (not isinstance(valeur, str) and pd.isna(valeur)):
        valeur = ""
    cellule.value = ILLEGAL_CHARACTERS_RE.sub("", str(valeur))
    cellule.data_type = "s"


def euros(cellule, centimes) -> None:
    """Integer cents -> a number of euros with the French currency format (None: empty)."""
    cellule.value = None if centimes is None or pd.isna(centimes) else Decimal(int(centimes)) / 100
    cellule.number_format = FORMAT_EUROS


def pourcent(cellule, part) -> None:
    """A share (0.325) shown as a percentage (32.5 %)."""
    cellule.value = None if part is None or pd.isna(part) else float(part)
    cellule.number_format = FORMAT_POURCENT


def nombre(cellule, valeur, format_=FORMAT_ENTIER) -> None:
    if valeur is None or pd.isna(valeur):
        cellule.value = None
        return
    valeur = float(valeur) if format_ == FORMAT_DECIMAL else int(valeur)
    cellule.value = valeur
    cellule.number_format = format_


def date(cellule, valeur) -> None:
    if valeur is None or pd.isna(valeur):
        cellule.value = None
        return
    cellule.value = pd.Timestamp(valeur).date() if not isinstance(valeur, dt.date) else valeur
    cellule.number_format = FORMAT_DATE


def oui_non(valeur) -> str:
    if valeur is None or pd.isna(valeur):
        return ""
    return "Oui" if bool(valeur) else "Non"


ECRIVAINS = {
    "texte": texte,
    "euros": euros,
    "entier": nombre,
    "date": date,
    "pourcent": pourcent,
    "decimal": lambda c, v: nombre(c, v, FORMAT_DECIMAL),
}
FORMATS = {
    "texte": "General",
    "euros": FORMAT_EUROS,
    "entier": FORMAT_ENTIER,
    "date": FORMAT_DATE,
    "decimal": FORMAT_DECIMAL,
    "pourcent": FORMAT_POURCENT,
}


def _valeur(conversion):
    def ecrire(cellule, valeur) -> None:
        cellule.value = None if valeur is None or pd.isna(valeur) else conversion(valeur)

    return ecrire


# the value alone, for cells whose style is copied from a first cell of the same kind
VALEURS = {
    "texte": texte,
    "euros": _valeur(lambda v: Decimal(int(v)) / 100),
    "entier": _valeur(int),
    "decimal": _valeur(float),
    "pourcent": _valeur(float),
    "date": _valeur(
        lambda v: v if isinstance(v, dt.date) and not isinstance(v, dt.datetime) else pd.Timestamp(v).date()
    ),
}


CARACTERES_PAR_UNITE = 1.0  # characters of a sentence per unit of column width, on the safe side


@dataclass(frozen=True)
class Colonne:
    """A column of a table: its French title, its kind (a key of ECRIVAINS) and its width."""

    titre: str
    genre: str = "texte"
    largeur: float = 14
    renvoi: bool = False  # wrap the text (long sentences)


def hauteur(morceaux: list[tuple[str, float]]) -> float | None:
    """A row height (points) fitting each (text, column width) wrapped; None for one line.

    Neither Excel nor LibreOffice grows a row for wrapped text written by openpyxl, so the
    height is estimated, on the wide side: LibreOffice without Calibri draws the text in a
    wider font, and a row too low lets the text run over the next one.
    """
    lignes = 1
    for valeur, largeur in morceaux:
        par_ligne = max(int(largeur * CARACTERES_PAR_UNITE) - 1, 1)
        n = sum(-(-max(len(bout), 1) // par_ligne) for bout in str(valeur).split("\n"))
        lignes = max(lignes, n)
    return 15 * lignes + 2 if lignes > 1 else None


_HAUT = Alignment(vertical="top")
_RENVOI = Alignment(vertical="top", wrap_text=True)
_CENTRE = Alignment(horizontal="center", vertical="top")


def entete(ws: Worksheet, ligne: int, colonnes: list[Colonne]) -> None:
    for j, col in enumerate(colonnes, start=1):
        c = ws.cell(row=ligne, column=j)
        texte(c, col.titre)
        c.font, c.fill, c.border = POLICE_ENTETE, FOND_ENTETE, BORDURE_ENTETE
        c.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        ws.column_dimensions[get_column_letter(j)].width = col.largeur
    ws.row_dimensions[ligne].height = 32


def tableau(ws: Worksheet, colonnes: list[Colonne], lignes: list[list], ligne: int = 1) -> str:
    """Write a header and its rows, freeze the header, filter; return the data range."""
    entete(ws, ligne, colonnes)
    styles: dict[tuple, object] = {}  # one style per (kind, alignment), copied onto cells
    for i, valeurs in enumerate(lignes, start=ligne + 1):
        for j, (col, v) in enumerate(zip(colonnes, valeurs), start=1):
            c = ws.cell(row=i, column=j)
            alignement = (
                _CENTRE if isinstance(v, str) and v in (VALIDE, ECHEC) else _RENVOI if col.renvoi else _HAUT
            )
            cle = (col.genre, id(alignement))
            if cle in styles:
                VALEURS[col.genre](c, v)
                c._style = copy(styles[cle])  # openpyxl's own fast path for repeated styles
            else:
                ECRIVAINS[col.genre](c, v)
                c.number_format = FORMATS[col.genre]
                c.alignment = alignement
                styles[cle] = copy(c._style)
        ws.row_dimensions[i].height = hauteur(
            [(v, col.largeur) for col, v in zip(colonnes, valeurs) if col.renvoi and isinstance(v, str)]
        )
    fin = ligne + max(len(lignes), 1)
    derniere = get_column_letter(len(colonnes))
    ws.freeze_panes = ws.cell(row=ligne + 1, column=1)
    ws.auto_filter.ref = f"A{ligne}:{derniere}{fin}"
    imprimer(ws, titres=f"{ligne}:{ligne}")
    return f"A{ligne + 1}:{derniere}{fin}"


def imprimer(ws: Worksheet, titres: str | None = None, une_page: bool = False) -> None:
    """A4 landscape, fit to the page's width (and height when `une_page`), the `titres` rows
    repeated on every page, the sheet's name and the page number in the footer."""
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 1 if une_page else 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_margins.left = ws.page_margins.right = 0.4
    ws.page_margins.top, ws.page_margins.bottom = 0.5, 0.6
    ws.page_margins.header, ws.page_margins.footer = 0.2, 0.25
    ws.print_options.horizontalCentered = True
    if titres:
        ws.print_title_rows = titres
    ws.oddFooter.left.text = "&A"
    ws.oddFooter.right.text = "Page &P / &N"
    ws.oddFooter.left.size = ws.oddFooter.right.size = 8


def colorer(ws: Worksheet, plage: str, rouge: str | None = None, orange: str | None = None) -> None:
    """Light red rows where the `rouge` formula holds, else light orange where `orange` does.

    The formulas are written for the range's first row, with `$` on the column (e.g.
    '$M2="REFUS"'); they are ours, never built from an operator's text.
    """
    if rouge:
        ws.conditional_formatting.add(plage, FormulaRule(formula=[rouge], fill=ROUGE_CLAIR, stopIfTrue=True))
    if orange:
        ws.conditional_formatting.add(plage, FormulaRule(formula=[orange], fill=ORANGE_CLAIR))


def colonne_de(colonnes: list[Colonne], titre: str) -> str:
    """The column letter of the column titled `titre`."""
    return get_column_letter([c.titre for c in colonnes].index(titre) + 1)

"""How the blank dossier looks and prints: colours, answer cells, protection, A4 page setup,
the consigne lines beside the answers and the red of an answer that makes a dossier fail."""

from __future__ import annotations

import math

from openpyxl.formatting.rule import FormulaRule
from openpyxl.styles import Alignment, Font, PatternFill, Protection
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.worksheet.worksheet import Worksheet

from campaign.formats import EXCEL_EUROS
from campaign.formulaire import Champ

FORMAT_MONTANT = EXCEL_EUROS
FORMAT_ENTIER = "0"
FORMAT_DATE = "dd/mm/yyyy"
FORMAT_TEXTE = "@"

GRIS = PatternFill("solid", fgColor="D9D9D9")
SAISIE = PatternFill("solid", fgColor="FFF9DB")
TITRE = PatternFill("solid", fgColor="DDEBF7")
GRAS = Font(bold=True)
_ROUGE_FOND = PatternFill("solid", fgColor="F8CBAD")
_ROUGE = Font(bold=True, color="9C0006")
_CONSIGNE = Font(italic=True, size=9, color="404040")
_CONSIGNE_REFUS = Font(italic=True, size=9, color="9C0006")
HAUTEUR_LIGNE = 12.5  # points per line of 9-point text


def format_de(champ: Champ) -> str | None:
    return {
        "entier": FORMAT_ENTIER,
        "date": FORMAT_DATE,
        "montant": FORMAT_MONTANT,
        "siret": FORMAT_TEXTE,
        "code_postal": FORMAT_TEXTE,
        "duree": FORMAT_TEXTE,
        "rna": FORMAT_TEXTE,
    }.get(champ.type)


def cellule_saisie(cell, champ: Champ) -> None:
    """An answer cell: unlocked, yellow, with the field's number format."""
    cell.protection = Protection(locked=False)
    cell.fill = SAISIE
    if fmt := format_de(champ):
        cell.number_format = fmt


def proteger(ws: Worksheet, lignes: bool = False) -> None:
    ws.protection.sheet = True  # no password: a safeguard against slips, not a lock
    ws.protection.formatColumns = ws.protection.formatRows = False  # widths stay adjustable
    if lignes:
        ws.protection.insertRows = False


def hauteur(texte: str, largeur: float, taille: float = HAUTEUR_LIGNE) -> float:
    """Row height for `texte` wrapped in a column `largeur` characters wide (9-point text)."""
    par_ligne = max(1, int(largeur * 1.3))
    lignes = sum(max(1, math.ceil(len(morceau) / par_ligne)) for morceau in texte.split("\n"))
    return lignes * taille + 3


def consigne(cell, texte: str, refus: bool, largeur: float) -> None:
    """A rule's sentence in small italics (dark red when an answer can fail the rule)."""
    cell.value = texte
    cell.font = _CONSIGNE_REFUS if refus else _CONSIGNE
    cell.alignment = Alignment(wrap_text=True, vertical="top")
    ws = cell.parent
    ws.row_dimensions[cell.row].height = max(ws.row_dimensions[cell.row].height or 0, hauteur(texte, largeur))


def rouge_si(ws: Worksheet, plage: str, refusees: tuple[str, ...]) -> None:
    """Colour the answers of `plage` that make the collectif or dossier ineligible."""
    if not refusees:
        return
    premiere = plage.split(":")[0]
    conditions = ",".join(f'TRIM({premiere})="{r}"' for r in refusees)
    ws.conditional_formatting.add(
        plage, FormulaRule(formula=[f"OR({conditions})"], fill=_ROUGE_FOND, font=_ROUGE)
    )


def mise_en_page(
    ws: Worksheet,
    titre: str,
    zone: str,
    paysage: bool = False,
    lignes_titre: str | None = None,
    colonnes_titre: str | None = None,
    echelle: int | None = None,
) -> None:
    """A4, fitted to one page (or printed at `echelle` %, the columns running on as many
    pages as they need: LibreOffice clips what does not fit a fixed number of pages),
    titles repeated, the sheet's title and page numbers."""
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape" if paysage else "portrait"
    if echelle:
        ws.page_setup.scale = echelle
    else:
        ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
        ws.page_setup.fitToWidth = ws.page_setup.fitToHeight = 1
    ws.print_area = zone  # (no horizontal centring: LibreOffice then clips both sides)
    ws.page_margins.left = ws.page_margins.right = 0.5
    ws.page_margins.top = ws.page_margins.bottom = 0.75
    if lignes_titre:
        ws.print_title_rows = lignes_titre
    if colonnes_titre:
        ws.print_title_cols = colonnes_titre
    ws.oddHeader.center.text = titre
    ws.oddHeader.center.size = 10
    ws.oddFooter.center.text = "Page &P sur &N"
    ws.oddFooter.center.size = 9

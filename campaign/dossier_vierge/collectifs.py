"""The `Collectifs` sheet: the field labels as headers in row 1, one collectif per row below
(dossier.md §5). Each column's consigne is in the message shown beside a selected answer and
on the printed notice; the answers that make a collectif ineligible turn red."""

from __future__ import annotations

import math
import re

from openpyxl import Workbook
from openpyxl.styles import Alignment
from openpyxl.utils import get_column_letter

from campaign.dossier_vierge.consignes import Consignes
from campaign.dossier_vierge.page import GRAS, GRIS, cellule_saisie, mise_en_page, proteger, rouge_si
from campaign.dossier_vierge.saisie import validation
from campaign.formulaire import COLLECTIFS, Champ

LIGNES_COLLECTIFS = 30  # prepared rows in `Collectifs` (operators may insert more)
PREMIERE_LIGNE = 2  # the first collectif's row, under the headers
HAUTEUR_LIGNE = 22  # points
ECHELLE = 58  # % : the 27 columns on two landscape pages, the 30 rows on one page high
# A header wraps between words, never inside one, in Excel and in LibreOffice: its column is
# as wide as its longest word in bold, measured in the column's unit (the width of the digit
# 0), with these upper bounds of a letter's width in the widest font a reader may get for
# Calibri (DejaVu, where Carlito is not installed), and the cell's padding.
_ETROITES, _MOYENNES, _LARGES = set("'ijl,.;:!-()|It"), set("fr"), set("mwMW")
MARGE = 1
LIGNE_EN_TETE = 15  # points per line of 11-point bold header
_REPONSES = {"code": 12, "lieu": 16, "commune": 16}  # widths for the answers; else by type
_PAR_TYPE = {"date": 13}


def _lettre(c: str) -> float:
    if c in _ETROITES:
        return 0.75
    if c in _MOYENNES:
        return 0.85
    if c in _LARGES:
        return 1.75
    return 1.45 if c.isupper() else 1.15


def largeur_gras(texte: str) -> float:
    """An upper bound of `texte`'s width in bold, in widths of the digit 0."""
    return sum(map(_lettre, texte))


def mots(libelle: str) -> list[str]:
    """The header's words, as a line may break between them (a space or after a hyphen)."""
    return re.findall(r"[^\s-]+-?", libelle)


def largeur(champ: Champ) -> int:
    """Room for the answers, and at least the header's longest word."""
    reponse = _REPONSES.get(champ.cle, _PAR_TYPE.get(champ.type, 11))
    return max(reponse, math.ceil(max(map(largeur_gras, mots(champ.libelle)))) + MARGE)


def lignes_en_tete(champ: Champ) -> int:
    """Lines of the header wrapped in its column, greedily, as the spreadsheets wrap it."""
    place, lignes, courante = largeur(champ) - MARGE, 1, ""
    for mot in mots(champ.libelle):
        suite = courante + ("" if not courante or courante.endswith("-") else " ") + mot
        if courante and largeur_gras(suite) > place:
            lignes, suite = lignes + 1, mot
        courante = suite
    return lignes


def feuille_collectifs(wb: Workbook, annee: str, refs: dict, consignes: Consignes) -> None:
    ws = wb.create_sheet("Collectifs")
    derniere = PREMIERE_LIGNE + LIGNES_COLLECTIFS - 1
    for col, champ in enumerate(COLLECTIFS, start=1):
        lettre = get_column_letter(col)
        h = ws.cell(1, col, champ.libelle)
        h.font, h.fill = GRAS, GRIS
        h.alignment = Alignment(wrap_text=True, vertical="center", horizontal="center")
        for ligne in range(PREMIERE_LIGNE, derniere + 1):
            cellule_saisie(ws.cell(ligne, col), champ)
        plage = f"{lettre}{PREMIERE_LIGNE}:{lettre}{derniere}"
        ws.add_data_validation(
            validation(champ, annee, refs, plage, consignes.message("Collectifs", champ.cle))
        )
        rouge_si(ws, plage, consignes.refusees("Collectifs", champ.cle))
        ws.column_dimensions[lettre].width = largeur(champ)
    ws.row_dimensions[1].height = max(map(lignes_en_tete, COLLECTIFS)) * LIGNE_EN_TETE + 4
    for ligne in range(PREMIERE_LIGNE, derniere + 1):  # room to write by hand on paper
        ws.row_dimensions[ligne].height = HAUTEUR_LIGNE
    ws.freeze_panes = f"B{PREMIERE_LIGNE}"
    mise_en_page(
        ws,
        f"Dossier CLAS {annee} – Collectifs (une ligne par collectif)",
        f"A1:{get_column_letter(len(COLLECTIFS))}{derniere}",
        paysage=True,
        lignes_titre="1:1",
        colonnes_titre="A:A",
        echelle=ECHELLE,
    )
    proteger(ws, lignes=True)

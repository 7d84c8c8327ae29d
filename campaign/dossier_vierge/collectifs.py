"""The `Collectifs` sheet: the field labels as headers in row 1, one collectif per row below
(dossier.md §5). Each column's consigne is in the message shown beside a selected answer and
on the printed notice; the answers that make a collectif ineligible turn red."""

from __future__ import annotations

from openpyxl import Workbook
from openpyxl.styles import Alignment
from openpyxl.utils import get_column_letter

from campaign.dossier_vierge.consignes import Consignes
from campaign.dossier_vierge.page import GRAS, GRIS, cellule_saisie, mise_en_page, proteger, rouge_si
from campaign.dossier_vierge.saisie import validation
from campaign.formulaire import COLLECTIFS

LIGNES_COLLECTIFS = 30  # prepared rows in `Collectifs` (operators may insert more)
PREMIERE_LIGNE = 2  # the first collectif's row, under the headers
HAUTEUR_LIGNE = 22  # points
ECHELLE = 60  # % : the 27 columns on two landscape pages, the 30 rows on one page high


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
            validation(champ, annee, refs, plage, consignes.texte("Collectifs", champ.cle))
        )
        rouge_si(ws, plage, consignes.refusees("Collectifs", champ.cle))
        ws.column_dimensions[lettre].width = 16 if champ.type in ("texte", "date") else 11
    ws.row_dimensions[1].height = 75
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

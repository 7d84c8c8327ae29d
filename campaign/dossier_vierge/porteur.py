"""The `Porteur` and `Projet` sheets: one field per row, label in A, answer in B (dossier.md §3).

Beside the contract, for the volunteer: the rule's consigne on the row under an answer (column
A left empty, so the reader skips it), `Projet` titled and grouped by axis with the axis's
consigne, and the answers that make the dossier ineligible shown in red.
"""

from __future__ import annotations

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.worksheet.worksheet import Worksheet

from campaign.dossier_vierge.consignes import Consignes
from campaign.dossier_vierge.page import (
    GRIS,
    TITRE,
    cellule_saisie,
    consigne,
    mise_en_page,
    proteger,
    rouge_si,
)
from campaign.dossier_vierge.saisie import validation
from campaign.formulaire import AXES, PORTEUR, PROJET, Champ

LARGEUR_A, LARGEUR_B = 48, 46  # Porteur: long answers
PROJET_A, PROJET_B = 64, 18  # Projet: long labels, Oui or Non
HAUTEUR_REPONSE = 20  # points: room to write by hand on a printed copy
AXES_TITRES = {  # formulaire.AXES key -> the heading of its group in `Projet`
    "enfants": "Axe 1 – Auprès des enfants",
    "parents": "Axe 2 – Auprès et avec les parents",
    "ecole": "Axe 3 – Concertation avec l'école",
    "territoire": "Axe 4 – Partenaires du territoire",
}
_PROJET = {c.cle: c for c in PROJET}


def libelle_projet(champ: Champ) -> str:
    """The label cell of a `Projet` row: "E1 - Appui et méthodologie au travail scolaire"."""
    return f"{champ.cle} - {champ.libelle}"


def _champ(
    ws: Worksheet,
    ligne: int,
    libelle: str,
    champ: Champ,
    feuille: str,
    annee: str,
    refs: dict,
    consignes: Consignes,
    avec_consigne: bool = True,
) -> int:
    """One field's row (and its consigne's row); return the next free row."""
    a = ws.cell(ligne, 1, libelle)
    a.fill, a.alignment = GRIS, Alignment(wrap_text=True, vertical="center")
    ws.row_dimensions[ligne].height = HAUTEUR_REPONSE
    cellule_saisie(ws.cell(ligne, 2), champ)
    texte = consignes.texte(feuille, champ.cle)
    ws.add_data_validation(validation(champ, annee, refs, f"B{ligne}", consignes.message(feuille, champ.cle)))
    rouge_si(ws, f"B{ligne}", consignes.refusees(feuille, champ.cle))
    if texte and avec_consigne:
        consigne(ws.cell(ligne + 1, 2), texte, bool(consignes.refusees(feuille, champ.cle)), LARGEUR_B)
        return ligne + 2
    return ligne + 1


def feuille_porteur(wb: Workbook, annee: str, refs: dict, consignes: Consignes) -> None:
    ws = wb.create_sheet("Porteur")
    ligne = 1
    for champ in PORTEUR:
        ligne = _champ(ws, ligne, champ.libelle, champ, "Porteur", annee, refs, consignes)
    _colonnes(ws, LARGEUR_A, LARGEUR_B)
    mise_en_page(ws, f"Dossier CLAS {annee} – Porteur", f"A1:B{ligne - 1}")
    proteger(ws)


def _titre(ws: Worksheet, ligne: int, texte: str, taille: int) -> None:
    c = ws.cell(ligne, 1, texte)
    c.font = Font(bold=True, size=taille)
    c.alignment = Alignment(vertical="center")
    ws.merge_cells(start_row=ligne, start_column=1, end_row=ligne, end_column=2)


def feuille_projet(wb: Workbook, annee: str, refs: dict, consignes: Consignes) -> None:
    """Titled, one group per axis: its heading, its consigne, then its actions."""
    ws = wb.create_sheet("Projet")
    _titre(ws, 1, f"Projet : les actions prévues pour {annee}", 14)
    ws.row_dimensions[1].height = 24
    texte = (
        "Pour chaque action, répondez Oui si le projet la prévoit, Non sinon. Les actions "
        "sont regroupées par axe ; chaque axe est examiné séparément."
    )
    consigne(ws.cell(2, 1), texte, False, PROJET_A + PROJET_B)
    ws.merge_cells("A2:B2")
    ligne = 4
    for axe, codes in AXES.items():
        _titre(ws, ligne, AXES_TITRES[axe], 11)
        ws.cell(ligne, 1).fill = TITRE
        ligne += 1
        for texte in consignes.textes_de("Projet", codes):
            refus = any(consignes.refusees("Projet", c) for c in codes)
            consigne(ws.cell(ligne, 1), texte, refus, PROJET_A + PROJET_B)
            ws.merge_cells(start_row=ligne, start_column=1, end_row=ligne, end_column=2)
            ligne += 1
        for code in codes:
            ligne = _champ(
                ws,
                ligne,
                libelle_projet(_PROJET[code]),
                _PROJET[code],
                "Projet",
                annee,
                refs,
                consignes,
                avec_consigne=False,
            )
        ligne += 1
    _colonnes(ws, PROJET_A, PROJET_B)
    mise_en_page(ws, f"Dossier CLAS {annee} – Projet", f"A1:B{ligne - 2}")
    proteger(ws)


def _colonnes(ws: Worksheet, a: float, b: float) -> None:
    ws.column_dimensions["A"].width, ws.column_dimensions["B"].width = a, b

"""The `Budget` sheet: code in A, label in B, amount in C (dossier.md §4), read by code.

For the operator: a "Charges" section then a "Produits" section, each with its heading and
total, and a balance check that says in words whether produits equal charges. Headings,
totals and the check leave column A empty, so the reader skips them. Column D holds the
consignes of the rules that read a line (cofinancement, the Caf's own computation).
"""

from __future__ import annotations

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.worksheet.worksheet import Worksheet

from campaign.dossier_vierge.consignes import Consignes
from campaign.dossier_vierge.page import (
    FORMAT_MONTANT,
    GRAS,
    GRIS,
    TITRE,
    cellule_saisie,
    consigne,
    mise_en_page,
    proteger,
)
from campaign.dossier_vierge.saisie import validation
from campaign.formulaire import BUDGET, CHARGES, PRODUITS

LARGEURS = {"A": 18, "B": 48, "C": 16, "D": 40}
_MILIEU = Alignment(vertical="center")
_SECTIONS = (  # heading, the lines under it, the total's label and the codes it adds
    (
        "Charges",
        tuple(c.cle for c in BUDGET if not c.cle.startswith("P") or c.cle == "PSF"),
        "Total des charges (60 à 68 et charges indirectes)",
        CHARGES,
    ),
    (
        "Produits",
        PRODUITS,
        "Total des produits (70 à 78)",
        tuple(c for c in PRODUITS if c != "P87"),
    ),  # in-kind (87) balances 86, not counted
)
_CHAMPS = {c.cle: c for c in BUDGET}


def _somme(lignes: list[int]) -> str:
    lignes = sorted(lignes)
    if lignes == list(range(lignes[0], lignes[-1] + 1)):
        return f"SUM(C{lignes[0]}:C{lignes[-1]})"
    return "SUM(" + ",".join(f"C{n}" for n in lignes) + ")"


def _total(ws: Worksheet, ligne: int, libelle: str, formule: str) -> None:
    ws.cell(ligne, 2, libelle).font = GRAS
    c = ws.cell(ligne, 3, f"={formule}")
    c.font, c.number_format = GRAS, FORMAT_MONTANT


def feuille_budget(wb: Workbook, annee: str, refs: dict, consignes: Consignes) -> None:
    ws = wb.create_sheet("Budget")
    for col, titre in enumerate(("Code", "Libellé", "Montant (€)", "À savoir"), start=1):
        ws.cell(1, col, titre).font, ws.cell(1, col).fill = GRAS, GRIS
    ligne, totaux, deja = 2, [], set()
    for titre, codes, libelle_total, comptes in _SECTIONS:
        h = ws.cell(ligne, 2, titre.upper())
        h.font, h.fill = Font(bold=True, size=12), TITRE
        ligne += 1
        lignes = {}
        for code in codes:
            champ = _CHAMPS[code]
            ws.cell(ligne, 1, code).fill = GRIS
            ws.cell(ligne, 2, champ.libelle).fill = GRIS
            ws.cell(ligne, 1).alignment = ws.cell(ligne, 3).alignment = _MILIEU
            ws.cell(ligne, 2).alignment = Alignment(wrap_text=True, vertical="center")
            cellule_saisie(ws.cell(ligne, 3), champ)
            texte = consignes.texte("Budget", code)
            message = consignes.message("Budget", code)
            ws.add_data_validation(validation(champ, annee, refs, f"C{ligne}", message))
            if texte and texte not in deja:  # a sentence shared by several lines, once
                consigne(ws.cell(ligne, 4), texte, False, LARGEURS["D"])
                deja.add(texte)
            lignes[code] = ligne
            ligne += 1
        _total(ws, ligne, libelle_total, _somme([lignes[c] for c in comptes]))
        totaux.append(ligne)
        ligne += 2
    charges, produits = totaux
    _total(ws, ligne, "Équilibre du budget (produits − charges)", f"C{produits}-C{charges}")
    verdict = ws.cell(
        ligne,
        4,
        f'=IF(ROUND(C{ligne},2)=0,"Budget équilibré",IF(C{ligne}>0,'
        f'"Produits supérieurs aux charges : à corriger",'
        f'"Charges non couvertes : complétez les produits"))',
    )
    verdict.font = GRAS
    for lettre, largeur in LARGEURS.items():
        ws.column_dimensions[lettre].width = largeur
    ws.freeze_panes = "A2"
    mise_en_page(
        ws, f"Dossier CLAS {annee} – Budget prévisionnel de l'action", f"A1:D{ligne}", lignes_titre="1:1"
    )
    proteger(ws)


def lignes_budget(ws: Worksheet) -> dict[str, int]:
    """Budget code -> its row, read back from column A."""
    return {c.value: c.row for c in ws["A"] if c.value in _CHAMPS}

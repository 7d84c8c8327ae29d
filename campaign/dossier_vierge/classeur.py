"""The blank dossier sent to operators (`campaign template`), built from campaign/formulaire.py
and the year's consignes (`dossier_vierge_consignes.Consignes`, built from the rules above the
writer by `campaign.dossier_vierge.regles`).

Layout (dossier.md): `Porteur` and `Projet` hold one field per row (label in A, answer in B);
`Collectifs` has the field labels as headers in row 1 and one collectif per row below;
`Budget` has the line code in A, its label in B and the amount in C. Around that contract,
for the volunteer: `Mode d'emploi`, `Attestation`, drop-down lists fed by a hidden `Listes`
sheet, messages and checks on the answers, the rules beside the answers, protected labels
(no password), budget totals and balance check, and every sheet printable on A4. One sheet
per module: `dossier_vierge_porteur`, `_collectifs`, `_budget`, `_notice`.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from openpyxl import Workbook

from campaign.dossier_vierge.budget import feuille_budget, lignes_budget
from campaign.dossier_vierge.caf import SANS_CAMPAGNE, CafDuDossier
from campaign.dossier_vierge.collectifs import PREMIERE_LIGNE, feuille_collectifs
from campaign.dossier_vierge.consignes import SANS_CONSIGNES, Consignes
from campaign.dossier_vierge.notice import attestation, mode_emploi
from campaign.dossier_vierge.porteur import feuille_porteur, feuille_projet, libelle_projet
from campaign.dossier_vierge.saisie import annees, ecrire_listes
from campaign.ecrire.enregistrement import enregistrer_classeur
from campaign.erreurs import CampaignError
from campaign.formulaire import COLLECTIFS, PORTEUR, PROJET

__all__ = ["construire_dossier_vierge", "ecrire_dossier_vierge", "libelle_projet", "reperes"]


def construire_dossier_vierge(
    annee: str = "2026-2027", consignes: Consignes = SANS_CONSIGNES, caf: CafDuDossier = SANS_CAMPAGNE
) -> Workbook:
    """The blank dossier as an openpyxl workbook (the demo fills it in), from the Caf of `caf`."""
    if not re.fullmatch(r"\d{4}-\d{4}", annee) or annees(annee)[1] != int(annee[5:]):
        raise CampaignError(f"Année scolaire invalide : {annee!r} (attendu par exemple 2026-2027).")
    wb = Workbook()
    ws = wb.active
    ws.title = "Mode d'emploi"
    mode_emploi(ws, annee, consignes, caf)
    refs = ecrire_listes(wb)
    feuille_porteur(wb, annee, refs, consignes)
    feuille_projet(wb, annee, refs, consignes)
    feuille_collectifs(wb, annee, refs, consignes)
    feuille_budget(wb, annee, refs, consignes)
    attestation(
        wb, annee, {cle: ligne for (feuille, cle), (ligne, _) in reperes(wb).items() if feuille == "Porteur"}
    )
    wb.move_sheet("Listes", offset=len(wb.sheetnames) - 1 - wb.sheetnames.index("Listes"))
    wb.active = 0
    wb.properties.title = f"Dossier CLAS {annee}"
    wb.properties.creator = "Caf – campagne CLAS"
    return wb


def reperes(wb: Workbook) -> dict[tuple[str, str], tuple[int, int]]:
    """(sheet, field key) -> (row, column) of its answer cell, read back from the labels as
    written (for `Collectifs`, the first collectif's row); a label or sheet changed by hand
    has no entry."""
    out: dict[tuple[str, str], tuple[int, int]] = {}
    for feuille, champs, libelle in (
        ("Porteur", PORTEUR, lambda c: c.libelle),
        ("Projet", PROJET, libelle_projet),
    ):
        lignes = {c.value: c.row for c in wb[feuille]["A"] if c.value} if feuille in wb else {}
        out.update({(feuille, c.cle): (lignes[libelle(c)], 2) for c in champs if libelle(c) in lignes})
    if "Collectifs" in wb:
        out.update({("Collectifs", c.cle): (PREMIERE_LIGNE, j) for j, c in enumerate(COLLECTIFS, 1)})
    if "Budget" in wb:
        out.update({("Budget", code): (ligne, 3) for code, ligne in lignes_budget(wb["Budget"]).items()})
    return out


def ecrire_dossier_vierge(
    path: Path,
    annee: str = "2026-2027",
    consignes: Consignes = SANS_CONSIGNES,
    caf: CafDuDossier = SANS_CAMPAGNE,
) -> None:
    """Write the blank dossier for `annee` to `path` (same bytes for the same year and Caf)."""
    wb = construire_dossier_vierge(annee, consignes, caf)
    enregistrer_classeur(wb, path, dt.datetime(annees(annee)[0], 1, 1))

"""Operator workbooks written for the tests, the way operators return them."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from openpyxl import Workbook

from campaign import formulaire as F

PORTEUR = {
    "nom": "Association Les Petits Savants",
    "siret": "732 829 320 00074",
    "statut": "Association",
    "rna": "W261234567",
    "adresse": "1 rue de la Paix",
    "code_postal": "26000",
    "commune": "Die",
    "representant": "Claude Dupont",
    "representant_qualite": "Présidente",
    "contact_nom": "Sam Leroy",
    "contact_courriel": "sam@asso.example",
    "contact_telephone": "04 75 00 00 00",
    "coordinateur_nom": "Alex Morel",
    "coordinateur_diplome": "Bac+2",
    "coordinateur_experience": 3,
    "premiere_demande": "Non",
    "pluriannuel": "Non",
    "principes": "Oui",
    "formation": "Oui",
    "date_signature": dt.date(2026, 6, 15),
}
PROJET = {c.cle: "Oui" for c in F.PROJET}
COLLECTIF = {
    "code": "C1",
    "lieu": "Salle des fêtes",
    "commune": "Die",
    "niveau_min": "CP",
    "niveau_max": "CM2",
    "enfants": 10,
    "enfants_handicap": 0,
    "rural": "Non",
    "intervenants_salaries": 1,
    "intervenants_benevoles": 1,
    "seances_semaine": 2,
    "duree_seance": "1h30",
    "semaines": 30,
    "date_debut": dt.date(2026, 11, 2),
    "date_fin": dt.date(2027, 6, 15),
    "besoin_repere": "Oui",
    "accord_parents": "Oui",
    "aide_devoirs_seule": "Non",
    "ouvert_parents": "Oui",
    "be_projet": "Non",
    "be_materiel": "Non",
    "be_intervenants": "Non",
    "be_sorties": "Non",
    "bp_projet": "Non",
    "bp_intervenants": "Non",
    "bp_actions": "Non",
    "bp_public": "Non",
}
BUDGET = {"C64": 10000, "P74-COMMUNE": 3000}


def ecrire_classeur(
    chemin: Path,
    porteur=None,
    projet=None,
    collectifs=None,
    budget=None,
    noms=None,
    libelles=None,
    sans=(),
    lignes_vides=(),
) -> Path:
    """A dossier workbook. `libelles` retypes labels/headers ({key: text}); `noms` retypes
    sheet names; `sans` leaves sheets out; `lignes_vides` inserts empty Collectifs rows."""
    noms = {f: f for f in F.FEUILLES} | (noms or {})
    libelles = libelles or {}
    wb = Workbook()
    wb.remove(wb.active)
    for feuille in ("Porteur", "Projet"):
        if feuille in sans:
            continue
        ws = wb.create_sheet(noms[feuille])
        valeurs = (PORTEUR if feuille == "Porteur" else PROJET) | (
            (porteur if feuille == "Porteur" else projet) or {}
        )
        for c in F.FEUILLES[feuille]:
            if c.cle in valeurs:
                defaut = c.libelle if feuille == "Porteur" else f"{c.cle} - {c.libelle}"
                ws.append([libelles.get(c.cle, defaut), valeurs[c.cle]])
    if "Collectifs" not in sans:
        ws = wb.create_sheet(noms["Collectifs"])
        ws.append([libelles.get(c.cle, c.libelle) for c in F.COLLECTIFS])
        for i, sc in enumerate(collectifs if collectifs is not None else [{}], 1):
            if i in lignes_vides:
                ws.append([None] * len(F.COLLECTIFS))
            ligne = COLLECTIF | {"code": f"C{i}"} | sc
            ws.append([ligne.get(c.cle) for c in F.COLLECTIFS])
    if "Budget" not in sans:
        ws = wb.create_sheet(noms["Budget"])
        ws.append(["Code", "Libellé", "Montant (€)"])
        montants = BUDGET | (budget or {})
        for c in F.BUDGET:
            ws.append([c.cle, c.libelle, montants.get(c.cle)])
    wb.save(chemin)
    return chemin

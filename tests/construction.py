"""Dossiers whose truth is known, built directly as the typed tables the rules read."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from types import SimpleNamespace

import pandas as pd

from campaign import formulaire as F
from campaign.decider.decision import calculer
from campaign.decider.parametres import avec_reglages, charger_parametres
from campaign.lire.campagne import Regles
from campaign.valider.controles import dtype

COLLECTIF = {
    "code": "C1",
    "lieu": "Salle des fêtes",
    "commune": "Die",
    "niveau_min": "CP",
    "niveau_max": "CM2",
    "enfants": 10,
    "enfants_handicap": 0,
    "rural": False,
    "intervenants_salaries": 1,
    "intervenants_benevoles": 1,
    "seances_semaine": 2,
    "duree_seance": 1.5,
    "semaines": 30,
    "date_debut": dt.date(2026, 11, 2),
    "date_fin": dt.date(2027, 6, 15),
    "besoin_repere": True,
    "accord_parents": True,
    "aide_devoirs_seule": False,
    "ouvert_parents": True,
    "be_projet": False,
    "be_materiel": False,
    "be_intervenants": False,
    "be_sorties": False,
    "bp_projet": False,
    "bp_intervenants": False,
    "bp_actions": False,
    "bp_public": False,
}

DOSSIER = {
    "nom": "Association Test",
    "siret": "73282932000074",
    "statut": "Association",
    "rna": None,
    "adresse": "1 rue de la Paix",
    "code_postal": "26000",
    "commune": "Die",
    "representant": "Claude Dupont",
    "representant_qualite": "Président",
    "contact_nom": "Sam Leroy",
    "contact_courriel": "sam@asso.example",
    "contact_telephone": None,
    "coordinateur_nom": "Alex Morel",
    "coordinateur_diplome": "Bac+2",
    "coordinateur_experience": 3,
    "premiere_demande": False,
    "pluriannuel": False,
    "principes": True,
    "formation": True,
    "date_signature": dt.date(2026, 6, 15),
    **{c.cle: True for c in F.PROJET},
    **{c.cle: 0 for c in F.BUDGET},
    "C64": 1_000_000,
    "P74-COMMUNE": 300_000,  # cents: 10 000 € of charges, 3 000 € co-funded
}


def parametres(axes="toutes_actions", ecretement=True, seuil="0.80", annee=2026):
    campagne = SimpleNamespace(
        debut=dt.date(annee, 9, 1),
        regles=Regles(axes, ecretement, Decimal(seuil), dt.date(annee, 11, 2), dt.date(annee + 1, 6, 15)),
    )
    return avec_reglages(charger_parametres(campagne.debut), campagne)


def _typer(lignes: list[dict], feuilles: tuple[str, ...]) -> pd.DataFrame:
    df = pd.DataFrame(lignes)
    for feuille in feuilles:
        for c in F.FEUILLES[feuille]:
            if c.cle in df:
                if c.type == "date":
                    df[c.cle] = pd.to_datetime(df[c.cle])
                else:
                    df[c.cle] = df[c.cle].astype(dtype(c))
    return df


def tables(*dossiers: tuple[dict, list[dict]]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(dossier overrides, [collectif overrides, ...]) ... -> (d, c) as `calculer` reads them."""
    lignes_d, lignes_c = [], []
    for i, (surcharge, collectifs) in enumerate(dossiers):
        fichier = f"dossier_{i:03d}.xlsx"
        lignes_d.append({"fichier": fichier, **DOSSIER, **surcharge})
        for pos, sc in enumerate(collectifs, 1):
            lignes_c.append({"fichier": fichier, "position": pos, **COLLECTIF, "code": f"C{pos}", **sc})
    d = _typer(lignes_d, ("Porteur", "Projet", "Budget")).set_index("fichier")
    d = d.rename(columns={"commune": "commune_porteur"})
    c = _typer(lignes_c, ("Collectifs",))
    return d, c


def decider(*dossiers, **options):
    d, c = tables(*dossiers)
    return calculer(d, c, parametres(**options))

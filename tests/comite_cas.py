"""Committee files built directly as read rows, to test comite.md §3 case by case."""

from __future__ import annotations

import datetime as dt

import pandas as pd
from construction import DOSSIER, parametres, tables

from campaign.decider.decision import calculer
from campaign.decider.decisions_finales import Comite, appliquer
from campaign.lire.comite import FichierComite, LigneAvis, avis_lu
from campaign.lire.seances import Seance

COLONNES = {
    "SIRET": "B",
    "Fichier": "C",
    "Collectif": "D",
    "Décision": "AI",
    "Total": "AN",
    "Avis du comité": "AO",
    "Commentaire": "AP",
}


def ligne(
    n: int,
    collectif: str,
    avis: str = "",
    commentaire: str = "",
    siret: str | None = None,
    fichier: str = "",
    decision: str | None = None,
    total: int | None = None,
) -> LigneAvis:
    siret = DOSSIER["siret"] if siret is None else siret
    valeurs = {
        "SIRET": siret,
        "Fichier": fichier,
        "Collectif": collectif,
        "Avis du comité": avis,
        "Commentaire": commentaire,
        "Décision": decision or "",
        "Total": total or "",
    }
    return LigneAvis(
        n,
        {k: f"{v}{n}" for k, v in COLONNES.items()},
        valeurs,
        siret,
        fichier,
        collectif,
        avis_lu(avis) or "ILLISIBLE",
        commentaire,
        decision,
        total,
    )


def fichier_comite(date: dt.date, lignes: list[dict]) -> FichierComite:
    seance = Seance(date, f"comite/avis-{date.isoformat()}.xlsx")
    return FichierComite(
        seance, "0" * 64, "Collectifs", [ligne(i, **x) for i, x in enumerate(lignes, start=2)]
    )


def appliquer_cas(dossier: dict, collectifs: list[dict], seances: list[dict], **options) -> Comite:
    d, c = tables((dossier, collectifs))
    p = parametres(**options)
    proposition = calculer(d, c, p)
    dossiers = pd.DataFrame(
        {"fichier": list(d.index), "statut": "TRAITE", "siret": [DOSSIER["siret"]] * len(d)}
    )
    fichiers = [fichier_comite(s["date"], s["avis"]) for s in seances]
    return appliquer(fichiers, proposition, d, c, dossiers, p)

"""The bonus criteria (referentiel.md §6.6-6.7), each declared once: an ACCORD collectif
whose criteria fail is told which one, in words built from its own answers."""

from __future__ import annotations

from types import SimpleNamespace

import pandas as pd

from campaign.decider.eligibilite_collectif import PRESENTATION
from campaign.decider.parametres import Parametres
from campaign.decider.regle import Consigne, Redaction, constat, declarer, oui
from campaign.formats import euros


def _bonus(libelle: str, projet: str, criteres: str) -> Redaction:
    def rediger(v: SimpleNamespace) -> str:
        if not v.projet:
            return (
                f"Bonus {libelle} non accordé au collectif {v.code_collectif} : aucun {projet} "
                "n'est déclaré pour ce collectif, alors que c'est le critère obligatoire."
            )
        return (
            f"Bonus {libelle} non accordé au collectif {v.code_collectif} : aucun des critères "
            f"({criteres}) n'est rempli, il en faut au moins un."
        )

    return rediger


def _consigne(nom: str, projet: str, prefixe: str) -> tuple[Consigne, ...]:
    champs = tuple(
        ("Collectifs", f"{prefixe}_{c}")
        for c in (
            ("projet", "materiel", "intervenants", "sorties")
            if prefixe == "be"
            else ("projet", "intervenants", "actions", "public")
        )
    )
    return (
        Consigne(
            champs,
            lambda p: (
                f"Bonus {nom} de {euros(p[f'bonus_{nom}'].centimes)} par "
                f"collectif : « Oui » au {projet} et à au moins un des trois "
                "critères qui suivent."
            ),
        ),
    )


def _criteres(c: pd.DataFrame, projet: str, criteres: tuple[str, ...]) -> pd.DataFrame:
    a_projet = oui(c[projet])
    un_critere = c[list(criteres)].fillna(False).astype(bool).any(axis=1)
    return constat(~(a_projet & un_critere), projet=a_projet)


@declarer(
    code="BONUS-ENFANTS",
    niveau="collectif",
    nature="bonus",
    echec="Critères du bonus enfants non remplis",
    libelle="Bonus enfants : projet socio-éducatif structuré et au moins un critère.",
    reference=f"{PRESENTATION}, critères d'attribution du bonus Enfant (obligatoire : projet "
    "structuré ; au moins un : matériel, intervenants, sorties)",
    rediger=_bonus(
        "enfants",
        "projet socio-éducatif structuré",
        "matériel pédagogique, intervenants extérieurs rémunérés, sorties culturelles",
    ),
    consignes=_consigne("enfants", "projet socio-éducatif", "be"),
    texte="cahier-des-charges",
)
def bonus_enfants(c: pd.DataFrame, p: Parametres) -> pd.DataFrame:
    return _criteres(c, "be_projet", ("be_materiel", "be_intervenants", "be_sorties"))


@declarer(
    code="BONUS-PARENTS",
    niveau="collectif",
    nature="bonus",
    echec="Critères du bonus parents non remplis",
    libelle="Bonus parents : projet d'accompagnement des parents et au moins un critère.",
    reference=f"{PRESENTATION}, critères d'attribution du bonus Parents (obligatoire : projet "
    "parents ; au moins un : intervenants, actions, public)",
    rediger=_bonus(
        "parents",
        "projet d'accompagnement des parents",
        "intervenants extérieurs, actions spécifiques, public allophone, illettrisme ou AEF",
    ),
    consignes=_consigne("parents", "projet d'accompagnement des parents", "bp"),
    texte="cahier-des-charges",
)
def bonus_parents(c: pd.DataFrame, p: Parametres) -> pd.DataFrame:
    return _criteres(c, "bp_projet", ("bp_intervenants", "bp_actions", "bp_public"))

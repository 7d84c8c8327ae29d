"""Eligibility rules of one collectif about whom it welcomes and how (referentiel.md §4):
children oriented on an identified need, more than homework help, open to parents. Each
declared once, worded from its own constat."""

from __future__ import annotations

from types import SimpleNamespace

import pandas as pd

from campaign.decider.eligibilite_collectif import REFERENTIEL, consigne, nom_collectif
from campaign.decider.parametres import Parametres
from campaign.decider.regle import constat, declarer, oui


def _reperage(v: SimpleNamespace) -> str:
    manques = []
    if not v.besoin_repere:
        manques.append("le besoin des enfants n'a pas été repéré au préalable")
    if not v.accord_parents:
        manques.append("l'accord des parents n'est pas recueilli")
    return (
        f"Pour le collectif {v.code_collectif}, {' et '.join(manques)} ; le CLAS s'adresse aux "
        "enfants dont le besoin d'appui a été repéré, avec l'accord de leurs parents."
    )


@declarer(
    code="R-REPERAGE",
    niveau="collectif",
    nature="motif",
    echec="Besoin non repéré ou accord des parents absent",
    libelle="Les enfants sont orientés sur un besoin repéré au préalable, avec l'accord des parents.",
    reference=f"{REFERENTIEL}, « uniquement aux enfants et jeunes pour lesquels un besoin d'appui a "
    "été repéré au préalable [...] et avec accord des parents »",
    rediger=_reperage,
    consignes=(
        consigne(
            ("besoin_repere",),
            "« Non » rend le collectif inéligible : le CLAS accueille "
            "des enfants dont le besoin d'appui a été repéré au préalable.",
            "Non",
        ),
        consigne(
            ("accord_parents",),
            "« Non » rend le collectif inéligible : l'accord des parents est obligatoire.",
            "Non",
        ),
    ),
    texte="referentiel-cnaf",
)
def r_reperage(c: pd.DataFrame, p: Parametres) -> pd.DataFrame:
    besoin, accord = oui(c["besoin_repere"]), oui(c["accord_parents"])
    return constat(~besoin | ~accord, besoin_repere=besoin, accord_parents=accord)


def _aide_devoirs(v: SimpleNamespace) -> str:
    return (
        f"{nom_collectif(v)} est déclaré comme de l'aide aux devoirs exclusivement ; une telle action "
        "n'est pas éligible à la prestation de service CLAS."
    )


@declarer(
    code="R-AIDE-DEVOIRS",
    niveau="collectif",
    nature="motif",
    echec="Aide aux devoirs exclusivement",
    libelle="L'action ne se limite pas à l'aide aux devoirs.",
    reference=f"{REFERENTIEL}, « toute action relevant exclusivement de l'aide aux devoirs [...] "
    "n'est pas éligible à la prestation de service Clas »",
    rediger=_aide_devoirs,
    consignes=(
        consigne(
            ("aide_devoirs_seule",),
            "« Oui » rend le collectif inéligible : une action "
            "d'aide aux devoirs seulement n'est pas financée par le CLAS.",
            "Oui",
        ),
    ),
    texte="referentiel-cnaf",
)
def r_aide_devoirs(c: pd.DataFrame, p: Parametres) -> pd.DataFrame:
    return constat(oui(c["aide_devoirs_seule"]))


def _ouvert_parents(v: SimpleNamespace) -> str:
    return f"{nom_collectif(v)} n'est pas accessible aux parents ; le référentiel demande qu'il le soit."


@declarer(
    code="R-OUVERT-PARENTS",
    niveau="collectif",
    nature="motif",
    echec="Collectif fermé aux parents",
    libelle="Le collectif est accessible aux parents.",
    reference=f"{REFERENTIEL}, « Accessible aux parents »",
    rediger=_ouvert_parents,
    consignes=(
        consigne(
            ("ouvert_parents",),
            "« Non » rend le collectif inéligible : le collectif doit être accessible aux parents.",
            "Non",
        ),
    ),
    texte="referentiel-cnaf",
)
def r_ouvert_parents(c: pd.DataFrame, p: Parametres) -> pd.DataFrame:
    return constat(~oui(c["ouvert_parents"]))

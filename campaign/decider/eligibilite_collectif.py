"""Eligibility rules of one collectif (referentiel.md §4), each declared once.

Each predicate returns its constat: `echec` and the values it compared; the sentence of a
refusal is written from those values only (CRPA L211-2 and L211-5).
"""

from __future__ import annotations

from types import SimpleNamespace

import pandas as pd

from campaign.decider.parametres import Parametres
from campaign.decider.regle import Consigne, constat, declarer, oui
from campaign.formats import duree, pluriel

REFERENTIEL = "référentiel national du CLAS (Cnaf)"
PRESENTATION = "présentation départementale du CLAS"


def consigne(champs: tuple[str, ...], texte: str, *refusees: str, feuille: str = "Collectifs") -> Consigne:
    """A fixed sentence of the blank dossier beside `champs`; `refusees` shown in red."""
    return Consigne(tuple((feuille, c) for c in champs), lambda p: texte, lambda p: refusees)


def _n(p: Parametres, nom: str) -> int:
    return int(getattr(p, nom).decimal)


def nom_collectif(v: SimpleNamespace) -> str:
    return f"Le collectif {v.code_collectif}"


def _niveau(v: SimpleNamespace) -> str:
    return (
        f"{nom_collectif(v)} accueille des enfants du niveau « {v.niveau_min} » au niveau "
        f"« {v.niveau_max} » ; le CLAS s'adresse aux enfants du CP à la Terminale."
    )


@declarer(
    code="R-NIVEAU",
    niveau="collectif",
    nature="motif",
    echec="Niveau scolaire hors du CP à la Terminale",
    libelle="Le collectif accueille des enfants du CP à la Terminale.",
    reference=f"{PRESENTATION}, « du CP à la Terminale »",
    rediger=_niveau,
    consignes=(
        consigne(
            ("niveau_min",),
            "Du CP à la Terminale : « Maternelle » rend le collectif inéligible.",
            "Maternelle",
        ),
        consigne(
            ("niveau_max",), "Du CP à la Terminale : « Post-bac » rend le collectif inéligible.", "Post-bac"
        ),
    ),
    texte="cahier-des-charges",
)
def r_niveau(c: pd.DataFrame, p: Parametres) -> pd.DataFrame:
    echec = (c["niveau_min"] == "Maternelle") | (c["niveau_max"] == "Post-bac")
    return constat(echec, niveau_min=c["niveau_min"], niveau_max=c["niveau_max"])


def _effectif(v: SimpleNamespace) -> str:
    enfants = pluriel(v.enfants, "enfant")
    if v.trop:
        return f"{nom_collectif(v)} compte {enfants} ; le référentiel en admet {v.maximum} au plus."
    precision = (
        " (minimum dérogatoire, milieu rural ou enfant en situation de handicap)"
        if v.derogation
        else f" ({v.minimum_derogatoire} seulement en milieu rural "
        "ou avec un enfant en situation de handicap)"
    )
    return f"{nom_collectif(v)} compte {enfants} ; le référentiel en demande au moins {v.minimum}{precision}."


@declarer(
    code="R-EFFECTIF",
    niveau="collectif",
    nature="motif",
    echec="Nombre d'enfants hors des limites",
    libelle="Le collectif compte entre l'effectif minimal (dérogatoire en rural ou avec handicap) "
    "et l'effectif maximal.",
    reference=f"{REFERENTIEL}, taille des collectifs ; dérogation en milieu rural ou avec un enfant "
    "en situation de handicap",
    rediger=_effectif,
    consignes=(
        Consigne(
            (("Collectifs", "enfants"),),
            lambda p: (
                f"De {_n(p, 'effectif_min')} à {pluriel(_n(p, 'effectif_max'), 'enfant')} ; "
                f"{_n(p, 'effectif_min_derogatoire')} au moins en milieu rural ou avec un "
                "enfant en situation de handicap."
            ),
        ),
    ),
    texte="referentiel-cnaf",
)
def r_effectif(c: pd.DataFrame, p: Parametres) -> pd.DataFrame:
    derogation = oui(c["rural"]) | (c["enfants_handicap"].fillna(0) >= 1)
    minimum_derogatoire = int(p.effectif_min_derogatoire.decimal)
    minimum = derogation.map({True: minimum_derogatoire, False: int(p.effectif_min.decimal)})
    maximum = int(p.effectif_max.decimal)
    trop = c["enfants"] > maximum
    return constat(
        trop | (c["enfants"] < minimum),
        enfants=c["enfants"],
        trop=trop.fillna(False),
        minimum=minimum,
        maximum=maximum,
        derogation=derogation,
        minimum_derogatoire=minimum_derogatoire,
    )


def _encadrement(v: SimpleNamespace) -> str:
    return (
        f"{nom_collectif(v)} est encadré par {pluriel(v.total, 'intervenant')} "
        f"({pluriel(v.salaries, 'salarié')}, {pluriel(v.benevoles, 'bénévole')}) ; "
        f"le référentiel en demande au moins {v.requis}."
    )


@declarer(
    code="R-ENCADREMENT",
    niveau="collectif",
    nature="motif",
    echec="Trop peu d'intervenants",
    libelle="Le collectif compte assez d'intervenants (moins en rural sous l'effectif minimal).",
    reference=f"{REFERENTIEL}, « animateurs professionnels et/ou bénévoles par collectif » ; "
    "dérogation en milieu rural",
    rediger=_encadrement,
    consignes=(
        Consigne(
            (("Collectifs", "intervenants_salaries"), ("Collectifs", "intervenants_benevoles")),
            lambda p: (
                f"Au moins {pluriel(_n(p, 'intervenants_min'), 'intervenant')}, salariés et "
                f"bénévoles ensemble ({_n(p, 'intervenants_min_rural')} en milieu rural "
                f"pour moins de {pluriel(_n(p, 'effectif_min'), 'enfant')})."
            ),
        ),
    ),
    texte="referentiel-cnaf",
)
def r_encadrement(c: pd.DataFrame, p: Parametres) -> pd.DataFrame:
    petit_rural = oui(c["rural"]) & (c["enfants"] < int(p.effectif_min.decimal))
    requis = petit_rural.map(
        {True: int(p.intervenants_min_rural.decimal), False: int(p.intervenants_min.decimal)}
    )
    total = c["intervenants_salaries"] + c["intervenants_benevoles"]
    return constat(
        total < requis,
        total=total,
        salaries=c["intervenants_salaries"],
        benevoles=c["intervenants_benevoles"],
        requis=requis,
    )


def _frequence(v: SimpleNamespace) -> str:
    texte = (
        f"{nom_collectif(v)} se réunit {pluriel(v.seances, 'fois')} par semaine, {duree(v.duree)} "
        f"par séance ; le référentiel demande au moins {pluriel(v.seances_min, 'séance')} de "
        f"{duree(v.duree_min)} par semaine"
    )
    if v.rural:
        texte += (
            f", ou en milieu rural {pluriel(v.seances_min_rural, 'séance')} de {duree(v.duree_min_rural)}"
        )
    return texte + "."


@declarer(
    code="R-FREQUENCE",
    niveau="collectif",
    nature="motif",
    echec="Séances trop rares ou trop courtes",
    libelle="Le collectif se réunit assez souvent et assez longtemps chaque semaine (dérogation rurale).",
    reference=f"{REFERENTIEL}, séances hebdomadaires par collectif ; dérogation en milieu rural",
    rediger=_frequence,
    consignes=(
        Consigne(
            (("Collectifs", "seances_semaine"), ("Collectifs", "duree_seance")),
            lambda p: (
                f"Au moins {pluriel(_n(p, 'seances_min'), 'séance')} de "
                f"{duree(float(p.duree_seance_min.decimal))} par semaine (en milieu rural : "
                f"{pluriel(_n(p, 'seances_min_rural'), 'séance')} de "
                f"{duree(float(p.duree_seance_min_rural.decimal))})."
            ),
        ),
    ),
    texte="referentiel-cnaf",
)
def r_frequence(c: pd.DataFrame, p: Parametres) -> pd.DataFrame:
    seances_min, duree_min = int(p.seances_min.decimal), float(p.duree_seance_min.decimal)
    seances_rural, duree_rural = (int(p.seances_min_rural.decimal), float(p.duree_seance_min_rural.decimal))
    standard = (c["seances_semaine"] >= seances_min) & (c["duree_seance"] >= duree_min)
    rural = oui(c["rural"]) & (c["seances_semaine"] >= seances_rural) & (c["duree_seance"] >= duree_rural)
    return constat(
        ~(oui(standard) | oui(rural)),
        seances=c["seances_semaine"],
        duree=c["duree_seance"],
        rural=oui(c["rural"]),
        seances_min=seances_min,
        duree_min=duree_min,
        seances_min_rural=seances_rural,
        duree_min_rural=duree_rural,
    )


def _semaines(v: SimpleNamespace) -> str:
    return (
        f"{nom_collectif(v)} fonctionne {pluriel(v.semaines, 'semaine')} dans l'année ; le référentiel en "
        f"demande au moins {v.minimum}."
    )


@declarer(
    code="R-SEMAINES",
    niveau="collectif",
    nature="motif",
    echec="Trop peu de semaines de fonctionnement",
    libelle="Le collectif fonctionne le nombre minimal de semaines dans l'année.",
    reference=f"{REFERENTIEL}, semaines de fonctionnement annuel",
    rediger=_semaines,
    consignes=(
        Consigne(
            (("Collectifs", "semaines"),),
            lambda p: f"Au moins {pluriel(_n(p, 'semaines_min'), 'semaine')} de fonctionnement dans l'année.",
        ),
    ),
    texte="referentiel-cnaf",
)
def r_semaines(c: pd.DataFrame, p: Parametres) -> pd.DataFrame:
    minimum = int(p.semaines_min.decimal)
    return constat(c["semaines"] < minimum, semaines=c["semaines"], minimum=minimum)

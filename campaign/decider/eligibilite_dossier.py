"""Eligibility rules of a whole dossier (referentiel.md §4): a failure refuses every
collectif of the dossier. Each rule declared once, worded from its own constat."""

from __future__ import annotations

from types import SimpleNamespace

import pandas as pd

from campaign import formulaire as F
from campaign.decider.eligibilite_collectif import PRESENTATION, REFERENTIEL, consigne
from campaign.decider.parametres import Parametres
from campaign.decider.regle import Consigne, Predicat, Redaction, Regle, constat, declarer, oui
from campaign.formats import pluriel

AXES = {  # code -> (axis of formulaire.AXES, its name in a sentence)
    "R-AXE-ENFANTS": ("enfants", "axe 1, auprès des enfants"),
    "R-AXE-PARENTS": ("parents", "axe 2, auprès et avec les parents"),
    "R-AXE-ECOLE": ("ecole", "axe 3, concertation avec l'école"),
    "R-AXE-TERRITOIRE": ("territoire", "axe 4, partenaires du territoire"),
}
_LIBELLES_PROJET = {c.cle: c.libelle for c in F.PROJET}
_QUATRE_AXES = f"{REFERENTIEL}, les 4 axes d'intervention « a minima et cumulatifs »"


def _coordination(v: SimpleNamespace) -> str:
    return (
        f"Le coordinateur ({v.nom}) a pour diplôme « {v.diplome} » "
        f"et {pluriel(v.experience, 'an')} d'expérience ; le référentiel demande au "
        f"moins un {v.diplome_min} et {pluriel(v.experience_min, 'an')} d'expérience."
    )


@declarer(
    code="R-COORDINATION",
    niveau="dossier",
    nature="motif",
    echec="Coordinateur sans le diplôme ou l'expérience requis",
    libelle="Le coordinateur a le diplôme et l'expérience minimaux.",
    reference=f"{REFERENTIEL}, « exigences de qualification requises (bac +2 avec expérience) »",
    rediger=_coordination,
    consignes=(
        Consigne(
            (("Porteur", "coordinateur_diplome"),),
            lambda p: (
                f"{p.diplome_coordinateur_min.valeur} au moins : un diplôme "
                "inférieur rend le dossier inéligible."
            ),
            lambda p: F.DIPLOMES[: F.DIPLOMES.index(p.diplome_coordinateur_min.valeur)],
        ),
        Consigne(
            (("Porteur", "coordinateur_experience"),),
            lambda p: f"Au moins {pluriel(int(p.experience_coordinateur_min.decimal), 'an')} d'expérience.",
        ),
    ),
    texte="referentiel-cnaf",
)
def r_coordination(d: pd.DataFrame, p: Parametres) -> pd.DataFrame:
    rang = {dip: i for i, dip in enumerate(F.DIPLOMES)}
    diplome_min = p.diplome_coordinateur_min.valeur
    experience_min = int(p.experience_coordinateur_min.decimal)
    diplome_bas = (d["coordinateur_diplome"].map(rang) < rang[diplome_min]).astype(bool)
    return constat(
        diplome_bas | (d["coordinateur_experience"] < experience_min),
        nom=d["coordinateur_nom"],
        diplome=d["coordinateur_diplome"],
        experience=d["coordinateur_experience"],
        diplome_min=diplome_min,
        experience_min=experience_min,
    )


def _principes(v: SimpleNamespace) -> str:
    return (
        "Le dossier ne comporte pas l'engagement à respecter les principes de la charte "
        "(réponse « Non ») ; cet engagement est obligatoire."
    )


@declarer(
    code="R-PRINCIPES",
    niveau="dossier",
    nature="motif",
    echec="Engagement aux principes de la charte absent",
    libelle="Le porteur s'engage à respecter les principes de la charte.",
    reference="charte nationale de l'accompagnement à la scolarité (laïcité, neutralité, "
    "confidentialité, non-jugement...)",
    rediger=_principes,
    consignes=(
        consigne(
            ("principes",),
            "« Non » rend le dossier inéligible : cet engagement est obligatoire.",
            "Non",
            feuille="Porteur",
        ),
    ),
    texte="charte-nationale",
)
def r_principes(d: pd.DataFrame, p: Parametres) -> pd.DataFrame:
    return constat(~oui(d["principes"]))


def _consigne_axes(p: Parametres) -> str:
    """Every action counts, unless the Caf's campagne.toml asks one action per axis."""
    if "axes" not in p:  # the blank dossier is written without a campagne.toml
        return (
            "Toutes les actions de l'axe sont demandées : « Non » à l'une d'elles rend le "
            "dossier inéligible (sauf si votre Caf n'en demande qu'une par axe)."
        )
    if p.axes.valeur == "une_action_par_axe":
        return "Au moins une action de l'axe est demandée : « Non » à toutes rend le dossier inéligible."
    return "Toutes les actions de l'axe sont demandées : « Non » à l'une d'elles rend le dossier inéligible."


def _non_refuse(p: Parametres) -> tuple[str, ...]:
    return () if "axes" in p and p.axes.valeur == "une_action_par_axe" else ("Non",)


def _axe(code: str) -> tuple[Predicat, Redaction]:
    """The predicate and the wording of one axis rule."""
    axe, nom = AXES[code]
    actions = list(F.AXES[axe])

    def rediger(v: SimpleNamespace) -> str:
        liste = " ; ".join(f"{a} « {_LIBELLES_PROJET[a]} »" for a in v.absentes)
        exigence = (
            "au moins une action de cet axe" if v.une_action_suffit else "toutes les actions de cet axe"
        )
        n = len(v.absentes)
        return (
            f"Projet, {nom} : {pluriel(n, 'action', False)} non {pluriel(n, 'prévue', False)} : "
            f"{liste} ; le référentiel demande {exigence}."
        )

    def evaluer(d: pd.DataFrame, p: Parametres) -> pd.DataFrame:
        prevues = d[actions].fillna(False).astype(bool)
        une_action_suffit = p.axes.valeur == "une_action_par_axe"
        echec = ~prevues.any(axis=1) if une_action_suffit else ~prevues.all(axis=1)
        absentes = pd.Series(
            [[a for a, ok in zip(actions, ligne) if not ok] for ligne in prevues.itertuples(index=False)],
            index=d.index,
            dtype=object,
        )
        return constat(echec, absentes=absentes, une_action_suffit=une_action_suffit)

    return evaluer, rediger


def _regle_axe(code: str, echec: str, libelle: str) -> Regle:
    """The rule of one axis of the Projet sheet."""
    evaluer, rediger = _axe(code)
    champs = tuple(("Projet", a) for a in F.AXES[AXES[code][0]])
    return declarer(
        code=code,
        niveau="dossier",
        nature="motif",
        echec=echec,
        libelle=libelle,
        reference=_QUATRE_AXES,
        rediger=rediger,
        consignes=(Consigne(champs, _consigne_axes, _non_refuse),),
        texte="referentiel-cnaf",
    )(evaluer)


REGLES_AXES = tuple(
    _regle_axe(code, echec, libelle)
    for code, echec, libelle in (
        (
            "R-AXE-ENFANTS",
            "Axe 1 (enfants) incomplet",
            "L'axe 1, auprès des enfants, comprend les actions attendues (E1 à E5).",
        ),
        (
            "R-AXE-PARENTS",
            "Axe 2 (parents) incomplet",
            "L'axe 2, auprès et avec les parents, comprend les actions attendues (P1 à P5).",
        ),
        (
            "R-AXE-ECOLE",
            "Axe 3 (école) incomplet",
            "L'axe 3, concertation avec l'école, comprend les actions attendues (S1 à S3).",
        ),
        (
            "R-AXE-TERRITOIRE",
            "Axe 4 (territoire) incomplet",
            "L'axe 4, partenaires du territoire, comprend les actions attendues (T1 et T2).",
        ),
    )
)


def _cofinancement(v: SimpleNamespace) -> str:
    return (
        "Le budget ne compte aucun cofinancement (lignes 74 État, Région, Département, "
        "Intercommunalité, Commune(s), autres organismes sociaux, fonds européens, autres "
        "subventions à 0 €) ; un cofinancement est obligatoire."
    )


@declarer(
    code="R-COFINANCEMENT",
    niveau="dossier",
    nature="motif",
    echec="Aucun cofinancement",
    libelle="Le budget compte au moins un cofinanceur.",
    reference=f"{PRESENTATION}, « un co-financement est obligatoire » (participations des familles "
    "et financements Caf exclus)",
    rediger=_cofinancement,
    consignes=(
        consigne(
            F.COFINANCEMENTS,
            "Un cofinancement au moins est obligatoire : État, Région, "
            "Département, intercommunalité, commune(s), autres organismes sociaux, fonds "
            "européens ou autres subventions (ni les familles ni la Caf).",
            feuille="Budget",
        ),
    ),
    texte="cahier-des-charges",
)
def r_cofinancement(d: pd.DataFrame, p: Parametres) -> pd.DataFrame:
    return constat(d[list(F.COFINANCEMENTS)].fillna(0).sum(axis=1) == 0)

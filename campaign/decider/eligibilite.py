"""Eligibility rules of the CLAS (referentiel.md §4), one pure vectorised function each.

Each rule takes the campagne-wide table (collectifs, or dossiers for dossier-level rules)
and the parameters, and returns a boolean Series named after its code: True where the
rule FAILS. Every rule is evaluated on every row, so every failing rule is reported.
"""

from __future__ import annotations

from typing import Callable

import pandas as pd

from campaign import formulaire as F
from campaign.decider.parametres import Parametres

REGLES_COLLECTIF: dict[str, Callable] = {}
REGLES_DOSSIER: dict[str, Callable] = {}


def regle(code: str, niveau: str):
    def enregistrer(fn):
        (REGLES_COLLECTIF if niveau == "collectif" else REGLES_DOSSIER)[code] = fn
        fn.code = code
        return fn
    return enregistrer


def _oui(s: pd.Series) -> pd.Series:
    return s.fillna(False).astype(bool)


def _handicap(c: pd.DataFrame) -> pd.Series:
    return c["enfants_handicap"].fillna(0) >= 1


def effectif_minimum(c: pd.DataFrame, p: Parametres) -> pd.Series:
    """The minimum number of children of each collectif (derogatory if rural or handicap)."""
    derogation = _oui(c["rural"]) | _handicap(c)
    return derogation.map({True: int(p.effectif_min_derogatoire.decimal),
                           False: int(p.effectif_min.decimal)})


def intervenants_requis(c: pd.DataFrame, p: Parametres) -> pd.Series:
    """The number of intervenants required (1 for a small rural collectif)."""
    petit_rural = _oui(c["rural"]) & (c["enfants"] < int(p.effectif_min.decimal))
    return petit_rural.map({True: int(p.intervenants_min_rural.decimal),
                            False: int(p.intervenants_min.decimal)})


@regle("R-NIVEAU", "collectif")
def r_niveau(c: pd.DataFrame, p: Parametres) -> pd.Series:
    """Le collectif accueille des enfants du CP à la Terminale.

    Référence : présentation départementale du CLAS, « du CP à la Terminale ».
    """
    return (c["niveau_min"] == "Maternelle") | (c["niveau_max"] == "Post-bac")


@regle("R-EFFECTIF", "collectif")
def r_effectif(c: pd.DataFrame, p: Parametres) -> pd.Series:
    """Le collectif compte entre l'effectif minimal (dérogatoire en rural ou avec handicap) et l'effectif maximal.

    Référence : référentiel CLAS, « 8 à 12 enfants max. » ; dérogation à 5 enfants en milieu
    rural ou pour un collectif accueillant un enfant en situation de handicap.
    """
    return (c["enfants"] > int(p.effectif_max.decimal)) | (c["enfants"] < effectif_minimum(c, p))


@regle("R-ENCADREMENT", "collectif")
def r_encadrement(c: pd.DataFrame, p: Parametres) -> pd.Series:
    """Le collectif compte assez d'intervenants (moins en rural sous l'effectif minimal).

    Référence : référentiel CLAS, « 2 animateurs professionnels et/ou bénévoles par
    collectif » ; en milieu rural « 1 animateur par collectif de moins de 8 enfants ».
    """
    total = c["intervenants_salaries"] + c["intervenants_benevoles"]
    return total < intervenants_requis(c, p)


@regle("R-FREQUENCE", "collectif")
def r_frequence(c: pd.DataFrame, p: Parametres) -> pd.Series:
    """Le collectif se réunit assez souvent et assez longtemps chaque semaine (dérogation rurale).

    Référence : référentiel CLAS, « 2 séances hebdomadaires d'1h30 par collectif » ; en
    milieu rural « 1 séance hebdomadaire de 2h ».
    """
    standard = (c["seances_semaine"] >= int(p.seances_min.decimal)) & (
        c["duree_seance"] >= float(p.duree_seance_min.decimal))
    rural = _oui(c["rural"]) & (c["seances_semaine"] >= int(p.seances_min_rural.decimal)) & (
        c["duree_seance"] >= float(p.duree_seance_min_rural.decimal))
    return ~(standard.fillna(False).astype(bool) | rural.fillna(False).astype(bool))


@regle("R-SEMAINES", "collectif")
def r_semaines(c: pd.DataFrame, p: Parametres) -> pd.Series:
    """Le collectif fonctionne le nombre minimal de semaines dans l'année.

    Référence : référentiel CLAS, « 27 semaines (min.) de fonctionnement annuel ».
    """
    return c["semaines"] < int(p.semaines_min.decimal)


@regle("R-REPERAGE", "collectif")
def r_reperage(c: pd.DataFrame, p: Parametres) -> pd.Series:
    """Les enfants sont orientés sur un besoin repéré au préalable, avec l'accord des parents.

    Référence : référentiel CLAS, « uniquement aux enfants et jeunes pour lesquels un besoin
    d'appui a été repéré au préalable [...] et avec accord des parents ».
    """
    return ~_oui(c["besoin_repere"]) | ~_oui(c["accord_parents"])


@regle("R-AIDE-DEVOIRS", "collectif")
def r_aide_devoirs(c: pd.DataFrame, p: Parametres) -> pd.Series:
    """L'action ne se limite pas à l'aide aux devoirs.

    Référence : référentiel CLAS, « toute action relevant exclusivement de l'aide aux
    devoirs [...] n'est pas éligible à la prestation de service Clas ».
    """
    return _oui(c["aide_devoirs_seule"])


@regle("R-OUVERT-PARENTS", "collectif")
def r_ouvert_parents(c: pd.DataFrame, p: Parametres) -> pd.Series:
    """Le collectif est accessible aux parents.

    Référence : référentiel CLAS, « Accessible aux parents ».
    """
    return ~_oui(c["ouvert_parents"])


@regle("R-COORDINATION", "dossier")
def r_coordination(d: pd.DataFrame, p: Parametres) -> pd.Series:
    """Le coordinateur a le diplôme et l'expérience minimaux.

    Référence : référentiel CLAS, « exigences de qualification requises (bac +2 avec
    expérience) » ; un an au moins, interprétation de « avec expérience ».
    """
    rang = {dip: i for i, dip in enumerate(F.DIPLOMES)}
    diplome_bas = d["coordinateur_diplome"].map(rang) < rang[p.diplome_coordinateur_min.valeur]
    return diplome_bas.astype(bool) | (
        d["coordinateur_experience"] < int(p.experience_coordinateur_min.decimal))


@regle("R-PRINCIPES", "dossier")
def r_principes(d: pd.DataFrame, p: Parametres) -> pd.Series:
    """Le porteur s'engage à respecter les principes de la charte.

    Référence : charte nationale de l'accompagnement à la scolarité (laïcité, neutralité,
    confidentialité, non-jugement...).
    """
    return ~_oui(d["principes"])


def _axe_incomplet(d: pd.DataFrame, axe: str, p: Parametres) -> pd.Series:
    actions = d[list(F.AXES[axe])].fillna(False).astype(bool)
    if p.axes.valeur == "une_action_par_axe":
        return ~actions.any(axis=1)
    return ~actions.all(axis=1)


@regle("R-AXE-ENFANTS", "dossier")
def r_axe_enfants(d: pd.DataFrame, p: Parametres) -> pd.Series:
    """L'axe 1, auprès des enfants, comprend les actions attendues (E1 à E5).

    Référence : référentiel CLAS, les 4 axes d'intervention « a minima et cumulatifs ».
    """
    return _axe_incomplet(d, "enfants", p)


@regle("R-AXE-PARENTS", "dossier")
def r_axe_parents(d: pd.DataFrame, p: Parametres) -> pd.Series:
    """L'axe 2, auprès et avec les parents, comprend les actions attendues (P1 à P5).

    Référence : référentiel CLAS, les 4 axes d'intervention « a minima et cumulatifs ».
    """
    return _axe_incomplet(d, "parents", p)


@regle("R-AXE-ECOLE", "dossier")
def r_axe_ecole(d: pd.DataFrame, p: Parametres) -> pd.Series:
    """L'axe 3, concertation avec l'école, comprend les actions attendues (S1 à S3).

    Référence : référentiel CLAS, les 4 axes d'intervention « a minima et cumulatifs ».
    """
    return _axe_incomplet(d, "ecole", p)


@regle("R-AXE-TERRITOIRE", "dossier")
def r_axe_territoire(d: pd.DataFrame, p: Parametres) -> pd.Series:
    """L'axe 4, partenaires du territoire, comprend les actions attendues (T1 et T2).

    Référence : référentiel CLAS, les 4 axes d'intervention « a minima et cumulatifs ».
    """
    return _axe_incomplet(d, "territoire", p)


@regle("R-COFINANCEMENT", "dossier")
def r_cofinancement(d: pd.DataFrame, p: Parametres) -> pd.Series:
    """Le budget compte au moins un cofinanceur.

    Référence : présentation départementale du CLAS, « un co-financement est obligatoire »
    (participations des familles et financements Caf exclus).
    """
    return d[list(F.COFINANCEMENTS)].fillna(0).sum(axis=1) == 0


def evaluer(c: pd.DataFrame, d: pd.DataFrame, p: Parametres) -> pd.DataFrame:
    """One boolean column per rule code on the collectifs' index: True where it fails."""
    echecs = {code: fn(c, p).fillna(False).astype(bool) for code, fn in REGLES_COLLECTIF.items()}
    par_dossier = pd.DataFrame({code: fn(d, p).fillna(False).astype(bool)
                                for code, fn in REGLES_DOSSIER.items()}, index=d.index)
    repris = par_dossier.reindex(c["fichier"]).set_axis(c.index)
    return pd.concat([pd.DataFrame(echecs, index=c.index), repris], axis=1)

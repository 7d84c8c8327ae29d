"""Evaluating declared rules over the campagne: every rule on every row, so that every
failing rule is reported (referentiel.md §4), and the constats kept for the wording."""

from __future__ import annotations

import pandas as pd

from campaign.decider.parametres import Parametres, Releve
from campaign.decider.referentiel import REGISTRE, regles
from campaign.decider.regle import Nature, Regle

CODES_REFUS = tuple(sorted(r.code for r in regles("motif")))
CODES_AVERTISSEMENT = tuple(
    sorted(r.code for r in REGISTRE.values() if r.nature in ("avertissement", "ecretement"))
)

Constats = dict[str, pd.DataFrame]  # rule code -> its constat, on the collectifs' index


def evaluer(natures: tuple[Nature, ...], c: pd.DataFrame, d: pd.DataFrame, p: Parametres) -> Constats:
    """The constat of every rule of these natures, on the collectifs' index (a dossier-level
    constat is repeated on each collectif of its dossier)."""
    constats: Constats = {}
    for regle in (r for r in REGISTRE.values() if r.nature in natures):
        releve = Releve(p)
        constats[regle.code] = _sur_collectifs(regle, c, d, releve)
        constats[regle.code].attrs["parametres"] = frozenset(releve.lus)  # what the rule compared to
    return constats


def _sur_collectifs(regle: Regle, c: pd.DataFrame, d: pd.DataFrame, p: Parametres) -> pd.DataFrame:
    if regle.niveau == "collectif":
        return regle.evaluer(c, p)
    par_dossier = regle.evaluer(d, p)
    return par_dossier.reindex(c["fichier"]).set_axis(c.index)


def echecs(constats: Constats) -> pd.DataFrame:
    """One boolean column per code: True where the rule fails."""
    return pd.DataFrame({code: k["echec"] for code, k in constats.items()})

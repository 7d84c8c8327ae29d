"""Deciding the campagne: eligibility, then amounts, then warnings, then totals.

The steps follow referentiel.md §4-§6 in order, each adding columns to two tables:
`collectifs` (one row per collectif of every TRAITE dossier, in dossier order) and
`dossiers` (one row per TRAITE dossier, indexed by file name).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from campaign.decider import eligibilite, enchainement
from campaign.decider.avertissements import COLONNES_DOSSIER
from campaign.decider.eligibilite import CODES_AVERTISSEMENT, CODES_REFUS, Constats
from campaign.decider.parametres import Parametres, Releve
from campaign.valider.validation import Table


@dataclass
class Decisions:
    """The decided campagne: one row per collectif, one per TRAITE dossier, and the
    constat of every rule (the values each compared), on the collectifs' index."""

    collectifs: pd.DataFrame
    dossiers: pd.DataFrame
    constats: Constats = field(default_factory=dict, repr=False)
    parametres_montants: frozenset[str] = frozenset()  # the parameters the amounts read

    def parametres_regles(self) -> dict[str, frozenset[str]]:
        """Rule code -> the parameters its predicate read (`eligibilite.evaluer`)."""
        return {code: k.attrs.get("parametres", frozenset()) for code, k in self.constats.items()}


def _codes(drapeaux: pd.DataFrame, codes) -> pd.Series:
    """'A|B' of the codes whose column is True, sorted, vectorised."""
    codes = sorted(codes)
    texte = np.full(len(drapeaux), "", dtype=object)
    for code in codes:
        texte = texte + np.where(drapeaux[code].to_numpy(dtype=bool), code + "|", "")
    return pd.Series([t[:-1] for t in texte], index=drapeaux.index, dtype=object)


def dossiers_examines(tables: dict[str, Table], traites: list[str]) -> pd.DataFrame:
    """One row per TRAITE dossier: its Porteur, Projet and Budget answers side by side."""
    parts = []
    for feuille in ("Porteur", "Projet", "Budget"):
        v = tables[feuille].valeurs
        v = v[v["fichier"].isin(traites)].drop(columns="position").set_index("fichier")
        parts.append(v.rename(columns={"commune": "commune_porteur"}) if feuille == "Porteur" else v)
    d = pd.concat(parts, axis=1).reindex(sorted(traites))
    d.index = d.index.astype(object)
    return d


def collectifs_examines(tables: dict[str, Table], traites: list[str]) -> pd.DataFrame:
    v = tables["Collectifs"].valeurs
    c = v[v["fichier"].isin(traites)].sort_values(["fichier", "position"]).reset_index(drop=True)
    c["fichier"] = c["fichier"].astype(object)
    return c


def decider_traites(tables: dict[str, Table], traites: list[str], p: Parametres) -> Decisions:
    """Decide every TRAITE dossier of the validated tables."""
    return calculer(dossiers_examines(tables, traites), collectifs_examines(tables, traites), p)


def calculer(d: pd.DataFrame, c: pd.DataFrame, p: Parametres, retenus: pd.Series | None = None) -> Decisions:
    """Eligibility, amounts, totals, warnings for dossiers `d` (indexed by fichier) and
    their collectifs `c` (sorted by fichier, then position).

    `retenus` (aligned on `c`'s rows) says which collectifs the amounts count as ACCORD
    (comite.md §3: the committee's final decisions); by default, the eligible ones.
    """
    d, c = d.copy(), c.reset_index(drop=True)
    # 1. eligibility and bonus criteria (every rule, every collectif)
    constats = eligibilite.evaluer(("motif", "bonus"), c, d, p)
    echecs = eligibilite.echecs(constats)
    c = pd.concat([c, echecs], axis=1)
    c["accord"] = ~echecs[list(CODES_REFUS)].any(axis=1)
    c["decision"] = np.where(c["accord"], "ACCORD", "REFUS")
    c["motifs"] = _codes(echecs, CODES_REFUS)
    c["retenu"] = c["accord"] if retenus is None else retenus.to_numpy(dtype=bool)

    # 2. amounts, in the order their inputs give (`enchainement.ORDRE`)
    releve = Releve(p)
    enchainement.calculer_montants(c, d, releve)

    # 3. totals
    somme = c.groupby("fichier")[["ps_calculee", "ps", "bonus_enfants", "bonus_parents", "total"]].sum()
    for col in somme:
        d[col] = somme[col].reindex(d.index, fill_value=0).astype("int64")
    accords = c.groupby("fichier")["accord"].agg(["sum", "size"]).reindex(d.index, fill_value=0)
    d["collectifs_accord"] = accords["sum"].astype("int64")
    d["decision"] = np.select(
        [accords["sum"] == accords["size"], accords["sum"] > 0], ["ACCORD", "ACCORD PARTIEL"], "REFUS"
    )

    # 4. warnings, which read the amounts (a collectif sees its dossier's as dossier_*)
    vue = c.join(d[list(COLONNES_DOSSIER)].add_prefix("dossier_"), on="fichier")
    avertis = eligibilite.evaluer(("avertissement", "ecretement"), vue, d, p)
    # referentiel §6.8 step 2: a collectif whose bonus went down carries F-ECRETEMENT too
    ecrete = avertis["F-ECRETEMENT"]
    avertis["F-ECRETEMENT"] = ecrete.assign(echec=ecrete["echec"] | (c["bonus_ecretes"] != ""))
    for code in CODES_AVERTISSEMENT:
        c[code] = avertis[code]["echec"]
    c["avertissements"] = _codes(c, CODES_AVERTISSEMENT)
    return Decisions(c, d, {**constats, **avertis}, frozenset(releve.lus))

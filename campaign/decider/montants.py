"""Amounts (referentiel.md §6), in integer cents, rounded only where the référentiel rounds.

Each step is a pure vectorised function returning a new column. Rates are exact
fractions (0.325 = 13/40), so `round(taux × part)` half up is integer arithmetic:
no amount ever passes through a binary float.
Their order is not here: `enchainement` declares each step's inputs and derives it.
"""

from __future__ import annotations

import math
from decimal import Decimal
from fractions import Fraction

import numpy as np
import pandas as pd

from campaign import formulaire as F
from campaign.decider.parametres import Parametres

LIGNES_AUTRES_PRODUITS = tuple(k for k in F.PRODUITS if k not in ("P74-CAF-CLAS", "P87"))  # §6.8


def arrondi_demi_haut(numerateur: pd.Series, denominateur) -> pd.Series:
    """round(a / b) half up, for a >= 0 and b > 0, in integers (0.005 -> 0.01)."""
    return (2 * numerateur + denominateur) // (2 * denominateur)


def charges_totales(d: pd.DataFrame) -> pd.Series:
    """Charges totales : lignes C60 à C68 et CI (jamais C86).

    Référence : referentiel.md §6.1.
    """
    return d[list(F.CHARGES)].sum(axis=1).astype("int64")


def charges_retenues(d: pd.DataFrame) -> pd.Series:
    """Charges retenues : charges totales moins les postes financés par une PS à la fonction.

    Référence : referentiel.md §6.2 ; présentation départementale, « pas de double
    financement » des postes financés par une PS à la fonction.
    """
    return (d["charges_totales"] - d["PSF"]).clip(lower=0).astype("int64")


def autres_produits(d: pd.DataFrame) -> pd.Series:
    """Autres produits : toutes les recettes sauf P74-CAF-CLAS et P87.

    Référence : referentiel.md §6.8.
    """
    return d[list(LIGNES_AUTRES_PRODUITS)].sum(axis=1).astype("int64")


def part_charges(c: pd.DataFrame, d: pd.DataFrame) -> pd.Series:
    """Part des charges : charges retenues partagées à parts égales entre les collectifs.

    Référence : referentiel.md §6.3-6.4 ; tous les collectifs déclarés comptent, ACCORD
    comme REFUS.
    """
    n = c.groupby("fichier")["fichier"].transform("size").astype("int64")
    retenues = d["charges_retenues"].reindex(c["fichier"]).to_numpy()
    return arrondi_demi_haut(pd.Series(retenues, index=c.index), n)


def ps_brute(c: pd.DataFrame, p: Parametres) -> pd.Series:
    """Prestation de service avant plafond : taux × part des charges, arrondi au centime.

    Référence : referentiel.md §6.5 (`taux_ps`).
    """
    taux = Fraction(p.taux_ps.valeur)
    return arrondi_demi_haut(c["part_charges"] * taux.numerator, taux.denominator).astype("int64")


def ps_calculee(c: pd.DataFrame, p: Parametres) -> pd.Series:
    """Prestation de service : la PS brute plafonnée ; 0 si le collectif n'est pas retenu.

    Référence : referentiel.md §6.5 (`plafond_ps`).
    """
    ps = c["ps_brute"].clip(upper=p.plafond_ps.centimes)
    return ps.where(c["retenu"], 0).astype("int64")


def bonus_enfants_calcule(c: pd.DataFrame, p: Parametres) -> pd.Series:
    """Bonus enfants : à un collectif ACCORD dont les critères BONUS-ENFANTS sont remplis.

    Référence : referentiel.md §6.6 ; critères déclarés dans `bonus.py`.
    """
    return (c["retenu"] & ~c["BONUS-ENFANTS"]).map({True: p.bonus_enfants.centimes, False: 0}).astype("int64")


def bonus_parents_calcule(c: pd.DataFrame, p: Parametres) -> pd.Series:
    """Bonus parents : à un collectif ACCORD dont les critères BONUS-PARENTS sont remplis.

    Référence : referentiel.md §6.7 ; critères déclarés dans `bonus.py`.
    """
    return (c["retenu"] & ~c["BONUS-PARENTS"]).map({True: p.bonus_parents.centimes, False: 0}).astype("int64")


def bonus_du_dossier(c: pd.DataFrame, d: pd.DataFrame) -> pd.Series:
    """Sum of the bonuses of each dossier's collectifs."""
    bonus = (c["bonus_enfants_calcule"] + c["bonus_parents_calcule"]).groupby(c["fichier"]).sum()
    return bonus.reindex(d.index, fill_value=0).astype("int64")


def reste_pour_ps(d: pd.DataFrame) -> pd.Series:
    """What the cost leaves for the PS once the other income and the bonuses are counted
    (negative when they already exceed it).

    Référence : referentiel.md §6.8.
    """
    return (d["charges_totales"] - d["autres_produits"] - d["bonus"]).astype("int64")


def marge(d: pd.DataFrame) -> pd.Series:
    """Marge : le reste pour la PS, jamais négatif.

    Référence : referentiel.md §6.8.
    """
    return d["reste_pour_ps"].clip(lower=0).astype("int64")


def marge_totale(d: pd.DataFrame) -> pd.Series:
    """Marge totale : ce que le coût laisse au financement Caf, PS et bonus ensemble, une
    fois les autres produits comptés.

    Référence : referentiel.md §6.8.
    """
    return (d["charges_totales"] - d["autres_produits"]).clip(lower=0).astype("int64")


def reduire(montants: pd.Series, groupes: pd.Series, cible: pd.Series) -> pd.Series:
    """Scale each group's list of amounts down to its target, where the sum exceeds it.

    Référence : referentiel.md §6.8 : chaque montant devient montant × cible / somme,
    arrondi au centime inférieur ; les centimes restants vont un à un aux montants dans
    l'ordre de la liste, en sautant ceux qui étaient nuls, en recommençant si besoin.
    `montants`, `groupes` and `cible` are aligned row by row, rows in list order.
    """
    somme = montants.groupby(groupes).transform("sum")
    a_reduire = somme > cible
    reduit = (montants * cible) // somme.where(somme > 0, 1)
    reduit = reduit.where(a_reduire, montants)
    reste = (cible - reduit.groupby(groupes).transform("sum")).where(a_reduire, 0)
    eligible = (montants > 0) & a_reduire
    rang = eligible.astype("int64").groupby(groupes).cumsum()
    nombre = eligible.astype("int64").groupby(groupes).transform("sum").clip(lower=1)
    centimes = (reste // nombre) + (rang <= reste % nombre).astype("int64")
    return (reduit + centimes.where(eligible, 0)).astype("int64")


def ps_ecretee(c: pd.DataFrame, d: pd.DataFrame, ecretement: bool) -> pd.Series:
    """Écrêtement, étape 1 : la PS d'un dossier ne dépasse pas sa marge (F-ECRETEMENT).

    Référence : referentiel.md §6.8 ; la liste des PS du dossier, dans l'ordre de ses
    collectifs, est ramenée à la marge.
    """
    ps = c["ps_calculee"]
    if not ecretement:
        return ps.copy()
    m = d["marge"].reindex(c["fichier"]).set_axis(c.index)
    return reduire(ps, c["fichier"], m)


BONUS = ("bonus_enfants", "bonus_parents")  # each computed as <name>_calcule, then écrêté


def bonus_ecretes(c: pd.DataFrame, d: pd.DataFrame, ecretement: bool) -> pd.DataFrame:
    """Écrêtement, étape 2 : les bonus d'un dossier ne dépassent pas sa marge totale.

    Référence : referentiel.md §6.8 (modifié le 2026-11-28) ; la liste des bonus, dans
    l'ordre des collectifs et pour chacun enfants puis parents, est ramenée à la marge
    totale. Returns the two bonus columns after reduction, and `bonus_ecretes`: which
    of them went down ("enfants", "parents", "enfants|parents" or "").
    """
    calcules = c[[f"{b}_calcule" for b in BONUS]].set_axis(list(BONUS), axis=1)
    sortie = calcules.copy()
    if ecretement and len(c):
        # one row per bonus, in list order: collectif by collectif, enfants then parents
        liste = pd.DataFrame(
            {
                "montant": np.column_stack([calcules[b].to_numpy() for b in BONUS]).ravel(),
                "fichier": np.repeat(c["fichier"].to_numpy(), len(BONUS)),
            }
        )
        cible = d["marge_totale"].reindex(liste["fichier"]).to_numpy()
        reduits = reduire(liste["montant"], liste["fichier"], pd.Series(cible, index=liste.index))
        colonnes = reduits.to_numpy().reshape(len(c), len(BONUS))
        for j, b in enumerate(BONUS):
            sortie[b] = colonnes[:, j].astype("int64")
    ecretes = np.full(len(c), "", dtype=object)
    for b in BONUS:
        baisse = (sortie[b] < calcules[b]).to_numpy(dtype=bool)
        nom = b.removeprefix("bonus_")
        ecretes = np.where(baisse, np.where(ecretes == "", nom, ecretes + "|" + nom), ecretes)
    sortie["bonus_ecretes"] = pd.Series(ecretes, index=c.index, dtype=object)
    return sortie


def acompte_centimes(total: int, part: Decimal) -> int:
    """The advance paid at notification: total x part, rounded half up to the cent, in exact
    arithmetic (the référentiel's one rounding of it)."""
    return math.floor(Fraction(int(total)) * Fraction(part) + Fraction(1, 2))


def n_collectifs(c: pd.DataFrame, d: pd.DataFrame) -> pd.Series:
    """Each dossier's number of collectifs, all counted (ACCORD and REFUS)."""
    return c.groupby("fichier").size().reindex(d.index, fill_value=0)


def total(c: pd.DataFrame) -> pd.Series:
    """A collectif's total: its PS and its two bonuses, after écrêtement."""
    return c["ps"] + c["bonus_enfants"] + c["bonus_parents"]

"""The amounts' steps chained (referentiel.md §6): each declared with the columns it makes
and the computed columns it reads, as Hamilton declares a function's inputs by its
parameters. The order in which they run is derived from those inputs (`ordre`), never
written by hand; a test runs each step on tables holding only what it declares it reads.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

import pandas as pd

from campaign.decider.montants import (
    autres_produits,
    bonus_du_dossier,
    bonus_ecretes,
    bonus_enfants_calcule,
    bonus_parents_calcule,
    charges_retenues,
    charges_totales,
    marge,
    marge_totale,
    n_collectifs,
    part_charges,
    ps_brute,
    ps_calculee,
    ps_ecretee,
    reste_pour_ps,
    total,
)
from campaign.decider.parametres import Parametres


@dataclass(frozen=True)
class Tables:
    """What a step is given: the collectifs' table, the dossiers', the year's parameters."""

    collectifs: pd.DataFrame
    dossiers: pd.DataFrame
    parametres: Parametres


Calcul = Callable[[Tables], "pd.Series | pd.DataFrame"]


@dataclass(frozen=True)
class Montant:
    """One step: the columns it makes (of the collectifs' table or the dossiers'), the
    computed columns it reads (of either), and how."""

    fait: tuple[str, ...]
    table: Literal["collectifs", "dossiers"]
    lit: tuple[str, ...]
    calcul: Calcul


def _ecretement(tables: Tables) -> bool:
    return tables.parametres.ecretement.valeur == "oui"


MONTANTS: tuple[Montant, ...] = (
    Montant(("charges_totales",), "dossiers", (), lambda tables: charges_totales(tables.dossiers)),
    Montant(
        ("charges_retenues",),
        "dossiers",
        ("charges_totales",),
        lambda tables: charges_retenues(tables.dossiers),
    ),
    Montant(("autres_produits",), "dossiers", (), lambda tables: autres_produits(tables.dossiers)),
    Montant(
        ("n_collectifs",), "dossiers", (), lambda tables: n_collectifs(tables.collectifs, tables.dossiers)
    ),
    Montant(
        ("part_charges",),
        "collectifs",
        ("charges_retenues",),
        lambda tables: part_charges(tables.collectifs, tables.dossiers),
    ),
    Montant(
        ("ps_brute",),
        "collectifs",
        ("part_charges",),
        lambda tables: ps_brute(tables.collectifs, tables.parametres),
    ),
    Montant(
        ("ps_calculee",),
        "collectifs",
        ("ps_brute",),
        lambda tables: ps_calculee(tables.collectifs, tables.parametres),
    ),
    Montant(
        ("bonus_enfants_calcule",),
        "collectifs",
        (),
        lambda tables: bonus_enfants_calcule(tables.collectifs, tables.parametres),
    ),
    Montant(
        ("bonus_parents_calcule",),
        "collectifs",
        (),
        lambda tables: bonus_parents_calcule(tables.collectifs, tables.parametres),
    ),
    Montant(
        ("bonus",),
        "dossiers",
        ("bonus_enfants_calcule", "bonus_parents_calcule"),
        lambda tables: bonus_du_dossier(tables.collectifs, tables.dossiers),
    ),
    Montant(
        ("reste_pour_ps",),
        "dossiers",
        ("charges_totales", "autres_produits", "bonus"),
        lambda tables: reste_pour_ps(tables.dossiers),
    ),
    Montant(("marge",), "dossiers", ("reste_pour_ps",), lambda tables: marge(tables.dossiers)),
    Montant(
        ("marge_totale",),
        "dossiers",
        ("charges_totales", "autres_produits"),
        lambda tables: marge_totale(tables.dossiers),
    ),
    Montant(
        ("ps",),
        "collectifs",
        ("ps_calculee", "marge"),
        lambda tables: ps_ecretee(tables.collectifs, tables.dossiers, _ecretement(tables)),
    ),
    Montant(
        ("bonus_enfants", "bonus_parents", "bonus_ecretes"),
        "collectifs",
        ("bonus_enfants_calcule", "bonus_parents_calcule", "marge_totale"),
        lambda tables: bonus_ecretes(tables.collectifs, tables.dossiers, _ecretement(tables)),
    ),
    Montant(
        ("total",),
        "collectifs",
        ("ps", "bonus_enfants", "bonus_parents"),
        lambda tables: total(tables.collectifs),
    ),
)


def ordre(montants: tuple[Montant, ...] = MONTANTS) -> list[Montant]:
    """The steps in an order where each comes after the steps making what it reads (the
    declaration order among those ready); a read no step makes, or a cycle, is an error."""
    faits = {nom for montant in montants for nom in montant.fait}
    inconnus = {nom for montant in montants for nom in montant.lit} - faits
    if inconnus:
        raise ValueError(f"amounts read but never made: {sorted(inconnus)}")
    prets: set[str] = set()
    restants, suite = list(montants), []
    while restants:
        pret = next((montant for montant in restants if set(montant.lit) <= prets), None)
        if pret is None:
            raise ValueError(f"a cycle among the amounts: {[montant.fait for montant in restants]}")
        restants.remove(pret)
        suite.append(pret)
        prets.update(pret.fait)
    return suite


ORDRE = ordre()


def calculer_montants(c: pd.DataFrame, d: pd.DataFrame, p: Parametres) -> None:
    """Every amount, in `ORDRE`, as new columns of `c` (collectifs) and `d` (dossiers)."""
    tables = Tables(c, d, p)
    for montant in ORDRE:
        valeur = montant.calcul(tables)
        cible = c if montant.table == "collectifs" else d
        if isinstance(valeur, pd.DataFrame):
            for nom in montant.fait:
                cible[nom] = valeur[nom]
        else:
            cible[montant.fait[0]] = valeur

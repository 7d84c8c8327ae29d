"""Fitting the envelope (arbitrage.md): the three ways of reducing the retained amounts to the
departmental envelope, each computed exactly, and the rule F-ENVELOPPE that states it.

Every way works on the retained collectifs' amounts once F-ECRETEMENT and the committee's
avis are applied, in the order of decisions.csv, with the référentiel's *scaling a list of
amounts down to a target* (referentiel.md §6.8, `montants.reduire`): amounts rounded down to
the cent, the leftover cents one each in list order. A collectif not retained holds 0 and
stays 0. The figures of a scenario are those the run gives when its mode is chosen: the
committee's workbook shows the very `Scenario` the run applies.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction

import numpy as np
import pandas as pd

from campaign import formats
from campaign.decider.montants import reduire

MONTANTS = ("ps", "bonus_enfants", "bonus_parents")  # a collectif's list, in this order (§2)
AVANT = "_avant_enveloppe"  # suffix of the amounts as they were before the reduction


@dataclass(frozen=True)
class Mode:
    """One way of fitting the envelope: its code in campagne.toml, its name, and what it does
    (the end of the letter's sentence « la règle retenue pour la répartir : … »)."""

    code: str
    libelle: str
    regle: str


PRORATA = Mode(
    "prorata",
    "Prorata des prestations de service",
    "chaque prestation de service est réduite dans la même proportion, les bonus restant entiers",
)
PRORATA_TOTAL = Mode(
    "prorata_total",
    "Prorata de l'ensemble (prestations et bonus)",
    "chaque prestation de service et chaque bonus sont réduits dans la même proportion",
)
PLAFOND_PORTEUR = Mode(
    "plafond_porteur",
    "Plafond par porteur",
    "le financement de chaque porteur est plafonné, et les montants d'un porteur au-dessus du "
    "plafond sont réduits dans la même proportion jusqu'à lui",
)
MODES: dict[str, Mode] = {m.code: m for m in (PRORATA, PRORATA_TOTAL, PLAFOND_PORTEUR)}


@dataclass(frozen=True)
class Reduction:
    """A dossier reduced by a scenario: its total before and after, in cents."""

    fichier: str
    avant: int
    apres: int

    @property
    def ecart(self) -> int:
        return self.avant - self.apres

    @property
    def part(self) -> Fraction:
        """The reduction as a share of the total before."""
        return Fraction(self.ecart, self.avant) if self.avant else Fraction(0)


@dataclass(frozen=True)
class Scenario:
    """One mode computed on the run's retained amounts: the totals before and after, its
    coefficient (prorata) or cap (plafond_porteur), the dossiers reduced (largest reduction
    first) and the amounts after it; `impossible` says why it cannot fit ('' when it does)."""

    mode: Mode
    enveloppe: int
    avant: int
    apres: int
    coefficient: Fraction | None = None
    plafond: int | None = None
    reductions: tuple[Reduction, ...] = ()
    impossible: str = ""
    montants: pd.DataFrame | None = field(default=None, compare=False, repr=False)

    @property
    def coefficient_texte(self) -> str:
        """The coefficient in percent with two decimals ('93,47 %'), '' for a cap."""
        return formats.pourcentage_au_centieme(self.coefficient) if self.coefficient is not None else ""

    @property
    def plus_forte(self) -> Reduction | None:
        return self.reductions[0] if self.reductions else None

    @property
    def plus_forte_part(self) -> Fraction:
        """The largest reduction as a share of its dossier's total before."""
        return max((r.part for r in self.reductions), default=Fraction(0))


@dataclass(frozen=True)
class Arbitrage:
    """The envelope against the retained total, every mode's scenario when the total exceeds
    it, and the scenario of the mode chosen in campagne.toml (`choisi`, even one that cannot
    fit: the run then stops with its figures)."""

    enveloppe: int
    total: int  # the retained amounts before any reduction, in cents
    mode: str | None  # [arbitrage] mode, None when absent
    scenarios: tuple[Scenario, ...] = ()
    choisi: Scenario | None = None

    @property
    def applique(self) -> Scenario | None:
        """The scenario whose amounts are the final ones: the mode chosen, when it fits."""
        return self.choisi if self.choisi is not None and not self.choisi.impossible else None

    @property
    def depassement(self) -> int:
        return max(0, self.total - self.enveloppe)


def _liste(c: pd.DataFrame) -> pd.Series:
    """The amounts as one list, collectif by collectif, ps then bonus_enfants then bonus_parents."""
    return pd.Series(np.column_stack([c[m].to_numpy(dtype="int64") for m in MONTANTS]).ravel())


def _colonnes(liste: pd.Series, c: pd.DataFrame) -> pd.DataFrame:
    tableau = liste.to_numpy(dtype="int64").reshape(len(c), len(MONTANTS))
    return pd.DataFrame({m: tableau[:, j] for j, m in enumerate(MONTANTS)}, index=c.index)


def _prorata(c: pd.DataFrame, enveloppe: int) -> tuple[pd.DataFrame, Fraction | None, str]:
    """The PS scaled down to the envelope less every bonus; the bonuses untouched."""
    bonus = int(c["bonus_enfants"].sum() + c["bonus_parents"].sum())
    cible, ps = enveloppe - bonus, int(c["ps"].sum())
    if cible < 0:
        return (
            c[list(MONTANTS)].copy(),
            None,
            (
                f"les bonus à eux seuls ({formats.euros(bonus)}) dépassent l'enveloppe de "
                f"{formats.euros(enveloppe)}"
            ),
        )
    montants = c[list(MONTANTS)].copy()
    montants["ps"] = reduire(c["ps"], pd.Series(0, index=c.index), pd.Series(cible, index=c.index))
    return montants, Fraction(cible, ps), ""


def _prorata_total(c: pd.DataFrame, enveloppe: int) -> tuple[pd.DataFrame, Fraction]:
    liste = _liste(c)
    reduits = reduire(liste, pd.Series(0, index=liste.index), pd.Series(enveloppe, index=liste.index))
    return _colonnes(reduits, c), Fraction(enveloppe, int(liste.sum()))


def plafond(totaux: np.ndarray, enveloppe: int) -> int:
    """The largest cap P (cents) such that the sum of min(total, P) is at most the envelope,
    for totals whose sum exceeds it (arbitrage.md §2)."""
    bas, haut = 0, int(totaux.max())  # sum(min(t, 0)) = 0 <= envelope < sum(min(t, max))
    while haut - bas > 1:
        milieu = (bas + haut) // 2
        if int(np.minimum(totaux, milieu).sum()) <= enveloppe:
            bas = milieu
        else:
            haut = milieu
    return bas


def _plafond_porteur(c: pd.DataFrame, enveloppe: int) -> tuple[pd.DataFrame, int]:
    totaux = c[list(MONTANTS)].sum(axis=1).groupby(c["fichier"]).sum()
    p = plafond(totaux.to_numpy(dtype="int64"), enveloppe)
    liste = _liste(c)
    groupes = pd.Series(np.repeat(c["fichier"].to_numpy(), len(MONTANTS)))
    reduits = reduire(liste, groupes, pd.Series(p, index=liste.index))
    return _colonnes(reduits, c), p


def scenario(c: pd.DataFrame, enveloppe: int, mode: Mode) -> Scenario:
    """`mode` computed on the collectifs `c` (fichier and the three amounts, in decisions.csv's
    order), whose total exceeds `enveloppe` (cents)."""
    c = c.reset_index(drop=True)
    avant = int(c[list(MONTANTS)].to_numpy(dtype="int64").sum())
    coefficient, cap, impossible = None, None, ""
    if mode is PRORATA:
        montants, coefficient, impossible = _prorata(c, enveloppe)
    elif mode is PRORATA_TOTAL:
        montants, coefficient = _prorata_total(c, enveloppe)
    else:
        montants, cap = _plafond_porteur(c, enveloppe)
    par_dossier = (
        pd.DataFrame(
            {"avant": c[list(MONTANTS)].sum(axis=1), "apres": montants.sum(axis=1), "fichier": c["fichier"]}
        )
        .groupby("fichier", sort=True)[["avant", "apres"]]
        .sum()
    )
    reduits = par_dossier[par_dossier["apres"] < par_dossier["avant"]]
    reductions = sorted(
        (Reduction(str(f), int(a), int(b)) for f, (a, b) in reduits.iterrows()),
        key=lambda r: (-r.ecart, r.fichier),
    )
    return Scenario(
        mode,
        enveloppe,
        avant,
        int(montants.to_numpy(dtype="int64").sum()),
        coefficient,
        cap,
        tuple(reductions),
        impossible,
        montants,
    )


def arbitrer(c: pd.DataFrame, enveloppe: int, mode: str | None) -> Arbitrage:
    """Every mode's scenario when the retained total of `c` exceeds the envelope, and the one
    chosen (`mode`, a key of MODES, or None) when it can fit."""
    total = int(c[list(MONTANTS)].to_numpy(dtype="int64").sum()) if len(c) else 0
    if total <= enveloppe:
        return Arbitrage(enveloppe, total, mode)
    scenarios = tuple(scenario(c, enveloppe, m) for m in MODES.values())
    choisi = next((s for s in scenarios if mode == s.mode.code), None)
    return Arbitrage(enveloppe, total, mode, scenarios, choisi)

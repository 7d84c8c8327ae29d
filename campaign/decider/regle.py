"""A rule of the référentiel, declared once, as OpenFisca declares a variable.

A `Regle` holds everything the program says or does about one code: its label, the text
it comes from, the predicate, and the wording of its outcome. The predicate returns a
`constat`: one row per collectif (or dossier) with a boolean column `echec` and the values
it compared (the dossier's value and the bound taken from the year's parameters). The
wording is built from that row alone, so a letter can only cite the bound that was applied.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from types import SimpleNamespace
from typing import Literal

import pandas as pd

from campaign.decider.parametres import Parametres

Niveau = Literal["collectif", "dossier"]
Nature = Literal["motif", "bonus", "avertissement", "ecretement", "arbitrage"]
Predicat = Callable[[pd.DataFrame, Parametres], pd.DataFrame]
Redaction = Callable[[SimpleNamespace], str]


def _aucune(p: Parametres) -> tuple[str, ...]:
    return ()


@dataclass(frozen=True)
class Consigne:
    """What the blank dossier says beside the fields a rule reads, from the year's parameters.

    `rediger(p)` -> the sentence for the operator; `refusees(p)` -> the answers that fail the
    rule on their own (the form shows them in red). `champs`: (sheet, field key) pairs.
    """

    champs: tuple[tuple[str, str], ...]
    rediger: Callable[[Parametres], str]
    refusees: Callable[[Parametres], tuple[str, ...]] = _aucune


@dataclass(frozen=True)
class Regle:
    """One code of referentiel.md: what it checks, where it comes from, how it is worded.

    `evaluer(table, p)` -> the constat (`echec` and the values used), on the table's index.
    `rediger(v)` -> the French sentence of a failure, from one row of the constat (plus
    `code_collectif` for collectif-level rules).
    """

    code: str
    niveau: Niveau
    nature: Nature
    echec: str  # what fails, in a few words (a refusal reason's title in the workbook)
    libelle: str  # the condition to meet, as the committee reads it
    reference: str  # the text the rule comes from
    evaluer: Predicat
    rediger: Redaction
    lien: str = ""  # where the reference can be read, when it is online
    consignes: tuple[Consigne, ...] = ()  # its wording in the blank dossier
    texte: str = ""  # the legal text it comes from: an id of parametres/textes.yaml


def declarer(
    *,
    code: str,
    niveau: Niveau,
    nature: Nature,
    echec: str,
    libelle: str,
    reference: str,
    rediger: Redaction,
    lien: str = "",
    consignes: tuple[Consigne, ...] = (),
    texte: str,
) -> Callable[[Predicat], Regle]:
    """Decorator: the predicate below becomes rule `code` (a `Regle`), worded by `rediger`
    (and, in the blank dossier, by its `consignes`). Declaring registers nothing: the
    référentiel's rules are the explicit list of `decider.referentiel`."""

    def regle(evaluer: Predicat) -> Regle:
        return Regle(
            code, niveau, nature, echec, libelle, reference, evaluer, rediger, lien, consignes, texte
        )

    return regle


def constat(echec: pd.Series, **valeurs: object) -> pd.DataFrame:
    """A predicate's result: `echec` (True where the rule fails) and the values it used."""
    colonnes: dict[str, object] = {"echec": echec.fillna(False).astype(bool)}
    colonnes.update(valeurs)
    return pd.DataFrame(colonnes, index=echec.index)


def oui(s: pd.Series) -> pd.Series:
    """An Oui/Non column as booleans, an unknown answer counting as Non."""
    return s.fillna(False).astype(bool)

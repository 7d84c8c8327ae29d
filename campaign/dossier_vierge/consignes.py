"""The year's rules as the blank dossier writes them: typed data, built above the writer.

The writer may not read the rule declarations (`campaign.decider`); the CLI builds this data
from them (`campaign.dossier_vierge.regles`) and hands it over. Each field of the form gets the sentences
of the rules that read it, and the answers that fail a rule on their own (shown in red).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

Champ = tuple[str, str]  # (sheet, field key) of campaign/formulaire.py


@dataclass(frozen=True)
class Consigne:
    """One rule's sentence beside a field, and the answers that make the collectif or the
    dossier ineligible by themselves."""

    texte: str
    refusees: tuple[str, ...] = ()
    court: str = ""  # the input message's form when `texte` is too long for it (else texte)


@dataclass(frozen=True)
class Consignes:
    """(sheet, field key) -> the consignes of the rules reading that field, in rule order."""

    par_champ: Mapping[Champ, tuple[Consigne, ...]] = field(default_factory=dict)
    non_confirmes: tuple[str, ...] = ()  # labels of the year's parameters still to be confirmed

    def de(self, feuille: str, cle: str) -> tuple[Consigne, ...]:
        return tuple(self.par_champ.get((feuille, cle), ()))

    def texte(self, feuille: str, cle: str) -> str:
        """The sentences beside one field, joined ("" when no rule reads it)."""
        return " ".join(c.texte for c in self.de(feuille, cle))

    def message(self, feuille: str, cle: str) -> str:
        """The sentences of the message beside the answer (short forms where given)."""
        return " ".join(c.court or c.texte for c in self.de(feuille, cle))

    def refusees(self, feuille: str, cle: str) -> tuple[str, ...]:
        return tuple(dict.fromkeys(r for c in self.de(feuille, cle) for r in c.refusees))

    def textes_de(self, feuille: str, cles: tuple[str, ...]) -> list[str]:
        """The distinct sentences of a group of fields (an axis, a budget section), in order."""
        return list(dict.fromkeys(c.texte for k in cles for c in self.de(feuille, k)))


SANS_CONSIGNES = Consignes()

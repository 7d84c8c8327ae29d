"""What a run hands to the writers: complete, typed, with every label and reason in words.

The decision stage fills a `Resultat`; the writers (CSV, letters, workbook) receive it and
import no function of the decision stage (an import-linter contract checks it).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import pandas as pd

from campaign.calendrier import aujourdhui
from campaign.decider.arbitrage import Arbitrage, Reduction, Scenario
from campaign.decider.decision import Decisions
from campaign.decider.decisions_finales import BilanSeance, Comite
from campaign.decider.montants import acompte_centimes
from campaign.decider.parametres import Parametres
from campaign.lire.anomalies import Anomalie
from campaign.lire.campagne import Campagne
from campaign.lire.historique import Historique, Precedent
from campaign.lire.lecture import Lecture

# the committee's data, as the writers name it (they import no module of the decision stage)
__all__ = [
    "Arbitrage",
    "BilanSeance",
    "Comite",
    "Historique",
    "Precedent",
    "Reduction",
    "RegleDecrite",
    "Resultat",
    "Scenario",
]


@dataclass(frozen=True)
class RegleDecrite:
    """A rule as the writers show it: code, level, nature, what fails, label and reference."""

    code: str
    niveau: str  # collectif | dossier
    nature: str  # motif | bonus | avertissement | ecretement | arbitrage
    echec: str  # what fails, in a few words
    libelle: str  # the condition to meet
    reference: str
    lien: str
    texte: str = ""  # the legal text it comes from (campaign.textes_juridiques id)


@dataclass
class Resultat:
    """Everything a run knows, for the writers.

    - `dossiers`: one row per file of the folder (dossiers.csv's columns, then the
      Porteur answers);
    - `decisions.collectifs` / `decisions.dossiers`: the TRAITE dossiers, decided;
    - `textes`: every reason in words (fichier, code_collectif, code, nature, texte);
    - `regles`: every declared rule, in declaration order;
    - `comite`: the committee's avis applied, final decisions, sessions (comite.md);
    - `demandes`: fichier -> the amount its Budget asks of the Caf (line P74-CAF-CLAS, cents),
      for every file whose Budget sheet was read (INCOMPLET ones included), None when unreadable;
    - `historique`: last year's operators and totals by SIRET (arbitrage.md §3), or None;
    - `incomplets`: each INCOMPLET file as read (raw cells and their addresses), sent back
      pre-filled with its completion request (`campaign.dossier_vierge.a_corriger`).
    """

    campagne: Campagne
    parametres: Parametres
    dossiers: pd.DataFrame
    decisions: Decisions
    anomalies: list[Anomalie]
    textes: pd.DataFrame
    regles: tuple[RegleDecrite, ...]
    comite: Comite  # the committee's avis applied (comite.md); no session: the proposition
    demandes: dict[str, int | None] = field(default_factory=dict)
    # (file, row number of the Collectifs sheet) -> the collectif's code typed on that row
    collectifs_lignes: dict[tuple[str, str], str] = field(default_factory=dict)
    jour: dt.date = field(default_factory=aujourdhui)  # the day of the run (campaign.calendrier)
    historique: Historique | None = None  # last year's outputs ([historique] precedente), if named
    incomplets: dict[str, Lecture] = field(default_factory=dict)  # fichier -> its reading

    def acompte(self, total: int) -> int:
        """The advance on `total` (cents) at this campagne's share (`[budget] acompte`)."""
        return acompte_centimes(total, self.campagne.acompte)

    def en_attente(self, total: int, codes: set[str]) -> list[str]:
        """The unconfirmed national parameters a decision uses (comite.md §5): the amounts'
        when its total is above 0, the thresholds of the rules its reasons cite. A DECISION
        waits (PROJET, envoyable = non) only for these."""
        calcul = self.comite.calcul
        lus = set(calcul.parametres_montants) if total > 0 else set()
        regles = calcul.parametres_regles()
        for code in codes:
            lus |= regles.get(code, frozenset())
        return sorted(p.nom for p in self.parametres.non_confirmes if p.nom in lus)

    def regles_de(self, *natures: str) -> list[RegleDecrite]:
        return [r for r in self.regles if r.nature in natures]

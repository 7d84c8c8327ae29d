"""Last year beside this one on the committee's workbook (arbitrage.md §3), when
`[historique] precedente` names last year's outputs; without it, nothing here is written.

An operator is known by its SIRET, both years. Its total N-1 is what it was funded last year
(`campaign.lire.historique`); this year's amount is the projected total of its dossiers after
the committee and the envelope (`Comite.dossiers["total_projete"]`: the proposition when there
is no session and no arbitration). On the Collectifs and Porteurs sheets the figures belong to
the operator, not to a row: they are written on its first row only, so that a column summed or
filtered in Excel never counts an operator twice. An operator absent last year is « nouveau »;
those funded last year without a dossier this year are listed on the Synthèse sheet.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from campaign.ecrire.synthese.bande import Bande
from campaign.ecrire.synthese.style import Colonne
from campaign.formats import EXCEL_EUROS
from campaign.resultat import Historique, Precedent, Resultat

NOUVEAU = "nouveau"
SANS_SIRET = "SIRET inconnu"
SANS_DOSSIER = "sans dossier cette année"
FORMAT_ECART = f"+{EXCEL_EUROS};-{EXCEL_EUROS};{EXCEL_EUROS}"  # the sign always shown
FORMAT_TAUX = "+0.0 %_);-0.0 %_);0.0 %_)"  # a space after: the SIRET beside is left-aligned
VIDE = ("", "")  # an empty cell of a "typee" column
COLONNES = (
    Colonne(
        "Total N-1",
        "euros",
        12,
        commentaire="Ce que le porteur (même SIRET) a reçu l'an dernier, tous collectifs "
        "confondus ; écrit sur la première ligne du porteur seulement.",
    ),
    Colonne(
        "Évolution",
        "typee",
        12,
        commentaire="Total projeté cette année pour le porteur (après comité et enveloppe) moins "
        "son total N-1. « nouveau » : aucun dossier à ce SIRET l'an dernier ; vide : pas encore "
        "de montant cette année (dossier incomplet).",
    ),
    Colonne(
        "Évolution (%)",
        "typee",
        10,
        commentaire="L'évolution rapportée au total N-1 (vide quand le total N-1 est nul).",
    ),
)


@dataclass(frozen=True)
class Evolution:
    """Last year's totals and this year's projected ones, by SIRET (cents)."""

    historique: Historique
    actuels: dict[str, int]  # SIRET -> the projected totals of its TRAITE dossiers this year
    sirets: frozenset[str]  # every SIRET of this year's dossiers, whatever their fate

    @classmethod
    def de(cls, resultat: Resultat) -> Evolution | None:
        """None without `[historique]`: the workbook is then as it always was."""
        if resultat.historique is None:
            return None
        projete = resultat.comite.dossiers["total_projete"]
        actuels: dict[str, int] = {}
        sirets = set()
        for fichier, siret in zip(resultat.dossiers["fichier"], resultat.dossiers["siret"]):
            siret = siret if isinstance(siret, str) else ""
            if siret:
                sirets.add(siret)
            if siret and fichier in projete.index:
                actuels[siret] = actuels.get(siret, 0) + int(projete[fichier])
        return cls(resultat.historique, actuels, frozenset(sirets))

    def valeurs(self, siret: str) -> list[Any]:
        """Total N-1 (cents), Évolution (euros or a word), Évolution (%), for one operator."""
        if not siret:
            return [None, (SANS_SIRET, ""), VIDE]
        precedent = self.historique.porteurs.get(siret)
        if precedent is None:
            return [None, (NOUVEAU, ""), VIDE]
        actuel = self.actuels.get(siret)
        if actuel is None:  # no dossier decided this year (INCOMPLET): nothing to compare yet
            return [precedent.total, VIDE, VIDE]
        ecart = actuel - precedent.total
        taux = (ecart / precedent.total, FORMAT_TAUX) if precedent.total else VIDE
        return [precedent.total, (ecart / 100, FORMAT_ECART), taux]

    def sans_dossier(self) -> list[Precedent]:
        """The operators funded last year with no dossier this year, largest total first."""
        absents = [p for p in self.historique.finances() if p.siret not in self.sirets]
        return sorted(absents, key=lambda p: (-p.total, p.nom.casefold(), p.siret))


def ajouter(resultat: Resultat, lignes: list[list], colonnes: list[Colonne], avant: str) -> int:
    """Insert Total N-1, Évolution, Évolution (%) before the column titled `avant`, on the
    first row of each operator (by SIRET, rows in their order); the columns inserted (0
    without `[historique]`)."""
    evolution = Evolution.de(resultat)
    if evolution is None:
        return 0
    titres = [c.titre for c in colonnes]
    j, siret = titres.index(avant), titres.index("SIRET")
    vus: set[str] = set()
    for ligne in lignes:
        cle = ligne[siret] if isinstance(ligne[siret], str) else ""
        ligne[j:j] = evolution.valeurs(cle) if not cle or cle not in vus else [None, VIDE, VIDE]
        vus.add(cle)
    colonnes[j:j] = COLONNES
    return len(COLONNES)


def campagne_precedente(page: Bande, resultat: Resultat) -> None:
    """The Synthèse's block: last year's operators matched, new ones, and the list of those
    funded last year without a dossier this year."""
    evolution = Evolution.de(resultat)
    if evolution is None:
        return
    historique = evolution.historique
    finances = historique.finances()
    absents = evolution.sans_dossier()
    presents = [p for p in finances if p.siret in evolution.sirets]
    nouveaux = [s for s in evolution.sirets if s not in historique.porteurs]
    euros = ("entier", "euros")
    page.bloc("Campagne précédente (N-1)", "Porteurs", "Total N-1")
    page.ligne_("Porteurs financés l'an dernier", len(finances), _total(finances), genres=euros)
    page.ligne_("dont avec un dossier cette année", len(presents), _total(presents), genres=euros)
    liste = " (ci-dessous)" if absents else ""  # on one line of column A
    page.ligne_(f"dont {SANS_DOSSIER}{liste}", len(absents), _total(absents), genres=euros)
    page.ligne_("Nouveaux porteurs (absents l'an dernier)", len(nouveaux))
    sans_siret = [p for p in historique.sans_siret if p.total > 0]
    if sans_siret:
        page.ligne_(
            "Dossiers financés sans SIRET (non rapprochés)", len(sans_siret), _total(sans_siret), genres=euros
        )
    if absents:
        page.bloc(f"Financés l'an dernier, {SANS_DOSSIER}", "Total N-1")
        for p in absents:
            page.ligne_(p.nom or f"SIRET {p.siret}", p.total, genres=("euros",))


def _total(porteurs: list[Precedent]) -> int:
    return sum(p.total for p in porteurs)

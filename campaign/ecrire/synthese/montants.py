"""The Synthèse sheet's collectifs, amounts and committee blocks, named for what they are
(comite.md §5): before any session the amounts are a proposition (« Total proposé »); after
one, the proposition, the total decided and the total projected, each against the envelope,
and the counts of the proposition beside those after the committee.

The totals after the committee are the session's own (`BilanSeance.total_decide`,
`total_projete`), as the console and the minutes give them: never summed again here.
"""

from __future__ import annotations

from collections import Counter

from campaign import formats
from campaign.ecrire.synthese.bande import Bande
from campaign.ecrire.synthese.collectifs import AVIS
from campaign.ecrire.synthese.style import FORMAT_EUROS, POLICE_BLOC, POLICE_ROUGE, ROUGE_CLAIR
from campaign.resultat import Resultat, Scenario

# what remains of the envelope; an overrun, negative, in red (« dépassement 5 947,65 € »
# would not fit the column, and the before-session block says it in words on its own row)
FORMAT_RESTE = f"{FORMAT_EUROS};[Red]-{FORMAT_EUROS}"
PROPOSITION, APRES = "Proposition avant comité", "Après le comité"


def apres_comite(resultat: Resultat) -> bool:
    """Whether a committee session was applied: the sheet then tells proposition from decision."""
    return bool(resultat.comite.seances)


def collectifs(page: Bande, resultat: Resultat) -> None:
    """The collectifs proposed in ACCORD and REFUS; after a session, beside them, those the
    committee decided, postponed, or has still to examine."""
    c = resultat.decisions.collectifs
    accord = c[c["decision"] == "ACCORD"] if len(c) else c
    enfants = int(accord["enfants"].fillna(0).sum()) if len(accord) else 0
    if not apres_comite(resultat):
        page.bloc("Collectifs", "Nombre")
        page.ligne_("Collectifs en ACCORD", len(accord))
        page.ligne_("Collectifs en REFUS", len(c) - len(accord))
        page.ligne_("Enfants accompagnés (collectifs en ACCORD)", enfants)
        return
    decisions = Counter(resultat.comite.collectifs["decision"])
    page.bloc("Collectifs", PROPOSITION, APRES)
    page.ligne_("Collectifs en ACCORD", len(accord), decisions.get("ACCORD", 0))
    page.ligne_("Collectifs en REFUS", len(c) - len(accord), decisions.get("REFUS", 0))
    page.ligne_("Collectifs ajournés", None, decisions.get("AJOURNE", 0))
    page.ligne_("Collectifs encore en proposition", None, decisions.get("PROPOSITION", 0))
    page.ligne_("Enfants accompagnés (collectifs en ACCORD)", enfants)


def montants(page: Bande, resultat: Resultat, enveloppe: int) -> None:
    """The proposition's amounts; its total, then after a session the totals decided and
    projected, against the envelope."""
    c = resultat.decisions.collectifs
    sommes = {k: int(c[k].sum()) if len(c) else 0 for k in ("ps", "bonus_enfants", "bonus_parents", "total")}
    apres = apres_comite(resultat)
    page.bloc("Montants", "Euros", *(["Reste sur l'enveloppe"] if apres else []))
    page.ligne_("Prestation de service (PS)", sommes["ps"], genres=("euros",))
    page.ligne_("Bonus enfants", sommes["bonus_enfants"], genres=("euros",))
    page.ligne_("Bonus parents", sommes["bonus_parents"], genres=("euros",))
    if apres:
        seance = resultat.comite.seances[-1]  # its totals count every session up to it
        for libelle, total in (
            ("Total proposé (avant comité)", sommes["total"]),
            ("Total décidé (dossiers entièrement décidés)", seance.total_decide),
            (
                "Total projeté (décisions et propositions"
                + (", après arbitrage)" if _applique(resultat) else ")"),
                seance.total_projete,
            ),
        ):
            rang = page.ligne_(libelle, total, enveloppe - total, genres=("euros", "euros"))
            for j in (0, 1):
                page.feuille.styler(rang, page.colonne + j, POLICE_BLOC)
            page.feuille.styler(rang, page.colonne + 2, {"num_format": FORMAT_RESTE})
        page.ligne_("Enveloppe de la campagne", enveloppe, genres=("euros",))
        return
    total = page.ligne_("Total proposé", sommes["total"], genres=("euros",))
    for j in (0, 1):
        page.feuille.styler(total, page.colonne + j, POLICE_BLOC)
    page.ligne_("Enveloppe de la campagne", enveloppe, genres=("euros",))
    if sommes["total"] <= enveloppe:
        page.ligne_("Reste disponible sur l'enveloppe", enveloppe - sommes["total"], genres=("euros",))
    else:
        rang = page.ligne_("Dépassement de l'enveloppe", sommes["total"] - enveloppe, genres=("euros",))
        for j in (0, 1):
            page.feuille.styler(rang, page.colonne + j, {**POLICE_ROUGE, **ROUGE_CLAIR})
    if enveloppe:
        page.ligne_("Part de l'enveloppe utilisée", sommes["total"] / enveloppe, genres=("pourcent",))
    s = _applique(resultat)
    if s is not None:  # the mode chosen brought it within the envelope (feuille « Enveloppe »)
        rang = page.ligne_(f"Total après arbitrage ({s.mode.libelle.lower()})", s.apres, genres=("euros",))
        for j in (0, 1):
            page.feuille.styler(rang, page.colonne + j, POLICE_BLOC)
        page.ligne_("Reste après arbitrage", enveloppe - s.apres, genres=("euros",))


def _applique(resultat: Resultat) -> Scenario | None:
    """The scenario of the mode chosen, when it was applied (arbitrage.md §2)."""
    a = resultat.comite.arbitrage
    return a.applique if a is not None else None


def comite(page: Bande, resultat: Resultat) -> None:
    """The sessions applied and the committee's avis in force by kind."""
    f = resultat.comite.collectifs
    seances = ", ".join(formats.date_longue(s.fichier.seance.date) for s in resultat.comite.seances)
    page.bloc("Comité départemental", "Nombre")
    page.ligne_("Séances appliquées", seances or "aucune")
    if not apres_comite(resultat):
        return
    avis = Counter(f["avis"])
    for libelle in AVIS:
        page.ligne_(f"Avis {libelle.lower()}s en vigueur", avis.get(libelle, 0))
    page.ligne_(
        "Avis non appliqués (feuille « Anomalies »)", sum(len(s.refuses) for s in resultat.comite.seances)
    )

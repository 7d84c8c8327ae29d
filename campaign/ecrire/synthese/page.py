"""The sheet Synthèse: the campagne in numbers for the committee, on one printed page.

Three bands side by side: the counts and amounts (columns A-C), the reasons and the operators'
types (E-H) with the refusal chart under them, the chart by commune (J). Each chart covers a
rectangle of cells of its own (`synthese_graphiques`), so none hides another.
"""

from __future__ import annotations

from collections import Counter

import pandas as pd

from campaign import formats
from campaign.ecrire.synthese import evolution, montants
from campaign.ecrire.synthese.bande import LARGEURS, Bande
from campaign.ecrire.synthese.collectifs import regles_de_refus
from campaign.ecrire.synthese.graphiques import Cadre, Serie, barres
from campaign.ecrire.synthese.porteurs import TableCommunes, par_porteur
from campaign.ecrire.synthese.style import ORANGE_CLAIR, POLICE_TITRE, imprimer
from campaign.ecrire.synthese.xlsx import Page
from campaign.lire.anomalies import AVERTISSEMENT, BLOQUANT
from campaign.resultat import RegleDecrite, Resultat

BANDE_1, BANDE_2, GRAPHIQUE = 1, 5, 10
HAUTEUR_GRAPHIQUE = 26  # rows at least for the chart by commune
STATUTS = (
    ("TRAITE", "Traités"),
    ("INCOMPLET", "Incomplets"),
    ("ILLISIBLE", "Illisibles"),
    ("IGNORE", "Ignorés"),
)


def synthese(page: Page, resultat: Resultat, feuille_communes: str, communes: TableCommunes) -> None:
    """The campagne in numbers for the committee, with two native charts; one printed page.
    `communes` is where the table by commune the second chart reads is, on the sheet named
    `feuille_communes`."""
    campagne = resultat.campagne
    for col, largeur in LARGEURS.items():
        page.largeur(ord(col) - ord("A") + 1, largeur)
    page.ecrire(
        1, 1, f"Campagne CLAS {campagne.annee} — {campagne.caf.get('nom', '')}", "texte", POLICE_TITRE
    )
    page.ecrire(
        2,
        1,
        "Synthèse pour le comité départemental ; l'enveloppe et ce que donnerait chaque mode "
        "d'arbitrage sont dans la feuille « Enveloppe », le détail par collectif dans « Collectifs », "
        "par porteur dans « Porteurs », par type de porteur et par commune dans « Types et communes ».",
    )
    page.ws.freeze_panes(2, 0)
    enveloppe = int(campagne.enveloppe * 100)
    gauche = Bande(page, 2, BANDE_1)
    _dossiers(gauche, resultat)
    montants.collectifs(gauche, resultat)
    montants.montants(gauche, resultat, enveloppe)
    montants.comite(gauche, resultat)
    evolution.campagne_precedente(gauche, resultat)  # [historique]: last year's operators
    droite = Bande(page, 2, BANDE_2)
    c = resultat.decisions.collectifs
    debut_motifs = droite.bloc("Motifs de refus", "Collectifs", "Dossiers", "Code")
    motifs = _comptes(c, regles_de_refus(resultat))
    for code, echec, n_c, n_d in motifs:
        droite.ligne_(echec, n_c, n_d, code)
    droite.bloc("Avertissements au comité", "Collectifs", "Dossiers", "Code")
    for code, echec, n_c, n_d in _comptes(c, resultat.regles_de("avertissement", "ecretement")):
        droite.ligne_(echec, n_c, n_d, code)
    _types(droite, resultat, enveloppe)
    _non_confirmes(droite, resultat)
    n_motifs = sum(1 for m in motifs if m[2])
    fin = max(gauche.ligne, droite.ligne + max(16, 2 * n_motifs), 3 + HAUTEUR_GRAPHIQUE)  # a row a bar
    graphiques = []
    if n_motifs:
        graphiques.append(
            (
                "Collectifs refusés par motif",
                "Collectifs",
                Serie(page.nom, BANDE_2 + 1, BANDE_2, debut_motifs, n_motifs),
                "0",
                Cadre(BANDE_2, droite.ligne + 1, BANDE_2 + 3, fin),
            )
        )
    if communes.n:
        graphiques.append(
            (
                "Montants proposés par commune (collectifs en accord)",
                "Euros",
                Serie(
                    feuille_communes,
                    communes.colonne_montant,
                    communes.colonne_commune,
                    communes.premiere,
                    communes.n,
                ),
                "#,##0 €",
                Cadre(GRAPHIQUE, 3, GRAPHIQUE, fin),
            )
        )
    for titre, axe, serie, format_, cadre in graphiques:
        barres(page, titre, axe, serie, format_, cadre)
    imprimer(page, titres=(1, 2), une_page=True)
    page.ws.print_area(0, 0, fin - 1, GRAPHIQUE - 1)
    page.fin()


def _dossiers(page: Bande, resultat: Resultat) -> None:
    d = resultat.dossiers
    demandes = {
        s: sum(resultat.demandes.get(f) or 0 for f in d.loc[d["statut"] == s, "fichier"])
        for s in ("TRAITE", "INCOMPLET")
    }
    statuts = Counter(d["statut"])
    page.bloc("Dossiers", "Nombre", "Demandé (P74)")
    page.ligne_("Fichiers reçus", len(d))
    for statut, libelle in STATUTS:
        page.ligne_(
            libelle,
            statuts.get(statut, 0),
            *([demandes[statut]] if statut in demandes else []),
            genres=("entier", "euros"),
        )
    decisions = Counter(d.loc[d["statut"] == "TRAITE", "decision"])
    traites = "proposés" if montants.apres_comite(resultat) else "traités"  # after a session
    for decision in ("ACCORD", "ACCORD PARTIEL", "REFUS"):
        page.ligne_(f"Dossiers {traites} en {decision}", decisions.get(decision, 0))
    gravites = Counter(a.gravite for a in resultat.anomalies)
    page.ligne_("Anomalies bloquantes (feuille « Anomalies »)", gravites.get(BLOQUANT, 0))
    page.ligne_("Avertissements de lecture", gravites.get(AVERTISSEMENT, 0))


def _types(page: Bande, resultat: Resultat, enveloppe: int) -> None:
    """Proposed amounts by type of operator (the detail in the sheet Types et communes)."""
    d = par_porteur(resultat)
    d = d[d["statut"] == "TRAITE"]
    page.bloc(
        "Porteurs par type (feuille « Types et communes »)", "Dossiers", "Proposé", "Part de l'enveloppe"
    )
    for type_, g in sorted(d.groupby("type"), key=lambda kv: (-int(kv[1]["total"].sum()), kv[0])):
        total = int(g["total"].sum())
        page.ligne_(
            str(type_),
            len(g),
            total,
            total / enveloppe if enveloppe else None,
            genres=("entier", "euros", "pourcent"),
        )


def _non_confirmes(page: Bande, resultat: Resultat) -> None:
    non_confirmes = resultat.parametres.non_confirmes
    if non_confirmes:
        page.bloc("Paramètres non confirmés (feuille « Paramètres »)")
        for p in non_confirmes:
            valeur = formats.euros(p.centimes) if p.unite == "euros" else f"{p.valeur} {p.unite}".strip()
            rang = page.ligne_(f"{p.libelle} ({p.nom}) : {valeur} — {p.source}")
            page.feuille.styler(rang, page.colonne, ORANGE_CLAIR)


def _comptes(c: pd.DataFrame, regles: list[RegleDecrite]) -> list[tuple[str, str, int, int]]:
    """(code, what fails, collectifs, dossiers) for each rule, most frequent first."""
    lignes = []
    for regle in regles:
        touches = c[c[regle.code].astype(bool)] if len(c) else c
        n_dossiers = touches["fichier"].nunique() if len(touches) else 0
        lignes.append((regle.code, regle.echec, len(touches), n_dossiers))
    return sorted(lignes, key=lambda x: (-x[2], x[0]))

"""The sheet Synthèse: the campagne in numbers for the committee, on one printed page.

Three bands side by side: the counts and amounts (columns A-C), the reasons and the operators'
types (E-H) with the refusal chart under them, the chart by commune (J). Each chart covers a
rectangle of cells of its own (`synthese_graphiques`), so none hides another.
"""

from __future__ import annotations

from collections import Counter

import pandas as pd

from campaign import formats
from campaign.ecrire.synthese.collectifs import AVIS, regles_de_refus
from campaign.ecrire.synthese.graphiques import Cadre, Serie, barres
from campaign.ecrire.synthese.porteurs import TableCommunes, par_porteur
from campaign.ecrire.synthese.style import (
    FOND_TITRE_BLOC,
    HAUT,
    ORANGE_CLAIR,
    POLICE_BLOC,
    POLICE_ROUGE,
    POLICE_TITRE,
    ROUGE_CLAIR,
    hauteur,
    imprimer,
    style_de,
)
from campaign.ecrire.synthese.xlsx import Page
from campaign.lire.anomalies import AVERTISSEMENT, BLOQUANT
from campaign.resultat import RegleDecrite, Resultat

# column -> width: band 1 (A-C), gap, band 2 (E-H), gap, the chart by commune (J)
LARGEURS = {"A": 50, "B": 13, "C": 15, "D": 2, "E": 56, "F": 11, "G": 11, "H": 18, "I": 2, "J": 54}
BANDE_1, BANDE_2, GRAPHIQUE = 1, 5, 10
HAUTEUR_GRAPHIQUE = 26  # rows at least for the chart by commune
STATUTS = (
    ("TRAITE", "Traités"),
    ("INCOMPLET", "Incomplets"),
    ("ILLISIBLE", "Illisibles"),
    ("IGNORE", "Ignorés"),
)


class _Bande:
    """A cursor down one band of the sheet: blocks of label / value rows."""

    def __init__(self, feuille: Page, ligne: int, colonne: int):
        self.feuille, self.ligne, self.colonne = feuille, ligne, colonne

    def bloc(self, *titres: str) -> int:
        self.ligne += 1
        for j, titre in enumerate(titres):
            alignement = {
                "align": "left" if j == 0 or j == 3 else "right",
                "text_wrap": j > 0,
                **({"indent": 1} if j == 3 else {}),
            }
            self.feuille.ecrire(
                self.ligne, self.colonne + j, titre, "texte", {**POLICE_BLOC, **FOND_TITRE_BLOC, **alignement}
            )
        self._hauteur([(t, 11) for t in titres[1:]])
        self.ligne += 1
        return self.ligne

    def _hauteur(self, morceaux: list[tuple[str, float]]) -> None:
        h = hauteur(morceaux)
        if h and self.feuille.hauteurs.get(self.ligne, 0) < h:
            self.feuille.hauteur(self.ligne, h)

    def ligne_(self, libelle: str, *valeurs, genres: tuple[str, ...] = ()) -> int:
        """A label and its values: text as text, numbers as `genres` (else whole numbers)."""
        self.feuille.ecrire(
            self.ligne, self.colonne, libelle, "texte", {"text_wrap": True, **HAUT, "indent": 1}
        )
        self._hauteur([(libelle, LARGEURS[_lettre(self.colonne)] - 2)])
        for j, v in enumerate(valeurs):
            colonne = self.colonne + 1 + j
            if isinstance(v, str):
                self.feuille.ecrire(self.ligne, colonne, v, "texte", {**HAUT, "indent": 1})
                continue
            genre = genres[j] if j < len(genres) else "entier"
            self.feuille.ecrire(self.ligne, colonne, v, genre, style_de(genre, HAUT))
        self.ligne += 1
        return self.ligne - 1


def _lettre(colonne: int) -> str:
    return chr(ord("A") + colonne - 1)


def synthese(page: Page, resultat: Resultat, porteurs: str, communes: TableCommunes) -> None:
    """The campagne in numbers for the committee, with two native charts; one printed page.
    `porteurs` is the name of the sheet whose table by commune the second chart reads."""
    campagne = resultat.campagne
    for col, largeur in LARGEURS.items():
        page.largeur(ord(col) - ord("A") + 1, largeur)
    page.ecrire(
        1, 1, f"Campagne CLAS {campagne.annee} — {campagne.caf.get('nom', '')}", "texte", POLICE_TITRE
    )
    page.ecrire(
        2,
        1,
        "Synthèse pour le comité départemental ; le détail par collectif est dans la "
        "feuille « Collectifs », par porteur dans « Porteurs ».",
    )
    page.ws.freeze_panes(2, 0)
    enveloppe = int(campagne.enveloppe * 100)
    gauche = _Bande(page, 2, BANDE_1)
    _dossiers(gauche, resultat)
    _montants(gauche, resultat, enveloppe)
    _comite(gauche, resultat, enveloppe)
    droite = _Bande(page, 2, BANDE_2)
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
                Serie(page.nom, BANDE_2 + 1, BANDE_2 + 3, debut_motifs, n_motifs),
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
                    porteurs,
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


def _dossiers(page: _Bande, resultat: Resultat) -> None:
    d, c = resultat.dossiers, resultat.decisions.collectifs
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
    for decision in ("ACCORD", "ACCORD PARTIEL", "REFUS"):
        page.ligne_(f"Dossiers traités en {decision}", decisions.get(decision, 0))
    gravites = Counter(a.gravite for a in resultat.anomalies)
    page.ligne_("Anomalies bloquantes (feuille « Anomalies »)", gravites.get(BLOQUANT, 0))
    page.ligne_("Avertissements de lecture", gravites.get(AVERTISSEMENT, 0))
    accord = c[c["decision"] == "ACCORD"] if len(c) else c
    page.bloc("Collectifs", "Nombre")
    page.ligne_("Collectifs en ACCORD", len(accord))
    page.ligne_("Collectifs en REFUS", len(c) - len(accord))
    enfants = int(accord["enfants"].fillna(0).sum()) if len(accord) else 0
    page.ligne_("Enfants accompagnés (collectifs en ACCORD)", enfants)


def _montants(page: _Bande, resultat: Resultat, enveloppe: int) -> None:
    c = resultat.decisions.collectifs
    sommes = {k: int(c[k].sum()) if len(c) else 0 for k in ("ps", "bonus_enfants", "bonus_parents", "total")}
    page.bloc("Montants", "Euros")
    page.ligne_("Prestation de service (PS)", sommes["ps"], genres=("euros",))
    page.ligne_("Bonus enfants", sommes["bonus_enfants"], genres=("euros",))
    page.ligne_("Bonus parents", sommes["bonus_parents"], genres=("euros",))
    total = page.ligne_("Total accordé", sommes["total"], genres=("euros",))
    for j in (1, 2):
        page.feuille.styler(total, j, POLICE_BLOC)
    page.ligne_("Enveloppe de la campagne", enveloppe, genres=("euros",))
    if sommes["total"] <= enveloppe:
        page.ligne_("Reste disponible sur l'enveloppe", enveloppe - sommes["total"], genres=("euros",))
    else:
        rang = page.ligne_("Dépassement de l'enveloppe", sommes["total"] - enveloppe, genres=("euros",))
        for j in (1, 2):
            page.feuille.styler(rang, j, {**POLICE_ROUGE, **ROUGE_CLAIR})
    if enveloppe:
        page.ligne_("Part de l'enveloppe utilisée", sommes["total"] / enveloppe, genres=("pourcent",))


def _comite(page: _Bande, resultat: Resultat, enveloppe: int) -> None:
    """The committee's avis in force by kind, and the totals decided and projected."""
    comite = resultat.comite
    f = comite.collectifs
    seances = ", ".join(formats.date_longue(s.fichier.seance.date) for s in comite.seances)
    page.bloc("Comité départemental", "Nombre")
    page.ligne_("Séances appliquées", seances or "aucune")
    avis = Counter(f["avis"])
    for libelle in AVIS:
        page.ligne_(f"Avis {libelle.lower()}s en vigueur", avis.get(libelle, 0))
    page.ligne_("Avis non appliqués (feuille « Anomalies »)", len(comite.anomalies))
    decisions = Counter(f["decision"])
    page.ligne_("Collectifs décidés", decisions.get("ACCORD", 0) + decisions.get("REFUS", 0))
    page.ligne_("Collectifs ajournés", decisions.get("AJOURNE", 0))
    page.ligne_("Collectifs encore en proposition", decisions.get("PROPOSITION", 0))
    decide, projete = (
        int(comite.dossiers["total_final"].sum()) if len(comite.dossiers) else 0,
        int(f["total"].sum()) if len(f) else 0,
    )
    page.bloc("Montants après le comité", "Euros")
    page.ligne_("Total décidé (dossiers entièrement décidés)", decide, genres=("euros",))
    page.ligne_("Total projeté (décisions et propositions)", projete, genres=("euros",))
    page.ligne_("Reste sur l'enveloppe après le total projeté", enveloppe - projete, genres=("euros",))


def _types(page: _Bande, resultat: Resultat, enveloppe: int) -> None:
    """Proposed amounts by type of operator (the detail in the sheet Porteurs)."""
    d = par_porteur(resultat)
    d = d[d["statut"] == "TRAITE"]
    page.bloc("Porteurs par type (feuille « Porteurs »)", "Dossiers", "Proposé", "Part de l'enveloppe")
    for type_, g in sorted(d.groupby("type"), key=lambda kv: (-int(kv[1]["total"].sum()), kv[0])):
        total = int(g["total"].sum())
        page.ligne_(
            str(type_),
            len(g),
            total,
            total / enveloppe if enveloppe else None,
            genres=("entier", "euros", "pourcent"),
        )


def _non_confirmes(page: _Bande, resultat: Resultat) -> None:
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

"""The committee's workbook `synthese.xlsx`: the campagne at a glance, then every table.

Sheets: Synthèse (numbers and two charts), Collectifs, Dossiers, Anomalies, Paramètres.
The tables are written by `synthese_feuilles`, the look by `synthese_style`. The file is
reproducible: fixed document dates and zip entry dates, so one Resultat gives one byte string.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from collections import Counter
from pathlib import Path

import pandas as pd
from openpyxl import Workbook
from openpyxl.chart import BarChart, Reference
from openpyxl.styles import Alignment
from openpyxl.worksheet.worksheet import Worksheet
from openpyxl.writer.excel import ExcelWriter

from campaign import formats
from campaign.lire.anomalies import AVERTISSEMENT, BLOQUANT
from campaign.ecrire import synthese_feuilles as feuilles
from campaign.resultat import RegleDecrite, Resultat
from campaign.ecrire.synthese_style import (FORMAT_ENTIER, FOND_TITRE_BLOC, ORANGE_CLAIR, POLICE_BLOC,
                                     POLICE_ROUGE, POLICE_TITRE, ROUGE_CLAIR, euros, hauteur, nombre,
                                     texte)

FEUILLES = ("Synthèse", "Collectifs", "Dossiers", "Anomalies", "Paramètres")
LARGEURS = (56, 16, 12, 20)  # Synthèse: label, value, second value, code
STATUTS = (("TRAITE", "Traités"), ("INCOMPLET", "Incomplets"), ("ILLISIBLE", "Illisibles"),
           ("IGNORE", "Ignorés"))


def ecrire_synthese(resultat, chemin: Path, courriers: dict[str, str] | None = None) -> None:
    """Write the committee's workbook; `courriers` maps fichier -> relative path of its letter."""
    wb = Workbook()
    ws = wb.active
    ws.title = FEUILLES[0]
    for titre in FEUILLES[1:]:
        wb.create_sheet(titre)
    synthese(ws, resultat)
    feuilles.collectifs(wb["Collectifs"], resultat, textes_par_collectif(resultat))
    feuilles.dossiers(wb["Dossiers"], resultat, courriers or {})
    feuilles.anomalies(wb["Anomalies"], resultat.anomalies)
    feuilles.parametres(wb["Paramètres"], resultat)
    debut = resultat.campagne.debut
    enregistrer(wb, Path(chemin), dt.datetime(debut.year, debut.month, debut.day))


def textes_par_collectif(resultat) -> dict[tuple[str, str], str]:
    """(fichier, code collectif) -> its motives and warnings in words, then its dossier's."""
    t = resultat.textes
    t = t[t["nature"] != "calcul"]  # the committee reads the computation in the amounts
    propres = t[t["code_collectif"] != ""].groupby(["fichier", "code_collectif"])["texte"].agg(list)
    du_dossier = t[t["code_collectif"] == ""].groupby("fichier")["texte"].agg(list)
    return {
        (c.fichier, str(c.code)): "\n".join(propres.get((c.fichier, str(c.code)), [])
                                            + du_dossier.get(c.fichier, []))
        for c in resultat.decisions.collectifs[["fichier", "code"]].itertuples(index=False)
    }


def enregistrer(wb: Workbook, chemin: Path, quand: dt.datetime) -> None:
    """Save with fixed document and zip dates, so that a rerun gives the same bytes."""
    wb.properties.created = wb.properties.modified = quand
    wb.properties.creator = wb.properties.lastModifiedBy = "campaign"
    brut = io.BytesIO()
    ExcelWriter(wb, zipfile.ZipFile(brut, "w", zipfile.ZIP_DEFLATED)).save()
    sortie = io.BytesIO()
    with zipfile.ZipFile(brut) as source, zipfile.ZipFile(sortie, "w", zipfile.ZIP_DEFLATED) as cible:
        for info in source.infolist():
            entree = zipfile.ZipInfo(info.filename, date_time=quand.timetuple()[:6])
            entree.compress_type = zipfile.ZIP_DEFLATED
            entree.external_attr = 0o644 << 16
            cible.writestr(entree, source.read(info.filename))
    chemin.write_bytes(sortie.getvalue())


class _Page:
    """A cursor down the Synthèse sheet: blocks of label / value rows."""

    def __init__(self, ws: Worksheet, ligne: int):
        self.ws, self.ligne = ws, ligne

    def bloc(self, *titres: str) -> int:
        self.ligne += 1
        for j, titre in enumerate(titres, start=1):
            c = self.ws.cell(row=self.ligne, column=j)
            texte(c, titre)
            c.font, c.fill = POLICE_BLOC, FOND_TITRE_BLOC
            if j > 1:
                c.alignment = Alignment(horizontal={2: "right", 3: "center"}.get(j, "left"),
                                        indent=1 if j == 4 else 0)
        self.ligne += 1
        return self.ligne

    def ligne_(self, libelle: str, *valeurs, genre="entier") -> int:
        """A label and its values: text as text, numbers as `genre` (first) then whole numbers."""
        c = self.ws.cell(row=self.ligne, column=1)
        texte(c, libelle)
        c.alignment = Alignment(wrap_text=True, vertical="top", indent=1)
        self.ws.row_dimensions[self.ligne].height = hauteur([(libelle, LARGEURS[0] - 2)])
        for j, v in enumerate(valeurs, start=2):
            cellule = self.ws.cell(row=self.ligne, column=j)
            if isinstance(v, str):
                texte(cellule, v)
                cellule.alignment = Alignment(vertical="top", indent=1)
                continue
            if genre == "euros" and j == 2:
                euros(cellule, v)
            else:
                nombre(cellule, v, FORMAT_ENTIER)
            cellule.alignment = Alignment(vertical="top", horizontal="center" if j == 3 else None)
        self.ligne += 1
        return self.ligne - 1


def synthese(ws: Worksheet, resultat) -> None:
    """The campagne in numbers for the committee, with two native charts."""
    campagne = resultat.campagne
    d, c = resultat.dossiers, resultat.decisions.collectifs
    for col, largeur in zip("ABCD", LARGEURS):
        ws.column_dimensions[col].width = largeur
    texte(ws["A1"], f"Campagne CLAS {campagne.annee} — {campagne.caf.get('nom', '')}")
    ws["A1"].font = POLICE_TITRE
    texte(ws["A2"], "Synthèse pour le comité départemental ; le détail par collectif est "
                    "dans la feuille « Collectifs ».")
    ws.freeze_panes = "A3"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    page = _Page(ws, 2)

    statuts = Counter(d["statut"])
    page.bloc("Dossiers", "Nombre")
    page.ligne_("Fichiers reçus", len(d))
    for statut, libelle in STATUTS:
        page.ligne_(libelle, statuts.get(statut, 0))
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

    sommes = {k: int(c[k].sum()) if len(c) else 0 for k in ("ps", "bonus_enfants", "bonus_parents", "total")}
    enveloppe = int(campagne.enveloppe * 100)
    page.bloc("Montants", "Euros")
    page.ligne_("Prestation de service (PS)", sommes["ps"], genre="euros")
    page.ligne_("Bonus enfants", sommes["bonus_enfants"], genre="euros")
    page.ligne_("Bonus parents", sommes["bonus_parents"], genre="euros")
    total = page.ligne_("Total accordé", sommes["total"], genre="euros")
    ws.cell(row=total, column=1).font = ws.cell(row=total, column=2).font = POLICE_BLOC
    page.ligne_("Enveloppe de la campagne", enveloppe, genre="euros")
    if sommes["total"] <= enveloppe:
        page.ligne_("Reste disponible sur l'enveloppe", enveloppe - sommes["total"], genre="euros")
    else:
        rang = page.ligne_("Dépassement de l'enveloppe", sommes["total"] - enveloppe, genre="euros")
        for j in (1, 2):
            ws.cell(row=rang, column=j).font = POLICE_ROUGE
            ws.cell(row=rang, column=j).fill = ROUGE_CLAIR

    _comite(page, resultat, enveloppe)

    non_confirmes = resultat.parametres.non_confirmes
    if non_confirmes:
        page.bloc("Paramètres non confirmés (feuille « Paramètres »)")
        for p in non_confirmes:
            valeur = formats.euros(p.centimes) if p.unite == "euros" else f"{p.valeur} {p.unite}".strip()
            rang = page.ligne_(f"{p.libelle} ({p.nom}) : {valeur} — {p.source}")
            ws.cell(row=rang, column=1).fill = ORANGE_CLAIR

    motifs = _comptes(c, feuilles.regles_de_refus(resultat))
    debut_motifs = page.bloc("Motifs de refus", "Collectifs", "Dossiers", "Code")
    for code, libelle, n_c, n_d in motifs:
        page.ligne_(libelle, n_c, n_d, code)
    n_motifs = sum(1 for m in motifs if m[2])

    avertis = sorted(resultat.regles_de("avertissement", "ecretement"), key=lambda r: r.code)
    page.bloc("Avertissements au comité", "Collectifs", "Dossiers", "Code")
    for code, libelle, n_c, n_d in _comptes(c, avertis):
        page.ligne_(libelle, n_c, n_d, code)

    communes = _par_commune(accord)
    debut_communes = page.bloc("Montants accordés par commune", "Euros", "Collectifs")
    for commune, montant, n in communes:
        page.ligne_(commune, montant, n, genre="euros")

    if communes:
        ws.add_chart(_graphique("Montants accordés par commune", "Euros", ws, debut_communes,
                                len(communes), categories=1, format_="#,##0 €"), "F3")
    if n_motifs:
        ws.add_chart(_graphique("Collectifs refusés par motif", "Collectifs", ws, debut_motifs,
                                n_motifs, categories=4, format_="0"), "F24")


def _comite(page: _Page, resultat, enveloppe: int) -> None:
    """The committee's avis in force by kind, and the totals decided and projected."""
    comite = getattr(resultat, "comite", None)
    if comite is None:
        return
    f = comite.collectifs
    seances = ", ".join(formats.date_longue(s.fichier.seance.date) for s in comite.seances)
    page.bloc("Comité départemental", "Nombre")
    page.ligne_("Séances appliquées", seances or "aucune")
    avis = Counter(f["avis"])
    for libelle in feuilles.AVIS:
        page.ligne_(f"Avis {libelle.lower()}s en vigueur", avis.get(libelle, 0))
    page.ligne_("Avis non appliqués (feuille « Anomalies »)", len(comite.anomalies))
    decisions = Counter(f["decision"])
    page.ligne_("Collectifs décidés", decisions.get("ACCORD", 0) + decisions.get("REFUS", 0))
    page.ligne_("Collectifs ajournés", decisions.get("AJOURNE", 0))
    page.ligne_("Collectifs encore en proposition", decisions.get("PROPOSITION", 0))
    decide, projete = (int(comite.dossiers["total_final"].sum()) if len(comite.dossiers) else 0,
                       int(f["total"].sum()) if len(f) else 0)
    page.bloc("Montants après le comité", "Euros")
    page.ligne_("Total décidé (dossiers entièrement décidés)", decide, genre="euros")
    page.ligne_("Total projeté (décisions et propositions)", projete, genre="euros")
    page.ligne_("Enveloppe de la campagne", enveloppe, genre="euros")
    page.ligne_("Reste sur l'enveloppe après le total projeté", enveloppe - projete, genre="euros")


def _comptes(c: pd.DataFrame, regles: list[RegleDecrite]) -> list[tuple[str, str, int, int]]:
    """(code, label, collectifs, dossiers) for each rule, most frequent first."""
    lignes = []
    for regle in regles:
        touches = c[c[regle.code].astype(bool)] if len(c) else c
        n_dossiers = touches["fichier"].nunique() if len(touches) else 0
        lignes.append((regle.code, regle.libelle, len(touches), n_dossiers))
    return sorted(lignes, key=lambda l: (-l[2], l[0]))


def _par_commune(accord: pd.DataFrame) -> list[tuple[str, int, int]]:
    if not len(accord):
        return []
    communes = accord["commune"].astype(object).where(accord["commune"].notna(), "(commune non renseignée)")
    g = accord.assign(commune=communes).groupby("commune")["total"].agg(["sum", "size"])
    return sorted(((str(k), int(v["sum"]), int(v["size"])) for k, v in g.iterrows()),
                  key=lambda l: (-l[1], l[0]))


def _graphique(titre: str, axe: str, ws: Worksheet, premiere: int, n: int, categories: int,
               format_: str) -> BarChart:
    """A horizontal bar chart of column B over rows premiere..premiere+n-1."""
    graphique = BarChart()
    graphique.type = "bar"
    graphique.title = titre
    graphique.legend = None
    graphique.y_axis.title = axe
    graphique.y_axis.numFmt = format_
    graphique.y_axis.majorGridlines = None
    graphique.x_axis.scaling.orientation = "maxMin"  # first row on top
    graphique.x_axis.delete = graphique.y_axis.delete = False
    donnees = Reference(ws, min_col=2, min_row=premiere, max_row=premiere + n - 1)
    graphique.add_data(donnees, titles_from_data=False)
    graphique.set_categories(Reference(ws, min_col=categories, min_row=premiere, max_row=premiere + n - 1))
    graphique.height, graphique.width = max(7.5, 0.7 * n + 3), 16
    return graphique

"""The committee's workbook as a meeting uses it: Collectifs' order, folds and frozen
columns, charts apart, every sheet printable, counts equal to the CSVs, typed parameters,
the sheet Porteurs; and the shipped campagne printed by LibreOffice on at most 25 pages."""

from __future__ import annotations

import csv
import datetime as dt
import shutil
from collections import Counter
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from colonnes import dimension as dimension_de
from impression import imprimer

from campaign.ecrire.synthese.classeur import ONGLETS, ecrire_synthese
from campaign.ecrire.synthese.collectifs import cle_de_tri
from campaign.ecrire.synthese.graphiques import rectangle
from campaign.ecrire.synthese.style import FORMAT_DATE, FORMAT_EUROS, FORMAT_POURCENT
from campaign.ecrire.tables.csv_campagne import ecrire_anomalies, ecrire_decisions, ecrire_dossiers
from campaign.lire.campagne import charger_campagne
from campaign.run import pipeline

pytestmark = pytest.mark.lent  # make test-rapide leaves it out

RACINE = Path(__file__).parents[2]
LIVREE = RACINE / "inputs" / "2026-2027"
ORDRE = [
    "Porteur",
    "Collectif",
    "Décision",
    "Total",
    "Avis du comité",
    "Commentaire",
    "Motifs de refus",
    "Bonus non accordés",
    "Avertissements",
]


def _resultat(dossier: Path):
    lectures = pipeline.lire(dossier)
    tables, anomalies, etats = pipeline.valider(lectures)
    return pipeline.decider(charger_campagne(dossier), lectures, tables, anomalies, etats)


@pytest.fixture(scope="module")
def livree(tmp_path_factory):
    """The shipped campagne's result, its workbook and its CSVs, written by the real writers."""
    resultat = _resultat(LIVREE)
    dossier = tmp_path_factory.mktemp("livree")
    ecrire_synthese(resultat, dossier / "synthese.xlsx")
    sirets = resultat.dossiers.set_index("fichier")["siret"]
    ecrire_dossiers(dossier / "dossiers.csv", resultat.dossiers)
    ecrire_decisions(dossier / "decisions.csv", resultat.decisions.collectifs, sirets)
    ecrire_anomalies(dossier / "anomalies.csv", resultat.anomalies)
    return resultat, dossier


@pytest.fixture(scope="module")
def wb(livree):
    return openpyxl.load_workbook(livree[1] / "synthese.xlsx")


def _csv(chemin: Path) -> list[dict]:
    with open(chemin, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def _table(ws) -> list[dict]:
    titres = [c.value for c in ws[1]]
    return [
        dict(zip(titres, ligne))
        for ligne in ws.iter_rows(min_row=2, values_only=True)
        if any(v is not None for v in ligne)
    ]


def test_collectifs_dans_l_ordre_d_une_seance(wb):
    ws = wb["Collectifs"]
    titres = [c.value for c in ws[1]]
    assert titres[: len(ORDRE)] == ORDRE
    assert ws.freeze_panes == "C2"  # Porteur and Collectif stay in view
    for titre in ("SIRET", "Fichier", "Décision", "Total", "Avis du comité", "Commentaire"):
        assert titres.count(titre) == 1, titre  # what the committee file reader looks for
    lignes = _table(ws)
    cles = [(cle_de_tri(r["Porteur"]), r["Fichier"]) for r in lignes]
    assert cles == sorted(cles)
    assert [r["Porteur"] for r in lignes[:2]] == ["Accueil & Devoirs"] * 2


def test_faits_et_regles_plies(wb):
    ws = wb["Collectifs"]
    niveaux = {}
    for c in ws[1]:
        dimension = dimension_de(ws, c.column_letter)
        niveaux[c.value] = (dimension.outline_level, dimension.hidden)
    for titre in ORDRE + ["Décision finale", "Total final"]:
        assert niveaux[titre] == (0, False), titre
    for titre in ("Enfants", "Commune", "Début", "PS", "SIRET", "Fichier"):
        assert niveaux[titre] == (1, True), titre
    assert niveaux["R-EFFECTIF"] == niveaux["R-COFINANCEMENT"] == (2, True)


def test_graphiques_sans_chevauchement(wb):
    graphiques = wb["Synthèse"]._charts
    assert len(graphiques) == 2
    cadres = [rectangle(g) for g in graphiques]
    assert not cadres[0].chevauche(cadres[1]), cadres
    ws = wb["Synthèse"]
    remplies = {(c.row, c.column) for ligne in ws.iter_rows() for c in ligne if c.value not in (None, "")}
    for cadre in cadres:  # no chart hides a table either
        assert not any(
            cadre.ligne <= r <= cadre.derniere_ligne and cadre.colonne <= k <= cadre.derniere_colonne
            for r, k in remplies
        ), cadre


def _ou_un(pages):
    return 1 if pages is None else int(pages)


def test_toutes_les_feuilles_imprimables(wb):
    for nom in ONGLETS:
        ws = wb[nom]
        assert ws.page_setup.orientation == "landscape", nom
        assert int(ws.page_setup.paperSize) == int(ws.PAPERSIZE_A4), nom
        assert ws.sheet_properties.pageSetUpPr.fitToPage, nom
        # an absent fitToWidth or fitToHeight is 1 page (ECMA-376), as Excel and XlsxWriter write it
        assert _ou_un(ws.page_setup.fitToWidth) == 1, nom
        assert _ou_un(ws.page_setup.fitToHeight) == (1 if nom == "Synthèse" else 0), nom
        assert ws.print_title_rows, nom
        assert "&P" in ws.oddFooter.right.text and "&N" in ws.oddFooter.right.text, nom


def test_comptes_des_dossiers_egaux_aux_csv(wb, livree):
    resultat, dossier = livree
    csv_dossiers = {d["fichier"]: d for d in _csv(dossier / "dossiers.csv")}
    anomalies = Counter((a["fichier"], a["gravite"]) for a in _csv(dossier / "anomalies.csv"))
    niveaux = {r.code: r.niveau for r in resultat.regles}
    regles: dict[str, set] = {}
    for d in _csv(dossier / "decisions.csv"):
        for code in filter(None, d["avertissements"].split("|")):
            regles.setdefault(d["fichier"], set()).add(
                (d["code_collectif"] if niveaux[code] == "collectif" else "", code)
            )
    lignes = _table(wb["Dossiers"])
    assert {r["Fichier"] for r in lignes} == set(csv_dossiers)
    for r in lignes:
        f, attendu = r["Fichier"], csv_dossiers[r["Fichier"]]
        assert r["Anomalies bloquantes"] == int(attendu["bloquants"]) == anomalies[(f, "BLOQUANT")]
        assert (
            r["Avertissements de lecture"]
            == int(attendu["avertissements"])
            == anomalies[(f, "AVERTISSEMENT")]
        )
        assert r["Avertissements des règles"] == len(regles.get(f, ())), f
        assert r["Collectifs"] == int(attendu["collectifs"])
        assert Decimal(str(r["Total"])) == Decimal(attendu["total"])
    assert sum(r["Avertissements des règles"] for r in lignes) > 20  # A-CALENDRIER, A-FORMATION...


def test_parametres_types(wb, livree):
    resultat = livree[0]
    cellules = {r[0].value: r[2] for r in wb["Paramètres"].iter_rows(min_row=2, max_col=3) if r[0].value}
    taux, plafond = cellules["taux_ps"], cellules["plafond_ps"]
    assert taux.value == pytest.approx(0.325) and taux.number_format == FORMAT_POURCENT
    assert plafond.value == pytest.approx(2563) and plafond.number_format == FORMAT_EUROS
    assert cellules["effectif_min"].value == 8 and cellules["effectif_min"].data_type == "n"
    assert cellules["duree_seance_min"].value == pytest.approx(1.5)
    debut = cellules["date_debut_preconisee"]
    assert debut.is_date and debut.value.date() == dt.date(2026, 11, 2) and debut.number_format == FORMAT_DATE
    assert cellules["diplome_coordinateur_min"].value == "Bac+2"
    textes = {nom for nom, c in cellules.items() if c.data_type == "s"}
    assert textes <= {
        "diplome_coordinateur_min",
        "axes",
        "ecretement",
        "Logiciel",
        "Campagne",
        "Fichiers lus",
        "Empreinte des entrées (sha256)",
    }
    assert set(resultat.parametres) - textes


def test_porteurs_demande_contre_propose(wb, livree):
    resultat = livree[0]
    ws = wb["Porteurs"]
    titres = [c.value for c in ws[1]]
    lignes = []
    for ligne in ws.iter_rows(min_row=2, values_only=True):
        if ligne[0] is None:
            break
        lignes.append(dict(zip(titres, ligne)))
    d = resultat.dossiers
    avec_porteur = d[d["statut"].isin(["TRAITE", "INCOMPLET"])]
    assert sorted(r["Fichier"] for r in lignes) == sorted(avec_porteur["fichier"])
    for r in lignes:
        demande = resultat.demandes.get(r["Fichier"])  # None: no Budget sheet read
        lu = r["Demandé (P74-CAF-CLAS)"]
        assert (None if lu is None else round(Decimal(str(lu)) * 100)) == demande
        if r["Statut"] == "TRAITE":
            total = int(d.loc[d["fichier"] == r["Fichier"], "total"].iloc[0])
            assert round(Decimal(str(r["Proposé"])) * 100) == total
        else:
            assert r["Proposé"] is None
    incomplets = sum(resultat.demandes.get(f) or 0 for f in d.loc[d["statut"] == "INCOMPLET", "fichier"])
    assert incomplets > 0
    synthese = {r[0].value: r[2].value for r in wb["Synthèse"].iter_rows(max_col=3) if r[0].value}
    assert round(Decimal(str(synthese["Incomplets"])) * 100) == incomplets
    assert ws.max_row == len(lignes) + 1  # the operators alone: their header fits every page
    part = {r[0].value: r[1] for r in wb["Synthèse"].iter_rows(max_col=2) if r[0].value}[
        "Part de l'enveloppe utilisée"
    ]
    total = int(resultat.decisions.collectifs["total"].sum())
    assert part.number_format == FORMAT_POURCENT
    assert part.value == pytest.approx(total / int(resultat.campagne.enveloppe * 100))


def test_types_et_communes_chacun_sa_page_et_son_entete(wb):
    """Issue 22 item 10: the table by type was split across two printed pages under the
    operators' repeated header. Each table now starts a page; the rows repeated are the
    header of the table by commune (the one that may run over pages), which LibreOffice and
    Excel print only on the pages after it, never over the table by type."""
    ws = wb["Types et communes"]
    titres = {c.value: c.row for c in ws["A"] if c.value}
    type_, commune = (
        titres["Par type de porteur"],
        titres["Par commune des collectifs en accord (proposition)"],
    )
    assert type_ == 1 and ws.cell(commune + 1, 1).value == "Commune"
    assert [b.id for b in ws.row_breaks.brk] == [commune - 1]  # a page starts at the commune table
    assert ws.print_title_rows == f"${commune}:${commune + 1}"
    assert wb["Porteurs"].print_title_rows == "$1:$1"
    assert "Ensemble" in titres and titres["Ensemble"] < commune


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice absent")
def test_libreoffice_imprime_la_campagne_livree_en_25_pages_au_plus(livree, tmp_path):
    from pypdf import PdfReader

    pages = PdfReader(imprimer(livree[1] / "synthese.xlsx", tmp_path)).pages
    assert len(pages) <= 25
    assert "Montants proposés par" in pages[0].extract_text()
    assert "Avertissements au comité" in pages[0].extract_text()  # the Synthèse on its one page
    textes = [p.extract_text() for p in pages]
    assert "Enveloppe de la campagne" in textes[1]  # the envelope's figures, then its lists
    # Collectifs: the first page after them, its header and the workbook's page number
    k = next(i for i, t in enumerate(textes) if i > 1 and "Porteur" in t and "Total avant" not in t)
    assert all("Total avant" in t for t in textes[2:k]) and f"Page {k + 1} /" in textes[k]
    (par_type,) = [t for t in textes if "Par type de porteur" in t]
    assert "Ensemble" in par_type and "SIRET" not in par_type and "Par commune" not in par_type
    (par_commune,) = [t for t in textes if "Par commune des collectifs" in t]
    assert "SIRET" not in par_commune and "Dossiers incomplets" not in par_commune


def test_hauteurs_de_ligne_pour_le_texte_renvoye(wb):
    """Neither Excel nor LibreOffice grows a row written by openpyxl: every wrapped text of a
    shown column fits its row's height, at one character per unit of width (a wide font)."""
    for ws in wb:
        for ligne in ws.iter_rows(min_row=2):
            for c in ligne:
                if not (isinstance(c.value, str) and c.alignment.wrap_text):
                    continue
                dimension = dimension_de(ws, c.column_letter)
                if dimension.hidden:
                    continue
                retrait = 2 if c.alignment.indent else 0
                par_ligne = max(int((dimension.width or 13) - retrait) - 1, 1)
                lignes = sum(-(-max(len(bout), 1) // par_ligne) for bout in c.value.split("\n"))
                hauteur = ws.row_dimensions[c.row].height or 15
                assert hauteur >= 15 * lignes, (ws.title, c.coordinate, c.value, hauteur)


def test_accord_a_zero_euro_signale(wb):
    """An ACCORD that pays nothing (écrêtement to 0 €) is not left to look like the others."""
    for nom in ("Dossiers", "Collectifs"):
        formules = [r.formula[0] for plage in wb[nom].conditional_formatting for r in plage.rules]
        assert any('"ACCORD"' in f and "=0" in f for f in formules), nom

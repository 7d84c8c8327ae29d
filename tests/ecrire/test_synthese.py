"""The committee's workbook, read back with openpyxl (and opened by LibreOffice when present)."""

from __future__ import annotations

import csv
import dataclasses
import hashlib
import re
import shutil
import time
import zipfile
from decimal import Decimal

import openpyxl
import pytest
from chemins import ATTENDU, EXEMPLE
from colonnes import dimension
from impression import imprimer

from campaign.decider.eligibilite import CODES_REFUS
from campaign.ecrire.synthese.classeur import ONGLETS, ecrire_synthese
from campaign.ecrire.synthese.style import FORMAT_DATE, FORMAT_EUROS
from campaign.lire.anomalies import Anomalie
from campaign.lire.campagne import charger_campagne
from campaign.run import pipeline

NOM_PIEGE = '=HYPERLINK("http://evil.example/x","Cliquez ici")'
COURRIER = "courriers/72991734491593-les-francas-5.pdf"
F_COURRIER = "dossier_005_72991734491593.xlsx"
PIEGES = ("+33 1 23", "-2+3", "@SUM(A1)", "=1+1")


@pytest.fixture(scope="module")
def resultat():
    dossier = EXEMPLE
    campagne = charger_campagne(dossier)
    lectures = pipeline.lire(dossier)
    tables, anomalies, etats = pipeline.valider(lectures)
    return pipeline.decider(campagne, lectures, tables, anomalies, etats)


@pytest.fixture(scope="module")
def chemin(resultat, tmp_path_factory):
    chemin = tmp_path_factory.mktemp("synthese") / "synthese.xlsx"
    ecrire_synthese(resultat, chemin, {F_COURRIER: COURRIER})
    return chemin


@pytest.fixture(scope="module")
def wb(chemin):
    return openpyxl.load_workbook(chemin)


def _centimes(texte: str) -> int:
    return int(Decimal(texte) * 100)


def _attendu() -> list[dict]:
    with open(ATTENDU / "decisions.csv", encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def _table(ws) -> list[dict]:
    """The sheet's rows as dicts keyed by the header row's titles."""
    lignes = list(ws.iter_rows(min_row=1, max_row=ws.max_row))
    titres = [c.value for c in lignes[0]]
    return [dict(zip(titres, ligne)) for ligne in lignes[1:]]


def _cents(cellule) -> int:
    return int(Decimal(str(cellule.value)) * 100)


def _libelles(ws) -> dict[str, openpyxl.cell.Cell]:
    """Synthèse: label in column A -> the cell of column B."""
    return {r[0].value: r[1] for r in ws.iter_rows(min_row=1, max_col=2) if isinstance(r[0].value, str)}


def test_feuilles(wb):
    assert (
        wb.sheetnames
        == list(ONGLETS)
        == [
            "Synthèse",
            "Enveloppe",
            "Collectifs",
            "Porteurs",
            "Types et communes",
            "Dossiers",
            "Anomalies",
            "Paramètres",
        ]
    )


def test_une_ligne_par_collectif_et_par_fichier(wb, resultat):
    attendu = _attendu()
    collectifs = _table(wb["Collectifs"])
    assert sorted((r["Fichier"].value, r["Collectif"].value) for r in collectifs) == sorted(
        (a["fichier"], a["code_collectif"]) for a in attendu
    )
    dossiers = _table(wb["Dossiers"])
    assert [r["Fichier"].value for r in dossiers] == list(resultat.dossiers["fichier"])
    assert len(dossiers) == 18
    anomalies = _table(wb["Anomalies"])
    assert len(anomalies) == len(resultat.anomalies)
    gravites = [r["Gravité"].value for r in anomalies]
    assert gravites == sorted(gravites, key=lambda g: g != "BLOQUANT")
    assert "AVERTISSEMENT" in gravites and gravites[0] == "BLOQUANT"


def test_decisions_et_montants_egaux_a_decisions_csv(wb):
    attendu = _attendu()
    lignes = {(r["Fichier"].value, r["Collectif"].value): r for r in _table(wb["Collectifs"])}
    for a in attendu:
        r = lignes[(a["fichier"], a["code_collectif"])]
        assert r["Décision"].value == a["decision"]
        for titre, cle in (
            ("PS", "ps"),
            ("Bonus enfants", "bonus_enfants"),
            ("Bonus parents", "bonus_parents"),
            ("Total", "total"),
        ):
            assert _cents(r[titre]) == _centimes(a[cle]), (a["code_collectif"], titre)
        motifs = set(filter(None, a["motifs"].split("|")))
        for code in CODES_REFUS:
            assert r[code].value == ("✗" if code in motifs else "✓"), (a["fichier"], code)


def test_totaux_de_la_synthese(wb, resultat):
    attendu = _attendu()
    cellules = _libelles(wb["Synthèse"])
    for libelle, cle in (
        ("Prestation de service (PS)", "ps"),
        ("Bonus enfants", "bonus_enfants"),
        ("Bonus parents", "bonus_parents"),
        ("Total proposé", "total"),
    ):
        assert _cents(cellules[libelle]) == sum(_centimes(a[cle]) for a in attendu), libelle
        assert cellules[libelle].number_format == FORMAT_EUROS
        assert cellules[libelle].data_type == "n"
    total = sum(_centimes(a["total"]) for a in attendu)
    assert total == 1594765
    assert _cents(cellules["Reste disponible sur l'enveloppe"]) == 15000000 - total
    assert cellules["Collectifs en ACCORD"].value == sum(a["decision"] == "ACCORD" for a in attendu)
    assert cellules["Collectifs en REFUS"].value == sum(a["decision"] == "REFUS" for a in attendu)
    c = resultat.decisions.collectifs
    assert cellules["Enfants accompagnés (collectifs en ACCORD)"].value == int(
        c.loc[c["decision"] == "ACCORD", "enfants"].sum()
    )
    assert cellules["Traités"].value == 10 and cellules["Fichiers reçus"].value == 18
    dossiers = _table(wb["Dossiers"])
    assert sum(_cents(r["Total"]) for r in dossiers) == total


def test_motifs_comptes_et_parametres_non_confirmes(wb, resultat):
    ws = wb["Synthèse"]
    par_code = {r[3].value: (r[0].value, r[1].value) for r in ws.iter_rows(min_row=1, min_col=5, max_col=8)}
    c = resultat.decisions.collectifs
    echecs = {r.code: r.echec for r in resultat.regles}
    for code in CODES_REFUS + ("A-CALENDRIER", "F-ECRETEMENT"):
        assert par_code[code] == (echecs[code], int(c[code].sum())), code  # what failed, not the condition
    assert par_code["R-COORDINATION"][1] == 6
    textes = [r[0].value or "" for r in ws.iter_rows(min_row=1, min_col=5, max_col=5)]
    assert any("plafond_ps" in t for t in textes)  # the one unconfirmed parameter
    assert len(ws._charts) == 2


def test_graphiques_en_mots(wb, resultat):
    """Issue 22 item 10: the refusal chart's bars are named by what failed, in words (each
    rule's `echec`, from its declaration), not by the rule's code."""
    (motifs,) = [g for g in wb["Synthèse"]._charts if "motif" in g.title.tx.rich.p[0].r[0].t]
    feuille, plage = motifs.series[0].cat.strRef.f.split("!")
    etiquettes = [c.value for ligne in wb[feuille.strip("'")][plage.replace("$", "")] for c in ligne]
    refus = [r for r in resultat.regles if r.nature == "motif"]
    assert etiquettes and set(etiquettes) <= {r.echec for r in refus}
    assert not set(etiquettes) & {r.code for r in resultat.regles}


def test_depassement_en_rouge(resultat, tmp_path):
    petit = dataclasses.replace(
        resultat, campagne=dataclasses.replace(resultat.campagne, enveloppe=Decimal("10000.00"))
    )
    ecrire_synthese(petit, tmp_path / "s.xlsx")
    cellules = _libelles(openpyxl.load_workbook(tmp_path / "s.xlsx")["Synthèse"])
    assert "Reste disponible sur l'enveloppe" not in cellules
    depassement = cellules["Dépassement de l'enveloppe"]
    assert _cents(depassement) == 1594765 - 1000000
    assert depassement.font.color.rgb.endswith("C00000")


def test_formats_francais(wb):
    collectifs = _table(wb["Collectifs"])
    for r in collectifs:
        for titre in ("PS", "Bonus enfants", "Bonus parents", "Total"):
            assert r[titre].number_format == FORMAT_EUROS == '#,##0.00 "€"'
            assert isinstance(r[titre].value, (int, float))
        assert r["Début"].is_date and r["Début"].number_format == FORMAT_DATE
    assert all(r["Total"].number_format == FORMAT_EUROS for r in _table(wb["Dossiers"]))
    depuis = _table(wb["Paramètres"])[0]["Depuis"]
    assert depuis.is_date and depuis.number_format == FORMAT_DATE


def test_entetes_figees_filtres_largeurs_et_couleurs(wb):
    assert wb["Synthèse"].freeze_panes == "A3"
    for nom in ONGLETS[1:]:
        if nom in ("Enveloppe", "Types et communes"):
            continue  # blocks one under the other, none frozen (their own tests check their print)
        ws = wb[nom]
        assert ws.freeze_panes == ("C2" if nom == "Collectifs" else "A2"), nom
        ref = ws.auto_filter.ref
        assert ref and ref.startswith("A1:"), nom
        assert int(re.sub(r"\D", "", ref.split(":")[1])) >= (
            ws.max_row if nom not in ("Paramètres", "Porteurs") else 2
        )
        assert all(dimension(ws, col).width >= 8 for col in "ABCDE"), nom
        regles = [r for plage in ws.conditional_formatting for r in plage.rules]
        assert regles, nom
    regles = [r.formula[0] for plage in wb["Collectifs"].conditional_formatting for r in plage.rules]
    assert any('="REFUS"' in f for f in regles)


def test_liste_avis_du_comite(wb):
    ws = wb["Collectifs"]
    colonne = next(c.column_letter for c in ws[1] if c.value == "Avis du comité")
    validations = ws.data_validations.dataValidation
    assert len(validations) == 1
    v = validations[0]
    assert v.type == "list" and v.formula1 == '"Favorable,Défavorable,Ajourné"'
    assert str(v.sqref) == f"{colonne}2:{colonne}{ws.max_row}"


def test_feuille_non_protegee_colonnes_en_lecture_seule_grisees(wb):
    """comite.md §1: Excel cannot sort a protected sheet, so it is not protected; the
    columns the committee does not fill are shaded (lowest-priority conditional fill)."""
    ws = wb["Collectifs"]
    assert ws.protection.sheet is False
    titres = [c.value for c in ws[1]]
    assert titres[4:6] == ["Avis du comité", "Commentaire"]
    regles = [(str(plage.sqref), r) for plage in ws.conditional_formatting for r in plage.rules]
    ((plage, grise),) = [(p_, r) for p_, r in regles if r.formula == ["TRUE"]]
    derniere = ws.cell(row=1, column=len(titres)).column_letter
    assert plage == f"A2:D{ws.max_row} G2:{derniere}{ws.max_row}"
    assert grise.priority > max(r.priority for _, r in regles if r is not grise)
    assert ws["E1"].fill.fgColor.rgb != ws["A1"].fill.fgColor.rgb


def test_lien_relatif_vers_le_courrier(wb):
    for r in _table(wb["Dossiers"]):
        if r["Fichier"].value == F_COURRIER:
            assert r["Courrier"].hyperlink.target == COURRIER
            assert r["Courrier"].value == COURRIER
        else:
            assert r["Courrier"].hyperlink is None


def test_motifs_bonus_et_avertissements_chacun_sa_colonne(wb, resultat):
    """Refusal reasons worded as what failed, apart from bonuses not granted and warnings;
    each reason on its own line, its code first: a wrap never cuts a code."""
    regles = {r.code: r for r in resultat.regles}
    attendu = {(a["fichier"], a["code_collectif"]): a for a in _attendu()}
    bonus = resultat.textes[resultat.textes["nature"] == "bonus"]
    for r in _table(wb["Collectifs"]):
        a = attendu[(r["Fichier"].value, r["Collectif"].value)]
        motifs = sorted(filter(None, a["motifs"].split("|")))
        lignes = r["Motifs de refus"].value.split("\n") if r["Motifs de refus"].value else []
        assert sorted(x.split(" : ")[0] for x in lignes) == motifs
        for ligne in lignes:
            code, echec = ligne.split(" : ", 1)
            assert echec == regles[code].echec and regles[code].nature == "motif"
        avertis = sorted(filter(None, a["avertissements"].split("|")))
        lignes = r["Avertissements"].value.split("\n") if r["Avertissements"].value else []
        assert sorted(x.split(" : ")[0] for x in lignes) == avertis
        attendus = bonus[
            (bonus["fichier"] == a["fichier"]) & (bonus["code_collectif"] == a["code_collectif"])
        ]
        lignes = r["Bonus non accordés"].value.split("\n") if r["Bonus non accordés"].value else []
        assert [x.split(" : ")[0] for x in lignes] == list(attendus["code"])
    ws = wb["Collectifs"]
    largeurs = {c.value: dimension(ws, c.column_letter).width for c in ws[1]}
    assert min(largeurs["Motifs de refus"], largeurs["Avertissements"], largeurs["Bonus non accordés"]) > max(
        len(code) + 3 for code in regles
    )


def _piege(resultat):
    """The example with more formula-looking operator texts."""
    d = resultat.dossiers.copy()
    d.loc[d["fichier"] == "dossier_002_60268083237164.xlsx", "nom"] = PIEGES[0]
    c = resultat.decisions.collectifs.copy()
    c["lieu"] = c["lieu"].astype(object)
    c.loc[0, "lieu"], c.loc[1, "commune"] = PIEGES[1], PIEGES[3]
    a = Anomalie("x.xlsx", "Porteur", "B2", "nom", PIEGES[2], "AVERTISSEMENT", "LIBELLE-INCONNU", "m")
    return dataclasses.replace(
        resultat,
        dossiers=d,
        anomalies=[*resultat.anomalies, a],
        decisions=dataclasses.replace(resultat.decisions, collectifs=c),
    )


def test_textes_des_operateurs_jamais_formules(resultat, tmp_path):
    chemin = tmp_path / "s.xlsx"
    ecrire_synthese(_piege(resultat), chemin)
    wb = openpyxl.load_workbook(chemin)
    trouves = {}
    for ws in wb:
        for ligne in ws.iter_rows():
            for c in ligne:
                if c.value in (NOM_PIEGE, *PIEGES):
                    assert c.data_type == "s", (ws.title, c.coordinate)
                    trouves.setdefault(c.value, []).append(ws.title)
    assert set(trouves) == {NOM_PIEGE, *PIEGES}
    assert {"Collectifs", "Dossiers"} <= set(trouves[NOM_PIEGE])
    with zipfile.ZipFile(chemin) as z:
        feuilles = [z.read(n).decode("utf-8") for n in z.namelist() if n.startswith("xl/worksheets/sheet")]
        partagees = re.findall(r"<si>(.*?)</si>", z.read("xl/sharedStrings.xml").decode("utf-8"), re.S)
    assert len(feuilles) == len(ONGLETS)
    for xml in feuilles:
        assert not re.search(r"<f[ >]", xml)  # no formula anywhere
    xml = "".join(feuilles)
    for piege in (NOM_PIEGE, *PIEGES):
        echappe = piege.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        # a string cell: the text in line, or the index of a shared string holding it
        en_ligne = re.search(r'<c [^>]*t="inlineStr"[^>]*><is><t>' + re.escape(echappe) + "</t>", xml)
        t = f"<t>{echappe}</t>"
        partagee = t in partagees and re.search(rf'<c [^>]*t="s"[^>]*><v>{partagees.index(t)}</v></c>', xml)
        assert en_ligne or partagee, piege


def test_reproductible(resultat, tmp_path, monkeypatch):
    """The same bytes at any time in any time zone: the document is dated the campagne's start,
    and every zip entry has XlsxWriter's fixed date, whatever the clock and the zone."""
    a, b = tmp_path / "a.xlsx", tmp_path / "b.xlsx"
    ecrire_synthese(resultat, a, {F_COURRIER: COURRIER})
    monkeypatch.setenv("TZ", "Pacific/Kiritimati")  # UTC+14: another day than UTC
    time.tzset()
    try:
        ecrire_synthese(resultat, b, {F_COURRIER: COURRIER})
    finally:
        monkeypatch.undo()
        time.tzset()
    assert a.read_bytes() == b.read_bytes()
    with zipfile.ZipFile(a) as z:
        assert {i.date_time for i in z.infolist()} == {(1980, 1, 1, 0, 0, 0)}
        assert "2026-09-01T00:00:00Z" in z.read("docProps/core.xml").decode()


def test_identite_de_l_execution(wb, resultat):
    valeurs = {r[0].value: r[1].value for r in wb["Paramètres"].iter_rows(max_col=2)}
    lignes = sorted(f"{f}:{h}\n" for f, h in zip(resultat.dossiers["fichier"], resultat.dossiers["sha256"]))
    assert valeurs["Empreinte des entrées (sha256)"] == hashlib.sha256("".join(lignes).encode()).hexdigest()
    assert valeurs["Campagne"] == "2026-2027"
    assert valeurs["Logiciel"].startswith("campaign ")
    parametres = {r["Paramètre"].value: r for r in _table(wb["Paramètres"]) if r["Paramètre"].value}
    assert parametres["plafond_ps"]["Confirmé"].value == "Non"
    assert parametres["taux_ps"]["Confirmé"].value == "Oui"
    assert set(resultat.parametres) <= set(parametres)


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice absent")
def test_libreoffice_ouvre_le_classeur_et_affiche_les_totaux(chemin, tmp_path):
    from pypdf import PdfReader

    texte = "\n".join(p.extract_text() for p in PdfReader(imprimer(chemin, tmp_path)).pages)
    texte = re.sub(r"[\u00a0\u202f]", " ", texte)
    assert "Total proposé" in texte
    assert "15 947,65 €" in texte, texte[:3000]  # the grand total, French-formatted
    assert "134 052,35 €" in texte  # the remaining envelope
    assert NOM_PIEGE in texte.replace("\n", "")


def test_parametres_une_unite_jamais_dite_deux_fois(wb):
    """« 305,00 € » needs no « euros » beside it, nor « 32,5 % » a « taux » (issue 22 item 10)."""
    lignes = {r["Paramètre"].value: r for r in _table(wb["Paramètres"]) if r.get("Paramètre")}
    for nom in ("bonus_enfants", "plafond_ps", "taux_ps", "date_debut_preconisee"):
        assert not lignes[nom]["Unité"].value, (nom, lignes[nom]["Unité"].value)
    assert lignes["duree_seance_min"]["Unité"].value == "heures"
    assert lignes["effectif_min"]["Unité"].value == "enfants"

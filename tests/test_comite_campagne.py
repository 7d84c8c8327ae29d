"""The committee step end to end on the contract's example folder (comite.md): a session
filled with openpyxl, a second one re-saved by LibreOffice from the workbook of the first,
a dossier corrected after the session; letters and minutes read back from the PDFs."""

from __future__ import annotations

import csv
import json
import shutil
from pathlib import Path

import openpyxl
import pytest
from chemins import EXEMPLE
from comite_classeur import reenregistrer, remplir
from pypdf import PdfReader

from campaign.cli import main

pytestmark = pytest.mark.lent  # make test-rapide leaves it out

D4, D5, D6, D8, D9 = (
    f"dossier_00{i}_{s}.xlsx"
    for i, s in (
        (4, "02485607265882"),
        (5, "72991734491593"),
        (6, "55821165253447"),
        (8, "70377431047049"),
        (9, "44771873529089"),
    )
)
COMMENTAIRE_PIEGE = 'Projet trop flou =HYPERLINK("http://x";"y") <script>alert(1)</script>\nvoir le PV'
JANVIER = {
    (D9, "C1"): ("Favorable", None),
    (D9, "C2"): ("Défavorable", COMMENTAIRE_PIEGE),
    (D9, "C3"): ("Défav.", None),
    (D9, "C4"): ("fav", "Quartier prioritaire : dérogation accordée"),
    (D6, "C1"): ("Ajourné", "Bilan 2025-2026 attendu" + " ; le comité souhaite connaître" * 25),
    (D4, "C1"): ("Non", "Effectif de trois enfants seulement"),
    **{(D5, f"C{i}"): ("Oui", None) for i in range(1, 6)},
    (D8, "C1"): ("Favorable", None),  # a derogation without its reason: AVIS-SANS-MOTIF
}
MARS = {(D6, "C1"): ("Favorable", "Bilan reçu"), (D5, "C6"): ("Défavorable", "Aide aux devoirs seule")}
BLOC = '\n[[comite]]\ndate = {date}\navis = "{avis}"\n'


def lignes(chemin: Path) -> list[dict]:
    with chemin.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def texte_pdf(chemin: Path) -> str:
    texte = " ".join(p.extract_text() for p in PdfReader(chemin).pages)
    return " ".join(texte.replace("\u00a0", " ").replace("\u202f", " ").split())


def lettre(out: Path, fichier: str) -> Path:
    (r,) = [r for r in lignes(out / "publipostage.csv") if r["fichier"] == fichier]
    return out / r["courrier"]


def run(dossier: Path, out: Path) -> int:
    return main(["run", str(dossier), "--out", str(out)])


@pytest.fixture(scope="module")
def campagne(tmp_path_factory):
    base = tmp_path_factory.mktemp("comite")
    dossier = base / "campagne"
    shutil.copytree(EXEMPLE, dossier)
    sorties = {"proposition": base / "s0" / "2026-2027"}
    run(dossier, sorties["proposition"])
    remplir(sorties["proposition"] / "synthese.xlsx", dossier / "comite" / "avis-2027-01-20.xlsx", JANVIER)
    with (dossier / "campagne.toml").open("a", encoding="utf-8") as f:
        f.write(
            BLOC.format(date="2027-01-20", avis="comite/avis-2027-01-20.xlsx")
            + 'president = "Claire Martin"\n'
            + 'membres = ["Claire Martin, présidente", "Paul Roux, Caf", "Inès Diallo, DSDEN"]\n'
            + 'quorum = 5\nsecretaire = "Dominique Bernard"\n'
        )
    sorties["janvier"] = base / "s1" / "2026-2027"
    run(dossier, sorties["janvier"])
    # the second session works from the workbook of the first, and saves it as .ods
    rempli = remplir(sorties["janvier"] / "synthese.xlsx", base / "mars" / "avis-2027-03-17.xlsx", MARS)
    reenregistrer(rempli, "ods", dossier / "comite")
    with (dossier / "campagne.toml").open("a", encoding="utf-8") as f:
        f.write(BLOC.format(date="2027-03-17", avis="comite/avis-2027-03-17.ods"))
    sorties["mars"] = base / "s2" / "2026-2027"
    run(dossier, sorties["mars"])
    return base, dossier, sorties


def finales(out: Path) -> dict:
    return {(r["fichier"], r["code_collectif"]): r for r in lignes(out / "decisions_finales.csv")}


def etats(out: Path) -> dict:
    return {r["fichier"]: r for r in lignes(out / "dossiers.csv")}


def test_decisions_csv_reste_la_proposition(campagne):
    _, _, s = campagne
    for session in ("janvier", "mars"):
        proposition = (s["proposition"] / "decisions.csv").read_bytes()
        assert (s[session] / "decisions.csv").read_bytes() == proposition


def test_sans_avis_les_decisions_finales_sont_la_proposition(campagne):
    _, _, s = campagne
    proposition = lignes(s["proposition"] / "decisions.csv")
    f = lignes(s["proposition"] / "decisions_finales.csv")
    assert [(r["fichier"], r["code_collectif"]) for r in f] == [
        (r["fichier"], r["code_collectif"]) for r in proposition
    ]
    for p, r in zip(proposition, f):
        assert r["decision"] == "PROPOSITION" and r["proposition"] == p["decision"]
        assert (r["avis"], r["avis_date"], r["commentaire"]) == ("", "", "")
        for k in ("motifs", "avertissements", "ps", "bonus_enfants", "bonus_parents", "total"):
            assert r[k] == p[k], k
    for d in lignes(s["proposition"] / "dossiers.csv"):
        assert d["etat"] == ("PROPOSITION" if d["statut"] == "TRAITE" else "")
        assert d["decision_finale"] == "" and d["total_final"] == "0.00"


def test_premiere_seance(campagne):
    _, _, s = campagne
    f = finales(s["janvier"])
    assert f[(D9, "C2")]["decision"] == "REFUS" and "C-AVIS-DEFAVORABLE" in f[(D9, "C2")]["motifs"]
    assert f[(D9, "C2")]["commentaire"] == COMMENTAIRE_PIEGE
    assert f[(D9, "C4")]["decision"] == "ACCORD" and f[(D9, "C4")]["motifs"] == "R-EFFECTIF"
    assert "C-DEROGATION" in f[(D9, "C4")]["avertissements"] and f[(D9, "C4")]["ps"] == "2563.00"
    assert f[(D9, "C3")]["decision"] == "REFUS" and f[(D9, "C3")]["total"] == "0.00"
    assert f[(D6, "C1")]["decision"] == "AJOURNE" and f[(D6, "C1")]["total"] == "0.00"
    assert f[(D8, "C1")]["decision"] == "PROPOSITION"
    appliques = [k for k in JANVIER if k[0] != D8]
    assert {k: f[k]["avis_date"] for k in appliques} == dict.fromkeys(appliques, "2027-01-20")
    e = etats(s["janvier"])
    # C1 2 563,00 + C4 by derogation 2 563,00 and its bonus parents 305,00
    assert (e[D9]["etat"], e[D9]["decision_finale"], e[D9]["total_final"]) == (
        "DECIDE",
        "ACCORD PARTIEL",
        "5431.00",
    )
    assert sum(float(f[(D9, c)]["total"]) for c in ("C1", "C2", "C3", "C4")) == 5431.00
    assert (e[D6]["etat"], e[D6]["total_final"]) == ("AJOURNE", "0.00")
    assert (e[D4]["etat"], e[D4]["decision_finale"]) == ("DECIDE", "REFUS")
    assert e[D5]["etat"] == "PROPOSITION"
    anomalies = [a for a in lignes(s["janvier"] / "anomalies.csv") if a["fichier"].startswith("comite/")]
    assert sorted((a["fichier"], a["code"], a["champ"]) for a in anomalies) == [
        ("comite/avis-2027-01-20.xlsx", "AVIS-COMMENTAIRE-LONG", "Commentaire"),  # applied, cut
        ("comite/avis-2027-01-20.xlsx", "AVIS-SANS-MOTIF", "Commentaire"),
    ]
    m = json.loads((s["janvier"] / "manifest.json").read_text(encoding="utf-8"))
    (seance,) = m["comite"]
    assert seance["avis"] == "comite/avis-2027-01-20.xlsx" and seance["date"] == "2027-01-20"
    assert (seance["avis_appliques"], seance["avis_refuses"], seance["avis_divergents"]) == (11, 1, 2)
    assert len(seance["sha256"]) == 64


def test_lettre_de_decision(campagne):
    _, _, s = campagne
    texte = texte_pdf(lettre(s["janvier"], D9))
    assert "après avis du comité départemental du 20 janvier 2027" in texte
    assert "Valence, le 20 janvier 2027" in texte
    assert 'Projet trop flou =HYPERLINK("http://x";"y") <script>alert(1)</script> voir le PV' in texte
    assert "Quartier prioritaire : dérogation accordée" in texte
    assert "Voies et délais de recours" in texte
    assert "proposition soumise au comité" not in texte
    texte4 = texte_pdf(lettre(s["janvier"], D4))
    assert "Effectif de trois enfants seulement" in texte4 and "Voies et délais de recours" in texte4


FONDEMENT = "La prestation de service CLAS est accordée par la Caf dans la limite de ses crédits"


def test_le_fondement_du_comite_est_cite_quand_la_decision_repose_sur_lui(campagne):
    """comite.md §5: an avis défavorable, a derogation and a postponement quote [caf]
    fondement_comite; a derogation names the rule set aside with the dossier's value."""
    _, _, s = campagne
    texte9 = texte_pdf(lettre(s["janvier"], D9))  # C2 défavorable, C4 by derogation
    assert FONDEMENT in texte9
    assert FONDEMENT in texte_pdf(lettre(s["janvier"], D6))  # postponed
    derogation = finales(s["janvier"])[(D9, "C4")]
    ecartees = [m for m in derogation["motifs"].split("|") if m.startswith("R-")]
    assert ecartees
    for code in ecartees:  # the rule, then its own sentence with the value, in quotes
        assert f"par dérogation, en écartant la règle {code} (« Le collectif C4" in texte9 or (
            f"la règle {code} (« Le collectif C4" in texte9
        )
    # a refusal on the rules alone (D4 is refused by R-EFFECTIF, the committee agreeing) does not
    texte4 = texte_pdf(lettre(s["janvier"], D4))
    assert FONDEMENT not in texte4


def test_lettre_d_ajournement(campagne):
    _, _, s = campagne
    texte = texte_pdf(lettre(s["janvier"], D6))
    assert "ajourné" in texte and "Bilan 2025-2026 attendu" in texte
    assert "[…] »" in texte and texte.count("le comité souhaite connaître") < 25  # cut at a word
    assert "au plus tard le 19 février 2027" in texte  # by when to send what the committee waits for
    assert "Aucune décision n’a encore été prise" in texte
    assert "€" not in texte and "Voies et délais de recours" not in texte
    assert "PROJET" not in texte
    assert "le 20 janvier 2027" in texte


def test_lettre_de_proposition(campagne):
    _, _, s = campagne
    texte = texte_pdf(lettre(s["janvier"], D5))
    assert "PROJET — proposition soumise au comité" in texte
    assert texte.count("Accordé (avis du comité)") == 5  # C1 to C5 examined, C6 still proposed
    assert "Voies et délais de recours" in texte
    assert "PROJET — proposition soumise au comité" in texte_pdf(lettre(s["proposition"], D9))


def test_proces_verbal(campagne):
    _, _, s = campagne
    texte = texte_pdf(s["janvier"] / "comite" / "proces-verbal-2027-01-20.pdf")
    assert "Séance du 20 janvier 2027" in texte and "Claire Martin" in texte
    serre = texte.replace(" ", "")  # table cells wrap anywhere
    assert "Quartierprioritaire:dérogationaccordée" in serre and "<script>alert(1)</script>" in serre
    assert 'HYPERLINK("http://x";"y")' in serre
    assert "Bilan 2025-2026 attendu" in texte and "AVIS-SANS-MOTIF" in texte
    assert "Lignes portant un avis : 12" in texte
    assert "Le président de séance" not in texte  # a named president: no title over the name
    assert "Membres présents : Claire Martin, présidente Paul Roux, Caf Inès Diallo, DSDEN" in texte.replace(
        "• ", ""
    )
    assert "Le quorum de 5 membres n’est pas atteint (3 membres présents)." in texte.replace("'", "’")
    assert "Secrétaire de séance : Dominique Bernard." in texte
    assert "[…]" in texte  # the long Commentaire, cut
    # the annex: every collectif given an avis at the session, with what it became
    annexe = texte.split("Annexe : collectifs examinés à cette séance", 1)[1]
    serree = annexe.replace(" ", "")
    for fichier in {f for f, _ in JANVIER} - {D8}:  # D8's avis was not applied (AVIS-SANS-MOTIF)
        assert f"({fichier})" in serree
    assert f"({D8})" not in serree
    avis = annexe.count("Favorable") + annexe.count("Défavorable") + annexe.count("Ajourné Ajourné")
    assert avis == len(JANVIER) - 1
    texte_mars = texte_pdf(s["mars"] / "comite" / "proces-verbal-2027-03-17.pdf")
    assert "Séance du 17 mars 2027" in texte_mars and "Le président de séance" in texte_mars
    annexe_mars = texte_mars.split("Annexe : collectifs examinés à cette séance", 1)[1]
    assert annexe_mars.count("Favorable") + annexe_mars.count("Défavorable") == 2  # only March's


def test_un_commentaire_long_est_applique_et_signale(campagne):
    _, _, s = campagne
    (a,) = [a for a in lignes(s["janvier"] / "anomalies.csv") if a["code"] == "AVIS-COMMENTAIRE-LONG"]
    assert a["gravite"] == "AVERTISSEMENT" and a["fichier"] == "comite/avis-2027-01-20.xlsx" and a["cellule"]
    assert finales(s["janvier"])[(D6, "C1")]["decision"] == "AJOURNE"  # applied


def test_seconde_seance_depuis_le_classeur_de_la_premiere(campagne):
    _, _, s = campagne
    f = finales(s["mars"])
    assert (f[(D6, "C1")]["decision"], f[(D6, "C1")]["avis_date"]) == ("ACCORD", "2027-03-17")
    assert (f[(D9, "C2")]["decision"], f[(D9, "C2")]["avis_date"]) == ("REFUS", "2027-01-20")
    assert f[(D5, "C6")]["decision"] == "REFUS"
    e = etats(s["mars"])
    assert (e[D6]["etat"], e[D5]["etat"], e[D9]["etat"]) == ("DECIDE", "DECIDE", "DECIDE")
    m = json.loads((s["mars"] / "manifest.json").read_text(encoding="utf-8"))
    assert [x["date"] for x in m["comite"]] == ["2027-01-20", "2027-03-17"]
    assert m["comite"][1]["avis_appliques"] == 2  # the January avis, prefilled, are not counted again
    texte = texte_pdf(lettre(s["mars"], D6))
    assert "après avis du comité départemental du 17 mars 2027" in texte and "le 17 mars 2027" in texte
    wb = openpyxl.load_workbook(s["mars"] / "synthese.xlsx")
    ws = wb["Collectifs"]
    col = {c.value: c.column for c in ws[1]}
    rangs = {
        (ws.cell(r, col["Fichier"]).value, ws.cell(r, col["Collectif"]).value): r
        for r in range(2, ws.max_row + 1)
    }
    r = rangs[(D9, "C2")]
    assert ws.cell(r, col["Décision"]).value == "ACCORD"  # the proposition stays
    assert ws.cell(r, col["Décision finale"]).value == "REFUS"
    assert ws.cell(r, col["Avis du comité"]).value == "Défavorable"
    assert ws.cell(r, col["Commentaire"]).value.startswith("Projet trop flou =HYPERLINK")
    assert ws.cell(r, col["Commentaire"]).data_type == "s"


def test_reexecution_memes_octets(campagne, tmp_path):
    _, dossier, s = campagne
    bis = tmp_path / "bis" / "2026-2027"
    run(dossier, bis)
    fichiers = sorted(p.relative_to(s["mars"]) for p in s["mars"].rglob("*") if p.is_file())
    assert fichiers == sorted(p.relative_to(bis) for p in bis.rglob("*") if p.is_file())
    for nom in fichiers:
        assert (bis / nom).read_bytes() == (s["mars"] / nom).read_bytes(), nom


def test_dossier_corrige_apres_la_seance(campagne, tmp_path):
    """A corrected dossier 005 arrives: C5 now has 13 children (REFUS). Only C5 loses its avis."""
    _, dossier, _ = campagne
    copie = tmp_path / "campagne"
    shutil.copytree(dossier, copie)
    wb = openpyxl.load_workbook(copie / D5)
    ws = next(w for w in wb.worksheets if w.title.lower() == "collectifs")
    colonne = next(c.column for c in ws[1] if str(c.value).lower() == "nombre d'enfants")
    ligne = next(r for r in range(2, ws.max_row + 1) if ws.cell(r, 1).value == "C5")
    ws.cell(ligne, colonne).value = 13
    wb.save(copie / D5)
    out = tmp_path / "sortie"
    run(copie, out)
    f = finales(out)
    assert f[(D5, "C5")]["decision"] == "PROPOSITION" and f[(D5, "C5")]["proposition"] == "REFUS"
    assert all(f[(D5, f"C{i}")]["decision"] == "ACCORD" for i in range(1, 5))
    assert etats(out)[D5]["etat"] == "PROPOSITION"
    revoir = [a for a in lignes(out / "anomalies.csv") if a["code"] == "AVIS-A-REVOIR"]
    # both sessions' files carry C5's avis (the March one prefilled from January's workbook)
    assert [(a["fichier"], a["champ"]) for a in revoir] == [
        ("comite/avis-2027-01-20.xlsx", "Décision"),
        ("comite/avis-2027-03-17.ods", "Décision"),
    ]


def test_commentaire_jamais_formule_dans_les_csv(campagne):
    _, _, s = campagne
    brut = (s["janvier"] / "decisions_finales.csv").read_text(encoding="utf-8")
    assert "'Projet trop flou" not in brut  # it does not start with '=': kept as typed
    from campaign.ecrire.tables.csv_campagne import cellule_csv

    assert cellule_csv('=HYPERLINK("x")') == '\'=HYPERLINK("x")'
    assert cellule_csv("  +33 1 23") == "'  +33 1 23" and cellule_csv("-12.50") == "-12.50"
    assert cellule_csv("Favorable") == "Favorable" and cellule_csv(3) == 3


def test_publipostage_nature_envoyable_date(campagne):
    """comite.md §4: what may leave the Caf, and the date each letter carries."""
    _, _, s = campagne
    p = {r["fichier"]: r for r in lignes(s["janvier"] / "publipostage.csv")}
    assert (p[D9]["nature"], p[D9]["envoyable"], p[D9]["date_courrier"]) == ("DECISION", "non", "2027-01-20")
    assert (p[D9]["decision"], p[D9]["total"]) == ("ACCORD PARTIEL", "5431.00")
    assert (p[D6]["nature"], p[D6]["envoyable"], p[D6]["date_courrier"]) == (
        "AJOURNEMENT",
        "oui",
        "2027-01-20",
    )
    assert (p[D6]["decision"], p[D6]["total"]) == ("AJOURNE", "0.00")
    assert (p[D5]["nature"], p[D5]["envoyable"]) == ("PROPOSITION", "non")
    assert {r["nature"] for r in p.values() if r["decision"] == "INCOMPLET"} == {"DEMANDE-COMPLEMENT"}
    assert all(r["envoyable"] == "oui" for r in p.values() if r["nature"] == "DEMANDE-COMPLEMENT")
    # a decision unchanged by the second session is the same letter (same content, same date)
    mars = {r["fichier"]: r for r in lignes(s["mars"] / "publipostage.csv")}
    assert (mars[D9]["empreinte"], mars[D9]["date_courrier"]) == (p[D9]["empreinte"], "2027-01-20")
    assert (mars[D6]["nature"], mars[D6]["date_courrier"]) == ("DECISION", "2027-03-17")


def test_une_decision_aux_parametres_confirmes_est_envoyable():
    from campaign.ecrire.courriers.publipostage import nature
    from campaign.ecrire.courriers.vue import Lettre

    vue = {"variante": "decision", "nature": "DECISION", "projet": False}
    assert nature(Lettre("f.xlsx", "f.pdf", vue)) == ("DECISION", True)
    assert nature(Lettre("f.xlsx", "f.pdf", {**vue, "projet": True})) == ("DECISION", False)
    assert nature(Lettre("f.xlsx", "f.pdf", {**vue, "nature": "PROPOSITION"})) == ("PROPOSITION", False)


def test_avis_inconnus_et_contradictoires_dans_un_vrai_fichier(campagne, tmp_path):
    """A third session's file, edited by hand: a collectif code retyped, a row duplicated with
    another avis, a row naming an INCOMPLET dossier's SIRET."""
    _, dossier, s = campagne
    copie = tmp_path / "campagne"
    shutil.copytree(dossier, copie)

    def retoucher(ws, col):
        rangs = {
            (ws.cell(r, col["Fichier"]).value, ws.cell(r, col["Collectif"]).value): r
            for r in range(2, ws.max_row + 1)
        }
        ws.cell(rangs[(D9, "C1")], col["Collectif"]).value = "C9"  # no such collectif
        fin = ws.max_row + 1
        for c in range(1, ws.max_column + 1):  # D5 C6 twice, with another avis
            ws.cell(fin, c).value = ws.cell(rangs[(D5, "C6")], c).value
        ws.cell(fin, col["Avis du comité"]).value = "Ajourné"
        ws.cell(fin + 1, col["SIRET"]).value = "70989136245908"  # sans_budget: INCOMPLET
        ws.cell(fin + 1, col["Collectif"]).value = "C1"
        ws.cell(fin + 1, col["Avis du comité"]).value = "Favorable"

    remplir(s["mars"] / "synthese.xlsx", copie / "comite" / "avis-2027-05-12.xlsx", {}, retoucher)
    with (copie / "campagne.toml").open("a", encoding="utf-8") as f:
        f.write(BLOC.format(date="2027-05-12", avis="comite/avis-2027-05-12.xlsx"))
    out = tmp_path / "sortie"
    main(["run", str(copie), "--out", str(out), "--sans-courriers"])
    anomalies = [a for a in lignes(out / "anomalies.csv") if a["fichier"] == "comite/avis-2027-05-12.xlsx"]
    assert sorted(a["code"] for a in anomalies) == [
        "AVIS-CONTRADICTOIRE",
        "AVIS-CONTRADICTOIRE",
        "AVIS-INCONNU",
        "AVIS-INCONNU",
    ]
    (incomplet,) = [a for a in anomalies if "INCOMPLET" in a["message"]]
    assert "sans_budget" in incomplet["message"] and incomplet["cellule"]
    assert all(
        a["feuille"] == "Collectifs" and a["cellule"] and a["gravite"] == "AVERTISSEMENT" for a in anomalies
    )
    f = finales(out)  # neither contradictory row applies: March's avis stays in force
    assert (f[(D5, "C6")]["decision"], f[(D5, "C6")]["avis_date"]) == ("REFUS", "2027-03-17")

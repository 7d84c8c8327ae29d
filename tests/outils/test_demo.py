"""The synthetic campagne: deterministic, realistic, and carrying exactly its named defects."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import tomllib
import unicodedata
import zipfile
from collections import Counter
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from campaign.demo.dossiers import CELLULES_DEFAUTS, DEFAUTS, ecrire_demo, enveloppe_ajustee, plan_demo
from campaign.dossier_vierge.classeur import reperes
from campaign.formulaire import BUDGET, CHARGES, COLLECTIFS, PORTEUR

pytestmark = pytest.mark.lent  # make test-rapide leaves it out

DEFAUTS_ATTENDUS = {
    f"defaut_{d}.xlsx"
    for d in (
        "libelle_retape",
        "oui_x",
        "montant_texte",
        "duree_texte",
        "ligne_vide",
        "nom_feuille",
        "sans_budget",
        "mot_nombre",
        "date_impossible",
        "siret_doublon_a",
        "siret_doublon_b",
    )
}


def _cle(texte: str) -> str:
    t = unicodedata.normalize("NFKD", str(texte)).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]", "", t)


def _feuille(wb, nom):
    return next(wb[n] for n in wb.sheetnames if _cle(n) == _cle(nom))


def _luhn(s: str) -> bool:
    tot = 0
    for i, ch in enumerate(reversed(s)):
        n = int(ch) * (2 if i % 2 else 1)
        tot += n - 9 if n > 9 else n
    return tot % 10 == 0


def _sha(dossier):
    fichiers = sorted(p for p in dossier.rglob("*") if p.is_file())
    return {p.relative_to(dossier).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest() for p in fichiers}


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    out = tmp_path_factory.mktemp("demo")
    n = ecrire_demo(out, dossiers=60, seed=2026)
    return out, n


@pytest.fixture(scope="module")
def classeurs(demo):
    out, _ = demo
    return {p.name: openpyxl.load_workbook(p) for p in sorted(out.glob("*.xlsx")) if zipfile.is_zipfile(p)}


def _collectifs(wb):
    ws = _feuille(wb, "Collectifs")
    return [r for r in ws.iter_rows(min_row=2, values_only=True) if any(v not in (None, "") for v in r)]


def test_fichiers_ecrits(demo, classeurs):
    out, n = demo
    noms = sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file())
    noms.remove(".campaign-demo")  # its inventory
    assert n == len(noms) == 66
    # last year's outputs, written by the program, for [historique] (arbitrage.md §3)
    csv = ("decisions.csv", "decisions_finales.csv", "dossiers.csv")
    assert [x for x in noms if "/" in x] == [f"sorties-2025-2026/{f}" for f in csv]
    assert len(classeurs) == 60
    normaux = [x for x in classeurs if x.startswith("dossier_")]
    assert all(re.fullmatch(r"dossier_\d{3}_[a-z0-9_]+\.xlsx", x) for x in normaux)
    assert len(normaux) == 60 - len(DEFAUTS)
    assert set(classeurs) - set(normaux) == DEFAUTS_ATTENDUS
    assert {"scan_courrier.xlsx", "notes.txt", "campagne.toml"} <= set(noms)


def test_deterministe(demo, tmp_path):
    out, _ = demo
    ecrire_demo(tmp_path / "bis", dossiers=60, seed=2026)
    assert _sha(tmp_path / "bis") == _sha(out)


def test_graine_differente_donne_une_autre_campagne(tmp_path):
    ecrire_demo(tmp_path / "a", dossiers=22, seed=1)
    ecrire_demo(tmp_path / "b", dossiers=22, seed=2)
    a, b = _sha(tmp_path / "a"), _sha(tmp_path / "b")
    assert [h for k, h in a.items() if k.endswith(".xlsx") and k != "scan_courrier.xlsx"] != [
        h for k, h in b.items() if k.endswith(".xlsx") and k != "scan_courrier.xlsx"
    ]


def test_metadonnees_fixes(classeurs):
    props = next(wb for nom, wb in classeurs.items() if nom.startswith("dossier_001_")).properties
    assert props.created == props.modified == dt.datetime(2026, 6, 30, 12, 0)


def test_meme_mise_en_page_que_le_dossier_vierge(classeurs):
    for nom, wb in classeurs.items():
        if not nom.startswith("dossier_"):
            continue
        assert wb.sheetnames == [
            "Mode d'emploi",
            "Porteur",
            "Projet",
            "Collectifs",
            "Budget",
            "Attestation",
            "Listes",
        ]
        lignes = reperes(wb)
        assert [wb["Porteur"].cell(lignes[("Porteur", c.cle)][0], 1).value for c in PORTEUR] == [
            c.libelle for c in PORTEUR
        ]
        assert [c.value for c in wb["Collectifs"][1]] == [c.libelle for c in COLLECTIFS]
        assert wb["Collectifs"].protection.sheet


def test_nombre_de_collectifs(classeurs):
    par_dossier = [len(_collectifs(wb)) for wb in classeurs.values()]
    assert 130 <= sum(par_dossier) <= 170
    assert min(par_dossier) >= 1 and max(par_dossier) <= 6


def test_sirets_valides_et_un_doublon(classeurs):
    sirets = {nom: str(wb["Porteur"]["B2"].value).replace(" ", "") for nom, wb in classeurs.items()}
    assert all(re.fullmatch(r"\d{14}", s) and _luhn(s) and _luhn(s[:9]) for s in sirets.values())
    doublons = [s for s, n in Counter(sirets.values()).items() if n > 1]
    assert len(doublons) == 1
    assert sorted(n for n, s in sirets.items() if s == doublons[0]) == [
        "defaut_siret_doublon_a.xlsx",
        "defaut_siret_doublon_b.xlsx",
    ]


def test_fichiers_qui_ne_sont_pas_des_classeurs(demo):
    out, _ = demo
    scan = out / "scan_courrier.xlsx"
    assert not zipfile.is_zipfile(scan) and scan.read_text("utf-8").strip()
    with pytest.raises(zipfile.BadZipFile):
        openpyxl.load_workbook(scan)
    assert (out / "notes.txt").read_text("utf-8").strip()


def test_campagne_toml(demo):
    out, _ = demo
    conf = tomllib.loads((out / "campagne.toml").read_text("utf-8"))
    assert conf["annee"] == "2026-2027"
    caf = conf["caf"]
    assert caf["nom"] and caf["ville"] and caf["tribunal"].startswith("Tribunal administratif")
    assert isinstance(caf["adresse"], list) and len(caf["adresse"]) >= 2
    assert set(caf["signataire"]) == {"nom", "qualite"}
    assert {"nom", "qualite", "courriel", "telephone"} <= set(caf["agent"])
    assert "@" in caf["agent"]["courriel"]
    assert conf["budget"]["acompte"] == 0.70
    assert conf["regles"] == {
        "axes": "toutes_actions",
        "ecretement": True,
        "seuil_part_caf": 0.80,
        "date_debut_preconisee": dt.date(2026, 11, 2),
        "date_fin_preconisee": dt.date(2027, 6, 15),
    }
    assert conf["budget"]["enveloppe"] == enveloppe_ajustee(out)


def test_l_enveloppe_suit_le_total_decide(tmp_path):
    """The envelope is sized by the run's own decisions: the shipped requests exceed it by about a
    tenth, so that the committee has to fit it (arbitrage.md)."""
    livree = Path(__file__).parents[2] / "inputs" / "2026-2027"
    total = float(pd.read_csv(_run_livree(livree, tmp_path) / "dossiers.csv")["total"].sum())
    enveloppe = tomllib.loads((livree / "campagne.toml").read_text("utf-8"))["budget"]["enveloppe"]
    assert enveloppe == enveloppe_ajustee(livree)
    assert total * 0.85 < enveloppe < total


def _run_livree(livree: Path, tmp_path: Path) -> Path:
    from campaign.cli import main

    assert main(["run", str(livree), "--out", str(tmp_path / "sortie"), "--sans-courriers"]) in (0, 1)
    return tmp_path / "sortie"


def test_defauts_aux_cellules_annoncees(classeurs):
    for defaut, cellules in CELLULES_DEFAUTS.items():
        wb = classeurs[f"defaut_{defaut}.xlsx"]
        for feuille, ref, valeur in cellules:  # a cell, or a field key naming its answer
            ws, ou = _feuille(wb, feuille), reperes(wb).get((feuille, ref))
            assert (ws.cell(*ou) if ou else ws[ref]).value == valeur, (defaut, ref)
    assert classeurs["defaut_mot_nombre.xlsx"]["Collectifs"]["F3"].value == "douze"
    assert classeurs["defaut_date_impossible.xlsx"]["Collectifs"]["O2"].value == "31/02/2027"
    montant = classeurs["defaut_montant_texte.xlsx"]
    assert montant["Budget"].cell(*reperes(montant)[("Budget", "C60")]).value == "1 200 €"
    noms = classeurs["defaut_nom_feuille.xlsx"].sheetnames
    assert "collectifs " in noms and "Collectifs" not in noms
    assert "Budget" not in classeurs["defaut_sans_budget.xlsx"].sheetnames
    vide = classeurs["defaut_ligne_vide.xlsx"]["Collectifs"]
    assert vide["A2"].value == "C1" and vide["A3"].value is None and vide["A4"].value == "C2"


def test_un_seul_defaut_par_fichier(classeurs):
    """Outside their defect, defect files are clean: labels, sheets, typed values."""
    for nom, wb in classeurs.items():
        if not nom.startswith("defaut_") or nom in ("defaut_libelle_retape.xlsx",):
            continue
        assert wb["Porteur"]["A1"].value == "Nom de la structure", nom
        for ligne in _collectifs(wb):
            textes = [
                v
                for v, c in zip(ligne, COLLECTIFS)
                if c.type in ("entier", "duree", "date") and isinstance(v, str)
            ]
            attendu = {
                "defaut_duree_texte.xlsx": ["1h30"],
                "defaut_mot_nombre.xlsx": ["douze"],
                "defaut_date_impossible.xlsx": ["31/02/2027"],
            }
            assert not textes or textes == attendu.get(nom), (nom, textes)


def test_melange_realiste():
    _, fichiers = plan_demo(60, 2026)
    dossiers = [d for _, d, _, _ in fichiers]
    collectifs = [c for d in dossiers for c in d["collectifs"]]
    refus = [c for c in collectifs if not c["_accord"]]
    assert 0.05 * len(collectifs) <= len(refus) <= 0.25 * len(collectifs)
    assert sum(c["rural"] == "Oui" for c in collectifs) >= 5
    assert {d["refus"] for d in dossiers} >= {"sans_cofinancement", "diplome_bas", "principes"}
    statuts = Counter(d["porteur"]["statut"] for d in dossiers)
    assert {"Association", "Centre social", "Commune"} <= set(statuts)
    assert any("PSF" in d["budget"] for d in dossiers)
    for d in dossiers:
        par_collectif = sum(d["budget"].get(c, 0) for c in CHARGES) / len(d["collectifs"])
        assert 5000 <= par_collectif <= 15000
    brouillons = [n for n, _, b, _ in fichiers if b]
    assert 3 <= len(brouillons) <= 15 and all(n.startswith("dossier_") for n in brouillons)
    assert all(set(d["budget"]) <= {c.cle for c in BUDGET} for d in dossiers)


def test_fichiers_brouillons_ecrits_a_la_main(classeurs):
    _, fichiers = plan_demo(60, 2026)
    brouillons = [n for n, _, b, _ in fichiers if b]
    valeurs = [v for n in brouillons for r in _collectifs(classeurs[n]) for v in r]
    assert any(v in ("O", "X", "oui", "OUI ", "N", "non", "NON ") for v in valeurs)
    assert any(isinstance(v, str) and re.fullmatch(r"\d+", v) for v in valeurs)


def test_la_campagne_livree_est_celle_que_le_code_genere(demo, tmp_path):
    """inputs/2026-2027 is `make demo`'s output, to the byte: it can be rebuilt, not hand-edited
    (the dossiers, and the committee's file under comite/)."""
    import shutil
    from pathlib import Path

    from campaign.demo.comite import ecrire_comite_demo

    out, _ = demo
    copie = tmp_path / "demo"
    shutil.copytree(out, copie)
    ecrire_comite_demo(copie)

    def arbre(dossier):
        return {
            p.relative_to(dossier).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(dossier.rglob("*"))
            if p.is_file()
        }

    livree = Path(__file__).parents[2] / "inputs" / "2026-2027"
    assert arbre(livree) == arbre(copie)


def test_la_demo_n_ecrase_pas_de_vrais_dossiers(tmp_path):
    from campaign.erreurs import CampaignError

    (tmp_path / "dossier_reel.xlsx").write_bytes(b"un vrai dossier")
    with pytest.raises(CampaignError, match="ce que la démonstration n'y a pas écrit"):
        ecrire_demo(tmp_path, dossiers=2)
    assert [p.name for p in tmp_path.iterdir()] == ["dossier_reel.xlsx"]


def test_make_demo_refuse_un_dossier_non_vide(tmp_path, capsys):
    """Only sub-folders (a campagne kept by years, say), or a file: exit 2, one French
    sentence, nothing written."""
    from campaign.cli import main

    (tmp_path / "2025-2026").mkdir()
    (tmp_path / "2025-2026" / "dossier.xlsx").write_bytes(b"un vrai dossier")
    assert main(["demo", "--out", str(tmp_path), "--dossiers", "2"]) == 2
    err = capsys.readouterr().err
    assert "n'est pas vide" in err and "rien n'a été écrit" in err and err.count("\n") == 1
    assert sorted(str(p.relative_to(tmp_path)) for p in tmp_path.rglob("*")) == [
        "2025-2026",
        "2025-2026/dossier.xlsx",
    ]
    (tmp_path / "fichier").write_text("x")
    assert main(["demo", "--out", str(tmp_path / "fichier"), "--dossiers", "2"]) == 2
    assert "est un fichier" in capsys.readouterr().err

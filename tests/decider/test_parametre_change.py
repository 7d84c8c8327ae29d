"""A bound lives in the parameter file only: change it there, and the decision, the CSV and
the letter's sentence all follow (here `effectif_max` 12 -> 14)."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pypdf
import pytest
from chemins import EXEMPLE
from classeurs import COLLECTIF, ecrire_classeur

from campaign.cli import main
from campaign.decider import parametres

TOML_EXEMPLE = EXEMPLE / "campagne.toml"


@pytest.fixture
def effectif_max_14(tmp_path, monkeypatch):
    dossier = tmp_path / "parametres"
    shutil.copytree(parametres.DOSSIER, dossier)
    fichier = dossier / "clas.yaml"
    texte = fichier.read_text(encoding="utf-8")
    avant = '"2021-09-01": {valeur: "12", source: "Référentiel CLAS : 8 à 12 enfants"'
    assert texte.count(avant) == 1
    fichier.write_text(texte.replace(avant, avant.replace('valeur: "12"', 'valeur: "14"')), "utf-8")
    monkeypatch.setattr(parametres, "DOSSIER", dossier)


def _campagne(tmp_path: Path, enfants: list[int]) -> Path:
    campagne = tmp_path / "campagne"
    campagne.mkdir()
    shutil.copy(TOML_EXEMPLE, campagne / "campagne.toml")
    collectifs = [{**COLLECTIF, "code": f"C{i + 1}", "enfants": n} for i, n in enumerate(enfants)]
    ecrire_classeur(campagne / "dossier.xlsx", collectifs=collectifs)
    return campagne


def _run(tmp_path: Path, campagne: Path) -> tuple[list[dict], str]:
    sortie = tmp_path / "sortie"
    assert main(["run", str(campagne), "--out", str(sortie), "--date-courrier", "2026-12-01"]) == 0
    with (sortie / "decisions.csv").open(encoding="utf-8") as f:
        decisions = list(csv.DictReader(f))
    (lettre,) = (sortie / "courriers").glob("*.pdf")
    texte = " ".join(p.extract_text() for p in pypdf.PdfReader(lettre).pages)
    return decisions, " ".join(texte.replace("\u202f", " ").replace("\xa0", " ").split())


def test_la_borne_du_fichier_de_parametres_decide_et_motive(tmp_path, effectif_max_14):
    decisions, lettre = _run(tmp_path, _campagne(tmp_path, [13, 14, 15]))
    assert [(d["code_collectif"], d["decision"], d["motifs"]) for d in decisions] == [
        ("C1", "ACCORD", ""),
        ("C2", "ACCORD", ""),
        ("C3", "REFUS", "R-EFFECTIF"),
    ]
    assert "Le collectif C3 compte 15 enfants ; le référentiel en admet 14 au plus (R-EFFECTIF" in lettre


def test_sans_changement_la_borne_est_12(tmp_path):
    decisions, lettre = _run(tmp_path, _campagne(tmp_path, [13]))
    assert [(d["decision"], d["motifs"]) for d in decisions] == [("REFUS", "R-EFFECTIF")]
    assert "le référentiel en admet 12 au plus (R-EFFECTIF" in lettre

"""campagne.toml's [arbitrage] and [historique] (arbitrage.md §2-§3): known values only, and a
last-year folder that is one."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from chemins import EXEMPLE

from campaign.erreurs import CampaignError
from campaign.lire.campagne import charger_campagne


@pytest.fixture
def campagne(tmp_path: Path) -> Path:
    dossier = tmp_path / "campagne"
    shutil.copytree(EXEMPLE, dossier)
    return dossier


def _ajouter(dossier: Path, texte: str) -> None:
    toml = dossier / "campagne.toml"
    toml.write_text(toml.read_text(encoding="utf-8") + "\n" + texte, encoding="utf-8")


@pytest.mark.parametrize("mode", ["prorata", "prorata_total", "plafond_porteur"])
def test_les_trois_modes(campagne, mode):
    _ajouter(campagne, f'[arbitrage]\nmode = "{mode}"\n')
    assert charger_campagne(campagne).arbitrage == mode


def test_sans_arbitrage_rien_n_est_reduit(campagne):
    c = charger_campagne(campagne)
    assert c.arbitrage is None and c.historique is None


def test_un_mode_inconnu_est_refuse(campagne):
    _ajouter(campagne, '[arbitrage]\nmode = "au_hasard"\n')
    with pytest.raises(CampaignError, match=r"arbitrage.mode.*prorata_total.*au_hasard"):
        charger_campagne(campagne)


def test_un_dossier_precedent_sans_sorties_est_refuse(campagne, tmp_path):
    (tmp_path / "vide").mkdir()
    _ajouter(campagne, '[historique]\nprecedente = "../vide"\n')
    with pytest.raises(CampaignError, match=r"ne contient pas dossiers\.csv ni decisions\.csv"):
        charger_campagne(campagne)


def test_les_sorties_de_cette_annee_ne_sont_pas_celles_de_l_an_dernier(campagne, tmp_path):
    sorties = tmp_path / "sorties"
    sorties.mkdir()
    for nom in ("dossiers.csv", "decisions.csv"):
        (sorties / nom).write_text("fichier\n", encoding="utf-8")
    annee = charger_campagne(campagne).annee
    (sorties / "manifest.json").write_text(json.dumps({"campagne": annee}), encoding="utf-8")
    _ajouter(campagne, '[historique]\nprecedente = "../sorties"\n')
    with pytest.raises(CampaignError, match=f"cette même campagne {annee}"):
        charger_campagne(campagne)
    # a link to the run's version folder is kept as written, not followed
    (sorties / "manifest.json").write_text(json.dumps({"campagne": "2000-2001"}), encoding="utf-8")
    (tmp_path / "lien").symlink_to(sorties)
    toml = campagne / "campagne.toml"
    toml.write_text(toml.read_text(encoding="utf-8").replace("../sorties", "../lien"), encoding="utf-8")
    assert charger_campagne(campagne).historique == tmp_path / "lien"

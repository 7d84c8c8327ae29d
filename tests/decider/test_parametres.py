"""National parameters by date: each campagne takes the values in force on 1 September."""

import datetime as dt
import shutil

import pytest
import yaml
from chemins import EXEMPLE

from campaign.cli import main
from campaign.decider.parametres import ATTENDUS, DOSSIER, charger_parametres
from campaign.erreurs import CampaignError


def test_2026_2027_plafond_non_confirme():
    p = charger_parametres(dt.date(2026, 9, 1))
    assert set(ATTENDUS) <= set(p)
    assert (p.plafond_ps.valeur, p.plafond_ps.confirme) == ("2563.00", False)
    assert [x.nom for x in p.non_confirmes] == ["plafond_ps"]
    assert p.taux_ps.fraction.numerator * 40 == p.taux_ps.fraction.denominator * 13  # 0.325


def test_2025_2026_se_calcule_avec_des_valeurs_confirmees():
    p = charger_parametres(dt.date(2025, 9, 1))
    assert p.plafond_ps.confirme and p.plafond_ps.depuis == dt.date(2025, 9, 1)
    assert p.non_confirmes == []


def test_une_annee_s_ajoute_par_des_valeurs(tmp_path):
    source = yaml.safe_load((DOSSIER / "clas.yaml").read_text(encoding="utf-8"))
    source["plafond_ps"]["valeurs"]["2027-09-01"] = {"valeur": "2600.00", "source": "essai", "confirme": True}
    (tmp_path / "clas.yaml").write_text(yaml.safe_dump(source, allow_unicode=True), encoding="utf-8")
    assert charger_parametres(dt.date(2027, 9, 1), tmp_path).plafond_ps.centimes == 260_000
    assert charger_parametres(dt.date(2026, 9, 1), tmp_path).plafond_ps.centimes == 256_300


def test_valeur_absente_pour_l_annee_nommee():
    with pytest.raises(CampaignError, match="plafond_ps"):
        charger_parametres(dt.date(2019, 9, 1))


def test_campagne_sans_parametre_arrete_la_campagne(tmp_path, capsys):
    dossier = tmp_path / "campagne"
    shutil.copytree(EXEMPLE, dossier)
    toml = (dossier / "campagne.toml").read_text(encoding="utf-8")
    toml = toml.replace('annee = "2026-2027"', 'annee = "2019-2020"')
    toml = toml.replace("2026-11-02", "2019-11-04").replace("2027-06-15", "2020-06-15")
    (dossier / "campagne.toml").write_text(toml, encoding="utf-8")
    assert main(["run", str(dossier), "--out", str(tmp_path / "s")]) == 2
    erreur = capsys.readouterr().err
    assert "plafond_ps" in erreur and ".yaml" in erreur
    assert not (tmp_path / "s").exists()


def test_chaque_valeur_a_sa_source_et_son_statut():
    for nom, definition in yaml.safe_load((DOSSIER / "clas.yaml").read_text(encoding="utf-8")).items():
        for date, v in definition["valeurs"].items():
            assert v["source"].strip() and isinstance(v["confirme"], bool), (nom, date)

"""The demo's committee file: written beside the demo campagne, undeclared, and applied
without a single anomaly once the README's lines are added to campagne.toml."""

import csv
import hashlib
import shutil

import pytest

from campaign.cli import main
from campaign.demo.comite import NOM, ecrire_comite_demo
from campaign.demo.dossiers import ecrire_demo

pytestmark = pytest.mark.lent  # make test-rapide leaves it out


def test_avis_du_comite_de_demo(tmp_path, capsys):
    out = tmp_path / "demo"
    ecrire_demo(out, dossiers=24, seed=7)
    chemin = ecrire_comite_demo(out, seed=7)
    assert chemin == out / NOM
    assert "[[comite]]" not in (out / "campagne.toml").read_text(encoding="utf-8")
    bis = tmp_path / "bis"
    ecrire_demo(bis, dossiers=24, seed=7)
    assert (
        hashlib.sha256(ecrire_comite_demo(bis, seed=7).read_bytes()).digest()
        == hashlib.sha256(chemin.read_bytes()).digest()
    )
    essai = tmp_path / "essai"
    shutil.copytree(out, essai)
    with (essai / "campagne.toml").open("a", encoding="utf-8") as f:
        f.write(f'\n[[comite]]\ndate = 2027-01-20\navis = "{NOM}"\n')
    main(["run", str(essai), "--out", str(tmp_path / "sortie"), "--sans-courriers"])
    with (tmp_path / "sortie" / "anomalies.csv").open(encoding="utf-8") as f:
        assert not [a for a in csv.DictReader(f) if a["fichier"].startswith("comite/")]
    with (tmp_path / "sortie" / "decisions_finales.csv").open(encoding="utf-8") as f:
        decisions = {r["decision"] for r in csv.DictReader(f)}
    assert {"ACCORD", "REFUS", "AJOURNE"} <= decisions

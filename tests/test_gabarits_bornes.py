"""A Caf's templates folder is bounded (issue 23, dossier.md §7): it may be anywhere, only the
files of the kinds the program reads are hashed and used, and a folder that is no templates
folder (`/`, too many entries, more than 50 MB of templates) stops the run with a sentence."""

from __future__ import annotations

import os

import pytest

from campaign.cli import main
from campaign.ecrire import gabarits
from campaign.run import relance
from campaign.run.cache_courriers import empreinte_gabarits

pytestmark = pytest.mark.lent  # make test-rapide leaves it out


def _avec_gabarits(campagne, chemin) -> None:
    toml = campagne / "campagne.toml"
    toml.write_text(
        toml.read_text(encoding="utf-8").replace("[caf]\n", f'[caf]\ngabarits = "{chemin}"\n', 1),
        encoding="utf-8",
    )


def _refus(campagne, tmp_path, capsys) -> str:
    assert main(["run", str(campagne), "--out", str(tmp_path / "s"), "--sans-courriers"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("Erreur : ") and err.count("\n") == 1
    assert "interne" not in err and "permission" not in err and "caf.gabarits" in err
    assert not os.path.lexists(tmp_path / "s")
    return err


@pytest.mark.parametrize("chemin", ["/", "../../../../../../../../"])
def test_la_racine_du_disque_n_est_pas_un_dossier_de_gabarits(campagne, tmp_path, capsys, chemin):
    _avec_gabarits(campagne, chemin)
    assert "n'est pas un dossier de gabarits" in _refus(campagne, tmp_path, capsys)


def test_trop_d_entrees(campagne, tmp_path, capsys, monkeypatch):
    monkeypatch.setattr(gabarits, "ENTREES_MAX", 50)
    dossier = tmp_path / "ailleurs" / "gabarits"  # outside the campagne folder: allowed
    (dossier / "archives").mkdir(parents=True)
    for i in range(60):
        (dossier / "archives" / f"{i}.txt").write_text("x")
    _avec_gabarits(campagne, dossier)
    assert "plus de 50 fichiers" in _refus(campagne, tmp_path, capsys)


def test_plus_de_50_mo_de_gabarits(campagne, tmp_path, capsys, monkeypatch):
    """The bound counts the kinds read only: a large file of another kind is not read."""
    monkeypatch.setattr(gabarits, "OCTETS_MAX", 10_000)
    dossier = tmp_path / "gabarits"
    dossier.mkdir()
    (dossier / "sauvegarde.zip").write_bytes(b"\0" * 50_000)
    _avec_gabarits(campagne, dossier)
    assert main(["run", str(campagne), "--out", str(tmp_path / "s1"), "--sans-courriers"]) == 1
    (dossier / "logo.png").write_bytes(b"\0" * 20_000)
    assert "Mo de gabarits, d'images et de polices" in _refus(campagne, tmp_path, capsys)


def test_seuls_les_fichiers_lus_sont_hashes(tmp_path):
    dossier = tmp_path / "gabarits"
    dossier.mkdir()
    (dossier / "courrier.css").write_text("body { color: black }")
    dossiers = (dossier, gabarits.dossier_gabarits())
    options = {"courriers": True, "date_courrier": None, "date_lettres": None}
    campagne = tmp_path / "campagne"
    campagne.mkdir()
    avant = empreinte_gabarits(dossiers), relance.cle(campagne, tmp_path / "s", dossier, options)
    (dossier / "notes.txt").write_text("mes notes")  # not a kind the letters read
    (dossier / "sauvegardes").mkdir()
    (dossier / "sauvegardes" / "vieux.docx").write_bytes(b"x" * 1000)
    assert (empreinte_gabarits(dossiers), relance.cle(campagne, tmp_path / "s", dossier, options)) == avant
    (dossier / "courrier.css").write_text("body { color: navy }")
    apres = empreinte_gabarits(dossiers), relance.cle(campagne, tmp_path / "s", dossier, options)
    assert apres[0] != avant[0] and apres[1] != avant[1]

"""The output folder: `--out` never touches what is not ours; two runs at once (issue 9, 1 and 3)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from ensembles import complet, etat

from campaign.cli import main
from campaign.run.sortie import MARQUE


def _voisins(dossier: Path) -> list[str]:
    """What a run left in `dossier`, the caches (.cache: letters, readings) aside."""
    return sorted(p.name for p in dossier.iterdir() if p.name != ".cache")


@pytest.mark.parametrize("ou", ["la campagne", "dedans", "parent", "dossier", "fichier", "lien"])
def test_out_refuse_ce_qui_n_est_pas_a_nous(tmp_path, campagne, capsys, ou):
    (tmp_path / "a_garder").mkdir()
    (tmp_path / "a_garder" / "notes.txt").write_text("précieux")
    (tmp_path / "rapport.pdf").write_bytes(b"%PDF")
    (tmp_path / "lien").symlink_to("a_garder")
    out = {
        "la campagne": campagne,
        "dedans": campagne / "sorties",
        "parent": tmp_path,
        "dossier": tmp_path / "a_garder",
        "fichier": tmp_path / "rapport.pdf",
        "lien": tmp_path / "lien",
    }[ou]
    avant = etat(tmp_path)
    assert main(["run", str(campagne), "--out", str(out), "--sans-courriers"]) == 2
    err = capsys.readouterr().err
    assert etat(tmp_path) == avant  # nothing moved, nothing written
    assert err.startswith("Erreur : ") and err.count("\n") == 1 and "--out" in err
    if ou in ("la campagne", "dedans", "parent"):
        assert "dossier de campagne" in err
    else:
        assert "n'est pas un dossier de sortie écrit par campaign" in err


def test_out_relatif_vers_la_campagne_refuse(campagne, capsys, monkeypatch):
    monkeypatch.chdir(campagne)
    assert main(["run", ".", "--out", ".", "--sans-courriers"]) == 2
    assert "est le dossier de campagne" in capsys.readouterr().err
    assert (campagne / "campagne.toml").is_file()


def test_sortie_marquee_lien_vers_une_version_complete(tmp_path, campagne):
    out = tmp_path / "sortie"
    for i in range(3):
        (campagne / f"note{i}.txt").write_text("une note")  # a change: each run writes a new set
        assert main(["run", str(campagne), "--out", str(out), "--sans-courriers"]) == 1
    assert out.is_symlink() and os.readlink(out) == ".sortie.v3"
    assert (out / MARQUE).is_file() and complet(out)
    assert _voisins(tmp_path) == [".sortie.v3", "campagne", "sortie"]


def test_restes_d_une_execution_tuee_nettoyes(tmp_path, campagne):
    out = tmp_path / "sortie"
    main(["run", str(campagne), "--out", str(out), "--sans-courriers"])
    moitie = tmp_path / ".sortie.v7"  # a run killed while writing its version
    moitie.mkdir()
    (moitie / MARQUE).write_text("x")
    (moitie / "dossiers.csv").write_text("fichier\n")
    (tmp_path / ".sortie.v8").mkdir()  # killed between mkdir and the marker
    (tmp_path / ".sortie.lien").symlink_to(".sortie.v7")  # killed before the switch
    main(["run", str(campagne), "--out", str(out), "--sans-courriers"])  # nothing changed: same set
    assert _voisins(tmp_path) == [".sortie.v1", "campagne", "sortie"]
    assert complet(out)


def test_une_copie_des_sorties_reste_remplacable(tmp_path, campagne):
    out = tmp_path / "sortie"
    main(["run", str(campagne), "--out", str(out), "--sans-courriers"])
    copie = tmp_path / "copie"
    shutil.copytree(out, copie)  # a real folder holding the marker
    assert main(["run", str(campagne), "--out", str(copie), "--sans-courriers"]) == 1
    assert copie.is_symlink() and complet(copie)


def test_deux_executions_en_meme_temps(tmp_path, campagne):
    out = tmp_path / "sortie"
    commande = [sys.executable, "-m", "campaign", "run", str(campagne), "--out", str(out)]
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).parents[2])}
    a = subprocess.Popen(commande, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    debut = time.monotonic()  # the second starts once the first holds the lock, as a double-click
    while not (tmp_path / ".sortie.verrou").exists() and time.monotonic() - debut < 60:
        time.sleep(0.01)
    b = subprocess.Popen(commande, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    resultats = {p.pid: (p.wait(timeout=120), p.stderr.read()) for p in (a, b)}
    codes = sorted(rc for rc, _ in resultats.values())
    assert codes == [1, 2], resultats
    perdant = next(err for rc, err in resultats.values() if rc == 2)
    gagnant = next(pid for pid, (rc, _) in resultats.items() if rc == 1)
    assert f"processus {gagnant}" in perdant and "campaign run" in perdant
    assert complet(out) and (out / "publipostage.csv").is_file()
    assert not (tmp_path / ".sortie.verrou").exists()


def test_sans_liens_symboliques_deux_renommages(tmp_path, campagne, monkeypatch):
    """Windows without the right to make links: a real marked folder, replaced whole."""

    def refuse(*a, **k):
        raise OSError("symbolic link privilege not held")

    monkeypatch.setattr(os, "symlink", refuse)
    out = tmp_path / "sortie"
    for _ in range(2):
        assert main(["run", str(campagne), "--out", str(out), "--sans-courriers"]) == 1
        assert out.is_dir() and not out.is_symlink() and complet(out)
    assert _voisins(tmp_path) == ["campagne", "sortie"]

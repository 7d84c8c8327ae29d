"""The kept readings: a rerun reads only what changed, and gives the same readings."""

from __future__ import annotations

import hashlib
import pickle
import shutil
from pathlib import Path

import openpyxl
from chemins import EXEMPLE

from campaign.cli import main
from campaign.run import lecteurs, pipeline
from campaign.run.memoire import Memoire, version_programme

DOSSIER = "dossier_000_59727842801100.xlsx"


def _copie(tmp_path: Path) -> Path:
    dossier = tmp_path / "campagne"
    shutil.copytree(EXEMPLE, dossier)
    return dossier


def _entrees(cache: Path) -> list[Path]:
    """The packs of kept readings."""
    return sorted(cache.rglob("*.pickle"))


def _cles(cache: Path) -> list[str]:
    return sorted(cle for paquet in _entrees(cache) for cle in pickle.loads(paquet.read_bytes()))


def test_a_rerun_gives_the_same_readings_from_the_cache(tmp_path):
    dossier, cache = _copie(tmp_path), tmp_path / "cache"
    sans = pipeline.lire(dossier)
    premiere = pipeline.lire(dossier, cache=cache)
    entrees = _entrees(cache)
    assert len(_cles(cache)) == sum(lec.statut != "IGNORE" for lec in premiere) > 10
    assert len(entrees) == -(-len(premiere) // lecteurs.LOT)  # one pack per batch read, not per file
    assert all(e.parent.name == version_programme() for e in entrees)
    dates = [e.stat().st_mtime_ns for e in entrees]
    seconde = pipeline.lire(dossier, cache=cache)
    assert [e.stat().st_mtime_ns for e in _entrees(cache)] == dates  # nothing read, nothing rewritten
    assert seconde == premiere == sans


def test_a_changed_or_renamed_file_is_read_again(tmp_path):
    dossier, cache = _copie(tmp_path), tmp_path / "cache"
    avant = {lec.fichier: lec for lec in pipeline.lire(dossier, cache=cache)}[DOSSIER]
    _, cellule = avant.feuilles["Porteur"][0]["nom"]
    wb = openpyxl.load_workbook(dossier / DOSSIER)
    wb[avant.noms_feuilles["Porteur"]][cellule] = "Nom changé entre deux exécutions"
    wb.save(dossier / DOSSIER)
    (dossier / DOSSIER).rename(dossier / "renomme.xlsx")
    lectures = {lec.fichier: lec for lec in pipeline.lire(dossier, cache=cache)}
    assert DOSSIER not in lectures
    valeurs = [v for rec in lectures["renomme.xlsx"].feuilles["Porteur"] for v, _ in rec.values()]
    assert "Nom changé entre deux exécutions" in valeurs
    assert lectures == {lec.fichier: lec for lec in pipeline.lire(dossier)}


def test_a_damaged_entry_is_read_again_and_another_versions_folder_goes(tmp_path):
    dossier, cache = _copie(tmp_path), tmp_path / "cache"
    attendues = pipeline.lire(dossier, cache=cache)
    for entree in _entrees(cache):
        entree.write_bytes(b"pas un pickle")
    (cache / "0123456789abcdef").mkdir()
    assert pipeline.lire(dossier, cache=cache) == attendues
    assert not (cache / "0123456789abcdef").exists()
    assert Memoire(None).reprendre(dossier / DOSSIER) is None


def test_a_warm_run_writes_the_same_outputs(tmp_path):
    dossier = _copie(tmp_path)

    def empreintes(sortie: Path) -> dict[str, str]:
        return {
            p.relative_to(sortie).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(sortie.rglob("*"))
            if p.is_file() and p.name != "manifest.json"
        }

    options = ["--out", str(tmp_path / "s"), "--date-courrier", "2026-11-28", "--sans-courriers"]
    main(["run", str(dossier), *options])
    froides = empreintes(tmp_path / "s")
    assert _entrees(tmp_path / ".cache" / "lectures")
    main(["run", str(dossier), *options])
    assert empreintes(tmp_path / "s") == froides


def test_reading_processes_keep_what_they_read(tmp_path, monkeypatch):
    dossier, cache = _copie(tmp_path), tmp_path / "cache"
    monkeypatch.setattr(lecteurs, "SEUIL_PARALLELE", 1)  # the example is small: two processes all the same
    premiere = pipeline.lire(dossier, processus=2, cache=cache)
    assert len(_cles(cache)) == sum(lec.statut != "IGNORE" for lec in premiere)
    dates = [e.stat().st_mtime_ns for e in _entrees(cache)]
    assert pipeline.lire(dossier, processus=2, cache=cache) == premiere
    assert [e.stat().st_mtime_ns for e in _entrees(cache)] == dates


def test_readings_no_longer_of_use_are_put_away(tmp_path, monkeypatch):
    dossier, cache = _copie(tmp_path), tmp_path / "cache"
    pipeline.lire(dossier, cache=cache)
    avant = _cles(cache)
    gardes = sorted(dossier.glob("dossier_*.xlsx"))[:3]
    for p in dossier.iterdir():
        if p.is_file() and p not in gardes and p.name != "campagne.toml":
            p.unlink()
    monkeypatch.setattr("campaign.run.memoire.INUTILES_MAX", 0)
    lectures = pipeline.lire(dossier, cache=cache)
    assert len(lectures) == 3 and set(_cles(cache)) < set(avant)
    assert len(_cles(cache)) == 3 and len(_entrees(cache)) == 1  # the three packed anew, alone
    dates = [e.stat().st_mtime_ns for e in _entrees(cache)]
    assert pipeline.lire(dossier, cache=cache) == lectures == pipeline.lire(dossier)
    assert [e.stat().st_mtime_ns for e in _entrees(cache)] == dates

"""The kept readings: a rerun reads only what changed, and gives the same readings."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import openpyxl

from campaign import pipeline
from campaign.cli import main
from campaign.lire.memoire import Memoire, version_programme

EXEMPLE = Path(__file__).parents[1] / "fixtures" / "exemple" / "campagne"
DOSSIER = "dossier_000_59727842801100.xlsx"


def _copie(tmp_path: Path) -> Path:
    dossier = tmp_path / "campagne"
    shutil.copytree(EXEMPLE, dossier)
    return dossier


def _entrees(cache: Path) -> list[Path]:
    return sorted(cache.rglob("*.pickle"))


def test_a_rerun_gives_the_same_readings_from_the_cache(tmp_path):
    dossier, cache = _copie(tmp_path), tmp_path / "cache"
    sans = pipeline.lire(dossier)
    premiere = pipeline.lire(dossier, cache=cache)
    entrees = _entrees(cache)
    assert len(entrees) == sum(lec.statut != "IGNORE" for lec in premiere) > 10
    assert all(e.parent.parent.name == version_programme() for e in entrees)
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

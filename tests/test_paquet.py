"""The wheel: `pip install .` gives a `campaign` command that works away from the checkout.

Built from a copy of the sources (no stale `build/` of the checkout can slip in), installed
in a fresh virtual environment (its dependencies from the configured package index), run
from a folder that is not the checkout: `campaign demo` then `campaign run`. Its letters
must be the very bytes the checkout writes.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import venv
import zipfile
from pathlib import Path

import pytest

pytestmark = pytest.mark.lent  # make test-rapide leaves it out

RACINE = Path(__file__).resolve().parents[1]
DATE = "2026-12-01"


def _executer(commande: list[str | Path], cwd: Path) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME")}
    env["PIP_DISABLE_PIP_VERSION_CHECK"] = "1"
    return subprocess.run(
        [str(c) for c in commande], cwd=cwd, env=env, capture_output=True, text=True, timeout=600
    )


def _reussir(commande: list[str | Path], cwd: Path, codes: tuple[int, ...] = (0,)) -> str:
    fait = _executer(commande, cwd)
    assert fait.returncode in codes, f"{commande}\n{fait.stdout}\n{fait.stderr}"
    return fait.stdout


@pytest.fixture(scope="module")
def roue(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The wheel, built from a clean copy of pyproject.toml, campaign/ and templates/."""
    base = tmp_path_factory.mktemp("paquet")
    sources = base / "sources"
    sources.mkdir()
    shutil.copy2(RACINE / "pyproject.toml", sources)
    sans_cache = shutil.ignore_patterns("__pycache__", "*.pyc")
    for dossier in ("campaign", "templates"):
        shutil.copytree(RACINE / dossier, sources / dossier, ignore=sans_cache)
    _reussir(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", base / "dist", sources], base
    )
    (chemin,) = (base / "dist").glob("campaign-*.whl")
    return chemin


@pytest.fixture(scope="module")
def installe(roue: Path) -> Path:
    """A fresh virtual environment with the wheel installed; -> its bin/ folder."""
    env = roue.parent.parent / "env"
    venv.create(env, with_pip=True)
    bin_ = env / ("Scripts" if os.name == "nt" else "bin")
    _reussir([bin_ / "python", "-m", "pip", "install", "--quiet", roue], env)
    return bin_


def test_wheel_holds_every_module_and_template(roue: Path) -> None:
    with zipfile.ZipFile(roue) as z:
        noms = set(z.namelist())
    attendus = {
        p.relative_to(RACINE).as_posix()
        for p in (RACINE / "campaign").rglob("*")
        if p.is_file() and "__pycache__" not in p.parts
    }
    attendus |= {
        "campaign/" + p.relative_to(RACINE).as_posix()
        for p in (RACINE / "templates").rglob("*")
        if p.is_file()
    }
    manquants = sorted(attendus - noms)
    assert not manquants, (
        f"absent from the wheel: {manquants}; a new sub-package is listed "
        "in [tool.setuptools] packages of pyproject.toml"
    )
    assert not any(n.startswith("templates/") for n in noms)  # no top-level package `templates`


def test_installed_command_writes_the_same_letters(installe: Path, tmp_path: Path) -> None:
    dehors = tmp_path / "ailleurs"
    dehors.mkdir()
    gabarits = _reussir(
        [installe / "python", "-c", "import campaign.ecrire.gabarits as g; print(g.dossier_gabarits())"],
        dehors,
    )
    assert Path(gabarits.strip()).is_relative_to(installe.parent)  # not the checkout's
    _reussir([installe / "campaign", "demo", "--out", dehors / "entree", "--dossiers", "5"], dehors)
    # exit code 1: some dossiers are INCOMPLETS (sorties.md); their letters are written too
    _reussir(
        [
            installe / "campaign",
            "run",
            dehors / "entree",
            "--out",
            dehors / "paquet" / "sortie",
            "--date-courrier",
            DATE,
        ],
        dehors,
        codes=(0, 1),
    )
    pdfs = sorted((dehors / "paquet" / "sortie" / "courriers").glob("*.pdf"))
    assert pdfs and all(p.read_bytes().startswith(b"%PDF") for p in pdfs)

    # the checkout's command on the same campagne: the same letters, byte for byte
    _reussir(
        [
            sys.executable,
            "-m",
            "campaign",
            "run",
            dehors / "entree",
            "--out",
            dehors / "source" / "sortie",
            "--date-courrier",
            DATE,
        ],
        RACINE,
        codes=(0, 1),
    )
    for nom in ("publipostage.csv", *(f"courriers/{p.name}" for p in pdfs)):
        paquet = (dehors / "paquet" / "sortie" / nom).read_bytes()
        assert paquet == (dehors / "source" / "sortie" / nom).read_bytes(), nom

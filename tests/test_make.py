"""What `make` prints to a new user: its help, with the variables' values, never `$(...)`."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

RACINE = Path(__file__).parents[1]


@pytest.mark.skipif(shutil.which("make") is None, reason="make absent")
def test_l_aide_montre_les_valeurs_des_variables():
    aide = subprocess.run(
        ["make", "-s", "help", "ANNEE=2030-2031"], cwd=RACINE, capture_output=True, text=True, check=True
    ).stdout
    assert "$(" not in aide
    assert "inputs/2030-2031 -> outputs/2030-2031" in aide
    assert "make campaign" in aide and "make test" in aide


@pytest.mark.skipif(shutil.which("make") is None, reason="make absent")
def test_another_python_given_makes_the_environment_again(tmp_path):
    shutil.copy(RACINE / "Makefile", tmp_path / "Makefile")
    (tmp_path / "pyproject.toml").write_text("")
    (tmp_path / ".venv").mkdir()
    (tmp_path / ".venv" / ".python").write_text("python-a\n")
    (tmp_path / ".venv" / ".installe").write_text("")  # made after pyproject.toml

    def prevu(*variables: str) -> str:
        return subprocess.run(
            ["make", "-n", "campaign", *variables], cwd=tmp_path, capture_output=True, text=True, check=True
        ).stdout

    assert "-m venv" not in prevu()
    assert "-m venv" not in prevu("PYTHON=python-a")
    assert "python-b -m venv --clear .venv" in prevu("PYTHON=python-b")


@pytest.mark.skipif(shutil.which("make") is None, reason="make absent")
def test_the_system_s_python_first_when_it_can_make_the_environment(tmp_path):
    shutil.copy(RACINE / "Makefile", tmp_path / "Makefile")
    (tmp_path / "pyproject.toml").write_text("")
    for nom, code in (("admis", 0), ("refuse", 1)):  # answers the version and venv check
        (tmp_path / nom).write_text(f"#!/bin/sh\nexit {code}\n")
        (tmp_path / nom).chmod(0o755)

    def venv(*variables: str) -> str:
        prevu = subprocess.run(
            ["make", "-n", "campaign", *variables], cwd=tmp_path, capture_output=True, text=True, check=True
        ).stdout
        return next(ligne for ligne in prevu.splitlines() if "-m venv" in ligne)

    assert venv(f"SYSTEME={tmp_path / 'admis'}") == f"{tmp_path / 'admis'} -m venv --clear .venv"
    assert not venv(f"SYSTEME={tmp_path / 'refuse'}").startswith(str(tmp_path))  # then PATH's
    assert venv(f"SYSTEME={tmp_path / 'admis'}", "PYTHON=python-b").startswith("python-b -m venv")

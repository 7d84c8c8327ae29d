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

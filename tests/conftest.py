"""Fixtures shared by the whole suite; the slow tests' mark.

`make test` runs everything; `make test-rapide` (pytest -m "not lent") leaves out the tests
marked `lent`: end-to-end runs with letters, real clients (LibreOffice), processes killed.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from chemins import EXEMPLE


@pytest.fixture
def campagne(tmp_path: Path) -> Path:
    """A copy of the example campagne, in `tmp_path / "campagne"`, to change at will."""
    dossier = tmp_path / "campagne"
    shutil.copytree(EXEMPLE, dossier)
    return dossier

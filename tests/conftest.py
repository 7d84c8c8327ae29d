"""Fixtures shared by the whole suite; the slow tests' mark.

`make test` runs everything; `make test-rapide` (pytest -m "not lent") leaves out the tests
marked `lent`: end-to-end runs with letters, real clients (LibreOffice), processes killed.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
from pathlib import Path

import pytest
from chemins import EXEMPLE

# The day of the run, for every run of the suite (campaign.calendrier.aujourdhui): after the
# example's and the demo's committee sessions (January and March 2027), within a year of the
# letters' dates the tests give (December 2026), whatever day the suite runs on.
JOUR = dt.date(2027, 6, 30)
os.environ["SOURCE_DATE_EPOCH"] = str(int(dt.datetime(2027, 6, 30, 12, tzinfo=dt.UTC).timestamp()))


@pytest.fixture
def campagne(tmp_path: Path) -> Path:
    """A copy of the example campagne, in `tmp_path / "campagne"`, to change at will."""
    dossier = tmp_path / "campagne"
    shutil.copytree(EXEMPLE, dossier)
    return dossier

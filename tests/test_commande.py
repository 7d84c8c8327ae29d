"""The `campaign` command's own process: pandera's optional hypothesis strategies (data made up
for tests) are not loaded by a run, even though `.venv` has hypothesis for the tests."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from chemins import EXEMPLE

COMMANDE = Path(sys.executable).parent / "campaign"


@pytest.mark.parametrize("lancement", ["module", "script"])
def test_a_run_validates_without_loading_hypothesis(tmp_path, lancement):
    pytest.importorskip("hypothesis")  # present: what the test is about
    dossier = tmp_path / "campagne"
    shutil.copytree(EXEMPLE, dossier)
    debut = [sys.executable, "-m", "campaign"] if lancement == "module" else [str(COMMANDE)]
    fait = subprocess.run(
        [*debut, "run", str(dossier), "--out", str(tmp_path / "s"), "--sans-courriers"],
        env={**os.environ, "PYTHONPROFILEIMPORTTIME": "1"},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert fait.returncode in (0, 1), fait.stderr[-2000:]
    importes = {ligne.rsplit("|", 1)[-1].strip() for ligne in fait.stderr.splitlines() if "|" in ligne}
    assert "pandera.backends.pandas.builtin_checks" in importes  # the dossiers were validated
    assert "hypothesis" not in importes  # a submodule only tried (pandera's try/except) would not load it

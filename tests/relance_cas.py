"""What the rerun tests share: the example campagne copied for each test, and the sentence a
rerun without change begins with."""

from __future__ import annotations

import shutil
from pathlib import Path

from chemins import EXEMPLE

RIEN = "Rien n'a changé depuis la dernière exécution"


def copier_exemple(tmp_path: Path) -> Path:
    """A copy of the example campagne, in `tmp_path / "campagne"`."""
    dossier = tmp_path / "campagne"
    shutil.copytree(EXEMPLE, dossier)
    return dossier

"""A workbook printed as LibreOffice prints it: converted to PDF by `soffice`, in French."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path


def imprimer(classeur: Path, dossier: Path) -> Path:
    """Convert `classeur` to PDF in `dossier` with its own LibreOffice profile; -> the PDF."""
    env = {**os.environ, "LC_ALL": "fr_FR.UTF-8", "LANG": "fr_FR.UTF-8"}
    subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation=file://{dossier}/profil",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(dossier),
            str(classeur),
        ],
        check=True,
        capture_output=True,
        timeout=240,
        env=env,
    )
    return dossier / (classeur.stem + ".pdf")

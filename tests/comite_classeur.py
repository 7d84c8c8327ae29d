"""Filling a committee workbook as a committee would, with openpyxl (helper for the tests)."""

from __future__ import annotations

import atexit
import functools
import shutil
import subprocess
import tempfile
from pathlib import Path

import openpyxl


def entetes(ws) -> dict[str, int]:
    """Header label -> column number (1-based) of the sheet Collectifs."""
    return {c.value: c.column for c in ws[1] if c.value}


def remplir(
    synthese: Path, sortie: Path, avis: dict[tuple[str, str], tuple[str, str]], modifier=None
) -> Path:
    """Write `avis[(fichier, code)] = (avis, commentaire)` in the Collectifs sheet of a copy of
    `synthese`; `modifier(ws, colonnes)` may then sort, add a column, retype a cell..."""
    wb = openpyxl.load_workbook(synthese)
    ws = wb["Collectifs"]
    col = entetes(ws)
    for ligne in range(2, ws.max_row + 1):
        cle = (ws.cell(ligne, col["Fichier"]).value, ws.cell(ligne, col["Collectif"]).value)
        if cle in avis:
            ws.cell(ligne, col["Avis du comité"]).value = avis[cle][0]
            ws.cell(ligne, col["Commentaire"]).value = avis[cle][1]
    if modifier:
        modifier(ws, col)
    sortie.parent.mkdir(parents=True, exist_ok=True)
    wb.save(sortie)
    return sortie


def reenregistrer(source: Path, format_: str, dossier: Path) -> Path:
    """Re-save `source` with LibreOffice as .ods or .xlsx in `dossier` (as a committee would).
    Skips the test without LibreOffice (.ci/run installs it, so CI runs these tests)."""
    if shutil.which("soffice") is None:
        import pytest

        pytest.skip("LibreOffice (soffice) absent : .ci/run l'installe")
    dossier.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation={_profil_libreoffice().as_uri()}",
            "--headless",
            "--convert-to",
            format_,
            "--outdir",
            str(dossier),
            str(source),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    return dossier / (source.stem + "." + format_)


@functools.cache
def _profil_libreoffice() -> Path:
    """One LibreOffice profile per test process (made once, it is slow to make), never in the
    campagne folder, removed when the process ends."""
    profil = Path(tempfile.mkdtemp(prefix="profil-lo-"))
    atexit.register(shutil.rmtree, profil, True)
    return profil

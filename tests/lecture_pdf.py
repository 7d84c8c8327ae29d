"""A PDF read back as a reader sees it: its text (pdftotext) and its pages as PNG (pdftoppm),
to compare two renderings of the same letter on meaning and on pixels."""

from __future__ import annotations

import subprocess
from pathlib import Path


def texte(contenu: bytes, dossier: Path, nom: str) -> str:
    """The PDF's text, as pdftotext extracts it (the PDF is kept in `dossier` as `nom`.pdf)."""
    (dossier / f"{nom}.pdf").write_bytes(contenu)
    return subprocess.run(
        ["pdftotext", str(dossier / f"{nom}.pdf"), "-"], check=True, capture_output=True, text=True
    ).stdout


def pixels(contenu: bytes, dossier: Path, nom: str) -> list[bytes]:
    """Each page of the PDF rendered to PNG at 60 dpi, in order."""
    (dossier / f"{nom}.pdf").write_bytes(contenu)
    subprocess.run(
        ["pdftoppm", "-png", "-r", "60", str(dossier / f"{nom}.pdf"), str(dossier / nom)], check=True
    )
    return [p.read_bytes() for p in sorted(dossier.glob(f"{nom}-*.png"))]

"""Saving a workbook reproducibly: the same content and date give the same bytes, so that a
rerun changes no file it need not change (the committee workbook, the blank dossier)."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from pathlib import Path

from openpyxl import Workbook
from openpyxl.writer.excel import ExcelWriter


def enregistrer_classeur(wb: Workbook, chemin: Path, quand: dt.datetime) -> None:
    """Save with fixed document and zip dates (openpyxl's own save would stamp the time)."""
    wb.properties.created = wb.properties.modified = quand
    wb.properties.creator = wb.properties.lastModifiedBy = "campaign"
    brut = io.BytesIO()
    ExcelWriter(wb, zipfile.ZipFile(brut, "w", zipfile.ZIP_DEFLATED)).save()
    sortie = io.BytesIO()
    with zipfile.ZipFile(brut) as source, zipfile.ZipFile(sortie, "w", zipfile.ZIP_DEFLATED) as cible:
        for info in source.infolist():
            entree = zipfile.ZipInfo(info.filename, date_time=quand.timetuple()[:6])
            entree.compress_type = zipfile.ZIP_DEFLATED
            entree.external_attr = 0o644 << 16
            cible.writestr(entree, source.read(info.filename))
    Path(chemin).write_bytes(sortie.getvalue())

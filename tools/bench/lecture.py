"""Intake of `make bench` beside its baselines, all in one process over the same files:

- the floor: unzip each sheet (and the shared strings) and parse its XML with
  `xml.etree.ElementTree.iterparse`, doing nothing with the cells: no reader can do less;
- python-calamine alone: every sheet to Python rows, no check, no mapping to fields;
- the naive intake a Caf analyst would write: `pandas.read_excel(engine="openpyxl")` of
  every sheet;
- the program's intake: `lire_fichier` (zip guard, calamine, the cells mapped to fields,
  reading anomalies), one process, then two processes as `campaign run` reads.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path
from xml.etree.ElementTree import iterparse

from tools.bench.mesure import Mesure, repeter


def plancher(chemins: list[Path]) -> int:
    """Unzip + bare XML parse of the sheets and shared strings; -> elements seen."""
    n = 0
    for chemin in chemins:
        with zipfile.ZipFile(chemin) as archive:
            for nom in archive.namelist():
                if nom.startswith("xl/worksheets/sheet") or nom == "xl/sharedStrings.xml":
                    with archive.open(nom) as flux:
                        for _ in iterparse(flux, events=("end",)):
                            n += 1
    return n


def calamine_seule(chemins: list[Path]) -> int:
    from python_calamine import CalamineWorkbook

    n = 0
    for chemin in chemins:
        classeur = CalamineWorkbook.from_filelike(io.BytesIO(chemin.read_bytes()))
        for nom in classeur.sheet_names:
            n += len(classeur.get_sheet_by_name(nom).to_python(skip_empty_area=False))
    return n


def naive(chemins: list[Path]) -> int:
    import pandas as pd

    n = 0
    for chemin in chemins:
        for table in pd.read_excel(chemin, sheet_name=None, header=None, engine="openpyxl").values():
            n += table.size
    return n


def programme(chemins: list[Path]) -> int:
    from campaign.lire.lecture import lire_fichier

    return sum(len(lire_fichier(c).feuilles) for c in chemins)


def mesurer(dossier: Path) -> dict[str, Mesure]:
    """Each intake over the folder's workbooks; `Mesure.durees` in seconds for all of them."""
    from campaign.run import pipeline

    chemins = sorted(dossier.glob("*.xlsx"))
    plancher(chemins[:5]), programme(chemins[:5])  # imports and first-use costs aside
    return {
        "plancher": repeter("unzip + XML (plancher)", lambda: plancher(chemins)),
        "calamine": repeter("python-calamine seule", lambda: calamine_seule(chemins)),
        "naive": repeter("pandas.read_excel + openpyxl", lambda: naive(chemins)),
        "programme": repeter("campaign, 1 processus", lambda: programme(chemins)),
        "programme_2": repeter("campaign, 2 processus", lambda: pipeline.lire(dossier)),
    }


def lignes(mesures: dict[str, Mesure], n: int) -> list[str]:
    """One line per intake: per file, ratio to the naive intake and to the floor."""
    naive_, plancher_ = mesures["naive"].mediane, mesures["plancher"].mediane
    sortie = []
    for m in mesures.values():
        sortie.append(
            f"  {m.nom:<32} {m.texte('ms', 1000 / n):>24} par fichier ; "
            f"{naive_ / m.mediane:5.1f} fois plus rapide que la lecture naïve, "
            f"{m.mediane / plancher_:4.2f} × le plancher"
        )
    return sortie

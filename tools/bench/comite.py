"""`make bench`: the committee step for 300 dossiers (target: under 1 s on top of the run).

A committee file covering every collectif (mostly the proposition, some departures and
postponements) is read back and applied: the time is that of `lire_comites` plus the
difference it makes to the decision stage.
"""

from __future__ import annotations

import datetime as dt
import time
from pathlib import Path

import openpyxl

from campaign.lire.seances import Seance


def mesurer(dossier: Path, sortie: Path) -> dict:
    """The committee step on the campagne `dossier` (bench.campagne), written to `sortie`."""
    from campaign.lire.campagne import charger_campagne
    from campaign.lire.comite import lire_comites
    from campaign.run import pipeline

    campagne_ = charger_campagne(dossier)
    lectures = pipeline.lire(dossier)
    tables, anomalies, etats = pipeline.valider(lectures)
    resultat = pipeline.decider(campagne_, lectures, tables, anomalies, etats)  # warm-up
    debut = time.perf_counter()
    pipeline.decider(campagne_, lectures, tables, anomalies, etats)
    sans = time.perf_counter() - debut
    pipeline.ecrire(resultat, sortie, courriers=False)
    wb = openpyxl.load_workbook(sortie / "synthese.xlsx")
    ws = wb["Collectifs"]
    col = {c.value: c.column for c in ws[1]}
    for r in range(2, ws.max_row + 1):
        accord = ws.cell(r, col["Décision"]).value == "ACCORD"
        avis, commentaire = ("Favorable", None) if accord else ("Défavorable", None)
        if r % 17 == 0:
            avis, commentaire = ("Défavorable" if accord else "Favorable"), "Motif du comité."
        elif r % 23 == 0:
            avis, commentaire = "Ajourné", "Bilan attendu."
        ws.cell(r, col["Avis du comité"]).value = avis
        ws.cell(r, col["Commentaire"]).value = commentaire
    (dossier / "comite").mkdir(exist_ok=True)
    wb.save(dossier / "comite" / "avis-bench.xlsx")
    seance = Seance(dt.date(2027, 1, 20), "comite/avis-bench.xlsx")
    debut = time.perf_counter()
    fichiers = lire_comites(dossier, (seance,))
    lire = time.perf_counter() - debut
    debut = time.perf_counter()
    resultat = pipeline.decider(campagne_, lectures, tables, anomalies, etats, fichiers)
    avec = time.perf_counter() - debut
    assert resultat.comite is not None
    return {
        "collectifs": len(resultat.comite.collectifs),
        "avis appliqués": resultat.comite.seances[0].appliques,
        "lecture du fichier du comité (s)": lire,
        "application des avis (s)": max(avec - sans, 0.0),
        "étape du comité en tout (s)": lire + max(avec - sans, 0.0),
    }

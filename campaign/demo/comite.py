"""The demo's committee file (`campaign demo`): the workbook the run gives the committee,
filled as a committee would, under `comite/` of the demo campagne, but not declared in its
campagne.toml, so that the analyst tries the committee step by adding the lines the README
shows. Deterministic: the same demo gives the same bytes.
"""

from __future__ import annotations

import datetime as dt
import random
import tempfile
from pathlib import Path

import openpyxl

from campaign.demo import inventaire
from campaign.ecrire.enregistrement import enregistrer_classeur
from campaign.ecrire.synthese.classeur import ecrire_synthese
from campaign.lire.campagne import charger_campagne

SEANCE = dt.date(2027, 1, 20)
NOM = f"comite/avis-{SEANCE.isoformat()}.xlsx"
MOTIFS_REFUS = (
    "Le projet ne distingue pas l'accompagnement de l'aide aux devoirs.",
    "Doublon avec le programme de réussite éducative du même quartier.",
)
MOTIF_DEROGATION = "Quartier prioritaire sans autre offre : dérogation accordée pour cette année."
MOTIF_AJOURNEMENT = "Le bilan de l'année précédente est attendu avant de se prononcer."


def _avis(rng: random.Random, decisions: list[str], dossiers: list[str]) -> list[tuple[str, str]]:
    """(avis, Commentaire) per row: mostly the proposition, a few departures, one postponement
    in a dossier whose other collectifs all get their avis (so that the walk-through of the
    README shows an AJOURNEMENT letter), and a sixth of the rows not examined yet (PROPOSITION
    letters after the session)."""
    avis = [("Favorable" if d == "ACCORD" else "Défavorable", "") for d in decisions]
    accords = [i for i, d in enumerate(decisions) if d == "ACCORD"]
    refus = [i for i, d in enumerate(decisions) if d == "REFUS"]
    choisis = rng.sample(accords, min(3, len(accords)))
    for i, motif in zip(choisis[:2], MOTIFS_REFUS):
        avis[i] = ("Défavorable", motif)
    ajourne = ""
    if len(choisis) == 3:
        avis[choisis[2]] = ("Ajourné", MOTIF_AJOURNEMENT)
        ajourne = dossiers[choisis[2]]
    if refus:
        avis[rng.choice(refus)] = ("Favorable", MOTIF_DEROGATION)
    for i in rng.sample(range(len(avis)), len(avis) // 6):  # not examined yet
        if avis[i][1] == "" and dossiers[i] != ajourne:
            avis[i] = ("", "")
    return avis


def ecrire_comite_demo(dossier: Path, seed: int = 2026) -> Path:
    """Write comite/avis-2027-01-20.xlsx in the demo campagne `dossier`; return its path."""
    from campaign.run import pipeline
    from campaign.run.lecteurs import non_dossiers

    campagne = charger_campagne(dossier)
    lectures = pipeline.lire(dossier, exclus=non_dossiers(campagne, dossier))
    tables, anomalies, etats = pipeline.valider(lectures)
    resultat = pipeline.decider(campagne, lectures, tables, anomalies, etats)
    with tempfile.TemporaryDirectory() as tmp:
        chemin = Path(tmp) / "synthese.xlsx"
        ecrire_synthese(resultat, chemin)
        wb = openpyxl.load_workbook(chemin)
    ws = wb["Collectifs"]
    col = {c.value: c.column for c in ws[1]}
    decisions = [ws.cell(r, col["Décision"]).value for r in range(2, ws.max_row + 1)]
    dossiers = [ws.cell(r, col["Fichier"]).value for r in range(2, ws.max_row + 1)]
    for r, (avis, commentaire) in enumerate(_avis(random.Random(seed), decisions, dossiers), start=2):
        ws.cell(r, col["Avis du comité"]).value = avis or None
        ws.cell(r, col["Commentaire"]).value = commentaire or None
    sortie = dossier / NOM
    demo = (dossier / inventaire.INVENTAIRE).is_file()  # the demo's folder lists it among its files
    if demo:
        inventaire.annoncer(dossier, [NOM])
    sortie.parent.mkdir(parents=True, exist_ok=True)
    debut = campagne.debut
    enregistrer_classeur(wb, sortie, dt.datetime(debut.year, debut.month, debut.day))
    if demo:
        inventaire.sceller(dossier, [NOM])
    return sortie

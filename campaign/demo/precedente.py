"""Last year's outputs for the demo campagne (arbitrage.md §3), written by the program itself.

Last year's dossiers are this year's operators with other budgets, less a few who are new this
year, plus a few who sent no dossier this year; the real run decides them, and its CSVs are
kept in the demo's folder for `[historique] precedente`. Deterministic: same seed, same bytes.
"""

from __future__ import annotations

import random
import shutil
import tempfile
from pathlib import Path

from campaign.demo import textes as T
from campaign.demo.saisie import remplir
from campaign.dossier_vierge.classeur import construire_dossier_vierge
from campaign.dossier_vierge.regles import consignes_de_l_annee
from campaign.ecrire.enregistrement import enregistrer_classeur

DOSSIER = "sorties-2025-2026"  # the folder `[historique] precedente` names
FICHIERS = ("dossiers.csv", "decisions.csv", "decisions_finales.csv")
NOUVEAUX = 5  # this year's operators who sent no dossier last year
PARTIS = 3  # last year's operators who sent none this year
VARIATIONS = (0.8, 0.9, 0.95, 1.0, 1.0, 1.05, 1.1, 1.2)  # last year's budget against this year's


def _budget(budget: dict, facteur: float) -> dict:
    return {k: round(v * facteur, 2) if isinstance(v, float) else v for k, v in budget.items()}


def ecrire_precedente(out: Path, fichiers, partis, annee: str, horodatage, seed: int) -> list[str]:
    """Decide last year's dossiers with the program and keep its CSVs in `out/DOSSIER`;
    `fichiers`: this year's plan (name, dossier, typed messily, defect); `partis`: dossiers of
    operators absent this year (the first PARTIS without a refusal). Return the paths written,
    relative to `out`."""
    from campaign.lire.campagne import charger_campagne
    from campaign.run import pipeline

    rng = random.Random(seed - 1)
    normaux = [(nom, d) for nom, d, _, defaut in fichiers if defaut is None]
    nouveaux = set(rng.sample(range(len(normaux)), min(NOUVEAUX, len(normaux))))
    anciens = [x for i, x in enumerate(normaux) if i not in nouveaux]
    finances = [(nom, d) for nom, d, *_ in partis if d["refus"] is None]  # funded last year
    anciens += [(f"ancien_{nom}", d) for nom, d in finances[:PARTIS]]
    consignes = consignes_de_l_annee(annee)
    with tempfile.TemporaryDirectory() as tmp:
        campagne = Path(tmp) / "campagne"
        campagne.mkdir()
        for nom, d in anciens:
            wb = construire_dossier_vierge(annee, consignes)
            remplir(wb, {**d, "budget": _budget(d["budget"], rng.choice(VARIATIONS))}, rng)
            enregistrer_classeur(wb, campagne / nom, horodatage)
        (campagne / "campagne.toml").write_text(
            T.CAMPAGNE_TOML.format(annee=annee, enveloppe=1_000_000, suite=""), "utf-8"
        )
        lectures = pipeline.lire(campagne)
        tables, anomalies, etats = pipeline.valider(lectures)
        resultat = pipeline.decider(charger_campagne(campagne), lectures, tables, anomalies, etats)
        pipeline.ecrire(resultat, Path(tmp) / "sorties", courriers=False)
        (out / DOSSIER).mkdir(exist_ok=True)
        for nom in FICHIERS:
            shutil.copyfile(Path(tmp) / "sorties" / nom, out / DOSSIER / nom)
    return [f"{DOSSIER}/{nom}" for nom in FICHIERS]

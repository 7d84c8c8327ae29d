"""Timing the letters for `make bench`: 300 cold letters, before and after, and a warm rerun.

- before: serial rendering with the system fonts (full DejaVu Sans), each letter's fonts cut
  by WeasyPrint itself (`sous_ensembles` left out);
- shipped: the Latin-cut fonts of templates/fonts and two processes (`courriers.produire`);
- warm: the same letters again with the cache filled: nothing is rendered.

The letters are the example campagne's, repeated with a varied reference so that each one
is a different letter (a different cache key, a different PDF).

    .venv/bin/python -m tools.bench.courriers [N]
"""

from __future__ import annotations

import contextlib
import copy
import datetime as dt
import os
import sys
import tempfile
import time
from pathlib import Path

from campaign.ecrire.courriers import rendu as courriers
from campaign.ecrire.courriers.vue import Lettre, lettres
from campaign.lire.campagne import charger_campagne
from campaign.run import courriers as courriers_run
from campaign.run import pipeline

EXEMPLE = Path(__file__).resolve().parents[2] / "tests" / "fixtures" / "exemple" / "campagne"
DATE = dt.date(2026, 11, 28)


def _lettres(dossier: Path, n: int) -> list[Lettre]:
    campagne = charger_campagne(dossier)
    lectures = pipeline.lire(dossier)
    tables, anomalies, etats = pipeline.valider(lectures)
    resultat = pipeline.decider(campagne, lectures, tables, anomalies, etats)
    modeles, _ = lettres(resultat, DATE)
    serie = []
    for i in range(n):
        m = modeles[i % len(modeles)]
        vue = copy.deepcopy(m.vue)
        vue["reference"]["fichier"] = f"{i:04d}-{m.fichier}"
        serie.append(Lettre(f"{i:04d}-{m.fichier}", f"{i:04d}-{m.nom_pdf}", vue, m.publipostage))
    return serie


def mesurer(n: int = 300, dossier: Path = EXEMPLE, processus: int = 2) -> dict:
    """-> seconds for n letters: serial with system fonts, shipped setup, warm rerun."""
    serie = _lettres(dossier, n)
    env = courriers.environnement()
    pages = [courriers.html(lettre.vue, env) for lettre in serie]
    courriers.pdf(pages[0])  # imports and first-use costs are not what is measured

    from campaign.ecrire.courriers.pdf import rendu as rendu_pdf

    gardes = rendu_pdf.sous_ensembles.gardes
    rendu_pdf.sous_ensembles.gardes = contextlib.nullcontext  # type: ignore[assignment]
    try:
        debut = time.perf_counter()
        for page in pages:
            courriers.pdf(page, polices=False)
        avant = time.perf_counter() - debut
    finally:
        rendu_pdf.sous_ensembles.gardes = gardes

    with tempfile.TemporaryDirectory() as nom_tmp:
        tmp = Path(nom_tmp)
        debut = time.perf_counter()
        _, rendus, _ = courriers_run.produire(serie, tmp / "froid", tmp / "cache", processus)
        livre = time.perf_counter() - debut
        debut = time.perf_counter()
        _, rendus_tiede, caches = courriers_run.produire(serie, tmp / "tiede", tmp / "cache", processus)
        tiede = time.perf_counter() - debut
    assert rendus == n and rendus_tiede == 0 and caches == n
    return {
        "courriers": n,
        "processus": processus,
        "coeurs": os.cpu_count(),
        "froid_serie_polices_systeme_s": round(avant, 2),
        "froid_livre_s": round(livre, 2),
        "rapport": round(avant / livre, 2),
        "tiede_s": round(tiede, 2),
        "par_courrier_serie_ms": round(1000 * avant / n),
        "par_courrier_livre_ms": round(1000 * livre / n),
    }


if __name__ == "__main__":
    for cle, valeur in mesurer(int(sys.argv[1]) if len(sys.argv) > 1 else 300).items():
        print(f"{cle:32} {valeur}")

"""`make bench`: how long each stage takes on generated campagnes of 300 and 3,000 dossiers.

The dossiers are the demo campagne's workbooks, copied with a fresh valid SIRET each, so
that none is a duplicate; they are generated once into .cache/bench/ and reused.
"""

from __future__ import annotations

import io
import random
import re
import shutil
import sys
import time
import zipfile
from pathlib import Path

CACHE = Path(".cache") / "bench"


def _siret(rng: random.Random) -> str:
    """A random SIRET with a valid Luhn key."""
    corps = [rng.randint(0, 9) for _ in range(13)]
    from campaign.valider.controles import luhn

    return next(s for cle in range(10) if luhn(s := "".join(map(str, corps + [cle]))))


def _copier_avec_siret(source: bytes, ancien: str, nouveau: str) -> bytes:
    entree, sortie = zipfile.ZipFile(io.BytesIO(source)), io.BytesIO()
    with zipfile.ZipFile(sortie, "w", zipfile.ZIP_DEFLATED) as z:
        for info in entree.infolist():
            data = entree.read(info)
            if info.filename.endswith(".xml"):
                data = data.replace(ancien.encode(), nouveau.encode())
            z.writestr(info, data)
    return sortie.getvalue()


def campagne(n: int) -> Path:
    """A folder of n valid dossiers (and the demo's campagne.toml), made once."""
    from campaign.outils.demo import ecrire_demo

    dossier = CACHE / f"campagne-{n}"
    if dossier.is_dir() and len(list(dossier.glob("*.xlsx"))) == n:
        return dossier
    modele = CACHE / "modele"
    if not modele.is_dir():
        ecrire_demo(modele, dossiers=60, seed=2026)
    sources = []
    for p in sorted(modele.glob("dossier_*.xlsx")):
        contenu = p.read_bytes()
        m = re.search(rb">(\d{14})<", zipfile.ZipFile(io.BytesIO(contenu)).read("xl/worksheets/sheet2.xml"))
        if m:
            sources.append((contenu, m.group(1).decode()))
    shutil.rmtree(dossier, ignore_errors=True)
    dossier.mkdir(parents=True)
    shutil.copy(modele / "campagne.toml", dossier / "campagne.toml")
    rng = random.Random(n)
    for i in range(n):
        contenu, ancien = sources[i % len(sources)]
        (dossier / f"dossier_{i:05d}.xlsx").write_bytes(_copier_avec_siret(contenu, ancien, _siret(rng)))
    return dossier


def _chrono(f, *args):
    debut = time.perf_counter()
    r = f(*args)
    return r, time.perf_counter() - debut


def lire_openpyxl(dossier: Path) -> int:
    """The same read done with openpyxl, every cell of every sheet, for the ratio."""
    import openpyxl

    n = 0
    for p in sorted(dossier.glob("*.xlsx")):
        wb = openpyxl.load_workbook(p, read_only=True, data_only=True)
        for ws in wb.worksheets:
            for ligne in ws.iter_rows(values_only=True):
                n += len(ligne)
        wb.close()
    return n


def processus_entier(dossier: Path, sortie: Path, courriers: bool = False) -> float:
    """`campaign run` as the analyst runs it, imports included."""
    import subprocess

    options = ["--date-courrier", "2026-11-28"] if courriers else ["--sans-courriers"]
    debut = time.perf_counter()
    subprocess.run([sys.executable, "-m", "campaign", "run", str(dossier), "--out", str(sortie),
                    *options], check=False, capture_output=True)
    return time.perf_counter() - debut


def bombe() -> float:
    """Time to refuse a 2 GB zip bomb renamed .xlsx."""
    from campaign.lire.lecture import lire_fichier

    chemin = CACHE / "bombe.xlsx"
    if not chemin.exists():
        with zipfile.ZipFile(chemin, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as z:
            with z.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as f:
                for _ in range(32):
                    f.write(bytes(64 << 20))
    lecture, duree = _chrono(lire_fichier, chemin)
    assert lecture.statut == "ILLISIBLE"
    return duree


def mesurer(n: int, openpyxl_aussi: bool = True) -> dict:
    from campaign import pipeline
    from campaign.lire.campagne import charger_campagne

    dossier = campagne(n)
    campagne_ = charger_campagne(dossier)
    lectures, t_lire = _chrono(pipeline.lire, dossier)
    (tables, anomalies, etats), t_valider = _chrono(pipeline.valider, lectures)
    resultat, t_decider = _chrono(pipeline.decider, campagne_, lectures, tables, anomalies, etats)
    sortie = CACHE / f"sortie-{n}"
    _, t_ecrire = _chrono(lambda: pipeline.ecrire(resultat, sortie, courriers=False))
    mesure = {"dossiers": n, "collectifs": len(resultat.decisions.collectifs),
              "lire": t_lire, "valider": t_valider, "decider": t_decider, "ecrire_sans_courriers": t_ecrire}
    mesure["processus_entier"] = processus_entier(dossier, sortie)
    if openpyxl_aussi:
        _, mesure["lire_un_processus"] = _chrono(lambda: pipeline.lire(dossier, processus=1))
        _, mesure["lire_openpyxl"] = _chrono(lire_openpyxl, dossier)
    return mesure


def envoi(n: int = 300) -> None:
    """campaign envoyer: n letters to an SMTP server on this machine, without rate limit."""
    try:
        from campaign.outils.bench_envoi import mesurer as mesurer_envoi

        m = mesurer_envoi(n)
    except ImportError:  # aiosmtpd is a test dependency
        print("\nEnvoi : non mesuré (aiosmtpd absent : make .venv/.installe installe les extras de test)")
        return
    print(f"\ncampaign envoyer, {n} courriers ({m['recus']} par courriel, {m['par_la_poste']} par la "
          f"poste) vers un serveur local sans cadence : {m['envoi']:.1f} s (cible 15 s) ; "
          f"essai : {m['essai']:.1f} s (cible 5 s)")


def hostiles() -> None:
    """The hostile set: each file read in a child process (time, peak memory), then the
    reader's fuzz test at length."""
    import os
    import subprocess
    import tempfile

    from campaign.outils.hostiles import RACINE, ensemble
    from campaign.outils.hostiles import mesurer as mesurer_un

    print("\nFichiers hostiles (chacun lu dans un processus à part ; bornes : 2 s, 300 Mo)")
    with tempfile.TemporaryDirectory() as tmp:
        for nom, chemin in ensemble(Path(tmp)).items():
            m = mesurer_un(chemin)
            print(f"  {nom:<40} {m.get('statut', '?'):<10} {m.get('secondes', 0):5.2f} s "
                  f"{m['mo']:6.0f} Mo  {' '.join(m.get('codes', []))}")
    exemples = os.environ.get("CAMPAIGN_FUZZ_EXEMPLES", "20000")
    debut = time.perf_counter()
    r = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
                        str(RACINE / "tests" / "lire" / "test_fuzz.py")], cwd=RACINE,
                       env={**os.environ, "CAMPAIGN_FUZZ_EXEMPLES": exemples}, capture_output=True, text=True)
    print(f"  fuzz du lecteur, {exemples} exemples par test : "
          f"{'réussi' if r.returncode == 0 else 'ÉCHEC'} en {time.perf_counter() - debut:.0f} s")
    if r.returncode:
        print(r.stdout[-3000:])


def main() -> int:
    debut = time.perf_counter()
    import campaign.pipeline  # noqa: F401  (the imports a run pays once)
    print(f"Import des bibliothèques : {time.perf_counter() - debut:.2f} s")
    for n in (300, 3000):
        m = mesurer(n, openpyxl_aussi=(n == 300))
        print(f"\n{n} dossiers ({m['collectifs']} collectifs)")
        print(f"  lecture (calamine, 2 processus) {m['lire']:7.2f} s")
        print(f"  validation (pandera)      {m['valider']:7.2f} s")
        print(f"  lecture + validation      {m['lire'] + m['valider']:7.2f} s")
        print(f"  décisions                 {m['decider']:7.2f} s")
        print(f"  CSV + synthèse            {m['ecrire_sans_courriers']:7.2f} s")
        print(f"  campaign run entier       {m['processus_entier']:7.2f} s (sans courriers, imports compris)")
        if "lire_openpyxl" in m:
            print(f"  lecture calamine, 1 processus {m['lire_un_processus']:7.2f} s")
            print(f"  lecture openpyxl, 1 processus {m['lire_openpyxl']:7.2f} s "
                  f"(calamine {m['lire_openpyxl'] / m['lire_un_processus']:.1f} fois plus rapide)")
    dossier, sortie = campagne(300), CACHE / "sortie-complete-300"
    shutil.rmtree(sortie.parent / ".cache", ignore_errors=True)
    froid = processus_entier(dossier, sortie, courriers=True)
    chaud = processus_entier(dossier, sortie, courriers=True)
    print(f"\ncampaign run entier, 300 dossiers avec leurs courriers : {froid:.1f} s à froid, "
          f"{chaud:.1f} s pour une relance sans changement")
    print(f"\nBombe zip de 2 Go refusée en {bombe() * 1000:.0f} ms")
    from campaign.outils.bench_comite import mesurer as mesurer_comite

    print("\nComité (300 dossiers)")
    for cle, valeur in mesurer_comite(campagne(300), CACHE / "sortie-comite-300").items():
        print(f"  {cle:<40} {valeur:.2f}" if isinstance(valeur, float) else f"  {cle:<40} {valeur}")
    hostiles()
    envoi()
    try:
        from campaign.outils.bench_courriers import mesurer as mesurer_courriers
    except ImportError:
        return 0
    print("\nCourriers (300)")
    for cle, valeur in mesurer_courriers(300).items():
        print(f"  {cle:<40} {valeur:.2f}" if isinstance(valeur, float) else f"  {cle:<40} {valeur}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

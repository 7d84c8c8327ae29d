"""`make bench`: how long each stage takes on generated campagnes of 300 and 3,000 dossiers.

Each figure is the median of three runs, with min and max, and the machine's load is shown;
intake is set beside its baselines measured in the same run (`bench_lecture`). At the end,
the README's « Rapidité » table in markdown (`bench_tableau`), to paste.

The dossiers are the demo campagne's workbooks, copied with a fresh valid SIRET each, so
that none is a duplicate; they are generated once into .cache/bench/ and reused.
"""

from __future__ import annotations

import io
import random
import re
import shutil
import subprocess
import sys
import time
import zipfile
from pathlib import Path

from tools.bench.mesure import Mesure, charge, interpreteur, repeter

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
    from campaign.demo.dossiers import ecrire_demo

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


def processus_entier(dossier: Path, sortie: Path, courriers: bool = False) -> None:
    """`campaign run` as the analyst runs it, imports included."""
    options = ["--date-courrier", "2026-11-28"] if courriers else ["--sans-courriers"]
    subprocess.run(
        [sys.executable, "-m", "campaign", "run", str(dossier), "--out", str(sortie), *options],
        check=False,
        capture_output=True,
    )


def _sans_cache(sortie: Path):
    """-> a function emptying the caches a run keeps beside `sortie` (letters, readings, the
    record of the last run: `campaign.run.relance`), so that nothing is reused."""
    return lambda: shutil.rmtree(sortie.parent / ".cache", ignore_errors=True)


def _un_dossier_change(dossier: Path):
    """-> a function changing one dossier of `dossier` before each run: the first one gets, in
    turn, two SIRETs other than its own (a rerun after one correction: one letter redone, every
    time, even when an interrupted bench left the file in one of those states)."""
    premier = sorted(dossier.glob("dossier_*.xlsx"))[0]
    contenu = premier.read_bytes()
    m = re.search(rb">(\d{14})<", zipfile.ZipFile(io.BytesIO(contenu)).read("xl/worksheets/sheet2.xml"))
    assert m is not None, premier
    rng = random.Random(1)
    autres = [s for s in (_siret(rng) for _ in range(3)) if s != m.group(1).decode()][:2]
    etats = [_copier_avec_siret(contenu, m.group(1).decode(), siret) for siret in autres]
    assert len(set(etats)) == 2 and contenu not in etats
    fois = iter(range(10**6))
    return lambda: premier.write_bytes(etats[next(fois) % 2])


def bombe() -> Path:
    """A 2 GB zip bomb renamed .xlsx, made once (not timed)."""
    chemin = CACHE / "bombe.xlsx"
    if not chemin.exists():
        with (
            zipfile.ZipFile(chemin, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as z,
            z.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as f,
        ):
            for _ in range(32):
                f.write(bytes(64 << 20))
    return chemin


def refuser_bombe(chemin: Path) -> None:
    from campaign.lire.lecture import lire_fichier

    assert lire_fichier(chemin).statut == "ILLISIBLE"


def etapes(n: int) -> dict[str, Mesure]:
    """Each stage in this process, three times: reading (2 processes), validation, decisions,
    CSV + workbook; then `campaign run` whole without letters, cold (imports included)."""
    from campaign.lire.campagne import charger_campagne
    from campaign.run import pipeline

    dossier, sortie = campagne(n), CACHE / f"sortie-{n}"
    campagne_ = charger_campagne(dossier)
    noms = {
        "lire": "lecture (2 processus)",
        "valider": "validation (pandera)",
        "decider": "décisions",
        "ecrire": "CSV + classeur du comité",
    }
    mesures = {k: Mesure(v) for k, v in noms.items()}
    for _ in range(3):
        debut = time.perf_counter()
        lectures = pipeline.lire(dossier)
        t1 = time.perf_counter()
        tables, anomalies, etats = pipeline.valider(lectures)
        t2 = time.perf_counter()
        resultat = pipeline.decider(campagne_, lectures, tables, anomalies, etats)
        t3 = time.perf_counter()
        pipeline.ecrire(resultat, sortie, courriers=False)
        t4 = time.perf_counter()
        for cle, duree in zip(noms, (t1 - debut, t2 - t1, t3 - t2, t4 - t3)):
            mesures[cle].durees.append(duree)
    mesures["collectifs"] = Mesure(str(len(resultat.decisions.collectifs)), [0.0])
    mesures["run"] = repeter(
        "campaign run entier, sans courriers",
        avant=_sans_cache(sortie),
        action=lambda: processus_entier(dossier, sortie),
    )
    return mesures


def avec_courriers() -> dict[str, Mesure]:
    """300 dossiers with their letters: cold (no cache at all), then a rerun without change."""
    dossier, sortie = campagne(300), CACHE / "sortie-complete-300"
    froid = repeter(
        "à froid", avant=_sans_cache(sortie), action=lambda: processus_entier(dossier, sortie, courriers=True)
    )
    chaud = repeter("relance sans changement", lambda: processus_entier(dossier, sortie, courriers=True))
    premier = sorted(dossier.glob("dossier_*.xlsx"))[0]
    contenu = premier.read_bytes()
    change = repeter(
        "relance après un dossier corrigé",
        avant=_un_dossier_change(dossier),
        action=lambda: processus_entier(dossier, sortie, courriers=True),
    )
    premier.write_bytes(contenu)  # the folder as generated
    return {"froid": froid, "chaud": chaud, "change": change}


def comite() -> Mesure:
    from tools.bench.comite import mesurer as mesurer_comite

    mesure = Mesure("étape du comité (lecture du fichier + application des avis)")
    for _ in range(3):
        r = mesurer_comite(campagne(300), CACHE / "sortie-comite-300")
        mesure.durees.append(float(r["étape du comité en tout (s)"]))
    return mesure


def envoi(n: int = 300) -> dict[str, Mesure] | None:
    """campaign envoyer: n letters to an SMTP server on this machine, without rate limit."""
    try:
        from tools.bench.envoi import mesurer as mesurer_envoi
    except ImportError:  # aiosmtpd is a test dependency
        return None
    mesures = {"envoi": Mesure("envoi"), "essai": Mesure("essai")}
    for _ in range(3):
        m = mesurer_envoi(n)
        mesures["envoi"].durees.append(float(m["envoi"]))
        mesures["essai"].durees.append(float(m["essai"]))
    return mesures


def hostiles() -> None:
    """The hostile set: each file read in a child process (time, peak memory), then the
    reader's fuzz test at length."""
    import os
    import subprocess
    import tempfile

    from tools.hostiles import RACINE, ensemble
    from tools.hostiles import mesurer as mesurer_un

    print("\nFichiers hostiles (chacun lu dans un processus à part ; bornes : 2 s, 300 Mo)")
    with tempfile.TemporaryDirectory() as tmp:
        for nom, chemin in ensemble(Path(tmp)).items():
            m = mesurer_un(chemin)
            print(
                f"  {nom:<40} {m.get('statut', '?'):<10} {m.get('secondes', 0):5.2f} s "
                f"{m['mo']:6.0f} Mo  {' '.join(m.get('codes', []))}"
            )
    exemples = os.environ.get("CAMPAIGN_FUZZ_EXEMPLES", "20000")
    debut = time.perf_counter()
    r = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:cacheprovider",
            str(RACINE / "tests" / "lire" / "test_fuzz.py"),
        ],
        cwd=RACINE,
        env={**os.environ, "CAMPAIGN_FUZZ_EXEMPLES": exemples},
        capture_output=True,
        text=True,
    )
    print(
        f"  fuzz du lecteur, {exemples} exemples par test : "
        f"{'réussi' if r.returncode == 0 else 'ÉCHEC'} en {time.perf_counter() - debut:.0f} s"
    )
    if r.returncode:
        print(r.stdout[-3000:])


def main() -> int:
    from tools.bench import lecture as bench_lecture
    from tools.bench import tableau as bench_tableau

    debut = time.perf_counter()
    import campaign.run.pipeline  # noqa: F401  (the imports a run pays once)

    print(f"Import des bibliothèques : {time.perf_counter() - debut:.2f} s")
    print(f"Au départ : {charge()} ; {interpreteur()}")
    resultats: dict[str, object] = {}
    lecture = bench_lecture.mesurer(campagne(300))
    resultats["lecture"] = lecture
    print("\nLecture de 300 dossiers, médiane de 3 (min–max), un fichier :")
    print("\n".join(bench_lecture.lignes(lecture, 300)))
    for n in (300, 3000):
        m = etapes(n)
        resultats[f"etapes_{n}"] = m
        print(f"\n{n} dossiers ({m['collectifs'].nom} collectifs) — {charge()}")
        for cle in ("lire", "valider", "decider", "ecrire", "run"):
            print(f"  {m[cle].nom:<40} {m[cle].texte():>22}")
    m = avec_courriers()
    resultats["courriers"] = m
    print(f"\ncampaign run entier, 300 dossiers avec leurs courriers — {charge()}")
    for cle in ("froid", "chaud", "change"):
        print(f"  {m[cle].nom:<40} {m[cle].texte():>22} ; calcul {m[cle].calcul:.1f} s (tous processus)")
    chemin_bombe = bombe()
    resultats["bombe"] = b = repeter("bombe", lambda: refuser_bombe(chemin_bombe))
    print(f"\nBombe zip de 2 Go refusée en {b.texte('ms', 1000)}")
    resultats["comite"] = c = comite()
    print(f"\nComité (300 dossiers) : {c.nom} {c.texte()}")
    e = envoi()
    if e is None:
        print("\nEnvoi : non mesuré (aiosmtpd absent : make .venv/.installe installe les extras de test)")
    else:
        resultats["envoi"] = e
        print(
            f"\ncampaign envoyer, 300 courriers vers un serveur local sans cadence : "
            f"{e['envoi'].texte()} ; essai : {e['essai'].texte()}"
        )
    hostiles()
    print(f"\nÀ la fin : {charge()} ; bench en {time.perf_counter() - debut:.0f} s")
    print("\nTableau « Rapidité » du README :\n")
    print(bench_tableau.markdown(resultats))
    return 0


if __name__ == "__main__":
    sys.exit(main())

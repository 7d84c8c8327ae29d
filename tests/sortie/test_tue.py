"""kill -9 at 20 random moments of runs on the 300-dossier demo: the output path always holds a
whole set, no worker survives its parent, the next run succeeds (issue 9, defect 10).

Each run changes the campagne a little (a copy of one dossier under a new name each time: a
rerun on an unchanged campagne does nothing), so that every run reads, decides and writes.
Six kills fall while letters render in a pool of workers (their cache emptied first: a cold
run), fourteen while the outputs are written: each waits for a stage to begin (the workers
alive; a CSV written in the new version folder), never for a duration, so that a slow or
loaded machine changes nothing. The seed is printed on failure; `CAMPAIGN_GRAINE=<seed>`
replays it.
"""

from __future__ import annotations

import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from ensembles import complet

from campaign.cli import main

pytestmark = pytest.mark.lent  # make test-rapide leaves it out

RACINE = Path(__file__).parents[2]
KILLS_COURRIERS, KILLS_ECRITURE = 6, 14
ETAPES_ECRITURE = ("dossiers.csv", "decisions.csv", "decisions_finales.csv", "anomalies.csv")


def _processus() -> list[tuple[int, int, int, str]]:
    """(pid, parent, process group, state) of every process (Linux /proc)."""
    trouves = []
    for entree in Path("/proc").iterdir():
        if entree.name.isdigit():
            try:
                champs = (entree / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            trouves.append((int(entree.name), int(champs[1]), int(champs[2]), champs[0]))
    return trouves


def _vivants(groupe: int) -> list[int]:
    """The processes of a process group that still run (a zombie waits to be reaped: it runs no more)."""
    return [pid for pid, _, g, etat in _processus() if g == groupe and etat not in ("Z", "X")]


def _travailleurs(pid: int) -> list[int]:
    return [p for p, parent, _, etat in _processus() if parent == pid and etat not in ("Z", "X")]


def _versions(out: Path, depuis: float = 0.0) -> set[str]:
    """The version folders beside `out`, made since the moment `depuis` (time.time()): a
    new run may reuse the name of a leftover it removed."""
    trouvees = set()
    for p in out.parent.iterdir():
        try:
            if p.name.startswith(f".{out.name}.v") and p.stat().st_ctime >= depuis:
                trouvees.add(p.name)
        except OSError:  # removed meanwhile
            continue
    return trouvees


def _lancer(commande: list[str]) -> subprocess.Popen:
    env = {**os.environ, "PYTHONPATH": str(RACINE)}
    return subprocess.Popen(
        commande, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env, start_new_session=True
    )


def _attendre(p: subprocess.Popen, out: Path, depuis: float, travailleurs: bool, contexte: str) -> float:
    """Wait for the stage: a new version folder (and, for the letters, workers alive);
    -> the moment it began. A run that ends first must have succeeded."""
    while True:
        if p.poll() is not None:
            assert p.returncode == 1, f"{contexte} : l'exécution a échoué (code {p.returncode})"
            return -1.0
        if _versions(out, depuis) and (not travailleurs or _travailleurs(p.pid)):
            return time.monotonic()
        time.sleep(0.01)


def _attendre_fichier(p: subprocess.Popen, out: Path, depuis: float, nom: str, contexte: str) -> bool:
    """Wait until the run has written `nom` in its new version folder; -> False when it ended first."""
    while True:
        if p.poll() is not None:
            assert p.returncode == 1, f"{contexte} : l'exécution a échoué (code {p.returncode})"
            return False
        if any((out.parent / v / nom).exists() for v in _versions(out, depuis)):
            return True
        time.sleep(0.005)


def _tuer(p: subprocess.Popen, contexte: str) -> bool:
    """SIGKILL the run alone (its workers must end by themselves); -> whether it was running."""
    if p.poll() is not None:
        assert p.returncode == 1, f"{contexte} : l'exécution a échoué (code {p.returncode})"
        return False
    p.send_signal(signal.SIGKILL)
    p.wait()
    limite = time.monotonic() + 5
    while _vivants(p.pid) and time.monotonic() < limite:
        time.sleep(0.05)
    survivants = _vivants(p.pid)
    if survivants:  # no orphan left to the machine when the test fails
        os.killpg(p.pid, signal.SIGKILL)
    assert not survivants, f"{contexte} : processus vivants après le kill : {survivants}"
    return True


def test_tue_a_vingt_moments(tmp_path):
    campagne, out = tmp_path / "campagne", tmp_path / "sortie"
    assert main(["demo", "--out", str(campagne), "--dossiers", "300", "--seed", "9"]) == 0
    base = [sys.executable, "-m", "campaign", "run", str(campagne), "--out", str(out)]
    base += ["--date-courrier", "2026-12-01"]
    source = sorted(campagne.glob("dossier_*.xlsx"))[0]
    p = _lancer(base + ["--sans-courriers"])  # a first whole set
    assert p.wait(timeout=300) == 1 and complet(out)
    graine = os.environ.get("CAMPAIGN_GRAINE", str(time.time_ns()))
    hasard = random.Random(graine)
    genres = ["courriers"] * KILLS_COURRIERS + ["ecriture"] * KILLS_ECRITURE
    hasard.shuffle(genres)
    tues = {"courriers": 0, "ecriture": 0}
    for i, genre in enumerate(genres):
        for copie in campagne.glob("zz_copie_*.xlsx"):  # each run's campagne is new (a rerun on an
            copie.unlink()  # unchanged one does nothing): it reads, decides and writes
        shutil.copy(source, campagne / f"zz_copie_{i}.xlsx")
        if genre == "courriers":
            shutil.rmtree(tmp_path / ".cache" / "courriers", ignore_errors=True)
            moment = f"{hasard.uniform(0.0, 1.0):.2f}"  # seconds into 300 letters' rendering
        else:
            moment = hasard.choice(ETAPES_ECRITURE)
        contexte = f"graine {graine}, kill n° {i + 1} ({genre}, à « {moment} »)"
        time.sleep(0.2)  # the leftovers of the last run are older than this run's folder
        depuis = time.time() - 0.1  # the file system's clock may lag a little
        p = _lancer(base + ([] if genre == "courriers" else ["--sans-courriers"]))
        if _attendre(p, out, depuis, genre == "courriers", contexte) < 0:
            continue
        if genre == "courriers":
            time.sleep(float(moment))
        elif not _attendre_fichier(p, out, depuis, moment, contexte):
            continue
        ouvriers = _travailleurs(p.pid)
        if _tuer(p, contexte):
            tues[genre] += 1
            assert genre == "ecriture" or ouvriers, f"{contexte} : aucun travailleur au moment du kill"
        assert complet(out), f"{contexte} : la sortie n'est pas un ensemble complet"
    assert tues["courriers"] >= 1 and tues["ecriture"] >= 1, (graine, tues)  # the test killed runs
    for copie in campagne.glob("zz_copie_*.xlsx"):
        copie.unlink()
    assert main(base[3:] + ["--sans-courriers"]) == 1 and complet(out)  # the next run succeeds
    assert "zz_copie" not in (out / "dossiers.csv").read_text(encoding="utf-8")  # and did run
    assert _versions(out) == {os.readlink(out)}  # the leftovers of the killed runs are gone

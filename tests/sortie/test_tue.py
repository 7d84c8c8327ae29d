"""kill -9 at 20 random moments of a run: the output path always holds a whole set, no worker
survives its parent, the next run succeeds (issue 9, defect 10)."""

from __future__ import annotations

import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

from ensembles import complet

from campaign.cli import main

RACINE = Path(__file__).parents[2]


def _enfants(pid: int) -> list[int]:
    """The processes whose parent is `pid` (Linux /proc)."""
    trouves = []
    for entree in Path("/proc").iterdir():
        if entree.name.isdigit():
            try:
                champs = (entree / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(champs[1]) == pid:
                trouves.append(int(entree.name))
    return trouves


def _mort(pid: int) -> bool:
    try:
        etat = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return True
    return etat in ("Z", "X")  # a zombie waits for its new parent to reap it: it runs no more


def _tuer_pendant(commande: list[str], delai: float) -> list[int]:
    """Start the run, SIGKILL it after `delai` s; -> the workers it had then."""
    env = {**os.environ, "PYTHONPATH": str(RACINE)}
    p = subprocess.Popen(commande, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    fin = time.monotonic() + delai
    travailleurs: set[int] = set()
    while time.monotonic() < fin and p.poll() is None:
        travailleurs.update(_enfants(p.pid))
        time.sleep(0.02)
    p.send_signal(signal.SIGKILL)
    p.wait()
    return sorted(travailleurs)


def test_tue_a_vingt_moments(tmp_path):
    campagne, out = tmp_path / "campagne", tmp_path / "sortie"
    assert main(["demo", "--out", str(campagne), "--dossiers", "60", "--seed", "9"]) == 0
    base = [
        sys.executable,
        "-m",
        "campaign",
        "run",
        str(campagne),
        "--out",
        str(out),
        "--date-courrier",
        "2026-12-01",
    ]
    assert main(base[3:] + ["--sans-courriers"]) == 1  # a first whole set
    hasard = random.Random(os.environ.get("CAMPAIGN_GRAINE", str(time.time_ns())))
    vus = 0
    for i in range(20):
        avec_courriers = i % 5 == 4  # four kills while letters render in a pool of workers
        if avec_courriers:
            shutil.rmtree(tmp_path / ".cache", ignore_errors=True)
        delai = hasard.uniform(0.3, 6.0 if avec_courriers else 2.0)
        travailleurs = _tuer_pendant(base + ([] if avec_courriers else ["--sans-courriers"]), delai)
        vus += len(travailleurs)
        assert complet(out), f"tué après {delai:.2f} s : la sortie n'est pas un ensemble complet"
        limite = time.monotonic() + 3
        while not all(_mort(t) for t in travailleurs) and time.monotonic() < limite:
            time.sleep(0.05)
        assert all(_mort(t) for t in travailleurs), f"tué après {delai:.2f} s : {travailleurs} vivants"
    assert main(base[3:]) == 1 and complet(out)
    assert (out / "publipostage.csv").is_file()
    versions = [p.name for p in tmp_path.iterdir() if p.name.startswith(".sortie.v")]
    assert versions == [os.readlink(out)]  # the leftovers of the killed runs are gone
    assert vus > 0  # some kills did fall while workers ran

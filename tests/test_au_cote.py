"""Work done beside the run (`processus.AuCote`): its result and its effects seen by the caller,
its error raised as it was raised there, nothing left running when the caller stops it; done
in the caller's process where a fork is not safe (other threads alive)."""

from __future__ import annotations

import errno
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from campaign.run.processus import AuCote

RACINE = Path(__file__).parents[1]
linux = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="done at once where there is no fork")


def _processus_neuf(code: str) -> list[str]:
    """Run `code` in a new Python (no thread left by another test): its printed lines."""
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, cwd=RACINE)
    assert r.returncode == 0, r.stderr
    return r.stdout.split()


@linux
def test_the_work_is_done_in_another_process_and_its_result_comes_back(tmp_path: Path):
    sortie = _processus_neuf(
        "import os\nfrom pathlib import Path\nfrom campaign.run.processus import AuCote\n"
        f"f = Path({str(tmp_path / 'fait.txt')!r})\n"
        "cote = AuCote(lambda: (f.write_text('fait'), os.getpid())[1])\n"
        "print(cote.pid is not None, cote.attendre() != os.getpid(), f.read_text())\n"
    )
    assert sortie == ["True", "True", "fait"]


@linux
def test_its_error_is_raised_as_it_came():
    sortie = _processus_neuf(
        "import errno\nfrom campaign.run.processus import AuCote\n"
        "def plein():\n    raise OSError(errno.ENOSPC, 'No space left on device', '/s/synthese.xlsx')\n"
        "cote = AuCote(plein)\nassert cote.pid is not None\n"
        "try:\n    cote.attendre()\n"
        "except OSError as exc:\n    print(exc.errno == errno.ENOSPC, exc.filename)\n"
    )
    assert sortie == ["True", "/s/synthese.xlsx"]


@linux
def test_stopped_it_leaves_no_process():
    sortie = _processus_neuf(
        "import os, time\nfrom campaign.run.processus import AuCote\n"
        "r, w = os.pipe()\n"
        "cote = AuCote(lambda: (os.write(w, b'x'), time.sleep(60)))\n"
        "os.read(r, 1)  # the work has begun\n"
        "pid = cote.pid\ncote.arreter()\n"
        "try:\n    os.kill(pid, 0)\nexcept ProcessLookupError:\n    print('fini')\n"
        "cote.attendre()  # nothing left to wait for\nprint('rien')\n"
    )
    assert sortie == ["fini", "rien"]


@linux
def test_a_block_that_fails_before_waiting_kills_it():
    sortie = _processus_neuf(
        "import os, time\nfrom campaign.run.processus import AuCote\n"
        "r, w = os.pipe()\n"
        "try:\n"
        "    with AuCote(lambda: (os.write(w, b'x'), time.sleep(60))) as cote:\n"
        "        pid = cote.pid\n        os.read(r, 1)  # the work has begun\n"
        "        raise ValueError('plus loin')\n"
        "except ValueError:\n    pass\n"
        "try:\n    os.kill(pid, 0)\nexcept ProcessLookupError:\n    print('fini')\n"
        "with AuCote(lambda: 42) as cote:\n    print(cote.attendre())\n"
    )
    assert sortie == ["fini", "42"]


def test_with_other_threads_it_is_done_here_and_its_error_raised_when_waited_for():
    arret = threading.Event()
    fil = threading.Thread(target=arret.wait)
    fil.start()
    try:
        cote = AuCote(lambda: (_ for _ in ()).throw(OSError(errno.ENOSPC, "plein")))
        assert cote.pid is None  # never forked beside another thread
        with pytest.raises(OSError) as exc:
            cote.attendre()
        assert exc.value.errno == errno.ENOSPC
        assert AuCote(lambda: 42).attendre() == 42
    finally:
        arret.set()
        fil.join()


VALIDATION = """
from pathlib import Path
from campaign.run import pipeline
from campaign.run import processus
forks = []
class Espion(processus.AuCote):
    def __init__(self, travail):
        super().__init__(travail)
        forks.append(self.pid is not None)
pipeline.AuCote = Espion
lectures = pipeline.lire(Path("tests/fixtures/exemple/campagne"))
tables, anomalies, etats = pipeline.valider(lectures)  # the example is small: all here
pipeline.SEUIL_PARALLELE = 1  # Porteur and Budget beside
tables_cote, anomalies_cote, etats_cote = pipeline.valider(lectures)
assert forks == [True], forks
assert list(tables_cote) == list(tables) and anomalies_cote == anomalies and etats_cote == etats
assert any(a.feuille == "Budget" for a in anomalies)  # anomalies from beside, in their place
for feuille, table in tables.items():
    for cadre in ("valeurs", "brut", "cellules", "etats", "noms_feuilles"):
        assert getattr(tables_cote[feuille], cadre).equals(getattr(table, cadre)), (feuille, cadre)
print("identiques")
"""


@linux
def test_validation_beside_gives_the_same_tables_and_anomalies():
    assert _processus_neuf(VALIDATION) == ["identiques"]

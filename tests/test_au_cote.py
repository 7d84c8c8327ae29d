"""Work done beside the run (`processus.AuCote`): its effects seen by the caller, its error
raised as it was raised there, and nothing left running when the caller stops it."""

from __future__ import annotations

import errno
import os
import sys
import time
from pathlib import Path

import pytest

from campaign.processus import AuCote


def test_the_work_is_done_and_waited_for(tmp_path: Path):
    fichier = tmp_path / "fait.txt"
    cote = AuCote(lambda: fichier.write_text("fait", encoding="utf-8"))
    cote.attendre()
    assert fichier.read_text(encoding="utf-8") == "fait"


def test_its_error_is_raised_as_it_came(tmp_path: Path):
    def disque_plein() -> None:
        raise OSError(errno.ENOSPC, "No space left on device", str(tmp_path / "synthese.xlsx"))

    cote = AuCote(disque_plein)
    with pytest.raises(OSError) as exc:
        cote.attendre()
    assert exc.value.errno == errno.ENOSPC and exc.value.filename == str(tmp_path / "synthese.xlsx")


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="done at once where there is no fork")
def test_stopped_it_leaves_no_process(tmp_path: Path):
    pid_fichier = tmp_path / "pid"

    ici = os.getpid()

    def long() -> None:
        pid_fichier.write_text(str(os.getpid()), encoding="utf-8")
        if os.getpid() != ici:  # done here (a thread left by another test): the assert below says so
            time.sleep(60)

    cote = AuCote(long)
    limite = time.monotonic() + 10
    while (
        not (pid_fichier.exists() and pid_fichier.read_text(encoding="utf-8")) and time.monotonic() < limite
    ):
        time.sleep(0.01)
    pid = int(pid_fichier.read_text(encoding="utf-8"))
    assert pid != os.getpid()
    cote.arreter()
    with pytest.raises(ProcessLookupError):
        os.kill(pid, 0)  # killed and reaped: no such process
    cote.attendre()  # nothing left to wait for


def test_validation_beside_gives_the_same_tables_and_anomalies(monkeypatch):
    from campaign import pipeline

    lectures = pipeline.lire(Path(__file__).parent / "fixtures" / "exemple" / "campagne")
    tables, anomalies, etats = pipeline.valider(lectures)  # the example is small: all here
    monkeypatch.setattr(pipeline, "SEUIL_PARALLELE", 1)  # Porteur and Budget beside
    tables_cote, anomalies_cote, etats_cote = pipeline.valider(lectures)
    assert list(tables_cote) == list(tables) and anomalies_cote == anomalies and etats_cote == etats
    assert any(a.feuille == "Budget" for a in anomalies)  # anomalies from beside, in their place
    for feuille, table in tables.items():
        autre = tables_cote[feuille]
        for cadre in ("valeurs", "brut", "cellules", "etats", "noms_feuilles"):
            assert getattr(autre, cadre).equals(getattr(table, cadre)), (feuille, cadre)

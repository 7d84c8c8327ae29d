"""The run's workers: one pool for reading and letters, warmed up in the background."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from campaign.run.atelier import Atelier


def _pid(_: object) -> int:
    return os.getpid()


def _noter(dossier: str) -> None:
    time.sleep(0.2)  # long enough for each worker to take one warm-up
    (Path(dossier) / str(os.getpid())).write_text("prêt", encoding="utf-8")


def _echouer(x: int) -> int:
    if x == 3:
        raise ValueError("trois")
    return x * x


def test_map_keeps_the_order_and_uses_the_workers():
    with Atelier(2) as atelier:
        assert list(atelier.map(_echouer, [0, 1, 2, 4, 5])) == [0, 1, 4, 16, 25]
        pids = set(atelier.map(_pid, range(40)))
    assert os.getpid() not in pids and 1 <= len(pids) <= 2


def test_the_warm_up_runs_once_in_each_worker_after_the_work_already_queued(tmp_path):
    with Atelier(2) as atelier:
        pids = set(atelier.map(_pid, range(4)))
        atelier.preparer(_noter, str(tmp_path))
        apres = set(atelier.map(_pid, range(20)))  # queued behind the warm-ups
        notes = {int(p.name) for p in tmp_path.iterdir()}
    assert len(notes) == 2 and apres <= notes and pids <= notes


def test_an_error_in_a_task_reaches_the_caller_and_the_pool_ends():
    atelier = Atelier(2)
    with pytest.raises(ValueError, match="trois"), atelier:
        list(atelier.map(_echouer, range(6)))
    assert atelier._pool is None


def test_one_process_submits_nothing(tmp_path):
    with Atelier(1) as atelier:
        atelier.preparer(_noter, str(tmp_path))
        assert not atelier.parallele and atelier._pool is None
    assert list(tmp_path.iterdir()) == []


def test_closed_early_its_workers_end_and_new_ones_come_for_more_work():
    with Atelier(2) as atelier:
        avant = set(atelier.map(_pid, range(8)))
        atelier.fermer()  # a run without letters: nothing more for them
        assert atelier._pool is None
        for pid in avant:  # ended and reaped
            with pytest.raises(ProcessLookupError):
                os.kill(pid, 0)
        apres = set(atelier.map(_pid, range(8)))
    assert apres and not avant & apres

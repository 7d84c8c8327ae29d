"""The lock on an output folder (run, envoyer) and on the journal: real processes."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from campaign.erreurs import CampaignError
from campaign.run.verrou import Verrou, verrou_sortie


def test_taken_and_released(tmp_path):
    v = verrou_sortie(tmp_path / "sortie", "campaign run")
    with v:
        info = json.loads(v.chemin.read_text(encoding="utf-8"))
        assert v.chemin == tmp_path / ".sortie.verrou"
        assert info["pid"] == os.getpid() and info["commande"] == "campaign run"
        with pytest.raises(CampaignError) as exc:
            verrou_sortie(tmp_path / "sortie", "campaign envoyer").prendre()
        assert exc.value.code == 2
        assert f"processus {os.getpid()}" in str(exc.value) and "campaign run" in str(exc.value)
    assert not v.chemin.exists()
    with verrou_sortie(tmp_path / "sortie", "campaign envoyer"):
        pass


def test_held_by_a_living_process(tmp_path):
    chemin = tmp_path / ".x.verrou"
    enfant = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])
    try:
        chemin.write_text(
            json.dumps(
                {"pid": enfant.pid, "commande": "campaign envoyer", "debut": "2026-11-28T10:00:00+00:00"}
            )
        )
        with pytest.raises(CampaignError, match=str(enfant.pid)):
            Verrou(chemin, "campaign run", "Le dossier x").prendre()
    finally:
        enfant.kill()
        enfant.wait()
    # its process is dead now: the lock is stale and taken over
    with Verrou(chemin, "campaign run", "Le dossier x"):
        assert json.loads(chemin.read_text())["pid"] == os.getpid()
    assert not chemin.exists()


def test_run_refuses_a_locked_output_folder(tmp_path, capsys):
    from pathlib import Path

    from campaign.cli import main

    exemple = Path(__file__).parent / "fixtures" / "exemple" / "campagne"
    with verrou_sortie(tmp_path / "s", "campaign envoyer"):
        rc = main(["run", str(exemple), "--out", str(tmp_path / "s"), "--sans-courriers"])
    assert rc == 2
    assert "campaign envoyer" in capsys.readouterr().err
    assert not (tmp_path / "s").exists()

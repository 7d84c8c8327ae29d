"""The progress of the long stages: drawn on a terminal (a pseudo-terminal here), nothing at
all written into a file or a pipe."""

from __future__ import annotations

import io
import os
import pty
import re
import select
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from chemins import EXEMPLE

from campaign.cli import main
from campaign.run.console import quelques
from campaign.run.progression import Progression

pytestmark = pytest.mark.lent  # make test-rapide leaves it out


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_nothing_is_written_into_a_file_or_a_pipe():
    flux = io.StringIO()
    with Progression("Lecture des dossiers", 3, flux) as p:
        for _ in range(3):
            p.avancer()
    with Progression("Classeur du comité", None, flux):
        pass
    assert flux.getvalue() == ""


def test_a_terminal_sees_the_stage_and_its_count():
    flux = Terminal()
    with Progression("Courriers", 3, flux) as p:
        for _ in range(3):
            p.avancer()
    texte = re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", flux.getvalue())
    assert "Courriers" in texte and "3/3" in texte


def test_a_run_into_a_pipe_writes_only_its_summary(tmp_path, capsys):
    dossier = tmp_path / "campagne"
    shutil.copytree(EXEMPLE, dossier)
    main(["run", str(dossier), "--out", str(tmp_path / "s"), "--sans-courriers"])
    capture = capsys.readouterr()
    assert capture.err == ""
    assert capture.out.startswith("Campagne ")


def _sous_un_terminal(commande: list[str], cwd: Path) -> str:
    """Run `commande` with stdin, stdout and stderr on a pseudo-terminal; -> what it drew."""
    maitre, esclave = pty.openpty()
    proc = subprocess.Popen(
        commande,
        stdin=esclave,
        stdout=esclave,
        stderr=esclave,
        cwd=cwd,
        env={**os.environ, "COLUMNS": "120", "TERM": "xterm"},
    )
    os.close(esclave)
    morceaux = []
    while True:
        prets, _, _ = select.select([maitre], [], [], 120)
        if not prets:
            break
        try:
            morceau = os.read(maitre, 65536)
        except OSError:  # the child closed the terminal
            break
        if not morceau:
            break
        morceaux.append(morceau)
    proc.wait(timeout=120)
    os.close(maitre)
    return re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", b"".join(morceaux).decode("utf-8", "replace"))


def test_a_run_in_a_terminal_shows_reading_letters_and_workbook(tmp_path):
    """The workbook is written while the workers render the letters: said on the letters' bar."""
    dossier = tmp_path / "campagne"
    shutil.copytree(EXEMPLE, dossier)
    texte = _sous_un_terminal(
        [
            sys.executable,
            "-m",
            "campaign",
            "run",
            str(dossier),
            "--out",
            str(tmp_path / "s"),
            "--date-courrier",
            "2026-11-28",
        ],
        tmp_path,
    )
    lettres = len(list((tmp_path / "s" / "courriers").glob("*.pdf")))
    assert lettres > 0
    assert re.search(r"Lecture des dossiers.*\d+/\d+", texte)
    assert re.search(rf"Courriers.*{lettres}/{lettres}", texte)
    assert re.search(r"Courriers.*et, en même temps, le classeur du comité", texte)
    assert "Campagne " in texte  # and the summary after them


def test_without_letters_to_render_the_workbook_has_its_own_bar(tmp_path):
    dossier = tmp_path / "campagne"
    shutil.copytree(EXEMPLE, dossier)
    commande = [sys.executable, "-m", "campaign", "run", str(dossier), "--out", str(tmp_path / "s")]
    texte = _sous_un_terminal([*commande, "--sans-courriers"], tmp_path)
    assert "Classeur du comité" in texte and "Courriers" not in texte
    _sous_un_terminal([*commande, "--date-courrier", "2026-11-28"], tmp_path)
    (dossier / "autre.txt").write_text("un fichier de plus, aucun courrier changé")
    texte = _sous_un_terminal([*commande, "--date-courrier", "2026-11-28"], tmp_path)
    assert "Classeur du comité" in texte  # every letter from the cache: the workbook on its own
    assert not re.search(r"Courriers.*\d+/\d+", texte)


def test_a_long_list_of_files_is_cut():
    noms = [f"f{i}.xlsx" for i in range(40)]
    assert quelques(noms) == "f0.xlsx, f1.xlsx, f2.xlsx, f3.xlsx, f4.xlsx et 35 autres (voir anomalies.csv)"
    assert quelques(noms[:6]) == ", ".join(noms[:6])

"""`make bench`'s figures: the CPU time of a timed run counts the processes it waited for, and
the README's table shows it beside the wall time."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tools.bench import tableau as bench_tableau
from tools.bench.mesure import Mesure, interpreteur, repeter

RACINE = Path(__file__).resolve().parents[2]
BRULER = "import time\nt = time.process_time()\nwhile time.process_time() - t < 0.3: pass"


def test_cpu_of_a_child_process_is_counted():
    m = repeter("enfant", lambda: subprocess.run([sys.executable, "-c", BRULER], check=True), fois=2)
    assert len(m.calculs) == 2
    assert all(c >= 0.3 for c in m.calculs)  # the child's 0.3 s, not this process's waiting


def _mesure(secondes: float, calcul: float = 0.0) -> Mesure:
    return Mesure("x", [secondes, secondes * 0.9, secondes * 1.1], 0.5, [calcul] * 3)


def test_readme_table_has_the_cpu_of_the_cold_run():
    etapes = {k: _mesure(1.0) for k in ("lire", "valider", "decider", "ecrire", "run")}
    etapes["collectifs"] = Mesure("731", [0.0])
    resultats = {
        "etapes_300": etapes,
        "etapes_3000": etapes,
        "lecture": {k: _mesure(1.0) for k in ("plancher", "calamine", "naive", "programme", "programme_2")},
        "courriers": {"froid": _mesure(24.1, 47.3), "chaud": _mesure(0.16, 0.2), "change": _mesure(2.7, 4.1)},
        "bombe": _mesure(0.02),
        "comite": _mesure(0.16),
    }
    texte = bench_tableau.markdown(resultats)
    assert "| à froid, sans aucun cache (objectif : 20 s) | **24,1 s** (21,7–26,5) | 47,3 s |" in texte
    assert f"Python {sys.version.split()[0]}" in texte
    assert str(RACINE) not in texte  # no path of the machine that measured


def test_the_interpreter_is_named_relative_to_the_project(monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(sys, "executable", str(tmp_path / ".venv" / "bin" / "python"))
    assert interpreteur() == f"Python {sys.version.split()[0]} (.venv/bin/python)"
    monkeypatch.setattr(sys, "executable", "/usr/bin/python3.11")
    assert interpreteur() == f"Python {sys.version.split()[0]} (python3.11)"

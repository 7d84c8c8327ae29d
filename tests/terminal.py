"""`python -m campaign …` in a process of its own, on a terminal of a given kind (issue 23):
its environment says the encoding, and its stdout may be a pipe nobody reads any more."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

RACINE = Path(__file__).parents[1]

# the environment of each kind of terminal, and the encoding its output is in
TERMINAUX = {
    "ascii": ({"PYTHONIOENCODING": "ascii"}, "ascii"),
    "cp1252": ({"PYTHONIOENCODING": "cp1252"}, "cp1252"),
    "latin-1": ({"PYTHONIOENCODING": "latin-1"}, "latin-1"),
    "LANG=C": ({"LANG": "C", "LC_ALL": "C", "PYTHONCOERCECLOCALE": "0", "PYTHONUTF8": "0"}, "ascii"),
    "utf-8": ({"PYTHONUTF8": "1"}, "utf-8"),
}


def campaign(args: list[str], env: dict[str, str], ferme: bool = False) -> subprocess.CompletedProcess:
    """`python -m campaign ARGS` under `env`; `ferme`: its stdout a pipe nobody reads any more."""
    environnement = {k: v for k, v in os.environ.items() if not k.startswith(("LC_", "PYTHONIO"))}
    environnement.update(env)
    lecture, ecriture = os.pipe()
    if ferme:
        os.close(lecture)
    try:
        return subprocess.run(
            [sys.executable, "-m", "campaign", *args],
            cwd=RACINE,
            stdout=ecriture if ferme else subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=environnement,
            timeout=600,
        )
    finally:
        os.close(ecriture)
        if not ferme:
            os.close(lecture)

"""The house's shape, checked: layers (import-linter), no import cycle, modules of at most
300 lines, and a sentence for every code the program can emit."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import grimp

RACINE = Path(__file__).parents[1]
PAQUET = RACINE / "campaign"


def test_les_couches_du_pipeline_sont_respectees():
    lint = Path(sys.executable).parent / "lint-imports"
    r = subprocess.run([str(lint), "--no-cache"], cwd=RACINE, capture_output=True, text=True)
    assert r.returncode == 0, r.stdout + r.stderr


def test_aucun_import_circulaire():
    graphe = grimp.build_graph("campaign", cache_dir=None)
    etat: dict[str, int] = {}
    cycles: list[list[str]] = []

    def visiter(module: str, chemin: list[str]) -> None:
        etat[module] = 1
        for suivant in sorted(graphe.find_modules_directly_imported_by(module)):
            if etat.get(suivant) == 1:
                cycles.append(chemin[chemin.index(suivant) :] + [suivant])
            elif suivant not in etat:
                visiter(suivant, chemin + [suivant])
        etat[module] = 2

    for module in sorted(graphe.modules):
        if module not in etat:
            visiter(module, [module])
    assert cycles == []


def test_modules_de_300_lignes_au_plus():
    longs = {
        str(p.relative_to(RACINE)): n
        for p in PAQUET.rglob("*.py")
        if (n := len(p.read_text(encoding="utf-8").splitlines())) > 300
    }
    assert longs == {}

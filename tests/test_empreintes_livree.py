"""The shipped campagne's outputs, byte for byte: a restructuring must not move one byte.

A change that is meant to change outputs updates `cas/empreintes_livree.json` in its own
commit, saying why: `CAMPAIGN_EMPREINTES=ecrire make test` rewrites it.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

import pytest

from campaign.cli import main

pytestmark = pytest.mark.lent  # make test-rapide leaves it out

RACINE = Path(__file__).parents[1]
ATTENDU = Path(__file__).parent / "cas" / "empreintes_livree.json"


def _empreintes(sortie: Path) -> dict[str, str]:
    empreintes = {}
    for chemin in sorted(p for p in sortie.rglob("*") if p.is_file()):
        contenu = chemin.read_bytes()
        if chemin.name == "manifest.json":  # the software's version aside
            manifest = json.loads(contenu)
            manifest["logiciel"].pop("version")
            contenu = json.dumps(manifest, sort_keys=True, ensure_ascii=False).encode()
        empreintes[chemin.relative_to(sortie).as_posix()] = hashlib.sha256(contenu).hexdigest()
    return empreintes


def test_les_sorties_de_la_campagne_livree_sont_celles_attendues(tmp_path):
    sortie = tmp_path / "sortie"
    code = main(
        ["run", str(RACINE / "inputs" / "2026-2027"), "--out", str(sortie), "--date-courrier", "2026-12-01"]
    )
    assert code == 1  # the shipped campagne holds INCOMPLET and ILLISIBLE files on purpose
    obtenues = _empreintes(sortie)
    if os.environ.get("CAMPAIGN_EMPREINTES") == "ecrire":
        ATTENDU.write_text(json.dumps(obtenues, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    attendues = json.loads(ATTENDU.read_text(encoding="utf-8"))
    differentes = sorted(k for k in attendues.keys() | obtenues.keys() if attendues.get(k) != obtenues.get(k))
    assert differentes == []

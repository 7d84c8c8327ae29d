"""Helpers of the output-folder tests: a folder's state, a whole set of outputs."""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path


def etat(racine: Path) -> dict[str, bytes | str]:
    """Every entry under `racine` with its bytes (or its link target): to see nothing moved."""
    vu: dict[str, bytes | str] = {}
    for dossier, noms, fichiers in os.walk(racine):
        for nom in noms + fichiers:
            p = Path(dossier) / nom
            cle = str(p.relative_to(racine))
            vu[cle] = (
                ("-> " + os.readlink(p)) if p.is_symlink() else (p.read_bytes() if p.is_file() else "dossier")
            )
    return vu


def complet(sortie: Path) -> bool:
    """The output path holds a whole set: every file its manifest names, with its sha256."""
    manifest = json.loads((sortie / "manifest.json").read_text(encoding="utf-8"))
    empreintes = manifest["empreintes_sorties"]
    assert set(empreintes) | {"manifest.json"} == set(manifest["sorties"])
    return all(hashlib.sha256((sortie / f).read_bytes()).hexdigest() == h for f, h in empreintes.items())

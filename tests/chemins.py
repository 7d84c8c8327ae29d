"""Where the tests' material is: one name, one meaning."""

from __future__ import annotations

import re
import shutil
import tomllib
from pathlib import Path

RACINE = Path(__file__).parents[1]  # the project
EXEMPLE = RACINE / "tests" / "fixtures" / "exemple" / "campagne"  # the example campagne folder
ATTENDU = RACINE / "tests" / "fixtures" / "exemple" / "attendu"  # what it must decide
LIVREE = RACINE / "inputs" / "2026-2027"  # the shipped (demo) campagne


def copier_campagne_toml_livree(dossier: Path) -> None:
    """The shipped campagne.toml into `dossier`, with last year's outputs it names
    (`[historique] precedente`, a folder beside it): a campagne of a few of its dossiers."""
    shutil.copy2(LIVREE / "campagne.toml", dossier)
    toml = tomllib.loads((LIVREE / "campagne.toml").read_text(encoding="utf-8"))
    precedente = toml["historique"]["precedente"]
    shutil.copytree(LIVREE / precedente, Path(dossier) / precedente, dirs_exist_ok=True)


def retirer_tables(toml: Path, *tables: str) -> None:
    """Take tables ([arbitrage], [historique]…) out of a copied campagne.toml, so that a test
    declares its own: a table written twice is not TOML."""
    texte = toml.read_text(encoding="utf-8")
    for table in tables:
        texte, n = re.subn(rf"(?ms)^\[{table}\]\n.*?(?=^\[|\Z)", "", texte)
        assert n == 1, table
    toml.write_text(texte, encoding="utf-8")

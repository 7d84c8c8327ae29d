"""Where the tests' material is: one name, one meaning."""

from __future__ import annotations

from pathlib import Path

RACINE = Path(__file__).parents[1]  # the project
EXEMPLE = RACINE / "tests" / "fixtures" / "exemple" / "campagne"  # the example campagne folder
ATTENDU = RACINE / "tests" / "fixtures" / "exemple" / "attendu"  # what it must decide
LIVREE = RACINE / "inputs" / "2026-2027"  # the shipped (demo) campagne

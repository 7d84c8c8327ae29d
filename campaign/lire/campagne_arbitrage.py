"""`campagne.toml`'s [arbitrage] and [historique] (arbitrage.md §2-§3): the way the committee
fits the envelope, and where last year's outputs are.

Both optional; a value that is not one of the known modes, or a path that holds no outputs of
a campagne, stops the run before anything is written.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from campaign.erreurs import CampaignError
from campaign.lire.campagne_cles import erreur_cle, lire_cle

MODES = ("prorata", "prorata_total", "plafond_porteur")  # arbitrage.md §2
# what last year's output folder must hold (arbitrage.md §3): its dossiers and its decisions
SORTIES_PRECEDENTES = ("dossiers.csv", "decisions.csv")


def lire_arbitrage(d: dict, chemin: Path) -> str | None:
    """`[arbitrage] mode`, or None when absent (nothing is reduced)."""
    attendu = " ou ".join(f'"{m}"' for m in MODES)
    mode = lire_cle(d, chemin, "arbitrage.mode", str, attendu, requis=False)
    if mode is None:
        return None
    if mode.strip() not in MODES:
        raise erreur_cle(chemin, "arbitrage.mode", attendu + f" (« {mode} » n'en est pas un)")
    return mode.strip()


def lire_historique(d: dict, chemin: Path, annee: str) -> Path | None:
    """`[historique] precedente`: last year's output folder, relative to the campagne folder
    (as written: a link to the run's version folder is kept, not followed), checked to hold a
    campagne's outputs, and not this campagne's own; None when absent."""
    attendu = 'le dossier des sorties de la campagne précédente, par exemple "../2025-2026/sorties"'
    nom = lire_cle(d, chemin, "historique.precedente", str, attendu, requis=False)
    if nom is None:
        return None
    if not nom.strip():
        raise erreur_cle(chemin, "historique.precedente", attendu)
    dossier = Path(os.path.abspath(chemin.parent / nom.strip()))
    manquants = [f for f in SORTIES_PRECEDENTES if not (dossier / f).is_file()]
    if not dossier.is_dir() or manquants:
        absent = "n'existe pas" if not dossier.is_dir() else "ne contient pas " + " ni ".join(manquants)
        raise CampaignError(
            f"{chemin} : la clé « historique.precedente » nomme le dossier {dossier}, qui {absent} : "
            "indiquez le dossier de sorties de la campagne de l'an dernier (celui qui contient "
            "dossiers.csv et decisions.csv), ou retirez la clé."
        )
    if _annee_des_sorties(dossier) == annee:
        raise CampaignError(
            f"{chemin} : la clé « historique.precedente » nomme le dossier {dossier}, qui contient "
            f"les sorties de cette même campagne {annee} (son manifest.json le dit) : indiquez celui "
            "de la campagne de l'an dernier."
        )
    return dossier


def _annee_des_sorties(dossier: Path) -> str | None:
    """The campagne year the folder's manifest.json records, None when it says none."""
    try:
        annee = json.loads((dossier / "manifest.json").read_text(encoding="utf-8")).get("campagne")
    except (OSError, ValueError, AttributeError):
        return None
    return annee if isinstance(annee, str) else None

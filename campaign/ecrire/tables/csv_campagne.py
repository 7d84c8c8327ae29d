"""The machine-readable outputs of sorties.md §2 and the manifest.

CSV files are UTF-8, comma separated, amounts with a dot and two decimals, rows sorted by
file then by position in the dossier, so that two runs give the same bytes.
"""

from __future__ import annotations

import csv
import hashlib
import json
import re
from pathlib import Path
from typing import cast

import pandas as pd

from campaign import __version__
from campaign.lire.anomalies import COLONNES as COLONNES_ANOMALIES
from campaign.lire.anomalies import Anomalie, en_lignes
from campaign.resultat import Historique

COLONNES_DOSSIERS = (
    "fichier",
    "sha256",
    "statut",
    "decision",
    "siret",
    "nom",
    "collectifs",
    "bloquants",
    "avertissements",
    "total",
    "etat",
    "decision_finale",
    "total_final",
)
COLONNES_DECISIONS = (
    "fichier",
    "siret",
    "code_collectif",
    "decision",
    "motifs",
    "avertissements",
    "part_charges",
    "ps",
    "bonus_enfants",
    "bonus_parents",
    "total",
)
MONTANTS = ("part_charges", "ps", "bonus_enfants", "bonus_parents", "total")


def montant_csv(valeur: object) -> str:
    """Integer cents (a table's cell) -> '1234.56', the machine form of an amount."""
    centimes = int(cast(int, valeur))
    signe = "-" if centimes < 0 else ""
    e, c = divmod(abs(centimes), 100)
    return f"{signe}{e}.{c:02d}"


_FORMULE = ("=", "+", "-", "@", "\t", "\r")
_MONTANT = re.compile(r"-?\d+\.\d\d")


def cellule_csv(v: object) -> object:
    """A text a spreadsheet would run as a formula gets a leading apostrophe (sorties.md §2,
    OWASP); amounts and codes written by the program are left alone."""
    if isinstance(v, str) and v.lstrip(" ").startswith(_FORMULE) and not _MONTANT.fullmatch(v):
        return "'" + v
    return v


def _ecrire_csv(chemin: Path, colonnes, lignes) -> None:
    with chemin.open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)  # RFC 4180 line ends, as the contract's examples
        w.writerow(colonnes)
        w.writerows([cellule_csv(v) for v in ligne] for ligne in lignes)


def ecrire_dossiers(chemin: Path, dossiers: pd.DataFrame) -> None:
    lignes = dossiers.sort_values("fichier")
    _ecrire_csv(
        chemin,
        COLONNES_DOSSIERS,
        (
            [
                r.fichier,
                r.sha256,
                r.statut,
                r.decision,
                r.siret,
                r.nom,
                r.collectifs,
                r.bloquants,
                r.avertissements,
                montant_csv(r.total),
                r.etat,
                r.decision_finale,
                montant_csv(r.total_final),
            ]
            for r in lignes.itertuples(index=False)
        ),
    )


def ecrire_decisions(chemin: Path, collectifs: pd.DataFrame, sirets: pd.Series) -> None:
    c = collectifs.sort_values(["fichier", "position"])
    _ecrire_csv(
        chemin,
        COLONNES_DECISIONS,
        (
            [
                r.fichier,
                sirets.get(r.fichier, ""),
                r.code,
                r.decision,
                r.motifs,
                r.avertissements,
                *(montant_csv(getattr(r, m)) for m in MONTANTS),
            ]
            for r in c.itertuples(index=False)
        ),
    )


def ecrire_anomalies(chemin: Path, anomalies: list[Anomalie]) -> None:
    _ecrire_csv(chemin, COLONNES_ANOMALIES, en_lignes(anomalies))


def ecrire_manifest(
    chemin: Path,
    campagne,
    parametres,
    dossiers: pd.DataFrame,
    comptes: dict,
    produits: list[str],
    date_courrier=None,
    comite: list[dict] | None = None,
    dossier: Path | None = None,
    arbitrage: dict | None = None,
    historique: Historique | None = None,
) -> None:
    """`produits`: the files written beside it, relative to `dossier` (the output folder),
    each with its sha256 so that a complete set can be checked (manifest.json itself aside).
    `historique`: last year's outputs read, an input of the run (arbitrage.md §3); the key is
    written only when `[historique]` names them."""
    manifest = {
        "logiciel": {"nom": "campaign", "version": __version__},
        "campagne": campagne.annee,
        "date_courriers": date_courrier.isoformat() if date_courrier else None,
        "campagne_toml": campagne.texte,
        "parametres": {
            p.nom: {
                "valeur": p.valeur,
                "libelle": p.libelle,
                "depuis": p.depuis.isoformat(),
                "source": p.source,
                "confirme": p.confirme,
                "fichier": p.fichier,
            }
            for p in sorted(parametres.values(), key=lambda p: p.nom)
        },
        "parametres_non_confirmes": sorted(p.nom for p in parametres.non_confirmes),
        "entrees": {r.fichier: r.sha256 for r in dossiers.sort_values("fichier").itertuples()},
        "comptes": comptes,
        "comite": comite or [],  # each committee session applied (comite.md §4)
        "arbitrage": arbitrage,  # the envelope and the mode applied (arbitrage.md §2)
        **({"historique": _historique(historique)} if historique is not None else {}),
        "sorties": sorted([*produits, chemin.name]),
        "empreintes_sorties": {
            p: hashlib.sha256((dossier or chemin.parent).joinpath(p).read_bytes()).hexdigest()
            for p in sorted(produits)
        },
    }
    chemin.write_text(
        json.dumps(manifest, ensure_ascii=False, indent=2, sort_keys=False) + "\n", encoding="utf-8"
    )


def _historique(historique: Historique) -> dict:
    """The file last year's totals come from, and each file read with its sha256. The folder is
    the one campagne.toml names (`campagne_toml` above, as written): no absolute path, so that
    the same campagne gives the same manifest wherever it is."""
    return {"source": historique.source, "fichiers": dict(historique.empreintes)}

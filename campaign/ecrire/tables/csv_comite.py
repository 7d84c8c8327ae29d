"""The committee's machine-readable outputs: `decisions_finales.csv` and the manifest's
record of each session (comite.md §4)."""

from __future__ import annotations

import pandas as pd

from campaign.ecrire.tables.csv_campagne import MONTANTS, _ecrire_csv, montant_csv
from campaign.resultat import Arbitrage, Comite

COLONNES_FINALES = (
    "fichier",
    "siret",
    "code_collectif",
    "proposition",
    "avis",
    "avis_date",
    "commentaire",
    "decision",
    "motifs",
    "avertissements",
    "ps",
    "bonus_enfants",
    "bonus_parents",
    "total",
)


def ecrire_decisions_finales(chemin, collectifs: pd.DataFrame, sirets: pd.Series) -> None:
    c = collectifs.sort_values(["fichier", "position"])
    _ecrire_csv(
        chemin,
        COLONNES_FINALES,
        (
            [
                r.fichier,
                sirets.get(r.fichier, ""),
                r.code_collectif,
                r.proposition,
                r.avis,
                r.avis_date,
                r.commentaire,
                r.decision,
                r.motifs,
                r.avertissements,
                *(montant_csv(getattr(r, m)) for m in MONTANTS if m != "part_charges"),
            ]
            for r in c.itertuples(index=False)
        ),
    )


def seances_manifest(comite: Comite) -> list[dict]:
    """Each committee file: path, date, sha256, and what became of its avis."""
    return [
        {
            "avis": s.fichier.seance.avis,
            "date": s.fichier.seance.jour,
            "sha256": s.fichier.sha256,
            "president": s.fichier.seance.president,
            "lignes_avec_avis": s.lignes_avis,
            "avis_appliques": s.appliques,
            "avis_refuses": len(s.refuses),
            "avis_divergents": len(s.divergents),
            "total_decide_centimes": s.total_decide,
            "total_projete_centimes": s.total_projete,
        }
        for s in comite.seances
    ]


def arbitrage_manifest(arbitrage: Arbitrage | None) -> dict | None:
    """The envelope against the retained amounts, and the mode applied (arbitrage.md §2):
    its coefficient (exact fraction and as the letters print it) or cap, the totals."""
    if arbitrage is None:
        return None
    fond = {
        "enveloppe_centimes": arbitrage.enveloppe,
        "total_retenu_centimes": arbitrage.total,
        "mode": arbitrage.mode,
    }
    s = arbitrage.applique
    if s is None:
        return {**fond, "applique": False, "total_apres_centimes": arbitrage.total}
    return {
        **fond,
        "applique": True,
        "coefficient": f"{s.coefficient.numerator}/{s.coefficient.denominator}" if s.coefficient else None,
        "coefficient_pourcent": s.coefficient_texte or None,
        "plafond_centimes": s.plafond,
        "total_apres_centimes": s.apres,
        "dossiers_reduits": len(s.reductions),
    }

"""Advisory rules (referentiel.md §5): warnings for the committee, never blocking.

Each returns a boolean Series named after its code: True where the warning is raised.
"""

from __future__ import annotations

import datetime as dt
from fractions import Fraction

import pandas as pd

from campaign.decider.parametres import Parametres


def a_calendrier(c: pd.DataFrame, p: Parametres) -> pd.Series:
    """Le collectif commence avant la date préconisée ou finit après.

    Référence : présentation départementale, « démarrage préconisé après les vacances
    d'automne de l'année N jusqu'au 15 juin de l'année N+1 » ; `regles.date_*_preconisee`.
    """
    debut = pd.Timestamp(dt.date.fromisoformat(p.date_debut_preconisee.valeur))
    fin = pd.Timestamp(dt.date.fromisoformat(p.date_fin_preconisee.valeur))
    return ((c["date_debut"] < debut) | (c["date_fin"] > fin)).fillna(False).astype(bool)


def a_formation(d: pd.DataFrame, p: Parametres) -> pd.Series:
    """Le porteur n'est pas inscrit aux formations du comité technique.

    Référence : présentation départementale, « l'inscription aux formations soutenues par
    le comité technique Clas est fortement conseillée ».
    """
    return ~d["formation"].fillna(False).astype(bool)


def a_part_caf(d: pd.DataFrame, p: Parametres) -> pd.Series:
    """La part Caf du dossier dépasse le seuil d'alerte des charges totales.

    Référence : referentiel.md §5, `regles.seuil_part_caf` (total Caf après écrêtement).
    """
    seuil = Fraction(p.seuil_part_caf.valeur)
    return d["total"] * seuil.denominator > d["charges_totales"] * seuil.numerator


def f_ecretement(c: pd.DataFrame) -> pd.Series:
    """La PS du collectif a été réduite par l'écrêtement.

    Référence : referentiel.md §6.8, règle F-ECRETEMENT.
    """
    return c["ps"] < c["ps_calculee"]

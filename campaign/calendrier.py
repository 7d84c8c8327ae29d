"""The days a run goes by: the day of the run, and the dates of letters and sessions that
cannot contradict each other (comite.md §5).

The day of the run is today, or the day of `SOURCE_DATE_EPOCH` when it is set (the
reproducible-builds convention): a campagne replayed as of a given day says what it said
that day, and the tests do not depend on the day they run.
"""

from __future__ import annotations

import datetime as dt
import os

from campaign import formats
from campaign.erreurs import CampaignError

ECART_MAX = dt.timedelta(days=366)  # --date-courrier at most a year from the day of the run


def aujourdhui() -> dt.date:
    """The day of the run."""
    epoque = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if not epoque:
        return dt.date.today()
    try:
        return dt.datetime.fromtimestamp(int(epoque), dt.UTC).date()
    except (ValueError, OverflowError, OSError) as exc:
        raise CampaignError(
            f"La variable d'environnement SOURCE_DATE_EPOCH vaut « {epoque} », qui n'est pas un "
            "nombre de secondes depuis le 1er janvier 1970 : corrigez-la ou retirez-la."
        ) from exc


def verifier_date_courrier(date: dt.date, jour: dt.date) -> None:
    """A letter's date given by --date-courrier: at most a year away from the day of the run
    (« le 1er janvier 1 » is a slip of the keyboard, never a letter)."""
    if abs(date - jour) > ECART_MAX:
        raise CampaignError(
            f"La date des courriers ({formats.date_longue(date)}) est à plus d'un an du jour "
            f"({formats.date_longue(jour)}) : vérifiez --date-courrier (AAAA-MM-JJ)."
        )


def verifier_seances_citees(date: dt.date, citees: dict[dt.date, int]) -> None:
    """A letter may not be dated before the session it reports: `citees` maps each session
    to the number of letters that cite it (decisions, postponements, propositions after it)."""
    anterieures = sorted(s for s in citees if s > date)
    if anterieures:
        seance = anterieures[-1]
        raise CampaignError(
            f"La date des courriers ({formats.date_longue(date)}) précède la séance du comité du "
            f"{formats.date_longue(seance)}, citée par {formats.pluriel(citees[seance], 'courrier')} : "
            "un courrier ne peut pas rendre compte d'une séance postérieure. Choisissez avec "
            "--date-courrier une date à partir de cette séance, ou retirez l'option."
        )


def seances_a_venir(seances: list[dt.date], jour: dt.date) -> list[dt.date]:
    """The sessions declared after the day of the run: not yet held, so they cannot have decided."""
    return sorted(s for s in seances if s > jour)

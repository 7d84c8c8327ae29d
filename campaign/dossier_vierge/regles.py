"""The rules' wording for the blank dossier of a school year, built from their declarations.

Above the writer (which may not import `campaign.decider`): `campaign template` and the demo
call `consignes_de_l_annee`, and the writer only writes the data it returns. The sentences
come from each rule's `consignes` (`decider/regle.py`) and the parameters in force for the
year, so that a new year's form follows the parameter files by itself.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from campaign.decider.parametres import Parametres, charger_parametres
from campaign.decider.referentiel import REGISTRE
from campaign.dossier_vierge.consignes import Champ, Consigne, Consignes
from campaign.erreurs import CampaignError


def parametres_de_l_annee(annee: str, dossier: Path | None = None) -> Parametres:
    """The national parameters in force on 1 September of the school year `annee`."""
    try:
        debut = dt.date(int(annee[:4]), 9, 1)
    except ValueError as exc:
        raise CampaignError(f"Année scolaire invalide : {annee!r} (attendu par exemple 2026-2027).") from exc
    return charger_parametres(debut, dossier)


def consignes(p: Parametres) -> Consignes:
    """Every declared rule's consignes, worded with the parameters `p`, by field."""
    par_champ: dict[Champ, list[Consigne]] = {}
    for regle in REGISTRE.values():
        for c in regle.consignes:
            consigne = Consigne(c.rediger(p), tuple(c.refusees(p)))
            for champ in c.champs:
                par_champ.setdefault(champ, []).append(consigne)
    return Consignes({k: tuple(v) for k, v in par_champ.items()}, tuple(x.libelle for x in p.non_confirmes))


def consignes_de_l_annee(annee: str, dossier: Path | None = None) -> Consignes:
    """The blank dossier's consignes for `annee` (parameter files of `dossier`, else shipped)."""
    return consignes(parametres_de_l_annee(annee, dossier))

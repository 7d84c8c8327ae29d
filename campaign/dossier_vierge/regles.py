"""The rules' wording for the blank dossier of a school year, built from their declarations.

Above the writer (which may not import `campaign.decider`): `campaign template` and the demo
call `consignes_de_l_annee`, and the writer only writes the data it returns. The sentences
come from each rule's `consignes` (`decider/regle.py`) and the parameters in force for the
year, so that a new year's form follows the parameter files by itself.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from campaign.decider.parametres import Parametres, avec_reglages, charger_parametres
from campaign.decider.referentiel import REGISTRE
from campaign.dossier_vierge import milieu_rural
from campaign.dossier_vierge.consignes import Champ, Consigne, Consignes
from campaign.erreurs import CampaignError
from campaign.lire.campagne import Campagne, charger_campagne

ANNEE = "2026-2027"  # the school year of `campaign template` without --annee nor --campagne


def parametres_de_l_annee(annee: str, dossier: Path | None = None) -> Parametres:
    """The national parameters in force on 1 September of the school year `annee`."""
    try:
        debut = dt.date(int(annee[:4]), 9, 1)
    except ValueError as exc:
        raise CampaignError(f"Année scolaire invalide : {annee!r} (attendu par exemple 2026-2027).") from exc
    return charger_parametres(debut, dossier)


def consignes(p: Parametres) -> Consignes:
    """Every declared rule's consignes, worded with the parameters `p`, by field; first, what
    « Milieu rural » means (it changes several thresholds)."""
    par_champ: dict[Champ, list[Consigne]] = {milieu_rural.CHAMP: [milieu_rural.definition(p)]}
    for regle in REGISTRE.values():
        for c in regle.consignes:
            consigne = Consigne(c.rediger(p), tuple(c.refusees(p)))
            for champ in c.champs:
                par_champ.setdefault(champ, []).append(consigne)
    return Consignes({k: tuple(v) for k, v in par_champ.items()}, tuple(x.libelle for x in p.non_confirmes))


def consignes_de_l_annee(
    annee: str, dossier: Path | None = None, campagne: Campagne | None = None
) -> Consignes:
    """The blank dossier's consignes for `annee` (parameter files of `dossier`, else shipped),
    with the Caf's settings of `campagne` ([regles]) when it is known."""
    p = parametres_de_l_annee(annee, dossier)
    return consignes(avec_reglages(p, campagne) if campagne is not None else p)


def campagne_du_dossier(annee: str | None, dossier: Path | None) -> tuple[str, Campagne | None]:
    """(school year, campagne) of `campaign template`: the campagne folder given, else
    `inputs/<annee>` when it holds a campagne.toml, else none (the shipped defaults)."""
    if dossier is None:
        annee = annee or ANNEE
        dossier = Path("inputs") / annee
        if not (dossier / "campagne.toml").is_file():
            return annee, None
    campagne = charger_campagne(dossier)
    if annee is not None and annee != campagne.annee:
        raise CampaignError(
            f"{dossier / 'campagne.toml'} est celui de l'année {campagne.annee}, pas de {annee} : "
            f"retirez --annee, ou donnez avec --campagne le dossier de la campagne {annee}."
        )
    return campagne.annee, campagne

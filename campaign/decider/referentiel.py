"""The référentiel's rules, one explicit list (referentiel.md §4): their order is the order
in which the workbook, the letters and the blank dossier give them."""

from __future__ import annotations

from campaign.decider import avertissements, bonus, eligibilite_accueil, eligibilite_collectif, enveloppe
from campaign.decider import eligibilite_dossier as dossier
from campaign.decider.regle import Nature, Niveau, Regle

REGLES: tuple[Regle, ...] = (
    eligibilite_collectif.r_niveau,
    eligibilite_collectif.r_effectif,
    eligibilite_collectif.r_encadrement,
    eligibilite_collectif.r_frequence,
    eligibilite_collectif.r_semaines,
    avertissements.a_calendrier,
    avertissements.a_formation,
    avertissements.a_part_caf,
    avertissements.f_ecretement,
    enveloppe.f_enveloppe,
    bonus.bonus_enfants,
    bonus.bonus_parents,
    eligibilite_accueil.r_reperage,
    eligibilite_accueil.r_aide_devoirs,
    eligibilite_accueil.r_ouvert_parents,
    dossier.r_coordination,
    dossier.r_principes,
    *dossier.REGLES_AXES,
    dossier.r_cofinancement,
)
REGISTRE: dict[str, Regle] = {r.code: r for r in REGLES}
if len(REGISTRE) != len(REGLES):
    raise ValueError("a rule code declared twice")


def regles(nature: Nature, niveau: Niveau | None = None) -> list[Regle]:
    """The rules of a nature (and level), in the list's order."""
    return [r for r in REGLES if r.nature == nature and (niveau is None or r.niveau == niveau)]

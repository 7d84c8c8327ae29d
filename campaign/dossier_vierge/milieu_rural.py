"""What « Milieu rural » means in the blank dossier: where the collectif meets, and what the
référentiel's rural derogations change, with the year's numbers from the parameter files.

Above the writer, like `regles`: the sentence is data handed to the form (the message beside
the answer and the notice). The référentiel names no density criterion of its own: the form
takes the Insee's definition of a rural commune and leaves the last word to the Caf.
"""

from __future__ import annotations

from campaign.decider.parametres import Parametres
from campaign.dossier_vierge.consignes import Consigne
from campaign.formats import duree, pluriel

CHAMP = ("Collectifs", "rural")


def _n(p: Parametres, nom: str) -> int:
    return int(p[nom].decimal)


def definition(p: Parametres) -> Consigne:
    """The consigne of the `rural` answer: what counts as rural, then what it changes."""
    enfants, minimum = _n(p, "effectif_min_derogatoire"), _n(p, "effectif_min")
    seances = (
        f"{pluriel(_n(p, 'seances_min_rural'), 'séance')} de {duree(float(p.duree_seance_min_rural.decimal))}"
    )
    intervenants = pluriel(_n(p, "intervenants_min_rural"), "intervenant")
    court = (
        "« Oui » si le lieu d'accueil est dans une commune rurale (peu ou très peu dense selon "
        f"l'Insee ; au doute, demandez à votre Caf). Il y suffit de {pluriel(enfants, 'enfant')}, "
        f"{intervenants} sous {minimum} enfants, {seances} par semaine."
    )
    return Consigne(
        "« Oui » si le lieu d'accueil est dans une commune rurale : une commune peu dense ou "
        "très peu dense selon la grille communale de densité de l'Insee (en cas de doute, "
        "demandez à votre Caf). En milieu rural, le référentiel admet un collectif de "
        f"{pluriel(enfants, 'enfant')} au moins (au lieu de {minimum}), "
        f"{intervenants} pour moins de "
        f"{pluriel(minimum, 'enfant')} (au lieu de {_n(p, 'intervenants_min')}) et "
        f"{seances} par semaine (au lieu de {pluriel(_n(p, 'seances_min'), 'séance')} de "
        f"{duree(float(p.duree_seance_min.decimal))}).",
        court=court,
    )

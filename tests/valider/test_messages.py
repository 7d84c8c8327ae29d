"""Every anomaly code the checks can raise has its French sentence: found here, by a test,
never at run time by a user."""

from __future__ import annotations

import pytest

from campaign import formulaire as F
from campaign.lire.anomalies import GRAVITES
from campaign.valider import messages
from campaign.valider.controles import CHAMP_DU_CONTROLE, SCHEMAS, code_du_controle


def _codes_de_valeur() -> set[tuple[str, str, str]]:
    """(code, sheet, field) of every per-field check of the schemas, and the reader's own."""
    codes = set()
    for feuille, schema in SCHEMAS.items():
        for cle, colonne in schema.columns.items():
            if (feuille, cle) not in F.CHAMPS:
                continue  # fichier, position: the program's own columns
            for check in colonne.checks:
                codes.add((code_du_controle(feuille, cle, check.name), feuille, cle))
            codes.add(("VALEUR-MANQUANTE", feuille, cle))
    types_invalides = {
        "entier": "ENTIER-INVALIDE",
        "montant": "NOMBRE-INVALIDE",
        "ouinon": "OUINON-INVALIDE",
        "date": "DATE-INVALIDE",
        "duree": "DUREE-INVALIDE",
    }
    for (feuille, cle), champ in F.CHAMPS.items():
        if champ.type in types_invalides:
            codes.add((types_invalides[champ.type], feuille, cle))
    return codes


@pytest.mark.parametrize("code, feuille, cle", sorted(_codes_de_valeur()))
def test_chaque_code_de_valeur_a_sa_phrase(code, feuille, cle):
    texte = messages.message_valeur(code, F.CHAMPS[(feuille, cle)], "x")
    assert texte and code not in texte
    assert code in GRAVITES


def test_chaque_controle_croise_a_sa_phrase():
    croises = {c.name for s in SCHEMAS.values() for c in s.checks}
    assert croises == set(CHAMP_DU_CONTROLE) == set(messages._PHRASES_CONTROLE)
    assert croises <= set(GRAVITES)


def test_un_code_sans_phrase_est_une_erreur_du_programme():
    with pytest.raises(ValueError):
        messages.message_valeur("CODE-INCONNU", F.CHAMPS[("Porteur", "nom")], "x")

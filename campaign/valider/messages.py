"""The French sentences of validation anomalies: what is wrong, and what to write instead."""

from __future__ import annotations

from collections.abc import Callable
from typing import cast

import pandas as pd

from campaign import adresse
from campaign import formulaire as F
from campaign.formats import euros
from campaign.lire.anomalies import valeur_affichee

_EXEMPLES = {
    "entier": "un nombre entier en chiffres, par exemple 12",
    "montant": "un montant en euros en chiffres, avec au plus deux décimales, par exemple 1 200,50",
    "ouinon": "Oui ou Non",
    "date": "une date qui existe, au format JJ/MM/AAAA, par exemple 15/06/2027",
    "duree": "une durée en heures, par exemple 1h30 ou 1,5",
}
_NATURE = {
    "entier": "un nombre entier",
    "montant": "un montant",
    "ouinon": "une réponse Oui/Non",
    "date": "une date valide",
    "duree": "une durée lisible",
}


def message_valeur(code: str, champ: F.Champ, brut: object) -> str:
    """The message for one field's value (empty, unreadable, out of list or of bounds)."""
    v = valeur_affichee(brut)
    lib = f"« {champ.libelle} »"
    if code == "VALEUR-MANQUANTE":
        quoi = _EXEMPLES.get(champ.type, "la réponse")
        return f"la case {lib} est vide ; indiquez {quoi}."
    if code in ("ENTIER-INVALIDE", "NOMBRE-INVALIDE", "OUINON-INVALIDE", "DATE-INVALIDE", "DUREE-INVALIDE"):
        return f"« {v} » n'est pas {_NATURE[champ.type]} pour {lib} ; écrivez {_EXEMPLES[champ.type]}."
    if code == "CHOIX-INVALIDE":
        return (
            f"« {v} » ne fait pas partie de la liste pour {lib} ; choisissez parmi : "
            f"{', '.join(champ.choix)}."
        )
    if code == "SIRET-INVALIDE":
        return (
            f"« {v} » n'est pas un SIRET valide (14 chiffres, le dernier étant une clé de "
            "contrôle) ; recopiez le SIRET de l'avis de situation Insee de la structure."
        )
    if code == "RNA-INVALIDE":
        return f"« {v} » n'est pas un numéro RNA ; écrivez W suivi de 9 chiffres, par exemple W261234567."
    if code == "CODE-POSTAL-INVALIDE":
        return f"« {v} » n'est pas un code postal ; écrivez 5 chiffres, par exemple 26000."
    if code == "COURRIEL-INVALIDE":
        return (
            f"« {v} » n'est pas une adresse électronique ; écrivez une seule adresse, sans espace "
            'ni , ; < > ( ) " ni formule, par exemple nom@exemple.fr.'
        )
    if code == "MONTANT-NEGATIF":
        return f"le montant {lib} est négatif ({v}) ; un budget s'écrit en montants positifs ou nuls."
    if code == "VALEUR-HORS-LIMITES":
        borne = "entre 0 et 52" if champ.cle == "semaines" else "positif ou nul"
        return f"« {v} » n'est pas possible pour {lib} ; le nombre doit être {borne}."
    raise ValueError(f"anomaly code without a sentence: {code}")  # tests/valider keep it unreachable


def _texte(t: pd.DataFrame, i: int, colonne: str) -> str:
    return str(t.at[i, colonne])


def _entier(t: pd.DataFrame, i: int, colonne: str) -> int:
    return int(cast(int, t.at[i, colonne]))  # an amount column: int64 cents


def _doublon_siret(v: pd.DataFrame, brut: pd.DataFrame, i: int) -> str:
    siret = _texte(v, i, "siret")
    autres = sorted(set(v.loc[(v["siret"] == siret) & (v.index != i), "fichier"]))
    return (
        f"le SIRET {siret} figure aussi dans {', '.join(autres)} ; ces dossiers sont "
        "suspendus : indiquez à la Caf lequel fait foi, ou retirez le dossier en trop."
    )


def _niveaux_inverses(v: pd.DataFrame, brut: pd.DataFrame, i: int) -> str:
    return (
        f"le niveau le plus haut ({_texte(v, i, 'niveau_max')}) est au-dessous du niveau le plus "
        f"bas ({_texte(v, i, 'niveau_min')}) ; inversez-les."
    )


def _handicap_superieur_effectif(v: pd.DataFrame, brut: pd.DataFrame, i: int) -> str:
    return (
        f"{_texte(v, i, 'enfants_handicap')} enfants en situation de handicap pour "
        f"{_texte(v, i, 'enfants')} enfants en tout : ce nombre ne peut pas dépasser l'effectif."
    )


def _dates_inversees(v: pd.DataFrame, brut: pd.DataFrame, i: int) -> str:
    return (
        f"la date de fin ({valeur_affichee(brut.at[i, 'date_fin'])}) n'est pas après la date "
        f"de début ({valeur_affichee(brut.at[i, 'date_debut'])}) ; corrigez l'une ou l'autre."
    )


def _semaines_incoherentes(v: pd.DataFrame, brut: pd.DataFrame, i: int) -> str:
    return (
        f"{_texte(v, i, 'semaines')} semaines déclarées, mais la période du "
        f"{valeur_affichee(brut.at[i, 'date_debut'])} au "
        f"{valeur_affichee(brut.at[i, 'date_fin'])} en compte moins ; vérifiez les dates "
        "ou le nombre de semaines."
    )


def _code_collectif_double(v: pd.DataFrame, brut: pd.DataFrame, i: int) -> str:
    return (
        f"le code collectif « {_texte(v, i, 'code')} » est utilisé plusieurs fois ; donnez à "
        "chaque collectif un code différent (C1, C2...)."
    )


def _psf_superieur_c64(v: pd.DataFrame, brut: pd.DataFrame, i: int) -> str:
    return (
        f"les charges de postes financés par une PS à la fonction ({euros(_entier(v, i, 'PSF'))}) "
        f"dépassent les charges de personnel C64 ({euros(_entier(v, i, 'C64'))}) ; elles en sont "
        "une partie."
    )


def _budget_vide(v: pd.DataFrame, brut: pd.DataFrame, i: int) -> str:
    return (
        "le budget ne compte aucune charge (lignes C60 à C68 et CI à 0) ; indiquez les "
        "charges prévues de l'action."
    )


def _adresse_trop_longue(v: pd.DataFrame, brut: pd.DataFrame, i: int) -> str:
    champs = ("nom", "representant", "representant_qualite", "adresse", "code_postal", "commune")
    lignes = adresse.bloc(*(valeur_affichee(v.at[i, c]) for c in champs))
    return (
        f"l'adresse du courrier tient sur {len(lignes)} lignes de {adresse.LARGEUR_MAX} caractères "
        f"au plus, pour {adresse.LIGNES_MAX} dans la fenêtre de l'enveloppe : le courrier l'imprime "
        "entière, en plus petit ; raccourcissez le nom de la structure, la qualité du représentant "
        "ou l'adresse (sans répéter le code postal ni la commune)."
    )


_PHRASES_CONTROLE: dict[str, Callable[[pd.DataFrame, pd.DataFrame, int], str]] = {
    "DOUBLON-SIRET": _doublon_siret,
    "ADRESSE-TROP-LONGUE": _adresse_trop_longue,
    "NIVEAUX-INVERSES": _niveaux_inverses,
    "HANDICAP-SUPERIEUR-EFFECTIF": _handicap_superieur_effectif,
    "DATES-INVERSEES": _dates_inversees,
    "SEMAINES-INCOHERENTES": _semaines_incoherentes,
    "CODE-COLLECTIF-DOUBLE": _code_collectif_double,
    "PSF-SUPERIEUR-C64": _psf_superieur_c64,
    "BUDGET-VIDE": _budget_vide,
}


def message_controle(code: str, valeurs: pd.DataFrame, brut: pd.DataFrame, i: int) -> str:
    """The message of a check that compares fields (or files), on row `i` of a sheet's table."""
    return _PHRASES_CONTROLE[code](valeurs, brut, i)

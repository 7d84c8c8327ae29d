"""`campagne.toml` is strict: every key is known, every amount finite and bounded.

A misspelled key must never be ignored in silence (`ecretment = false` would leave écrêtement
on): an unknown key is refused with the nearest known key suggested. The file is read as
UTF-8, at most `OCTETS_MAX`, and any failure to read or parse it is one sentence.
"""

from __future__ import annotations

import datetime as dt
import difflib
import tomllib
from decimal import Decimal
from pathlib import Path

from campaign.erreurs import CampaignError

OCTETS_MAX = 1024 * 1024
MONTANT_MAX = Decimal(1_000_000_000)  # euros: far above any departmental envelope

# the known keys: a table is a dict, an array of tables a list of one dict, a value None
CONNUES: dict = {
    "annee": None,
    "caf": {
        "nom": None,
        "adresse": None,
        "ville": None,
        "tribunal": None,
        "gabarits": None,
        "fondement_comite": None,
        "signature": None,
        "date_retour_dossier": None,
        "pieces_justificatives": None,
        "donnees_personnelles": None,
        "signataire": {"nom": None, "qualite": None},
        "agent": {"nom": None, "qualite": None, "courriel": None, "telephone": None},
    },
    "budget": {"enveloppe": None, "acompte": None, "bilan_avant": None},
    "regles": {
        "axes": None,
        "ecretement": None,
        "seuil_part_caf": None,
        "date_debut_preconisee": None,
        "date_fin_preconisee": None,
    },
    "arbitrage": {"mode": None},  # arbitrage.md §2
    "historique": {"precedente": None},  # arbitrage.md §3
    "comite": None,  # [[comite]]: checked key by key where it is read (lire.seances, comite.md)
    "envoi": None,  # checked key by key where it is read (envoi.md §2)
}


def lire_toml(chemin: Path) -> tuple[str, dict]:
    """(text, parsed table) of campagne.toml; CampaignError with what to do otherwise."""
    try:
        with chemin.open("rb") as f:
            octets = f.read(OCTETS_MAX + 1)
    except OSError as exc:
        raise CampaignError(
            f"Le fichier {chemin} ne peut pas être lu ({exc.strerror}) : vérifiez "
            "qu'il vous est permis de le lire, puis relancez."
        ) from exc
    if len(octets) > OCTETS_MAX:
        raise CampaignError(
            f"{chemin} pèse plus de {OCTETS_MAX // 1024} Ko : ce n'est pas un "
            "campagne.toml ; reprenez celui du README."
        )
    try:
        texte = octets.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise CampaignError(
            f"{chemin} n'est pas un texte enregistré en UTF-8 (octet illisible en position "
            f"{exc.start}) : ouvrez-le dans un éditeur de texte et enregistrez-le en UTF-8."
        ) from exc
    if "\0" in texte:
        raise CampaignError(
            f"{chemin} contient des caractères nuls : ce n'est pas un fichier texte ; "
            "reprenez le modèle du README."
        )
    try:
        return texte, tomllib.loads(texte, parse_float=Decimal)
    except tomllib.TOMLDecodeError as exc:
        raise CampaignError(f"{chemin} n'est pas un fichier TOML valide ({exc}).") from exc
    except RecursionError as exc:
        raise CampaignError(
            f"{chemin} imbrique trop de listes ou de tables : ce n'est pas un "
            "campagne.toml ; reprenez le modèle du README."
        ) from exc


def _toutes(connues: dict, prefixe: str = "") -> list[str]:
    cles = []
    for k, v in connues.items():
        cles.append(prefixe + k)
        sous = v[0] if isinstance(v, list) else v
        if isinstance(sous, dict):
            cles.extend(_toutes(sous, f"{prefixe}{k}."))
    return cles


def verifier_cles(d: dict, chemin: Path, connues: dict = CONNUES, prefixe: str = "") -> None:
    """Refuse any key that is not known, suggesting the nearest known one."""
    for cle, valeur in d.items():
        complete = prefixe + cle
        if cle not in connues:
            voisines = difflib.get_close_matches(complete, _toutes(CONNUES), n=1, cutoff=0.6)
            conseil = (
                f" ; vouliez-vous écrire « {voisines[0]} » ?"
                if voisines
                else " ; les clés admises sont décrites dans le README."
            )
            raise CampaignError(
                f"{chemin} : la clé « {complete} » est inconnue{conseil} Corrigez-la "
                "ou retirez-la : une clé mal écrite ne doit jamais être ignorée."
            )
        attendu = connues[cle]
        if isinstance(attendu, dict) and isinstance(valeur, dict):
            verifier_cles(valeur, chemin, attendu, complete + ".")
        elif isinstance(attendu, list) and isinstance(valeur, list):
            for element in valeur:
                if isinstance(element, dict):
                    verifier_cles(element, chemin, attendu[0], complete + ".")


def montant(
    valeur: Decimal | int, chemin: Path, cle: str, attendu: str, maximum: Decimal = MONTANT_MAX
) -> Decimal:
    """A finite amount between 0 and `maximum`: nan, inf and 1e308 never reach a computation."""
    v = Decimal(valeur)
    if not v.is_finite() or not 0 <= v <= maximum:
        raise CampaignError(
            f"{chemin} : la clé « {cle} » doit être {attendu} (entre 0 et {maximum:,.0f}".replace(
                ",", "\u202f"
            )
            + f" ; « {valeur} » n'en est pas un)."
        )
    return v


def erreur_cle(chemin: Path, cle: str, attendu: str) -> CampaignError:
    return CampaignError(f"{chemin} : la clé « {cle} » doit être {attendu}.")


def lire_cle(d: dict, chemin: Path, cle: str, types, attendu: str, defaut=None, requis=True):
    partie, _, nom = cle.rpartition(".")
    for morceau in filter(None, partie.split(".")):
        d = d.get(morceau, {})
        if not isinstance(d, dict):
            raise erreur_cle(chemin, morceau, "une table [" + morceau + "]")
    if nom not in d:
        if requis:
            raise erreur_cle(chemin, cle, attendu + " (elle est absente)")
        return defaut
    v = d[nom]
    if not isinstance(v, types) or isinstance(v, bool) != (types is bool):
        raise erreur_cle(chemin, cle, attendu)
    if types is dt.date and isinstance(v, dt.datetime):
        raise erreur_cle(chemin, cle, attendu + " (une date sans heure)")
    return v

"""`[envoi]` of campagne.toml: the Caf's mail server (envoi.md §2), validated like any
other table; never a password."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from campaign.adresse_courriel import expediteur_valable, raison
from campaign.erreurs import CampaignError
from campaign.lire.campagne_cles import erreur_cle, lire_cle


@dataclass(frozen=True)
class Envoi:
    """`[envoi]`: the Caf's mail server (envoi.md §2). Never a password."""

    serveur: str
    port: int
    securite: str  # starttls | ssl | aucune
    utilisateur: str | None
    expediteur: str
    copie_cachee: str | None
    cadence: int  # at most this many messages a minute
    autorite: Path | None  # the Caf's certificate authority, resolved from the campagne folder


SECURITES = {"starttls": 587, "ssl": 465, "aucune": 25}
CLES_ENVOI = (
    "serveur",
    "port",
    "securite",
    "utilisateur",
    "expediteur",
    "copie_cachee",
    "cadence",
    "autorite",
)
LOCAUX = ("localhost", "127.0.0.1", "::1")


def lire_envoi(d: dict, chemin: Path, dossier: Path) -> Envoi | None:
    table = d.get("envoi")
    if table is None:
        return None
    if not isinstance(table, dict):
        raise erreur_cle(chemin, "envoi", "une table [envoi]")
    if any("passe" in k or "password" in k for k in table):
        raise CampaignError(
            f"{chemin} : le mot de passe du serveur de courriel ne s'écrit jamais dans "
            "campagne.toml ; retirez-le et donnez-le dans la variable "
            "CAMPAIGN_SMTP_MOT_DE_PASSE ou au clavier quand il est demandé."
        )
    inconnues = sorted(set(table) - set(CLES_ENVOI))
    if inconnues:
        raise erreur_cle(
            chemin,
            f"envoi.{inconnues[0]}",
            "l'une de " + ", ".join(CLES_ENVOI) + " (clé inconnue : faute de frappe ?)",
        )
    texte = "un texte entre guillemets"
    serveur = lire_cle(d, chemin, "envoi.serveur", str, 'un nom de serveur, par exemple "smtp.caf26.fr"')
    if not re.fullmatch(r"[A-Za-z0-9.:-]+", serveur):
        raise erreur_cle(chemin, "envoi.serveur", 'un nom de serveur, par exemple "smtp.caf26.fr"')
    securite = lire_cle(
        d, chemin, "envoi.securite", str, '"starttls", "ssl" ou "aucune"', "starttls", requis=False
    )
    if securite not in SECURITES:
        raise erreur_cle(chemin, "envoi.securite", '"starttls", "ssl" ou "aucune"')
    if securite == "aucune" and serveur not in LOCAUX:
        raise erreur_cle(
            chemin,
            "envoi.securite",
            '"starttls" ou "ssl" : « aucune » n\'est admis que pour un serveur sur cette machine (localhost)',
        )
    port = lire_cle(
        d, chemin, "envoi.port", int, "un numéro de port, par exemple 587", SECURITES[securite], requis=False
    )
    if not 0 < port < 65536:
        raise erreur_cle(chemin, "envoi.port", "un numéro de port, par exemple 587")
    adresses = {}
    for cle, requis in (("utilisateur", False), ("expediteur", True), ("copie_cachee", False)):
        v = lire_cle(d, chemin, f"envoi.{cle}", str, texte, requis=requis)
        if cle == "utilisateur" and v is not None and any(ord(c) < 32 or ord(c) == 127 for c in v):
            raise erreur_cle(chemin, "envoi.utilisateur", "un identifiant sur une seule ligne")
        if cle != "utilisateur" and v is not None:
            valable = expediteur_valable(v) if cle == "expediteur" else raison(v) is None
            if not valable:
                raise erreur_cle(
                    chemin,
                    f"envoi.{cle}",
                    'une seule adresse de courriel, par exemple "Caf de la Drôme <clas@caf26.fr>"'
                    if cle == "expediteur"
                    else 'une seule adresse de courriel, par exemple "clas-archives@caf26.fr"',
                )
        adresses[cle] = v
    cadence = lire_cle(
        d, chemin, "envoi.cadence", int, "un nombre de messages par minute, par exemple 30", 30, requis=False
    )
    if cadence <= 0:
        raise erreur_cle(chemin, "envoi.cadence", "un nombre de messages par minute, par exemple 30")
    autorite = lire_cle(d, chemin, "envoi.autorite", str, texte, requis=False)
    fichier_ac = None
    if autorite is not None:
        fichier_ac = (dossier / autorite).resolve()
        if not fichier_ac.is_file():
            raise erreur_cle(
                chemin, "envoi.autorite", f"le chemin d'un certificat (.pem) ; {fichier_ac} est introuvable"
            )
    return Envoi(
        serveur,
        port,
        securite,
        adresses["utilisateur"],
        adresses["expediteur"],
        adresses["copie_cachee"],
        cadence,
        fichier_ac,
    )

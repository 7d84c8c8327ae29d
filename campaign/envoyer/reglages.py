"""How a sending runs: the `[envoi]` table (validated with campagne.toml), the password, the
TLS context, the waits between retries, the bounds of a conversation with the server.

The password is read from CAMPAIGN_SMTP_MOT_DE_PASSE or asked on the terminal; it lives in
this process's memory only, is never printed, logged or written.
"""

from __future__ import annotations

import getpass
import os
import ssl
import sys
from dataclasses import dataclass

from campaign.erreurs import CampaignError
from campaign.lire.campagne import Campagne, Envoi

VARIABLE_MOT_DE_PASSE = "CAMPAIGN_SMTP_MOT_DE_PASSE"
ATTENTES = (10.0, 60.0, 300.0)  # seconds before each retry of a temporary failure


@dataclass(frozen=True)
class Bornes:
    """The bounds of a conversation with the server (envoi.md §6): past one, it is over."""

    reponse: float = 60.0  # seconds for one whole answer of the server
    message: float = 300.0  # seconds for one message's whole exchange, connection included
    lignes: int = 100  # lines of one answer
    octets: int = 64 * 1024  # bytes of one answer


@dataclass(frozen=True)
class Options:
    """What the command line asks for."""

    pour_de_vrai: bool = False
    limite: int | None = None
    seulement: tuple[str, ...] = ()
    renvoyer_modifies: bool = False
    attentes: tuple[float, ...] = ATTENTES
    bornes: Bornes = Bornes()
    reparer_journal: bool = False


def reglages(campagne: Campagne, chemin_toml: str) -> Envoi:
    if campagne.envoi is None:
        raise CampaignError(
            f"{chemin_toml} n'a pas de table [envoi] : ajoutez-y le serveur de courriel "
            "de la Caf (serveur, expediteur ; voir le README, « Envoyer les courriers »)."
        )
    return campagne.envoi


def mot_de_passe(envoi: Envoi) -> str | None:
    """None when no login is configured; else from the environment, or asked on a terminal."""
    if envoi.utilisateur is None:
        return None
    secret = os.environb.get(VARIABLE_MOT_DE_PASSE.encode()) if os.name == "posix" else None
    if secret:  # its bytes, whatever the locale (LANG=C would leave surrogates in an é)
        try:
            return secret.decode("utf-8")
        except UnicodeDecodeError:
            return secret.decode("latin-1")
    if os.environ.get(VARIABLE_MOT_DE_PASSE):
        return os.environ[VARIABLE_MOT_DE_PASSE]
    if sys.stdin.isatty():
        return getpass.getpass(f"Mot de passe de {envoi.utilisateur} sur {envoi.serveur} : ")
    raise CampaignError(
        f"Le mot de passe de {envoi.utilisateur} sur {envoi.serveur} est inconnu : "
        f"donnez-le dans la variable {VARIABLE_MOT_DE_PASSE}, ou lancez la commande "
        "dans un terminal pour qu'il soit demandé."
    )


def contexte_tls(envoi: Envoi) -> ssl.SSLContext:
    """Certificates always verified: the system's authorities, or the Caf's own; a file
    named by `autorite` that holds no certificate is said as such (not as the server's)."""
    try:
        contexte = ssl.create_default_context(cafile=str(envoi.autorite) if envoi.autorite else None)
    except (ssl.SSLError, OSError) as exc:
        raise CampaignError(
            f"Le fichier {envoi.autorite} indiqué dans [envoi] autorite ne contient aucun "
            f"certificat lisible ({getattr(exc, 'reason', None) or exc}) : il faut le certificat "
            "de l'autorité de certification de la Caf, au format PEM (un texte qui commence par "
            "« -----BEGIN CERTIFICATE----- ») ; rien n'a été envoyé."
        ) from None
    contexte.minimum_version = ssl.TLSVersion.TLSv1_2
    return contexte


def secondes(option: str, texte: str) -> tuple[float, ...]:
    """'10,60,300' -> (10.0, 60.0, 300.0) (the hidden --attentes and --delais, for the tests)."""
    try:
        valeurs = tuple(float(x) for x in texte.split(",") if x.strip())
    except ValueError as exc:
        raise CampaignError(
            f"{option} « {texte} » : des secondes séparées par des virgules, par exemple 10,60,300."
        ) from exc
    if any(v < 0 for v in valeurs):
        raise CampaignError(f"{option} « {texte} » : des durées positives.")
    return valeurs


def bornes(texte: str) -> Bornes:
    """'2,10' -> the answer's and the message's bounds in seconds (hidden --delais, for the tests)."""
    valeurs = secondes("--delais", texte)
    if len(valeurs) != 2 or 0 in valeurs:
        raise CampaignError(
            f"--delais « {texte} » : deux durées, la réponse puis le message, par exemple 60,300."
        )
    return Bornes(reponse=valeurs[0], message=valeurs[1])

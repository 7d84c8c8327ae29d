"""How a sending runs: the `[envoi]` table (validated with campagne.toml), the password, the
TLS context, the waits between retries.

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
DELAI_RESEAU = 60.0  # seconds: a silent server is a failure, not a hang


@dataclass(frozen=True)
class Options:
    """What the command line asks for."""

    pour_de_vrai: bool = False
    limite: int | None = None
    seulement: tuple[str, ...] = ()
    renvoyer_modifies: bool = False
    attentes: tuple[float, ...] = ATTENTES


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
    secret = os.environ.get(VARIABLE_MOT_DE_PASSE)
    if secret:
        return secret
    if sys.stdin.isatty():
        return getpass.getpass(f"Mot de passe de {envoi.utilisateur} sur {envoi.serveur} : ")
    raise CampaignError(
        f"Le mot de passe de {envoi.utilisateur} sur {envoi.serveur} est inconnu : "
        f"donnez-le dans la variable {VARIABLE_MOT_DE_PASSE}, ou lancez la commande "
        "dans un terminal pour qu'il soit demandé."
    )


def contexte_tls(envoi: Envoi) -> ssl.SSLContext:
    """Certificates always verified: the system's authorities, or the Caf's own."""
    contexte = ssl.create_default_context(cafile=str(envoi.autorite) if envoi.autorite else None)
    contexte.minimum_version = ssl.TLSVersion.TLSv1_2
    return contexte


def attentes(texte: str) -> tuple[float, ...]:
    """'10,60,300' -> (10.0, 60.0, 300.0) (the hidden --attentes option, for the tests)."""
    try:
        valeurs = tuple(float(x) for x in texte.split(",") if x.strip())
    except ValueError as exc:
        raise CampaignError(
            f"--attentes « {texte} » : des secondes séparées par des virgules, par exemple 10,60,300."
        ) from exc
    if any(v < 0 for v in valeurs):
        raise CampaignError(f"--attentes « {texte} » : des durées positives.")
    return valeurs

"""The SMTP session with the Caf's server: connect (STARTTLS, SSL, or none on this machine),
log in, hand over one message and say what the server answered (envoi.md §6).

A message is handed with the plain SMTP commands (MAIL, RCPT, DATA) rather than
`sendmail`, so that the journal gets the server's own code and words for each letter, a
refused Bcc changes nothing, and the moment the end of the data has gone is known: after
it, a failure is uncertain (the server may hold the message), never retried. The
conversation itself is bounded (`conversation`).
"""

from __future__ import annotations

import base64
import math
import smtplib
import ssl
import time
from dataclasses import dataclass

from campaign.envoyer.conversation import SMTPBorne, SMTPBorneSSL, donnees, texte_reponse
from campaign.envoyer.journal import ECHEC, ENVOYE, REFUSE
from campaign.envoyer.reglages import Bornes, contexte_tls
from campaign.erreurs import CampaignError
from campaign.lire.campagne import Envoi

INCERTAIN = "INCERTAIN"  # the data went, no answer came: the server may hold the message
COUPURES = (smtplib.SMTPServerDisconnected, OSError)  # a dropped, silent or unbounded connection


@dataclass(frozen=True)
class Reponse:
    resultat: str  # ENVOYE, REFUSE, ECHEC-TEMPORAIRE, INCERTAIN
    code: int | str
    texte: str


class ExpediteurRefuse(Exception):
    """The server refuses our own sender (MAIL FROM): no letter can leave, stop."""


class ServeurSature(smtplib.SMTPResponseException):
    """421 (or another 4xx) at the greeting or to EHLO: busy, a temporary failure."""


def _classer(code: int, reponse: bytes | str) -> Reponse:
    """An answer before the end of the data: 5xx refused, anything else temporary."""
    return Reponse(REFUSE if 500 <= code < 600 else ECHEC, code, texte_reponse(reponse))


class Connexion:
    def __init__(
        self,
        envoi: Envoi,
        mot_de_passe: str | None,
        bornes: Bornes | None = None,
        contexte: ssl.SSLContext | None = None,
    ):
        self.envoi = envoi
        self._mot_de_passe = mot_de_passe
        self.bornes = bornes or Bornes()
        self.contexte = contexte or contexte_tls(envoi)
        self.echeance = math.inf
        self.smtp: SMTPBorne | None = None

    def nouveau_message(self) -> None:
        """From now, one message's whole exchange (a reconnection included) is bounded."""
        self.echeance = time.monotonic() + self.bornes.message
        if self.smtp is not None:
            self.smtp.echeance = self.echeance

    def ouvrir(self) -> None:
        """Connect and log in. A refused login is a CampaignError (retrying would not help);
        a busy server (421) is ServeurSature; a broken bound, HorsBornes."""
        e = self.envoi
        delai = min(self.bornes.reponse, max(self.echeance - time.monotonic(), 0.001))
        try:
            smtp: SMTPBorne = (
                SMTPBorneSSL(
                    self.bornes, self.echeance, e.serveur, e.port, context=self.contexte, timeout=delai
                )
                if e.securite == "ssl"
                else SMTPBorne(self.bornes, self.echeance, e.serveur, e.port, timeout=delai)
            )
        except smtplib.SMTPConnectError as exc:  # the greeting was not 220
            if 400 <= exc.smtp_code < 500:
                raise ServeurSature(exc.smtp_code, exc.smtp_error) from None
            raise
        try:
            code, reponse = smtp.ehlo()
            if 400 <= code < 500:
                raise ServeurSature(code, reponse)
            if e.securite == "starttls":
                if not smtp.has_extn("starttls"):
                    raise CampaignError(
                        f"Le serveur {e.serveur} ne propose pas STARTTLS : vérifiez "
                        "[envoi] securite et port dans campagne.toml."
                    )
                code, reponse = smtp.starttls(context=self.contexte)
                if 400 <= code < 500:
                    raise ServeurSature(code, reponse)
                if code != 220:  # smtplib then goes on in clear: never log in so
                    raise CampaignError(
                        f"Le serveur {e.serveur} refuse STARTTLS ({code} {texte_reponse(reponse)}) : "
                        "vérifiez [envoi] securite et port dans campagne.toml ; rien n'a été "
                        "envoyé par cette connexion."
                    )
                code, reponse = smtp.ehlo()
                if 400 <= code < 500:
                    raise ServeurSature(code, reponse)
            if e.utilisateur is not None:
                try:
                    self._identifier(smtp, e.utilisateur, self._mot_de_passe or "")
                except smtplib.SMTPAuthenticationError as exc:
                    raise CampaignError(
                        f"Le serveur {e.serveur} refuse l'identifiant {e.utilisateur} "
                        f"avec ce mot de passe (code {exc.smtp_code}) : vérifiez-les, "
                        "rien n'a été envoyé par cette connexion."
                    ) from None
                except smtplib.SMTPNotSupportedError:
                    raise CampaignError(
                        f"Le serveur {e.serveur} ne propose pas d'identification : "
                        "retirez [envoi] utilisateur de campagne.toml, ou vérifiez "
                        "securite et port."
                    ) from None
        except BaseException:
            smtp.close()
            raise
        self.smtp = smtp

    @staticmethod
    def _identifier(smtp: smtplib.SMTP, utilisateur: str, mot_de_passe: str) -> None:
        """smtplib encodes credentials in ASCII only: a password with an accent goes by
        AUTH PLAIN in UTF-8 (RFC 4616), as mail clients do."""
        if (utilisateur + mot_de_passe).isascii():
            smtp.login(utilisateur, mot_de_passe)
            return
        if "plain" not in smtp.esmtp_features.get("auth", "").lower().split():
            raise smtplib.SMTPNotSupportedError("AUTH PLAIN")
        jeton = base64.b64encode(f"\0{utilisateur}\0{mot_de_passe}".encode()).decode("ascii")
        code, reponse = smtp.docmd("AUTH", "PLAIN " + jeton)
        if code != 235:
            raise smtplib.SMTPAuthenticationError(code, reponse)

    def couper(self) -> None:
        """Close without QUIT (after Ctrl-C the server may be waiting for the end of a message)."""
        if self.smtp is not None:
            self.smtp.close()
            self.smtp = None

    def fermer(self) -> None:
        if self.smtp is not None:
            try:
                self.smtp.quit()
            except (smtplib.SMTPException, OSError):
                self.smtp.close()
            self.smtp = None

    def remettre(self, expediteur: str, destinataire: str, copies: list[str], octets: bytes) -> Reponse:
        """Hand one message over on the open connection. Before the end of the data, a drop
        is a temporary failure; after it, anything but a 2xx, 4xx or 5xx answer is INCERTAIN."""
        smtp = self.smtp
        assert smtp is not None
        donnees_parties = False
        try:
            code, rep = smtp.mail(expediteur)
            if code != 250:
                self._abandonner(code)
                if 500 <= code < 600:
                    raise ExpediteurRefuse(f"{code} {texte_reponse(rep)}")
                return _classer(code, rep)
            code, rep = smtp.rcpt(destinataire)
            if code not in (250, 251):
                self._abandonner(code)
                return _classer(code, rep)
            for copie in copies:
                smtp.rcpt(copie)  # a refused Bcc changes nothing
            code, rep = smtp.docmd("DATA")
            if code != 354:
                self._abandonner(code)
                return _classer(code, rep)
            smtp.send(donnees(octets))
            donnees_parties = True
            code, rep = smtp.getreply()
        except COUPURES as exc:
            self.couper()
            if donnees_parties:
                return Reponse(INCERTAIN, "", f"remis au serveur sans réponse ({exc})")
            return Reponse(ECHEC, "", f"connexion interrompue ({exc})")
        if 200 <= code < 300:
            return Reponse(ENVOYE, code, texte_reponse(rep))
        if 400 <= code < 600:
            self._abandonner(code)
            return _classer(code, rep)
        self.couper()
        return Reponse(
            INCERTAIN, code, f"remis au serveur sans réponse valable ({code} {texte_reponse(rep)})"
        )

    def _abandonner(self, code: int) -> None:
        """After a refusal: RSET, or drop the connection when the server closes it (421)."""
        if self.smtp is None:
            return
        if code == 421:
            self.couper()
            return
        try:
            self.smtp.rset()
        except COUPURES:
            self.couper()

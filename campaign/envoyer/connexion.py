"""The SMTP session with the Caf's server: connect (STARTTLS, SSL, or none on this machine),
log in, hand over one message and say what the server answered.

A message is handed with the plain SMTP commands (MAIL, RCPT, DATA) rather than
`sendmail`, so that the journal gets the server's own code and words for each letter, and
a refused Bcc changes nothing.
"""

from __future__ import annotations

import base64
import smtplib
from dataclasses import dataclass

from campaign.envoyer.journal import ECHEC, ENVOYE, REFUSE
from campaign.envoyer.reglages import DELAI_RESEAU, contexte_tls
from campaign.erreurs import CampaignError
from campaign.lire.campagne import Envoi

COUPURES = (smtplib.SMTPServerDisconnected, OSError)  # a dropped or silent connection


@dataclass(frozen=True)
class Reponse:
    resultat: str  # ENVOYE, REFUSE, ECHEC-TEMPORAIRE
    code: int | str
    texte: str


class ExpediteurRefuse(Exception):
    """The server refuses our own sender (MAIL FROM): no letter can leave, stop."""


def _texte(reponse: bytes | str) -> str:
    return reponse.decode("utf-8", "replace") if isinstance(reponse, bytes) else str(reponse)


def _classer(code: int, reponse: bytes | str) -> Reponse:
    return Reponse(REFUSE if 500 <= code < 600 else ECHEC, code, _texte(reponse))


class Connexion:
    def __init__(self, envoi: Envoi, mot_de_passe: str | None):
        self.envoi = envoi
        self._mot_de_passe = mot_de_passe
        self.smtp: smtplib.SMTP | None = None

    def ouvrir(self) -> None:
        """Connect and log in; a refused login is a CampaignError (exit 2): retrying would not help."""
        e = self.envoi
        if e.securite == "ssl":
            smtp: smtplib.SMTP = smtplib.SMTP_SSL(
                e.serveur, e.port, timeout=DELAI_RESEAU, context=contexte_tls(e)
            )
        else:
            smtp = smtplib.SMTP(e.serveur, e.port, timeout=DELAI_RESEAU)
        try:
            smtp.ehlo()
            if e.securite == "starttls":
                if not smtp.has_extn("starttls"):
                    raise CampaignError(
                        f"Le serveur {e.serveur} ne propose pas STARTTLS : vérifiez "
                        "[envoi] securite et port dans campagne.toml."
                    )
                smtp.starttls(context=contexte_tls(e))
                smtp.ehlo()
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
        """Hand one message over; a dropped connection is a temporary failure (reconnect)."""
        if self.smtp is None:
            self.ouvrir()
        smtp = self.smtp
        assert smtp is not None
        try:
            code, rep = smtp.mail(expediteur)
            if code != 250:
                self._abandonner(code)
                if 500 <= code < 600:
                    raise ExpediteurRefuse(f"{code} {_texte(rep)}")
                return _classer(code, rep)
            code, rep = smtp.rcpt(destinataire)
            if code not in (250, 251):
                self._abandonner(code)
                return _classer(code, rep)
            for copie in copies:
                smtp.rcpt(copie)  # a refused Bcc changes nothing
            code, rep = smtp.data(octets)
            if code != 250:
                self._abandonner(code)
                return _classer(code, rep)
            return Reponse(ENVOYE, code, _texte(rep))
        except smtplib.SMTPResponseException as exc:  # DATA refused before the message (not 354)
            self._abandonner(exc.smtp_code)
            return _classer(exc.smtp_code, exc.smtp_error)
        except COUPURES as exc:  # after SMTPResponseException: every SMTPException is an OSError
            self.smtp = None
            smtp.close()
            return Reponse(ECHEC, "", f"connexion interrompue ({type(exc).__name__} : {exc})")

    def _abandonner(self, code: int) -> None:
        """After a refusal: RSET, or drop the connection when the server closes it (421)."""
        if self.smtp is None:
            return
        if code == 421:
            self.smtp.close()
            self.smtp = None
            return
        try:
            self.smtp.rset()
        except COUPURES:
            self.smtp.close()
            self.smtp = None

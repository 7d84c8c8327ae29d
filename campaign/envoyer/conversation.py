"""The conversation with the mail server, bounded (envoi.md §6): smtplib's SMTP, whose reading
of an answer has no bound (a server sending endless continuation lines kept it reading for
ever), here reads each answer itself, on the socket, against two deadlines: the answer's
(`Bornes.reponse` seconds, `Bornes.lignes` lines, `Bornes.octets` bytes) and the message's
whole exchange, connection included (`Bornes.message`, from `echeance`). Past a bound the
connection is closed and `HorsBornes` raised; whether that is a temporary failure or an
uncertain hand-over is `Connexion`'s to say, from the moment it happened.
"""

from __future__ import annotations

import math
import re
import smtplib
import time

from campaign.envoyer.reglages import Bornes


class HorsBornes(smtplib.SMTPServerDisconnected):
    """The server broke a bound of the conversation: the connection is closed."""


def texte_reponse(reponse: bytes | str) -> str:
    return reponse.decode("utf-8", "replace") if isinstance(reponse, bytes) else str(reponse)


def donnees(octets: bytes) -> bytes:
    """The message as DATA carries it (RFC 5321 §4.5.2): a dot starting a line doubled, the end mark."""
    corps = re.sub(rb"(?m)^\.", b"..", octets)
    return corps + (b"" if corps.endswith(b"\r\n") else b"\r\n") + b".\r\n"


class SMTPBorne(smtplib.SMTP):
    """smtplib's reading and sending held to the bounds; `echeance` is the message's deadline
    (time.monotonic()), set by `Connexion` before each message."""

    _tampon: bytes = b""
    _source: object = None

    def __init__(self, bornes: Bornes, echeance: float, *args, **kwargs):
        self.bornes, self.echeance = bornes, echeance
        super().__init__(*args, **kwargs)  # connects, reading the greeting with getreply below

    def _hors_delai(self, fin_reponse: float) -> str:
        """Which bound is broken, the answer's (ending at `fin_reponse`) or the message's."""
        if fin_reponse <= self.echeance:
            return f"pas de réponse complète du serveur en {self.bornes.reponse:g} s"
        return f"échange de plus de {self.bornes.message:g} s pour un seul message"

    def _rompre(self, pourquoi: str) -> HorsBornes:
        self.close()
        return HorsBornes(pourquoi)

    def _ligne(self, fin_reponse: float) -> bytes:
        if self._source is not self.sock:  # a new socket (STARTTLS): nothing read before it counts
            self._tampon, self._source = b"", self.sock
        while b"\n" not in self._tampon:
            reste = min(fin_reponse, self.echeance) - time.monotonic()
            if reste <= 0:
                raise self._rompre(self._hors_delai(fin_reponse))
            if len(self._tampon) > self.bornes.octets:
                raise self._rompre(f"réponse du serveur de plus de {self.bornes.octets // 1024} Kio")
            if self.sock is None:
                raise smtplib.SMTPServerDisconnected("connexion fermée")
            try:
                self.sock.settimeout(reste)
                morceau = self.sock.recv(4096)
            except TimeoutError:
                continue  # the loop says which bound
            except OSError as exc:
                self.close()
                raise smtplib.SMTPServerDisconnected(f"connexion interrompue ({exc})") from None
            if not morceau:
                self.close()
                raise smtplib.SMTPServerDisconnected("connexion fermée par le serveur")
            self._tampon += morceau
        ligne, _, self._tampon = self._tampon.partition(b"\n")
        return ligne + b"\n"

    def getreply(self) -> tuple[int, bytes]:
        """One answer, bounded; as smtplib's: (code, lines joined), code -1 when not a number."""
        fin_reponse = time.monotonic() + self.bornes.reponse
        lignes: list[bytes] = []
        taille = 0
        while True:
            ligne = self._ligne(fin_reponse)
            taille += len(ligne)
            if taille > self.bornes.octets:
                raise self._rompre(f"réponse du serveur de plus de {self.bornes.octets // 1024} Kio")
            lignes.append(ligne[4:].strip(b" \t\r\n"))
            try:
                code = int(ligne[:3])
            except ValueError:
                code = -1
                break
            if ligne[3:4] != b"-":
                break
            if len(lignes) >= self.bornes.lignes:
                raise self._rompre(f"réponse du serveur de plus de {self.bornes.lignes} lignes")
        return code, b"\n".join(lignes)

    def send(self, s) -> None:
        reste = self.echeance - time.monotonic()
        if reste <= 0:
            raise self._rompre(self._hors_delai(math.inf))
        if self.sock is not None:
            self.sock.settimeout(None if math.isinf(reste) else reste)
        super().send(s)


class SMTPBorneSSL(SMTPBorne, smtplib.SMTP_SSL):
    pass

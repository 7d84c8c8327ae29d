"""A scripted SMTP server on 127.0.0.1, beside aiosmtpd: it speaks just enough SMTP (no TLS) to
misbehave the way real servers do (envoi.md §6): drop the connection or stay silent after the
data, answer something that is no SMTP answer, 421 to EHLO, endless continuation lines, refuse
AUTH on a reconnection, answer slowly. Every message whose end of data it read is recorded,
whatever it does next: what it holds is what a real server might have delivered."""

from __future__ import annotations

import base64
import contextlib
import socket
import threading
import time
from dataclasses import dataclass

FIN_DONNEES = b".\r\n"
DUREE_MAX = 30.0  # seconds: no fault of this server outlives a test


@dataclass
class Script:
    apres_donnees: str = "250"  # "250", "couper", "silence", "bizarre"
    au_message: int | None = None  # the message (1-based, over the server's life) it applies to; None: every
    ehlo_421: bool = False
    salut_sans_fin: float | None = None  # the greeting: "220-" lines for ever, one every N seconds
    lenteur: float = 0.0  # seconds before every answer
    lenteur_message: float = 0.0  # seconds before each answer to MAIL, RCPT and DATA
    fermer_apres: int | None = None  # close a connection once it has taken this many messages
    auth_refusee_des: int | None = None  # refuse AUTH from this connection (1-based) on


class Scripte:
    def __init__(self, utilisateur: str, mot_de_passe: str) -> None:
        self.identifiants = f"\0{utilisateur}\0{mot_de_passe}".encode()
        self.script = Script()
        self.recus: list[bytes] = []
        self.connexions = 0
        self._verrou = threading.Lock()
        self._arret = threading.Event()
        self._ecoute = socket.create_server(("127.0.0.1", 0))
        self.port = self._ecoute.getsockname()[1]
        threading.Thread(target=self._accepter, daemon=True).start()

    def remettre_a_zero(self, script: Script | None = None) -> None:
        with self._verrou:
            self.script, self.recus, self.connexions = script or Script(), [], 0

    def fermer(self) -> None:
        self._arret.set()
        self._ecoute.close()

    def _accepter(self) -> None:
        while not self._arret.is_set():
            try:
                conn, _ = self._ecoute.accept()
            except OSError:
                return
            with self._verrou:
                self.connexions += 1
                numero = self.connexions
            threading.Thread(target=self._servir, args=(conn, numero), daemon=True).start()

    def _servir(self, conn: socket.socket, numero: int) -> None:
        with conn, contextlib.suppress(OSError):  # the client went away: its business
            self._dialogue(conn, numero)

    def _attendre_la_fin(self, conn: socket.socket) -> None:
        """Silent: until the client hangs up (or DUREE_MAX)."""
        conn.settimeout(DUREE_MAX)
        with contextlib.suppress(OSError):
            while conn.recv(4096):
                pass

    def _dialogue(self, conn: socket.socket, numero: int) -> None:
        s = self.script
        fichier = conn.makefile("rb")

        def dire(texte: str, lenteur: float = 0.0) -> None:
            time.sleep(s.lenteur + lenteur)
            conn.sendall(texte.encode() + b"\r\n")

        if s.salut_sans_fin is not None:
            fin = time.monotonic() + DUREE_MAX
            while time.monotonic() < fin and not self._arret.is_set():
                conn.sendall(b"220-encore un instant\r\n")
                time.sleep(s.salut_sans_fin)
            return
        dire("220 scripte ESMTP")
        pris_ici = 0
        while ligne := fichier.readline():
            commande = ligne[:4].upper()
            if commande == b"EHLO":
                if s.ehlo_421:
                    dire("421 4.3.2 Service saturé, revenez plus tard")
                    return
                dire("250-scripte\r\n250-AUTH PLAIN LOGIN\r\n250 8BITMIME")
            elif commande == b"AUTH":
                jeton = ligne.split()[-1]
                refusee = s.auth_refusee_des is not None and numero >= s.auth_refusee_des
                bon = len(ligne.split()) == 3 and base64.b64decode(jeton) == self.identifiants
                dire("235 2.7.0 Bienvenue" if bon and not refusee else "535 5.7.8 Identifiants refusés")
            elif commande in (b"MAIL", b"RCPT"):
                dire("250 2.0.0 Ok", s.lenteur_message)
            elif commande in (b"RSET", b"NOOP", b"HELO"):
                dire("250 2.0.0 Ok")
            elif commande == b"DATA":
                dire("354 Terminez par un point", s.lenteur_message)
                corps = b""
                while (suite := fichier.readline()) != FIN_DONNEES:
                    if not suite:
                        return  # cut before the end of the data: nothing held
                    corps += suite[1:] if suite.startswith(b"..") else suite
                with self._verrou:
                    self.recus.append(corps)
                    rang = len(self.recus)
                pris_ici += 1
                if s.au_message in (None, rang) and s.apres_donnees != "250":
                    if s.apres_donnees == "couper":
                        return
                    if s.apres_donnees == "silence":
                        self._attendre_la_fin(conn)
                        return
                    dire("merci, bien reçu")  # "bizarre": no SMTP code
                    continue
                dire("250 2.0.0 Ok: queued")
                if s.fermer_apres is not None and pris_ici >= s.fermer_apres:
                    return
            elif commande == b"QUIT":
                dire("221 2.0.0 Au revoir")
                return
            else:
                dire("500 5.5.2 Commande inconnue")

"""A real SMTP server for the tests of campaign envoyer: aiosmtpd's handler recording every
message and RCPT, with faults set by each test; and the campagne the server is tested with."""

from __future__ import annotations

import asyncio
import csv
import socket
import threading
from dataclasses import dataclass, field
from email import message_from_bytes
from email.message import EmailMessage
from email.policy import default
from pathlib import Path

from aiosmtpd.smtp import AuthResult, LoginPassword

from campaign.cli import main
from campaign.envoyer.publipostage import Courrier

LIVREE = Path(__file__).parents[1] / "inputs" / "2026-2027"
UTILISATEUR = "clas@caf26.example"
MOT_DE_PASSE = "Sésame-ouvre-toi 42!"
PIEGE = "direction@asso-piege.example\nautre@asso-piege.example, troisieme@asso-piege.example"
DATE = "2026-12-01"
ATTENTES = "0.05,0.05,0.05"


@dataclass
class Recu:
    expediteur: str
    destinataires: list[str]
    octets: bytes

    @property
    def message(self) -> EmailMessage:
        return message_from_bytes(self.octets, policy=default)  # type: ignore[return-value]


@dataclass
class Comportement:
    """What the server does, set by each test."""

    refuser: dict[str, str] = field(default_factory=dict)  # RCPT address -> reply
    echecs_data: int = 0  # the first N DATA get a 451
    couper_au: int | None = None  # take this DATA (1-based) then drop the connection, once
    couper_au_rcpt: bool = False  # drop the connection at every RCPT (before any data)
    bloquer_au: int | None = None  # hold this DATA (1-based) until the test kills the client
    bloque: threading.Event = field(default_factory=threading.Event)


class Boite:
    """The handler: records every envelope and every RCPT tried."""

    def __init__(self) -> None:
        self.comportement = Comportement()
        self.recus: list[Recu] = []
        self.rcpt_tentes: list[str] = []
        self.datas = 0

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        self.rcpt_tentes.append(address)
        if self.comportement.couper_au_rcpt:
            server.transport.close()
            return "421 4.4.2 Coupure"
        if address in self.comportement.refuser:
            return self.comportement.refuser[address]
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        c = self.comportement
        self.datas += 1
        if c.echecs_data > 0:
            c.echecs_data -= 1
            return "451 4.3.0 Essayez plus tard"
        self.recus.append(Recu(envelope.mail_from, list(envelope.rcpt_tos), envelope.content))
        if c.couper_au is not None and self.datas == c.couper_au:  # it has the message: no answer
            c.couper_au = None
            server.transport.close()
            return "421 4.4.2 Coupure"
        if c.bloquer_au is not None and len(self.recus) == c.bloquer_au:
            c.bloque.set()
            await asyncio.sleep(5)
        return "250 2.0.0 Ok: queued"


def _authentifier(server, session, envelope, mechanism, auth_data):
    ok = (
        isinstance(auth_data, LoginPassword)
        and auth_data.login == UTILISATEUR.encode()
        and auth_data.password == MOT_DE_PASSE.encode()
    )
    return AuthResult(success=ok, handled=False)


def port_libre() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def siret(debut: str) -> str:
    """A SIRET of 14 digits with its Luhn check digit."""
    for d in "0123456789":
        s = debut + d
        total = sum(
            int(c) * (2 if i % 2 else 1) // 10 + int(c) * (2 if i % 2 else 1) % 10
            for i, c in enumerate(reversed(s))
        )
        if total % 10 == 0:
            return s
    raise AssertionError


EN_PLUS = {  # INCOMPLET dossiers (no Budget sheet) written for these tests
    "zz_atelier_des_sciences.xlsx": ("Atelier des sciences", "contact@atelier-sciences.example"),
    "zz_ecole_des_parents.xlsx": ("École des parents", "accueil@ecole-parents26.example"),
    "zz_les_ptits_loups.xlsx": ("Les P'tits Loups", "bureau.ptits-loups@asso26.example"),
    "zz_piege.xlsx": ("Association Piège", PIEGE),
    "zz_sans_courriel.xlsx": ("Association Sans Courriel", None),
}


# --- what the tests see of a campagne and its sending ---------------------------------

# the piège (line break, comma, three addresses), no e-mail, and a shipped dossier whose
# domain ends with a dash ("centre-social-la-maison-.example")
PAR_LA_POSTE = {"zz_piege.xlsx", "zz_sans_courriel.xlsx", "defaut_date_impossible.xlsx"}
COURRIELS_PIEGE = {"direction@asso-piege.example", "autre@asso-piege.example", "troisieme@asso-piege.example"}


def envoyer(base: Path, *options: str) -> int:
    return main(
        ["envoyer", str(base / "campagne"), "--out", str(base / "sortie"), "--attentes", ATTENTES, *options]
    )


def publipostage(base: Path) -> list[dict[str, str]]:
    with (base / "sortie" / "publipostage.csv").open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def par_courriel(base: Path) -> list[dict[str, str]]:
    """The letters that must leave by e-mail: sendable, with a usable address."""
    return [r for r in publipostage(base) if r["envoyable"] == "oui" and r["fichier"] not in PAR_LA_POSTE]


def journal(base: Path) -> list[dict[str, str]]:
    chemin = base / "campagne" / "envois" / "journal.csv"
    if not chemin.is_file():
        return []
    with chemin.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def noms_recus(boite: Boite) -> list[str]:
    return sorted(next(boite_recu.message.iter_attachments()).get_filename() for boite_recu in boite.recus)


def attendus(base: Path) -> list[str]:
    return sorted(r["courrier"].removeprefix("courriers/") for r in par_courriel(base))


# a DECISION letter of publipostage.csv, for the tests that need no campagne
DECISION = Courrier(
    "a.xlsx",
    "73282932000074",
    "Les Petits Savants",
    "sam@asso.example",
    "1 rue",
    "26000",
    "Die",
    "courriers/73282932000074-les-petits-savants.pdf",
    "DECISION",
    True,
    "2027-01-20",
    "e1" * 32,
    "s1" * 32,
)

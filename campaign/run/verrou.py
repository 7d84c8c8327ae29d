"""A lock: one command at a time on an output folder (run, envoyer) or on the journal.

The lock is a small file created with O_CREAT|O_EXCL (atomic on every local file system)
holding the pid, the command and the time it was taken. A lock whose process is dead (a
killed run, a power cut) is stale and taken over; a held one stops the command with exit 2
and a sentence naming the process that holds it.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import socket
import time
from pathlib import Path
from types import TracebackType
from typing import Self

from campaign.erreurs import CampaignError

AGE_ILLISIBLE = 10.0  # seconds: an unreadable lock older than this was left half-written


def _vivant(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process: alive
        return True
    return True


class Verrou:
    """`with Verrou(chemin_du_verrou, "campaign run", objet):` - `objet` names what is locked."""

    def __init__(self, chemin: Path, commande: str, objet: str):
        self.chemin = chemin
        self.commande = commande
        self.objet = objet
        self._pris = False

    def _contenu(self) -> bytes:
        return json.dumps(
            {
                "pid": os.getpid(),
                "machine": socket.gethostname(),
                "commande": self.commande,
                "debut": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            },
            ensure_ascii=False,
        ).encode("utf-8")

    def _creer(self) -> bool:
        try:
            fd = os.open(self.chemin, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
        except FileExistsError:
            return False
        with os.fdopen(fd, "wb") as f:
            f.write(self._contenu())
            f.flush()
            os.fsync(f.fileno())
        return True

    def _detenteur(self) -> tuple[dict | None, bytes]:
        try:
            brut = self.chemin.read_bytes()
        except FileNotFoundError:
            return None, b""
        try:
            info = json.loads(brut)
            return (info if isinstance(info, dict) and isinstance(info.get("pid"), int) else {}), brut
        except ValueError:
            return {}, brut

    def _perime(self, info: dict) -> bool:
        if not info:  # unreadable: a process died between creating and writing it
            try:
                return time.time() - self.chemin.stat().st_mtime > AGE_ILLISIBLE
            except FileNotFoundError:
                return True
        if info.get("machine") not in (None, socket.gethostname()):
            return False  # another machine's process: we cannot tell, so it holds
        return not _vivant(info["pid"])

    def prendre(self) -> None:
        self.chemin.parent.mkdir(parents=True, exist_ok=True)
        for _ in range(5):
            if self._creer():
                self._pris = True
                return
            info, brut = self._detenteur()
            if info is None:
                continue  # released in between: try again
            if not self._perime(info):
                raise CampaignError(
                    f"{self.objet} est déjà utilisé par une autre commande "
                    f"(« {info.get('commande', '?')} », processus {info.get('pid', '?')}, "
                    f"depuis {info.get('debut', '?')}) : attendez qu'elle se termine, puis "
                    f"relancez ; si aucune ne tourne, supprimez le fichier {self.chemin}."
                )
            try:
                if self.chemin.read_bytes() == brut:  # still the stale one: take it over
                    self.chemin.unlink()
            except FileNotFoundError:
                pass
        raise CampaignError(f"Impossible de prendre le verrou {self.chemin} : relancez la commande.")

    def rendre(self) -> None:
        if self._pris:
            info, _ = self._detenteur()
            if info and info.get("pid") == os.getpid():
                self.chemin.unlink(missing_ok=True)
            self._pris = False

    def __enter__(self) -> Self:
        self.prendre()
        return self

    def __exit__(
        self, t: type[BaseException] | None, e: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.rendre()


def verrou_sortie(sortie: Path, commande: str) -> Verrou:
    """The lock of an output folder: `.<name>.verrou` beside it (the folder itself is a link,
    switched at each run: its last component is not followed)."""
    sortie = Path(os.path.abspath(sortie))
    sortie = sortie.parent.resolve() / sortie.name
    return Verrou(sortie.with_name(f".{sortie.name}.verrou"), commande, f"Le dossier de sortie {sortie}")

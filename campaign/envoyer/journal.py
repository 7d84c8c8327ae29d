"""The journal of every sending attempt: `CAMPAGNE_DIR/envois/journal.csv` (envoi.md §4).

Append-only, in time order, one row per event, each row on disk (fsync) before the next
step: a killed process loses nothing, and a rerun knows exactly what left. Cells are
neutralised against formula injection like every CSV of the campagne (sorties.md §2).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
from dataclasses import dataclass, field
from pathlib import Path

from campaign.verrou import Verrou

DOSSIER = "envois"
NOM = "journal.csv"
COLONNES = (
    "horodatage",
    "fichier",
    "courrier",
    "siret",
    "nature",
    "date_courrier",
    "empreinte",
    "sha256",
    "destinataire",
    "resultat",
    "code_smtp",
    "reponse_serveur",
    "message_id",
)
TENTATIVE, ENVOYE, REFUSE, ECHEC, POSTE = "TENTATIVE", "ENVOYE", "REFUSE", "ECHEC-TEMPORAIRE", "POSTE"
DANGEREUX = ("=", "+", "-", "@", "\t", "\r")


def neutraliser(texte: str) -> str:
    """A leading apostrophe before a cell a spreadsheet would run as a formula."""
    return "'" + texte if texte.lstrip(" ").startswith(DANGEREUX) else texte


def retablir(texte: str) -> str:
    """The text as read, from a neutralised cell (its leading apostrophe removed)."""
    return texte[1:] if texte.startswith("'") and texte[1:].lstrip(" ").startswith(DANGEREUX) else texte


def identite(siret: str, fichier: str, nature: str, empreinte: str) -> tuple[str, str, str]:
    """A letter is known by its siret (its file when the siret is unknown), nature, empreinte."""
    return (siret or fichier, nature, empreinte)


@dataclass
class Etat:
    """What the journal says of one letter."""

    resultats: list[str] = field(default_factory=list)

    @property
    def parti(self) -> bool:
        return ENVOYE in self.resultats or POSTE in self.resultats

    @property
    def dernier(self) -> str | None:
        return self.resultats[-1] if self.resultats else None


class Journal:
    def __init__(self, dossier_campagne: Path):
        self.chemin = dossier_campagne / DOSSIER / NOM
        self.verrou = Verrou(
            self.chemin.with_name(f".{NOM}.verrou"),
            "campaign envoyer",
            f"Le journal des envois {self.chemin}",
        )
        self.lignes: list[dict[str, str]] = []

    def lire(self) -> Journal:
        self.lignes = []
        if self.chemin.is_file():
            with self.chemin.open(encoding="utf-8", newline="") as f:
                for r in csv.DictReader(f):
                    if None in r.values() or None in r:  # a row cut by a power failure
                        continue
                    self.lignes.append({k: retablir(v) for k, v in r.items()})
        return self

    def etats(self) -> dict[tuple[str, str, str], Etat]:
        etats: dict[tuple[str, str, str], Etat] = {}
        for r in self.lignes:
            etats.setdefault(
                identite(r["siret"], r["fichier"], r["nature"], r["empreinte"]), Etat()
            ).resultats.append(r["resultat"])
        return etats

    def envoyes(self, nature: str) -> dict[str, list[dict[str, str]]]:
        """ENVOYE rows of that nature, by dossier (siret, or file when unknown)."""
        par: dict[str, list[dict[str, str]]] = {}
        for r in self.lignes:
            if r["resultat"] == ENVOYE and r["nature"] == nature:
                par.setdefault(r["siret"] or r["fichier"], []).append(r)
        return par

    def ajouter(
        self,
        courrier,
        resultat: str,
        destinataire: str = "",
        code: int | str = "",
        reponse: str = "",
        message_id: str = "",
    ) -> None:
        """One row, on disk before this returns."""
        horodatage = dt.datetime.now(dt.UTC).isoformat(timespec="milliseconds")
        ligne = {
            "horodatage": horodatage,
            "fichier": courrier.fichier,
            "courrier": courrier.courrier,
            "siret": courrier.siret,
            "nature": courrier.nature,
            "date_courrier": courrier.date_courrier,
            "empreinte": courrier.empreinte,
            "sha256": courrier.sha256,
            "destinataire": destinataire,
            "resultat": resultat,
            "code_smtp": str(code),
            "reponse_serveur": " ".join(reponse.split())[:300],
            "message_id": message_id,
        }
        tampon = io.StringIO()
        w = csv.writer(tampon)
        nouveau = not self.chemin.is_file() or self.chemin.stat().st_size == 0
        if nouveau:
            self.chemin.parent.mkdir(parents=True, exist_ok=True)
            w.writerow(COLONNES)
        w.writerow([neutraliser(ligne[c]) for c in COLONNES])
        with self.chemin.open("ab") as f:
            if not nouveau and not _fini(self.chemin):
                f.write(b"\r\n")  # the previous row was cut: never glue a row to it
            f.write(tampon.getvalue().encode("utf-8"))
            f.flush()
            os.fsync(f.fileno())
        if nouveau:  # the file's name itself must survive a power cut
            fd = os.open(self.chemin.parent, os.O_RDONLY)
            try:
                os.fsync(fd)
            finally:
                os.close(fd)
        self.lignes.append(ligne)


def _fini(chemin: Path) -> bool:
    with chemin.open("rb") as f:
        f.seek(-1, os.SEEK_END)
        return f.read(1) == b"\n"

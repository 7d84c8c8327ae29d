"""The journal of every sending attempt: `CAMPAGNE_DIR/envois/journal.csv` (envoi.md §4, §6).

Append-only, in time order, one row per event, each row on disk (fsync) before the next
step: a killed process loses nothing, and a rerun knows exactly what left. Cells are
neutralised against formula injection like every CSV of the campagne (sorties.md §2).

Read strictly: every line must be exactly what `ajouter` writes (the header, 13 cells,
a known `resultat`, commas, CRLF, UTF-8 without BOM), else nothing starts and the journal is
left as it is. The one damage with a remedy, a last line without its end (a power cut during
a write), is set aside by `reparer`, the only code besides `ajouter` that writes the journal.
"""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import errno
import io
import os
from dataclasses import dataclass, field
from pathlib import Path

from campaign.erreurs import CampaignError
from campaign.run.console import lisible
from campaign.run.fichiers import ecrire_entier
from campaign.run.verrou import Verrou

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
RESULTATS = (TENTATIVE, ENVOYE, REFUSE, ECHEC, POSTE)
REPARER = "--reparer-journal"
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
        self.lues = 0  # rows read; those after were written by this command

    def lire(self) -> Journal:
        """Every row, exactly as written; a CampaignError naming the first line that is not."""
        try:
            octets = self.chemin.read_bytes()
        except FileNotFoundError:
            octets = b""
        if octets and not octets.endswith(b"\n"):
            debut, numero = octets.rfind(b"\n") + 1, octets.count(b"\n") + 1
            raise CampaignError(
                f"La dernière ligne du journal des envois {self.chemin} (ligne "
                f"{numero}) est coupée, sans fin de ligne, comme par une coupure "
                f"de courant pendant une écriture : « {_extrait(octets[debut:])} ». Rien n'a été "
                f"envoyé. Lancez la même commande avec {REPARER} : cette ligne sera mise de côté "
                "dans envois/journal-coupe-….txt et le journal ramené à sa dernière ligne complète."
            )
        self.lignes = [
            {k: retablir(v) for k, v in zip(COLONNES, cellules, strict=True)}
            for cellules in _rangees(octets, self.chemin)
        ]
        self.lues = len(self.lignes)
        return self

    @property
    def remis(self) -> bool:
        """Whether this command handed a message over (wrote a TENTATIVE row): exit 1, not 2."""
        return any(r["resultat"] == TENTATIVE for r in self.lignes[self.lues :])

    def reparer(self) -> tuple[Path, int] | None:
        """A last line without its end set aside in `journal-coupe-<horodatage>.txt`, the
        journal truncated to its last complete line; -> (that file, lines kept), or None when
        the journal ends whole. The rest must read strictly, or nothing is touched."""
        try:
            octets = self.chemin.read_bytes()
        except FileNotFoundError:
            return None
        if not octets or octets.endswith(b"\n"):
            self.lire()  # whole: said as it is, damaged or not
            return None
        debut = octets.rfind(b"\n") + 1
        _rangees(octets[:debut], self.chemin)
        horodatage = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
        cote, n = self.chemin.with_name(f"journal-coupe-{horodatage}.txt"), 1
        while cote.exists():
            n += 1
            cote = self.chemin.with_name(f"journal-coupe-{horodatage}-{n}.txt")
        try:
            ecrire_entier(cote, octets[debut:], durable=True)
            with self.chemin.open("r+b") as f:
                f.truncate(debut)
                os.fsync(f.fileno())
        except OSError as exc:
            raise self.erreur_ecriture(exc) from None
        return cote, octets[:debut].count(b"\n")

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
        nouveau = not self.chemin.is_file() or self.chemin.stat().st_size == 0
        contenu = (_rangee(COLONNES) if nouveau else "") + _rangee([neutraliser(ligne[c]) for c in COLONNES])
        try:
            if nouveau:
                self.chemin.parent.mkdir(parents=True, exist_ok=True)
            _ajouter_entier(self.chemin, contenu.encode("utf-8"))
            if nouveau:  # the file's name itself must survive a power cut
                fd = os.open(self.chemin.parent, os.O_RDONLY)
                try:
                    os.fsync(fd)
                finally:
                    os.close(fd)
        except OSError as exc:
            raise self.erreur_ecriture(exc) from None
        self.lignes.append(ligne)

    def erreur_ecriture(self, exc: OSError, chemin: Path | None = None) -> CampaignError:
        """`chemin` (the journal, or a post batch beside it) cannot be written: it lives in the
        campagne folder, whose disk is the one to free (--out cannot help)."""
        dossier = self.chemin.parent.parent
        if exc.errno in (errno.ENOSPC, errno.EDQUOT, errno.EFBIG):
            cause = f"le disque du dossier de campagne {dossier} est plein"
            remede = "libérez de la place sur ce disque (--out n'y change rien), puis relancez"
        else:
            cause = f"le système refuse d'y écrire ({exc.strerror or type(exc).__name__})"
            remede = f"vérifiez le disque et les droits du dossier de campagne {dossier}, puis relancez"
        suite = (
            " Ce qui n'est pas inscrit au journal n'est pas compté comme parti (un courrier remis "
            "au serveur sans que sa réponse soit inscrite est retenu, à vérifier)."
            if chemin is None
            else ""
        )
        return CampaignError(f"{chemin or self.chemin} ne peut pas être écrit : {cause} ; {remede}.{suite}")


def _ajouter_entier(chemin: Path, octets: bytes) -> None:
    """Append whole, on disk, or not at all: a write cut short (a full disk) is taken back, so
    that the journal never ends in half a row of ours."""
    with chemin.open("ab", buffering=0) as f:
        avant = os.fstat(f.fileno()).st_size
        reste = memoryview(octets)
        try:
            while reste:
                reste = reste[f.write(reste) or 0 :]
            os.fsync(f.fileno())
        except OSError:
            with contextlib.suppress(OSError):  # else the rerun shows the cut line, to set aside
                os.ftruncate(f.fileno(), avant)
            raise


def _rangee(cellules) -> str:
    """One row as `ajouter` writes it (csv's defaults: commas, minimal quoting, CRLF)."""
    tampon = io.StringIO()
    csv.writer(tampon).writerow(cellules)
    return tampon.getvalue()


def _extrait(octets: bytes) -> str:
    texte = lisible(octets.decode("utf-8", "replace").rstrip("\r\n"))
    return texte if len(texte) <= 160 else texte[:160] + "…"


def _rangees(octets: bytes, chemin: Path) -> list[list[str]]:
    """The rows' cells (header aside), each checked to be exactly what `ajouter` writes."""

    def refus(ligne: int, quoi: str) -> CampaignError:
        return CampaignError(
            f"Le journal des envois {chemin} ne peut pas être lu tel quel : la ligne {ligne} "
            f"{quoi}. Rien n'a été envoyé et le journal n'a pas été modifié. Ce journal ne "
            "s'ouvre ni ne s'enregistre dans un tableur : remettez-le tel que le programme l'a "
            "écrit (une sauvegarde, ou la ligne corrigée dans un éditeur de texte), puis "
            "relancez ; voir le README, « Après un incident »."
        )

    try:
        texte = octets.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise refus(octets[: exc.start].count(b"\n") + 1, "n'est pas du texte UTF-8") from None
    rangees: list[list[str]] = []
    position, ligne = 0, 1
    lecteur = csv.reader(io.StringIO(texte, newline=""), strict=True)
    while True:
        try:
            cellules = next(lecteur)
        except StopIteration:
            break
        except csv.Error as exc:
            raise refus(ligne, f"n'est pas une ligne CSV ({exc})") from None
        if not rangees and tuple(cellules) != COLONNES:
            raise refus(
                1,
                "n'est pas l'en-tête que le programme écrit (" + ",".join(COLONNES) + ") ; "
                "a-t-il été enregistré par un tableur (point-virgule, BOM, colonne ajoutée) ?",
            )
        if rangees and len(cellules) != len(COLONNES):
            raise refus(ligne, f"a {len(cellules)} cellules au lieu de {len(COLONNES)}")
        if rangees and cellules[COLONNES.index("resultat")] not in RESULTATS:
            raise refus(
                ligne,
                f"a le résultat « {_extrait(cellules[COLONNES.index('resultat')].encode())} », "
                f"qui n'est pas l'un de {', '.join(RESULTATS)}",
            )
        attendu = _rangee(cellules)
        if not texte.startswith(attendu, position) or any(neutraliser(retablir(c)) != c for c in cellules):
            raise refus(
                ligne, "n'est pas écrite comme le programme l'écrit (guillemets, espaces ou fin de ligne)"
            )
        rangees.append(cellules)
        position += len(attendu)
        ligne += attendu.count("\n")
    return rangees[1:]

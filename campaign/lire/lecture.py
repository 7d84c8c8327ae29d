"""Reading a campagne folder: every file listed, every dossier read with its cells.

Reading keeps each value raw, with its sheet and Excel cell; typing and checking come
after, campagne-wide (see `validation`). A file that cannot be opened becomes ILLISIBLE
with an anomaly, never an exception; lock and hidden files are IGNORE.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from campaign import formulaire as F
from campaign.lire.anomalies import Anomalie, anomalie
from campaign.lire.archive import PROTEGE, ArchiveRefusee
from campaign.lire.classeur import ouvrir as ouvrir_classeur
from campaign.lire.entrees import lire_entree, nom_affiche, phrase
from campaign.lire.feuilles import LECTEURS
from campaign.lire.saisie import SANS_VALEUR

EXTENSIONS = {".xlsx", ".xlsm", ".ods", ".xls", ".xlsb"}  # python-calamine reads them all
LU, ILLISIBLE, IGNORE = "LU", "ILLISIBLE", "IGNORE"


@dataclass
class Lecture:
    """One file of the folder as read: raw values keyed by field, with their cells."""

    fichier: str
    sha256: str
    statut: str
    anomalies: list[Anomalie] = field(default_factory=list)
    # sheet -> list of records; a record maps field key -> (raw value, cell)
    feuilles: dict[str, list[dict[str, tuple[object, str]]]] = field(default_factory=dict)
    noms_feuilles: dict[str, str] = field(default_factory=dict)  # expected -> as typed


def lire_fichier(chemin: Path) -> Lecture:
    nom = nom_affiche(chemin.name)
    contenu = lire_entree(chemin)
    if contenu.sorte == "dossier":
        n = int(contenu.detail)
        return Lecture(
            nom,
            "",
            IGNORE,
            [
                anomalie(
                    "SOUS-DOSSIER",
                    nom,
                    f"« {nom} » est un sous-dossier : il n'est pas lu ({n} classeur"
                    f"{'s' if n > 1 else ''} dedans) ; placez chaque dossier directement dans le dossier "
                    "de campagne.",
                )
            ],
        )
    if nom.startswith(("~$", ".")):  # lock and hidden files: listed, never parsed
        return Lecture(nom, contenu.sha256, IGNORE)
    lecture = Lecture(nom, contenu.sha256, LU)
    if contenu.octets is None:
        return _illisible(lecture, "FICHIER-ILLISIBLE", phrase(contenu, nom))
    if chemin.suffix.lower() not in EXTENSIONS:
        return _illisible(
            lecture,
            "FORMAT-NON-RECONNU",
            f"« {nom} » n'est pas un classeur (.xlsx, .xlsm, .ods, .xls, .xlsb) ; "
            "enregistrez le dossier au format Excel (.xlsx) ou retirez ce fichier du "
            "dossier de campagne.",
        )
    try:
        inspection, feuilles, brutes = ouvrir_classeur(contenu.octets)
    except ArchiveRefusee as exc:
        return _illisible(lecture, exc.anomalie, f"Le fichier ne peut pas être lu : {exc}.")
    except Exception as exc:  # untrusted bytes: any parser failure is ILLISIBLE
        if any(mot in str(exc).lower() for mot in ("password", "encrypt")):
            return _illisible(lecture, "FICHIER-PROTEGE", f"Le fichier ne peut pas être lu : {PROTEGE}.")
        return _illisible(
            lecture,
            "FICHIER-ILLISIBLE",
            "Le fichier ne peut pas être ouvert comme classeur "
            f"({type(exc).__name__}) ; enregistrez-le à nouveau au format .xlsx, "
            "sans mot de passe.",
        )
    lecture.noms_feuilles = feuilles
    for nom_feuille, lignes in brutes.items():
        vraie = feuilles[nom_feuille].strip()
        lecture.feuilles[nom_feuille] = LECTEURS[nom_feuille](lecture, nom_feuille, vraie, lignes)
    for nom_feuille in F.FEUILLES:
        if nom_feuille not in feuilles:
            lecture.anomalies.append(
                anomalie(
                    "FEUILLE-MANQUANTE",
                    nom,
                    feuille=nom_feuille,
                    message=f"La feuille « {nom_feuille} » est absente du classeur ; reprenez-la du "
                    "dossier vierge et remplissez-la.",
                )
            )
    _formules_sans_valeur(lecture, inspection.formules_sans_valeur, feuilles)
    return lecture


def _illisible(lecture: Lecture, code: str, message: str) -> Lecture:
    lecture.statut = ILLISIBLE
    lecture.feuilles = {}
    lecture.anomalies = [anomalie(code, lecture.fichier, message)]
    return lecture


def _formules_sans_valeur(lecture: Lecture, formules: dict[str, list[str]], feuilles: dict[str, str]) -> None:
    """Report formula cells read without a cached value, and mark their value as unknown."""
    for nom, vraie in feuilles.items():
        cellules = set(formules.get(vraie, []))
        if not cellules:
            continue
        for record in lecture.feuilles.get(nom, []):
            for cle_champ, (_, cellule) in list(record.items()):
                if cellule not in cellules:
                    continue
                record[cle_champ] = (SANS_VALEUR, cellule)
                lecture.anomalies.append(
                    anomalie(
                        "FORMULE-SANS-VALEUR",
                        lecture.fichier,
                        feuille=vraie.strip(),
                        cellule=cellule,
                        message=f"La cellule {vraie.strip()}!{cellule} contient une formule dont le "
                        "résultat n'a pas été enregistré ; ouvrez le fichier dans Excel ou "
                        "LibreOffice et enregistrez-le, ou tapez la valeur.",
                    )
                )

"""Reading a campagne folder: every file listed, every dossier read with its cells.

Reading keeps each value raw, with its sheet and Excel cell; typing and checking come
after, campagne-wide (see `validation`). A file that cannot be opened becomes ILLISIBLE
with an anomaly, never an exception; lock and hidden files are IGNORE.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from campaign import formulaire as F
from campaign.lire.anomalies import Anomalie, anomalie, lettre_colonne, non_imprimables
from campaign.lire.archive import ArchiveRefusee
from campaign.lire.caracteres import nettoyer
from campaign.lire.classeur import ouvrir as ouvrir_classeur
from campaign.lire.entrees import lire_entree, nom_affiche, phrase
from campaign.lire.feuilles import LECTEURS
from campaign.lire.police import imprimable, rendre_imprimables
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
    except ArchiveRefusee as exc:  # untrusted bytes: what cannot be opened is said in a sentence
        return _illisible(lecture, exc.anomalie, f"Le fichier ne peut pas être lu : {exc}.")
    if not feuilles:  # listed as unreadable: no letter can be addressed from it
        return _illisible(
            lecture,
            "PAS-UN-DOSSIER",
            "Ce classeur n'est pas un dossier CLAS : aucune des feuilles Porteur, Projet, "
            "Collectifs, Budget ; retirez-le du dossier de campagne, ou demandez au porteur "
            "son dossier rempli à partir du dossier vierge.",
        )
    lecture.noms_feuilles = {k: nettoyer(v) for k, v in feuilles.items()}
    perdus: dict[str, tuple[str, str]] = {}  # character lost -> (sheet, cell) where first seen
    for nom_feuille, lignes in brutes.items():
        vraie, lettres = imprimable(lecture.noms_feuilles[nom_feuille])
        vraie = vraie.strip()
        for ch in lettres:
            perdus.setdefault(ch, (vraie, ""))
        for ch, (r, j) in rendre_imprimables(lignes).items():
            perdus.setdefault(ch, (vraie, f"{lettre_colonne(j)}{r + 1}"))
        lecture.noms_feuilles[nom_feuille] = vraie
        lecture.feuilles[nom_feuille] = LECTEURS[nom_feuille](lecture, nom_feuille, vraie, lignes)
    if perdus:
        lecture.anomalies.append(non_imprimables(nom, perdus))
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
    for nom, brut in feuilles.items():
        cellules = set(formules.get(brut, []))
        vraie = lecture.noms_feuilles.get(nom, brut)
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
                        feuille=vraie,
                        cellule=cellule,
                        message=f"La cellule {vraie}!{cellule} contient une formule dont le "
                        "résultat n'a pas été enregistré ; ouvrez le fichier dans Excel ou "
                        "LibreOffice et enregistrez-le, ou tapez la valeur.",
                    )
                )

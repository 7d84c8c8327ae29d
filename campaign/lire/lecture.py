"""Reading a campagne folder: every file listed, every dossier read with its cells.

Reading keeps each value raw, with its sheet and Excel cell; typing and checking come
after, campagne-wide (see `validation`). A file that cannot be opened becomes ILLISIBLE
with an anomaly, never an exception; lock and hidden files are IGNORE.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from functools import cache, lru_cache
from pathlib import Path

from campaign import formulaire as F
from campaign.lire.anomalies import Anomalie, anomalie, lettre_colonne
from campaign.lire.archive import PROTEGE, ArchiveRefusee
from campaign.lire.classeur import ouvrir as ouvrir_classeur
from campaign.lire.entrees import lire_entree, nom_affiche, phrase
from campaign.lire.saisie import SANS_VALEUR, cle_libelle, est_vide

EXTENSIONS = {".xlsx", ".xlsm", ".ods", ".xls", ".xlsb"}  # python-calamine reads them all
LU, ILLISIBLE, IGNORE = "LU", "ILLISIBLE", "IGNORE"
LIGNES_ENTETE = 20  # the Collectifs header is looked for in the first rows


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


@cache
def _index_libelles(feuille: str) -> dict[str, str]:
    index = {}
    for c in F.FEUILLES[feuille]:
        index[cle_libelle(c.libelle)] = c.cle
        index[cle_libelle(c.cle) + cle_libelle(c.libelle)] = c.cle
        if feuille in ("Projet", "Budget"):
            index.setdefault(cle_libelle(c.cle), c.cle)
    return index


@lru_cache(maxsize=8192)
def champ_du_libelle(feuille: str, libelle: str) -> str | None:
    """Field key of a (possibly retyped) label, or None when it is not one of ours."""
    index = _index_libelles(feuille)
    k = cle_libelle(libelle)
    if not k:
        return None
    if k in index:
        return index[k]
    proche = difflib.get_close_matches(k, index.keys(), n=1, cutoff=0.88)
    return index[proche[0]] if proche else None


def _libelles_reponses(lecture: Lecture, feuille: str, vraie: str, lignes: list[list]) -> list:
    """Porteur and Projet: label in column A, answer in column B."""
    record: dict[str, tuple[object, str]] = {}
    for r, ligne in enumerate(lignes):
        if not ligne or est_vide(ligne[0]):
            continue
        cle_champ = champ_du_libelle(feuille, str(ligne[0]))
        # the answer is in B; a label merged over A:B pushes it to the right
        colonne = next((j for j in range(1, min(len(ligne), 5)) if not est_vide(ligne[j])), 1)
        valeur = ligne[colonne] if len(ligne) > colonne else ""
        if cle_champ is None:
            if not est_vide(valeur):
                lecture.anomalies.append(
                    anomalie(
                        "LIBELLE-INCONNU",
                        lecture.fichier,
                        feuille=vraie,
                        cellule=f"A{r + 1}",
                        valeur=ligne[0],
                        message=f"Le libellé « {ligne[0]} » n'est pas attendu : "
                        "sa réponse est ignorée. Reprenez le libellé du dossier vierge si besoin.",
                    )
                )
            continue
        if cle_champ not in record or (est_vide(record[cle_champ][0]) and not est_vide(valeur)):
            record[cle_champ] = (valeur, f"{lettre_colonne(colonne)}{r + 1}")
    for c in F.FEUILLES[feuille]:
        if c.requis and c.cle not in record:
            lecture.anomalies.append(
                anomalie(
                    "LIBELLE-MANQUANT",
                    lecture.fichier,
                    feuille=vraie,
                    champ=c.libelle,
                    message=f"La ligne « {c.libelle} » est absente de la feuille {vraie} ; ajoutez-la "
                    "en colonne A avec la réponse en colonne B.",
                )
            )
    return [record]


def _budget(lecture: Lecture, feuille: str, vraie: str, lignes: list[list]) -> list:
    """Budget: code in column A (or its label in B), amount in column C."""
    record: dict[str, tuple[object, str]] = {}
    for r, ligne in enumerate(lignes):
        ligne = list(ligne) + [""] * (3 - len(ligne))
        cle_champ = None
        if not est_vide(ligne[0]):
            cle_champ = champ_du_libelle("Budget", str(ligne[0]))
        if cle_champ is None and not est_vide(ligne[1]):
            cle_champ = champ_du_libelle("Budget", str(ligne[1]))
        if cle_champ is None:
            if r > 0 and not est_vide(ligne[2]) and not _ligne_de_total(ligne):
                lecture.anomalies.append(
                    anomalie(
                        "LIGNE-BUDGET-INCONNUE",
                        lecture.fichier,
                        feuille=vraie,
                        cellule=f"C{r + 1}",
                        valeur=ligne[2],
                        champ=str(ligne[1] or ligne[0]),
                        message=f"{vraie}!C{r + 1} : la ligne « {ligne[0]} {ligne[1]} » n'est pas une "
                        "ligne du budget ; reportez son montant sur la ligne de sa catégorie "
                        "(C60 à C68, CI, P70 à P78...) pour qu'il soit compté.",
                    )
                )
            continue
        if cle_champ in record:
            precedente = record[cle_champ][1]
            lecture.anomalies.append(
                anomalie(
                    "LIGNE-BUDGET-DOUBLE",
                    lecture.fichier,
                    feuille=vraie,
                    cellule=f"C{r + 1}",
                    valeur=ligne[2],
                    champ=cle_champ,
                    message=f"{vraie}!C{r + 1} : la ligne {cle_champ} figure deux fois (aussi en "
                    f"{precedente}) ; regroupez les montants sur une seule ligne.",
                )
            )
            continue
        record[cle_champ] = (ligne[2], f"C{r + 1}")
    for c in F.BUDGET:
        if c.cle not in record:
            lecture.anomalies.append(
                anomalie(
                    "LIGNE-BUDGET-ABSENTE",
                    lecture.fichier,
                    feuille=vraie,
                    champ=c.libelle,
                    message=f"La ligne « {c.cle} {c.libelle} » est absente du budget ; elle est "
                    "comptée pour 0 €.",
                )
            )
    return [record]


def _ligne_de_total(ligne: list) -> bool:
    """A total or balance line (the blank dossier has three, with no code)."""
    return est_vide(ligne[0]) and cle_libelle(ligne[1]).startswith(
        ("total", "equilibre", "solde", "resultat")
    )


def _collectifs(lecture: Lecture, feuille: str, vraie: str, lignes: list[list]) -> list:
    """Collectifs: headers in the first rows (row 1 in the blank dossier), one row each."""
    entete = 0
    colonnes: dict[int, str] = {}
    for r, ligne in enumerate(lignes[:LIGNES_ENTETE]):
        trouve = {i: champ_du_libelle(feuille, str(v)) for i, v in enumerate(ligne) if not est_vide(v)}
        retenus = {i: k for i, k in trouve.items() if k}
        if len(retenus) > len(colonnes):
            entete, colonnes = r, retenus
    vues = set()
    for i, v in enumerate(lignes[entete] if lignes else []):
        if est_vide(v):
            continue
        if i not in colonnes or colonnes[i] in vues:
            lecture.anomalies.append(
                anomalie(
                    "COLONNE-INCONNUE",
                    lecture.fichier,
                    feuille=vraie,
                    cellule=f"{lettre_colonne(i)}{entete + 1}",
                    valeur=v,
                    message=f"La colonne « {v} » n'est pas attendue : elle est ignorée.",
                )
            )
            colonnes.pop(i, None)
        else:
            vues.add(colonnes[i])
    for c in F.COLLECTIFS:
        if c.cle not in vues:
            lecture.anomalies.append(
                anomalie(
                    "COLONNE-MANQUANTE",
                    lecture.fichier,
                    feuille=vraie,
                    champ=c.libelle,
                    message=f"La colonne « {c.libelle} » est absente de la feuille {vraie} ; "
                    f"ajoutez-la à la ligne des en-têtes (ligne {entete + 1}) et remplissez-la "
                    "pour chaque collectif.",
                )
            )
    records = []
    entetes = lignes[entete] if lignes else []
    sans_entete: dict[int, str] = {}  # column -> first cell holding data under no header
    for r in range(entete + 1, len(lignes)):
        ligne = lignes[r]
        for i in range(len(entetes), len(ligne)) if len(ligne) > len(entetes) else ():
            if not est_vide(ligne[i]):
                sans_entete.setdefault(i, f"{lettre_colonne(i)}{r + 1}")
        for i, v in enumerate(entetes):
            if est_vide(v) and i < len(ligne) and not est_vide(ligne[i]):
                sans_entete.setdefault(i, f"{lettre_colonne(i)}{r + 1}")
        if all(est_vide(ligne[i]) for i in colonnes if i < len(ligne)):
            continue  # a fully empty row is skipped
        records.append(
            {
                k: (ligne[i] if i < len(ligne) else "", f"{lettre_colonne(i)}{r + 1}")
                for i, k in colonnes.items()
            }
        )
    for i, cellule in sorted(sans_entete.items()):
        lecture.anomalies.append(
            anomalie(
                "COLONNE-INCONNUE",
                lecture.fichier,
                feuille=vraie,
                cellule=cellule,
                message=f"{vraie}!{cellule} : la colonne {lettre_colonne(i)} contient des données mais pas "
                "d'en-tête : elle est ignorée. Déplacez ces données dans la bonne colonne.",
            )
        )
    if len(records) > F.COLLECTIFS_MAX:
        lecture.anomalies.append(
            anomalie(
                "TROP-DE-COLLECTIFS",
                lecture.fichier,
                feuille=vraie,
                message=f"Le dossier décrit {len(records)} collectifs ; un dossier en compte "
                f"{F.COLLECTIFS_MAX} au plus : déposez les autres dans un second dossier.",
            )
        )
    if not records:
        lecture.anomalies.append(
            anomalie(
                "AUCUN-COLLECTIF",
                lecture.fichier,
                feuille=vraie,
                message="Aucun collectif n'est décrit ; remplissez une ligne par collectif à partir "
                "de la ligne 2.",
            )
        )
    return records


LECTEURS = {
    "Porteur": _libelles_reponses,
    "Projet": _libelles_reponses,
    "Collectifs": _collectifs,
    "Budget": _budget,
}


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

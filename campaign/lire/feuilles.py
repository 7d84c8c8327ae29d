"""The form's sheets read into raw records: Porteur and Projet (label, answer), Budget (by
line code), Collectifs (by header). Each value keeps its cell; problems become anomalies of
the file being read."""

from __future__ import annotations

import difflib
from functools import cache, lru_cache
from typing import Protocol

from campaign import formulaire as F
from campaign.lire.anomalies import Anomalie, anomalie, lettre_colonne
from campaign.lire.saisie import cle_libelle, est_vide

LIGNES_ENTETE = 20  # the Collectifs header is looked for in the first rows


class Lue(Protocol):
    """What a sheet reader needs of the file being read."""

    fichier: str
    anomalies: list[Anomalie]


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


def _libelles_reponses(lecture: Lue, feuille: str, vraie: str, lignes: list[list]) -> list:
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


def _budget(lecture: Lue, feuille: str, vraie: str, lignes: list[list]) -> list:
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


def _collectifs(lecture: Lue, feuille: str, vraie: str, lignes: list[list]) -> list:
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


def trouver_feuilles(noms: list[str], attendues: tuple[str, ...]) -> dict[str, str]:
    """Expected sheet -> actual sheet name, ignoring case, accents, spaces, a final 's'."""
    trouvees = {}
    for attendu in attendues:
        for nom in noms:
            if cle_libelle(nom).rstrip("s") == cle_libelle(attendu).rstrip("s"):
                trouvees[attendu] = nom
                break
    return trouvees


LECTEURS = {
    "Porteur": _libelles_reponses,
    "Projet": _libelles_reponses,
    "Collectifs": _collectifs,
    "Budget": _budget,
}

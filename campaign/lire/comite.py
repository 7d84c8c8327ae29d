"""Reading a committee's file: its avis, row by row, matched later by SIRET and collectif.

The file comes back from Excel or LibreOffice: untrusted like a dossier, it goes through
the same zip guard and the same reader (`lecture.ouvrir_classeur`). The sheet Collectifs
is found by name, its header row by its labels, in any column order (comite.md §2). What
cannot be read at all stops the run (one French sentence); what cannot be read in one row
is an anomaly, and that row's avis is not applied.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

from campaign.erreurs import CampaignError
from campaign.lire.anomalies import Anomalie, anomalie, lettre_colonne, non_imprimables, valeur_affichee
from campaign.lire.archive import ArchiveRefusee
from campaign.lire.caracteres import chiffres, nettoyer
from campaign.lire.classeur import ouvrir as ouvrir_classeur
from campaign.lire.entrees import lire_entree, phrase
from campaign.lire.feuilles import LIGNES_ENTETE
from campaign.lire.police import imprimable, rendre_imprimables
from campaign.lire.saisie import SANS_VALEUR, centimes, cle_libelle, est_vide, texte
from campaign.lire.seances import Seance

FEUILLE = "Collectifs"
LIGNES_COMITE = 20_000  # one row per collectif of the campagne: a bound, as for a dossier
FAVORABLE, DEFAVORABLE, AJOURNE = "Favorable", "Défavorable", "Ajourné"
AVIS = (FAVORABLE, DEFAVORABLE, AJOURNE)
ILLISIBLE = "ILLISIBLE"
_ORTHOGRAPHES = {
    FAVORABLE: ("favorable", "f", "fav", "oui", "accord"),
    DEFAVORABLE: ("defavorable", "d", "defav", "non", "refus"),
    AJOURNE: ("ajourne", "a", "reporte"),
}
_AVIS_DE = {cle_libelle(o): avis for avis, orthographes in _ORTHOGRAPHES.items() for o in orthographes}
# column label -> key; the first four are required
ENTETES = {
    "SIRET": "siret",
    "Collectif": "collectif",
    "Avis du comité": "avis",
    "Commentaire": "commentaire",
    "Fichier": "fichier",
    "Décision": "decision",
    "Total": "total",
}
REQUISES = ("SIRET", "Collectif", "Avis du comité", "Commentaire")
_CLES_ENTETES = {cle_libelle(libelle): libelle for libelle in ENTETES}


@dataclass(frozen=True)
class LigneAvis:
    """One row of the committee's sheet that carries an avis or a Commentaire."""

    ligne: int  # row number in the sheet, as Excel shows it
    cellules: dict[str, str]  # column label -> its cell on this row ('N12')
    valeurs: dict[str, object]  # column label -> raw value, as typed
    siret: str  # 14 digits, or '' when the cell is empty
    fichier: str
    collectif: str
    avis: str  # Favorable, Défavorable, Ajourné, or ILLISIBLE
    commentaire: str
    decision: str | None  # the proposition the committee saw, when the column is there
    total: int | None  # in cents, idem; -1 when the cell is not an amount (never equal)


@dataclass
class FichierComite:
    """A committee file as read: its session, its rows with an avis, its reading anomalies."""

    seance: Seance
    sha256: str
    feuille: str
    lignes: list[LigneAvis] = field(default_factory=list)
    anomalies: list[Anomalie] = field(default_factory=list)


def avis_lu(v: object) -> str | None:
    """'Fav.', ' favorable ', 'Oui' -> Favorable...; None when empty; ILLISIBLE otherwise."""
    if est_vide(v):
        return None
    if v is SANS_VALEUR or not isinstance(v, str):
        return ILLISIBLE
    return _AVIS_DE.get(cle_libelle(v), ILLISIBLE)


def siret_lu(v: object) -> str:
    """14 digits: spaces removed, a number left-padded with zeros (comite.md §2)."""
    if est_vide(v) or v is SANS_VALEUR:
        return ""
    if isinstance(v, float) and v.is_integer():
        v = int(v)
    if isinstance(v, int) and not isinstance(v, bool):
        return str(v).zfill(14)
    s = "".join(chiffres(str(v)).split())
    return s.zfill(14) if s.isascii() and s.isdigit() else s


def lire_comites(racine: Path, seances: tuple[Seance, ...]) -> list[FichierComite]:
    """Every declared committee file, in date order; CampaignError when one cannot be read."""
    return [lire_comite(racine, s) for s in seances]


def _refus(seance: Seance, raison: str) -> CampaignError:
    return CampaignError(
        f"Le fichier du comité « {seance.avis} » (séance du {seance.jour}) ne peut "
        f"pas être lu : {raison} ; enregistrez à nouveau le classeur rendu par le "
        "comité (.xlsx ou .ods) et relancez."
    )


def lire_comite(racine: Path, seance: Seance) -> FichierComite:
    # read as a dossier is (`entrees.lire_entree`): a regular file, never through a link, bounded
    entree = lire_entree(racine / seance.avis)
    if entree.octets is None:
        raise CampaignError(phrase(entree, seance.avis).replace("dossier de campagne", "dossier comite/"))
    contenu = entree.octets
    try:
        inspection, feuilles, brutes = ouvrir_classeur(contenu, (FEUILLE,), LIGNES_COMITE)
    except ArchiveRefusee as exc:
        raise _refus(seance, str(exc)) from exc
    if FEUILLE not in feuilles:
        raise _refus(seance, f"la feuille « {FEUILLE} » est introuvable")
    vraie, _ = imprimable(nettoyer(feuilles[FEUILLE]))
    lecture = FichierComite(seance, hashlib.sha256(contenu).hexdigest(), vraie.strip())
    lignes = brutes[FEUILLE]
    entete, colonnes = _entete(lignes)
    perdus = rendre_imprimables(lignes[entete + 1 :], set(colonnes))
    if perdus:  # the committee's words are quoted in letters and minutes
        lieux = {
            ch: (lecture.feuille, f"{lettre_colonne(j)}{entete + 2 + r}") for ch, (r, j) in perdus.items()
        }
        lecture.anomalies.append(non_imprimables(seance.avis, lieux))
    manquantes = [c for c in REQUISES if c not in colonnes.values()]
    if manquantes:
        raise _refus(
            seance,
            f"la feuille « {vraie.strip()} » n'a pas de ligne d'en-têtes avec "
            f"« {' », « '.join(manquantes)} » dans ses {LIGNES_ENTETE} premières lignes",
        )
    sans_valeur = set(inspection.formules_sans_valeur.get(vraie, []))
    for r in range(entete + 1, len(lignes)):
        ligne = _ligne(lecture, lignes[r], r + 1, colonnes, sans_valeur)
        if ligne is not None:
            lecture.lignes.append(ligne)
    return lecture


def _entete(lignes: list[list]) -> tuple[int, dict[int, str]]:
    """The row (in the first ones) with the most of our labels: column -> label."""
    entete, colonnes = 0, dict[int, str]()
    for r, ligne in enumerate(lignes[:LIGNES_ENTETE]):
        trouve: dict[int, str] = {}
        for i, v in enumerate(ligne):
            libelle = _CLES_ENTETES.get(cle_libelle(v)) if isinstance(v, str) else None
            if libelle and libelle not in trouve.values():
                trouve[i] = libelle
        if len(trouve) > len(colonnes):
            entete, colonnes = r, trouve
    return entete, colonnes


def _ligne(
    lecture: FichierComite, brute: list, numero: int, colonnes: dict[int, str], sans_valeur: set[str]
) -> LigneAvis | None:
    cellules = {libelle: f"{lettre_colonne(i)}{numero}" for i, libelle in colonnes.items()}
    valeurs = {
        libelle: (SANS_VALEUR if cellules[libelle] in sans_valeur else brute[i] if i < len(brute) else "")
        for i, libelle in colonnes.items()
    }
    avis_brut, commentaire_brut = valeurs["Avis du comité"], valeurs["Commentaire"]
    if est_vide(avis_brut) and est_vide(commentaire_brut):
        return None  # nothing said on this row: skipped without a word
    avis = avis_lu(avis_brut)
    commentaire = "" if commentaire_brut is SANS_VALEUR else _commentaire(commentaire_brut)
    if avis in (None, ILLISIBLE) or commentaire_brut is SANS_VALEUR:
        champ = "Commentaire" if commentaire_brut is SANS_VALEUR else "Avis du comité"
        lecture.anomalies.append(
            anomalie(
                "AVIS-ILLISIBLE",
                lecture.seance.avis,
                feuille=lecture.feuille,
                cellule=cellules[champ],
                champ=champ,
                valeur="" if valeurs[champ] is SANS_VALEUR else valeurs[champ],
                message=_message_illisible(cellules[champ], avis, valeurs[champ]),
            )
        )
        avis = ILLISIBLE
    elif len(" ".join(commentaire.split())) > COMMENTAIRE_MAX:
        lecture.anomalies.append(  # applied, but quoted cut in letters and minutes (comite.md §5)
            anomalie(
                "AVIS-COMMENTAIRE-LONG",
                lecture.seance.avis,
                feuille=lecture.feuille,
                cellule=cellules["Commentaire"],
                champ="Commentaire",
                valeur=commentaire[:80] + "…",
                message=f"Le commentaire de la cellule {cellules['Commentaire']} compte "
                f"{len(commentaire)} caractères : l'avis est appliqué, mais les courriers et le "
                f"procès-verbal le citent coupé après {COMMENTAIRE_MAX} caractères, suivi de « […] ». "
                "Résumez-le dans la cellule si le comité veut que son motif soit cité en entier.",
            )
        )
    total = valeurs.get("Total")
    total_lu = None if total is None or est_vide(total) or total is SANS_VALEUR else centimes(total)
    decision = valeurs.get("Décision")
    return LigneAvis(
        ligne=numero,
        cellules=cellules,
        valeurs=valeurs,
        siret=siret_lu(valeurs["SIRET"]),
        fichier=texte(valeurs.get("Fichier")) or "",
        collectif=texte(valeurs["Collectif"]) or "",
        avis=avis,
        commentaire=commentaire,
        decision=None if decision is None or est_vide(decision) else (texte(decision) or "").upper(),
        total=total_lu if isinstance(total_lu, int) else -1 if total_lu is not None else None,
    )


COMMENTAIRE_MAX = 600  # characters of a Commentaire quoted in letters and minutes (comite.md §5)
# the anomalies of a committee file whose avis applies
AVIS_APPLIQUES = ("AVIS-COMMENTAIRE-LONG", "CARACTERE-NON-IMPRIMABLE")


def _commentaire(v: object) -> str:
    """The committee's words, kept as typed (line breaks included), trimmed."""
    if est_vide(v):
        return ""
    return valeur_affichee(v).strip()


def _message_illisible(cellule: str, avis: str | None, valeur: object) -> str:
    if valeur is SANS_VALEUR:
        return (
            f"La cellule {cellule} contient une formule dont le résultat n'a pas été enregistré : "
            "l'avis n'est pas appliqué. Tapez l'avis et le commentaire en toutes lettres."
        )
    if avis is None:
        return (
            f"La cellule {cellule} est vide alors qu'un commentaire est écrit : l'avis n'est pas "
            "appliqué. Écrivez Favorable, Défavorable ou Ajourné."
        )
    return (
        f"L'avis « {valeur_affichee(valeur)} » de la cellule {cellule} n'est pas reconnu : il n'est "
        "pas appliqué. Écrivez Favorable, Défavorable ou Ajourné."
    )

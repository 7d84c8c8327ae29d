"""The sheet Porteurs: one row per operator, what it asks against what is proposed; and the
sheet of the totals by type of operator (statut juridique) and by commune of the collectifs,
whose table by commune the Synthèse's chart reads.

The amount asked is the dossier's Budget line `P74-CAF-CLAS` (`Resultat.demandes`), read for
INCOMPLET dossiers too: the amounts at stake while they are completed. The totals have a
sheet of their own so that each printed page repeats the header of its own table.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pandas as pd

from campaign.ecrire.synthese import evolution
from campaign.ecrire.synthese.collectifs import cle_de_tri
from campaign.ecrire.synthese.style import (
    ENTETE,
    FOND_TITRE_BLOC,
    HAUT,
    POLICE_BLOC,
    Colonne,
    colonne_de,
    colorer,
    imprimer,
    style_de,
    tableau,
)
from campaign.ecrire.synthese.xlsx import Feuille
from campaign.resultat import Resultat

SANS_TYPE, SANS_COMMUNE = "(type non renseigné)", "(commune non renseignée)"
AVEC_PORTEUR = ("TRAITE", "INCOMPLET")  # an ILLISIBLE or IGNORE file names no operator
LARGEURS_BLOCS = (34, 13, 13, 15, 15, 13, 13, 15)  # the sheet of totals by type and commune


@dataclass(frozen=True)
class TableCommunes:
    """Where the table by commune landed: its first data row and its number of rows."""

    premiere: int
    n: int
    colonne_commune: int = 1
    colonne_montant: int = 4


def _centimes(v) -> int:
    return 0 if v is None or pd.isna(v) else int(v)


def par_porteur(resultat: Resultat) -> pd.DataFrame:
    """One row per file with an operator: its answers, ask, proposition and final amounts."""
    d = resultat.dossiers
    d = d[d["statut"].isin(AVEC_PORTEUR)].copy()
    d["demande"] = pd.Series([resultat.demandes.get(f) for f in d["fichier"]], index=d.index, dtype=object)
    c = resultat.decisions.collectifs
    accord = c[c["decision"] == "ACCORD"].groupby("fichier").size() if len(c) else pd.Series(dtype=int)
    d["accord"] = [int(accord.get(f, 0)) for f in d["fichier"]]
    d["type"] = d["statut_juridique"].astype(object).where(d["statut_juridique"].notna(), SANS_TYPE)
    d["cle"] = [cle_de_tri(n) for n in d["nom"]]
    return d.sort_values(["cle", "fichier"]).reset_index(drop=True)


def _traite(porteur: dict) -> bool:
    return porteur["statut"] == "TRAITE"


def _ecart(porteur: dict) -> int | None:
    """Proposed minus asked, for a decided dossier whose Budget gave its request."""
    if not _traite(porteur) or porteur["demande"] is None:
        return None
    return int(porteur["total"]) - int(porteur["demande"])


# the operators' table, one column a line: its header and format, its value
PORTEURS: tuple[tuple[Colonne, Callable[[dict], Any]], ...] = (
    (Colonne("Porteur", largeur=34, renvoi=True), lambda porteur: porteur["nom"]),
    (Colonne("Type de porteur", largeur=18), lambda porteur: porteur["type"]),
    (Colonne("Commune", largeur=18), lambda porteur: porteur["commune"]),
    (Colonne("Statut", largeur=12), lambda porteur: porteur["statut"]),
    (Colonne("Décision", largeur=16), lambda porteur: porteur["decision"]),
    (Colonne("Collectifs", "entier", 11), lambda porteur: porteur["collectifs"]),
    (Colonne("Collectifs en accord", "entier", 11), lambda porteur: porteur["accord"]),
    (Colonne("Demandé (P74-CAF-CLAS)", "euros", 15), lambda porteur: porteur["demande"]),
    (Colonne("Proposé", "euros", 14), lambda porteur: porteur["total"] if _traite(porteur) else None),
    (Colonne("Écart proposé − demandé", "euros", 15), _ecart),
    (
        Colonne("Total final", "euros", 14),
        lambda porteur: porteur["total_final"] if porteur["etat"] == "DECIDE" else None,
    ),
    (Colonne("SIRET", largeur=16), lambda porteur: porteur["siret"]),
    (Colonne("Fichier", largeur=32), lambda porteur: porteur["fichier"]),
)


def porteurs(feuille: Feuille, resultat: Resultat) -> None:
    """Write the operators' table, its header repeated on every printed page."""
    d = par_porteur(resultat)
    colonnes = [colonne for colonne, _ in PORTEURS]
    lignes: list[list[Any]] = [
        [valeur(porteur) for _, valeur in PORTEURS] for porteur in d.to_dict("records")
    ]
    evolution.ajouter(resultat, lignes, colonnes, "Total final")  # [historique]: before the final total
    plage = tableau(feuille, colonnes, lignes)
    colorer(feuille, plage, rouge=f'${colonne_de(colonnes, "Statut")}2="INCOMPLET"')


def types_et_communes(feuille: Feuille, resultat: Resultat) -> TableCommunes:
    """Write the totals by type of operator, then on a page of its own those by commune;
    return where the table by commune is (for the Synthèse's chart).

    A printed page repeats one range of rows, and LibreOffice and Excel print it only on the
    pages after it: the header of the table by commune, which may run over several pages,
    never over the table by type, which comes first and holds on its page."""
    enveloppe = int(resultat.campagne.enveloppe * 100)
    for j, largeur in enumerate(LARGEURS_BLOCS, start=1):
        feuille.largeur(j, largeur)
    ligne = _bloc(feuille, 1, "Par type de porteur", _par_type(par_porteur(resultat), enveloppe), total=True)
    c = resultat.decisions.collectifs
    communes = _par_commune(c[c["decision"] == "ACCORD"] if len(c) else c, enveloppe)
    feuille.ws.set_h_pagebreaks([ligne - 1])  # the table by commune starts a page
    _bloc(feuille, ligne, "Par commune des collectifs en accord (proposition)", communes)
    imprimer(feuille, titres=(ligne, ligne + 1))
    return TableCommunes(ligne + 2, len(communes[1]))


def _par_type(d: pd.DataFrame, enveloppe: int) -> tuple[list[Colonne], list[list[Any]]]:
    colonnes = [
        Colonne("Type de porteur"),
        Colonne("Dossiers traités", "entier"),
        Colonne("Collectifs en accord", "entier"),
        Colonne("Demandé (traités)", "euros"),
        Colonne("Proposé", "euros"),
        Colonne("Part de l'enveloppe", "pourcent"),
        Colonne("Dossiers incomplets", "entier"),
        Colonne("Demandé (incomplets)", "euros"),
    ]
    lignes: list[list[Any]] = []
    for type_, g in sorted(d.groupby("type"), key=lambda kv: (-int(kv[1]["total"].sum()), kv[0])):
        t, i = g[g["statut"] == "TRAITE"], g[g["statut"] == "INCOMPLET"]
        lignes.append(
            [
                type_,
                len(t),
                int(t["accord"].sum()),
                sum(map(_centimes, t["demande"])),
                int(t["total"].sum()),
                _part(int(t["total"].sum()), enveloppe),
                len(i),
                sum(map(_centimes, i["demande"])),
            ]
        )
    if lignes:
        lignes.append(
            [
                "Ensemble",
                *[sum(x[j] for x in lignes) for j in range(1, 5)],
                _part(sum(x[4] for x in lignes), enveloppe),
                sum(x[6] for x in lignes),
                sum(x[7] for x in lignes),
            ]
        )
    return colonnes, lignes


def _par_commune(accord: pd.DataFrame, enveloppe: int) -> tuple[list[Colonne], list[list]]:
    colonnes = [
        Colonne("Commune"),
        Colonne("Collectifs", "entier"),
        Colonne("Enfants", "entier"),
        Colonne("Proposé", "euros"),
        Colonne("Part de l'enveloppe", "pourcent"),
    ]
    if not len(accord):
        return colonnes, []
    communes = accord["commune"].astype(object).where(accord["commune"].notna(), SANS_COMMUNE)
    g = (
        accord.assign(commune=communes)
        .groupby("commune")
        .agg(n=("total", "size"), enfants=("enfants", "sum"), total=("total", "sum"))
    )
    lignes = [
        [str(k), int(v["n"]), int(v["enfants"]), int(v["total"]), _part(int(v["total"]), enveloppe)]
        for k, v in g.iterrows()
    ]
    return colonnes, sorted(lignes, key=lambda x: (-x[3], x[0]))


def _part(centimes: int, enveloppe: int) -> float | None:
    return round(centimes / enveloppe, 4) if enveloppe else None


def _bloc(
    feuille: Feuille, ligne: int, titre: str, table: tuple[list[Colonne], list[list]], total: bool = False
) -> int:
    """A titled table from `ligne`; the next free row, after a blank one."""
    colonnes, lignes = table
    feuille.ecrire(ligne, 1, titre, "texte", {**POLICE_BLOC, **FOND_TITRE_BLOC})
    feuille.hauteur(ligne + 1, 32)
    for j, col in enumerate(colonnes, start=1):
        feuille.ecrire(ligne + 1, j, col.titre, "texte", ENTETE)
    for i, valeurs in enumerate(lignes, start=ligne + 2):
        police = POLICE_BLOC if total and i == ligne + 1 + len(lignes) else {}  # the totals' row
        for j, (col, v) in enumerate(zip(colonnes, valeurs), start=1):
            feuille.ecrire(i, j, v, col.genre, style_de(col.genre, HAUT, police))
    return ligne + 2 + len(lignes) + 1

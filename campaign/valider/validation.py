"""Validation: the dossiers read, typed and checked campagne-wide, once per sheet.

The raw values of all dossiers are gathered into one table per sheet (with `fichier`,
`position` and, alongside, the raw value and Excel cell of every field), typed with the
tolerant readers of `saisie`, then validated lazily by the pandera schema of the sheet.
Every failure becomes one anomaly that names its cell; none is dropped.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import cast

import pandas as pd
import pandera.pandas as pa

from campaign import formulaire as F
from campaign.lire import saisie
from campaign.lire.anomalies import BLOQUANT, Anomalie, anomalie
from campaign.lire.caracteres import valeur_chiffree
from campaign.lire.lecture import ILLISIBLE, Lecture
from campaign.valider.controles import CHAMP_DU_CONTROLE, SCHEMAS, code_du_controle, dtype
from campaign.valider.messages import message_controle, message_valeur

VIDE, INVALIDE, ABSENT = "vide", "invalide", "absent"


@dataclass
class Table:
    """One sheet across the campagne: typed values, raw values, cells, reading state."""

    feuille: str
    valeurs: pd.DataFrame
    brut: pd.DataFrame
    cellules: pd.DataFrame
    etats: pd.DataFrame
    noms_feuilles: pd.Series  # the sheet name as the operator typed it, per row


def _identifiant(v):
    """An identifier's text: NFKC, ASCII digits (dossier.md §7), trimmed."""
    return saisie.texte(valeur_chiffree(v))


def _siret(v):
    if isinstance(v, (int, float)) and not isinstance(v, bool):
        return str(int(v)).zfill(14)
    t = _identifiant(v)
    return None if t is None else "".join(t.replace(".", "").split())


def _code_postal(v):
    if isinstance(v, (int, float)) and not isinstance(v, bool):
        return str(int(v)).zfill(5)
    return _identifiant(v)


def _rna(v):
    t = _identifiant(v)
    return None if t is None else "".join(t.split()).upper()


_LECTEURS = {
    "texte": saisie.texte,
    "courriel": _identifiant,
    "entier": saisie.entier,
    "montant": saisie.centimes,
    "ouinon": saisie.ouinon,
    "date": saisie.date,
    "duree": saisie.duree,
    "siret": _siret,
    "rna": _rna,
    "code_postal": _code_postal,
}


def _typer(champ: F.Champ, bruts: list, presents: list[bool]) -> tuple[pd.Series, list]:
    lire = _LECTEURS.get(champ.type) or (lambda v: saisie.choix(v, champ.choix))
    valeurs: list[object] = []
    etats: list[str] = []
    for v, present in zip(bruts, presents):
        if not present or v is saisie.SANS_VALEUR:  # already reported while reading
            t: object = 0 if champ.type == "montant" and not present else None
            etat = ABSENT
        else:
            t = lire(v)
            etat = VIDE if t is None else INVALIDE if t is saisie.INVALIDE else ""
        valeurs.append(None if t is saisie.INVALIDE else t)
        etats.append(etat)
    serie: pd.Series
    if champ.type == "date":
        serie = pd.Series(pd.to_datetime(cast(list[dt.date], valeurs)), dtype="datetime64[ns]")
    elif champ.type == "duree":
        serie = pd.Series(
            [None if v is None else float(cast(Decimal, v)) for v in valeurs], dtype="Float64"
        )  # a duration is a Decimal once read
    else:
        serie = pd.Series(valeurs, dtype=dtype(champ))
    return serie, etats


def construire_table(lectures: list[Lecture], feuille: str) -> Table:
    lignes = [
        (lec.fichier, pos, rec, nom)
        for lec in lectures
        if lec.statut != ILLISIBLE
        for nom, recs in lec.feuilles.items()
        if nom == feuille
        for pos, rec in enumerate(recs, 1)
    ]
    noms_vrais = {lec.fichier: lec.noms_feuilles.get(feuille, feuille).strip() for lec in lectures}
    valeurs = {
        "fichier": pd.Series([f for f, *_ in lignes], dtype="string"),
        "position": pd.Series([p for _, p, *_ in lignes], dtype="Int64"),
    }
    brut, cellules, etats = {}, {}, {}
    for c in F.FEUILLES[feuille]:
        paires = [rec.get(c.cle) for _, _, rec, _ in lignes]
        bruts = [p[0] if p else None for p in paires]
        valeurs[c.cle], etats[c.cle] = _typer(c, bruts, [p is not None for p in paires])
        brut[c.cle] = bruts
        cellules[c.cle] = [p[1] if p else "" for p in paires]
    return Table(
        feuille,
        pd.DataFrame(valeurs),
        pd.DataFrame(brut, dtype=object),
        pd.DataFrame(cellules, dtype=object),
        pd.DataFrame(etats, dtype=object),
        pd.Series([noms_vrais[f] for f, *_ in lignes], dtype=object),
    )


def codes_par_ligne(table: Table) -> dict[tuple[str, str], str]:
    """(file, row number) -> the collectif's code as typed on that row of the Collectifs
    sheet: a completion request names the collectif of a cell, not only its address."""
    lignes = {}
    for fichier, cellule, code in zip(table.valeurs["fichier"], table.cellules["code"], table.brut["code"]):
        texte = saisie.texte(code)
        rang = "".join(ch for ch in str(cellule or "") if ch.isdigit())
        if texte and rang:
            lignes[(fichier, rang)] = texte
    return lignes


def valider_table(table: Table) -> list[Anomalie]:
    """Run the sheet's pandera schema once, lazily; one anomaly per failing cell."""
    try:
        SCHEMAS[table.feuille].validate(table.valeurs, lazy=True)
        return []
    except pa.errors.SchemaErrors as exc:
        echecs = exc.failure_cases
    anomalies, vus = [], set()
    for echec in echecs.itertuples(index=False):
        if echec.index is None or pd.isna(echec.index):
            continue
        i = int(echec.index)
        if echec.schema_context == "DataFrameSchema":
            code, cle_champ = echec.check, CHAMP_DU_CONTROLE.get(echec.check)
        else:
            cle_champ = echec.column
            code = code_du_controle(table.feuille, cle_champ, echec.check)
            if code == "not_nullable":
                etat = table.etats.at[i, cle_champ]
                if etat == ABSENT:
                    continue  # its missing label or column is already reported
                code = "VALEUR-MANQUANTE" if etat == VIDE else _code_invalide(table.feuille, cle_champ)
        if (code, i, cle_champ) in vus:
            continue
        vus.add((code, i, cle_champ))
        anomalies.append(_anomalie(table, code, i, cle_champ))
    return anomalies


def _code_invalide(feuille: str, cle_champ: str) -> str:
    return {
        "entier": "ENTIER-INVALIDE",
        "montant": "NOMBRE-INVALIDE",
        "ouinon": "OUINON-INVALIDE",
        "date": "DATE-INVALIDE",
        "duree": "DUREE-INVALIDE",
    }[F.CHAMPS[(feuille, cle_champ)].type]


def _anomalie(table: Table, code: str, i: int, cle_champ: str | None) -> Anomalie:
    fichier = str(table.valeurs.at[i, "fichier"])
    feuille = str(table.noms_feuilles.iat[i])
    if cle_champ is None:
        return anomalie(code, fichier, message_controle(code, table.valeurs, table.brut, i), feuille=feuille)
    champ = F.CHAMPS[(table.feuille, cle_champ)]
    cellule = table.cellules.at[i, cle_champ]
    cellule = cellule if isinstance(cellule, str) else ""
    brut = table.brut.at[i, cle_champ]
    ref = f"{feuille}!{cellule}" if cellule else feuille
    if code in CHAMP_DU_CONTROLE:
        texte = f"{ref} : {message_controle(code, table.valeurs, table.brut, i)}"
    else:
        texte = f"{ref} : {message_valeur(code, champ, brut)}"
    return anomalie(code, fichier, texte, feuille=feuille, cellule=cellule, champ=champ.libelle, valeur=brut)


def statuts(lectures: list[Lecture], anomalies: list[Anomalie]) -> dict[str, str]:
    """TRAITE, INCOMPLET, ILLISIBLE or IGNORE for every file."""
    bloques = {a.fichier for a in anomalies if a.gravite == BLOQUANT}
    return {
        lec.fichier: (
            lec.statut
            if lec.statut in ("ILLISIBLE", "IGNORE")
            else "INCOMPLET"
            if lec.fichier in bloques
            else "TRAITE"
        )
        for lec in lectures
    }


def valider(lectures: list[Lecture]) -> tuple[dict[str, Table], list[Anomalie], dict[str, str]]:
    """The stage as a function of data: each sheet's table built and checked, the anomalies
    (the readings' and the checks'), and each file's status."""
    anomalies = [a for lecture in lectures for a in lecture.anomalies]
    tables = {}
    for feuille in F.FEUILLES:
        tables[feuille] = construire_table(lectures, feuille)
        anomalies.extend(valider_table(tables[feuille]))
    return tables, anomalies, statuts(lectures, anomalies)

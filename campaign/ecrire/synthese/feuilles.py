"""The committee workbook's tables: Dossiers, Anomalies, Paramètres.

One function per sheet; the look and the safe cell writers are in `synthese_style`, the sheet
Collectifs in `synthese_collectifs`, Porteurs in `synthese_porteurs`.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from decimal import Decimal, InvalidOperation

import pandas as pd

import campaign
from campaign.ecrire.synthese.style import (
    FOND_TITRE_BLOC,
    FORMAT_DATE,
    FORMAT_DECIMAL,
    FORMAT_ENTIER,
    FORMAT_EUROS,
    FORMAT_POURCENT,
    POLICE_BLOC,
    Colonne,
    colonne_de,
    colorer,
    oui_non,
    tableau,
)
from campaign.ecrire.synthese.xlsx import Feuille
from campaign.lire.anomalies import BLOQUANT, Anomalie
from campaign.resultat import Resultat

# Paramètres: unit -> number format of the value (a unit not listed stays text)
FORMATS_UNITE = {
    "taux": FORMAT_POURCENT,
    "euros": FORMAT_EUROS,
    "date": FORMAT_DATE,
    "heures": FORMAT_DECIMAL,
}


def avertissements_des_regles(resultat: Resultat) -> dict[str, int]:
    """fichier -> its A- and F- warnings as the letters count them: a collectif-level code
    once per collectif, a dossier-level code (repeated on each collectif in decisions.csv) once."""
    niveaux = {r.code: r.niveau for r in resultat.regles}
    vus: dict[str, set] = {}
    for f, c, codes in resultat.decisions.collectifs[["fichier", "code", "avertissements"]].itertuples(
        index=False
    ):
        for code in filter(None, str(codes).split("|")):
            vus.setdefault(f, set()).add((str(c) if niveaux.get(code) == "collectif" else "", code))
    return {f: len(v) for f, v in vus.items()}


def dossiers(feuille: Feuille, resultat: Resultat, courriers: dict[str, str]) -> None:
    """One row per file of the folder, with a relative link to its letter.

    "Avertissements de lecture" is dossiers.csv's `avertissements` (the reading anomalies of
    gravité AVERTISSEMENT); the rules' warnings (A-, F- codes of decisions.csv) are counted apart.
    """
    colonnes = [
        Colonne("Nom", largeur=34, renvoi=True),
        Colonne("Statut", largeur=12),
        Colonne("Décision", largeur=16),
        Colonne("Total", "euros", 13),
        Colonne("État", largeur=13),
        Colonne("Décision finale", largeur=14),
        Colonne("Total final", "euros", 13),
        Colonne("Collectifs", "entier", 11),
        Colonne("Anomalies bloquantes", "entier", 13),
        Colonne("Avertissements de lecture", "entier", 16),
        Colonne("Avertissements des règles", "entier", 16),
        Colonne("SIRET", largeur=16),
        Colonne("Fichier", largeur=34),
        Colonne("Courrier", "lien", largeur=44),
    ]
    regles = avertissements_des_regles(resultat)
    lignes = [
        [
            d.nom,
            d.statut,
            d.decision,
            d.total,
            d.etat,
            d.decision_finale,
            d.total_final,
            d.collectifs,
            d.bloquants,
            d.avertissements,
            regles.get(str(d.fichier), 0),
            d.siret,
            d.fichier,
            courriers.get(str(d.fichier), ""),
        ]
        for d in resultat.dossiers.itertuples(index=False)
    ]
    plage = tableau(feuille, colonnes, lignes)
    decision, bloquants = colonne_de(colonnes, "Décision"), colonne_de(colonnes, "Anomalies bloquantes")
    total = colonne_de(colonnes, "Total")
    colorer(
        feuille,
        plage,
        rouge=f'OR(${decision}2="REFUS",${bloquants}2>0,AND(LEFT(${decision}2,6)="ACCORD",${total}2=0))',
        orange=f"OR(${colonne_de(colonnes, 'Avertissements de lecture')}2>0,"
        f"${colonne_de(colonnes, 'Avertissements des règles')}2>0)",
    )


def anomalies(feuille: Feuille, liste: list[Anomalie]) -> None:
    """The anomalies found while reading, the blocking ones first."""
    colonnes = [
        Colonne("Gravité", largeur=16),
        Colonne("Fichier", largeur=34),
        Colonne("Feuille", largeur=12),
        Colonne("Cellule", largeur=9),
        Colonne("Champ", largeur=18),
        Colonne("Valeur", largeur=18),
        Colonne("Code", largeur=24),
        Colonne("Message", largeur=80, renvoi=True),
    ]
    ordre = sorted(liste, key=lambda a: (a.gravite != BLOQUANT, a.cle_tri()))
    lignes = [
        [a.gravite, a.fichier, a.feuille, a.cellule, a.champ, a.valeur, a.code, a.message] for a in ordre
    ]
    plage = tableau(feuille, colonnes, lignes)
    colorer(feuille, plage, rouge=f'$A2="{BLOQUANT}"', orange='$A2<>""')


def empreinte(dossiers: pd.DataFrame) -> str:
    """sha256 of the sorted 'fichier:sha256' lines (each ending with a line feed) of the inputs."""
    lignes = sorted(f"{d.fichier}:{d.sha256}\n" for d in dossiers.itertuples(index=False))
    return hashlib.sha256("".join(lignes).encode("utf-8")).hexdigest()


def valeur_typee(unite: str, valeur: str) -> tuple[object, str]:
    """A parameter as written in its file -> (typed value, number format): numbers as numbers,
    dates as dates, rates as percentages; text otherwise ('Bac+2', 'toutes_actions')."""
    if unite == "date":
        try:
            return dt.date.fromisoformat(valeur), FORMAT_DATE
        except ValueError:
            return valeur, "General"
    try:
        nombre = Decimal(valeur)
    except InvalidOperation:
        return valeur, "General"
    if unite in FORMATS_UNITE:
        return nombre, FORMATS_UNITE[unite]
    return (int(nombre), FORMAT_ENTIER) if nombre == nombre.to_integral_value() else (nombre, FORMAT_DECIMAL)


def unite_en_mots(unite: str) -> str:
    """The Unité column: the unit in words, unless the value's own format already shows it
    (« 305,00 € », « 80 % », a date): never « 305,00 € euros »."""
    return "" if unite in ("euros", "taux", "date") else unite  # FORMAT_EUROS, _POURCENT, _DATE


def parametres(feuille: Feuille, resultat: Resultat) -> None:
    """Every parameter used, then the run's identity (deterministic: no clock time)."""
    colonnes = [
        Colonne("Paramètre", largeur=28),
        Colonne("Libellé", largeur=44, renvoi=True),
        Colonne("Valeur", "typee", largeur=14),
        Colonne("Unité", largeur=12),
        Colonne("Depuis", "date", 12),
        Colonne("Source", largeur=50, renvoi=True),
        Colonne("Confirmé", largeur=10),
        Colonne("Fichier", largeur=16),
    ]
    tries = sorted(resultat.parametres.values(), key=lambda p: (p.fichier, p.nom))
    lignes = [
        [
            p.nom,
            p.libelle,
            valeur_typee(p.unite, p.valeur),
            unite_en_mots(p.unite),
            p.depuis,
            p.source,
            oui_non(p.confirme),
            p.fichier,
        ]
        for p in tries
    ]
    plage = tableau(feuille, colonnes, lignes)
    colorer(feuille, plage, orange='$G2="Non"')
    ligne = len(lignes) + 3
    feuille.ecrire(ligne, 1, "Identité de l'exécution", "texte", {**POLICE_BLOC, **FOND_TITRE_BLOC})
    identite = [
        ("Logiciel", f"campaign {campaign.__version__}"),
        ("Campagne", resultat.campagne.annee),
        ("Fichiers lus", str(len(resultat.dossiers))),
        ("Empreinte des entrées (sha256)", empreinte(resultat.dossiers)),
    ]
    for i, (cle, valeur) in enumerate(identite, start=ligne + 1):
        feuille.ecrire(i, 1, cle)
        feuille.ecrire(i, 2, valeur, "texte", {"align": "left"})

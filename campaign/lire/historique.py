"""Last year's outputs beside this year's campagne (arbitrage.md §3): what each operator was
funded, by SIRET.

The folder is the one `[historique] precedente` names (`campagne_arbitrage.lire_historique`
checked it holds dossiers.csv and decisions.csv). Last year had a committee session when a
row of its `decisions_finales.csv` carries an avis: an operator's total N-1 is then the sum
of its collectifs decided ACCORD there; without a session, the sum of its `decisions.csv`
totals (the proposition: no letter was final). Names come from `dossiers.csv`; an operator
with several files has their totals summed, under the name of its first file. A file
without a SIRET cannot be matched: it is kept apart (`sans_siret`), never dropped unseen.

The files are read, never written, bounded in size, amounts as written ("2563.00") into
integer cents. Anything that is not what `campaign run` wrote stops the run (exit 2) with
one sentence naming the file, the line or the column, and what to do.
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from campaign.erreurs import CampaignError
from campaign.lire.caracteres import nettoyer
from campaign.lire.entrees import lire_entree, nom_affiche

DOSSIERS, DECISIONS, FINALES = "dossiers.csv", "decisions.csv", "decisions_finales.csv"
FICHIERS = (DOSSIERS, DECISIONS, FINALES)  # what may be read of last year's folder
OCTETS_MAX = 64 * 1024 * 1024  # far above any campagne's CSV (3,000 dossiers: a few MB)
COLONNES = {
    DOSSIERS: ("fichier", "siret", "nom"),
    DECISIONS: ("fichier", "siret", "total"),
    FINALES: ("fichier", "siret", "avis", "decision", "total"),
}
DECISIONS_FINALES = ("ACCORD", "REFUS", "AJOURNE", "PROPOSITION")  # comite.md §4
DECISIONS_ATTENDUES = ", ".join(DECISIONS_FINALES[:-1]) + " ni " + DECISIONS_FINALES[-1]
_MONTANT = re.compile(r"\d{1,10}\.\d\d")  # as `csv_campagne.montant_csv` writes it
_SIRET = re.compile(r"\d{14}")
_FORMULE = ("=", "+", "-", "@", "\t", "\r")  # the cells written with a leading apostrophe
REPRENDRE = (
    "reprenez le fichier tel que campaign run l'a écrit l'an dernier, ou retirez la clé "
    "« historique.precedente » de campagne.toml"
)


@dataclass(frozen=True)
class Precedent:
    """An operator of last year: its SIRET ('' when unknown), its name, what it was funded
    (cents) and its files."""

    siret: str
    nom: str
    total: int
    fichiers: tuple[str, ...]


@dataclass(frozen=True)
class Historique:
    """Last year's campagne as its outputs say it.

    - `porteurs`: SIRET -> the operator, for every SIRET of last year's dossiers.csv (funded
      or not: an operator refused last year is not new), a Mapping not to be changed (a plain
      dict: the Resultat it is in may be pickled to the workers);
    - `sans_siret`: last year's files without a SIRET (unreadable, invalid SIRET), each with
      what it was funded: not matched, counted;
    - `seance`: whether last year had a committee session (totals from decisions_finales.csv);
    - `empreintes`: (name, sha256) of each file of the folder read, in name order."""

    dossier: Path
    seance: bool
    porteurs: Mapping[str, Precedent]
    sans_siret: tuple[Precedent, ...]
    empreintes: tuple[tuple[str, str], ...]

    @property
    def source(self) -> str:
        """The file the totals come from."""
        return FINALES if self.seance else DECISIONS

    def finances(self) -> list[Precedent]:
        """The operators funded last year (total N-1 above 0), by SIRET."""
        return [p for _, p in sorted(self.porteurs.items()) if p.total > 0]


def lire_precedente(dossier: Path) -> Historique:
    """Read last year's output folder; CampaignError (exit 2) with what to do otherwise."""
    octets = {nom: _octets(dossier / nom) for nom in FICHIERS}
    lus = {nom: o for nom, o in octets.items() if o is not None}
    if DOSSIERS not in lus or DECISIONS not in lus:
        manque = DOSSIERS if DOSSIERS not in lus else DECISIONS
        raise CampaignError(
            f"Le dossier {dossier} ne contient plus {manque} : indiquez dans « historique.precedente » "
            "le dossier de sorties de la campagne de l'an dernier, ou retirez la clé."
        )
    dossiers = _dossiers(dossier / DOSSIERS, lus[DOSSIERS])
    finales = _table(dossier / FINALES, lus[FINALES]) if FINALES in lus else []
    seance = any(r["avis"].strip() for _, r in finales)
    nom = FINALES if seance else DECISIONS
    lignes = finales if seance else _table(dossier / DECISIONS, lus[DECISIONS])
    totaux = _totaux(dossier / nom, lignes, dossiers, seance)
    par_siret: dict[str, list[str]] = {}
    sans_siret = []
    for fichier, (siret, nom_lu) in dossiers.items():  # in the file's order (by fichier)
        if siret:
            par_siret.setdefault(siret, []).append(fichier)
        else:
            sans_siret.append(Precedent("", nom_lu, totaux.get(fichier, 0), (fichier,)))
    porteurs = {
        siret: Precedent(
            siret,
            next((dossiers[f][1] for f in fichiers if dossiers[f][1]), ""),
            sum(totaux.get(f, 0) for f in fichiers),
            tuple(fichiers),
        )
        for siret, fichiers in sorted(par_siret.items())
    }
    return Historique(
        dossier,
        seance,
        porteurs,
        tuple(sans_siret),
        tuple((n, hashlib.sha256(o).hexdigest()) for n, o in sorted(lus.items())),
    )


def _octets(chemin: Path) -> bytes | None:
    """The bytes of a regular file, read as the dossiers are (`entrees.lire_entree`: never
    blocking, never through a link, never beyond OCTETS_MAX); None when absent."""
    contenu = lire_entree(chemin, OCTETS_MAX)
    if contenu.sorte == "fichier":
        return contenu.octets
    if contenu.sorte == "disparu":
        return None
    if contenu.sorte in ("interdit", "erreur"):
        raison = contenu.detail or "permission refusée"
        raise CampaignError(
            f"Le fichier {chemin} de la campagne précédente ne peut pas être lu ({raison}) : vérifiez "
            "qu'il vous est permis de le lire, ou retirez la clé « historique.precedente » de campagne.toml."
        )
    if contenu.sorte == "trop-gros":
        raise CampaignError(
            f"{chemin} pèse plus de {OCTETS_MAX // 1024 // 1024} Mo : ce n'est pas une sortie "
            f"de campaign run ; {REPRENDRE}."
        )
    raise CampaignError(f"{chemin} n'est pas un fichier ordinaire : {REPRENDRE}.")  # link, FIFO, folder


def _table(chemin: Path, octets: bytes) -> list[tuple[int, dict[str, str]]]:
    """(line number, row) of a CSV written by the program, its expected columns checked."""
    try:
        texte = octets.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise CampaignError(
            f"{chemin} n'est pas un texte UTF-8 (octet illisible en position {exc.start}) : un "
            f"tableur l'a sans doute réenregistré ; {REPRENDRE}."
        ) from exc
    lecteur = csv.reader(io.StringIO(texte, newline=""))
    try:
        entete = next(lecteur, None)
        if entete is None:
            raise CampaignError(f"{chemin} est vide : {REPRENDRE}.")
        manquantes = [c for c in COLONNES[chemin.name] if c not in entete]
        if manquantes:
            raise CampaignError(
                f"{chemin}, ligne 1 : la colonne « {manquantes[0]} » manque (colonnes lues : "
                f"{_cite(', '.join(entete), 120)}) : {REPRENDRE}."
            )
        lignes = []
        for valeurs in lecteur:
            if len(valeurs) != len(entete):
                n = f"{len(valeurs)} valeur{'s' if len(valeurs) > 1 else ''}"
                raise CampaignError(
                    f"{chemin}, ligne {lecteur.line_num} : {n} au lieu de {len(entete)} (une par "
                    f"colonne) : {REPRENDRE}."
                )
            lignes.append((lecteur.line_num, dict(zip(entete, valeurs))))
    except csv.Error as exc:
        raise CampaignError(
            f"{chemin}, ligne {lecteur.line_num} : ce n'est pas une ligne CSV lisible ({exc}) : {REPRENDRE}."
        ) from exc
    return lignes


def _cite(valeur: str, longueur: int = 40) -> str:
    """A value read, quoted in a sentence: cut, its hidden characters escaped."""
    return nom_affiche(valeur if len(valeur) <= longueur else valeur[:longueur] + "…")


def _cellule(chemin: Path, numero: int, colonne: str, valeur: str, attendu: str) -> CampaignError:
    return CampaignError(
        f"{chemin}, ligne {numero}, colonne « {colonne} » : « {_cite(valeur)} » n'est pas {attendu} : "
        f"{REPRENDRE}."
    )


def _siret(chemin: Path, numero: int, valeur: str) -> str:
    if valeur and not _SIRET.fullmatch(valeur):
        raise _cellule(chemin, numero, "siret", valeur, "un SIRET de 14 chiffres (ou vide)")
    return valeur


def _texte(valeur: str) -> str:
    """A name as the program read it: the apostrophe it put before a formula-like text
    (sorties.md §2) removed, no hidden character."""
    if valeur.startswith("'") and valeur[1:].lstrip(" ").startswith(_FORMULE):
        valeur = valeur[1:]
    return nettoyer(valeur).strip()


def _dossiers(chemin: Path, octets: bytes) -> dict[str, tuple[str, str]]:
    """fichier -> (siret, name) of each row of last year's dossiers.csv."""
    dossiers: dict[str, tuple[str, str]] = {}
    lignes: dict[str, int] = {}
    for numero, r in _table(chemin, octets):
        if r["fichier"] in lignes:
            raise CampaignError(
                f"{chemin}, ligne {numero} : le fichier « {_cite(r['fichier'])} » y est déjà, ligne "
                f"{lignes[r['fichier']]} : {REPRENDRE}."
            )
        lignes[r["fichier"]] = numero
        dossiers[r["fichier"]] = (_siret(chemin, numero, r["siret"]), _texte(r["nom"]))
    return dossiers


def _totaux(
    chemin: Path, lignes: list[tuple[int, dict[str, str]]], dossiers: dict[str, tuple[str, str]], seance: bool
) -> dict[str, int]:
    """fichier -> cents funded: its collectifs decided ACCORD (a session), else every total."""
    totaux: dict[str, int] = {}
    for numero, r in lignes:
        if r["fichier"] not in dossiers:
            raise _cellule(chemin, numero, "fichier", r["fichier"], f"un fichier listé dans {DOSSIERS}")
        siret = _siret(chemin, numero, r["siret"])
        if siret != dossiers[r["fichier"]][0]:
            attendu = dossiers[r["fichier"]][0] or "vide"
            raise _cellule(
                chemin, numero, "siret", siret, f"le SIRET que {DOSSIERS} donne à ce fichier ({attendu})"
            )
        if not _MONTANT.fullmatch(r["total"]):
            raise _cellule(chemin, numero, "total", r["total"], "un montant écrit comme 2563.00")
        if seance and r["decision"] not in DECISIONS_FINALES:
            raise _cellule(chemin, numero, "decision", r["decision"], DECISIONS_ATTENDUES)
        if not seance or r["decision"] == "ACCORD":
            euros, centimes = r["total"].split(".")
            totaux[r["fichier"]] = totaux.get(r["fichier"], 0) + int(euros) * 100 + int(centimes)
    return totaux

"""Next year's dossiers (`campaign template --depuis`): for each operator of last year's
campagne (a TRAITE or INCOMPLET dossier), the new year's blank dossier pre-filled with what
does not change from year to year, and a list to mail them from (`LISTE`).

What is carried over: the Porteur sheet (but the date of signature, the coordinator's
experience, which grows each year, and « Première demande », « Non » since the Caf has
their dossier of last year), the Projet sheet, and for each collectif its place and levels
(`COLLECTIF_REPRIS`). Never the budget, the counts, the calendar nor the bonuses: they are
this year's to state. The values are the ones the program read (`campaign.valider`): a value
it could not read is left empty, and only values are written (`reponses.ecrire_valeur`).

Above the writer and beside the run (which it may not import): the command reads last year's
folder with the program's own reader and gives the tables here.
"""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np
import pandas as pd
from openpyxl import Workbook
from openpyxl.cell.rich_text import CellRichText, TextBlock
from openpyxl.cell.text import InlineFont

from campaign.dossier_vierge.caf import CafDuDossier, caf_de
from campaign.dossier_vierge.classeur import construire_dossier_vierge
from campaign.dossier_vierge.consignes import Consignes
from campaign.dossier_vierge.notice import LARGEUR
from campaign.dossier_vierge.page import hauteur
from campaign.dossier_vierge.regles import campagne_du_dossier, consignes_de_l_annee
from campaign.dossier_vierge.reponses import remplir_reponses
from campaign.dossier_vierge.saisie import annees
from campaign.ecrire.courriers.nom import nom_pdf, nom_unique
from campaign.ecrire.enregistrement import enregistrer_classeur
from campaign.ecrire.tables.csv_campagne import cellule_csv
from campaign.erreurs import CampaignError
from campaign.formulaire import PORTEUR, PROJET
from campaign.lire.anomalies import Anomalie
from campaign.lire.campagne import Campagne, charger_campagne

LISTE = "dossiers_a_envoyer.csv"
COLONNES_LISTE = ("classeur", "siret", "destinataire", "courriel", "dossier_precedent", "remarque")
PORTEUR_NON_REPRIS = ("date_signature", "coordinateur_experience")  # this year's to state
PREMIERE_DEMANDE = "Non"  # the Caf has their dossier of last year
COLLECTIF_REPRIS = ("code", "lieu", "commune", "niveau_min", "niveau_max", "rural")
STATUTS_REPRIS = ("TRAITE", "INCOMPLET")
AVIS = (
    "Ce dossier a été prérempli par la Caf avec votre dossier {precedente} : vérifiez chaque "
    "réponse et corrigez ce qui a changé. Restent à remplir pour {annee} : l'expérience du "
    "coordinateur et la date de signature (onglet « Porteur ») ; pour chaque collectif, le "
    "nombre d'enfants, les intervenants, les séances, les semaines, les dates, les autres "
    "réponses Oui / Non et les bonus (onglet « Collectifs ») ; tout le budget."
)


@dataclass(frozen=True)
class Prerempli:
    """One dossier written: its file, its operator, last year's file it comes from."""

    classeur: str
    siret: str
    nom: str
    courriel: str
    precedent: str
    remarque: str = ""


def campagne_suivante(depuis: Campagne, annee: str) -> Campagne:
    """Last year's campagne settings for `annee`: the Caf and its [regles] kept, without what
    belonged to last year (the recommended dates, now the new year's defaults as campagne.toml
    gives them, the return date, the committee's sessions, last year's outputs)."""
    if not annee[:4].isdigit() or int(annee[:4]) <= int(depuis.annee[:4]):
        raise CampaignError(
            f"--depuis donne la campagne {depuis.annee} : --annee doit être une année scolaire "
            f"suivante (par exemple {int(depuis.annee[:4]) + 1}-{int(depuis.annee[:4]) + 2})."
        )
    n = int(annee[:4])
    novembre = dt.date(n, 11, 2)  # the first Monday from 2 November (lire.campagne's default)
    regles = replace(
        depuis.regles,
        date_debut_preconisee=novembre + dt.timedelta(days=(7 - novembre.weekday()) % 7),
        date_fin_preconisee=dt.date(n + 1, 6, 15),
    )
    caf = {**depuis.caf, "date_retour_dossier": None}
    return replace(depuis, annee=annee, caf=caf, regles=regles, comites=(), bilan_avant=None, historique=None)


def _valeur(v: object) -> object:
    """A typed value of the tables as written in a cell: Oui/Non for a boolean, None for a
    value the program could not read."""
    if v is None or v is pd.NA or (isinstance(v, float) and pd.isna(v)):
        return None
    if isinstance(v, (bool, np.bool_)):
        return "Oui" if v else "Non"
    return str(v)


def _ligne(table, fichier: str) -> dict:
    v = table.valeurs
    lignes = v[v["fichier"] == fichier]
    return {} if lignes.empty else lignes.sort_values("position").iloc[0].to_dict()


def reponses_de(tables: dict, fichier: str) -> dict:
    """What is carried over from last year's `fichier`, as `remplir_reponses` takes it."""
    porteur = _ligne(tables["Porteur"], fichier)
    projet = _ligne(tables["Projet"], fichier)
    reponses: dict = {
        "porteur": {
            c.cle: _valeur(porteur[c.cle])
            for c in PORTEUR
            if c.cle in porteur and c.cle not in PORTEUR_NON_REPRIS
        },
        "projet": {c.cle: _valeur(projet[c.cle]) for c in PROJET if c.cle in projet},
    }
    reponses["porteur"]["premiere_demande"] = PREMIERE_DEMANDE
    v = tables["Collectifs"].valeurs
    lignes = v[v["fichier"] == fichier].sort_values("position")
    reponses["collectifs"] = [
        {cle: _valeur(ligne[cle]) for cle in COLLECTIF_REPRIS} for _, ligne in lignes.iterrows()
    ]
    return reponses


def annoncer(wb: Workbook, annee: str, precedente: str) -> None:
    """The first paragraph of « Mode d'emploi » says, in bold after it, that the dossier is
    pre-filled and what is left to fill in."""
    cell = wb["Mode d'emploi"].cell(2, 1)
    avis = AVIS.format(precedente=precedente, annee=annee)
    texte = f"{cell.value}\n{avis}"
    cell.value = CellRichText(f"{cell.value}\n", TextBlock(InlineFont(b=True, sz=10), avis))
    wb["Mode d'emploi"].row_dimensions[2].height = hauteur(texte, LARGEUR * 0.95, 13.5)


def _operateurs(tables, anomalies: list[Anomalie], etats: dict[str, str]) -> list[tuple[str, str]]:
    """(file, remark) of each operator's file: one per SIRET, the later file name when an
    operator sent two (DOUBLON-SIRET); a file without a valid SIRET stands for itself."""
    faux = {a.fichier for a in anomalies if a.code == "SIRET-INVALIDE"}
    porteur = tables["Porteur"].valeurs.drop_duplicates("fichier").set_index("fichier")["siret"]
    par_siret: dict[str, list[str]] = {}
    for fichier in sorted(f for f, s in etats.items() if s in STATUTS_REPRIS):
        siret = _valeur(porteur.get(fichier))
        cle = str(siret) if siret and fichier not in faux else f"fichier:{fichier}"
        par_siret.setdefault(cle, []).append(fichier)
    retenus = []
    for fichiers in par_siret.values():
        *ecartes, retenu = fichiers  # in name order: the later one stands
        remarque = (
            f"deux dossiers l'an dernier pour ce SIRET : repris {retenu}, pas {', '.join(ecartes)}"
            if ecartes
            else ""
        )
        retenus.append((retenu, remarque))
    return sorted(retenus)


def verifier_sortie(out: Path, depuis: Path) -> None:
    """`out` is a folder to write into, never last year's folder nor inside it."""
    if out.exists() and not out.is_dir():
        raise CampaignError(
            f"{out} est un fichier : avec --depuis, --out est le dossier où écrire un dossier "
            "par porteur ; rien n'a été écrit."
        )
    o, d = out.resolve(), depuis.resolve()
    if o == d or d in o.parents:
        raise CampaignError(
            f"{out} est dans le dossier de la campagne {depuis} : ses fichiers sont lus, jamais "
            "écrits ; choisissez avec --out un autre dossier (par exemple outputs/dossiers_clas_"
            "ANNEE). Rien n'a été écrit."
        )


def ecrire_preremplis(
    out: Path,
    annee: str,
    consignes: Consignes,
    caf: CafDuDossier,
    tables: dict,
    anomalies: list[Anomalie],
    etats: dict[str, str],
    precedente: str = "de l'an dernier",
) -> list[Prerempli]:
    """Write into `out` one pre-filled dossier per operator of last year, and `LISTE`; the
    same tables give the same bytes."""
    out.mkdir(parents=True, exist_ok=True)
    faux_courriel = {a.fichier for a in anomalies if a.code == "COURRIEL-INVALIDE"}
    faux_siret = {a.fichier for a in anomalies if a.code == "SIRET-INVALIDE"}
    quand = dt.datetime(annees(annee)[0], 1, 1)
    ecrits: list[Prerempli] = []
    pris: set[str] = set()
    for fichier, remarque in _operateurs(tables, anomalies, etats):
        reponses = reponses_de(tables, fichier)
        porteur = reponses["porteur"]
        siret = "" if fichier in faux_siret else str(porteur.get("siret") or "")
        nom = str(porteur.get("nom") or "")
        pdf = nom_unique(nom_pdf(siret, nom, fichier), fichier, pris)
        pris.add(pdf)
        classeur = pdf[:-4] + ".xlsx"
        wb = construire_dossier_vierge(annee, consignes, caf)
        remplir_reponses(wb, reponses)
        annoncer(wb, annee, precedente)
        enregistrer_classeur(wb, out / classeur, quand)
        courriel = "" if fichier in faux_courriel else str(porteur.get("contact_courriel") or "")
        if not courriel:
            sans = "pas d'adresse électronique lisible l'an dernier : à envoyer par la poste"
            remarque = f"{remarque} ; {sans}" if remarque else sans
        ecrits.append(Prerempli(classeur, siret, nom, courriel, fichier, remarque))
    with (out / LISTE).open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)  # RFC 4180 line ends, like the other CSV outputs
        w.writerow(COLONNES_LISTE)
        for p in sorted(ecrits, key=lambda x: x.classeur):
            w.writerow(
                [cellule_csv(x) for x in (p.classeur, p.siret, p.nom, p.courriel, p.precedent, p.remarque)]
            )
    return ecrits


def ecrire_depuis(
    out: Path,
    depuis: Path,
    annee: str | None,
    campagne_dossier: Path | None,
    lire: Callable[[Path], tuple[dict, list[Anomalie], dict[str, str]]],
) -> str:
    """`campaign template --depuis`: last year's folder `depuis` read by `lire` (the program's
    reader: tables, anomalies, statuses), next year's dossiers written into `out`, for `annee`
    (by default the year after) with the Caf settings of `campagne_dossier` (or of
    inputs/ANNEE) when there is one, else last year's; -> what the console says."""
    precedente = charger_campagne(depuis)
    annee = annee or f"{int(precedente.annee[:4]) + 1}-{int(precedente.annee[:4]) + 2}"
    annee, campagne = campagne_du_dossier(annee, campagne_dossier)
    reglages = f"réglages de {campagne.caf['nom']}" if campagne else ""
    if campagne is None:
        campagne = campagne_suivante(precedente, annee)
        r = campagne.regles
        reglages = (
            f"réglages de {campagne.caf['nom']} repris de {depuis / 'campagne.toml'}, sauf la date "
            f"de retour (à écrire dans inputs/{annee}/campagne.toml, puis relancer) et le calendrier "
            f"préconisé, du {r.date_debut_preconisee:%d/%m/%Y} au {r.date_fin_preconisee:%d/%m/%Y}"
        )
    verifier_sortie(out, depuis)
    tables, anomalies, etats = lire(depuis)
    ecrits = ecrire_preremplis(
        out,
        annee,
        consignes_de_l_annee(annee, campagne=campagne),
        caf_de(campagne),
        tables,
        anomalies,
        etats,
        precedente.annee,
    )
    lignes = [
        f"{len(ecrits)} dossiers préremplis écrits dans {out} ({annee}, {reglages}), un par porteur "
        f"de la campagne {precedente.annee} ; la liste pour les leur envoyer : {out / LISTE}."
    ]
    lignes += [f"  {p.classeur} : {p.remarque}" for p in ecrits if p.remarque]
    return "\n".join(lignes)

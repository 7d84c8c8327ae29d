"""The operator's own dossier, sent back with a completion request (issue 25): the year's blank
dossier (`classeur.construire_dossier_vierge`) filled with every value the program read from
the operator's file, whatever its format (`Lecture.feuilles`: the raw cells, as typed, so that a
« douze » in a count comes back as « douze »), each anomaly's cell filled in red (BLOQUANT) or
orange (AVERTISSEMENT) with a comment holding its sentence, and a first sheet « À corriger »
listing them, each with a link to its cell, then the values the program could not place (an
unknown label, a column without a known header, a budget line of no category) with where they
were in the file sent.

Only values are written (`reponses.remplir_reponses`): nothing of the operator's file is copied
(no macro, no link, no formula, no hidden sheet of theirs). The blank dossier's protection
holds: its sheets stay protected, the answer cells unlocked. Above the writer, under the run,
which calls it where the letters are written.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from pathlib import Path

from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.utils.cell import coordinate_to_tuple
from openpyxl.worksheet.hyperlink import Hyperlink

from campaign import formulaire as F
from campaign.dossier_vierge.caf import CafDuDossier, caf_de
from campaign.dossier_vierge.classeur import construire_dossier_vierge, reperes
from campaign.dossier_vierge.collectifs import PREMIERE_LIGNE
from campaign.dossier_vierge.consignes import Consignes
from campaign.dossier_vierge.page import GRAS, TITRE, hauteur
from campaign.dossier_vierge.regles import consignes_de_l_annee
from campaign.dossier_vierge.reponses import ecrire_valeur, remplir_reponses
from campaign.dossier_vierge.saisie import annees
from campaign.ecrire.courriers.completion import phrase
from campaign.ecrire.enregistrement import enregistrer_classeur
from campaign.lire.anomalies import AVERTISSEMENT, BLOQUANT, Anomalie
from campaign.lire.campagne import Campagne
from campaign.lire.lecture import Lecture
from campaign.lire.saisie import SANS_VALEUR, est_vide

FEUILLE = "À corriger"
SURLIGNAGES = {
    BLOQUANT: PatternFill("solid", fgColor="F4A3A3"),  # red: to correct
    AVERTISSEMENT: PatternFill("solid", fgColor="FFD08A"),  # orange: to check
}
GRAVITES = {BLOQUANT: "À corriger", AVERTISSEMENT: "À vérifier"}
NON_PLACEES = ("LIBELLE-INCONNU", "COLONNE-INCONNUE", "LIGNE-BUDGET-INCONNUE", "LIGNE-BUDGET-DOUBLE")
# what was missing from the file sent is here, in its place: the sentence says to fill it in
AJOUTEES = {
    "FEUILLE-MANQUANTE": "La feuille « {feuille} » manquait dans le classeur envoyé : elle est "
    "ajoutée ici ; remplissez-la.",
    "LIBELLE-MANQUANT": "La ligne « {champ} » manquait dans le classeur envoyé : elle est ajoutée "
    "ici ; écrivez sa réponse.",
    "COLONNE-MANQUANTE": "La colonne « {champ} » manquait dans le classeur envoyé : elle est "
    "ajoutée ici ; remplissez-la pour chaque collectif.",
}
COLONNES = ("Feuille", "Case", "Champ", "", "Ce qu'il faut faire", "Dans votre envoi")
LARGEURS = (13, 9, 30, 12, 70, 18)


@dataclass(frozen=True)
class Signalement:
    """An anomaly as the pre-filled workbook shows it: its sheet and cells there (none when it
    is tied to no cell), the field, its sentence without the sent file's cell."""

    anomalie: Anomalie
    feuille: str  # the form's sheet, "" when none
    cellules: tuple[str, ...]
    champ: str
    texte: str


def _sans_valeur(v: object) -> bool:
    return isinstance(v, type(SANS_VALEUR)) or est_vide(v)


def reponses_lues(lecture: Lecture) -> dict:
    """The raw values read, as `remplir_reponses` takes them (an empty cell, or a formula
    without its result, is left empty)."""

    def valeurs(record: dict) -> dict:
        return {cle: v for cle, (v, _) in record.items() if not _sans_valeur(v)}

    (porteur,) = lecture.feuilles.get("Porteur") or [{}]
    (projet,) = lecture.feuilles.get("Projet") or [{}]
    (budget,) = lecture.feuilles.get("Budget") or [{}]
    return {
        "porteur": valeurs(porteur),
        "projet": valeurs(projet),
        "budget": valeurs(budget),
        "collectifs": [valeurs(r) for r in lecture.feuilles.get("Collectifs", [])],
    }


def _cellule(feuille: str, cle: str, position: int, cellules: dict) -> str | None:
    """The answer cell of `cle` in the pre-filled workbook (`position`: the collectif's rank)."""
    if (feuille, cle) not in cellules:
        return None
    ligne, col = cellules[(feuille, cle)]
    if feuille == "Collectifs":
        ligne = PREMIERE_LIGNE + position
    return f"{get_column_letter(col)}{ligne}"


def _premiere(feuille: str, cellules: dict) -> str:
    """Where a sheet's answers start: the link of an anomaly about the sheet as a whole."""
    premier = F.FEUILLES[feuille][0].cle
    return _cellule(feuille, premier, 0, cellules) or "A1"


def signalements(lecture: Lecture, anomalies: list[Anomalie], cellules: dict) -> list[Signalement]:
    """Each anomaly of the file, placed in the pre-filled workbook: by the field and the
    collectif its cell held in the file sent, else by its field, else at its sheet's start."""
    typees = {v: k for k, v in lecture.noms_feuilles.items()}
    places: dict[tuple[str, str], tuple[str, int]] = {}
    for feuille, records in lecture.feuilles.items():
        for position, record in enumerate(records):
            for cle, (_, cellule) in record.items():
                places[(feuille, cellule)] = (cle, position)
    n_collectifs = max(1, len(lecture.feuilles.get("Collectifs", [])))
    sortie = []
    for a in anomalies:
        feuille = typees.get(a.feuille, a.feuille if a.feuille in F.FEUILLES else "")
        libelles = {c.libelle: c.cle for c in F.FEUILLES.get(feuille, ())}
        cles = {c.cle for c in F.FEUILLES.get(feuille, ())}
        corps = phrase(replace(a, cellule=""), {})  # the sent file's cell said apart
        if a.code in AJOUTEES:
            corps = AJOUTEES[a.code].format(feuille=feuille or a.feuille, champ=a.champ)
        champ = a.champ
        if not feuille or a.code in NON_PLACEES:
            cibles: tuple[str, ...] = ()
        elif (feuille, a.cellule) in places:
            cle, position = places[(feuille, a.cellule)]
            cibles = (_cellule(feuille, cle, position, cellules) or _premiere(feuille, cellules),)
            champ = champ or F.CHAMPS[(feuille, cle)].libelle
            if feuille == "Collectifs":  # which collectif, as the letter names it
                code = lecture.feuilles["Collectifs"][position].get("code", (None, ""))[0]
                champ += f" (collectif {str(code).strip()})" if code not in (None, "") else ""
        elif not a.cellule and (libelles.get(a.champ) or (a.champ if a.champ in cles else None)):
            cle = libelles.get(a.champ) or a.champ
            rangs = range(n_collectifs) if feuille == "Collectifs" else range(1)
            cibles = tuple(c for p in rangs if (c := _cellule(feuille, cle, p, cellules)))
        else:
            cibles = (_premiere(feuille, cellules),)
        sortie.append(Signalement(a, feuille, cibles, champ, corps))
    ordre = {f: i for i, f in enumerate(F.FEUILLES)}
    return sorted(
        sortie,
        key=lambda s: (
            ordre.get(s.feuille, len(ordre)),
            coordinate_to_tuple(s.cellules[0]) if s.cellules else (0, 0),
            s.anomalie.cle_tri(),
        ),
    )


def _surligner(wb: Workbook, liste: list[Signalement]) -> None:
    """Each cell filled by its gravest anomaly, its comment holding every sentence about it."""
    par_cellule: dict[tuple[str, str], list[Signalement]] = {}
    for s in liste:
        for c in s.cellules:
            par_cellule.setdefault((s.feuille, c), []).append(s)
    for (feuille, coord), les_siens in par_cellule.items():
        cell = wb[feuille][coord]
        grave = BLOQUANT if any(s.anomalie.gravite == BLOQUANT for s in les_siens) else AVERTISSEMENT
        cell.fill = SURLIGNAGES[grave]
        textes = list(dict.fromkeys(f"{GRAVITES[s.anomalie.gravite]} : {s.texte}" for s in les_siens))
        commentaire = Comment("\n\n".join(textes), "Caf")
        commentaire.width, commentaire.height = 320, 40 + 18 * sum(len(t) // 45 + 1 for t in textes)
        cell.comment = commentaire


def _ligne(ws, r: int, valeurs: tuple, gras: bool = False) -> None:
    for j, v in enumerate(valeurs, start=1):
        cell = ws.cell(r, j)
        ecrire_valeur(cell, v)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        if gras:
            cell.font, cell.fill = GRAS, TITRE
    lignes = max(hauteur(str(v), LARGEURS[j] * 0.75, 15) for j, v in enumerate(valeurs))
    ws.row_dimensions[r].height = max(lignes, 15)


def _feuille_a_corriger(wb: Workbook, lecture: Lecture, liste: list[Signalement], la_caf: str) -> None:
    ws = wb.create_sheet(FEUILLE, 0)
    for j, largeur in enumerate(LARGEURS, start=1):
        ws.column_dimensions[get_column_letter(j)].width = largeur
    ws["A1"] = f"À corriger : votre dossier « {lecture.fichier} »"
    ws["A1"].font = Font(bold=True, size=14)
    ws.merge_cells("A2:F2")
    ws["A2"] = (
        f"Ce classeur est votre dossier « {lecture.fichier} », repris par {la_caf} : chaque "
        "réponse que nous avons lue y est recopiée. Les cases en rouge sont à corriger (sans "
        "elles, le dossier ne peut pas être examiné), celles en orange à vérifier ; chacune porte "
        "un commentaire qui dit quoi écrire. Cliquez sur une case de la colonne « Case » pour y "
        "aller, corrigez, puis renvoyez ce classeur."
    )
    ws["A2"].alignment = Alignment(wrap_text=True, vertical="top")
    ws.row_dimensions[2].height = 64
    r = 4
    places = [s for s in liste if s.anomalie.code not in NON_PLACEES]
    _ligne(ws, r, COLONNES[:3] + ("Gravité",) + COLONNES[4:], gras=True)
    for s in places:
        r += 1
        a = s.anomalie
        case = " ; ".join(s.cellules[:3]) + (" …" if len(s.cellules) > 3 else "")
        envoye = f"{a.feuille}!{a.cellule}" if a.cellule else a.feuille
        _ligne(ws, r, (s.feuille or a.feuille, case, s.champ, GRAVITES[a.gravite], s.texte, envoye))
        ws.cell(r, 4).fill = SURLIGNAGES[a.gravite]
        if s.cellules:
            lien = ws.cell(r, 2)
            lien.hyperlink = Hyperlink(ref=lien.coordinate, location=f"'{s.feuille}'!{s.cellules[0]}")
            lien.font = Font(color="0563C1", underline="single")
    if not places:
        _ligne(ws, r + 1, ("", "", "", "", "Aucune case à corriger.", ""))
        r += 1
    ailleurs = [s for s in liste if s.anomalie.code in NON_PLACEES]
    if ailleurs:
        r += 2
        ws.cell(r, 1, "Valeurs non reprises : le programme n'a pas su où les placer").font = Font(
            bold=True, size=12
        )
        r += 1
        _ligne(ws, r, ("Feuille", "Case", "Ce qui y était", "Gravité", "Pourquoi", ""), gras=True)
        for s in ailleurs:
            r += 1
            a = s.anomalie
            valeur = " ".join(x for x in (a.champ, a.valeur) if x) if a.code.startswith("LIGNE") else a.valeur
            _ligne(ws, r, (a.feuille, a.cellule, valeur, GRAVITES[a.gravite], s.texte, ""))
            ws.cell(r, 4).fill = SURLIGNAGES[a.gravite]
    ws.freeze_panes = "A5"
    ws.page_setup.orientation, ws.page_setup.paperSize = "landscape", ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = "4:4"
    ws.protection.sheet = True  # read only, like the blank dossier's own notice
    for feuille in wb.worksheets:
        feuille.sheet_view.tabSelected = feuille is ws
    wb.active = 0


def classeur_a_corriger(
    annee: str, consignes: Consignes, caf: CafDuDossier, lecture: Lecture, anomalies: list[Anomalie]
) -> Workbook:
    """The pre-filled workbook of one INCOMPLET file (`anomalies`: the file's own), from the
    year's blank dossier."""
    wb = construire_dossier_vierge(annee, consignes, caf)
    remplir_reponses(wb, reponses_lues(lecture))
    liste = signalements(lecture, anomalies, reperes(wb))
    _surligner(wb, liste)
    _feuille_a_corriger(wb, lecture, liste, caf.la_caf)
    return wb


def ecrire_classeurs_a_corriger(
    dossier: Path, campagne: Campagne, classeurs: dict[str, Lecture], anomalies: list[Anomalie]
) -> list[str]:
    """Write `dossier/<name>` for each name -> the INCOMPLET file it returns; the same read
    values and anomalies give the same bytes. -> the names written, sorted."""
    quand = dt.datetime(annees(campagne.annee)[0], 1, 1)
    par_fichier: dict[str, list[Anomalie]] = {}
    for a in anomalies:
        par_fichier.setdefault(a.fichier, []).append(a)
    caf = caf_de(campagne)
    consignes = consignes_de_l_annee(campagne.annee, campagne=campagne)  # once for every file
    for nom, lecture in sorted(classeurs.items()):
        propres = par_fichier.get(lecture.fichier, [])
        wb = classeur_a_corriger(campagne.annee, consignes, caf, lecture, propres)
        enregistrer_classeur(wb, dossier / nom, quand)
    return sorted(classeurs)

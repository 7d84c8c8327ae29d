"""The blank dossier sent to operators (`campaign template`), built from campaign/formulaire.py.

Layout (dossier.md): `Porteur` and `Projet` hold one field per row (label in A, answer in B,
from row 1, no header); `Collectifs` has the field labels as headers in row 1 and one
collectif per row below; `Budget` has "Code", "Libellé", "Montant (€)" in row 1 then one row
per budget line. Around that contract, for the volunteer who fills it in: a `Mode d'emploi`
sheet, drop-down lists fed by a hidden `Listes` sheet, input messages, number formats,
protected label cells (no password) and live budget totals with no code in column A.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill, Protection
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from campaign.erreurs import CampaignError
from campaign.formats import EXCEL_EUROS
from campaign.formulaire import (
    BUDGET, CHARGES, COLLECTIFS, FEUILLES, OUI_NON, PORTEUR, PRODUITS, PROJET, Champ,
)

LIGNES_COLLECTIFS = 30  # prepared rows in `Collectifs` (operators may insert more)
LIGNE_BUDGET = {c.cle: i + 2 for i, c in enumerate(BUDGET)}  # budget code -> row
FORMAT_MONTANT = EXCEL_EUROS
FORMAT_ENTIER = "0"
FORMAT_DATE = "dd/mm/yyyy"
FORMAT_TEXTE = "@"

_GRIS = PatternFill("solid", fgColor="D9D9D9")
_SAISIE = PatternFill("solid", fgColor="FFF9DB")
_GRAS = Font(bold=True)
_LISTES = {OUI_NON: "Oui / Non"}  # choice list -> header in the hidden sheet
_NOMS_LISTES = {"statut": "Statut juridique", "coordinateur_diplome": "Diplôme",
                "niveau_min": "Niveau scolaire"}


def libelle_projet(champ: Champ) -> str:
    """The label cell of a `Projet` row: "E1 - Appui et méthodologie au travail scolaire"."""
    return f"{champ.cle} - {champ.libelle}"


def _annees(annee: str) -> tuple[int, int]:
    debut = int(annee[:4])
    return debut, debut + 1


def _aide(champ: Champ, annee: str) -> str:
    """The input message of an answer cell, in plain French (at most 255 characters)."""
    if champ.aide:
        return champ.aide
    if champ.type == "ouinon":
        return "Choisissez Oui ou Non dans la liste."
    if champ.type == "choix":
        return "Choisissez dans la liste : " + ", ".join(champ.choix) + "."
    if champ.type == "entier":
        return "Un nombre entier, sans texte (par exemple 10)."
    if champ.type == "date":
        return f"Une date au format jj/mm/aaaa, par exemple 02/11/{_annees(annee)[0]}."
    if champ.type == "courriel":
        return "Une adresse électronique, par exemple nom@structure.fr."
    if champ.type == "montant":
        return _aide_budget(champ.cle, annee)
    return f"Indiquez : {champ.libelle.lower()}."


def _aide_budget(code: str, annee: str) -> str:
    if code == "PSF":
        return ("Part des charges de personnel (ligne 64) déjà financée par une prestation "
                "de service à la fonction (référent famille...). Ne dépasse pas la ligne 64.")
    if code in ("C86", "P87"):
        return "Valorisation du bénévolat et des dons en nature, en euros. Laissez vide si rien."
    if code == "P74-CAF-CLAS":
        return (f"Montant que vous demandez à la Caf pour {annee}. La Caf calcule elle-même "
                "le montant accordé.")
    sens = "Charge prévue" if code in CHARGES else "Recette prévue"
    return (f"{sens} pour l'action en {annee}, en euros, sans le signe €. "
            "Laissez vide si rien.")


def _format(champ: Champ) -> str | None:
    return {"entier": FORMAT_ENTIER, "date": FORMAT_DATE, "montant": FORMAT_MONTANT,
            "siret": FORMAT_TEXTE, "code_postal": FORMAT_TEXTE, "duree": FORMAT_TEXTE,
            "rna": FORMAT_TEXTE}.get(champ.type)


def _ecrire_listes(wb: Workbook) -> dict[tuple[str, ...], str]:
    """Fill the hidden `Listes` sheet; return each choice list's range reference."""
    ws = wb.create_sheet("Listes")
    listes = dict(_LISTES)
    for champs in FEUILLES.values():
        for c in champs:
            if c.type == "choix" and c.choix not in listes:
                listes[c.choix] = _NOMS_LISTES.get(c.cle, c.libelle)
    refs: dict[tuple[str, ...], str] = {}
    for col, (choix, titre) in enumerate(listes.items(), start=1):
        lettre = get_column_letter(col)
        ws.cell(1, col, titre).font = _GRAS
        for i, valeur in enumerate(choix, start=2):
            ws.cell(i, col, valeur)
        ws.column_dimensions[lettre].width = 24
        refs[choix] = f"Listes!${lettre}$2:${lettre}${len(choix) + 1}"
    ws.sheet_state = "hidden"
    ws.protection.sheet = True
    return refs


def _validation(champ: Champ, annee: str, refs: dict, plage: str) -> DataValidation:
    """A drop-down list (Oui/Non and choices), or a number check, always with a prompt."""
    titre = champ.libelle if len(champ.libelle) <= 32 else champ.libelle[:31] + "…"
    options = dict(showInputMessage=True, promptTitle=titre, prompt=_aide(champ, annee)[:255],
                   showErrorMessage=True, allow_blank=True, errorTitle="Valeur à vérifier")
    choix = OUI_NON if champ.type == "ouinon" else champ.choix
    if choix:
        dv = DataValidation(type="list", formula1=refs[choix], errorStyle="stop",
                            error="Choisissez une valeur dans la liste déroulante.", **options)
    elif champ.type == "entier":
        dv = DataValidation(type="whole", operator="greaterThanOrEqual", formula1="0",
                            errorStyle="warning", error="Un nombre entier est attendu.",
                            **options)
    elif champ.type == "montant":
        dv = DataValidation(type="decimal", operator="greaterThanOrEqual", formula1="0",
                            errorStyle="warning",
                            error="Un montant positif en euros est attendu.", **options)
    else:
        dv = DataValidation(type=None, **options)
        dv.showErrorMessage = False
    dv.add(plage)
    return dv


def _cellule_saisie(cell, champ: Champ) -> None:
    cell.protection = Protection(locked=False)
    cell.fill = _SAISIE
    if fmt := _format(champ):
        cell.number_format = fmt


def _proteger(ws, lignes: bool = False) -> None:
    ws.protection.sheet = True  # no password: a safeguard against slips, not a lock
    ws.protection.formatColumns = ws.protection.formatRows = False  # widths stay adjustable
    if lignes:
        ws.protection.insertRows = False


def _feuille_lignes(wb, nom, champs, libelle, annee, refs, largeur_a) -> None:
    """`Porteur` / `Projet`: label in A (locked, grey), answer in B (unlocked)."""
    ws = wb.create_sheet(nom)
    for ligne, champ in enumerate(champs, start=1):
        a = ws.cell(ligne, 1, libelle(champ))
        a.fill, a.alignment = _GRIS, Alignment(wrap_text=True, vertical="center")
        _cellule_saisie(ws.cell(ligne, 2), champ)
        ws.add_data_validation(_validation(champ, annee, refs, f"B{ligne}"))
    ws.column_dimensions["A"].width, ws.column_dimensions["B"].width = largeur_a, 45
    _proteger(ws)


def _feuille_collectifs(wb, annee, refs) -> None:
    ws = wb.create_sheet("Collectifs")
    derniere = LIGNES_COLLECTIFS + 1
    for col, champ in enumerate(COLLECTIFS, start=1):
        lettre = get_column_letter(col)
        h = ws.cell(1, col, champ.libelle)
        h.font, h.fill = _GRAS, _GRIS
        h.alignment = Alignment(wrap_text=True, vertical="center", horizontal="center")
        for ligne in range(2, derniere + 1):
            _cellule_saisie(ws.cell(ligne, col), champ)
        ws.add_data_validation(_validation(champ, annee, refs, f"{lettre}2:{lettre}{derniere}"))
        ws.column_dimensions[lettre].width = 22 if champ.type in ("texte", "date") else 15
    ws.row_dimensions[1].height = 60
    ws.freeze_panes = "B2"
    _proteger(ws, lignes=True)


def _somme(codes) -> str:
    lignes = sorted(LIGNE_BUDGET[c] for c in codes)
    if lignes == list(range(lignes[0], lignes[-1] + 1)):
        return f"=SUM(C{lignes[0]}:C{lignes[-1]})"
    return "=SUM(" + ",".join(f"C{n}" for n in lignes) + ")"


def _feuille_budget(wb, annee, refs) -> None:
    ws = wb.create_sheet("Budget")
    for col, titre in enumerate(("Code", "Libellé", "Montant (€)"), start=1):
        ws.cell(1, col, titre).font, ws.cell(1, col).fill = _GRAS, _GRIS
    for champ in BUDGET:
        ligne = LIGNE_BUDGET[champ.cle]
        ws.cell(ligne, 1, champ.cle).fill = _GRIS
        ws.cell(ligne, 2, champ.libelle).fill = _GRIS
        _cellule_saisie(ws.cell(ligne, 3), champ)
        ws.add_data_validation(_validation(champ, annee, refs, f"C{ligne}"))
    # Totals: after every coded line, column A left empty so that readers skip them.
    produits = [c for c in PRODUITS if c != "P87"]  # in-kind (87) balances 86, not counted
    ligne = max(LIGNE_BUDGET.values()) + 2
    totaux = (("Total des charges (60 à 68 et charges indirectes)", _somme(CHARGES)),
              ("Total des produits (70 à 78)", _somme(produits)),
              ("Équilibre (produits − charges)", f"=C{ligne + 1}-C{ligne}"))
    for i, (libelle, formule) in enumerate(totaux):
        ws.cell(ligne + i, 2, libelle).font = _GRAS
        c = ws.cell(ligne + i, 3, formule)
        c.font, c.number_format = _GRAS, FORMAT_MONTANT
    for lettre, largeur in (("A", 18), ("B", 62), ("C", 18)):
        ws.column_dimensions[lettre].width = largeur
    ws.freeze_panes = "A2"
    _proteger(ws)


def _mode_emploi(ws, annee: str) -> None:
    n, n1 = _annees(annee)
    textes = [
        (f"Dossier de demande CLAS – année scolaire {annee}", "titre"),
        ("Contrat local d'accompagnement à la scolarité : ce fichier est votre demande de "
         "financement auprès de la Caf. Remplissez un seul fichier par structure.", ""),
        ("Ce qu'il faut remplir", "section"),
        ("1. Onglet « Porteur » : votre structure, son représentant, la personne à contacter "
         "et le coordinateur de l'action.", ""),
        ("2. Onglet « Projet » : pour chaque action, répondez Oui ou Non.", ""),
        ("3. Onglet « Collectifs » : une ligne par groupe d'enfants (C1, C2...). "
         "Ne laissez pas de ligne vide entre deux groupes.", ""),
        (f"4. Onglet « Budget » : le budget prévisionnel de l'action pour {annee}, en euros. "
         "Les totaux en bas se calculent tout seuls.", ""),
        ("Comment saisir", "section"),
        ("• Écrivez seulement dans les cellules jaunes. Les cellules grises (intitulés) sont "
         "protégées : ne les modifiez pas et ne renommez pas les onglets.", ""),
        ("• Oui / Non et les listes : cliquez sur la cellule puis sur la petite flèche.", ""),
        ("• Nombres : un chiffre seul, sans texte (10 et non « dix »).", ""),
        (f"• Dates : jj/mm/aaaa, par exemple 02/11/{n} ou 15/06/{n1}.", ""),
        ("• Durée d'une séance : en heures, par exemple 1h30 ou 2.", ""),
        ("• Montants : en euros, sans le signe € ; laissez vide une ligne sans montant.", ""),
        ("• En cliquant sur une cellule, une bulle d'aide vous explique quoi écrire.", ""),
        ("Renvoyer le dossier", "section"),
        ("Enregistrez le fichier au format Excel (.xlsx), sans le convertir en PDF ni le "
         "scanner, et renvoyez-le à votre Caf avant la date indiquée dans le courrier.", ""),
        ("Une question ?", "section"),
        ("Contactez le conseiller ou la conseillère de votre Caf chargé(e) du CLAS : ses "
         "coordonnées figurent dans le courrier qui accompagne ce dossier.", ""),
    ]
    for ligne, (texte, genre) in enumerate(textes, start=1):
        c = ws.cell(ligne, 1, texte)
        c.alignment = Alignment(wrap_text=True, vertical="top")
        if genre:
            c.font = Font(bold=True, size=14 if genre == "titre" else 12)
        else:
            ws.row_dimensions[ligne].height = 32
    ws.column_dimensions["A"].width = 100
    ws.protection.sheet = True


def construire_dossier_vierge(annee: str = "2026-2027") -> Workbook:
    """The blank dossier as an openpyxl workbook (the demo fills it in)."""
    if not re.fullmatch(r"\d{4}-\d{4}", annee) or _annees(annee)[1] != int(annee[5:]):
        raise CampaignError(f"Année scolaire invalide : {annee!r} (attendu par exemple 2026-2027).")
    wb = Workbook()
    ws = wb.active
    ws.title = "Mode d'emploi"
    _mode_emploi(ws, annee)
    refs = _ecrire_listes(wb)
    _feuille_lignes(wb, "Porteur", PORTEUR, lambda c: c.libelle, annee, refs, 50)
    _feuille_lignes(wb, "Projet", PROJET, libelle_projet, annee, refs, 70)
    _feuille_collectifs(wb, annee, refs)
    _feuille_budget(wb, annee, refs)
    wb.move_sheet("Listes", offset=len(wb.sheetnames) - 1 - wb.sheetnames.index("Listes"))
    wb.active = 0
    wb.properties.title = f"Dossier CLAS {annee}"
    wb.properties.creator = "Caf – campagne CLAS"
    return wb


def enregistrer(wb: Workbook, path: Path, quand: dt.datetime) -> None:
    """Save with fixed metadata and zip timestamps, so the same content gives the same bytes."""
    wb.properties.created = quand
    wb.properties.modified = quand
    brut = io.BytesIO()
    wb.save(brut)  # openpyxl stamps "modified" with the current time: put `quand` back
    horodatage = quand.strftime("%Y-%m-%dT%H:%M:%SZ")
    sortie = io.BytesIO()
    with zipfile.ZipFile(brut) as zin, zipfile.ZipFile(sortie, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = zin.read(info.filename)
            if info.filename == "docProps/core.xml":
                data = re.sub(rb"(<dcterms:modified[^>]*>)[^<]*", rb"\g<1>" + horodatage.encode(),
                              data)
            zout.writestr(zipfile.ZipInfo(info.filename, date_time=quand.timetuple()[:6]),
                          data, compress_type=zipfile.ZIP_DEFLATED)
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    Path(path).write_bytes(sortie.getvalue())


def ecrire_dossier_vierge(path: Path, annee: str = "2026-2027") -> None:
    """Write the blank dossier for `annee` to `path` (same bytes for the same year)."""
    wb = construire_dossier_vierge(annee)
    enregistrer(wb, path, dt.datetime(_annees(annee)[0], 1, 1))

"""Input help of the blank dossier: drop-down lists (hidden `Listes` sheet), the message shown
beside a selected answer (the rule's consigne first, then how to write it) and the checks
Excel and LibreOffice make as the operator types (SIRET, dates, counts, amounts)."""

from __future__ import annotations

import re

from openpyxl import Workbook
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from campaign.dossier_vierge.page import GRAS
from campaign.formulaire import CHARGES, FEUILLES, OUI_NON, Champ

_LISTES = {OUI_NON: "Oui / Non"}  # choice list -> header in the hidden sheet
_NOMS_LISTES = {
    "statut": "Statut juridique",
    "coordinateur_diplome": "Diplôme",
    "niveau_min": "Niveau scolaire",
}
MESSAGE_MAX = 255  # characters: Excel refuses a longer input message (LibreOffice cuts it)
RENVOI = "Détail dans l'onglet « Mode d'emploi »."  # the notice holds every consigne in full
_PHRASES = re.compile(r"^.*[.!?][»)]?(?=\s+[A-ZÀ-ÖØ-Þ«])", re.S)  # up to a sentence's end
SEMAINES_PAR_AN = 52  # a calendar bound (dossier.md §5), not a rule of the référentiel
LONGUEUR_SIRET = 14


def annees(annee: str) -> tuple[int, int]:
    debut = int(annee[:4])
    return debut, debut + 1


def aide(champ: Champ, annee: str) -> str:
    """How to write an answer, in plain French."""
    if champ.aide:
        return champ.aide
    if champ.type == "ouinon":
        return "Choisissez Oui ou Non dans la liste."
    if champ.type == "choix":
        return "Choisissez dans la liste : " + ", ".join(champ.choix) + "."
    if champ.type == "entier":
        return "Un nombre entier, sans texte (par exemple 10)."
    if champ.type == "date":
        return f"Une date au format jj/mm/aaaa, par exemple 02/11/{annees(annee)[0]}."
    if champ.type == "courriel":
        return "Une adresse électronique, par exemple nom@structure.fr."
    if champ.type == "montant":
        return _aide_budget(champ.cle, annee)
    return f"Indiquez : {champ.libelle.lower()}."


def _aide_budget(code: str, annee: str) -> str:
    if code == "PSF":
        return (
            "Part des charges de personnel (ligne 64) déjà financée par une prestation "
            "de service à la fonction (référent famille...). Ne dépasse pas la ligne 64."
        )
    if code in ("C86", "P87"):
        return "Valorisation du bénévolat et des dons en nature, en euros. Laissez vide si rien."
    if code == "P74-CAF-CLAS":
        return (
            f"Montant que vous demandez à la Caf pour {annee}. La Caf calcule elle-même le montant accordé."
        )
    sens = "Charge prévue" if code in CHARGES else "Recette prévue"
    return f"{sens} pour l'action en {annee}, en euros, sans le signe €. Laissez vide si rien."


def ecrire_listes(wb: Workbook) -> dict[tuple[str, ...], str]:
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
        ws.cell(1, col, titre).font = GRAS
        for i, valeur in enumerate(choix, start=2):
            ws.cell(i, col, valeur)
        ws.column_dimensions[lettre].width = 24
        refs[choix] = f"Listes!${lettre}$2:${lettre}${len(choix) + 1}"
    ws.sheet_state = "hidden"
    ws.protection.sheet = True
    return refs


def _controle(champ: Champ, annee: str, cellule: str) -> tuple[dict, str] | None:
    """The check of a typed answer (never blocking: the program reads what people type)."""
    n, n1 = annees(annee)
    if champ.type == "siret":
        sans_espaces = f'SUBSTITUTE({cellule}," ","")'
        return (
            {
                "type": "custom",
                "formula1": f"AND(LEN({sans_espaces})={LONGUEUR_SIRET},ISNUMBER(VALUE({sans_espaces})))",
            },
            f"Le SIRET compte {LONGUEUR_SIRET} chiffres (espaces permis).",
        )
    if champ.type == "code_postal":
        return (
            {"type": "custom", "formula1": f"LEN(TRIM({cellule}))=5"},
            "Le code postal compte 5 chiffres.",
        )
    if champ.type == "courriel":
        return (
            {"type": "custom", "formula1": f'ISNUMBER(FIND("@",{cellule}))'},
            "Une adresse électronique contient @.",
        )
    if champ.type == "date":
        debut, fin = (n, 9, 1), (n1, 8, 31)
        if champ.cle == "date_signature":
            debut, fin = (n - 1, 1, 1), (n1, 12, 31)
        return (
            {
                "type": "date",
                "operator": "between",
                "formula1": "DATE({},{},{})".format(*debut),
                "formula2": "DATE({},{},{})".format(*fin),
            },
            f"Une date jj/mm/aaaa entre le {debut[2]:02d}/{debut[1]:02d}/{debut[0]} et le "
            f"{fin[2]:02d}/{fin[1]:02d}/{fin[0]}.",
        )
    if champ.type == "entier" and champ.cle == "semaines":
        return (
            {"type": "whole", "operator": "between", "formula1": "0", "formula2": str(SEMAINES_PAR_AN)},
            f"Un nombre entier de semaines, de 0 à {SEMAINES_PAR_AN}.",
        )
    if champ.type == "entier":
        return (
            {"type": "whole", "operator": "greaterThanOrEqual", "formula1": "0"},
            "Un nombre entier est attendu.",
        )
    if champ.type == "montant":
        return (
            {"type": "decimal", "operator": "greaterThanOrEqual", "formula1": "0"},
            "Un montant positif en euros est attendu.",
        )
    return None


def message(consigne: str, comment: str) -> str:
    """The input message: the consigne, then how to write the answer; when that is longer
    than Excel allows, the consigne's first whole sentences and where to read the rest."""
    complet = f"{consigne} {comment}" if consigne else comment
    if len(complet) <= MESSAGE_MAX:
        return complet
    place = MESSAGE_MAX - len(RENVOI) - 1
    debut = consigne
    if len(debut) > place and (coupe := _PHRASES.search(debut[:place])):
        debut = coupe.group(0)  # whole sentences only
    if len(debut) > place:  # one sentence longer than the room: cut at a word
        debut = debut[: place - 1].rsplit(" ", 1)[0].rstrip(" ,;:") + "…"
    return f"{debut} {RENVOI}"


def validation(champ: Champ, annee: str, refs: dict, plage: str, consigne: str = "") -> DataValidation:
    """A drop-down list (Oui/Non and choices) or a check, always with a message: the rule's
    consigne, then how to write the answer (`message`, within Excel's 255 characters)."""
    titre = champ.libelle if len(champ.libelle) <= 32 else champ.libelle[:31] + "…"
    texte = message(consigne, aide(champ, annee))
    options = {
        "showInputMessage": True,
        "promptTitle": titre,
        "prompt": texte,
        "showErrorMessage": True,
        "allow_blank": True,
        "errorTitle": "Valeur à vérifier",
    }
    choix = OUI_NON if champ.type == "ouinon" else champ.choix
    controle = _controle(champ, annee, plage.split(":")[0])
    if choix:
        dv = DataValidation(
            type="list",
            formula1=refs[choix],
            errorStyle="stop",
            error="Choisissez une valeur dans la liste déroulante.",
            **options,
        )
    elif controle:
        regle, erreur = controle
        dv = DataValidation(errorStyle="warning", error=erreur, **regle, **options)
    else:
        dv = DataValidation(type=None, **options)
        dv.showErrorMessage = False
    dv.add(plage)
    return dv

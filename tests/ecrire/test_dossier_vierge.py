"""The blank dossier: exact layout of dossier.md, plus the helps for the volunteer."""

from __future__ import annotations

import hashlib
import re

import openpyxl
import pytest
from openpyxl.utils import get_column_letter, range_boundaries
from python_calamine import CalamineWorkbook

from campaign.ecrire.dossier_vierge import ecrire_dossier_vierge
from campaign.erreurs import CampaignError
from campaign.formulaire import (
    BUDGET, CHARGES, COLLECTIFS, DIPLOMES, NIVEAUX, OUI_NON, PORTEUR, PRODUITS, PROJET, STATUTS,
)

FEUILLES = ["Mode d'emploi", "Porteur", "Projet", "Collectifs", "Budget", "Listes"]


@pytest.fixture(scope="module")
def chemin(tmp_path_factory):
    p = tmp_path_factory.mktemp("vierge") / "dossier_vierge.xlsx"
    ecrire_dossier_vierge(p, annee="2026-2027")
    return p


@pytest.fixture(scope="module")
def wb(chemin):
    return openpyxl.load_workbook(chemin)


def _validations(ws):
    """cell reference -> the data validation covering it."""
    out = {}
    for dv in ws.data_validations.dataValidation:
        for plage in dv.sqref.ranges:
            c1, l1, c2, l2 = range_boundaries(plage.coord)
            for col in range(c1, c2 + 1):
                for ligne in range(l1, l2 + 1):
                    out[f"{get_column_letter(col)}{ligne}"] = dv
    return out


def _liste(wb, dv):
    """The values of a list validation, read from the hidden sheet it points to."""
    m = re.fullmatch(r"=?Listes!\$([A-Z]+)\$(\d+):\$([A-Z]+)\$(\d+)", dv.formula1)
    assert m, dv.formula1
    ws = wb["Listes"]
    return tuple(ws[f"{m[1]}{n}"].value for n in range(int(m[2]), int(m[4]) + 1))


def test_feuilles_dans_l_ordre_et_listes_cachee(wb):
    assert wb.sheetnames == FEUILLES
    assert wb["Listes"].sheet_state == "hidden"
    assert all(wb[n].sheet_state == "visible" for n in FEUILLES[:-1])
    assert wb.active.title == "Mode d'emploi"


def test_porteur_et_projet_libelles_en_a_sans_en_tete(wb):
    porteur, projet = wb["Porteur"], wb["Projet"]
    assert [porteur.cell(i, 1).value for i in range(1, len(PORTEUR) + 1)] == [
        c.libelle for c in PORTEUR]
    assert [projet.cell(i, 1).value for i in range(1, len(PROJET) + 1)] == [
        f"{c.cle} - {c.libelle}" for c in PROJET]
    assert projet["A1"].value == "E1 - Appui et méthodologie au travail scolaire"
    assert porteur.max_row == len(PORTEUR) and projet.max_row == len(PROJET)
    assert all(porteur.cell(i, 2).value is None for i in range(1, len(PORTEUR) + 1))


def test_collectifs_en_tetes_et_lignes_preparees(wb):
    ws = wb["Collectifs"]
    assert [c.value for c in ws[1]] == [c.libelle for c in COLLECTIFS]
    assert ws.max_row >= 31  # 30 prepared rows, empty
    assert all(c.value is None for ligne in ws.iter_rows(min_row=2) for c in ligne)


def test_budget_codes_libelles_et_totaux(wb):
    ws = wb["Budget"]
    assert [c.value for c in ws[1]][:3] == ["Code", "Libellé", "Montant (€)"]
    lignes = {c.cle: i for i, c in enumerate(BUDGET, start=2)}
    for c in BUDGET:
        assert ws.cell(lignes[c.cle], 1).value == c.cle
        assert ws.cell(lignes[c.cle], 2).value == c.libelle
        assert ws.cell(lignes[c.cle], 3).value is None
    derniere = max(lignes.values())
    # Column A below the coded lines is empty: a reader looking up codes ignores the totals.
    assert all(ws.cell(n, 1).value is None for n in range(derniere + 1, ws.max_row + 1))
    formules = {ws.cell(n, 2).value: ws.cell(n, 3).value
                for n in range(derniere + 1, ws.max_row + 1) if ws.cell(n, 3).value}
    assert len(formules) == 3

    def lignes_de(formule):
        rows = set()
        for a, b in re.findall(r"C(\d+)(?::C(\d+))?", formule):
            rows |= set(range(int(a), int(b or a) + 1))
        return rows

    charges = next(f for lib, f in formules.items() if "charges" in lib.lower()
                   and "produits" not in lib.lower())
    produits = next(f for lib, f in formules.items() if lib.lower().startswith("total des produits"))
    assert charges.startswith("=SUM(") and lignes_de(charges) == {lignes[c] for c in CHARGES}
    assert lignes_de(produits) == {lignes[c] for c in PRODUITS if c != "P87"}
    assert lignes["PSF"] not in lignes_de(charges) and lignes["C86"] not in lignes_de(charges)


def test_listes_cachees(wb):
    ws = wb["Listes"]
    colonnes = [tuple(v for v in col if v is not None)[1:] for col in ws.iter_cols(values_only=True)]
    assert colonnes == [OUI_NON, STATUTS, DIPLOMES, NIVEAUX]


def test_listes_deroulantes_sur_les_reponses(wb):
    porteur = _validations(wb["Porteur"])
    for i, c in enumerate(PORTEUR, start=1):
        if c.type == "ouinon":
            assert porteur[f"B{i}"].type == "list" and _liste(wb, porteur[f"B{i}"]) == OUI_NON
    statut = next(i for i, c in enumerate(PORTEUR, start=1) if c.cle == "statut")
    diplome = next(i for i, c in enumerate(PORTEUR, start=1) if c.cle == "coordinateur_diplome")
    assert _liste(wb, porteur[f"B{statut}"]) == STATUTS
    assert _liste(wb, porteur[f"B{diplome}"]) == DIPLOMES
    projet = _validations(wb["Projet"])
    assert all(_liste(wb, projet[f"B{i}"]) == OUI_NON for i in range(1, len(PROJET) + 1))
    coll = _validations(wb["Collectifs"])
    for j, c in enumerate(COLLECTIFS, start=1):
        lettre = get_column_letter(j)
        for ligne in (2, 17, 31):
            dv = coll[f"{lettre}{ligne}"]
            if c.type == "ouinon":
                assert dv.type == "list" and _liste(wb, dv) == OUI_NON
            elif c.type == "choix":
                assert _liste(wb, dv) == NIVEAUX


@pytest.mark.parametrize("feuille", ["Porteur", "Projet", "Collectifs", "Budget"])
def test_chaque_reponse_a_un_message_de_saisie(wb, feuille):
    ws = wb[feuille]
    dvs = _validations(ws)
    if feuille in ("Porteur", "Projet"):
        cellules = [f"B{i}" for i in range(1, ws.max_row + 1)]
    elif feuille == "Collectifs":
        cellules = [f"{get_column_letter(j)}2" for j in range(1, len(COLLECTIFS) + 1)]
    else:
        cellules = [f"C{i}" for i in range(2, len(BUDGET) + 2)]
    for ref in cellules:
        dv = dvs[ref]
        assert dv.showInputMessage and dv.prompt and len(dv.prompt) <= 255, ref
        assert dv.promptTitle and len(dv.promptTitle) <= 32, ref
    if feuille == "Porteur":  # the field's own help when formulaire.py has one
        assert dvs["B1"].prompt == PORTEUR[0].aide


@pytest.mark.parametrize("feuille", ["Porteur", "Projet", "Collectifs", "Budget"])
def test_protection_sans_mot_de_passe(wb, feuille):
    ws = wb[feuille]
    assert ws.protection.sheet is True
    assert not ws.protection.password


def test_libelles_verrouilles_reponses_deverrouillees(wb):
    assert wb["Porteur"]["A1"].protection.locked and not wb["Porteur"]["B1"].protection.locked
    assert wb["Projet"]["A15"].protection.locked and not wb["Projet"]["B15"].protection.locked
    ws = wb["Collectifs"]
    assert all(c.protection.locked for c in ws[1])
    assert not any(c.protection.locked for c in ws[2]) and not ws["AA31"].protection.locked
    b = wb["Budget"]
    assert b["A2"].protection.locked and b["B2"].protection.locked
    assert not b["C2"].protection.locked and not b[f"C{len(BUDGET) + 1}"].protection.locked
    assert b[f"C{len(BUDGET) + 3}"].protection.locked  # the total


def test_formats_de_nombre(wb):
    ws = wb["Collectifs"]
    col = {c.cle: get_column_letter(j) for j, c in enumerate(COLLECTIFS, start=1)}
    assert ws[f"{col['enfants']}2"].number_format == "0"
    assert ws[f"{col['date_debut']}5"].number_format == "dd/mm/yyyy"
    assert wb["Budget"]["C2"].number_format == '#,##0.00 "€"'
    date_sig = next(i for i, c in enumerate(PORTEUR, start=1) if c.cle == "date_signature")
    assert wb["Porteur"][f"B{date_sig}"].number_format == "dd/mm/yyyy"


def test_mode_d_emploi_en_francais(wb):
    texte = " ".join(str(c.value) for c in wb["Mode d'emploi"]["A"] if c.value)
    for mot in ("2026-2027", "Oui", "Caf", "Collectifs", "Budget", ".xlsx"):
        assert mot in texte
    assert wb["Porteur"].column_dimensions["A"].width >= 40


def test_lisible_par_calamine_et_octets_stables(chemin, tmp_path):
    wb = CalamineWorkbook.from_path(str(chemin))
    assert wb.get_sheet_by_name("Budget").to_python()[1][:2] == ["C60", "60 - Achats"]
    autre = tmp_path / "b.xlsx"
    ecrire_dossier_vierge(autre, annee="2026-2027")
    assert hashlib.sha256(autre.read_bytes()).digest() == hashlib.sha256(chemin.read_bytes()).digest()
    ecrire_dossier_vierge(tmp_path / "c.xlsx", annee="2027-2028")
    texte = " ".join(str(c.value) for c in openpyxl.load_workbook(tmp_path / "c.xlsx")["Mode d'emploi"]["A"])
    assert "2027-2028" in texte


@pytest.mark.parametrize("annee", ["2026", "2026-2028", "vingt"])
def test_annee_invalide(tmp_path, annee):
    with pytest.raises(CampaignError):
        ecrire_dossier_vierge(tmp_path / "x.xlsx", annee=annee)


def test_commande_template(tmp_path):
    from campaign.cli import main

    assert main(["template", "--out", str(tmp_path / "v.xlsx")]) == 0
    assert openpyxl.load_workbook(tmp_path / "v.xlsx").sheetnames == FEUILLES

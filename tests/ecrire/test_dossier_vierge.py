"""The blank dossier: exact layout of dossier.md, plus the helps for the volunteer
(the year's rules beside the answers: test_dossier_vierge_consignes.py)."""

from __future__ import annotations

import hashlib
import re

import openpyxl
import pytest
from openpyxl.utils import get_column_letter, range_boundaries
from python_calamine import CalamineWorkbook

from campaign.dossier_vierge.classeur import ecrire_dossier_vierge, reperes
from campaign.erreurs import CampaignError
from campaign.formulaire import (
    BUDGET,
    CHARGES,
    COLLECTIFS,
    DIPLOMES,
    NIVEAUX,
    OUI_NON,
    PORTEUR,
    PRODUITS,
    PROJET,
    STATUTS,
)

FEUILLES = ["Mode d'emploi", "Porteur", "Projet", "Collectifs", "Budget", "Attestation", "Listes"]


@pytest.fixture(scope="module")
def chemin(tmp_path_factory):
    p = tmp_path_factory.mktemp("vierge") / "dossier_vierge.xlsx"
    ecrire_dossier_vierge(p, annee="2026-2027")
    return p


@pytest.fixture(scope="module")
def wb(chemin):
    return openpyxl.load_workbook(chemin)


@pytest.fixture(scope="module")
def ou(wb):
    """(sheet, key) -> its answer's cell reference ("B14")."""
    return {k: f"{get_column_letter(col)}{ligne}" for k, (ligne, col) in reperes(wb).items()}


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


def test_porteur_et_projet_libelles_en_a_reponses_en_b(wb, ou):
    porteur, projet = wb["Porteur"], wb["Projet"]
    assert [porteur[ou[("Porteur", c.cle)].replace("B", "A")].value for c in PORTEUR] == [
        c.libelle for c in PORTEUR
    ]
    assert [projet[ou[("Projet", c.cle)].replace("B", "A")].value for c in PROJET] == [
        f"{c.cle} - {c.libelle}" for c in PROJET
    ]
    assert [int(ou[("Porteur", c.cle)][1:]) for c in PORTEUR] == sorted(
        int(ou[("Porteur", c.cle)][1:]) for c in PORTEUR
    )  # in the order of dossier.md
    assert ou[("Porteur", "nom")] == "B1" and ou[("Porteur", "siret")] == "B2"
    assert all(porteur[ou[("Porteur", c.cle)]].value is None for c in PORTEUR)
    # Rows that are not fields leave column A empty or B to E empty: the reader skips them.
    for ws in (porteur, projet):
        champs = {int(ref[1:]) for (f, _), ref in ou.items() if f == ws.title}
        for n in range(1, ws.max_row + 1):
            if n not in champs:
                assert ws.cell(n, 1).value is None or all(ws.cell(n, j).value is None for j in range(2, 6)), (
                    ws.title,
                    n,
                )


def test_projet_titre_et_groupe_par_axe(wb, ou):
    ws = wb["Projet"]
    assert ws["A1"].value == "Projet : les actions prévues pour 2026-2027"
    titres = [c.value for c in ws["A"] if c.value and str(c.value).startswith("Axe ")]
    assert titres == [
        "Axe 1 – Auprès des enfants",
        "Axe 2 – Auprès et avec les parents",
        "Axe 3 – Concertation avec l'école",
        "Axe 4 – Partenaires du territoire",
    ]
    lignes = {c.value: c.row for c in ws["A"] if c.value}
    for titre, premiere in zip(titres, ("E1", "P1", "S1", "T1")):
        assert lignes[titre] < int(ou[("Projet", premiere)][1:])


def test_collectifs_en_tetes_et_lignes_preparees(wb):
    ws = wb["Collectifs"]
    assert [c.value for c in ws[1]] == [c.libelle for c in COLLECTIFS]
    assert ws.max_row >= 31  # 30 prepared rows, empty
    assert all(c.value is None for ligne in ws.iter_rows(min_row=2) for c in ligne)


def test_budget_codes_libelles_charges_puis_produits_et_totaux(wb, ou):
    ws = wb["Budget"]
    assert [c.value for c in ws[1]][:3] == ["Code", "Libellé", "Montant (€)"]
    lignes = {c.cle: int(ou[("Budget", c.cle)][1:]) for c in BUDGET}
    for c in BUDGET:
        assert ws.cell(lignes[c.cle], 1).value == c.cle
        assert ws.cell(lignes[c.cle], 2).value == c.libelle
        assert ws.cell(lignes[c.cle], 3).value is None
    titres = {ws.cell(n, 2).value: n for n in range(2, ws.max_row + 1) if ws.cell(n, 1).value is None}
    assert titres["CHARGES"] < min(lignes[c] for c in CHARGES)
    assert max(lignes[c] for c in CHARGES) < titres["PRODUITS"] < min(lignes[c] for c in PRODUITS)
    # Rows without a code leave column A empty: a reader looking up codes ignores them.
    formules = {
        ws.cell(n, 2).value: ws.cell(n, 3).value
        for n in range(2, ws.max_row + 1)
        if ws.cell(n, 1).value is None and ws.cell(n, 3).value
    }
    assert len(formules) == 3

    def lignes_de(formule):
        rows = set()
        for a, b in re.findall(r"C(\d+)(?::C(\d+))?", formule):
            rows |= set(range(int(a), int(b or a) + 1))
        return rows

    charges = next(
        f for lib, f in formules.items() if "charges" in lib.lower() and "produits" not in lib.lower()
    )
    produits = next(f for lib, f in formules.items() if lib.lower().startswith("total des produits"))
    equilibre = next(n for n in range(2, ws.max_row + 1) if str(ws.cell(n, 2).value).startswith("Équilibre"))
    assert ws.cell(equilibre, 3).value == "={}-{}".format(
        *(f"C{titres[lib]}" for lib in titres if str(lib).startswith("Total des produits")),
        *(f"C{titres[lib]}" for lib in titres if str(lib).startswith("Total des charges")),
    )
    assert "Budget équilibré" in ws.cell(equilibre, 4).value
    assert charges.startswith("=SUM(") and lignes_de(charges) == {lignes[c] for c in CHARGES}
    assert lignes_de(produits) == {lignes[c] for c in PRODUITS if c != "P87"}
    assert lignes["PSF"] not in lignes_de(charges) and lignes["C86"] not in lignes_de(charges)


def test_listes_cachees(wb):
    ws = wb["Listes"]
    colonnes = [tuple(v for v in col if v is not None)[1:] for col in ws.iter_cols(values_only=True)]
    assert colonnes == [OUI_NON, STATUTS, DIPLOMES, NIVEAUX]


def test_listes_deroulantes_sur_les_reponses(wb, ou):
    porteur = _validations(wb["Porteur"])
    for c in PORTEUR:
        if c.type == "ouinon":
            dv = porteur[ou[("Porteur", c.cle)]]
            assert dv.type == "list" and _liste(wb, dv) == OUI_NON
    assert _liste(wb, porteur[ou[("Porteur", "statut")]]) == STATUTS
    assert _liste(wb, porteur[ou[("Porteur", "coordinateur_diplome")]]) == DIPLOMES
    projet = _validations(wb["Projet"])
    assert all(_liste(wb, projet[ou[("Projet", c.cle)]]) == OUI_NON for c in PROJET)
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
def test_chaque_reponse_a_un_message_de_saisie(wb, ou, feuille):
    ws = wb[feuille]
    dvs = _validations(ws)
    cellules = [ref for (f, _), ref in ou.items() if f == feuille]
    assert len(cellules) == len(
        {"Porteur": PORTEUR, "Projet": PROJET, "Collectifs": COLLECTIFS, "Budget": BUDGET}[feuille]
    )
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


def test_libelles_verrouilles_reponses_deverrouillees(wb, ou):
    reponses = {(f, ref) for (f, _), ref in ou.items()}
    for ws in (wb[n] for n in FEUILLES[:-1]):
        for ligne in ws.iter_rows():
            for c in ligne:
                if (ws.title, c.coordinate) in reponses or (
                    ws.title == "Collectifs" and c.row > 1 and c.column <= len(COLLECTIFS)
                ):
                    assert not c.protection.locked, (ws.title, c.coordinate)
                elif c.value is not None:
                    assert c.protection.locked, (ws.title, c.coordinate)
    assert not wb["Collectifs"]["AA31"].protection.locked


def test_formats_de_nombre(wb, ou):
    ws = wb["Collectifs"]
    col = {c.cle: get_column_letter(j) for j, c in enumerate(COLLECTIFS, start=1)}
    assert ws[f"{col['enfants']}2"].number_format == "0"
    assert ws[f"{col['date_debut']}5"].number_format == "dd/mm/yyyy"
    assert wb["Budget"][ou[("Budget", "C60")]].number_format == '#,##0.00 "€"'
    assert wb["Porteur"][ou[("Porteur", "date_signature")]].number_format == "dd/mm/yyyy"


def test_controles_siret_dates_nombres(wb, ou):
    porteur, coll = _validations(wb["Porteur"]), _validations(wb["Collectifs"])
    siret = porteur[ou[("Porteur", "siret")]]
    assert siret.type == "custom" and "14" in siret.formula1 and siret.errorStyle == "warning"
    col = {c.cle: get_column_letter(j) for j, c in enumerate(COLLECTIFS, start=1)}
    debut = coll[f"{col['date_debut']}2"]
    assert (debut.type, debut.operator, debut.formula1, debut.formula2) == (
        "date",
        "between",
        "DATE(2026,9,1)",
        "DATE(2027,8,31)",
    )
    assert porteur[ou[("Porteur", "date_signature")]].type == "date"
    assert (coll[f"{col['semaines']}2"].type, coll[f"{col['semaines']}2"].formula2) == ("whole", "52")
    assert coll[f"{col['enfants']}2"].type == "whole"


@pytest.mark.parametrize("feuille", FEUILLES[:-1])
def test_chaque_feuille_s_imprime_sur_a4(wb, feuille):
    ws = wb[feuille]
    assert str(ws.page_setup.paperSize) == ws.PAPERSIZE_A4
    assert (ws.sheet_properties.pageSetUpPr.fitToPage and ws.page_setup.fitToHeight == 1) or (
        feuille in ("Collectifs", "Mode d'emploi") and ws.page_setup.scale  # on as many pages as it needs
    )
    assert ws.print_area and "&P" in ws.oddFooter.center.text and "2026-2027" in ws.oddHeader.center.text
    if feuille == "Collectifs":
        assert ws.print_title_rows == "$1:$1" and ws.print_title_cols == "$A:$A"


def test_attestation_a_signer(wb, ou):
    ws = wb["Attestation"]
    texte = " ".join(str(c.value) for c in ws["A"] if c.value)
    assert "Attestation sur l'honneur" in texte and "signature du représentant légal" in texte
    assert f"Porteur!{ou[('Porteur', 'representant')]}" in texte
    assert f"Porteur!{ou[('Porteur', 'siret')]}" in texte


def test_mode_d_emploi_en_francais(wb):
    texte = " ".join(str(c.value) for c in wb["Mode d'emploi"]["A"] if c.value)
    for mot in ("2026-2027", "Oui", "Caf", "Collectifs", "Budget", ".xlsx", "Attestation"):
        assert mot in texte
    assert wb["Porteur"].column_dimensions["A"].width >= 40


def test_lisible_par_calamine_et_octets_stables(chemin, tmp_path):
    wb = CalamineWorkbook.from_path(str(chemin))
    assert wb.get_sheet_by_name("Budget").to_python()[2][:2] == ["C60", "60 - Achats"]
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

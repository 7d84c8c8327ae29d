"""Reading real small workbooks: the tolerant rules of dossier.md §2 and cell-precise anomalies."""

import datetime as dt
import shutil
from pathlib import Path

import openpyxl
import pytest
from classeurs import ecrire_classeur

from campaign.dossier_vierge.classeur import ecrire_dossier_vierge, reperes
from campaign.run import pipeline

FIXTURES = Path(__file__).parents[1] / "fixtures"


def lire_dossier(dossier: Path):
    lectures = pipeline.lire(dossier)
    tables, anomalies, etats = pipeline.valider(lectures)
    return tables, anomalies, etats


def un_classeur(tmp_path, **kwargs):
    ecrire_classeur(tmp_path / "dossier.xlsx", **kwargs)
    tables, anomalies, etats = lire_dossier(tmp_path)
    return tables, [(a.feuille, a.cellule, a.code) for a in anomalies], etats["dossier.xlsx"]


def test_un_dossier_propre_est_traite_sans_anomalie(tmp_path):
    tables, anomalies, statut = un_classeur(tmp_path)
    assert anomalies == [] and statut == "TRAITE"
    c = tables["Collectifs"].valeurs.iloc[0]
    assert (c["enfants"], c["duree_seance"], c["rural"]) == (10, 1.5, False)
    assert tables["Porteur"].valeurs.iloc[0]["siret"] == "73282932000074"
    assert tables["Budget"].valeurs.iloc[0]["C64"] == 1_000_000  # cents


def test_libelles_et_noms_de_feuilles_retapes(tmp_path):
    tables, anomalies, statut = un_classeur(
        tmp_path,
        noms={"Collectifs": "collectifs ", "Porteur": "PORTEUR"},
        libelles={
            "nom": "NOM DE LA STRUCTURE :",
            "enfants": "Nombre d'enfants :",
            "representant": "Representant legal",
            "E2": "Ouverture culturelle : ressources locales et sorties",
        },
    )
    assert anomalies == [] and statut == "TRAITE"
    assert tables["Porteur"].valeurs.iloc[0]["nom"] == "Association Les Petits Savants"


def test_reponses_oui_non_nombres_dates_durees_comme_les_tapent_les_gens(tmp_path):
    tables, anomalies, _ = un_classeur(
        tmp_path,
        collectifs=[
            {
                "rural": "oui ",
                "ouvert_parents": "X",
                "aide_devoirs_seule": False,
                "enfants": "12",
                "duree_seance": "90 min",
                "date_debut": "02/11/2026",
                "date_fin": "2027-06-15",
                "semaines": 28.0,
            },
            {"rural": "N", "ouvert_parents": True, "duree_seance": "1:30", "date_debut": "03-11-2026"},
        ],
        budget={"C64": "10 000,00 €", "C60": "1\u202f234,50", "P74-ETAT": "500"},
    )
    assert anomalies == []
    c = tables["Collectifs"].valeurs
    assert list(c["rural"]) == [True, False] and list(c["ouvert_parents"]) == [True, True]
    assert list(c["enfants"]) == [12, 10] and list(c["duree_seance"]) == [1.5, 1.5]
    assert c["date_debut"].dt.date.tolist() == [dt.date(2026, 11, 2), dt.date(2026, 11, 3)]
    b = tables["Budget"].valeurs.iloc[0]
    assert (b["C64"], b["C60"], b["P74-ETAT"]) == (1_000_000, 123_450, 50_000)


def test_lignes_vides_sautees_et_cellules_exactes(tmp_path):
    tables, anomalies, _ = un_classeur(tmp_path, collectifs=[{}, {"enfants": "douze"}], lignes_vides=(2,))
    # C1 on row 2, an empty row 3, C2 on row 4: its count is F4
    assert anomalies == [("Collectifs", "F4", "ENTIER-INVALIDE")]
    assert list(tables["Collectifs"].valeurs["code"]) == ["C1", "C2"]


def test_le_message_dit_quoi_ecrire(tmp_path):
    ecrire_classeur(tmp_path / "d.xlsx", collectifs=[{"enfants": "douze"}])
    _, anomalies, _ = lire_dossier(tmp_path)
    (a,) = anomalies
    assert (a.feuille, a.cellule, a.champ, a.valeur, a.gravite) == (
        "Collectifs",
        "F2",
        "Nombre d'enfants",
        "douze",
        "BLOQUANT",
    )
    assert a.message.startswith("Collectifs!F2 : « douze » n'est pas un nombre entier")
    assert "par exemple 12" in a.message


@pytest.mark.parametrize(
    "kwargs, attendu",
    [
        ({"collectifs": [{"date_fin": "31/02/2027"}]}, ("Collectifs", "O2", "DATE-INVALIDE")),
        ({"collectifs": [{"rural": "peut-être"}]}, ("Collectifs", "H2", "OUINON-INVALIDE")),
        ({"collectifs": [{"rural": None}]}, ("Collectifs", "H2", "VALEUR-MANQUANTE")),
        ({"collectifs": [{"duree_seance": "une heure"}]}, ("Collectifs", "L2", "DUREE-INVALIDE")),
        (
            {"collectifs": [{"niveau_min": "CM2", "niveau_max": "CP"}]},
            ("Collectifs", "E2", "NIVEAUX-INVERSES"),
        ),
        (
            {"collectifs": [{"enfants": 6, "enfants_handicap": 7}]},
            ("Collectifs", "G2", "HANDICAP-SUPERIEUR-EFFECTIF"),
        ),
        (
            {"collectifs": [{"date_debut": "15/06/2027", "date_fin": "02/11/2026"}]},
            ("Collectifs", "O2", "DATES-INVERSEES"),
        ),
        ({"collectifs": [{"semaines": 53}]}, ("Collectifs", "M2", "VALEUR-HORS-LIMITES")),
        ({"collectifs": [{"niveau_min": "Licence"}]}, ("Collectifs", "D2", "CHOIX-INVALIDE")),
        ({"collectifs": [{}, {"code": "C1"}]}, ("Collectifs", "A3", "CODE-COLLECTIF-DOUBLE")),
        ({"porteur": {"siret": "732 829 320 00075"}}, ("Porteur", "B2", "SIRET-INVALIDE")),
        ({"porteur": {"siret": "1234"}}, ("Porteur", "B2", "SIRET-INVALIDE")),
        ({"porteur": {"code_postal": "2600"}}, ("Porteur", "B6", "CODE-POSTAL-INVALIDE")),
        ({"porteur": {"contact_courriel": "sam.asso.example"}}, ("Porteur", "B11", "COURRIEL-INVALIDE")),
        ({"porteur": {"rna": "123"}}, ("Porteur", "B4", "RNA-INVALIDE")),
        ({"porteur": {"coordinateur_diplome": "Licence"}}, ("Porteur", "B14", "CHOIX-INVALIDE")),
        ({"porteur": {"date_signature": "30/02/2026"}}, ("Porteur", "B20", "DATE-INVALIDE")),
        ({"projet": {"S2": "bof"}}, ("Projet", "B12", "OUINON-INVALIDE")),
        ({"budget": {"C61": -100}}, ("Budget", "C3", "MONTANT-NEGATIF")),
        ({"budget": {"C61": "mille"}}, ("Budget", "C3", "NOMBRE-INVALIDE")),
        ({"budget": {"PSF": 20000}}, ("Budget", "C12", "PSF-SUPERIEUR-C64")),
        ({"budget": {"C64": 0}}, ("Budget", "", "BUDGET-VIDE")),
        ({"sans": ("Budget",)}, ("Budget", "", "FEUILLE-MANQUANTE")),
        ({"collectifs": []}, ("Collectifs", "", "AUCUN-COLLECTIF")),
    ],
)
def test_anomalie_bloquante_sur_la_bonne_cellule(tmp_path, kwargs, attendu):
    _, anomalies, statut = un_classeur(tmp_path, **kwargs)
    assert attendu in anomalies
    assert statut == "INCOMPLET"


def test_colonne_inconnue_avertit_colonne_absente_bloque(tmp_path):
    chemin = ecrire_classeur(tmp_path / "d.xlsx")
    wb = openpyxl.load_workbook(chemin)
    ws = wb["Collectifs"]
    ws["AB1"], ws["AB2"] = "Remarques", "RAS"
    ws.delete_cols(2)  # Lieu d'accueil
    wb.save(chemin)
    _, anomalies, etats = lire_dossier(tmp_path)
    codes = {(a.code, a.gravite) for a in anomalies}
    assert ("COLONNE-INCONNUE", "AVERTISSEMENT") in codes
    assert ("COLONNE-MANQUANTE", "BLOQUANT") in codes
    assert etats["d.xlsx"] == "INCOMPLET"


def test_formule_sans_valeur_en_cache(tmp_path):
    chemin = ecrire_classeur(tmp_path / "d.xlsx", budget={"C64": "=6000+4000"})
    _, anomalies, etats = lire_dossier(tmp_path)
    assert [(a.feuille, a.cellule, a.code) for a in anomalies] == [("Budget", "C6", "FORMULE-SANS-VALEUR")]
    assert etats[chemin.name] == "INCOMPLET"


@pytest.mark.parametrize("nom", ["libreoffice.xlsx", "libreoffice.ods"])
def test_classeurs_enregistres_par_libreoffice(tmp_path, nom):
    """Saved by LibreOffice: its formulas (Budget C64 = 6000+4000) come with cached values."""
    shutil.copy(FIXTURES / "libreoffice" / nom, tmp_path / nom)
    tables, anomalies, etats = lire_dossier(tmp_path)
    assert anomalies == [] and etats[nom] == "TRAITE"
    assert tables["Budget"].valeurs.iloc[0]["C64"] == 1_000_000
    c = tables["Collectifs"].valeurs
    assert list(c["code"]) == ["C1", "C2"] and list(c["duree_seance"]) == [1.5, 2.0]
    assert c["date_fin"].dt.date.tolist() == [dt.date(2027, 6, 15), dt.date(2027, 6, 11)]


def test_siret_saisi_comme_nombre_garde_son_zero(tmp_path):
    tables, anomalies, _ = un_classeur(tmp_path, porteur={"siret": 2485607265882})
    assert tables["Porteur"].valeurs.iloc[0]["siret"] == "02485607265882"
    assert anomalies == []


def test_le_dossier_vierge_rempli_a_la_main_se_relit_sans_anomalie(tmp_path):
    chemin = tmp_path / "rempli.xlsx"
    ecrire_dossier_vierge(chemin)
    wb = openpyxl.load_workbook(chemin)
    from classeurs import BUDGET, COLLECTIF, PORTEUR, PROJET

    from campaign import formulaire as F

    cellules = reperes(wb)  # the form's titles and rules move the answers down
    for feuille, valeurs in (("Porteur", PORTEUR), ("Projet", PROJET)):
        ws = wb[feuille]
        for c in F.FEUILLES[feuille]:
            if c.cle in valeurs:
                ws.cell(*cellules[(feuille, c.cle)], valeurs[c.cle])
    ws = wb["Collectifs"]
    for ligne, code in ((2, "C1"), (3, "C2")):
        for col, c in enumerate(F.COLLECTIFS, 1):
            ws.cell(ligne, col, COLLECTIF[c.cle] if c.cle != "code" else code)
    ws = wb["Budget"]
    for ligne in range(2, ws.max_row + 1):
        if ws.cell(ligne, 1).value in BUDGET:
            ws.cell(ligne, 3, BUDGET[ws.cell(ligne, 1).value])
    wb.save(chemin)
    tables, anomalies, etats = lire_dossier(tmp_path)
    assert [a.message for a in anomalies] == []
    assert etats["rempli.xlsx"] == "TRAITE"
    assert tables["Porteur"].valeurs.iloc[0]["nom"] == PORTEUR["nom"]
    assert list(tables["Collectifs"].valeurs["code"]) == ["C1", "C2"]
    assert tables["Budget"].valeurs.iloc[0]["P74-COMMUNE"] == 300_000


def _corrompre(chemin: Path) -> None:
    """Flip bytes inside the compressed data of the Collectifs sheet."""
    import zipfile

    contenu = bytearray(chemin.read_bytes())
    with zipfile.ZipFile(chemin) as z:
        info = z.getinfo("xl/worksheets/sheet3.xml")
    debut = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
    for i in range(debut + 10, debut + 40):
        contenu[i] ^= 0xFF
    chemin.write_bytes(bytes(contenu))


def test_un_membre_d_archive_abime_rend_le_fichier_illisible_sans_arreter_la_campagne(tmp_path):
    ecrire_classeur(tmp_path / "abime.xlsx")
    _corrompre(tmp_path / "abime.xlsx")
    ecrire_classeur(tmp_path / "sain.xlsx", porteur={"siret": "552 100 554 00013"})
    _, anomalies, etats = lire_dossier(tmp_path)
    assert etats == {"abime.xlsx": "ILLISIBLE", "sain.xlsx": "TRAITE"}
    assert [a.code for a in anomalies] == ["FICHIER-ILLISIBLE"]


def test_une_feuille_en_plus_tres_longue_est_ignoree(tmp_path):
    chemin = ecrire_classeur(tmp_path / "d.xlsx")
    wb = openpyxl.load_workbook(chemin)
    ws = wb.create_sheet("Liste des enfants")
    ws.cell(12_000, 1, "x")
    wb.save(chemin)
    _, anomalies, etats = lire_dossier(tmp_path)
    assert anomalies == [] and etats["d.xlsx"] == "TRAITE"


@pytest.mark.parametrize(
    "ajout, code, cellule",
    [
        (["C64", "64 - Charges de personnel (suite)", 7000], "LIGNE-BUDGET-DOUBLE", "C31"),
        (["C606", "Fournitures", 2000], "LIGNE-BUDGET-INCONNUE", "C31"),
    ],
)
def test_aucune_ligne_de_budget_perdue_en_silence(tmp_path, ajout, code, cellule):
    chemin = ecrire_classeur(tmp_path / "d.xlsx")
    wb = openpyxl.load_workbook(chemin)
    wb["Budget"].append(ajout)
    wb["Budget"].append([None, "Total des charges", 17000])  # a total line is not a budget line
    wb.save(chemin)
    _, anomalies, etats = lire_dossier(tmp_path)
    assert [(a.code, a.cellule) for a in anomalies] == [(code, cellule)]
    assert etats["d.xlsx"] == "INCOMPLET"


def test_entete_des_collectifs_sous_un_bloc_d_instructions(tmp_path):
    chemin = ecrire_classeur(tmp_path / "d.xlsx", collectifs=[{"enfants": "douze"}])
    wb = openpyxl.load_workbook(chemin)
    wb["Collectifs"].insert_rows(1, amount=7)
    wb["Collectifs"]["A1"] = "Remplissez une ligne par collectif."
    wb.save(chemin)
    _, anomalies, _ = lire_dossier(tmp_path)
    assert [(a.cellule, a.code) for a in anomalies] == [("F9", "ENTIER-INVALIDE")]


def test_plus_de_30_collectifs(tmp_path):
    _, anomalies, statut = un_classeur(tmp_path, collectifs=[{} for _ in range(31)])
    assert ("Collectifs", "", "TROP-DE-COLLECTIFS") in anomalies and statut == "INCOMPLET"


def test_reponse_decalee_et_libelle_en_double(tmp_path):
    chemin = ecrire_classeur(tmp_path / "d.xlsx", porteur={"nom": None})
    wb = openpyxl.load_workbook(chemin)
    ws = wb["Porteur"]
    ws["C1"] = "Association décalée"  # label merged over A:B, answer typed in C
    ws.append(["Principes", None])  # a retyped duplicate left empty does not erase the answer
    wb.save(chemin)
    tables, anomalies, _ = lire_dossier(tmp_path)
    assert anomalies == []
    assert tables["Porteur"].valeurs.iloc[0]["nom"] == "Association décalée"
    assert tables["Porteur"].cellules.iloc[0]["nom"] == "C1"


def test_donnees_sans_en_tete_signalees(tmp_path):
    chemin = ecrire_classeur(tmp_path / "d.xlsx")
    wb = openpyxl.load_workbook(chemin)
    wb["Collectifs"]["AD2"] = "groupe du mercredi"
    wb.save(chemin)
    _, anomalies, etats = lire_dossier(tmp_path)
    assert [(a.cellule, a.code, a.gravite) for a in anomalies] == [
        ("AD2", "COLONNE-INCONNUE", "AVERTISSEMENT")
    ]
    assert etats["d.xlsx"] == "TRAITE"

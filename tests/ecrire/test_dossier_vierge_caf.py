"""The blank dossier as a Caf sends it (issue 22 item 11): input messages within Excel's 255
characters, Collectifs headers that wrap between words, « Milieu rural » defined, the Caf's
own settings stated, its return date, documents and personal-data notice ([caf] of
campagne.toml), and the attestation's warning on false declarations."""

from __future__ import annotations

import contextlib
import shutil
import subprocess
from pathlib import Path

import openpyxl
import pypdf
import pytest
from chemins import EXEMPLE
from impression import imprimer
from openpyxl.utils import get_column_letter

from campaign.cli import main
from campaign.decider import parametres
from campaign.dossier_vierge.classeur import reperes
from campaign.dossier_vierge.collectifs import largeur_gras, mots
from campaign.dossier_vierge.regles import consignes_de_l_annee
from campaign.dossier_vierge.saisie import MESSAGE_MAX, RENVOI, aide, message
from campaign.erreurs import CampaignError
from campaign.formulaire import CHAMPS, COLLECTIFS
from campaign.lire.campagne import charger_campagne

TOML = (EXEMPLE / "campagne.toml").read_text(encoding="utf-8")
CAF = """date_retour_dossier = 2026-06-30
pieces_justificatives = ["le RIB de la structure", "la liste des intervenants et leurs diplômes"]
donnees_personnelles = "Vos données servent à instruire la demande ; écrivez à dpd@caf26.example."
"""


def _campagne(dossier: Path, caf: str = "", axes: str = "toutes_actions") -> Path:
    dossier.mkdir(parents=True)
    texte = TOML.replace("[caf]\n", "[caf]\n" + caf).replace('axes = "toutes_actions"', f'axes = "{axes}"')
    texte = texte.replace("date_debut_preconisee = 2026-11-02", "date_debut_preconisee = 2026-11-09")
    (dossier / "campagne.toml").write_text(texte, encoding="utf-8")
    return dossier


def _vierge(tmp_path: Path, *options: str) -> openpyxl.Workbook:
    chemin = tmp_path / "vierge.xlsx"
    with contextlib.chdir(tmp_path):
        assert main(["template", "--out", str(chemin), *options]) == 0
    return openpyxl.load_workbook(chemin)


def _texte(ws) -> str:
    return " ".join(str(c.value) for ligne in ws.iter_rows() for c in ligne if c.value is not None)


def _messages(wb) -> dict[tuple[str, str], str]:
    """(sheet, field key) -> the input message beside its answer cell."""
    par_cellule = {}
    for ws in wb.worksheets:
        for dv in ws.data_validations.dataValidation:
            for plage in dv.sqref.ranges:
                par_cellule[(ws.title, str(plage).split(":")[0])] = dv.prompt
    return {
        (feuille, cle): par_cellule[(feuille, f"{get_column_letter(col)}{ligne}")]
        for (feuille, cle), (ligne, col) in reperes(wb).items()
    }


@pytest.fixture(scope="module")
def sans_campagne(tmp_path_factory) -> openpyxl.Workbook:
    return _vierge(tmp_path_factory.mktemp("sans"))


@pytest.fixture(scope="module")
def dossier_avec(tmp_path_factory) -> Path:
    return _campagne(tmp_path_factory.mktemp("avec") / "campagne", CAF, "une_action_par_axe")


@pytest.fixture(scope="module")
def avec_campagne(dossier_avec) -> openpyxl.Workbook:
    return _vierge(dossier_avec.parent, "--campagne", str(dossier_avec))


@pytest.mark.parametrize("cas", ["sans_campagne", "avec_campagne"])
def test_chaque_message_tient_dans_excel_et_finit_sur_une_phrase(cas, request, dossier_avec):
    wb = request.getfixturevalue(cas)
    notice = _texte(wb["Mode d'emploi"])
    campagne = charger_campagne(dossier_avec) if cas == "avec_campagne" else None
    consignes = consignes_de_l_annee("2026-2027", campagne=campagne)
    abreges = []
    for (feuille, cle), texte in _messages(wb).items():
        assert len(texte) <= MESSAGE_MAX and texte.endswith(".") and "…" not in texte, (cle, texte)
        consigne = consignes.texte(feuille, cle)
        complet = " ".join(filter(None, (consigne, aide(CHAMPS[(feuille, cle)], "2026-2027"))))
        if texte != complet:  # shortened, only when too long: the notice holds it whole
            abreges.append(cle)
            assert len(complet) > MESSAGE_MAX and consigne in notice, cle
    assert {"P74-ETAT", "P74-AUTRES", "rural"} <= set(abreges)


def test_un_message_trop_long_est_coupe_entre_deux_phrases_ou_deux_mots():
    phrases = "Première phrase assez longue pour compter. " * 6 + "Une dernière."
    court = message(phrases, "Choisissez Oui ou Non.")
    assert len(court) <= MESSAGE_MAX and court.endswith(RENVOI)
    assert phrases.startswith(court.removesuffix(" " + RENVOI)) and court.count(".") > 1
    mot = "anticonstitutionnellement " * 12
    court = message(mot.strip(), "")
    garde = court.removesuffix(" " + RENVOI).removesuffix("…").split()
    assert len(court) <= MESSAGE_MAX and garde == mot.split()[: len(garde)]


def _fonte(requete: str) -> str | None:
    if shutil.which("fc-match") is None:
        return None
    chemin = subprocess.run(["fc-match", "-f", "%{file}", requete], capture_output=True, text=True).stdout
    return chemin if chemin.endswith((".ttf", ".otf")) else None


@pytest.mark.parametrize("gras", ["Calibri:bold", "DejaVu Sans:bold", "DejaVu Serif:bold", "Carlito:bold"])
def test_le_plus_long_mot_de_chaque_en_tete_tient_dans_sa_colonne(sans_campagne, gras):
    """Measured in the font the spreadsheet would draw with, in widths of its regular 0 (the
    column unit): the longest word of each header, and the estimate the form is built on."""
    from PIL import ImageFont

    fichier, regulier = _fonte(gras), _fonte(gras.split(":")[0])
    if not fichier or not regulier:
        pytest.skip(f"pas de fonte pour {gras}")
    fonte, zero = ImageFont.truetype(fichier, 1000), ImageFont.truetype(regulier, 1000).getlength("0")
    ws = sans_campagne["Collectifs"]
    for j, champ in enumerate(COLLECTIFS, start=1):
        assert ws.cell(1, j).value == champ.libelle and ws.cell(1, j).alignment.wrap_text
        colonne = ws.column_dimensions[get_column_letter(j)].width
        for mot in mots(champ.libelle):
            mesure = fonte.getlength(mot) / zero
            assert mesure <= largeur_gras(mot), (gras, mot)
            assert mesure + 0.5 <= colonne, (gras, champ.libelle, mot, colonne)


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice absent")
def test_imprime_par_libreoffice_les_en_tetes_gardent_leurs_mots(tmp_path, sans_campagne):
    sans_campagne.save(tmp_path / "vierge.xlsx")
    pages = [p.extract_text() for p in pypdf.PdfReader(imprimer(tmp_path / "vierge.xlsx", tmp_path)).pages]
    collectifs = [t for t in pages if "Collectifs (une ligne par collectif)" in t]
    assert len(collectifs) == 2  # the 27 columns on two landscape pages, as before
    imprime = " ".join(collectifs)  # a word cut in two has a line break inside
    for champ in COLLECTIFS:
        for mot in mots(champ.libelle):
            assert mot in imprime, (champ.libelle, mot)
    attestation = next(t for t in pages if "Attestation sur l'honneur" in t)
    assert "article 441-1 du code pénal" in " ".join(attestation.split())


def test_milieu_rural_defini_la_ou_on_le_demande(sans_campagne):
    texte = _messages(sans_campagne)[("Collectifs", "rural")]
    assert "commune rurale" in texte and "5 enfants" in texte and "2 h" in texte
    notice = " ".join(_texte(sans_campagne["Mode d'emploi"]).split())
    assert "« Milieu rural » : « Oui » si le lieu d'accueil est dans une commune rurale" in notice
    assert "un collectif de 5 enfants au moins (au lieu de 8)" in notice
    assert "1 intervenant pour moins de 8 enfants (au lieu de 2)" in notice


def test_milieu_rural_suit_le_fichier_de_parametres(tmp_path, monkeypatch):
    dossier = tmp_path / "parametres"
    shutil.copytree(parametres.DOSSIER, dossier)
    fichier = dossier / "clas.yaml"
    texte = fichier.read_text(encoding="utf-8")
    avant = 'valeur: "5", source: "Référentiel CLAS : collectif de 5'
    assert texte.count(avant) == 1
    fichier.write_text(texte.replace(avant, 'valeur: "4", source: "x'), encoding="utf-8")
    monkeypatch.setattr(parametres, "DOSSIER", dossier)
    wb = _vierge(tmp_path, "--annee", "2026-2027")
    assert "Il y suffit de 4 enfants" in _messages(wb)[("Collectifs", "rural")]
    assert "un collectif de 4 enfants au moins" in _texte(wb["Mode d'emploi"])


def test_les_reglages_de_la_caf_sont_dits(avec_campagne):
    tout = " ".join(_texte(ws) for ws in avec_campagne.worksheets) + " ".join(
        _messages(avec_campagne).values()
    )
    assert "qu'une par axe" not in tout  # the setting is known: no hedge
    assert "Au moins une action de l'axe est demandée" in _texte(avec_campagne["Projet"])
    assert "Au moins une action de l'axe" in _messages(avec_campagne)[("Projet", "E1")]
    notice = _texte(avec_campagne["Mode d'emploi"])
    assert "Au moins une action de l'axe est demandée" in notice
    assert "du 09/11/2026 au 15/06/2027" in notice  # [regles] date_debut_preconisee
    assert "la Caf de la Drôme (essai)" in notice and "Dominique Bernard" in notice


def test_date_de_retour_pieces_et_donnees_personnelles_de_la_caf(avec_campagne):
    notice = _texte(avec_campagne["Mode d'emploi"])
    assert "renvoyez-le à la Caf de la Drôme (essai) avant le 30 juin 2026" in notice
    assert "• Le RIB de la structure." in notice
    assert "• La liste des intervenants et leurs diplômes." in notice
    assert "statuts" not in notice  # the Caf's own list replaces the default one
    assert "Vos données servent à instruire la demande ; écrivez à dpd@caf26.example." in notice


def test_sans_campagne_les_valeurs_par_defaut(sans_campagne):
    notice = " ".join(_texte(sans_campagne["Mode d'emploi"]).split())
    assert "renvoyez-le à votre Caf à la date indiquée par votre Caf" in notice
    for piece in ("statuts", "RIB", "IBAN", "bilan financier", "rapport d'activité", "assurance"):
        assert piece in notice, piece
    for mot in ("RGPD", "Informatique et Libertés", "délégué à la protection des données"):
        assert mot in notice, mot
    assert "qu'une par axe" in _texte(sans_campagne["Projet"])  # the setting is not known


def test_l_attestation_avertit_des_fausses_declarations(sans_campagne):
    lignes = [str(c.value) for c in sans_campagne["Attestation"]["A"] if c.value]
    avertissement = next(i for i, t in enumerate(lignes) if "article 441-1 du code pénal" in t)
    assert lignes[avertissement].startswith("Toute fausse déclaration expose son auteur aux sanctions")
    assert avertissement < next(i for i, t in enumerate(lignes) if "signature du représentant" in t)


@pytest.mark.parametrize(
    "ligne",
    [
        'date_retour_dossier = "30/06/2026"',
        "date_retour_dossier = 2031-06-30",
        'pieces_justificatives = "le RIB"',
        'pieces_justificatives = ["le RIB", ""]',
        "pieces_justificatives = [1, 2]",
        "donnees_personnelles = 3",
        "date_retour_dossir = 2026-06-30",
    ],
)
def test_une_cle_mal_ecrite_arrete_la_campagne(tmp_path, ligne):
    dossier = _campagne(tmp_path / "c", ligne + "\n")
    with pytest.raises(CampaignError, match=r"caf\.(date_retour_dossier|pieces_justificatives|donnees_pers)"):
        charger_campagne(dossier)


def test_template_lit_inputs_de_l_annee_ou_refuse_une_autre_annee(tmp_path, capsys):
    _campagne(tmp_path / "inputs" / "2026-2027", CAF)
    wb = _vierge(tmp_path)  # no option: inputs/2026-2027 of the current folder
    assert "avant le 30 juin 2026" in _texte(wb["Mode d'emploi"])
    assert "Caf de la Drôme (essai)" in capsys.readouterr().out
    with contextlib.chdir(tmp_path):
        code = main(["template", "--annee", "2027-2028", "--campagne", "inputs/2026-2027", "--out", "x.xlsx"])
    assert code == 2 and "2026-2027" in capsys.readouterr().err

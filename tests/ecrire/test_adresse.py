"""The recipient's address in the envelope's window (sorties.md §4, AFNOR NF Z10-011): at most
6 lines of 38 characters, the last one `code postal commune`, wrapped at words; a longer
address is flagged and printed whole, never clipped."""

from __future__ import annotations

import csv
import shutil
import subprocess

import pytest
from chemins import EXEMPLE
from classeurs import ecrire_classeur
from hypothesis import given
from hypothesis import strategies as st

from campaign import adresse
from campaign.cli import main

LONGUE = {
    "nom": "Association intercommunale pour l'accompagnement à la scolarité des enfants du Diois",
    "representant": "Marie-Christine de La Tour du Pin-Montauban",
    "representant_qualite": "Présidente du conseil d'administration",
    "adresse": "Maison des associations, bâtiment B, 2e étage, 14 avenue du Général-de-Gaulle",
    "code_postal": "26340",
    "commune": "Saillans",
}


@given(
    st.text(st.characters(codec="utf-8", categories=("L", "Zs", "P")), max_size=300),
    st.text(max_size=80),
    st.text(max_size=200),
)
def test_les_lignes_tiennent_dans_la_fenetre_et_ne_perdent_aucun_mot(nom, qualite, rue):
    lignes = adresse.bloc(nom, "Claude Dupont", qualite, rue, "26340", "Saillans")
    assert lignes[-1] == "26340 Saillans"
    assert all(len(ligne) <= adresse.LARGEUR_MAX for ligne in lignes[:-1])
    mots = " ".join(lignes).split()
    for mot in (nom + " " + rue).split():  # every word is there, whole or wrapped inside its line
        assert mot in mots or mot[: adresse.LARGEUR_MAX] in " ".join(lignes)


def test_une_adresse_courante_tient_en_six_lignes():
    lignes = adresse.bloc("Centre social Le Tricot", "Léa Roux", "Présidente", "5 rue X", "26000", "Valence")
    assert lignes == [
        "Centre social Le Tricot",
        "À l’attention de Léa Roux, Présidente",
        "5 rue X",
        "26000 Valence",
    ]
    assert not adresse.trop_longue(lignes)


@pytest.mark.lent
def test_une_adresse_trop_longue_est_signalee_et_imprimee_entiere(tmp_path):
    dossier = tmp_path / "campagne"
    shutil.copytree(EXEMPLE, dossier)
    for f in dossier.glob("*.xlsx"):
        f.unlink()
    ecrire_classeur(dossier / "longue.xlsx", porteur=LONGUE)
    sortie = tmp_path / "sortie"
    assert main(["run", str(dossier), "--out", str(sortie)]) in (0, 1)
    with (sortie / "anomalies.csv").open(encoding="utf-8") as f:
        (a,) = [a for a in csv.DictReader(f) if a["code"] == "ADRESSE-TROP-LONGUE"]
    assert a["gravite"] == "AVERTISSEMENT" and a["feuille"] == "Porteur" and a["cellule"]
    assert "raccourcissez" in a["message"]
    with (sortie / "publipostage.csv").open(encoding="utf-8") as f:
        (ligne,) = list(csv.DictReader(f))
    texte = subprocess.run(
        ["pdftotext", "-layout", str(sortie / ligne["courrier"]), "-"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    premiere_page = texte.split("\f")[0]
    for attendue in adresse.bloc(*LONGUE.values()):  # every line printed, the last one included
        assert attendue.replace("’", "'") in premiere_page.replace("’", "'"), attendue
    assert "26340 Saillans" in premiere_page

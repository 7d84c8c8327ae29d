"""The Synthèse sheet names its totals for what they are (comite.md §5): before any session a
proposition, « Total proposé »; after one, the proposition, the total decided and the total
projected, each against the envelope, and the proposition's counts beside the committee's.
Read back with openpyxl (and printed by LibreOffice when present)."""

from __future__ import annotations

import dataclasses
import re
import shutil
from collections import Counter
from decimal import Decimal

import openpyxl
import pytest
from chemins import EXEMPLE
from comite_classeur import remplir
from impression import imprimer

from campaign.ecrire.synthese.classeur import ecrire_synthese
from campaign.ecrire.synthese.montants import FORMAT_RESTE
from campaign.lire.campagne import charger_campagne
from campaign.lire.comite import lire_comites
from campaign.run import pipeline

D5, D6, D9 = (
    "dossier_005_72991734491593.xlsx",
    "dossier_006_55821165253447.xlsx",
    "dossier_009_44771873529089.xlsx",
)
AVIS = {
    (D9, "C1"): ("Favorable", None),
    (D9, "C2"): ("Défavorable", "Doublon avec le PRE"),
    (D9, "C3"): ("Défavorable", None),
    (D9, "C4"): ("Favorable", "Quartier prioritaire : dérogation accordée"),  # D9 wholly decided
    (D6, "C1"): ("Ajourné", "Bilan 2025-2026 attendu"),
    **{(D5, f"C{i}"): ("Favorable", None) for i in range(1, 6)},
}
TOTAUX = (
    "Total proposé (avant comité)",
    "Total décidé (dossiers entièrement décidés)",
    "Total projeté (décisions et propositions)",
)
ACCORDE = re.compile(r"accordée?s?\b", re.IGNORECASE)  # « accordé », never the code ACCORD


def _resultat(dossier, comites=None):
    campagne = charger_campagne(dossier)
    lectures = pipeline.lire(dossier)
    tables, anomalies, etats = pipeline.valider(lectures)
    comites = lire_comites(dossier, campagne.comites) if campagne.comites else None
    return pipeline.decider(campagne, lectures, tables, anomalies, etats, comites)


@pytest.fixture(scope="module")
def avant(tmp_path_factory):
    resultat = _resultat(EXEMPLE)
    chemin = tmp_path_factory.mktemp("avant") / "synthese.xlsx"
    ecrire_synthese(resultat, chemin)
    return resultat, chemin


@pytest.fixture(scope="module")
def apres(avant, tmp_path_factory):
    """The example campagne after a session whose avis were typed in the workbook before it."""
    dossier = tmp_path_factory.mktemp("seance") / "campagne"
    shutil.copytree(EXEMPLE, dossier)
    remplir(avant[1], dossier / "comite" / "avis-2027-01-20.xlsx", AVIS)
    with (dossier / "campagne.toml").open("a", encoding="utf-8") as f:
        f.write('\n[[comite]]\ndate = 2027-01-20\navis = "comite/avis-2027-01-20.xlsx"\n')
    resultat = _resultat(dossier)
    chemin = dossier.parent / "synthese.xlsx"
    ecrire_synthese(resultat, chemin)
    return resultat, chemin


def _lignes(chemin) -> dict[str, tuple]:
    """Synthèse, band 1: label in column A -> the cells of columns B and C."""
    ws = openpyxl.load_workbook(chemin)["Synthèse"]
    return {
        r[0].value: (r[1], r[2]) for r in ws.iter_rows(min_row=1, max_col=3) if isinstance(r[0].value, str)
    }


def _cents(cellule) -> int:
    return round(Decimal(str(cellule.value)) * 100)


def _textes(chemin) -> list[str]:
    ws = openpyxl.load_workbook(chemin)["Synthèse"]
    return [c.value for ligne in ws.iter_rows() for c in ligne if isinstance(c.value, str)]


def test_avant_comite_un_total_propose(avant):
    resultat, chemin = avant
    lignes = _lignes(chemin)
    propose = int(resultat.decisions.collectifs["total"].sum())
    assert _cents(lignes["Total proposé"][0]) == propose
    assert (
        _cents(lignes["Reste disponible sur l'enveloppe"][0])
        == int(resultat.campagne.enveloppe * 100) - propose
    )
    assert not set(TOTAUX) & set(lignes)
    assert lignes["Séances appliquées"][0].value == "aucune"
    assert not [t for t in _textes(chemin) if ACCORDE.search(t)]


def test_apres_comite_trois_totaux_contre_l_enveloppe(apres):
    resultat, chemin = apres
    lignes = _lignes(chemin)
    seance = resultat.comite.seances[-1]
    enveloppe = int(resultat.campagne.enveloppe * 100)
    attendus = dict(
        zip(
            TOTAUX,
            (int(resultat.decisions.collectifs["total"].sum()), seance.total_decide, seance.total_projete),
        )
    )
    assert len(set(attendus.values())) == 3 and seance.total_decide > 0  # three different numbers
    for libelle, total in attendus.items():
        valeur, reste = lignes[libelle]
        assert _cents(valeur) == total, libelle
        assert _cents(reste) == enveloppe - total, libelle
        assert reste.number_format == FORMAT_RESTE
    assert "Total proposé" not in lignes and "Reste sur l'enveloppe" in [
        c.value for c, _ in lignes.values()
    ] + [c.value for _, c in lignes.values()]
    assert _cents(lignes["Enveloppe de la campagne"][0]) == enveloppe
    assert not [t for t in _textes(chemin) if ACCORDE.search(t)]


def test_apres_comite_comptes_de_la_proposition_et_du_comite(apres):
    resultat, chemin = apres
    lignes = _lignes(chemin)
    entete = next(libelle for libelle, (b, _) in lignes.items() if b.value == "Proposition avant comité")
    assert entete == "Collectifs" and lignes[entete][1].value == "Après le comité"
    c = resultat.decisions.collectifs
    proposes = Counter(c["decision"])
    decides = Counter(resultat.comite.collectifs["decision"])
    assert (decides["ACCORD"], decides["REFUS"], decides["AJOURNE"]) == (7, 2, 1)
    for libelle, code in (("Collectifs en ACCORD", "ACCORD"), ("Collectifs en REFUS", "REFUS")):
        assert lignes[libelle][0].value == proposes[code], libelle
        assert lignes[libelle][1].value == decides[code], libelle
    assert lignes["Collectifs ajournés"][1].value == 1
    assert lignes["Collectifs encore en proposition"][1].value == decides["PROPOSITION"] == len(c) - 10
    d = resultat.dossiers
    traites = Counter(d.loc[d["statut"] == "TRAITE", "decision"])
    assert lignes["Dossiers proposés en ACCORD"][0].value == traites["ACCORD"]
    assert "Dossiers traités en ACCORD" not in lignes
    assert lignes["Séances appliquées"][0].value == "20 janvier 2027"


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice absent")
def test_depassement_en_rouge_et_negatif(apres, tmp_path):
    """A total over the envelope: its remainder printed negative (and red), never ###."""
    resultat = apres[0]
    petit = dataclasses.replace(
        resultat, campagne=dataclasses.replace(resultat.campagne, enveloppe=Decimal("10000.00"))
    )
    chemin = tmp_path / "s.xlsx"
    ecrire_synthese(petit, chemin)
    from pypdf import PdfReader

    texte = re.sub(r"[\u00a0\u202f]", " ", PdfReader(imprimer(chemin, tmp_path)).pages[0].extract_text())
    depassement = int(resultat.decisions.collectifs["total"].sum()) - 1000000
    assert depassement > 0
    euros = f"{depassement // 100:,}".replace(",", " ") + f",{depassement % 100:02d} €"
    assert f"-{euros}" in texte and "###" not in texte, texte[:2000]
    assert "[Red]-" in FORMAT_RESTE.split(";")[1]
    assert "Total décidé (dossiers entièrement décidés)" in texte

"""The reading rules of dossier.md §2, value by value."""

import datetime as dt
from decimal import Decimal

import pytest

from campaign.formulaire import DIPLOMES, NIVEAUX
from campaign.lire import saisie
from campaign.lire.saisie import INVALIDE


@pytest.mark.parametrize(
    "brut, attendu",
    [
        ("Oui", True),
        ("O", True),
        ("X", True),
        ("x", True),
        ("Vrai", True),
        ("1", True),
        (True, True),
        (1.0, True),
        ("oui ", True),
        (" OUI ", True),
        ("o", True),
        ("Non", False),
        ("N", False),
        ("Faux", False),
        ("0", False),
        (False, False),
        (0.0, False),
        ("NON ", False),
        ("non", False),
        ("", None),
        ("   ", None),
        (None, None),
        ("peut-être", INVALIDE),
        (2.0, INVALIDE),
        ("Ouii", INVALIDE),
    ],
)
def test_oui_non(brut, attendu):
    assert saisie.ouinon(brut) is attendu


@pytest.mark.parametrize(
    "brut, attendu",
    [
        ("1 234,50 €", Decimal("1234.50")),
        ("1234.5", Decimal("1234.5")),
        ("1 234", Decimal("1234")),
        ("1\u202f234,50\u00a0€", Decimal("1234.50")),
        ("1\u00a0200 €", Decimal("1200")),
        ("1.234,50", Decimal("1234.50")),
        ("1,234.50", Decimal("1234.50")),
        ("12 EUR", Decimal("12")),
        (18148.2, Decimal("18148.2")),
        (12, Decimal("12")),
        ("-5", Decimal("-5")),
        ("", None),
        ("douze", INVALIDE),
        ("12 enfants", INVALIDE),
        (True, INVALIDE),
    ],
)
def test_nombres_a_la_francaise(brut, attendu):
    assert saisie.nombre(brut) == attendu if attendu is not INVALIDE else saisie.nombre(brut) is INVALIDE


@pytest.mark.parametrize(
    "brut, attendu",
    [
        ("12", 12),
        (12.0, 12),
        ("1 000", 1000),
        ("10,5", INVALIDE),
        (10.5, INVALIDE),
        ("douze", INVALIDE),
        ("", None),
    ],
)
def test_entiers(brut, attendu):
    assert saisie.entier(brut) == attendu if attendu is not INVALIDE else saisie.entier(brut) is INVALIDE


@pytest.mark.parametrize(
    "brut, attendu",
    [
        ("1 200 €", 120000),
        ("2074.08", 207408),
        (18148.2, 1814820),
        (0.005, 1),
        (0.004, 0),
        ("", 0),
        (None, 0),
        ("mille", INVALIDE),
        (2074.0800000000004, 207408),  # a binary float from a formula, read to the cent
    ],
)
def test_montants_en_centimes(brut, attendu):
    assert saisie.centimes(brut) == attendu if attendu is not INVALIDE else saisie.centimes(brut) is INVALIDE


@pytest.mark.parametrize(
    "brut, attendu",
    [
        ("15/06/2027", dt.date(2027, 6, 15)),
        ("15-06-2027", dt.date(2027, 6, 15)),
        ("2027-06-15", dt.date(2027, 6, 15)),
        ("5/6/2027", dt.date(2027, 6, 5)),
        (dt.datetime(2027, 6, 15, 0, 0), dt.date(2027, 6, 15)),
        (dt.date(2027, 6, 15), dt.date(2027, 6, 15)),
        (46553.0, dt.date(2027, 6, 15)),  # a date cell formatted as a number
        ("31/02/2027", INVALIDE),
        ("2027-13-01", INVALIDE),
        ("demain", INVALIDE),
        ("", None),
    ],
)
def test_dates(brut, attendu):
    assert saisie.date(brut) == attendu if attendu is not INVALIDE else saisie.date(brut) is INVALIDE


@pytest.mark.parametrize(
    "brut, heures",
    [
        ("1h30", 1.5),
        ("1 h 30", 1.5),
        ("1:30", 1.5),
        ("90 min", 1.5),
        ("1,5", 1.5),
        ("1.5", 1.5),
        (1.5, 1.5),
        (2, 2.0),
        ("2h", 2.0),
        ("2 heures", 2.0),
        ("1H45", 1.75),
        ("105 min", 1.75),
        (dt.time(1, 30), 1.5),
        ("1h29", 89 / 60),
    ],
)
def test_durees(brut, heures):
    assert float(saisie.duree(brut)) == pytest.approx(heures, abs=1e-12)


@pytest.mark.parametrize("brut", ["une heure", "0", "0h", "-1", "h30"])
def test_durees_illisibles(brut):
    assert saisie.duree(brut) is INVALIDE


@pytest.mark.parametrize(
    "brut, options, attendu",
    [
        ("bac + 2", DIPLOMES, "Bac+2"),
        ("BAC+5 ET PLUS", DIPLOMES, "Bac+5 et plus"),
        ("6ème", NIVEAUX, "6e"),
        ("seconde", NIVEAUX, "2nde"),
        ("terminale", NIVEAUX, "Terminale"),
        ("1ère", NIVEAUX, "1re"),
        ("Bac+1", DIPLOMES, "Bac+1"),  # kept as typed: the list check reports it
    ],
)
def test_listes(brut, options, attendu):
    assert saisie.choix(brut, options) == attendu


@pytest.mark.parametrize(
    "a, b",
    [
        ("Nombre d'enfants :", "Nombre d'enfants"),
        ("NOMBRE D'ENFANTS", "nombre d’enfants"),
        ("Représentant légal", "Representant legal"),
        ("Collectifs ", "collectifs"),
    ],
)
def test_libelles_compares_sans_accents_casse_ni_ponctuation(a, b):
    assert saisie.cle_libelle(a) == saisie.cle_libelle(b)


@pytest.mark.parametrize(
    "brut, attendu",
    [
        ("10.000", 1_000_000),
        ("1.234.567", 123_456_700),
        ("10.000,50 €", 1_000_050),
        ("10,000", INVALIDE),  # ten euros or ten thousand: the operator must say
        ("12,345", INVALIDE),
        (1e20, INVALIDE),
        (12.345, 1235),  # a computed cell is rounded
    ],
)
def test_montants_ambigus_ou_absurdes(brut, attendu):
    assert saisie.centimes(brut) == attendu if attendu is not INVALIDE else saisie.centimes(brut) is INVALIDE


@pytest.mark.parametrize(
    "brut, attendu",
    [
        ("1,5 h", 1.5),
        ("1.5 heures", 1.5),
        ("1h75", None),
        ("90", None),
        (13, None),
        (dt.time(1, 29, 30), 89.5 / 60),
    ],
)
def test_durees_aux_limites(brut, attendu):
    d = saisie.duree(brut)
    if attendu is None:
        assert d is INVALIDE
    else:
        assert float(d) == pytest.approx(attendu)


def test_entier_demesure():
    assert saisie.entier(10**19) is INVALIDE and saisie.entier("1000000") == 10**6

"""Invariants of the amounts, on dossiers drawn at random (hypothesis)."""

import pytest
from construction import decider, parametres
from hypothesis import given, settings
from hypothesis import strategies as st

pytestmark = pytest.mark.lent  # make test-rapide leaves it out

P = parametres()
centimes = st.integers(min_value=0, max_value=5_000_000)

collectif = st.fixed_dictionaries(
    {
        "enfants": st.integers(0, 15),
        "enfants_handicap": st.integers(0, 2),
        "rural": st.booleans(),
        "seances_semaine": st.integers(0, 4),
        "semaines": st.integers(20, 36),
        "aide_devoirs_seule": st.booleans(),
        "be_projet": st.booleans(),
        "be_sorties": st.booleans(),
        "bp_projet": st.booleans(),
        "bp_actions": st.booleans(),
    }
)
dossier = st.fixed_dictionaries(
    {
        "C60": centimes,
        "C64": centimes,
        "CI": centimes,
        "PSF": centimes,
        "P70": centimes,
        "P74-COMMUNE": centimes,
        "P74-ETAT": centimes,
        "P74-CAF-CLAS": centimes,
        "P87": centimes,
    }
)


@settings(max_examples=60, deadline=None)
@given(d=dossier, cs=st.lists(collectif, min_size=1, max_size=8), ecretement=st.booleans())
def test_invariants(d, cs, ecretement):
    for c in cs:
        c["enfants_handicap"] = min(c["enfants_handicap"], c["enfants"])
    r = decider((d, cs), ecretement=ecretement)
    c, dd = r.collectifs, r.dossiers.iloc[0]
    montants = c[["part_charges", "ps", "bonus_enfants", "bonus_parents", "total"]]
    assert (montants >= 0).all().all()
    refus = c["decision"] == "REFUS"
    assert (c.loc[refus, ["ps", "bonus_enfants", "bonus_parents", "total"]] == 0).all().all()
    assert (c["motifs"] != "").eq(refus).all()
    assert (c["ps"] <= P.plafond_ps.centimes).all()
    assert (c["total"] == c["ps"] + c["bonus_enfants"] + c["bonus_parents"]).all()
    assert dd["total"] == c["total"].sum()
    # the equal split: n shares are within n half-cents of the charges retenues
    assert abs(c["part_charges"].sum() - dd["charges_retenues"]) * 2 <= len(c)
    if ecretement:
        assert c["ps"].sum() == min(c["ps_calculee"].sum(), dd["marge"])
        # referentiel §6.8 step 2: the Caf total never exceeds the cost net of other income
        assert dd["total"] <= dd["marge_totale"]
        assert (c["ps"] <= c["ps_calculee"]).all()
        for b in ("bonus_enfants", "bonus_parents"):
            assert (c[b] <= c[b + "_calcule"]).all()
        bonus = c["bonus_enfants_calcule"].sum() + c["bonus_parents_calcule"].sum()
        if bonus > dd["marge_totale"]:
            assert c["bonus_enfants"].sum() + c["bonus_parents"].sum() == dd["marge_totale"]
        baisse = (c["ps"] < c["ps_calculee"]) | (c["bonus_ecretes"] != "")
        assert c["avertissements"].str.contains("F-ECRETEMENT").eq(baisse).all()
    else:
        assert (c["ps"] == c["ps_calculee"]).all()


@settings(max_examples=200, deadline=None)
@given(
    listes=st.lists(st.lists(st.integers(0, 100_000), min_size=1, max_size=12), min_size=1, max_size=4),
    cibles=st.lists(st.integers(0, 2_000_000), min_size=4, max_size=4),
)
def test_reduire_a_la_cible(listes, cibles):
    """Scaling down (referentiel §6.8): the sum is the target, no amount grows, zeros stay 0."""
    import pandas as pd

    from campaign.decider.montants import reduire

    montants = pd.Series([a for liste in listes for a in liste], dtype="int64")
    groupes = pd.Series([i for i, liste in enumerate(listes) for _ in liste])
    cible = groupes.map(dict(enumerate(cibles)))
    r = reduire(montants, groupes, cible)
    for i in range(len(listes)):
        avant, apres = montants[groupes == i], r[groupes == i]
        assert apres.sum() == min(avant.sum(), cibles[i])
        assert (apres <= avant).all() and (apres[avant == 0] == 0).all()


@settings(max_examples=40, deadline=None)
@given(d=dossier, cs=st.lists(collectif, min_size=1, max_size=6), ecretement=st.booleans())
def test_sans_avis_la_proposition(d, cs, ecretement):
    """comite.md §4: with no avis, the final decisions are the proposition, to the cent."""
    import datetime as dt

    from comite_cas import appliquer_cas
    from construction import tables

    from campaign.decider.decision import calculer

    for c in cs:
        c["enfants_handicap"] = min(c["enfants_handicap"], c["enfants"])
    proposition = decider((d, cs), ecretement=ecretement).collectifs
    vide = [{"date": dt.date(2027, 1, 20), "avis": []}]
    for seances in ([], vide):
        final = appliquer_cas(d, cs, seances, ecretement=ecretement).collectifs
        assert (final["decision"] == "PROPOSITION").all()
        assert list(final["proposition"]) == list(proposition["decision"])
        for m in ("ps", "bonus_enfants", "bonus_parents", "total"):
            assert list(final[m]) == list(proposition[m])
        assert list(final["motifs"]) == list(proposition["motifs"])
        assert list(final["avertissements"]) == list(proposition["avertissements"])
    # the recomputation itself, with the eligible collectifs as the retained ones, is the proposition
    dd, cc = tables((d, cs))
    p = parametres(ecretement=ecretement)
    retenus = calculer(dd, cc, p).collectifs["accord"]
    refait = calculer(dd, cc, p, retenus).collectifs
    for m in ("ps", "bonus_enfants", "bonus_parents", "total", "avertissements"):
        assert list(refait[m]) == list(proposition[m])

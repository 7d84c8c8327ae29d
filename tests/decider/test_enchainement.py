"""The amounts' steps read only what they declare, and their order comes from those inputs."""

from __future__ import annotations

import pandas as pd
import pytest
from construction import parametres, tables

from campaign.decider import eligibilite, enchainement
from campaign.decider.enchainement import MONTANTS, ORDRE, Montant, Tables, ordre

FAITS = {nom for montant in MONTANTS for nom in montant.fait}


def _entrees():
    """A dossier's tables with the rules' outcomes: what the amounts start from."""
    d, c = tables(({}, [{}, {"enfants": 3}]), ({"PSF": 0}, [{}]))
    p = parametres()
    c = c.reset_index(drop=True)
    c = pd.concat([c, eligibilite.echecs(eligibilite.evaluer(("motif", "bonus"), c, d, p))], axis=1)
    c["retenu"] = ~c[list(eligibilite.CODES_REFUS)].any(axis=1)
    return c, d, p


@pytest.mark.parametrize("montant", MONTANTS, ids=lambda montant: "+".join(montant.fait))
def test_each_step_reads_only_what_it_declares(montant: Montant):
    c, d, p = _entrees()
    enchainement.calculer_montants(c, d, p)  # every amount, then each step alone
    gardees_c = [k for k in c.columns if k not in FAITS or k in montant.lit]
    gardees_d = [k for k in d.columns if k not in FAITS or k in montant.lit]
    valeur = montant.calcul(Tables(c[gardees_c].copy(), d[gardees_d].copy(), p))  # KeyError otherwise
    attendu = (c if montant.table == "collectifs" else d)[list(montant.fait)]
    obtenu = valeur if isinstance(valeur, pd.DataFrame) else valeur.to_frame(montant.fait[0])
    pd.testing.assert_frame_equal(obtenu[list(montant.fait)], attendu, check_names=False)


def test_the_order_is_derived_and_a_missing_input_or_a_cycle_is_refused():
    rang = {nom: i for i, montant in enumerate(ORDRE) for nom in montant.fait}
    for i, montant in enumerate(ORDRE):
        assert all(rang[lu] < i for lu in montant.lit), montant.fait
    assert ordre(tuple(reversed(MONTANTS))) != list(reversed(MONTANTS))  # reordered by its inputs
    with pytest.raises(ValueError, match="never made"):
        ordre((Montant(("x",), "dossiers", ("inconnu",), lambda tables: tables.dossiers["x"]),))
    a = Montant(("a",), "dossiers", ("b",), lambda tables: tables.dossiers["a"])
    b = Montant(("b",), "dossiers", ("a",), lambda tables: tables.dossiers["b"])
    with pytest.raises(ValueError, match="cycle"):
        ordre((a, b))

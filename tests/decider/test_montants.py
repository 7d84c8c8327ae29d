"""Amounts of referentiel.md §6, case by case from tests/cas/montants.yaml."""

from pathlib import Path

import pytest
import yaml
from construction import decider

from campaign.ecrire.tables.csv_campagne import montant_csv

CAS = yaml.safe_load((Path(__file__).parents[1] / "cas" / "montants.yaml").read_text(encoding="utf-8"))
MONTANTS = ("part_charges", "ps", "bonus_enfants", "bonus_parents", "total")


@pytest.mark.parametrize("cas", CAS, ids=[c["nom"] for c in CAS])
def test_montants(cas):
    resultat = decider((cas.get("dossier", {}), cas["collectifs"]), **cas.get("options", {}))
    c = resultat.collectifs
    for colonne, attendu in cas["attendu"].items():
        if colonne in MONTANTS:
            assert [montant_csv(v) for v in c[colonne]] == attendu, colonne
        elif colonne == "avertissements":
            ordre = lambda s: sorted(filter(None, s.split("|")))  # noqa: E731
            assert [ordre(v) for v in c[colonne]] == [ordre(v) for v in attendu]
        else:
            assert list(c[colonne]) == attendu, colonne
    # the dossier total is the sum of its collectifs
    assert resultat.dossiers["total"].iloc[0] == c["total"].sum()

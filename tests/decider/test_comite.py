"""Applying the committee's avis (comite.md §3), case by case from tests/cas/comite.yaml."""

import datetime as dt
from pathlib import Path

import pytest
import yaml
from comite_cas import appliquer_cas

from campaign.ecrire.tables.csv_campagne import montant_csv

CAS = yaml.safe_load((Path(__file__).parents[1] / "cas" / "comite.yaml").read_text(encoding="utf-8"))
MONTANTS = ("ps", "bonus_enfants", "bonus_parents", "total")


@pytest.mark.parametrize("cas", CAS, ids=[c["nom"] for c in CAS])
def test_avis(cas):
    comite = appliquer_cas(cas.get("dossier", {}), cas["collectifs"], cas["seances"])
    c, d = comite.collectifs, comite.dossiers.iloc[0]
    for colonne, attendu in cas["attendu"].items():
        if colonne in MONTANTS:
            assert [montant_csv(v) for v in c[colonne]] == attendu, colonne
        elif colonne in ("motifs", "avertissements"):
            # only the codes named are checked, besides those of the proposition
            for valeur, codes in zip(c[colonne], attendu):
                assert set(filter(None, codes.split("|"))) <= set(valeur.split("|")), (colonne, valeur)
                for code in ("C-AVIS-DEFAVORABLE", "C-DEROGATION", "F-ECRETEMENT"):
                    assert (code in valeur) == (code in codes), (colonne, valeur)
        elif colonne == "anomalies":
            assert sorted(a.code for a in comite.anomalies) == sorted(attendu)
        elif colonne == "appliques":
            assert [s.appliques for s in comite.seances] == attendu
        elif colonne == "total_final":
            assert montant_csv(d["total_final"]) == attendu
        elif colonne == "date_seance":
            assert d["date_seance"].isoformat() == attendu
        elif colonne in ("etat", "decision_finale"):
            assert d[colonne] == attendu, colonne
        else:
            assert list(c[colonne]) == attendu, colonne
    # a collectif not retained is paid nothing
    non_retenus = c["decision"].isin(["REFUS", "AJOURNE"]) | (
        (c["decision"] == "PROPOSITION") & (c["proposition"] == "REFUS")
    )
    assert (c.loc[non_retenus, "total"] == 0).all()


def test_anomalie_dit_ou_et_quoi_faire():
    comite = appliquer_cas(
        {}, [{}], [{"date": dt.date(2027, 1, 20), "avis": [{"collectif": "C1", "avis": "Non"}]}]
    )
    (a,) = comite.anomalies
    assert (a.fichier, a.feuille, a.cellule, a.champ, a.gravite) == (
        "comite/avis-2027-01-20.xlsx",
        "Collectifs",
        "AP2",
        "Commentaire",
        "AVERTISSEMENT",
    )
    assert "Écrivez dans le commentaire" in a.message

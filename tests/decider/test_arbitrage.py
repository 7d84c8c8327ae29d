"""Fitting the envelope (arbitrage.md §2), case by case from tests/cas/arbitrage.yaml, and the
invariants of the three modes by property: sums to the cent, the cap maximal."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml
from comite_cas import fichier_comite
from construction import parametres, tables
from hypothesis import given, settings
from hypothesis import strategies as st

from campaign.decider import motivations
from campaign.decider.arbitrage import MODES, MONTANTS, arbitrer, scenario
from campaign.decider.decision import calculer
from campaign.decider.decisions_finales import appliquer, textes_finaux
from campaign.ecrire.tables.csv_campagne import montant_csv
from campaign.erreurs import CampaignError

CAS = yaml.safe_load((Path(__file__).parents[1] / "cas" / "arbitrage.yaml").read_text(encoding="utf-8"))


def centimes(euros: str) -> int:
    return int(Decimal(euros) * 100)


def espaces(texte: str) -> str:
    """French typography's narrow and no-break spaces as plain ones, to compare with the cases."""
    return texte.replace("\u00a0", " ").replace("\u202f", " ")


def _table(montants: dict[str, list[list[str]]]) -> pd.DataFrame:
    lignes = [
        {"fichier": f, **{m: centimes(v) for m, v in zip(MONTANTS, collectif)}}
        for f, collectifs in sorted(montants.items())
        for collectif in collectifs
    ]
    return pd.DataFrame(lignes)


@pytest.mark.parametrize("cas", [c for c in CAS if "montants" in c], ids=lambda c: c["nom"])
def test_mode(cas):
    c = _table(cas["montants"])
    attendu = cas["attendu"]
    a = arbitrer(c, centimes(cas["enveloppe"]), cas["mode"])
    if "impossible" in attendu:
        assert a.choisi is not None and espaces(a.choisi.impossible) == attendu["impossible"]
        return
    s = a.applique
    if not attendu.get("reduits", True):  # within the envelope: no scenario, nothing reduced
        assert s is None and not a.scenarios
        return
    assert s is not None and s.montants is not None
    apres = c[["fichier"]].join(s.montants)
    obtenus = {
        f: [[montant_csv(v) for v in ligne] for ligne in g[list(MONTANTS)].to_numpy()]
        for f, g in apres.groupby("fichier")
    }
    assert obtenus == attendu["montants"]
    assert montant_csv(s.apres) == attendu["total"]
    if "coefficient" in attendu:
        assert espaces(s.coefficient_texte) == attendu["coefficient"]
    if "plafond" in attendu:
        assert montant_csv(s.plafond) == attendu["plafond"]
    if "reduits" in attendu:
        assert sorted(r.fichier for r in s.reductions) == attendu["reduits"]


def _comite(cas):
    # one operator per dossier: its own SIRET, which the committee's rows name
    sirets = [f"{i + 1:014d}" for i in range(len(cas["dossiers"]))]
    d, c = tables(
        *(({**x.get("dossier", {}), "siret": s}, x["collectifs"]) for x, s in zip(cas["dossiers"], sirets))
    )
    p = parametres()
    proposition = calculer(d, c, p)
    dossiers = pd.DataFrame({"fichier": list(d.index), "statut": "TRAITE", "siret": sirets})
    siret_de = dict(zip(d.index, sirets))
    fichiers = [
        fichier_comite(s["date"], [{**a, "siret": siret_de[a["fichier"]]} for a in s["avis"]])
        for s in cas.get("seances", [])
    ]
    avant = proposition.collectifs["total"].copy()
    comite = appliquer(fichiers, proposition, d, c, dossiers, p, centimes(cas["enveloppe"]), cas["mode"])
    # the rules' proposition (decisions.csv) is never touched by the arbitration
    assert proposition.collectifs["total"].equals(avant)
    return proposition, comite


@pytest.mark.parametrize("cas", [c for c in CAS if "dossiers" in c], ids=lambda c: c["nom"])
def test_apres_ecretement_et_avis(cas):
    proposition, comite = _comite(cas)
    f, attendu = comite.collectifs, cas["attendu"]
    assert [montant_csv(v) for v in f["total"]] == attendu["total"]
    assert [montant_csv(v) for v in proposition.collectifs["total"]] == attendu["proposition"]
    assert list(f["avertissements"]) == attendu["avertissements"]
    # the letters read the same amounts (collectifs_finaux) and the dossiers' totals agree
    assert list(comite.collectifs_finaux["total"]) == list(f["total"])
    assert int(comite.dossiers["total_projete"].sum()) == int(f["total"].sum())
    if "plafond" in attendu:
        assert comite.arbitrage is not None and comite.arbitrage.applique is not None
        assert montant_csv(comite.arbitrage.applique.plafond) == attendu["plafond"]


def test_un_mode_impossible_arrete_la_campagne_en_donnant_les_chiffres():
    cas = {
        "dossiers": [{"collectifs": [{"be_projet": True, "be_sorties": True}]}],
        "enveloppe": "200.00",
        "mode": "prorata",
    }
    with pytest.raises(CampaignError) as e:
        _comite(cas)
    assert "305,00\u00a0€" in str(e.value) and "200,00\u00a0€" in str(e.value) and e.value.code == 2


def test_la_lettre_d_un_dossier_reduit_donne_les_cinq_chiffres():
    cas = next(c for c in CAS if c["nom"].startswith("une dérogation fait dépasser"))
    proposition, comite = _comite(cas)
    p = parametres()
    t = textes_finaux(comite, proposition, motivations.textes(proposition, p), p)
    (phrase,) = t.loc[(t["fichier"] == "dossier_001.xlsx") & (t["code"] == "F-ENVELOPPE"), "texte"]
    phrase = espaces(phrase)
    # requests retained, envelope voted, mode, cap, amount before and after
    for chiffre in ("5 813,00 €", "5 000,00 €", "plafond par porteur", "ce plafond est de 2 500,00 €"):
        assert chiffre in phrase
    assert "passe ainsi de 2 563,00 € à 2 500,00 €" in phrase
    # F-ENVELOPPE is worded once per dossier, and only for the dossiers reduced
    assert sorted(t.loc[t["code"] == "F-ENVELOPPE", "fichier"]) == ["dossier_000.xlsx", "dossier_001.xlsx"]


# --- properties -------------------------------------------------------------------------------

montant = st.integers(min_value=0, max_value=300_000)
collectif = st.tuples(montant, st.sampled_from([0, 30_500]), st.sampled_from([0, 30_500]))
campagnes = st.lists(st.lists(collectif, min_size=1, max_size=4), min_size=1, max_size=12)


def _campagne(dossiers: list[list[tuple[int, int, int]]]) -> pd.DataFrame:
    return pd.DataFrame(
        [
            {"fichier": f"d{i:02d}", **dict(zip(MONTANTS, x))}
            for i, collectifs in enumerate(dossiers)
            for x in collectifs
        ]
    )


@settings(max_examples=150, deadline=None)
@given(campagnes, st.fractions(min_value=0, max_value=1))
def test_chaque_mode_tient_dans_l_enveloppe_au_centime(dossiers, part):
    c = _campagne(dossiers)
    avant = c[list(MONTANTS)].to_numpy(dtype="int64")
    total = int(avant.sum())
    enveloppe = int(total * part)
    if total <= enveloppe:
        return
    for mode in MODES.values():
        s = scenario(c, enveloppe, mode)
        if s.impossible:
            assert (
                mode.code == "prorata"
                and int(c["bonus_enfants"].sum() + c["bonus_parents"].sum()) > enveloppe
            )
            continue
        apres = s.montants[list(MONTANTS)].to_numpy(dtype="int64")
        assert (apres <= avant).all() and (apres >= 0).all()
        assert ((avant == 0) <= (apres == 0)).all()  # nothing is given to an amount of 0
        assert s.apres == int(apres.sum())
        if mode.code == "prorata":
            assert s.apres == enveloppe
            assert (apres[:, 1:] == avant[:, 1:]).all()  # the bonuses untouched
        elif mode.code == "prorata_total":
            assert s.apres == enveloppe
        else:
            par_dossier = pd.Series(avant.sum(axis=1)).groupby(c["fichier"]).sum().to_numpy()
            apres_dossier = pd.Series(apres.sum(axis=1)).groupby(c["fichier"]).sum().to_numpy()
            assert s.plafond is not None and s.apres <= enveloppe
            assert (apres_dossier == np.minimum(par_dossier, s.plafond)).all()
            # maximal: one cent more does not fit
            assert int(np.minimum(par_dossier, s.plafond + 1).sum()) > enveloppe
        reduits = {r.fichier for r in s.reductions}
        baisses = set(c.loc[(apres < avant).any(axis=1), "fichier"])
        assert reduits == baisses
        ecarts = [r.ecart for r in s.reductions]
        assert ecarts == sorted(ecarts, reverse=True)

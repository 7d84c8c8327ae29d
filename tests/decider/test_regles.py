"""Every rule of referentiel.md §4 and §5, from its cases in tests/cas/regles/<CODE>.yaml:
nominal, at the threshold, just past it, and the derogations on both sides."""

from pathlib import Path

import pytest
import yaml
from construction import decider

from campaign.decider.eligibilite import CODES_AVERTISSEMENT, CODES_REFUS

CAS = Path(__file__).parents[1] / "cas" / "regles"


def _cas():
    for chemin in sorted(CAS.glob("*.yaml")):
        definition = yaml.safe_load(chemin.read_text(encoding="utf-8"))
        for cas in definition["cas"]:
            yield pytest.param(
                definition["code"],
                definition.get("avertissement", False),
                cas,
                id=f"{definition['code']}: {cas['nom']}",
            )


def test_chaque_regle_a_ses_cas():
    codes = {p.stem for p in CAS.glob("*.yaml")}
    assert set(CODES_REFUS) | set(CODES_AVERTISSEMENT) <= codes


@pytest.mark.parametrize("code, avertissement, cas", list(_cas()))
def test_regle(code, avertissement, cas):
    options = {}
    if "axes" in cas:
        options["axes"] = cas["axes"]
    if "seuil" in cas:
        options["seuil"] = cas["seuil"]
    resultat = decider((cas.get("dossier", {}), [cas.get("collectif", {})]), **options)
    collectif = resultat.collectifs.iloc[0]
    assert bool(collectif[code]) is cas["echoue"]
    if avertissement:
        assert (code in collectif["avertissements"].split("|")) is cas["echoue"]
    else:
        # the case isolates its rule: it is the only motive when it fails
        assert collectif["motifs"] == (code if cas["echoue"] else "")
        assert collectif["decision"] == ("REFUS" if cas["echoue"] else "ACCORD")

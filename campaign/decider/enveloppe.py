"""The rule F-ENVELOPPE (arbitrage.md §2): the scenario of the mode chosen, applied to the
decided amounts, and the paragraph that states it in every letter it touches.

The amounts before the reduction stay beside the new ones (`<amount>_avant_enveloppe`), so that
the rule's constat holds both, and its wording the five figures the law asks for (CRPA
L211-5: a reduction is an unfavourable decision).
"""

from __future__ import annotations

from types import SimpleNamespace

import pandas as pd

from campaign import formats
from campaign.decider.arbitrage import AVANT, MONTANTS, Arbitrage, Scenario
from campaign.decider.parametres import Parametres
from campaign.decider.regle import constat, declarer

Constats = dict[str, pd.DataFrame]  # rule code -> its constat (as `eligibilite.Constats`)


def _reduction(v: SimpleNamespace) -> str:
    """The dossier's reduction, once (arbitrage.md §2, CRPA L211-5): the requests retained,
    the envelope voted, the mode, its coefficient or cap, the amount before and after."""
    if v.enveloppe_coefficient:
        facteur = f"le coefficient appliqué est de {v.enveloppe_coefficient}"
    else:
        facteur = f"ce plafond est de {formats.euros(v.enveloppe_plafond)}"
    return (
        f"Les financements retenus pour l'ensemble des porteurs de la campagne totalisent "
        f"{formats.euros(v.enveloppe_total)}, pour une enveloppe départementale votée de "
        f"{formats.euros(v.enveloppe)}. Pour tenir dans cette enveloppe, la règle retenue est le "
        f"{v.enveloppe_mode[:1].lower()}{v.enveloppe_mode[1:]} : {v.enveloppe_regle} ; {facteur}. "
        f"Le financement de votre dossier passe ainsi de {formats.euros(v.dossier_avant)} à "
        f"{formats.euros(v.dossier_apres)}."
    )


COLONNES_REGLE = (
    "enveloppe",
    "enveloppe_total",
    "enveloppe_mode",
    "enveloppe_regle",
    "enveloppe_coefficient",
    "enveloppe_plafond",
    "dossier_avant",
    "dossier_apres",
)


@declarer(
    code="F-ENVELOPPE",
    niveau="collectif",
    nature="arbitrage",  # worded once per dossier (motivations)
    echec="Financement réduit à l'enveloppe",
    libelle="Le financement du collectif a été réduit pour tenir dans l'enveloppe départementale.",
    reference="arbitrage.md §2, règle F-ENVELOPPE",
    rediger=_reduction,
    texte="cahier-des-charges",
)
def f_enveloppe(c: pd.DataFrame, p: Parametres) -> pd.DataFrame:
    baisse = pd.Series(False, index=c.index)
    for m in MONTANTS:
        baisse |= c[m] < c[m + AVANT]
    return constat(
        baisse,
        **{m: c[m] for m in MONTANTS},
        **{m + AVANT: c[m + AVANT] for m in MONTANTS},
        **{k: c[k] for k in COLONNES_REGLE},
    )


def appliquer(
    collectifs: pd.DataFrame, dossiers: pd.DataFrame, constats: Constats, arbitrage: Arbitrage, p: Parametres
) -> tuple[pd.DataFrame, pd.DataFrame, Constats]:
    """The decided amounts (`Decisions`' three parts; this module cannot name the class: the
    référentiel lists this rule, and `decision` imports the référentiel) once the chosen
    scenario is applied: the three amounts and the totals replaced, F-ENVELOPPE on each
    collectif whose amount went down, its constat kept for the wording. The tables given are
    left as they were (they may be the rules' proposition)."""
    s = arbitrage.applique
    assert s is not None and s.montants is not None
    c = collectifs.copy()
    for m in MONTANTS:
        c[m + AVANT] = c[m]
        c[m] = s.montants[m].to_numpy(dtype="int64")
    c["total"] = c["ps"] + c["bonus_enfants"] + c["bonus_parents"]
    c["dossier_avant"] = c[[m + AVANT for m in MONTANTS]].sum(axis=1).groupby(c["fichier"]).transform("sum")
    c["dossier_apres"] = c["total"].groupby(c["fichier"]).transform("sum")
    c = c.assign(**_figures(s, arbitrage))
    k = f_enveloppe.evaluer(c, p)
    k.attrs["parametres"] = frozenset()  # the envelope is the Caf's, no national parameter
    c["F-ENVELOPPE"] = k["echec"]
    c["avertissements"] = [
        "|".join(sorted(filter(None, [*str(codes).split("|"), "F-ENVELOPPE" if baisse else ""])))
        for codes, baisse in zip(c["avertissements"], k["echec"].to_numpy(dtype=bool))
    ]
    d = dossiers.copy()
    somme = c.groupby("fichier")[[*MONTANTS, "total"]].sum()
    for col in somme:
        d[col] = somme[col].reindex(d.index, fill_value=0).astype("int64")
    return c, d, {**constats, "F-ENVELOPPE": k}


def _figures(s: Scenario, arbitrage: Arbitrage) -> dict[str, int | str]:
    return {
        "enveloppe": arbitrage.enveloppe,
        "enveloppe_total": arbitrage.total,
        "enveloppe_mode": s.mode.libelle,
        "enveloppe_regle": s.mode.regle,
        "enveloppe_coefficient": s.coefficient_texte,
        "enveloppe_plafond": s.plafond if s.plafond is not None else 0,
    }

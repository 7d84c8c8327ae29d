"""Why: the reasons in words of every TRAITE dossier, one sentence per row (CRPA L211-2
and L211-5): each failing rule, bonus not granted, reduction or warning, worded by its
declaration (`regle.Regle.rediger`) from its own constat, and how the PS was computed.

The letters and the committee's workbook both receive this table, so that the operator
and the committee read the same reasons.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping
from types import SimpleNamespace

import pandas as pd

from campaign import formats
from campaign.decider.decision import Decisions
from campaign.decider.parametres import Parametres
from campaign.decider.referentiel import regles
from campaign.decider.regle import Regle

COLONNES = ("fichier", "code_collectif", "code", "nature", "texte")


APRES = {  # what the PS computation announces below it: the reductions of the dossier
    frozenset(): "",
    frozenset({"ecretement"}): ", avant l'écrêtement exposé plus bas",
    frozenset({"arbitrage"}): ", avant la réduction à l'enveloppe exposée plus bas",
    frozenset({"ecretement", "arbitrage"}): (
        ", avant l'écrêtement et la réduction à l'enveloppe exposés plus bas"
    ),
}


def calcul(d: dict, p: Parametres, reductions: frozenset[str] = frozenset()) -> str:
    """How the PS of an ACCORD collectif of the dossier was computed, so that the operator
    can redo it: charges, PSF, the equal split over every collectif, the rate, the cap."""
    lignes = "lignes 60 à 68 et charges indirectes"
    if d["PSF"]:
        retenues = (
            f"{formats.euros(d['charges_totales'])} de charges ({lignes}) − "
            f"{formats.euros(d['PSF'])} de postes déjà financés par une prestation de "
            f"service à la fonction = {formats.euros(d['charges_retenues'])}"
        )
    else:
        retenues = f"{formats.euros(d['charges_retenues'])} ({lignes})"
    if d["n_collectifs"] > 1:
        partage = (
            f", partagées à parts égales entre les {d['n_collectifs']} collectifs déclarés, "
            f"éligibles ou non : {formats.euros(d['part_charges'])} par collectif"
        )
    else:
        partage = ", pour l'unique collectif déclaré"
    brute = int(d["ps_brute"])
    texte = (
        f"Charges retenues : {retenues}{partage}. La prestation d'un collectif éligible est "
        f"de {formats.pourcentage(p.taux_ps.valeur)} de sa part des charges retenues, "
        f"soit {formats.euros(brute)}"
    )
    apres = APRES[reductions]
    plafond = formats.euros(p.plafond_ps.centimes)
    if d["ps_calculee"] < brute:
        return texte + f", ramenée au plafond de {plafond} par collectif{apres}."
    return texte + f" (plafond : {formats.euros(p.plafond_ps.centimes)} par collectif){apres}."


def _redactions(regle: Regle, c: pd.DataFrame, constat: pd.DataFrame) -> dict[int, str]:
    """The sentence of each collectif where the rule fails, from its constat's row."""
    echoue = constat[constat["echec"]]
    codes = c.loc[echoue.index, "code"]
    return {
        i: regle.rediger(_espace({"code_collectif": code, **valeurs}))
        for i, code, valeurs in zip(echoue.index, codes, echoue.to_dict("records"))
    }


def _espace(valeurs: Mapping[Hashable, object]) -> SimpleNamespace:
    """A constat's row as attributes, for the rule's wording (`v.enfants`, `v.minimum`)."""
    return SimpleNamespace(**{str(k): v for k, v in valeurs.items()})


def _par_dossier(regle: Regle, c: pd.DataFrame, constat: pd.DataFrame) -> dict[str, str]:
    """A collectif-level rule worded once per dossier (F-ECRETEMENT): its sentence receives
    the first failing row's values and `collectifs`, every failing row of the dossier."""
    echoue = constat[constat["echec"]].assign(
        code_collectif=c.loc[constat["echec"], "code"], fichier=c.loc[constat["echec"], "fichier"]
    )
    rangs_par_dossier: dict[str, list[SimpleNamespace]] = {}  # in order of first appearance
    for fichier, valeurs in zip(echoue["fichier"], echoue.drop(columns="fichier").to_dict("records")):
        rangs_par_dossier.setdefault(str(fichier), []).append(_espace(valeurs))
    return {
        fichier: regle.rediger(SimpleNamespace(**vars(rangs[0]), collectifs=rangs))
        for fichier, rangs in rangs_par_dossier.items()
    }


def textes(decisions: Decisions, p: Parametres) -> pd.DataFrame:
    """Every reason of every TRAITE dossier, one sentence per row, sorted by file: first the
    dossier's (the PS computation, its failing rules, its warnings), then each collectif's."""
    c, d, constats = decisions.collectifs, decisions.dossiers, decisions.constats
    du_dossier = sorted((r for r in regles("motif", "dossier")), key=lambda r: r.code) + sorted(
        regles("avertissement", "dossier"), key=lambda r: r.code
    )
    du_collectif = (
        sorted(regles("motif", "collectif"), key=lambda r: r.code)
        + regles("bonus")
        + regles("avertissement", "collectif")
    )
    phrases = {r.code: _redactions(r, c, constats[r.code]) for r in du_dossier + du_collectif}
    # the reductions, each worded once per dossier: F-ECRETEMENT, then F-ENVELOPPE when applied
    reductions = [
        (r, _par_dossier(r, c, constats[r.code]))
        for r in regles("ecretement") + regles("arbitrage")
        if r.code in constats
    ]
    premier = pd.Series(c.index, index=c.index).groupby(c["fichier"]).first()
    accordes = c[c["accord"]].groupby("fichier")[["part_charges", "ps_brute", "ps_calculee"]].first()
    du_premier_accorde = accordes.to_dict("index")  # one dict per dossier, not a .loc per row
    lignes = []
    for fichier, ligne in zip(d.index, d.to_dict("records")):
        if fichier in du_premier_accorde:
            reduit = frozenset(r.nature for r, faites in reductions if fichier in faites)
            lignes.append(
                (
                    fichier,
                    "",
                    "CALCUL-PS",
                    "calcul",
                    calcul({**ligne, **du_premier_accorde[fichier]}, p, reduit),
                )
            )
        for regle, faites in reductions:
            if fichier in faites:
                lignes.append((fichier, "", regle.code, regle.nature, faites[fichier]))
        i = premier.get(fichier)
        for regle in du_dossier:
            if i in phrases[regle.code]:
                lignes.append((fichier, "", regle.code, regle.nature, phrases[regle.code][i]))
    accord = c["accord"].to_numpy()
    for i, fichier, code in zip(c.index, c["fichier"], c["code"]):
        for regle in du_collectif:
            if regle.nature == "bonus" and not accord[i]:
                continue  # a refused collectif gets no bonus: its refusal says why
            if i in phrases[regle.code]:
                lignes.append((fichier, code, regle.code, regle.nature, phrases[regle.code][i]))
    t = pd.DataFrame(lignes, columns=list(COLONNES))
    return t.sort_values(["fichier"], kind="stable").reset_index(drop=True)

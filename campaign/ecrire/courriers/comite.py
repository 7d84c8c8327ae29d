"""What a letter says once the committee has met (comite.md §4): the final DECISION, the
AJOURNEMENT, or the PROPOSITION still submitted to it.

Pure like `courrier_vue`: views of already formatted French text. The committee's
Commentaire is its motivation: quoted as the reason of a refusal it gave (CRPA L211-5), as
the ground of a derogation, after the rules' reasons on a confirmed refusal, and as the
reason of a postponement.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pandas as pd

from campaign import formats

FILIGRANE_PROPOSITION = "PROJET — proposition soumise au comité"
FILIGRANE_PROJET = "PROJET"
LIBELLES = {"ACCORD": "Accordé", "REFUS": "Refusé", "AJOURNE": "Ajourné"}


def collectifs_finaux(resultat) -> pd.DataFrame:
    """One record per collectif: its answers, the final amounts, `accord` = retained."""
    calcul = resultat.comite.calcul.collectifs
    final = resultat.comite.collectifs
    c = calcul.assign(
        accord=calcul["retenu"],
        decision_finale=final["decision"].to_numpy(),
        proposition=final["proposition"].to_numpy(),
        avis=final["avis"].to_numpy(),
        avis_date=final["avis_date"].to_numpy(),
        commentaire=final["commentaire"].to_numpy(),
        derogation=final["derogation"].to_numpy(),
    )
    return c


def _citation(commentaire: str) -> str:
    """The committee's words, quoted as typed (autoescape keeps any markup as text)."""
    return f"«\u00a0{' '.join(commentaire.split())}\u00a0»"


def _fin(commentaire: str) -> str:
    """The full stop after a quotation, unless the quoted sentence already ends one."""
    return "" if commentaire.rstrip().endswith((".", "!", "?", "…")) else "."


def _seance(jour: str) -> str:
    return formats.date_longue(dt.date.fromisoformat(jour))


def textes_comite(collectifs: list[dict], textes: list[dict]) -> list[dict]:
    """The rules' texts of one dossier, with the committee's reasons in their place."""
    derogations = {c["code"] for c in collectifs if c["derogation"]}
    refuses_comite = {
        c["code"]
        for c in collectifs
        if c["decision_finale"] in ("REFUS", "AJOURNE") and c["proposition"] == "ACCORD"
    }
    tous_deroges = bool(derogations) and all(
        c["decision_finale"] != "REFUS" or c["derogation"] for c in collectifs if c["proposition"] == "REFUS"
    )
    garde = []
    for t in textes:
        code = t["code_collectif"]
        if t["nature"] == "motif" and (code in derogations or (code == "" and tous_deroges)):
            continue  # set aside by the committee's derogation
        if code in refuses_comite and t["nature"] in ("bonus", "ecretement"):
            continue
        garde.append(t)
    for c in collectifs:
        if not c["commentaire"] or c["decision_finale"] == "AJOURNE":
            continue
        seance = _seance(c["avis_date"])
        if c["derogation"]:
            regles = ", ".join(m for m in str(c["motifs"]).split("|") if m)
            texte = (
                f"Le comité départemental, réuni le {seance}, a accordé le collectif {c['code']} "
                f"par dérogation (règles écartées : {regles}) : {_citation(c['commentaire'])}"
                + _fin(c["commentaire"])
            )
        elif c["decision_finale"] == "REFUS" and c["proposition"] == "ACCORD":
            texte = (
                f"Le comité départemental, réuni le {seance}, a émis un avis défavorable au "
                f"collectif {c['code']} : {_citation(c['commentaire'])}" + _fin(c["commentaire"])
            )
        elif c["decision_finale"] == "REFUS":
            texte = f"Avis du comité départemental du {seance} : {_citation(c['commentaire'])}" + _fin(
                c["commentaire"]
            )
        else:
            continue  # a favourable avis on an accorded collectif needs no reason
        garde.append(
            {
                "fichier": c["fichier"],
                "code_collectif": c["code"],
                "code": "C-AVIS",
                "nature": "motif",
                "texte": texte,
            }
        )
    return garde


def ligne_collectif(ligne: dict, c: dict, brouillon: bool) -> dict:
    """The table row of a collectif: its final decision, or its proposition. In a draft, a
    collectif the committee already examined says so."""
    if c["decision_finale"] in LIBELLES:
        libelle = LIBELLES[c["decision_finale"]]
        if c["derogation"]:
            libelle = "Accordé par dérogation"
        if brouillon:
            libelle += " (avis du comité)"
    else:  # the draft states the decision proposed
        libelle = LIBELLES[c["proposition"]]
    return {
        **ligne,
        "decision": libelle,
        "refuse": c["decision_finale"] in ("REFUS", "AJOURNE")
        or (c["decision_finale"] == "PROPOSITION" and c["proposition"] == "REFUS"),
    }


def decision_dossier(collectifs: list[dict]) -> str:
    """ACCORD, ACCORD PARTIEL or REFUS over the retained collectifs (a draft states it too)."""
    retenus = sum(bool(c["accord"]) for c in collectifs)
    return "ACCORD" if retenus == len(collectifs) else "ACCORD PARTIEL" if retenus else "REFUS"


def vue_ajournement(d: dict, collectifs: list[dict]) -> dict:
    """Which collectifs are postponed and why; no decision yet, so no amount and no appeal."""
    ajournes = [c for c in collectifs if c["decision_finale"] == "AJOURNE"]
    seance = _seance(max(c["avis_date"] for c in ajournes))
    return {
        "seance": seance,
        "collectifs": [
            {
                "code": str(c["code"]).strip(),
                "lieu": "" if pd.isna(c["lieu"]) else str(c["lieu"]),
                "motif": _citation(c["commentaire"]) if c["commentaire"] else "",
                "seance": _seance(c["avis_date"]),
            }
            for c in ajournes
        ],
        "autres": len(collectifs) - len(ajournes),
    }


def seance_citee(collectifs: list[dict]) -> str:
    """The latest session among the collectifs' avis, in words."""
    jours = [c["avis_date"] for c in collectifs if c["avis_date"]]
    return _seance(max(jours)) if jours else ""


def vue_traite(
    resultat,
    d: dict,
    collectifs: list[dict],
    textes: list[dict],
    date_courrier: dt.date,
    date_imposee: bool,
    commun: Callable[..., dict],
    vue_decision: Callable[..., dict],
) -> tuple[dict, str, str, int]:
    """The letter of a TRAITE dossier after the committee step: (view, nature, decision, total).

    DECISION and AJOURNEMENT are dated with the session they cite unless a date is imposed.
    `commun` and `vue_decision` are courrier_vue's: the parts every letter has, the decision.
    """
    etat = d["etat"]
    seance = seance_citee(collectifs)
    if etat in ("DECIDE", "AJOURNE") and not date_imposee:
        date_courrier = max(dt.date.fromisoformat(c["avis_date"]) for c in collectifs if c["avis_date"])
    vue = commun(resultat, d, date_courrier)
    if etat == "AJOURNE":
        vue.update(
            variante="ajournement",
            nature="AJOURNEMENT",
            filigrane="",
            ajournement=vue_ajournement(d, collectifs),
        )
        return vue, "AJOURNEMENT", "AJOURNE", 0
    decision = d["decision_finale"] if etat == "DECIDE" else decision_dossier(collectifs)
    total = sum(int(c["total"]) for c in collectifs)
    vd = vue_decision(
        resultat, {**d, "decision": decision, "total": total}, collectifs, textes_comite(collectifs, textes)
    )
    vd["collectifs"] = [
        ligne_collectif(ligne, c, etat != "DECIDE") for ligne, c in zip(vd["collectifs"], collectifs)
    ]
    vd["seance"] = seance if etat == "DECIDE" else ""
    vd["avis_en_vigueur"] = bool(seance) and etat != "DECIDE"
    vue.update(variante="decision", decision=vd)
    if etat == "DECIDE":
        vue.update(nature="DECISION", filigrane=FILIGRANE_PROJET if vue["projet"] else "")
        return vue, "DECISION", decision, total
    vue.update(nature="PROPOSITION", filigrane=FILIGRANE_PROPOSITION, filigrane_long=True)
    return vue, "PROPOSITION", decision, total

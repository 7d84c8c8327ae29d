"""What a letter says once the committee has met (comite.md §4): the final DECISION, the
AJOURNEMENT, or the PROPOSITION still submitted to it.

Pure like `vue`: views of already formatted French text. Which reasons a letter after the
committee gives (the committee's Commentaire quoted as the reason of a refusal it gave, CRPA
L211-5, as the ground of a derogation, after the rules' reasons on a confirmed refusal) is
decided in `decider.motifs_comite`; here, the postponement's view quotes it as its reason.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pandas as pd

from campaign import formats
from campaign.ecrire.courriers import completion
from campaign.lire.comite import COMMENTAIRE_MAX

FILIGRANE_PROPOSITION = "PROJET — proposition soumise au comité"
FILIGRANE_PROJET = "PROJET"
LIBELLES = {"ACCORD": "Accordé", "REFUS": "Refusé", "AJOURNE": "Ajourné"}


SANS_FINANCEMENT = "Projet éligible, sans financement de la Caf"  # sorties.md §4: no accord of nothing


def accord_ou_eligible(accord: bool, total: int, mot: str = "Accordé") -> str:
    """A retained collectif's word: accorded when it gets money, else only eligible."""
    return mot if accord and total > 0 else "Éligible" + mot.removeprefix("Accordé")


def _seance(jour: str) -> str:
    return formats.date_longue(dt.date.fromisoformat(jour))


def ligne_collectif(ligne: dict, c: dict, brouillon: bool, apres_seance: bool = False) -> dict:
    """The table row of a collectif: its final decision, or its proposition. In a draft, a
    collectif the committee already examined says so, and after a session one it has not
    examined says that too."""
    if c["decision_finale"] in LIBELLES:
        libelle = LIBELLES[c["decision_finale"]]
        if c["derogation"]:
            libelle = "Accordé par dérogation"
        if c["decision_finale"] == "ACCORD":  # no « accord » of nothing (sorties.md §4)
            libelle = accord_ou_eligible(True, int(c["total"]), libelle)
        if brouillon:
            libelle += " (avis du comité)"
    else:  # the draft states the decision proposed, and says so once a session has met
        libelle = LIBELLES[c["proposition"]]
        if c["proposition"] == "ACCORD":
            libelle = accord_ou_eligible(True, int(c["total"]), libelle)
        if apres_seance:
            libelle = f"{libelle} (proposé, en attente du comité)"
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


def _collectif_cite(c: dict) -> dict:
    return {
        "code": str(c["code"]).strip(),
        "lieu": "" if pd.isna(c["lieu"]) else str(c["lieu"]),
        "seance": _seance(c["avis_date"]) if c["avis_date"] else "",
    }


def _avis_rendu(c: dict) -> str:
    """The avis already given to a collectif, and when it brings no money, that it does not."""
    if not c["avis"]:
        return ""
    sans = ", éligible sans financement de la Caf" if c["accord"] and int(c["total"]) == 0 else ""
    return f"avis {str(c['avis']).lower()}{sans}"


def vue_ajournement(collectifs: list[dict], fondement: str, date_courrier: dt.date) -> dict:
    """Which collectifs are postponed and why, what the committee already said of the others,
    the legal basis, and by when to send what it waits for (comite.md §5). No decision yet, so
    no amount and no appeal route."""
    ajournes = [c for c in collectifs if c["decision_finale"] == "AJOURNE"]
    seance = _seance(max(c["avis_date"] for c in ajournes))
    return {
        "seance": seance,
        "collectifs": [
            {
                **_collectif_cite(c),
                "motif": formats.citation(c["commentaire"], COMMENTAIRE_MAX) if c["commentaire"] else "",
            }
            for c in ajournes
        ],
        "autres": [
            {**_collectif_cite(c), "avis": _avis_rendu(c)}
            for c in collectifs
            if c["decision_finale"] != "AJOURNE"
        ],
        "fondement": formats.citation(fondement),
        "un_seul": len(ajournes) == 1,
        "date_limite": formats.date_longue(completion.date_limite(date_courrier)),
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

    DECISION and AJOURNEMENT are dated with the session they cite unless a date is imposed, a
    PROPOSITION after a session never before it.
    `commun` and `vue_decision` are courrier_vue's: the parts every letter has, the decision.
    """
    etat = d["etat"]
    seance = seance_citee(collectifs)
    jours = [dt.date.fromisoformat(c["avis_date"]) for c in collectifs if c["avis_date"]]
    if jours and not date_imposee:  # never dated before the session it reports (comite.md §5)
        date_courrier = max(jours) if etat in ("DECIDE", "AJOURNE") else max(date_courrier, *jours)
    vue = commun(resultat, d, date_courrier)
    # a session after the day of the run has not been held: what cites it cannot leave, and
    # says it is a draft
    a_venir = bool(jours) and max(jours) > resultat.jour
    vue["seance_a_venir"] = a_venir
    if etat == "AJOURNE":
        vue.update(
            variante="ajournement",
            nature="AJOURNEMENT",
            filigrane=FILIGRANE_PROJET if a_venir else "",
            ajournement=vue_ajournement(collectifs, resultat.campagne.caf["fondement_comite"], date_courrier),
        )
        return vue, "AJOURNEMENT", "AJOURNE", 0
    decision = d["decision_finale"] if etat == "DECIDE" else decision_dossier(collectifs)
    total = sum(int(c["total"]) for c in collectifs)
    vd = vue_decision(resultat, {**d, "decision": decision, "total": total}, collectifs, textes)
    vd["collectifs"] = [
        ligne_collectif(ligne, c, etat != "DECIDE", bool(jours))
        for ligne, c in zip(vd["collectifs"], collectifs)
    ]
    vd["seance"] = seance if etat == "DECIDE" else ""
    vd["avis_en_vigueur"] = seance if etat != "DECIDE" else ""  # a proposition after a session
    vue.update(variante="decision", decision=vd)
    if etat == "DECIDE":  # a draft only while a parameter it uses is unconfirmed (comite.md §5)
        attente = resultat.en_attente(total, {str(t["code"]) for t in textes if t.get("code")})
        projet = bool(attente) or a_venir
        vue.update(nature="DECISION", projet=projet, filigrane=FILIGRANE_PROJET if projet else "")
        return vue, "DECISION", decision, total
    vue.update(nature="PROPOSITION", filigrane=FILIGRANE_PROPOSITION, filigrane_long=True)
    return vue, "PROPOSITION", decision, total

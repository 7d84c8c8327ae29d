"""The reasons a letter gives once the committee has met (comite.md §3-§4): which of the rules'
reasons still stand, and the committee's own, from its Commentaire.

A derogation sets aside the rules' motifs of its collectif (and the dossier's, when every
refused collectif was derogated); a collectif the committee refused or postponed keeps no
bonus or écrêtement text; the Commentaire is quoted as the reason of a refusal the committee
gave (CRPA L211-5), as the ground of a derogation with the rules set aside, and after the
rules' reasons on a confirmed refusal.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd

from campaign import formats
from campaign.decider.avis import C_DEFAVORABLE, C_DEROGATION
from campaign.lire.comite import COMMENTAIRE_MAX

C_AVIS = "C-AVIS"  # the committee's words after the rules' reasons of a confirmed refusal
C_AJOURNE = "C-AJOURNE"  # a postponement, in a proposition still submitted to the committee
# what rests on the committee rather than on a rule: its legal basis is quoted (comite.md §5)
FONDES_SUR_LE_COMITE = (C_DEFAVORABLE, C_DEROGATION, C_AJOURNE)


def collectifs_finaux(calcul: pd.DataFrame, final: pd.DataFrame) -> pd.DataFrame:
    """One record per collectif: its answers, the final amounts (`calcul`: the collectifs
    computed over the retained ones), `accord` = retained, and the committee's final row."""
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


def _jour(jour: str) -> str:
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
    garde: list[dict] = []
    ecartes: dict[str, list[dict]] = {}
    for t in textes:
        code = t["code_collectif"]
        if t["nature"] == "motif" and (code in derogations or (code == "" and tous_deroges)):
            ecartes.setdefault(code, []).append(t)  # set aside by the committee's derogation
            continue
        if code in refuses_comite and t["nature"] in ("bonus", "ecretement"):
            continue
        garde.append(t)
    for c in collectifs:
        seance = _jour(c["avis_date"]) if c["avis_date"] else ""
        # the Commentaire as quoted: cut at a word beyond COMMENTAIRE_MAX (comite.md §5)
        motif = formats.citation(c["commentaire"], COMMENTAIRE_MAX) + formats.point_final(c["commentaire"])
        if c["decision_finale"] == "AJOURNE":
            code_texte = C_AJOURNE
            texte = (
                f"Le comité départemental, réuni le {seance}, a ajourné l'examen du collectif "
                f"{c['code']} : " + (motif if c["commentaire"] else "il n'a pas précisé de motif.")
            )
        elif not c["commentaire"]:
            continue
        elif c["derogation"]:
            code_texte = C_DEROGATION
            texte = (
                f"Le comité départemental, réuni le {seance}, a accordé le collectif {c['code']} "
                f"par dérogation, en écartant {_regles_ecartees(c, ecartes)}. Motif du comité : {motif}"
            )
        elif c["decision_finale"] == "REFUS" and c["proposition"] == "ACCORD":
            code_texte = C_DEFAVORABLE
            texte = (
                f"Le comité départemental, réuni le {seance}, a émis un avis défavorable au "
                f"collectif {c['code']} : {motif}"
            )
        elif c["decision_finale"] == "REFUS":
            code_texte = C_AVIS
            texte = f"Avis du comité départemental du {seance} : {motif}"
        else:
            continue  # a favourable avis on an accorded collectif needs no reason
        garde.append(_texte_du_comite(c, code_texte, texte))
    return garde


def _texte_du_comite(c: dict, code: str, texte: str) -> dict:
    return {
        "fichier": c["fichier"],
        "code_collectif": c["code"],
        "code": code,
        "nature": "motif",
        "sur_avis": code in FONDES_SUR_LE_COMITE,  # the letter quotes [caf] fondement_comite
        "texte": texte,
    }


def _regles_ecartees(c: dict, ecartes: dict[str, list[dict]]) -> str:
    """The rules a derogation sets aside, each as its own sentence states it with the dossier's
    value (comite.md §5), from the reasons of the collectif and, when every refused collectif
    was derogated, of the dossier; by their codes when no sentence is at hand."""
    phrases = [
        f"la règle {t['code']} ({formats.citation(t['texte'].rstrip().removesuffix('.'))})"
        for t in ecartes.get(c["code"], []) + ecartes.get("", [])
        if t["code"]
    ]
    if not phrases:
        codes = [m for m in str(c["motifs"]).split("|") if m and m != C_DEFAVORABLE]
        phrases = [f"la règle {code}" for code in codes] or ["les règles du référentiel"]
    return phrases[0] if len(phrases) == 1 else ", ".join(phrases[:-1]) + " et " + phrases[-1]


def textes_des_decisions(collectifs: pd.DataFrame, textes: pd.DataFrame) -> dict[str, list[dict]]:
    """fichier -> the reasons of its letter after the committee (`textes_comite`), from the
    final collectifs (`collectifs_finaux`) and the reasons of the amounts in force."""
    textes_par_fichier = par_fichier(textes)
    return {
        fichier: textes_comite(lignes, textes_par_fichier.get(fichier, []))
        for fichier, lignes in par_fichier(collectifs).items()
    }


def par_fichier(table: pd.DataFrame) -> dict[str, list[dict]]:
    """Rows as records grouped by file, in one pass."""
    groupes: dict[str, list[dict]] = {}
    for ligne in table.to_dict("records"):
        groupes.setdefault(ligne["fichier"], []).append(ligne)
    return groupes

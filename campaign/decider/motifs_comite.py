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
        seance = _jour(c["avis_date"])
        if c["derogation"]:
            regles = ", ".join(m for m in str(c["motifs"]).split("|") if m)
            texte = (
                f"Le comité départemental, réuni le {seance}, a accordé le collectif {c['code']} "
                f"par dérogation (règles écartées : {regles}) : {formats.citation(c['commentaire'])}"
                + formats.point_final(c["commentaire"])
            )
        elif c["decision_finale"] == "REFUS" and c["proposition"] == "ACCORD":
            texte = (
                f"Le comité départemental, réuni le {seance}, a émis un avis défavorable au "
                f"collectif {c['code']} : {formats.citation(c['commentaire'])}"
                + formats.point_final(c["commentaire"])
            )
        elif c["decision_finale"] == "REFUS":
            texte = (
                f"Avis du comité départemental du {seance} : {formats.citation(c['commentaire'])}"
                + formats.point_final(c["commentaire"])
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

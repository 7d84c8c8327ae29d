"""The decision block of a letter (ACCORD, ACCORD PARTIEL, REFUS, or eligible without funding):
its headline, the sentence that states it, the collectifs' table with their totals, the
payment terms, and the reasons with their rules and legal texts (CRPA L211-5).

Pure like `vue`: records of one dossier in, formatted French text out.
"""

from __future__ import annotations

import pandas as pd

from campaign import formats, textes_juridiques
from campaign.ecrire.courriers import comite as courrier_comite

NATURES_MOTIVEES = ("motif", "bonus", "ecretement", "arbitrage")  # A-* warnings are not motivations


def texte_lu(v) -> str:
    """A value as read, or '' when unknown."""
    if v is None or (not isinstance(v, (list, dict)) and pd.isna(v)):
        return ""
    return str(v).strip()


_t = texte_lu


def _ligne_collectif(r) -> dict:
    return {
        "code": _t(r["code"]),
        "lieu": _t(r["lieu"]),
        "commune": _t(r["commune"]),
        "enfants": formats.nombre(int(r["enfants"])),
        "decision": courrier_comite.accord_ou_eligible(bool(r["accord"]), int(r["total"]))
        if r["accord"]
        else "Refusé",
        "refuse": not bool(r["accord"]),
        "ps": formats.euros(r["ps"]),
        "bonus_enfants": formats.euros(r["bonus_enfants"]),
        "bonus_parents": formats.euros(r["bonus_parents"]),
        "total": formats.euros(r["total"]),
    }


def _pourquoi_rien(textes: list[dict]) -> str:
    """Why an eligible dossier receives nothing: its other income already covers the cost
    (F-ECRETEMENT), or it declares no charge the PS could share."""
    if any(t["code"] == "F-ECRETEMENT" for t in textes):
        return (
            "les autres recettes de votre budget couvrent déjà le coût de l’action, et un "
            "financement public ne peut pas laisser d’excédent à son porteur (calcul détaillé "
            "ci-dessous)"
        )
    return "votre budget ne déclare aucune charge sur laquelle la prestation pourrait être calculée"


def _cite(texte: dict, sources: dict[str, str]) -> dict:
    """A reason as the letter prints it: its sentence, then its rule's code and legal text in
    parentheses before the full stop ('… 12 au plus (R-EFFECTIF, référentiel …, 2021).');
    the committee's own words (C-AVIS) cite no rule."""
    phrase = formats.typographie(texte["texte"].rstrip())
    if texte["code"] not in sources:
        return {"texte": phrase, "code": "", "source": ""}
    return {"texte": phrase.removesuffix("."), "code": texte["code"], "source": sources[texte["code"]]}


def textes_appliques() -> list[str]:
    """The texts every decision is taken under, titled and dated."""
    return [
        f"«\u00a0{t.titre}\u00a0» ({t.date})"
        for t in (textes_juridiques.texte("referentiel-cnaf"), textes_juridiques.texte("cahier-des-charges"))
    ]


def _sur(k: int, n: int) -> str:
    return f"{formats.pluriel(k, 'collectif')} sur {formats.nombre(n)}"


def _autres(non_finances: int, ajournes: int) -> str:
    """What becomes of the collectifs not funded: not financed, or postponed by the committee."""
    if not ajournes:
        if non_finances == 1:
            return "L’autre collectif ne peut pas être financé"
        return "Les autres collectifs ne peuvent pas être financés"
    ajourne = f"l’examen de {formats.pluriel(ajournes, 'collectif')} est ajourné par le comité départemental"
    if not non_finances:
        return ajourne[:1].upper() + ajourne[1:]
    verbe = "ne peut pas être financé" if non_finances == 1 else "ne peuvent pas être financés"
    return f"{formats.pluriel(non_finances, 'collectif')} {verbe} ; {ajourne}"


def _decompte(collectifs: list[dict], ajournes: int) -> list[str]:
    """What each count counts, in a letter written while the committee has examined some of the
    dossier's collectifs only (comite.md §5), naming those still waiting; empty otherwise."""
    n = len(collectifs)
    examines = sum(bool(c.get("avis_date")) for c in collectifs)
    if not examines or (examines == n and not ajournes):
        return []
    regles = sum(c.get("proposition", "ACCORD" if c["accord"] else "REFUS") == "ACCORD" for c in collectifs)
    derogations = sum(bool(c.get("derogation")) for c in collectifs)
    attente = [str(c["code"]).strip() for c in collectifs if not c.get("avis_date")]
    parties = [f"remplissent les conditions du référentiel : {_sur(regles, n)}"]
    if derogations:
        parties.append(f"accordé par dérogation du comité : {formats.nombre(derogations)}")
    parties.append(f"examinés par le comité départemental : {_sur(examines, n)}")
    if ajournes:
        parties.append(f"ajourné par le comité : {formats.nombre(ajournes)}")
    if attente:
        parties.append(f"en attente de l'avis du comité : {', '.join(attente)}")
    return [formats.typographie(p + " ;") for p in parties[:-1]] + [formats.typographie(parties[-1] + ".")]


def vue_decision(resultat, d, collectifs: list[dict], textes: list[dict]) -> dict:
    """The decision block: table, totals, payment terms and reasons (records of one dossier)."""
    total = int(d["total"])
    n = len(collectifs)
    eligibles = sum(bool(c["accord"]) for c in collectifs)
    finances = sum(bool(c["accord"]) and int(c["total"]) > 0 for c in collectifs)
    ajournes = sum(c.get("decision_finale") == "AJOURNE" for c in collectifs)
    acompte = resultat.acompte(total)
    sources = {r.code: textes_juridiques.texte(r.texte).citation for r in resultat.regles if r.texte}
    motives = [t for t in textes if t["nature"] in NATURES_MOTIVEES]
    par_collectif = []
    for c in collectifs:
        lignes = [_cite(t, sources) for t in motives if t["code_collectif"] == c["code"]]
        if lignes:
            par_collectif.append(
                {
                    "code": _t(c["code"]),
                    "statut": courrier_comite.accord_ou_eligible(True, int(c["total"])).lower()
                    if c["accord"]
                    else "ajourné"
                    if c.get("decision_finale") == "AJOURNE"
                    else "refusé",
                    "textes": lignes,
                }
            )
    motifs_dossier = [_cite(t, sources) for t in motives if t["code_collectif"] == ""]
    calcul = [formats.typographie(t["texte"]) for t in textes if t["nature"] == "calcul"]
    somme = lambda cle: sum(int(c[cle]) for c in collectifs)  # noqa: E731
    eligible = d["decision"] in ("ACCORD", "ACCORD PARTIEL")
    return {
        "libelle": courrier_comite.SANS_FINANCEMENT if eligible and total == 0 else d["decision"],
        "textes_appliques": textes_appliques(),
        "accord": eligible and finances == n,
        "partiel": eligible and 0 < finances < n,
        "sans_montant": eligible and total == 0,
        "pourquoi_rien": _pourquoi_rien(textes) if eligible and total == 0 else "",
        "refus": d["decision"] == "REFUS",
        "collectifs_finances": _sur(finances, n),
        "collectifs_eligibles": _sur(eligibles, n),
        "autres": _autres(n - finances - ajournes, ajournes),
        # what each count counts, when the committee postponed some (comite.md §5)
        "decompte": _decompte(collectifs, ajournes),
        "n_collectifs": formats.pluriel(n, "collectif"),
        "collectifs": [_ligne_collectif(c) for c in collectifs],
        "total": formats.euros(total),
        "total_ps": formats.euros(somme("ps")),
        "total_bonus_enfants": formats.euros(somme("bonus_enfants")),
        "total_bonus_parents": formats.euros(somme("bonus_parents")),
        "paiement": {
            "part": formats.pourcentage(resultat.campagne.acompte),
            "acompte": formats.euros(acompte),
            "solde": formats.euros(total - acompte),
            "total": formats.euros(total),
            "bilan_avant": formats.date_longue(bilan)
            if (bilan := getattr(resultat.campagne, "bilan_avant", None))
            else "",
        }
        if total > 0
        else None,
        "calcul": calcul,
        "motifs_dossier": motifs_dossier,
        "motifs_collectifs": par_collectif,
        "a_motifs": bool(motifs_dossier or par_collectif),
        # a decision resting on the committee rather than on a rule states its legal basis
        "fondement": formats.citation(resultat.campagne.caf["fondement_comite"])
        if any(t.get("sur_avis") for t in textes)
        else "",
    }

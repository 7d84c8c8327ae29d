"""What each letter says: one view per dossier, every value already formatted in French.

Pure: no I/O, no rendering. The templates receive these views and hold no logic beyond
choosing a block and looping over lists; amounts go through `formats.euros`, dates through
`formats.date_longue`. The motivations come from `campaign.decider.motivations`, so that the
operator reads the same reasons as the committee.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import unicodedata
from dataclasses import dataclass, field

import pandas as pd

from campaign import formats, textes_juridiques
from campaign.ecrire.courriers import comite as courrier_comite
from campaign.ecrire.courriers.completion import vue_completion
from campaign.ecrire.courriers.nom import nom_pdf, nom_unique
from campaign.lire.anomalies import Anomalie

AVEC_COURRIER = ("TRAITE", "INCOMPLET")
NATURES_MOTIVEES = ("motif", "bonus", "ecretement")  # A-* warnings are not motivations


# names Windows reserves for devices, whatever the extension (con.pdf cannot be opened)
@dataclass(frozen=True)
class Lettre:
    """One letter to write: its file name, its view, and its row of publipostage.csv."""

    fichier: str
    nom_pdf: str
    vue: dict
    publipostage: dict = field(default_factory=dict)


def _t(v) -> str:
    """A value as read, or '' when unknown."""
    if v is None or (not isinstance(v, (list, dict)) and pd.isna(v)):
        return ""
    return str(v).strip()


def numero_dossier(annee: str, siret: str, fichier: str) -> str:
    """The Caf's stable reference of a dossier, 'CLAS-2026-1a2b3c4d': the year and the first
    8 hex digits of the sha256 of its SIRET (of its file name while the SIRET is unknown)."""
    cle = siret if re.fullmatch(r"\d{14}", siret or "") else fichier
    return f"CLAS-{annee[:4]}-{hashlib.sha256(cle.encode('utf-8')).hexdigest()[:8]}"


def _de(nom: str) -> str:
    """'de' before a name, elided before a vowel: 'd’Aïcha', 'de Manon'."""
    initiale = unicodedata.normalize("NFKD", nom[:1]).encode("ascii", "ignore").decode().lower()
    return f"d’{nom}" if initiale and initiale in "aeiouy" else f"de {nom}"


def commun(resultat, d, date_courrier: dt.date) -> dict:
    """The parts every letter has: sender, recipient, date, officer, signature."""
    caf = resultat.campagne.caf
    representant = _t(d.get("representant"))
    qualite = _t(d.get("representant_qualite"))
    attention = ", ".join(x for x in (representant, qualite) if x)
    attention = f"À l’attention {_de(attention)}" if attention else ""
    numero = numero_dossier(resultat.campagne.annee, _t(d.get("siret")), d["fichier"])
    return {
        "annee": resultat.campagne.annee,
        "projet": bool(resultat.parametres.non_confirmes),
        "filigrane": "PROJET" if resultat.parametres.non_confirmes else "",
        "filigrane_long": False,  # the committee's draft mark is a sentence: smaller
        "date_iso": date_courrier.isoformat(),
        "date": formats.date_longue(date_courrier),
        "caf": {
            "nom": caf["nom"],
            "adresse": list(caf["adresse"]),
            "ville": caf["ville"],
            "tribunal": caf["tribunal"],
        },
        "signataire": dict(caf["signataire"]),
        "agent": dict(caf["agent"]),
        "destinataire": {
            "nom": _t(d.get("nom")),
            "attention": attention,
            "adresse": _t(d.get("adresse")),
            "ville": " ".join(x for x in (_t(d.get("code_postal")), _t(d.get("commune"))) if x),
        },
        "reference": {"fichier": d["fichier"], "siret": _t(d.get("siret")), "numero": numero},
        "sujet": (
            f"Prestation de service CLAS {resultat.campagne.annee}, dossier {numero} : "
            f"courrier de la {caf['nom']} à {_t(d.get('nom'))}"
        ),
    }


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


def vue_decision(resultat, d, collectifs: list[dict], textes: list[dict]) -> dict:
    """The decision block: table, totals, payment terms and reasons (records of one dossier)."""
    total = int(d["total"])
    n, accordes = len(collectifs), sum(bool(c["accord"]) for c in collectifs)
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
        "accord": d["decision"] == "ACCORD" and total > 0,
        "partiel": d["decision"] == "ACCORD PARTIEL" and total > 0,
        "sans_montant": eligible and total == 0,
        "pourquoi_rien": _pourquoi_rien(textes) if eligible and total == 0 else "",
        "refus": d["decision"] == "REFUS",
        "collectifs_accordes": f"{formats.pluriel(accordes, 'collectif')} sur {formats.nombre(n)}",
        "autres_refuses": (
            "L’autre collectif ne peut pas être financé"
            if n - accordes == 1
            else "Les autres collectifs ne peuvent pas être financés"
        ),
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
    }


def _par_fichier(table: pd.DataFrame) -> dict[str, list[dict]]:
    """Rows as records grouped by file, in one pass."""
    groupes: dict[str, list[dict]] = {}
    for ligne in table.to_dict("records"):
        groupes.setdefault(ligne["fichier"], []).append(ligne)
    return groupes


def lettres(resultat, date_courrier: dt.date, date_imposee: bool = True) -> tuple[list[Lettre], list[str]]:
    """One letter per TRAITE or INCOMPLET dossier, sorted by file; the files without one.

    After the committee step (`resultat.comite`), a TRAITE dossier's letter is its DECISION,
    AJOURNEMENT or PROPOSITION (`courrier_comite`); `date_imposee` False lets a DECISION or
    AJOURNEMENT letter take its session's date.
    """
    comite = resultat.comite
    collectifs = _par_fichier(comite.collectifs_finaux)
    anomalies: dict[str, list[Anomalie]] = {}
    for a in resultat.anomalies:
        anomalies.setdefault(a.fichier, []).append(a)
    faites: list[Lettre] = []
    sans: list[str] = []
    pris: set[str] = set()
    for d in resultat.dossiers.sort_values("fichier").to_dict("records"):
        fichier = d["fichier"]
        sans_adresse = not (_t(d.get("nom")) and _t(d.get("adresse")) and _t(d.get("commune")))
        if d["statut"] not in AVEC_COURRIER or sans_adresse:
            sans.append(fichier)  # no letter without an address: the analyst is told
            continue
        vue = commun(resultat, d, date_courrier)
        if d["statut"] == "TRAITE":
            vue, _nature, decision, total = courrier_comite.vue_traite(
                resultat,
                d,
                collectifs.get(fichier, []),
                comite.textes_decision.get(fichier, []),
                date_courrier,
                date_imposee,
                commun,
                vue_decision,
            )
        else:
            vue["variante"] = "completion"
            vue["filigrane"] = ""  # a completion request states no amount: never a draft
            vue["completion"] = vue_completion(
                anomalies.get(fichier, []), date_courrier, resultat.collectifs_lignes
            )
            decision, total = "INCOMPLET", 0
        nom = nom_pdf(_t(d.get("siret")), _t(d.get("nom")), fichier)
        nom = nom_unique(nom, fichier, pris)
        pris.add(nom)
        faites.append(
            Lettre(
                fichier,
                nom,
                vue,
                {
                    "fichier": fichier,
                    "siret": _t(d.get("siret")),
                    "destinataire": _t(d.get("nom")),
                    "courriel": _t(d.get("contact_courriel")),
                    "adresse": _t(d.get("adresse")),
                    "code_postal": _t(d.get("code_postal")),
                    "commune": _t(d.get("commune")),
                    "decision": decision,
                    "total": total,
                },
            )
        )
    return faites, sans

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
from dataclasses import dataclass, field

import pandas as pd

from campaign import adresse, formats
from campaign.ecrire.courriers import comite as courrier_comite
from campaign.ecrire.courriers.completion import vue_completion
from campaign.ecrire.courriers.decision import texte_lu as _t
from campaign.ecrire.courriers.decision import vue_decision
from campaign.ecrire.courriers.nom import nom_pdf, nom_unique
from campaign.lire.anomalies import Anomalie

AVEC_COURRIER = ("TRAITE", "INCOMPLET")


# names Windows reserves for devices, whatever the extension (con.pdf cannot be opened)
@dataclass(frozen=True)
class Lettre:
    """One letter to write: its file name, its view, and its row of publipostage.csv."""

    fichier: str
    nom_pdf: str
    vue: dict
    publipostage: dict = field(default_factory=dict)


def numero_dossier(annee: str, siret: str, fichier: str) -> str:
    """The Caf's stable reference of a dossier, 'CLAS-2026-1a2b3c4d': the year and the first
    8 hex digits of the sha256 of its SIRET (of its file name while the SIRET is unknown)."""
    cle = siret if re.fullmatch(r"\d{14}", siret or "") else fichier
    return f"CLAS-{annee[:4]}-{hashlib.sha256(cle.encode('utf-8')).hexdigest()[:8]}"


def commun(resultat, d, date_courrier: dt.date) -> dict:
    """The parts every letter has: sender, recipient, date, officer, signature."""
    caf = resultat.campagne.caf
    champs = {k: _t(d.get(k)) for k in ("nom", "representant", "representant_qualite")}
    champs |= {k: _t(d.get(k)) for k in ("adresse", "code_postal", "commune")}
    lignes = adresse.bloc(*champs.values())
    nom = adresse.coupees(champs["nom"])
    numero = numero_dossier(resultat.campagne.annee, _t(d.get("siret")), d["fichier"])
    return {
        "annee": resultat.campagne.annee,
        "projet": bool(resultat.parametres.non_confirmes),
        "filigrane": "PROJET" if resultat.parametres.non_confirmes else "",
        "filigrane_long": False,  # the committee's draft mark is a sentence: smaller
        "seance_a_venir": False,  # cites a session after the day of the run (courriers.comite)
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
        "destinataire": {  # the window's lines (AFNOR NF Z10-011), the name's in bold
            "nom": champs["nom"],
            "lignes_nom": nom,
            "lignes": lignes[len(nom) :],
            "longue": adresse.trop_longue(lignes),  # printed whole, in smaller type
        },
        "reference": {"fichier": d["fichier"], "siret": _t(d.get("siret")), "numero": numero},
        "sujet": (
            f"Prestation de service CLAS {resultat.campagne.annee}, dossier {numero} : "
            f"courrier de la {caf['nom']} à {_t(d.get('nom'))}"
        ),
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
        # the signature's image on a final letter, never on a draft (sorties.md §4)
        signature = resultat.campagne.signature
        vue["signataire"]["image"] = signature.uri if signature and not vue["filigrane"] else ""
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

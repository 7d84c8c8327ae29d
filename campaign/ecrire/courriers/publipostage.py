"""publipostage.csv: one row per letter (recipient, address, the PDF and its sha256, its
nature and whether it may leave the Caf), the list that `campaign envoyer` sends from
(`envoyer.publipostage` reads it back)."""

from __future__ import annotations

import copy
import csv
import hashlib
import json
from pathlib import Path

from campaign.ecrire.courriers.vue import Lettre
from campaign.ecrire.tables import csv_campagne as sorties

DOSSIER_COURRIERS = "courriers"
PUBLIPOSTAGE = "publipostage.csv"
COLONNES_PUBLIPOSTAGE = (
    "fichier",
    "siret",
    "destinataire",
    "courriel",
    "adresse",
    "code_postal",
    "commune",
    "courrier",
    "decision",
    "total",
    "sha256",
    "nature",
    "envoyable",
    "date_courrier",
    "empreinte",
    "classeur",  # the pre-filled dossier sent with a completion request, empty for other letters
)
# the letter's nature and whether it may leave the Caf (comite.md §4), by view variant; a view
# may name its nature (the committee step: DECISION, AJOURNEMENT or PROPOSITION)
NATURES = {
    "decision": ("PROPOSITION", False),
    "completion": ("DEMANDE-COMPLEMENT", True),
    "ajournement": ("AJOURNEMENT", True),
}
ENVOYABLES = {"PROPOSITION": False, "DEMANDE-COMPLEMENT": True, "AJOURNEMENT": True}
# the view's values that follow from the letter's date: left out of its empreinte
CHAMPS_DATES = ("date", "date_iso", "completion.date_limite")


def empreinte(vue: dict) -> str:
    """sha256 of what the letter says, its date left out: a letter re-dated is the same letter
    (envoi.md §4 knows a letter already sent by it)."""
    sans_date = copy.deepcopy(vue)
    for champ in CHAMPS_DATES:
        *parents, nom = champ.split(".")
        partie = sans_date
        for p in parents:
            partie = partie.get(p) or {}
        partie.pop(nom, None)
    texte = json.dumps(sans_date, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(texte.encode("utf-8")).hexdigest()


def nature(lettre: Lettre) -> tuple[str, bool]:
    """(nature, envoyable) of a letter, from its view. A DECISION computed with a national
    parameter not yet confirmed stays a draft (PROJET) and may not leave (comite.md §4)."""
    vue = lettre.vue
    nom = vue.get("nature") or NATURES[vue["variante"]][0]
    if vue.get("seance_a_venir"):  # a session not yet held cannot have decided (comite.md §5)
        return nom, False
    if nom == "DECISION":
        return nom, not vue["projet"]
    return nom, ENVOYABLES[nom]


def classeur(lettre: Lettre) -> str:
    """The workbook sent beside the letter, relative to the output folder, or ""."""
    nom = (lettre.vue.get("completion") or {}).get("classeur", "")
    return f"{DOSSIER_COURRIERS}/{nom}" if nom else ""


def ecrire_publipostage(chemin: Path, liste: list[Lettre], pdfs: dict[str, bytes]) -> None:
    """publipostage.csv: one row per letter, sorted by file, with the PDF's sha256."""
    lignes = []
    for lettre in sorted(liste, key=lambda x: x.fichier):
        p = lettre.publipostage
        nom_nature, envoyable = nature(lettre)
        lignes.append(
            [
                p["fichier"],
                p["siret"],
                p["destinataire"],
                p["courriel"],
                p["adresse"],
                p["code_postal"],
                p["commune"],
                f"{DOSSIER_COURRIERS}/{lettre.nom_pdf}",
                p["decision"],
                sorties.montant_csv(p["total"]),
                hashlib.sha256(pdfs[lettre.nom_pdf]).hexdigest(),
                nom_nature,
                "oui" if envoyable else "non",
                lettre.vue["date_iso"],
                empreinte(lettre.vue),
                classeur(lettre),
            ]
        )
    with chemin.open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)  # RFC 4180 line ends, like the other CSV outputs
        w.writerow(COLONNES_PUBLIPOSTAGE)
        w.writerows(lignes)

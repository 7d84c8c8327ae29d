"""The letters to send, as the last run wrote them: `publipostage.csv` read back, and the
check that these outputs still match the campagne folder as it is now (envoi.md §1)."""

from __future__ import annotations

import csv
import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

from campaign.ecrire.courriers.publipostage import COLONNES_PUBLIPOSTAGE, PUBLIPOSTAGE
from campaign.envoyer.journal import identite, retablir
from campaign.erreurs import CampaignError
from campaign.lire.entrees import fichiers_du_dossier, nom_affiche

MANIFEST = "manifest.json"
PASSES = ("~$", ".")
RELANCER = "relancez make campaign (ou campaign run) avant d'envoyer"


@dataclass(frozen=True)
class Courrier:
    """One row of publipostage.csv: a letter and where it goes."""

    fichier: str
    siret: str
    destinataire: str
    courriel: str
    adresse: str
    code_postal: str
    commune: str
    courrier: str  # the PDF, relative to the output folder
    nature: str
    envoyable: bool
    date_courrier: str
    empreinte: str
    sha256: str
    classeur: str = ""  # the pre-filled dossier sent beside a completion request, or ""
    sha256_classeur: str = ""  # its sha256 as manifest.json records it

    @property
    def identite(self) -> tuple[str, str, str]:
        return identite(self.siret, self.fichier, self.nature, self.empreinte)

    @property
    def nom_pdf(self) -> str:
        return self.courrier.rsplit("/", 1)[-1]


def lire(sortie: Path, empreintes: dict | None = None) -> list[Courrier]:
    """publipostage.csv's rows; `empreintes`: the manifest's sha256 of each output, those of
    the workbooks sent beside the letters (envoi.md §6: checked again before they leave)."""
    empreintes = empreintes or {}
    chemin = sortie / PUBLIPOSTAGE
    if not chemin.is_file():
        raise CampaignError(f"{chemin} est absent : {RELANCER}.")
    with chemin.open(encoding="utf-8", newline="") as f:
        lecteur = csv.DictReader(f)
        manquantes = [c for c in COLONNES_PUBLIPOSTAGE if c not in (lecteur.fieldnames or ())]
        if manquantes:
            raise CampaignError(
                f"{chemin} n'a pas la colonne « {manquantes[0]} » : il vient d'une "
                f"version précédente du programme ; {RELANCER}."
            )
        lignes = list(lecteur)
    courriers = []
    for r in lignes:
        t = {k: retablir(v or "") for k, v in r.items() if k is not None}
        courriers.append(
            Courrier(
                t["fichier"],
                t["siret"],
                t["destinataire"],
                t["courriel"],
                t["adresse"],
                t["code_postal"],
                t["commune"],
                t["courrier"],
                t["nature"],
                t["envoyable"] == "oui",
                t["date_courrier"],
                t["empreinte"],
                t["sha256"],
                t["classeur"],
                str(empreintes.get(t["classeur"], "")) if t["classeur"] else "",
            )
        )
    return courriers


def pdf_intact(sortie: Path, c: Courrier) -> bytes | None:
    """The letter's PDF, if it is still the one publipostage.csv recorded."""
    try:
        contenu = (sortie / c.courrier).read_bytes()
    except OSError:
        return None
    return contenu if hashlib.sha256(contenu).hexdigest() == c.sha256 else None


def pieces_intactes(sortie: Path, c: Courrier) -> tuple[bytes, bytes | None] | None:
    """(the PDF, the workbook sent beside it or None) if both are still those `run` wrote;
    None when either changed or went."""
    pdf = pdf_intact(sortie, c)
    if pdf is None or not c.classeur:
        return None if pdf is None else (pdf, None)
    try:
        classeur = (sortie / c.classeur).read_bytes()
    except OSError:
        return None
    return (pdf, classeur) if hashlib.sha256(classeur).hexdigest() == c.sha256_classeur else None


def _sha256(chemin: Path) -> str:
    return hashlib.sha256(chemin.read_bytes()).hexdigest()


def verifier_concordance(dossier: Path, sortie: Path, texte_toml: str) -> dict:
    """The manifest of `sortie` must describe the campagne folder as it is now: same
    campagne.toml, same dossiers (names and sha256), same committee files. -> the manifest."""
    chemin = sortie / MANIFEST
    if not chemin.is_file():
        raise CampaignError(f"Le dossier de sortie {sortie} n'a pas de {MANIFEST} : {RELANCER}.")
    manifest = json.loads(chemin.read_text(encoding="utf-8"))
    ecarts = []
    if manifest.get("campagne_toml") != texte_toml:
        ecarts.append("campagne.toml a changé")
    # not dossiers: folders (sha256 ""), office lock files and hidden files (an open workbook)
    avant = {f: s for f, s in (manifest.get("entrees") or {}).items() if s and not f.startswith(PASSES)}
    maintenant = {
        nom_affiche(p.name): _sha256(p)
        for p in fichiers_du_dossier(dossier)
        if p.is_file() and not p.is_symlink() and not p.name.startswith(PASSES)
    }
    for nom in sorted(set(avant) | set(maintenant)):
        if nom not in maintenant:
            ecarts.append(f"« {nom} » a été retiré")
        elif nom not in avant:
            ecarts.append(f"« {nom} » a été ajouté")
        elif avant[nom] != maintenant[nom]:
            ecarts.append(f"« {nom} » a été remplacé")
    for entree in _fichiers_comite(manifest):
        fichier = dossier / entree["chemin"]
        if not fichier.is_file() or _sha256(fichier) != entree["sha256"]:
            ecarts.append(f"le fichier du comité « {entree['chemin']} » a changé")
    if ecarts:
        liste = ", ".join(ecarts[:3]) + (f" (et {len(ecarts) - 3} autres écarts)" if len(ecarts) > 3 else "")
        raise CampaignError(
            f"Les sorties de {sortie} ne correspondent plus au dossier de campagne "
            f"{dossier} ({liste}) : {RELANCER}."
        )
    return manifest


def verifier_sorties(sortie: Path, manifest: dict, fichiers: list[str]) -> None:
    """Each output `envoyer` reads must be the one `run` wrote: its sha256 as the manifest
    records it (envoi.md §6). Nothing a person may have edited since decides what leaves."""
    empreintes = manifest.get("empreintes_sorties")
    if not isinstance(empreintes, dict):
        raise CampaignError(f"{sortie / MANIFEST} n'a pas les empreintes des sorties : {RELANCER}.")
    for fichier in fichiers:
        chemin = sortie / fichier
        if fichier not in empreintes:
            ecart = f"n'est pas l'un des fichiers que {MANIFEST} décrit"
        elif not chemin.is_file():
            ecart = "est absent"
        elif _sha256(chemin) != empreintes[fichier]:
            ecart = "a été modifié depuis le dernier run (son empreinte n'est plus celle du manifeste)"
        else:
            continue
        raise CampaignError(f"{chemin} {ecart} : {RELANCER} ; rien n'a été envoyé.")


def _fichiers_comite(manifest: dict) -> list[dict]:
    """The committee files the manifest records (comite.md §4), whatever their exact key."""
    trouves = []
    comite = manifest.get("comite") or manifest.get("comites") or []
    if isinstance(comite, dict):
        comite = comite.get("fichiers") or comite.get("sessions") or []
    for e in comite if isinstance(comite, list) else []:
        if isinstance(e, dict) and e.get("sha256"):
            chemin = e.get("chemin") or e.get("fichier") or e.get("avis") or e.get("path")
            if chemin:
                trouves.append({"chemin": chemin, "sha256": e["sha256"]})
    return trouves

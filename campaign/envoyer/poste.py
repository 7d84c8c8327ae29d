"""The letters that go by post (envoi.md §5): one PDF to print and its CSV.

In the PDF every letter starts on an odd page (a blank page follows a letter of an odd
number of pages), so that printing recto-verso never puts two operators on one sheet.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path

from pypdf import PdfReader, PdfWriter

from campaign.envoyer.journal import neutraliser
from campaign.envoyer.publipostage import Courrier, pdf_intact
from campaign.lire.lecture import lire_fichier
from campaign.run.fichiers import ecrire_entier

COLONNES = (
    "fichier",
    "siret",
    "destinataire",
    "attention",
    "adresse",
    "code_postal",
    "commune",
    "courrier",
    "nature",
    "raison",
)


@dataclass(frozen=True)
class APoster:
    courrier: Courrier
    raison: str  # SANS-COURRIEL, COURRIEL-INUTILISABLE, REFUSE


def pretes(sortie: Path, lettres: list[APoster], modifies: list[Courrier]) -> list[tuple[APoster, bytes]]:
    """The letters to post with their PDF; a PDF changed since the run is added to `modifies`."""
    resultat = []
    for a in lettres:
        contenu = pdf_intact(sortie, a.courrier)
        if contenu is None:
            modifies.append(a.courrier)
        else:
            resultat.append((a, contenu))
    return resultat


def attention(dossier: Path, fichier: str) -> str:
    """'representant, qualite' as the letter prints it, read again from the dossier."""
    try:
        porteur = (lire_fichier(dossier / fichier).feuilles.get("Porteur") or [{}])[0]
    except Exception:  # a dossier unreadable now: the address block printed in the letter stays right
        return ""
    valeurs = (porteur.get(k, (None, ""))[0] for k in ("representant", "representant_qualite"))
    return ", ".join(str(v).strip() for v in valeurs if v is not None and str(v).strip())


def assembler(lettres: list[tuple[APoster, bytes]]) -> tuple[bytes, list[int]]:
    """One PDF, each letter on an odd page; -> (bytes, first page of each letter, from 1)."""
    w = PdfWriter()
    debuts = []
    for _, contenu in lettres:
        debuts.append(len(w.pages) + 1)
        pages = PdfReader(io.BytesIO(contenu)).pages
        for page in pages:
            w.add_page(page)
        if len(pages) % 2:
            derniere = pages[-1]
            w.add_blank_page(width=derniere.mediabox.width, height=derniere.mediabox.height)
    # for printing, and says so: the archived, accessible originals are the letters' own PDFs
    w.add_metadata(
        {
            "/Title": "Courriers CLAS à imprimer et à poster",
            "/Subject": "Lot d'impression recto verso : chaque courrier commence sur une page impaire. "
            "Les originaux archivés (PDF/A-3b, PDF/UA-1) sont les PDF du dossier courriers.",
            "/Creator": "campaign",
        }
    )
    tampon = io.BytesIO()
    w.write(tampon)
    return tampon.getvalue(), debuts


def lignes(dossier: Path, lettres: list[APoster]) -> list[list[str]]:
    return [
        [
            a.courrier.fichier,
            a.courrier.siret,
            a.courrier.destinataire,
            attention(dossier, a.courrier.fichier),
            a.courrier.adresse,
            a.courrier.code_postal,
            a.courrier.commune,
            a.courrier.courrier,
            a.courrier.nature,
            a.raison,
        ]
        for a in lettres
    ]


def ecrire(pdf: Path, dossier: Path, lettres: list[tuple[APoster, bytes]]) -> None:
    """`<nom>.pdf` and `<nom>.csv` side by side, each written aside then renamed."""
    contenu, _ = assembler(lettres)
    tampon = io.StringIO()
    w = csv.writer(tampon)
    w.writerow(COLONNES)
    w.writerows([neutraliser(c) for c in ligne] for ligne in lignes(dossier, [a for a, _ in lettres]))
    for chemin, octets in ((pdf, contenu), (pdf.with_suffix(".csv"), tampon.getvalue().encode("utf-8"))):
        ecrire_entier(chemin, octets, durable=True)

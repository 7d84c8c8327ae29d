"""A letter's file name: from the SIRET and the operator's name, only [a-z0-9-], never a
name Windows reserves, never two letters under one name."""

from __future__ import annotations

import re

from campaign import formats

LONGUEUR_SLUG = 40

RESERVES_WINDOWS = {
    "CON",
    "PRN",
    "AUX",
    "NUL",
    *(f"COM{i}" for i in range(1, 10)),
    *(f"LPT{i}" for i in range(1, 10)),
}


def nom_pdf(siret: str, nom: str, fichier: str) -> str:
    """'<siret>-<slug of the name>.pdf'; the file name's slug stands in for an unknown SIRET."""
    tete = (
        siret
        if re.fullmatch(r"\d{14}", siret or "")
        else (formats.slug(fichier.rsplit(".", 1)[0], LONGUEUR_SLUG) or "dossier")
    )
    queue = formats.slug(nom, LONGUEUR_SLUG, mots_entiers=True)
    base = f"{tete}-{queue}" if queue else tete
    return f"dossier-{base}.pdf" if base.upper() in RESERVES_WINDOWS else f"{base}.pdf"


def nom_unique(nom: str, fichier: str, pris: set[str]) -> str:
    """`nom`, or when taken (same SIRET and name in two files, DOUBLON-SIRET) the file's slug
    added, then a number: always one PDF per letter."""
    if nom not in pris:
        return nom
    nom = nom[:-4] + "-" + (formats.slug(fichier.rsplit(".", 1)[0], 30) or "dossier") + ".pdf"
    candidat, n = nom, 2
    while candidat in pris:
        candidat, n = f"{nom[:-4]}-{n}.pdf", n + 1
    return candidat

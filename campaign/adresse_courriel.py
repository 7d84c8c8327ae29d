"""Whether an e-mail address is usable: an operator's, as read from its dossier, to receive a
letter (envoi.md §3); the Caf's own in campagne.toml (the agent's, the sender's, the Bcc),
checked by every command that loads it.

Strict on purpose: one address, of the dossier's accepted form, with no `, ; < > ( ) "`, no
control and no non-ASCII character. Anything else sends the letter to the post: a letter is
never sent to a guessed address, nor to a second address slipped into the cell.
"""

from __future__ import annotations

import re

SANS_COURRIEL = "SANS-COURRIEL"
INUTILISABLE = "COURRIEL-INUTILISABLE"
FORME = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")  # the dossier's accepted form (dossier.md §2)
INTERDITS = set(',;<>()"[]\\ ')
PARTIE_LOCALE = re.compile(r"[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]{1,64}")
DOMAINE = re.compile(r"(?=.{4,253}$)([A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}")


def raison(texte: str) -> str | None:
    """None when `texte` is one usable address; else why the letter goes by post."""
    if not texte.strip():
        return SANS_COURRIEL
    if (
        not texte.isascii()
        or any(ord(c) < 32 or ord(c) == 127 for c in texte)
        or INTERDITS & set(texte)
        or not FORME.fullmatch(texte)
    ):
        return INUTILISABLE
    locale, _, domaine = texte.partition("@")
    if (
        not PARTIE_LOCALE.fullmatch(locale)
        or locale.startswith(".")
        or locale.endswith(".")
        or ".." in locale
        or not DOMAINE.fullmatch(domaine)
    ):
        return INUTILISABLE
    return None


def expediteur_valable(texte: str) -> bool:
    """`[envoi] expediteur`: one address, bare or `Nom <adresse>`, usable by `raison`; a name
    without control characters nor `< > , ; "` (it could add an address or a header)."""
    nom, crochet, reste = texte.rpartition("<")
    adresse = reste.removesuffix(">").strip() if crochet else texte.strip()
    if crochet and not reste.endswith(">"):
        return False
    return raison(adresse) is None and not (
        set('<>,;"') & set(nom) or any(ord(c) < 32 or ord(c) == 127 for c in texte)
    )

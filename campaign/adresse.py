"""The recipient's postal address as a letter prints it in the envelope's window, by the French
standard (AFNOR NF Z10-011, sorties.md §4): at most 6 lines of at most 38 characters, the last
one `code postal commune`. Longer lines are wrapped at words; an address that still needs more
than 6 lines is flagged (ADRESSE-TROP-LONGUE) and printed whole in smaller type, never cut.

One derivation for the check on the Porteur sheet (`valider`) and for the letter (`ecrire`).
"""

from __future__ import annotations

import textwrap
import unicodedata

LIGNES_MAX = 6
LARGEUR_MAX = 38


def _de(nom: str) -> str:
    """'de' before a name, elided before a vowel: 'd’Aïcha', 'de Manon'."""
    initiale = unicodedata.normalize("NFKD", nom[:1]).encode("ascii", "ignore").decode().lower()
    return f"d’{nom}" if initiale and initiale in "aeiouy" else f"de {nom}"


def attention(representant: str, qualite: str) -> str:
    """'À l’attention de Léa Arnaud, Présidente', or '' when nobody is named."""
    qui = ", ".join(x for x in (representant.strip(), qualite.strip()) if x)
    return f"À l’attention {_de(qui)}" if qui else ""


def coupees(texte: str) -> list[str]:
    """A field's lines (a line break typed in the cell is kept), each wrapped at words."""
    lignes = []
    for ligne in texte.splitlines() or [""]:
        ligne = " ".join(ligne.split())
        if ligne:
            lignes += textwrap.wrap(ligne, LARGEUR_MAX, break_on_hyphens=False) or [ligne]
    return lignes


def bloc(
    nom: str, representant: str, qualite: str, adresse: str, code_postal: str, commune: str
) -> list[str]:
    """The address block's lines, in order: name, attention, street, then `CP commune` unwrapped."""
    ville = " ".join(x for x in (code_postal.strip(), " ".join(commune.split())) if x)
    return [
        *coupees(nom),
        *coupees(attention(representant, qualite)),
        *coupees(adresse),
        *([ville] if ville else []),
    ]


def trop_longue(lignes: list[str]) -> bool:
    return len(lignes) > LIGNES_MAX

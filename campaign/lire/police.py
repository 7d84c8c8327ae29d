"""The characters the letters' fonts draw, and a text made printable with them (dossier.md §7).

The letters are set in the shipped fonts (`templates/fonts/courrier-*.ttf`, three cuts of
DejaVu Sans with the same characters); a character they lack would print as an empty box.
`DESSINES` is their character map, as ranges, and the list tools/polices.py cuts the fonts
to (tests/lire/test_caracteres.py checks it against the fonts): the reader cannot open the
fonts (the PDF engine's adapter is the only module that may) and a reading kept in the cache
must not depend on a file it did not hash.

A character the fonts lack is replaced by its compatibility form when the fonts draw that
(`ﬁ` → `fi`, `Ａ` → `A`), by its letter with the accents the fonts have (`ễ` → `ê`), or
removed (an emoji); the last two are reported, since the text printed is no longer the text
typed.
"""

from __future__ import annotations

import bisect
import unicodedata
from functools import lru_cache

DESSINES = (
    (0x0020, 0x007E),
    (0x00A0, 0x017F),
    (0x0218, 0x021B),
    (0x02BC, 0x02BC),
    (0x02C6, 0x02C7),
    (0x02DA, 0x02DC),
    (0x2010, 0x2027),
    (0x202F, 0x203A),
    (0x2044, 0x2044),
    (0x20AC, 0x20AC),
    (0x2116, 0x2116),
    (0x2122, 0x2122),
    (0x2190, 0x2193),
    (0x2212, 0x2212),
)
_DEBUTS = [debut for debut, _ in DESSINES]


def dessine(ch: str) -> bool:
    """True when the letters' fonts draw `ch` (a line break is a line break, not a glyph)."""
    if ch == "\n":
        return True
    point = ord(ch)
    i = bisect.bisect_right(_DEBUTS, point) - 1
    return i >= 0 and point <= DESSINES[i][1]


def _remplacement(ch: str) -> tuple[str, bool]:
    """What prints for a character the fonts lack, and whether the reader must be told."""
    if ch.isdecimal():  # an Arabic-Indic or other digit: its ASCII digit
        return str(unicodedata.decimal(ch)), False
    compatible = unicodedata.normalize("NFKC", ch)
    if compatible and compatible != ch and all(map(dessine, compatible)):
        return compatible, False
    decompose = unicodedata.normalize("NFD", ch)
    base, marques = decompose[0], decompose[1:]
    if not marques or not dessine(base):
        return "", True
    for marque in marques:
        compose = unicodedata.normalize("NFC", base + marque)
        if len(compose) == 1 and dessine(compose):
            base = compose
    return base, True


@lru_cache(maxsize=65536)
def imprimable(texte: str) -> tuple[str, tuple[str, ...]]:
    """The text in characters the fonts draw, and the characters it lost or changed."""
    if all(map(dessine, texte)):
        return texte, ()
    morceaux, perdus = [], []
    for ch in texte:
        if dessine(ch):
            morceaux.append(ch)
            continue
        remplace, signale = _remplacement(ch)
        morceaux.append(remplace)
        if signale and ch not in perdus:
            perdus.append(ch)
    return "".join(morceaux), tuple(perdus)


def rendre_imprimables(lignes: list[list], colonnes: set[int] | None = None) -> dict[str, tuple[int, int]]:
    """Replace, in place, each text cell (of `colonnes`, or all) by its printable text; each
    character lost -> (row, column) of the first cell it was in, both counted from 0."""
    perdus: dict[str, tuple[int, int]] = {}
    for r, ligne in enumerate(lignes):
        for j, v in enumerate(ligne):
            if type(v) is not str or (colonnes is not None and j not in colonnes):
                continue
            texte, lettres = imprimable(v)
            if lettres:
                ligne[j] = texte
                for ch in lettres:
                    perdus.setdefault(ch, (r, j))
            elif texte is not v:
                ligne[j] = texte
    return perdus

"""Font subsets made once per process, for a whole campagne of letters.

WeasyPrint cuts each font it embeds down to the glyphs the letter uses (fontTools: a fifth of
a letter's rendering), so every letter, with its own names and amounts, paid for its own
subset. Here a font is cut instead to its *socle*: the glyphs of the characters a French
letter is written with (`SOCLE`), plus the glyphs the letter uses beyond them. Nearly every
letter then asks for the same subset of each font, made once per process and taken from
here afterwards; a letter naming "Łódź" gets a subset of its own, as before.

The PDF keeps WeasyPrint's widths and ToUnicode map of the glyphs used (the text extracted
is the same); it embeds a few more glyph outlines than it draws (tens of KB per letter).
Glyph identifiers are kept (`retain_gids`), so the drawing is the same, pixel for pixel.

The subset is a function of the font's bytes, its index, the glyphs kept, the hinting option,
whether a glyph is missing (`notdef_outline`) and the fonts' timestamp (SOURCE_DATE_EPOCH):
all of them are the key, so a subset taken from here is the one WeasyPrint would make of
the same glyphs.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import os
import threading
from collections import OrderedDict
from collections.abc import Iterator

from fontTools.ttLib import TTFont
from weasyprint.pdf.fonts import Font

# The characters of a French letter: Basic Latin, the letters of French with their capitals,
# the spaces and punctuation of French typography (no-break and narrow no-break spaces,
# apostrophe, quotes, dashes, ellipsis), and the signs of amounts and dates (minus sign, and
# the arrow of a reduced amount).
SOCLE = (
    "".join(map(chr, range(0x20, 0x7F)))
    + "àâäæçéèêëîïôöœùûüÿÀÂÄÆÇÉÈÊËÎÏÔÖŒÙÛÜŸ"
    + "\u00a0\u202f\u2019\u2018\u201c\u201d«»\u2013\u2014\u2026\u2022€°²×·§\u2212→"
)
TAILLE = 512  # subsets kept, per process (a few tens of KB each)
# `Font.subset` is replaced while a letter renders: a coupling to WeasyPrint's private code,
# kept because it saves a fifth of a letter's CPU (measured 2026-12-07: 75 against 94 ms a
# letter), written for these versions; tests/ecrire/test_sous_ensembles.py fails on others.
ECRIT_POUR = {"weasyprint": "70.0", "fonttools": "4.68.0"}
_faits: OrderedDict[tuple, bytes] = OrderedDict()
_socles: dict[tuple[bytes, int], frozenset[int]] = {}
_verrou = threading.Lock()
_original = Font.subset


def socle(contenu: bytes, index: int) -> frozenset[int]:
    """The glyph identifiers of `SOCLE`'s characters in a font (those it has)."""
    police = TTFont(io.BytesIO(contenu), fontNumber=index, lazy=True)
    table = police.getBestCmap() or {}
    return frozenset(police.getGlyphID(table[ord(c)]) for c in SOCLE if ord(c) in table)


def _glyphes(font: Font, empreinte: bytes, utilises: dict) -> frozenset[int]:
    cle = (empreinte, font.index)
    with _verrou:
        connu = _socles.get(cle)
    if connu is None:
        connu = socle(font.file_content, font.index)
        with _verrou:
            _socles[cle] = connu
    return connu | frozenset(utilises)


def _subset(self: Font, to_unicode: dict, hinting: bool) -> None:
    if not to_unicode:
        return _original(self, to_unicode, hinting)
    empreinte = hashlib.sha256(self.file_content).digest()
    glyphes = _glyphes(self, empreinte, to_unicode)
    cle = (
        empreinte,
        self.index,
        tuple(sorted(glyphes)),
        bool(hinting),
        bool(self.missing),
        os.environ.get("SOURCE_DATE_EPOCH"),
    )
    with _verrou:
        fait = _faits.get(cle)
        if fait is not None:
            _faits.move_to_end(cle)
    if fait is not None:
        self.file_content = fait
        return None
    _original(self, dict.fromkeys(glyphes, ""), hinting)  # only the keys (glyph ids) are read
    with _verrou:
        _faits[cle] = self.file_content
        while len(_faits) > TAILLE:
            _faits.popitem(last=False)
    return None


@contextlib.contextmanager
def gardes() -> Iterator[None]:
    """Within: WeasyPrint's font subsets come from, and go into, this process's store."""
    Font.subset = _subset
    try:
        yield
    finally:
        Font.subset = _original

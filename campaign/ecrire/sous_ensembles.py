"""Font subsets made once per process: WeasyPrint cuts each font it embeds down to the glyphs
the letter uses (fontTools: a quarter of a letter's rendering), and letters that use the same
glyphs of a font (the bold of the headings, mostly) get the same subset, byte for byte.

The subset is a function of the font's bytes, its index, the glyphs kept, the hinting option,
whether a glyph is missing (`notdef_outline`) and the fonts' timestamp (SOURCE_DATE_EPOCH):
all of them are the key, so a subset taken from here is the one WeasyPrint would have made.
Embedding the shipped fonts whole (`full_fonts`) would skip the work altogether, but changes
the PDFs' bytes; this does not.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import threading
from collections import OrderedDict
from collections.abc import Iterator

from weasyprint.pdf.fonts import Font

TAILLE = 512  # subsets kept, per process (a few tens of KB each)
_faits: OrderedDict[tuple, bytes] = OrderedDict()
_verrou = threading.Lock()
_original = Font.subset


def _subset(self: Font, to_unicode: dict, hinting: bool) -> None:
    if not to_unicode:
        return _original(self, to_unicode, hinting)
    cle = (
        hashlib.sha256(self.file_content).digest(),
        self.index,
        tuple(sorted(to_unicode)),
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
    _original(self, to_unicode, hinting)
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

"""The letters' fonts: DejaVu Sans cut once to the Latin characters, shipped in templates/fonts.

WeasyPrint subsets every font it embeds, in every PDF. Starting from a full system font
(750 KB, 6 000 glyphs) that work dominates the rendering time; starting from a font that
already holds only the ~400 glyphs a French letter can use, it is cheap. Shipping the
fonts also means that the letters never depend on the fonts of the machine that renders
them: the same PDF bytes on a laptop and on CI.

The .ttf files are generated once and committed. To regenerate them (for instance to add
characters), run:

    .venv/bin/python -m tools.polices [/usr/share/fonts/truetype/dejavu]

DejaVu fonts are free (Bitstream Vera licence, with DejaVu changes in the public domain);
the licence is copied beside the fonts.
"""

from __future__ import annotations

import logging
import sys
from pathlib import Path

from fontTools import subset
from fontTools.ttLib import TTFont

from campaign.ecrire.gabarits import dossier_gabarits
from campaign.lire.police import DESSINES

SOURCE = Path("/usr/share/fonts/truetype/dejavu")
CIBLE = dossier_gabarits() / "fonts"

# file in the source folder -> file shipped (the CSS @font-face rules name the latter)
POLICES = {
    "DejaVuSans.ttf": "courrier-regulier.ttf",
    "DejaVuSans-Bold.ttf": "courrier-gras.ttf",
    "DejaVuSans-Oblique.ttf": "courrier-italique.ttf",
}

# The characters cut into the fonts: Basic Latin, Latin-1, Latin Extended-A (Œ, œ, Ÿ, and the
# names of neighbouring languages), general punctuation (dashes, quotes, ellipsis, bullet,
# narrow no-break space used by Babel as thousands separator), the euro sign, arrows (a reduced
# amount: "2 563,00 € → 0,00 €"), numero and trade marks. One list for the fonts and for the
# reader, which replaces what they cannot draw (campaign.lire.police).
PLAGES = DESSINES


def unicodes() -> list[int]:
    return [u for debut, fin in PLAGES for u in range(debut, fin + 1)]


def generer(source: Path = SOURCE, cible: Path = CIBLE) -> list[Path]:
    """Write the subset fonts into `cible`; byte-identical from one run to the next."""
    logging.getLogger("fontTools.subset").setLevel(logging.ERROR)  # "FFTM dropped": expected
    cible.mkdir(parents=True, exist_ok=True)
    options = subset.Options()
    options.layout_features = []
    options.hinting = False  # PDF viewers do not use TrueType hinting
    options.desubroutinize = True
    options.name_IDs = ["*"]  # keep the copyright and licence names
    options.notdef_outline = True
    # MATH and FontForge stamps: unused. GPOS/GSUB: WeasyPrint drops them from every PDF
    # anyway, but fontTools decodes them for each letter (half the rendering time); kerning
    # stays, from the legacy `kern` table that HarfBuzz applies when there is no GPOS.
    options.drop_tables += ["MATH", "FFTM", "GPOS", "GSUB", "GDEF"]
    options.legacy_kern = True
    ecrits = []
    for nom_source, nom_cible in POLICES.items():
        police = TTFont(source / nom_source, recalcTimestamp=False)
        sous_ensemble = subset.Subsetter(options)
        sous_ensemble.populate(unicodes=unicodes())
        sous_ensemble.subset(police)
        chemin = cible / nom_cible
        police.save(chemin)
        ecrits.append(chemin)
    licence = source.parent.parent.parent / "doc" / "fonts-dejavu-core" / "copyright"
    texte = licence.read_text(encoding="utf-8") if licence.is_file() else _LICENCE
    (cible / "LICENCE-DejaVu.txt").write_text(texte, encoding="utf-8")
    return ecrits


_LICENCE = """Fonts are (c) Bitstream (see below). DejaVu changes are in public domain.
Bitstream Vera Fonts Copyright (c) 2003 by Bitstream, Inc. All Rights Reserved. Bitstream
Vera is a trademark of Bitstream, Inc. Permission is hereby granted, free of charge, to any
person obtaining a copy of the fonts accompanying this license ("Fonts") and associated
documentation files (the "Font Software"), to reproduce and distribute the Font Software,
including without limitation the rights to use, copy, merge, publish, distribute, and/or
sell copies of the Font Software, and to permit persons to whom the Font Software is
furnished to do so, subject to the conditions of the Bitstream Vera licence
(https://dejavu-fonts.github.io/License.html).
"""


if __name__ == "__main__":
    for p in generer(Path(sys.argv[1]) if len(sys.argv) > 1 else SOURCE):
        print(f"{p} ({p.stat().st_size // 1024} Ko)")

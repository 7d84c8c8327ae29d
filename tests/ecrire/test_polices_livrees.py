"""The letters are written in the shipped fonts only: every character the program itself can
put in a letter is in them (a character missing there is drawn in whatever font the machine
has, and the same letter differs from one machine to another)."""

from __future__ import annotations

import html
import io
from pathlib import Path

import pytest
from fontTools.ttLib import TTFont
from pypdf import PdfReader

from campaign.ecrire.courriers.pdf import rendu as rendu_pdf
from campaign.ecrire.courriers.pdf import sous_ensembles
from campaign.ecrire.gabarits import dossier_gabarits

RACINE = Path(__file__).resolve().parents[2]
POLICES = sorted((dossier_gabarits() / "fonts").glob("*.ttf"))
# where the letters' and minutes' own words come from (not the workbooks' writers)
SOURCES = [
    *sorted((RACINE / "campaign" / "decider").rglob("*.py")),
    *sorted((RACINE / "campaign" / "decider").rglob("*.yaml")),
    *sorted((RACINE / "campaign" / "ecrire").glob("courrier*.py")),
    RACINE / "campaign" / "ecrire" / "proces_verbal.py",
    *sorted(dossier_gabarits().glob("*.j2")),
    RACINE / "campaign" / "formats.py",
    RACINE / "campaign" / "textes_juridiques.py",
    RACINE / "campaign" / "formulaire.py",
]


def _caracteres() -> dict[str, str]:
    """Every non-ASCII character of the sources -> where it is first seen."""
    vus: dict[str, str] = {}
    for source in SOURCES:
        for numero, ligne in enumerate(source.read_text(encoding="utf-8").splitlines(), 1):
            for c in ligne:
                if ord(c) > 0x7E:
                    vus.setdefault(c, f"{source.relative_to(RACINE)}:{numero}")
    return vus


@pytest.mark.parametrize("police", POLICES, ids=lambda p: p.name)
def test_every_character_of_the_letters_is_in_the_shipped_font(police):
    table = TTFont(police).getBestCmap()
    absents = {f"U+{ord(c):04X} {c}": ou for c, ou in _caracteres().items() if ord(c) not in table}
    assert not absents, (
        f"à ajouter à campaign/lire/police.DESSINES, puis regénérer les polices "
        f"(tools/polices.py) : {absents}"
    )


@pytest.mark.parametrize("police", POLICES, ids=lambda p: p.name)
def test_the_socle_is_in_the_shipped_font(police):
    table = TTFont(police).getBestCmap()
    assert [c for c in sous_ensembles.SOCLE if ord(c) not in table] == []


def test_a_letter_of_the_program_s_own_signs_embeds_only_the_shipped_fonts():
    texte = "".join(_caracteres()) + sous_ensembles.SOCLE
    page = rendu_pdf.PAGE_ECHAUFFEMENT.format(socle=html.escape(texte))
    lecteur = PdfReader(io.BytesIO(rendu_pdf.pdf(page)))
    noms = {
        str(police.get_object()["/BaseFont"])
        for feuille in lecteur.pages
        for police in feuille["/Resources"]["/Font"].values()
    }
    assert noms and all(nom.endswith("+Courrier-Sans") or "Courrier-Sans-" in nom for nom in noms), noms

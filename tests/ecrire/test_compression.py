"""The letters' streams deflated at zlib's default level: every stream of a letter is exactly
what level 6 makes of its content (not level 9, pydyf's own), the same text and pixels as at
level 9, and pydyf left as it was found after the letter."""

from __future__ import annotations

import contextlib
import re
import zlib
from pathlib import Path

import pydyf
from lecture_pdf import pixels, texte

from campaign.ecrire.courriers import rendu as courriers
from campaign.ecrire.courriers.pdf import compression
from campaign.ecrire.courriers.pdf import rendu as rendu_pdf

PAGE = """<!DOCTYPE html><html lang="fr"><head><meta charset="utf-8"><title>Essai</title>
<meta name="dcterms.created" content="2026-11-28"><meta name="dcterms.modified" content="2026-11-28">
</head><body><h1>Décision</h1><p>Mairie de Crest — 2 563,00 € → 0,00 €</p>
<table><tr><td>C1</td><td>Accordé</td></tr></table></body></html>"""
EN_TETE = re.compile(rb"<<((?:(?!>>\nstream\n).)*?)>>\nstream\n", re.S)


def _flux(contenu: bytes) -> list[bytes]:
    """The deflated streams of a PDF, as stored (each dictionary gives its /Length)."""
    flux = []
    for m in EN_TETE.finditer(contenu):
        if b"/FlateDecode" in m.group(1):
            longueur = int(re.search(rb"/Length (\d+)", m.group(1)).group(1))
            flux.append(contenu[m.end() : m.end() + longueur])
    return flux


def _deflate(brut: bytes, niveau: int) -> bytes:
    c = zlib.compressobj(niveau)
    return c.compress(brut) + c.flush()


def test_every_stream_is_deflated_at_the_default_level_not_at_pydyf_s():
    flux = _flux(courriers.pdf(PAGE))
    assert len(flux) >= 5  # page, fonts, maps, metadata, object streams
    bruts = [zlib.decompress(f) for f in flux]
    assert [_deflate(b, compression.NIVEAU) for b in bruts] == flux
    assert [_deflate(b, 9) for b in bruts] != flux  # the test tells the two levels apart


def test_the_same_text_and_pixels_as_at_level_9(monkeypatch, tmp_path: Path):
    defaut = courriers.pdf(PAGE)
    monkeypatch.setattr(rendu_pdf.compression, "niveau_par_defaut", contextlib.nullcontext)
    neuf = courriers.pdf(PAGE)
    assert defaut != neuf
    assert texte(defaut, tmp_path, "defaut") == texte(neuf, tmp_path, "neuf")
    pages = pixels(defaut, tmp_path, "defaut")
    assert pages and pages == pixels(neuf, tmp_path, "neuf")


def test_pydyf_is_left_as_it_was_found_even_when_nested_or_failing():
    assert pydyf.zlib is zlib
    with compression.niveau_par_defaut():
        with compression.niveau_par_defaut():
            assert pydyf.zlib is not zlib
        assert pydyf.zlib is not zlib  # the outer block still holds
        assert pydyf.zlib.compress(b"x") == zlib.compress(b"x")  # the rest is zlib's own
    assert pydyf.zlib is zlib
    with contextlib.suppress(RuntimeError), compression.niveau_par_defaut():
        raise RuntimeError
    assert pydyf.zlib is zlib

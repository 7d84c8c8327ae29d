"""Font subsets made once: the same PDF bytes as WeasyPrint's own subsetting, letter by letter."""

from __future__ import annotations

import contextlib

from weasyprint.pdf.fonts import Font

from campaign.ecrire import courriers, rendu_pdf, sous_ensembles

PAGE = """<!DOCTYPE html><html lang="fr"><head><meta charset="utf-8"><title>Essai</title>
<meta name="dcterms.created" content="2026-11-28"><meta name="dcterms.modified" content="2026-11-28">
</head><body><h1>Décision</h1><p>{texte}</p><p><strong>Total : 1 234,56 €</strong></p></body></html>"""


def test_the_same_bytes_with_and_without_the_kept_subsets(monkeypatch):
    textes = ("Association Les Amis", "Mairie de Crest", "Association Les Amis")
    pages = [PAGE.format(texte=t) for t in textes]
    gardes = [courriers.pdf(p) for p in pages]
    sous_ensembles._faits.clear()
    assert Font.subset is sous_ensembles._original  # put back after each letter
    monkeypatch.setattr(rendu_pdf.sous_ensembles, "gardes", contextlib.nullcontext)
    assert [courriers.pdf(p) for p in pages] == gardes


def test_a_letter_with_the_same_glyphs_reuses_the_subset(monkeypatch):
    sous_ensembles._faits.clear()
    appels = []
    original = sous_ensembles._original
    monkeypatch.setattr(sous_ensembles, "_original", lambda *a: appels.append(1) or original(*a))
    courriers.pdf(PAGE.format(texte="Association Les Amis"))
    premiers = len(appels)
    courriers.pdf(PAGE.format(texte="Association Les Amis"))
    courriers.pdf(PAGE.format(texte="Les Amis Association"))  # the same glyphs, in another order
    assert premiers > 0 and len(appels) == premiers
    courriers.pdf(PAGE.format(texte="Zoé à Œuvre"))  # new glyphs: a new subset of that font
    assert len(appels) > premiers

"""Font subsets made once per process, cut to the socle of a French letter: the same text and
the same pixels as WeasyPrint's own subsetting, and one subset for nearly every letter."""

from __future__ import annotations

import contextlib

from lecture_pdf import pixels, texte
from weasyprint.pdf.fonts import Font

from campaign.ecrire.courriers import rendu as courriers
from campaign.ecrire.courriers.pdf import rendu as rendu_pdf
from campaign.ecrire.courriers.pdf import sous_ensembles

PAGE = """<!DOCTYPE html><html lang="fr"><head><meta charset="utf-8"><title>Essai</title>
<meta name="dcterms.created" content="2026-11-28"><meta name="dcterms.modified" content="2026-11-28">
</head><body><h1>Décision</h1><p>{texte}</p><p><strong>Total : 1 234,56 €</strong> <em>{texte}</em></p>
</body></html>"""


def _appels(monkeypatch) -> list:
    sous_ensembles._faits.clear()
    appels: list = []
    original = sous_ensembles._original
    monkeypatch.setattr(sous_ensembles, "_original", lambda *a: appels.append(1) or original(*a))
    return appels


def test_the_same_text_and_pixels_as_weasyprint_s_own_subsets(monkeypatch, tmp_path):
    textes = ("Association Les Amis", "Mairie de Crest — 2 563,00 € → 0,00 €", "Łódź, Ștefan")
    pages = [PAGE.format(texte=t) for t in textes]
    gardes = [courriers.pdf(p) for p in pages]
    assert Font.subset is sous_ensembles._original  # put back after each letter
    monkeypatch.setattr(rendu_pdf.sous_ensembles, "gardes", contextlib.nullcontext)
    propres = [courriers.pdf(p) for p in pages]
    for i, (garde, propre) in enumerate(zip(gardes, propres)):
        assert garde != propre  # more glyphs embedded than drawn
        assert texte(garde, tmp_path, f"g{i}") == texte(propre, tmp_path, f"p{i}")
        assert pixels(garde, tmp_path, f"g{i}") == pixels(propre, tmp_path, f"p{i}")


def test_letters_within_the_socle_share_one_subset_per_font(monkeypatch):
    appels = _appels(monkeypatch)
    courriers.pdf(PAGE.format(texte="Association Les Amis"))
    premiers = len(appels)
    courriers.pdf(PAGE.format(texte="Mairie de Crest, 26400 : « Œuvre » à Zoé — 12 € ; −3 → 0"))
    assert premiers == 3 and len(appels) == premiers  # regular, bold, italic: made once
    courriers.pdf(PAGE.format(texte="Łódź"))  # beyond the socle: a subset of its own
    assert len(appels) > premiers


def test_the_warm_up_makes_the_subsets_of_the_letters(monkeypatch):
    appels = _appels(monkeypatch)
    rendu_pdf.echauffer(rendu_pdf.dossiers_gabarits())
    assert len(appels) == 3
    courriers.pdf(PAGE.format(texte="Centre social Émile-Zola, 14 rue de l’Œuvre"))
    assert len(appels) == 3


def test_a_broken_template_folder_does_not_break_the_warm_up(tmp_path):
    (tmp_path / "courrier.css").write_text("@font-face { src: url(nulle-part.ttf) } p { color: ", "utf-8")
    rendu_pdf.echauffer((tmp_path, *rendu_pdf.dossiers_gabarits()))  # no exception


def test_the_patch_is_pinned_to_the_versions_it_was_written_for():
    """WeasyPrint's `Font.subset` is private: another version of WeasyPrint or fontTools may
    change what it does or how it is called. Then this fails, before any letter does: check
    the patch against the new code, then update ECRIT_POUR."""
    import inspect
    from importlib.metadata import version

    from weasyprint.pdf.fonts import Font

    assert {nom: version(nom) for nom in sous_ensembles.ECRIT_POUR} == sous_ensembles.ECRIT_POUR
    assert list(inspect.signature(sous_ensembles._original).parameters) == ["self", "to_unicode", "hinting"]
    assert Font.subset is sous_ensembles._original  # put back once no letter renders

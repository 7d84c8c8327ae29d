"""A Caf's own templates folder (`[caf] gabarits`): checked when read, looked up first, the
shipped templates for whatever it lacks, and only its files and the shipped ones served."""

from __future__ import annotations

import datetime as dt
import re
import shutil
from pathlib import Path

import pytest
from chemins import EXEMPLE
from pypdf import PdfReader

from campaign.ecrire.courriers import rendu as courriers
from campaign.ecrire.courriers.pdf.rendu import RecuperateurGabarits
from campaign.ecrire.gabarits import chercher, dossier_gabarits, dossiers_gabarits
from campaign.erreurs import CampaignError
from campaign.lire.campagne import charger_campagne
from campaign.run import cache_courriers, pipeline
from campaign.run import courriers as courriers_run

MARQUE = "Lettre à l’en-tête propre de la Caf"
LOGO = '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect width="10" height="10"/></svg>'


def _campagne(base: Path, gabarits: str | None, dossiers: int = 2) -> Path:
    """The example campagne cut to its first dossiers, with `[caf] gabarits` when given."""
    entree = base / "campagne"
    entree.mkdir(parents=True, exist_ok=True)
    for chemin in sorted(EXEMPLE.glob("dossier_*.xlsx"))[:dossiers]:
        shutil.copy2(chemin, entree)
    toml = (EXEMPLE / "campagne.toml").read_text(encoding="utf-8")
    if gabarits is not None:
        toml = toml.replace("[caf]\n", f'[caf]\ngabarits = "{gabarits}"\n', 1)
    (entree / "campagne.toml").write_text(toml, encoding="utf-8")
    return entree


def _gabarits_caf(dossier: Path) -> Path:
    """A Caf folder holding only its letterhead (with a logo) and the logo."""
    dossier.mkdir(parents=True)
    entete = (dossier_gabarits() / "_entete.html.j2").read_text(encoding="utf-8")
    entete = entete.replace(
        '<p class="caf-nom">', f'<img src="logo.svg" alt=""><p>{MARQUE}</p><p class="caf-nom">', 1
    )
    (dossier / "_entete.html.j2").write_text(entete, encoding="utf-8")
    (dossier / "logo.svg").write_text(LOGO, encoding="utf-8")
    return dossier


def test_the_shipped_folder_holds_the_letter():
    assert (dossier_gabarits() / courriers.GABARIT).is_file()
    assert dossiers_gabarits() == (dossier_gabarits(),) == dossiers_gabarits(dossier_gabarits())


def test_without_the_key_the_shipped_templates(tmp_path):
    assert charger_campagne(_campagne(tmp_path, None)).gabarits is None


@pytest.mark.parametrize("valeur", ["absent", ""])
def test_a_missing_folder_stops_the_run(tmp_path, valeur):
    with pytest.raises(CampaignError, match=r"caf\.gabarits") as exc:
        charger_campagne(_campagne(tmp_path, valeur))
    assert "campagne.toml" in str(exc.value)


def test_a_folder_that_is_a_file_stops_the_run(tmp_path):
    entree = _campagne(tmp_path, "entete.html")
    (entree / "entete.html").write_text("<p>x</p>", encoding="utf-8")
    with pytest.raises(CampaignError, match="n'existe pas"):
        charger_campagne(entree)


def test_the_caf_folder_first_then_the_shipped_one(tmp_path):
    propres = _gabarits_caf(tmp_path / "gabarits-caf")
    dossiers = dossiers_gabarits(propres)
    assert dossiers == (propres.resolve(), dossier_gabarits())
    assert chercher("_entete.html.j2", dossiers) == propres.resolve() / "_entete.html.j2"
    assert chercher("courrier.css", dossiers) == dossier_gabarits() / "courrier.css"
    assert cache_courriers.empreinte_gabarits(dossiers) != cache_courriers.empreinte_gabarits()


def test_the_fetcher_serves_both_folders_and_nothing_else(tmp_path):
    propres = _gabarits_caf(tmp_path / "gabarits-caf")
    (tmp_path / "secret.txt").write_text("secret", encoding="utf-8")
    (propres / "lien.txt").symlink_to(tmp_path / "secret.txt")
    recuperateur = RecuperateurGabarits(dossiers_gabarits(propres))
    assert recuperateur.fetch((propres / "logo.svg").as_uri()).read() == LOGO.encode()
    # a stylesheet of the Caf asking for the fonts beside it gets the shipped ones
    police = recuperateur.fetch((propres / "fonts" / "courrier-gras.ttf").as_uri()).read()
    assert police == (dossier_gabarits() / "fonts" / "courrier-gras.ttf").read_bytes()
    for url in (
        (propres / "lien.txt").as_uri(),
        (tmp_path / "secret.txt").as_uri(),
        (propres / ".." / "secret.txt").as_uri(),
        (propres / "absent.png").as_uri(),
    ):
        with pytest.raises(ValueError):
            recuperateur.fetch(url)


def test_the_letters_use_the_caf_letterhead(tmp_path, monkeypatch):
    _gabarits_caf(tmp_path / "campagne" / "gabarits-caf")
    entree = _campagne(tmp_path, "gabarits-caf")
    campagne = charger_campagne(entree)
    assert campagne.gabarits == entree / "gabarits-caf"
    lectures = pipeline.lire(entree)
    tables, anomalies, etats = pipeline.valider(lectures)
    resultat = pipeline.decider(campagne, lectures, tables, anomalies, etats)
    demandes: list[str] = []
    original = RecuperateurGabarits.fetch

    def espion(self, url, headers=None):
        demandes.append(url)
        return original(self, url, headers)

    monkeypatch.setattr(RecuperateurGabarits, "fetch", espion)  # one process: processus=1
    bilan = courriers_run.ecrire_courriers(
        resultat, tmp_path / "sortie", dt.date(2026, 12, 1), cache=tmp_path / "cache", processus=1
    )
    assert bilan["rendus"] == 2
    for nom in bilan["fichiers"][:-1]:
        texte = " ".join(p.extract_text() for p in PdfReader(tmp_path / "sortie" / nom).pages)
        assert MARQUE in re.sub(r"\s+", " ", texte)
        assert "Valence, le 1er décembre 2026" in re.sub(r"\s+", " ", texte)  # the rest of the letterhead
    assert any(u.endswith("/gabarits-caf/logo.svg") for u in demandes)
    assert any(u.endswith("/fonts/courrier-regulier.ttf") for u in demandes)  # shipped fonts


@pytest.mark.parametrize("entete", ["{{ vue.caf.inconnu }}", "{% if %}", '{% include "absent.j2" %}'])
def test_an_error_in_a_caf_template_is_a_sentence(tmp_path, entete):
    propres = tmp_path / "campagne" / "gabarits-caf"
    propres.mkdir(parents=True)
    (propres / "_entete.html.j2").write_text(entete, encoding="utf-8")
    entree = _campagne(tmp_path, "gabarits-caf", dossiers=1)
    campagne = charger_campagne(entree)
    lectures = pipeline.lire(entree)
    tables, anomalies, etats = pipeline.valider(lectures)
    resultat = pipeline.decider(campagne, lectures, tables, anomalies, etats)
    with pytest.raises(CampaignError, match=r"gabarit du dossier de la Caf .*gabarits-caf"):
        courriers_run.ecrire_courriers(
            resultat, tmp_path / "sortie", dt.date(2026, 12, 1), cache=None, processus=1
        )

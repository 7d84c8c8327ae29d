"""Text as it really comes (dossier.md §7): normalised before checked, hidden and reordering
characters removed, characters the letters cannot print reported and replaced."""

from __future__ import annotations

import csv
import unicodedata
from pathlib import Path

import pytest
from chemins import copier_campagne_toml_livree
from classeurs import ecrire_classeur
from fontTools.ttLib import TTFont
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from campaign.cli import main
from campaign.lire.caracteres import chiffres, nettoyer
from campaign.lire.police import DESSINES, dessine, imprimable
from campaign.run import pipeline

RACINE = Path(__file__).parents[2]
LIVREE = RACINE / "inputs" / "2026-2027"
INTERDITS = (
    set(range(0x00, 0x20)) - {0x0A}
    | set(range(0x7F, 0xA0))
    | set(range(0x200B, 0x2010))
    | set(range(0x202A, 0x202F))
    | set(range(0x2060, 0x2065))
    | set(range(0x2066, 0x206A))
    | {0xFEFF}
)
# the characters to mix into any text: the forbidden ones, emoji, marks, other scripts' digits
_MELANGE = st.sampled_from(
    sorted(map(chr, INTERDITS)) + ["😀", "\u0301", "Ж", "٣", "５", "ﬁ", "\u2028", "é", "\r\n", "_x0007_"]
)
TEXTES = st.lists(st.one_of(st.text(max_size=5), _MELANGE), max_size=12).map("".join)


def _interdits(texte: str) -> set[str]:
    return {ch for ch in texte if ord(ch) in INTERDITS}


@given(TEXTES)
@settings(max_examples=400)
def test_aucun_caractere_cache_ne_survit_au_lecteur(texte):
    propre = nettoyer(texte)
    assert not _interdits(propre), ascii(propre)
    assert unicodedata.is_normalized("NFC", propre)
    imprime, _ = imprimable(propre)
    assert all(map(dessine, imprime)) and not _interdits(imprime)


def test_dessines_est_la_table_des_polices_des_courriers():
    tables = [
        set(TTFont(p).getBestCmap()) for p in sorted((RACINE / "templates" / "fonts").glob("courrier-*.ttf"))
    ]
    assert len(tables) == 3
    attendu = set.intersection(*tables)
    assert {c for debut, fin in DESSINES for c in range(debut, fin + 1)} == attendu


@pytest.mark.parametrize(
    "brut, attendu",
    [
        ("Vivre \u202eexe.gpj", "Vivre exe.gpj"),
        ("a\u200bb\u2060c\ufeffd\u2066e\u2069", "abcde"),
        ("cloche\x07_x0007_ ici", "cloche ici"),
        ("ligne\r\nsuite\tfin", "ligne\nsuite fin"),
        ("e\u0301", "é"),
    ],
)
def test_nettoyer(brut, attendu):
    assert nettoyer(brut) == attendu


@pytest.mark.parametrize(
    "brut, attendu",
    [
        ("５６９７８８０９４０１１５１", "56978809401151"),
        ("٢٦٠٠٠", "26000"),
        ("१२", "12"),
        ("1 ２00,５0", "1 200,50"),
    ],
)
def test_chiffres(brut, attendu):
    assert chiffres(brut) == attendu


@pytest.mark.parametrize(
    "brut, attendu, signales",
    [
        ("Club 😀 lecture", "Club  lecture", ("😀",)),
        ("Nguyễn", "Nguyên", ("ễ",)),
        ("ﬁnances Ａ", "finances A", ()),
        ("Łódź", "Łódź", ()),
    ],
)
def test_imprimable(brut, attendu, signales):
    assert imprimable(brut) == (attendu, signales)


def _lire(dossier: Path):
    tables, anomalies, etats = pipeline.valider(pipeline.lire(dossier))
    return tables, anomalies, etats


SIRET = "73282932000074"
PLEINE_CHASSE = SIRET.translate({ord(c): 0xFF10 + int(c) for c in "0123456789"})
ARABE = SIRET.translate({ord(c): 0x0660 + int(c) for c in "0123456789"})


@pytest.mark.parametrize("siret", [PLEINE_CHASSE, ARABE])
def test_chiffres_d_autres_ecritures_lus_en_ascii_et_doublon_detecte(tmp_path, siret):
    ecrire_classeur(tmp_path / "a.xlsx")
    ecrire_classeur(
        tmp_path / "b.xlsx",
        porteur={"siret": siret, "code_postal": "２６０００"},
        collectifs=[{"enfants": "١٠", "semaines": "３０"}],
        budget={"C64": "１０ ０００", "P74-COMMUNE": "٣٠٠٠"},
    )
    tables, anomalies, etats = _lire(tmp_path)
    porteur = tables["Porteur"].valeurs.set_index("fichier")
    assert porteur.loc["b.xlsx", "siret"] == SIRET and porteur.loc["b.xlsx", "code_postal"] == "26000"
    doublons = {a.fichier for a in anomalies if a.code == "DOUBLON-SIRET"}
    assert doublons == {"a.xlsx", "b.xlsx"} and etats["b.xlsx"] == "INCOMPLET"
    assert [a.code for a in anomalies if a.fichier == "b.xlsx"] == ["DOUBLON-SIRET"]
    collectifs = tables["Collectifs"].valeurs.set_index("fichier")
    assert (collectifs.loc["b.xlsx", "enfants"], collectifs.loc["b.xlsx", "semaines"]) == (10, 30)
    budget = tables["Budget"].valeurs.set_index("fichier")
    assert (budget.loc["b.xlsx", "C64"], budget.loc["b.xlsx", "P74-COMMUNE"]) == (1_000_000, 300_000)


def test_caracteres_non_imprimables_signales_une_fois_par_fichier(tmp_path):
    ecrire_classeur(
        tmp_path / "d.xlsx",
        porteur={"nom": "Les Lucioles 🌟", "commune": "Die 🌟"},
        collectifs=[{"lieu": "Salle Ж"}],
    )
    tables, anomalies, etats = _lire(tmp_path)
    signalees = [a for a in anomalies if a.code == "CARACTERE-NON-IMPRIMABLE"]
    assert len(signalees) == 1 and signalees[0].gravite == "AVERTISSEMENT" and etats["d.xlsx"] == "TRAITE"
    a = signalees[0]
    assert (a.feuille, a.cellule) == ("Porteur", "B1")
    assert "U+1F31F en Porteur!B1" in a.message and "U+0416 en Collectifs!" in a.message
    assert all(map(dessine, a.message))
    assert tables["Porteur"].valeurs.iloc[0]["nom"] == "Les Lucioles"


def _sorties(sortie: Path) -> list[tuple[str, str]]:
    """(file name, text) of every output file, PDFs by their name only."""
    textes = []
    for p in sorted(sortie.rglob("*")):
        if p.is_file():
            texte = "" if p.suffix in (".pdf", ".xlsx") else p.read_text(encoding="utf-8", errors="replace")
            textes.append((p.relative_to(sortie).as_posix(), texte))
    return textes


@settings(max_examples=3, deadline=None, suppress_health_check=list(HealthCheck))
@given(texte=TEXTES.filter(lambda t: _interdits(t)))
def test_de_bout_en_bout_aucun_caractere_cache_dans_les_sorties(tmp_path_factory, texte):
    """A run on a dossier whose texts hold hidden characters: none in any output file's name or
    text (CSVs, manifest), nor in synthese.xlsx's cells (letters left out: --sans-courriers)."""
    from openpyxl import load_workbook
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    campagne = tmp_path_factory.mktemp("campagne")
    copier_campagne_toml_livree(campagne)
    # the controls an .xlsx cannot hold as such are written as Excel does: `_x0007_`
    texte = ILLEGAL_CHARACTERS_RE.sub(lambda m: f"_x{ord(m.group()):04X}_", texte)
    ecrire_classeur(
        campagne / "d.xlsx",
        porteur={"nom": f"Asso {texte}x", "adresse": f"1 rue {texte}", "representant": f"Ana {texte}"},
        collectifs=[{"lieu": f"Salle {texte}", "code": f"C{texte}1"}],
    )
    sortie = campagne.parent / f"{campagne.name}-s"
    main(["run", str(campagne), "--out", str(sortie), "--sans-courriers"])
    for nom, contenu in _sorties(sortie):
        assert not _interdits(nom) and not _interdits(contenu), (nom, ascii(contenu[:200]))
    classeur = load_workbook(sortie / "synthese.xlsx", read_only=True)
    for ws in classeur.worksheets:
        for ligne in ws.iter_rows(values_only=True):
            for v in ligne:
                assert not (isinstance(v, str) and _interdits(v)), ascii(v)
    with (sortie / "anomalies.csv").open(encoding="utf-8", newline="") as f:
        for r in csv.DictReader(f):
            assert not any(_interdits(v or "") for v in r.values())


CACHES = "\u202egpj.exe\u202c\u200b\u2066\ufeff\u0007"  # a reordering, zero-width, isolate, BOM, BEL


def test_aucun_caractere_cache_dans_les_courriers_ni_les_objets_des_courriels(tmp_path):
    """The letters and the e-mails too (sorties.md §4): a dossier whose name, address, contact
    and collectif hold hidden characters gives PDFs whose text, file names and e-mail subjects
    hold none (the dry run of envoyer writes each e-mail it would send)."""
    import email
    import email.policy
    import subprocess

    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    campagne = tmp_path / "campagne"
    campagne.mkdir()
    copier_campagne_toml_livree(campagne)
    texte = ILLEGAL_CHARACTERS_RE.sub(lambda m: f"_x{ord(m.group()):04X}_", CACHES)
    ecrire_classeur(
        campagne / "d.xlsx",
        porteur={"nom": f"Vivre {texte}", "adresse": f"1 rue {texte}", "representant": f"Ana {texte}"},
        collectifs=[{"lieu": f"Salle {texte}"}],
    )
    ecrire_classeur(  # an INCOMPLET one: its completion request is e-mailed
        campagne / "e.xlsx",
        porteur={"nom": f"Autre {texte}", "siret": "552 100 554 00025", "contact_courriel": "a@b.example"},
        collectifs=[{"enfants": "douze"}],
    )
    sortie = tmp_path / "sortie"
    assert main(["run", str(campagne), "--out", str(sortie)]) in (0, 1)
    pdfs = sorted((sortie / "courriers").glob("*.pdf"))
    assert len(pdfs) == 2
    for pdf in pdfs:
        assert not _interdits(pdf.name)
        contenu = subprocess.run(
            ["pdftotext", str(pdf), "-"], check=True, capture_output=True, text=True
        ).stdout
        assert not _interdits(contenu.replace("\f", "")), ascii(contenu[:300])
        assert "Vivre gpj.exe" in contenu or "Autre gpj.exe" in contenu  # as typed, minus what hid it
    assert main(["envoyer", str(campagne), "--out", str(sortie)]) in (0, 1)
    apercus = sorted((sortie / "envoi" / "apercu").glob("*.eml"))
    assert apercus
    for apercu in apercus:
        message = email.message_from_bytes(apercu.read_bytes(), policy=email.policy.default)
        assert not _interdits(str(message["Subject"])) and not _interdits(apercu.name)

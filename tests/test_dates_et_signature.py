"""Dates that cannot contradict each other, and the signature's image (comite.md §5, sorties.md
§4): read from campagne.toml, checked before anything is written, carried by the letters."""

from __future__ import annotations

import base64
import csv
import io
import os
import zlib
from pathlib import Path

import pytest
from pypdf import PdfReader

from campaign.cli import main

pytestmark = pytest.mark.lent  # make test-rapide leaves it out


def _png(largeur: int = 60, hauteur: int = 20) -> bytes:
    """A small real PNG (a grey stroke), written without any library."""

    def morceau(nature: bytes, donnees: bytes) -> bytes:
        corps = nature + donnees
        return len(donnees).to_bytes(4, "big") + corps + zlib.crc32(corps).to_bytes(4, "big")

    lignes = b"".join(
        b"\x00" + bytes(80 if y == hauteur // 2 else 255 for _ in range(largeur)) for y in range(hauteur)
    )
    entete = largeur.to_bytes(4, "big") + hauteur.to_bytes(4, "big") + bytes([8, 0, 0, 0, 0])
    return (
        b"\x89PNG\r\n\x1a\n"
        + morceau(b"IHDR", entete)
        + morceau(b"IDAT", zlib.compress(lignes))
        + morceau(b"IEND", b"")
    )


def _ajouter(campagne: Path, table: str, lignes: str) -> None:
    chemin = campagne / "campagne.toml"
    texte = chemin.read_text(encoding="utf-8")
    assert f"[{table}]\n" in texte
    chemin.write_text(texte.replace(f"[{table}]\n", f"[{table}]\n{lignes}\n", 1), encoding="utf-8")


def _refus(campagne: Path, tmp_path: Path, capsys, *options: str) -> str:
    assert main(["run", str(campagne), "--out", str(tmp_path / "s"), *options]) == 2
    err = capsys.readouterr().err
    assert err.startswith("Erreur : ") and "interne" not in err
    assert not os.path.lexists(tmp_path / "s")
    return err


@pytest.mark.parametrize("date", ["0001-01-01", "9999-12-31", "2025-06-01", "2028-07-01"])
def test_une_date_des_courriers_a_plus_d_un_an_arrete_la_campagne(campagne, tmp_path, capsys, date):
    err = _refus(campagne, tmp_path, capsys, "--date-courrier", date)
    assert "est à plus d'un an du jour" in err and "--date-courrier" in err


def test_une_seance_avant_la_campagne_arrete_la_campagne(campagne, tmp_path, capsys):
    (campagne / "comite").mkdir(exist_ok=True)
    (campagne / "comite" / "avis.xlsx").write_bytes(b"")
    with (campagne / "campagne.toml").open("a", encoding="utf-8") as f:
        f.write('\n[[comite]]\ndate = 2019-01-20\navis = "comite/avis.xlsx"\n')
    err = _refus(campagne, tmp_path, capsys, "--sans-courriers")
    assert "la séance du 2019-01-20 précède la campagne" in err


@pytest.mark.parametrize(
    ("contenu", "phrase"), [(b"GIF89a", "n'est pas une image PNG"), (None, "introuvable")]
)
def test_une_signature_illisible_ou_absente_est_nommee(campagne, tmp_path, capsys, contenu, phrase):
    if contenu is not None:
        (campagne / "signature.png").write_bytes(contenu)
    _ajouter(campagne, "caf", 'signature = "signature.png"')
    assert phrase in _refus(campagne, tmp_path, capsys, "--sans-courriers")


def _images(pdf: Path) -> int:
    """Image XObjects drawn on the PDF's pages (the PROJET mark is paths, not an image)."""
    n = 0
    for page in PdfReader(pdf).pages:
        objets = page["/Resources"].get("/XObject", {})
        for objet in objets.values():
            objet = objet.get_object()
            if objet.get("/Subtype") == "/Image":
                n += 1
            elif objet.get("/Subtype") == "/Form":
                sous = objet.get("/Resources", {}).get("/XObject", {})
                n += sum(1 for o in sous.values() if o.get_object().get("/Subtype") == "/Image")
    return n


def test_la_signature_est_sur_les_courriers_definitifs_jamais_sur_un_projet(campagne, tmp_path):
    (campagne / "signature.png").write_bytes(_png())
    _ajouter(campagne, "caf", 'signature = "signature.png"')
    sortie = tmp_path / "sortie"
    assert main(["run", str(campagne), "--out", str(sortie)]) in (0, 1)
    with (sortie / "publipostage.csv").open(encoding="utf-8") as f:
        lettres = list(csv.DictReader(f))
    completions = [r for r in lettres if r["nature"] == "DEMANDE-COMPLEMENT"]
    projets = [r for r in lettres if r["nature"] == "PROPOSITION"]
    assert completions and projets
    for r in completions:  # final letters carry the image, above the signatory's name
        assert _images(sortie / r["courrier"]) == 1, r["courrier"]
    for r in projets:
        assert _images(sortie / r["courrier"]) == 0, r["courrier"]
    # the image is the campagne's: changing it makes the letters again (the cache knows it)
    (campagne / "signature.png").write_bytes(_png(80, 24))
    assert main(["run", str(campagne), "--out", str(sortie)]) in (0, 1)
    page = PdfReader(sortie / completions[0]["courrier"]).pages[0]
    largeurs = [
        o.get_object()["/Width"]
        for o in page["/Resources"].get("/XObject", {}).values()
        if o.get_object().get("/Subtype") == "/Image"
    ]
    assert largeurs == [80]


def test_le_png_de_test_est_une_vraie_image():
    from PIL import Image

    assert Image.open(io.BytesIO(_png())).size == (60, 20)
    assert base64.b64encode(_png())  # and travels as a data: URI

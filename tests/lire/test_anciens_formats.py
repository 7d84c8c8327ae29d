"""Old formats (issue 9, defect 12): an .xls made by LibreOffice from shipped dossiers gives
the same decisions as its .xlsx; an .xls far beyond the form is refused before the reader
allocates it; an encrypted workbook says "mot de passe".

.xlsb: python-calamine reads it, but LibreOffice cannot write one, so no fixture is made
here; its sheets' range is checked after reading only (`classeur.ouvrir`)."""

from __future__ import annotations

import csv
import shutil
import struct
import subprocess
from pathlib import Path

import pytest
from bombes import LIBREOFFICE, cellule_lointaine, mesurer

from campaign.cli import main
from campaign.lire.lecture import lire_fichier

RACINE = Path(__file__).parents[2]
LIVREE = RACINE / "inputs" / "2026-2027"
DOSSIERS = (
    "dossier_001_centre_social_coluche",
    "dossier_002_commune_de_romans_sur_isere",
    "defaut_oui_x",
    "defaut_date_impossible",
)
pytestmark = pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is needed")


def _en_xls(sources: list[Path], dossier: Path) -> None:
    dossier.mkdir(exist_ok=True)
    subprocess.run(
        ["soffice", "--headless", "--convert-to", "xls", "--outdir", str(dossier), *map(str, sources)],
        check=True,
        capture_output=True,
        timeout=180,
    )


def _decisions(sortie: Path) -> list[dict]:
    with (sortie / "decisions.csv").open(encoding="utf-8", newline="") as f:
        return [r | {"fichier": r["fichier"].rsplit(".", 1)[0]} for r in csv.DictReader(f)]


def _statuts(sortie: Path) -> dict[str, str]:
    with (sortie / "dossiers.csv").open(encoding="utf-8", newline="") as f:
        return {r["fichier"].rsplit(".", 1)[0]: r["statut"] for r in csv.DictReader(f)}


def test_xls_memes_decisions_que_xlsx(tmp_path):
    xlsx, xls = tmp_path / "xlsx", tmp_path / "xls"
    xlsx.mkdir()
    for nom in DOSSIERS:
        shutil.copy(LIVREE / f"{nom}.xlsx", xlsx)
    _en_xls(sorted(xlsx.iterdir()), xls)
    for dossier in (xlsx, xls):
        shutil.copy(LIVREE / "campagne.toml", dossier)
        main(["run", str(dossier), "--out", str(tmp_path / f"s-{dossier.name}"), "--sans-courriers"])
    assert sorted(p.suffix for p in xls.glob("dossier*")) == [".xls", ".xls"]
    assert _statuts(tmp_path / "s-xls") == _statuts(tmp_path / "s-xlsx")
    assert _decisions(tmp_path / "s-xls") == _decisions(tmp_path / "s-xlsx")
    assert len(_decisions(tmp_path / "s-xls")) > 0


def test_xls_d_une_cellule_lointaine_refuse_dans_les_bornes(tmp_path):
    loin = cellule_lointaine(
        LIBREOFFICE / "libreoffice.xlsx",
        tmp_path / "loin.xlsx",
        "IV65536",
        ("sheet1", "sheet2", "sheet3", "sheet4"),
    )
    _en_xls([loin], tmp_path / "xls")
    m = mesurer(tmp_path / "xls" / "loin.xls")
    assert m["codes"] == ["FEUILLE-TROP-GRANDE"] and "IV65536" in m["messages"][0]
    assert m["secondes"] < 2 and m["mo"] < 300, m  # python-calamine alone: 10 s and 2.5 GB


def _ole_chiffre() -> bytes:
    """A compound file holding an `EncryptionInfo` stream, as Office wraps an encrypted .xlsx."""
    entete = bytearray(512)
    entete[:8] = bytes.fromhex("d0cf11e0a1b11ae1")
    struct.pack_into("<HHH", entete, 24, 0x3E, 3, 0xFFFE)
    struct.pack_into("<H", entete, 30, 9)  # 512-byte sectors
    struct.pack_into("<II", entete, 44, 1, 1)  # one FAT sector; the directory in sector 1
    struct.pack_into("<109I", entete, 76, 0, *([0xFFFFFFFF] * 108))
    fat = struct.pack("<128I", 0xFFFFFFFD, 0xFFFFFFFE, *([0xFFFFFFFF] * 126))
    repertoire = bytearray(512)
    for i, nom in enumerate(("Root Entry", "EncryptionInfo", "EncryptedPackage")):
        code = nom.encode("utf-16-le") + b"\0\0"
        repertoire[i * 128 : i * 128 + len(code)] = code
        struct.pack_into("<H", repertoire, i * 128 + 64, len(code))
    return bytes(entete) + fat + bytes(repertoire)


@pytest.mark.parametrize("extension", [".xlsx", ".xls"])
def test_classeur_chiffre_dit_mot_de_passe(tmp_path, extension):
    chemin = tmp_path / f"protege{extension}"
    chemin.write_bytes(_ole_chiffre())
    lecture = lire_fichier(chemin)
    assert lecture.statut == "ILLISIBLE" and [a.code for a in lecture.anomalies] == ["FICHIER-PROTEGE"]
    assert "protégé par un mot de passe : enregistrez-le sans mot de passe" in lecture.anomalies[0].message

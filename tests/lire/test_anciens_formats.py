"""Old formats (issue 9, defect 12): an .xls made by LibreOffice and an .xlsb made by the
tests' writer (`xlsb`: LibreOffice reads .xlsb but cannot write one) from shipped dossiers
give the same decisions as their .xlsx; an .xls or .xlsb far beyond the form is refused
before the reader allocates it; an encrypted workbook says "mot de passe"."""

from __future__ import annotations

import csv
import shutil
import struct
import subprocess
import zipfile
from pathlib import Path

import openpyxl
import pytest
from bombes import LIBREOFFICE, cellule_lointaine, mesurer
from chemins import copier_campagne_toml_livree
from msoffcrypto.format.ooxml import OOXMLFile
from xlsb import cellules_xlsx, depuis_xlsx, ecrire

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
pytestmark = [
    pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is needed"),
    pytest.mark.lent,  # make test-rapide leaves it out
]


def _en_xls(sources: list[Path], dossier: Path, format_: str = "xls") -> None:
    dossier.mkdir(exist_ok=True)
    subprocess.run(
        ["soffice", "--headless", "--convert-to", format_, "--outdir", str(dossier), *map(str, sources)],
        check=True,
        capture_output=True,
        timeout=180,
    )


def _decisions(sortie: Path) -> list[dict]:
    with (sortie / "decisions.csv").open(encoding="utf-8", newline="") as f:
        return [r | {"fichier": r["fichier"].rsplit(".", 1)[0]} for r in csv.DictReader(f)]


def _dossiers(sortie: Path) -> dict[str, dict]:
    """dossiers.csv: file stem -> its row but the file's name and checksum."""
    with (sortie / "dossiers.csv").open(encoding="utf-8", newline="") as f:
        return {
            r.pop("fichier").rsplit(".", 1)[0]: r | {"sha256": len(r["sha256"])} for r in csv.DictReader(f)
        }


def _en_xlsb(sources: list[Path], dossier: Path) -> None:
    dossier.mkdir(exist_ok=True)
    for source in sources:
        depuis_xlsx(source, dossier / f"{source.stem}.xlsb")


def _en_ods(sources: list[Path], dossier: Path) -> None:
    _en_xls(sources, dossier, "ods")


def _avec_une_feuille_de_plus(sources: list[Path], dossier: Path) -> list[Path]:
    """Each dossier with a « Communes » sheet of 1,500 rows reaching IV65536, outside the form."""
    dossier.mkdir()
    copies = []
    for source in sources:
        wb = openpyxl.load_workbook(source)
        ws = wb.create_sheet("Communes")
        for i in range(1, 1501):
            ws.cell(i, 1, f"commune {i}")
        ws["IV65536"] = 1
        wb.save(dossier / source.name)
        copies.append(dossier / source.name)
    return copies


@pytest.mark.parametrize("feuille_de_plus", [False, True])
@pytest.mark.parametrize("format_, convertir", [("xls", _en_xls), ("xlsb", _en_xlsb), ("ods", _en_ods)])
def test_memes_decisions_que_xlsx(tmp_path, format_, convertir, feuille_de_plus):
    """The same dossiers in each format, with or without a large sheet outside the form, give the
    same dossiers.csv and decisions.csv rows as the plain .xlsx (issue 23)."""
    xlsx, autre = tmp_path / "xlsx", tmp_path / format_
    xlsx.mkdir()
    for nom in DOSSIERS:
        shutil.copy(LIVREE / f"{nom}.xlsx", xlsx)
    sources = sorted(xlsx.iterdir())
    if feuille_de_plus:
        sources = _avec_une_feuille_de_plus(sources, tmp_path / "plus")
    convertir(sources, autre)
    for dossier in (xlsx, autre):
        copier_campagne_toml_livree(dossier)
        main(["run", str(dossier), "--out", str(tmp_path / f"s-{dossier.name}"), "--sans-courriers"])
    fichiers = [p for p in autre.iterdir() if p.is_file() and p.suffix != ".toml"]  # not last year's outputs
    assert sorted(p.suffix for p in fichiers) == [f".{format_}"] * len(DOSSIERS)
    assert _dossiers(tmp_path / f"s-{format_}") == _dossiers(tmp_path / "s-xlsx")
    assert _decisions(tmp_path / f"s-{format_}") == _decisions(tmp_path / "s-xlsx")
    statuts = [r["statut"] for r in _dossiers(tmp_path / "s-xlsx").values()]
    assert len(_decisions(tmp_path / "s-xlsx")) == 6 and sorted(statuts) == ["INCOMPLET"] + ["TRAITE"] * 3


def test_xlsb_ecrit_ici_relu_par_libreoffice(tmp_path):
    """The writer checked by another reader: LibreOffice opens the .xlsb and saves it as .xlsx,
    with every cell's value and every date format of the source."""
    source = LIVREE / f"{DOSSIERS[0]}.xlsx"
    depuis_xlsx(source, tmp_path / "d.xlsb")
    subprocess.run(
        [
            "soffice",
            "--headless",
            "--convert-to",
            "xlsx",
            "--outdir",
            str(tmp_path / "lo"),
            str(tmp_path / "d.xlsb"),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    avant, apres = cellules_xlsx(source), cellules_xlsx(tmp_path / "lo" / "d.xlsx")
    assert list(apres) == list(avant)
    for feuille, cellules in avant.items():
        assert {k: v for k, (v, _) in apres[feuille].items()} == {k: v for k, (v, _) in cellules.items()}
        dates = {k for k, (_, f) in cellules.items() if "yy" in f}
        assert {k for k, (_, f) in apres[feuille].items() if "yy" in f} == dates
    assert any("yy" in f for c in avant.values() for _, f in c.values())  # the dossier has dates


def test_xlsb_d_une_cellule_lointaine_refuse_dans_les_bornes(tmp_path):
    feuilles = cellules_xlsx(LIBREOFFICE / "libreoffice.xlsx")
    for nom in list(feuilles)[:4]:
        feuilles[nom][(1_048_575, 16_383)] = (1, "General")  # XFD1048576
    m = mesurer(ecrire(feuilles, tmp_path / "loin.xlsb"))
    assert m["codes"] == ["FEUILLE-TROP-GRANDE"] and "XFD1048576" in m["messages"][0], m
    assert m["secondes"] < 2 and m["mo"] < 300, m


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


def test_classeur_chiffre_par_un_vrai_outil_la_campagne_continue(tmp_path, capsys):
    """An .xlsx encrypted as Office does (ECMA-376 agile, by msoffcrypto-tool): FICHIER-PROTEGE,
    its sentence says "mot de passe", the other dossiers are decided."""
    campagne = tmp_path / "campagne"
    campagne.mkdir()
    copier_campagne_toml_livree(campagne)
    shutil.copy(LIVREE / f"{DOSSIERS[0]}.xlsx", campagne)
    with (
        (LIVREE / f"{DOSSIERS[1]}.xlsx").open("rb") as source,
        (campagne / "protege.xlsx").open("wb") as cible,
    ):
        OOXMLFile(source).encrypt("secret", cible)
    assert (campagne / "protege.xlsx").read_bytes().startswith(bytes.fromhex("d0cf11e0a1b11ae1"))
    sortie = tmp_path / "s"
    assert main(["run", str(campagne), "--out", str(sortie), "--sans-courriers"]) == 1
    with (sortie / "anomalies.csv").open(encoding="utf-8", newline="") as f:
        anomalies = [r for r in csv.DictReader(f) if r["fichier"] == "protege.xlsx"]
    assert [a["code"] for a in anomalies] == ["FICHIER-PROTEGE"]
    assert "protégé par un mot de passe : enregistrez-le sans mot de passe" in anomalies[0]["message"]
    statuts = {k: r["statut"] for k, r in _dossiers(sortie).items()}
    assert statuts == {"protege": "ILLISIBLE", DOSSIERS[0]: "TRAITE"}
    assert {r["fichier"] for r in _decisions(sortie)} == {DOSSIERS[0]}


def _xlsb_abime(tmp_path: Path, remplacer) -> Path:
    """An .xlsb of a shipped dossier, one part changed by `remplacer(name, bytes)`."""
    depuis_xlsx(LIVREE / f"{DOSSIERS[0]}.xlsx", tmp_path / "sain.xlsb")
    cible = tmp_path / "abime.xlsb"
    with zipfile.ZipFile(tmp_path / "sain.xlsb") as zs, zipfile.ZipFile(cible, "w") as zc:
        for nom in zs.namelist():
            zc.writestr(nom, remplacer(nom, zs.read(nom)))
    return cible


def test_xlsb_dont_une_feuille_n_a_pas_de_partie(tmp_path):
    chemin = _xlsb_abime(
        tmp_path, lambda nom, o: o.replace(b'Id="rId2"', b'Id="rId99"') if nom.endswith(".rels") else o
    )
    lecture = lire_fichier(chemin)
    assert lecture.statut == "ILLISIBLE" and [a.code for a in lecture.anomalies] == ["FICHIER-ILLISIBLE"]
    assert "classeur est endommagé" in lecture.anomalies[0].message  # seen before the reader


def test_xlsb_qui_fait_paniquer_le_lecteur_est_illisible(tmp_path):
    """A shared string index beyond the table: python-calamine panics (pyo3's PanicException,
    a BaseException); the file is ILLISIBLE, the run goes on."""

    def remplacer(nom: str, octets: bytes) -> bytes:
        if nom != "xl/worksheets/sheet2.bin":
            return octets
        i = octets.index(bytes([7, 12]))  # the first BrtCellIsst: type 7, 12 bytes
        return octets[: i + 10] + struct.pack("<I", 999_999) + octets[i + 14 :]

    lecture = lire_fichier(_xlsb_abime(tmp_path, remplacer))
    assert lecture.statut == "ILLISIBLE" and [a.code for a in lecture.anomalies] == ["FICHIER-ILLISIBLE"]
    assert "enregistrez-le à nouveau" in lecture.anomalies[0].message

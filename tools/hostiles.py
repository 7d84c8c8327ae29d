"""The hostile set: workbooks made on the fly (nothing large committed): zip bombs written by
streaming deflate, sizes that lie, cells far beyond the form, ODS repeats; and the measure
of reading one in a child process (time, peak memory). Used by the tests and `make bench`."""

from __future__ import annotations

import json
import re
import struct
import subprocess
import sys
import zipfile
from pathlib import Path

RACINE = Path(__file__).parents[1]
LIBREOFFICE = RACINE / "tests" / "fixtures" / "libreoffice"  # a dossier saved by LibreOffice
MO = 1024 * 1024


def _copier(source: Path, cible: Path, remplacer) -> Path:
    """A copy of a workbook, each member's bytes passed through `remplacer(name, bytes)`."""
    with zipfile.ZipFile(source) as zs, zipfile.ZipFile(cible, "w", zipfile.ZIP_DEFLATED) as zc:
        for info in zs.infolist():
            zc.writestr(info.filename, remplacer(info.filename, zs.read(info.filename)))
    return cible


def bombe_mensongere(source: Path, cible: Path, taille: int = 400 * MO) -> Path:
    """The Collectifs sheet followed by `taille` bytes of spaces, deflated by streaming, its
    declared size rewritten to 1 KB in both headers."""
    with zipfile.ZipFile(source) as zs, zipfile.ZipFile(cible, "w", zipfile.ZIP_DEFLATED) as zc:
        for info in zs.infolist():
            contenu = zs.read(info.filename)
            if info.filename != "xl/worksheets/sheet3.xml":
                zc.writestr(info.filename, contenu)
                continue
            with zc.open(info.filename, "w", force_zip64=True) as flux:
                flux.write(contenu.replace(b"</worksheet>", b""))
                bloc = b" " * MO
                for _ in range(taille // MO):
                    flux.write(bloc)
                flux.write(b"</worksheet>")
    octets = bytearray(cible.read_bytes())
    with zipfile.ZipFile(cible) as z:
        info = z.getinfo("xl/worksheets/sheet3.xml")
    octets[info.header_offset + 22 : info.header_offset + 26] = struct.pack("<I", 1024)
    cd = octets.rfind(b"PK\x01\x02", 0, len(octets))
    while cd != -1:  # the central directory entry of that member
        n = struct.unpack("<H", octets[cd + 28 : cd + 30])[0]
        if octets[cd + 46 : cd + 46 + n] == info.filename.encode():
            octets[cd + 24 : cd + 28] = struct.pack("<I", 1024)
            break
        cd = octets.rfind(b"PK\x01\x02", 0, cd)
    cible.write_bytes(bytes(octets))
    return cible


def cellule_lointaine(source: Path, cible: Path, cellule: str = "XFD10000", feuilles=("sheet3",)) -> Path:
    """One value at `cellule` in each named sheet."""

    def remplacer(nom: str, contenu: bytes) -> bytes:
        if any(nom == f"xl/worksheets/{f}.xml" for f in feuilles):
            ligne = re.sub(r"\D", "", cellule)
            contenu = contenu.replace(
                b"</sheetData>",
                f'<row r="{ligne}"><c r="{cellule}" t="n"><v>1</v></c></row></sheetData>'.encode(),
            )
        return contenu

    return _copier(source, cible, remplacer)


def dimension_lointaine(source: Path, cible: Path) -> Path:
    def remplacer(nom: str, contenu: bytes) -> bytes:
        if nom == "xl/worksheets/sheet3.xml":
            contenu = re.sub(rb'<dimension ref="[^"]*"', b'<dimension ref="A1:XFD1048576"', contenu)
        return contenu

    return _copier(source, cible, remplacer)


def ods_repetee(cible: Path, colonnes: int = 16000, lignes: int = 1_000_000) -> Path:
    """The LibreOffice fixture with a valued cell repeated `colonnes` times on a row
    itself repeated `lignes` times."""
    cellule = (
        f'<table:table-cell table:number-columns-repeated="{colonnes}" office:value-type="string">'
        "<text:p>x</text:p></table:table-cell>"
    )
    ligne = f'<table:table-row table:number-rows-repeated="{lignes}">{cellule}</table:table-row>'

    def remplacer(nom: str, contenu: bytes) -> bytes:
        if nom == "content.xml":
            contenu = contenu.replace(b"</table:table>", ligne.encode() + b"</table:table>", 1)
        return contenu

    source = LIBREOFFICE / "libreoffice.ods"
    with zipfile.ZipFile(source) as zs, zipfile.ZipFile(cible, "w") as zc:
        for info in zs.infolist():  # mimetype first and stored, as ODS wants
            methode = zipfile.ZIP_STORED if info.filename == "mimetype" else zipfile.ZIP_DEFLATED
            zc.writestr(info.filename, remplacer(info.filename, zs.read(info.filename)), methode)
    return cible


def mesurer(chemin: Path) -> dict:
    """Read one file in a child process: {statut, codes, messages, secondes, mo} (peak RSS
    of the child, from RUSAGE_CHILDREN of an intermediate process that runs only it)."""
    enfant = (
        "import json, sys, time; from pathlib import Path; t = time.monotonic(); "
        "from campaign.lire.lecture import lire_fichier; l = lire_fichier(Path(sys.argv[1])); "
        "print(json.dumps({'statut': l.statut, 'codes': [a.code for a in l.anomalies], "
        "'messages': [a.message for a in l.anomalies], 'secondes': time.monotonic() - t}))"
    )
    parent = (
        "import json, resource, subprocess, sys; "
        "r = subprocess.run([sys.executable, '-c', sys.argv[1], sys.argv[2]], capture_output=True, "
        "text=True, timeout=120); d = json.loads(r.stdout) if r.returncode == 0 else "
        "{'erreur': r.stderr[-2000:]}; "
        "d['mo'] = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024; print(json.dumps(d))"
    )
    r = subprocess.run(
        [sys.executable, "-c", parent, enfant, str(chemin)],
        capture_output=True,
        text=True,
        cwd=RACINE,
        timeout=180,
    )
    return json.loads(r.stdout)


def ensemble(dossier: Path) -> dict[str, Path]:
    """The hostile set, written into `dossier`: name -> file."""
    xlsx = LIBREOFFICE / "libreoffice.xlsx"
    dossier.mkdir(parents=True, exist_ok=True)
    return {
        "dossier sain (.xlsx)": xlsx,
        "dossier sain (.ods)": LIBREOFFICE / "libreoffice.ods",
        "taille déclarée mensongère (400 Mo)": bombe_mensongere(xlsx, dossier / "bombe.xlsx"),
        "une cellule en XFD10000, 4 feuilles": cellule_lointaine(
            xlsx, dossier / "loin.xlsx", "XFD10000", ("sheet1", "sheet2", "sheet3", "sheet4")
        ),
        "dimension A1:XFD1048576": dimension_lointaine(xlsx, dossier / "dim.xlsx"),
        ".ods de cellules répétées": ods_repetee(dossier / "repete.ods"),
    }

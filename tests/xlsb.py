"""A minimal XLSB (BIFF12, [MS-XLSB]) writer, for the tests: LibreOffice reads .xlsb but cannot
write one, so the .xlsb fixtures are made here from shipped dossiers.

`depuis_xlsx` reads an .xlsx with openpyxl (cached values, number formats) and writes the same
cells as an .xlsb: a zip of [Content_Types].xml, relationships, and binary parts made of
records (a variable-length type, a variable-length size, the payload):

- xl/workbook.bin: BrtBeginBook, BrtWbProp, BrtBeginBundleShs, one BrtBundleSh per sheet
  (its relationship id and name), BrtEndBundleShs, BrtEndBook;
- xl/worksheets/sheetN.bin: BrtBeginSheet, BrtWsDim, BrtBeginSheetData, per row a BrtRowHdr
  then its cells (BrtCellRk for integers that fit, BrtCellReal, BrtCellIsst into the shared
  strings, BrtCellBool), BrtEndSheetData, BrtEndSheet;
- xl/sharedStrings.bin: BrtBeginSst, BrtSSTItem per string, BrtEndSst;
- xl/styles.bin: the number formats (BrtFmt), one font, two fills, one border, the cell
  formats (BrtXF, one per number format used: dates stay dates), the Normal style.

A formula without a cached value is left out (an empty cell), as a reader sees it. `ecrire`
also serves the hostile tests: cells may be given at any row and column.
"""

from __future__ import annotations

import datetime as dt
import struct
import zipfile
from pathlib import Path

import openpyxl
from openpyxl.styles.numbers import BUILTIN_FORMATS_REVERSE

# record types, [MS-XLSB] 2.3.2
ROW_HDR, CELL_RK, CELL_BOOL, CELL_REAL, CELL_ISST, SST_ITEM = 0, 2, 4, 5, 7, 19
FONT, FMT, FILL, BORDER, XF, STYLE = 43, 44, 45, 46, 47, 48
BEGIN_SHEET, END_SHEET, BEGIN_BOOK, END_BOOK = 129, 130, 131, 132
BEGIN_BUNDLE_SHS, END_BUNDLE_SHS, BEGIN_SHEET_DATA, END_SHEET_DATA, WS_DIM = 143, 144, 145, 146, 148
WB_PROP, BUNDLE_SH, BEGIN_SST, END_SST = 153, 156, 159, 160
BEGIN_STYLE_SHEET, END_STYLE_SHEET = 278, 279
BEGIN_FILLS, END_FILLS, BEGIN_FONTS, END_FONTS, BEGIN_BORDERS, END_BORDERS = 603, 604, 611, 612, 613, 614
BEGIN_FMTS, END_FMTS, BEGIN_CELL_XFS, END_CELL_XFS, BEGIN_STYLES, END_STYLES = 615, 616, 617, 618, 619, 620
BEGIN_CELL_STYLE_XFS, END_CELL_STYLE_XFS = 626, 627

EPOQUE = dt.datetime(1899, 12, 30)  # serial 0 of the 1900 date system (with Excel's 1900 leap day)
TYPES = {
    "bin_book": "application/vnd.ms-excel.sheet.binary.macroEnabled.main",
    "feuille": "application/vnd.ms-excel.worksheet",
    "chaines": "application/vnd.ms-excel.sharedStrings",
    "styles": "application/vnd.ms-excel.styles",
}
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


def _varint(n: int, octets_max: int) -> bytes:
    """7 bits per byte, the high bit saying another byte follows ([MS-XLSB] 2.1.4)."""
    sortie = bytearray()
    while True:
        sortie.append((n & 0x7F) | (0x80 if n > 0x7F else 0))
        n >>= 7
        if not n:
            break
    assert len(sortie) <= octets_max
    return bytes(sortie)


def enregistrement(genre: int, donnees: bytes = b"") -> bytes:
    return _varint(genre, 2) + _varint(len(donnees), 4) + donnees


def _texte(s: str) -> bytes:
    """XLWideString: a count of UTF-16 code units, then UTF-16LE."""
    code = s.encode("utf-16-le")
    return struct.pack("<I", len(code) // 2) + code


def _cellule(colonne: int, style: int) -> bytes:
    """Cell: the column, then the cell format index on 24 bits and 8 bits of flags."""
    return struct.pack("<II", colonne, style & 0xFFFFFF)


def _rk(v: int) -> bytes | None:
    """An RkNumber for an integer of 30 bits (fInt set), None when it does not fit."""
    if -(1 << 29) <= v < (1 << 29):
        return struct.pack("<i", (v << 2) | 2)
    return None


def _couleur_auto() -> bytes:
    return bytes([0, 0]) + struct.pack("<h", 0) + bytes([0, 0, 0, 255])


def _styles(formats: list[str]) -> tuple[bytes, dict[str, int]]:
    """styles.bin, and number format -> index of its BrtXF among the cell formats."""
    ids, propres = {}, {}
    for f in formats:
        if f in BUILTIN_FORMATS_REVERSE:
            ids[f] = BUILTIN_FORMATS_REVERSE[f]
        else:
            ids[f] = propres[f] = 164 + len(propres)
    r = [enregistrement(BEGIN_STYLE_SHEET), enregistrement(BEGIN_FMTS, struct.pack("<I", len(propres)))]
    r += [enregistrement(FMT, struct.pack("<H", i) + _texte(f)) for f, i in propres.items()]
    r.append(enregistrement(END_FMTS))
    police = (
        struct.pack("<HHHHBBBB", 220, 0, 400, 0, 0, 2, 0, 0) + _couleur_auto() + b"\2" + _texte("Calibri")
    )
    r += [enregistrement(BEGIN_FONTS, struct.pack("<I", 1)), enregistrement(FONT, police)]
    r += [enregistrement(END_FONTS), enregistrement(BEGIN_FILLS, struct.pack("<I", 2))]
    for motif in (0, 17):  # none, gray125
        r.append(enregistrement(FILL, struct.pack("<I", motif) + _couleur_auto() * 2 + bytes(48)))
    r += [enregistrement(END_FILLS), enregistrement(BEGIN_BORDERS, struct.pack("<I", 1))]
    r += [enregistrement(BORDER, bytes(1) + (bytes(2) + _couleur_auto()) * 5), enregistrement(END_BORDERS)]

    def xf(parent: int, ifmt: int) -> bytes:  # font, fill, border 0; bottom-aligned, locked
        return enregistrement(XF, struct.pack("<HHHHHBBHBB", parent, ifmt, 0, 0, 0, 0, 0, 0x1010, 0, 0))

    r += [enregistrement(BEGIN_CELL_STYLE_XFS, struct.pack("<I", 1)), xf(0xFFFF, 0)]
    r += [enregistrement(END_CELL_STYLE_XFS), enregistrement(BEGIN_CELL_XFS, struct.pack("<I", len(formats)))]
    r += [xf(0, ids[f]) for f in formats]
    r += [enregistrement(END_CELL_XFS), enregistrement(BEGIN_STYLES, struct.pack("<I", 1))]
    r.append(enregistrement(STYLE, struct.pack("<IHBB", 0, 1, 0, 0) + _texte("Normal")))
    r += [enregistrement(END_STYLES), enregistrement(END_STYLE_SHEET)]
    return b"".join(r), {f: i for i, f in enumerate(formats)}


Cellules = dict[tuple[int, int], tuple[object, str]]  # (row, column) from 0 -> (value, number format)


def _feuille(cellules: Cellules, chaines: dict[str, int], styles: dict[str, int]) -> bytes:
    r = [enregistrement(BEGIN_SHEET)]
    if cellules:
        lignes = [c[0] for c in cellules]
        colonnes = [c[1] for c in cellules]
        r.append(
            enregistrement(
                WS_DIM, struct.pack("<IIII", min(lignes), max(lignes), min(colonnes), max(colonnes))
            )
        )
    else:
        r.append(enregistrement(WS_DIM, bytes(16)))
    r.append(enregistrement(BEGIN_SHEET_DATA))
    ligne_courante = -1
    for (ligne, colonne), (valeur, fmt) in sorted(cellules.items()):
        if ligne != ligne_courante:  # rw, ixfe, miyRw (15 pt), 3 bytes of flags, no column span
            r.append(enregistrement(ROW_HDR, struct.pack("<IIHBBBI", ligne, 0, 300, 0, 0, 0, 0)))
            ligne_courante = ligne
        tete = _cellule(colonne, styles[fmt])
        if isinstance(valeur, bool):
            r.append(enregistrement(CELL_BOOL, tete + bytes([valeur])))
        elif isinstance(valeur, str):
            r.append(
                enregistrement(CELL_ISST, tete + struct.pack("<I", chaines.setdefault(valeur, len(chaines))))
            )
        else:
            if isinstance(valeur, dt.datetime | dt.date):
                moment = valeur if isinstance(valeur, dt.datetime) else dt.datetime.combine(valeur, dt.time())
                valeur = (moment - EPOQUE) / dt.timedelta(days=1)
            rk = _rk(int(valeur)) if float(valeur).is_integer() else None
            if rk is not None:
                r.append(enregistrement(CELL_RK, tete + rk))
            else:
                r.append(enregistrement(CELL_REAL, tete + struct.pack("<d", float(valeur))))
    r += [enregistrement(END_SHEET_DATA), enregistrement(END_SHEET)]
    return b"".join(r)


def ecrire(feuilles: dict[str, Cellules], cible: Path) -> Path:
    """Write an .xlsb of these sheets (name -> cells)."""
    formats = sorted({fmt for cellules in feuilles.values() for _, fmt in cellules.values()} | {"General"})
    formats.remove("General")
    styles_bin, styles = _styles(["General", *formats])
    chaines: dict[str, int] = {}
    parties = {
        f"xl/worksheets/sheet{i}.bin": _feuille(c, chaines, styles)
        for i, c in enumerate(feuilles.values(), 1)
    }
    total = sum(1 for c in feuilles.values() for v, _ in c.values() if isinstance(v, str))
    sst = [enregistrement(BEGIN_SST, struct.pack("<II", total, len(chaines)))]
    sst += [enregistrement(SST_ITEM, b"\0" + _texte(s)) for s in chaines]  # no rich text, no phonetic
    parties["xl/sharedStrings.bin"] = b"".join(sst) + enregistrement(END_SST)
    parties["xl/styles.bin"] = styles_bin
    livre = [enregistrement(BEGIN_BOOK), enregistrement(WB_PROP, struct.pack("<II", 0, 0) + _texte(""))]
    livre.append(enregistrement(BEGIN_BUNDLE_SHS))
    for i, nom in enumerate(feuilles, 1):  # visible, tab id, relationship id, name
        livre.append(enregistrement(BUNDLE_SH, struct.pack("<II", 0, i) + _texte(f"rId{i}") + _texte(nom)))
    livre += [enregistrement(END_BUNDLE_SHS), enregistrement(END_BOOK)]
    parties["xl/workbook.bin"] = b"".join(livre)
    n = len(feuilles)
    liens = [(f"rId{i}", "worksheet", f"worksheets/sheet{i}.bin") for i in range(1, n + 1)]
    liens += [(f"rId{n + 1}", "styles", "styles.bin"), (f"rId{n + 2}", "sharedStrings", "sharedStrings.bin")]
    parties["xl/_rels/workbook.bin.rels"] = _relations(liens)
    parties["_rels/.rels"] = _relations([("rId1", "officeDocument", "xl/workbook.bin")])
    surcharges = [("/xl/workbook.bin", TYPES["bin_book"]), ("/xl/styles.bin", TYPES["styles"])]
    surcharges += [("/xl/sharedStrings.bin", TYPES["chaines"])]
    surcharges += [(f"/xl/worksheets/sheet{i}.bin", TYPES["feuille"]) for i in range(1, n + 1)]
    parties["[Content_Types].xml"] = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        + "".join(f'<Override PartName="{p}" ContentType="{t}"/>' for p, t in surcharges)
        + "</Types>"
    ).encode()
    with zipfile.ZipFile(cible, "w", zipfile.ZIP_DEFLATED) as z:
        for nom in (
            "[Content_Types].xml",
            "_rels/.rels",
            *sorted(p for p in parties if p[0] != "[" and p[0] != "_"),
        ):
            z.writestr(nom, parties[nom])
    return cible


def _relations(liens: list[tuple[str, str, str]]) -> bytes:
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        + "".join(f'<Relationship Id="{i}" Type="{REL}/{t}" Target="{c}"/>' for i, t, c in liens)
        + "</Relationships>"
    ).encode()


def cellules_xlsx(source: Path) -> dict[str, Cellules]:
    """The cells of an .xlsx as openpyxl reads them: cached values, number formats."""
    classeur = openpyxl.load_workbook(source, data_only=True)
    feuilles: dict[str, Cellules] = {}
    for feuille in classeur.worksheets:
        cellules: Cellules = {}
        # the cells the file holds, not every cell of the rectangle up to its farthest one
        # (iter_rows would make 16 million of them for a sheet reaching IV65536)
        for (ligne, colonne), c in sorted(feuille._cells.items()):
            if c.value is not None and c.value != "":
                cellules[(ligne - 1, colonne - 1)] = (c.value, c.number_format)
        feuilles[feuille.title] = cellules
    return feuilles


def depuis_xlsx(source: Path, cible: Path) -> Path:
    return ecrire(cellules_xlsx(source), cible)

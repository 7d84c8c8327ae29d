"""Inflating a zip member ourselves, within a byte budget: declared sizes are never trusted.

A member that under-declares its size would be inflated whole by the workbook reader, so
each member's raw deflate stream is inflated here, `zlib` fed 64 KiB at a time with an
output limit, and stopped as soon as the budget is spent: the cost of a bomb is the budget,
never its size.
"""

from __future__ import annotations

import struct
import zipfile
import zlib

MORCEAU = 64 * 1024
ENTETE_LOCALE = b"PK\x03\x04"


class Depassement(Exception):
    """The member inflates beyond the budget (`abime` False), or is damaged (`abime` True)."""

    def __init__(self, message: str, abime: bool = False):
        super().__init__(message)
        self.abime = abime


def _donnees_brutes(contenu: bytes, info: zipfile.ZipInfo) -> memoryview:
    debut = info.header_offset
    entete = contenu[debut : debut + 30]
    if len(entete) < 30 or entete[:4] != ENTETE_LOCALE:
        raise Depassement(f"en-tête local de « {info.filename} » introuvable", abime=True)
    n_nom, n_extra = struct.unpack("<HH", entete[26:30])
    depart = debut + 30 + n_nom + n_extra
    return memoryview(contenu)[depart : depart + info.compress_size]


def gonfler(contenu: bytes, info: zipfile.ZipInfo, budget: int, garder: bool) -> tuple[int, bytes]:
    """(inflated size, inflated bytes when `garder`) of a member; Depassement beyond `budget`."""
    brut = _donnees_brutes(contenu, info)
    if info.compress_type == zipfile.ZIP_STORED:
        if len(brut) > budget:
            raise Depassement(f"« {info.filename} » dépasse {budget} octets")
        return len(brut), bytes(brut) if garder else b""
    if info.compress_type != zipfile.ZIP_DEFLATED:
        raise Depassement(f"« {info.filename} » est compressé d'une façon inconnue des classeurs", abime=True)
    d = zlib.decompressobj(-zlib.MAX_WBITS)
    morceaux: list[bytes] = []
    total = 0
    try:
        for i in range(0, len(brut), MORCEAU):
            entree: bytes | memoryview = brut[i : i + MORCEAU]
            while entree:
                sortie = d.decompress(entree, budget - total + 1)
                total += len(sortie)
                if total > budget:
                    raise Depassement(f"« {info.filename} » dépasse {budget} octets une fois décompressé")
                if garder:
                    morceaux.append(sortie)
                entree = d.unconsumed_tail
            if d.eof:
                break
    except zlib.error as exc:
        raise Depassement(f"« {info.filename} » est endommagé ({exc})", abime=True) from exc
    return total, b"".join(morceaux)

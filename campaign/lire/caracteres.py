"""The characters of a text as read from a dossier or a committee file (dossier.md §7).

Every text is normalised to NFC, and loses the characters that hide or reorder it: C0 and
C1 controls (a line break stays, as `\\n`; a tab becomes a space), zero-width characters and marks
(U+200B–U+200F), bidirectional embeddings, overrides and isolates (U+202A–U+202E,
U+2066–U+2069), invisible operators (U+2060–U+2064) and the byte order mark (U+FEFF); an
escape `_x0007_` left as text (the form an .xlsx gives a control character) goes with them.
Identifiers and numbers are normalised to NFKC with every decimal digit made ASCII
(`chiffres`): a SIRET typed in full-width or Arabic-Indic digits is the same SIRET.
Done once, when the cells are read: nothing downstream sees these characters.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_INVISIBLES = (
    "\u200b-\u200f"  # zero-width space, non-joiner, joiner; left-to-right and right-to-left marks
    "\u202a-\u202e"  # bidirectional embeddings and overrides
    "\u2060-\u2064"  # word joiner, invisible operators
    "\u2066-\u2069"  # bidirectional isolates
    "\ufeff"  # byte order mark, zero-width no-break space
)
_CONTROLES = "\x00-\x08\x0b-\x1f\x7f-\x9f"  # C0 and C1 controls but tab and line feed
_RETIRES = re.compile(f"[{_INVISIBLES}{_CONTROLES}]")
# `_xHHHH_`, how OOXML writes a character XML cannot hold: a removed one, left as text
_ECHAPPEMENT = re.compile(r"_x([0-9A-Fa-f]{4})_")


def retire(ch: str) -> bool:
    """True for a character no text read keeps."""
    return _RETIRES.fullmatch(ch) is not None


def _sans_echappement(m: re.Match[str]) -> str:
    return "" if retire(chr(int(m.group(1), 16))) else m.group(0)


@lru_cache(maxsize=65536)
def nettoyer(texte: str) -> str:
    """A text as read: line breaks as `\\n`, tabs as spaces, no hidden or reordering
    character, NFC."""
    s = texte.replace("\r\n", "\n").replace("\r", "\n").replace("\t", " ")
    for saut in "\x85\u2028\u2029":  # next line, line and paragraph separators
        s = s.replace(saut, "\n")
    if "_x" in s:
        s = _ECHAPPEMENT.sub(_sans_echappement, s)
    s = _RETIRES.sub("", s)
    return unicodedata.normalize("NFC", s)


def nettoyer_valeur(v: object) -> object:
    """A cell's raw value with its text cleaned; other values as they are."""
    return nettoyer(v) if type(v) is str else v


@lru_cache(maxsize=8192)
def chiffres(texte: str) -> str:
    """An identifier or number as text: NFKC, every decimal digit as an ASCII digit."""
    s = unicodedata.normalize("NFKC", texte)
    if s.isascii():
        return s
    return "".join(str(unicodedata.decimal(c)) if c.isdecimal() and not c.isascii() else c for c in s)


def valeur_chiffree(v: object) -> object:
    """A raw value read as an identifier or a number: its text through `chiffres`."""
    return chiffres(v) if type(v) is str else v

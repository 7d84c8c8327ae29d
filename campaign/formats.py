"""French formatting of amounts, numbers and dates (Babel), for every human output."""

from __future__ import annotations

import datetime as dt
import math
import re
import unicodedata
from decimal import Decimal
from fractions import Fraction
from functools import lru_cache

from babel.dates import format_date
from babel.numbers import format_currency, format_decimal, format_percent

LOCALE = "fr_FR"
EXCEL_EUROS = '#,##0.00 "€"'  # the euro format of every workbook cell holding an amount


def euros(centimes: int) -> str:
    """Integer cents -> '2 563,00 €' (narrow no-break space as thousands separator)."""
    return _euros(int(centimes))


@lru_cache(maxsize=65536)
def _euros(centimes: int) -> str:
    return format_currency(Decimal(centimes) / 100, "EUR", locale=LOCALE)


# the same few numbers, rates and dates are written thousands of times (a run of 3,000 dossiers):
# each formatted once (typed: 1 and 1.0 are not one key)
@lru_cache(maxsize=65536, typed=True)
def nombre(n) -> str:
    return format_decimal(n, locale=LOCALE)


@lru_cache(maxsize=65536, typed=True)
def pourcentage(taux) -> str:
    return format_percent(Decimal(str(taux)), locale=LOCALE, format="#,##0.##\u00a0%")


def pourcentage_au_centieme(taux: Fraction) -> str:
    """An exact share in percent with two decimals, rounded half up (a coefficient the letters
    state): Fraction(9347, 10000) -> '93,47 %', Fraction(1, 2) -> '50,00 %'."""
    dix_milliemes = math.floor(taux * 10_000 + Fraction(1, 2))  # in exact arithmetic
    return format_percent(Decimal(dix_milliemes) / 10_000, locale=LOCALE, format="#,##0.00\u00a0%")


def date_longue(d: dt.date) -> str:
    """-> '28 novembre 2026' ('1er' for the first of the month, as French letters write it)."""
    texte = format_date(d, format="d MMMM y", locale=LOCALE)
    return "1er" + texte[1:] if d.day == 1 else texte


@lru_cache(maxsize=65536, typed=True)
def date_courte(d: dt.date) -> str:
    return format_date(d, format="dd/MM/y", locale=LOCALE)


def pluriel(n: int | float, mot: str, compte: bool = True) -> str:
    """'1 enfant', '13 enfants', '0 bénévole', '2 fois': the count in French and its word,
    agreed (plural from 2); `compte=False` gives the word alone ('actions', 'prévue')."""
    n = int(n)
    accorde = f"{mot}{'s' if n > 1 and not mot.endswith(('s', 'x')) else ''}"
    return f"{nombre(n)} {accorde}" if compte else accorde


def duree(heures: float) -> str:
    """Hours as French letters write them: 1.5 -> '1 h 30', 2 -> '2 h'."""
    h, m = divmod(round(heures * 60), 60)
    return f"{h} h {m:02d}" if m else f"{h} h"


# letters that NFKD does not decompose into a base letter and an accent: spelt out, never dropped
TRANSLITTERATIONS = str.maketrans(
    {
        "œ": "oe",
        "Œ": "OE",
        "æ": "ae",
        "Æ": "AE",
        "ß": "ss",
        "ø": "o",
        "Ø": "O",
        "ł": "l",
        "Ł": "L",
        "đ": "d",
        "Đ": "D",
        "ð": "d",
        "Ð": "D",
        "þ": "th",
        "Þ": "TH",
        "ı": "i",
    }
)


def slug(texte: str, longueur: int = 40, separateur: str = "-", mots_entiers: bool = False) -> str:
    """Only [a-z0-9] and the separator: accents folded (œ spelt oe), anything else one
    separator, at most `longueur` characters (`mots_entiers`: cut after a whole word when one
    ends past half of them); what names a file after an operator's text."""
    plie = (
        unicodedata.normalize("NFKD", texte.translate(TRANSLITTERATIONS))
        .encode("ascii", "ignore")
        .decode("ascii")
    )
    s = re.sub(r"[^a-z0-9]+", separateur, plie.lower()).strip(separateur)
    if len(s) <= longueur or not mots_entiers:
        return s[:longueur].rstrip(separateur)
    coupe = s[: longueur + 1].rsplit(separateur, 1)[0]  # at a word's end, never inside one
    return coupe if longueur // 2 < len(coupe) <= longueur else s[:longueur].rstrip(separateur)


def typographie(texte: str) -> str:
    """French no-break spaces in our own sentences: '« Non »' never splits, nor ' ;'."""
    for avant, apres in (
        ("« ", "«\u00a0"),
        (" »", "\u00a0»"),
        (" ;", "\u00a0;"),
        (" :", "\u00a0:"),
        (" ?", "\u00a0?"),
        (" !", "\u00a0!"),
        ("'", "\u2019"),
    ):
        texte = texte.replace(avant, apres)
    return texte


def citation(texte: str, limite: int | None = None) -> str:
    """Someone's words quoted as typed, in French quotes (autoescape keeps any markup as text);
    beyond `limite` characters, cut at a word and marked « […] »."""
    mots = " ".join(texte.split())
    if limite is not None and len(mots) > limite:
        mots = (mots[: limite + 1].rsplit(" ", 1)[0] if " " in mots[:limite] else mots[:limite]) + " […]"
    return f"«\u00a0{mots}\u00a0»"


def point_final(texte: str) -> str:
    """The full stop after a quotation, unless the quoted sentence already ends one."""
    return "" if texte.rstrip().endswith((".", "!", "?", "…")) else "."


def quelques_noms(noms: list[str], montres: int) -> str:
    """« a », « b » et 3 autres: the first names of a list in quotes, then how many more."""
    cites = ", ".join(f"« {n} »" for n in noms[:montres])
    reste = len(noms) - montres
    return cites + (f" et {reste} autre{'s' if reste > 1 else ''}" if reste > 0 else "")

"""What operators type, read the way a careful human reader would (dossier.md §2).

Each reader takes a raw cell value (as python-calamine returns it: str, float, int, bool,
date, datetime, time, timedelta or '') and returns the typed value, `None` for an empty
cell, or `INVALIDE` when the cell holds something that is not of the expected kind.
Readers are pure and cached on the raw value: a campagne repeats the same few spellings.
Numbers, dates and durations are read through `caracteres.chiffres`: full-width or
Arabic-Indic digits are their ASCII digits (dossier.md §7).
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from functools import lru_cache

from campaign.lire.caracteres import chiffres


class _Invalide:
    def __repr__(self) -> str:
        return "INVALIDE"


INVALIDE = _Invalide()


class _SansValeur:
    def __repr__(self) -> str:
        return "SANS_VALEUR"


SANS_VALEUR = _SansValeur()  # a formula cell saved without its result: reported when read

_ESPACES = re.compile(r"[\s\u00a0\u202f\u2009]+")


@lru_cache(maxsize=4096, typed=True)
def cle_libelle(texte: object) -> str:
    """Matching key of a label: no accents, no case, no spaces or punctuation."""
    s = unicodedata.normalize("NFKD", str(texte))
    s = "".join(ch for ch in s if not unicodedata.combining(ch))
    return re.sub(r"[^a-z0-9]", "", s.lower())


def est_vide(v: object) -> bool:
    return v is None or v == "" or (type(v) is str and not v.strip())


def texte(v: object) -> str | None:
    """Free text: trimmed; numbers typed in a text field are written without '.0'."""
    if est_vide(v):
        return None
    if isinstance(v, float) and v.is_integer():
        v = int(v)
    if isinstance(v, (dt.datetime, dt.date)):
        return v.strftime("%d/%m/%Y")
    return _ESPACES.sub(" ", str(v)).strip()


_OUI = {"oui", "o", "x", "vrai", "1", "true", "yes"}
_NON = {"non", "n", "faux", "0", "false", "no"}


@lru_cache(maxsize=1024, typed=True)
def _ouinon(v: object) -> object:
    if isinstance(v, bool):
        return v
    if isinstance(v, (int, float)):
        return True if v == 1 else False if v == 0 else INVALIDE
    k = cle_libelle(v)
    if k in _OUI:
        return True
    if k in _NON:
        return False
    return INVALIDE


def ouinon(v: object) -> object:
    """Oui/Non: Oui, O, X, Vrai, 1, TRUE -> True; Non, N, Faux, 0, FALSE -> False."""
    if est_vide(v):
        return None
    return _ouinon(v)


_NOMBRE_PROPRE = re.compile(r"[€]|eur(os?)?$|\s", re.IGNORECASE)


@lru_cache(maxsize=8192, typed=True)
def _nombre(v: object) -> object:
    if isinstance(v, bool):
        return INVALIDE
    if isinstance(v, int):
        return Decimal(v)
    if isinstance(v, float):
        return Decimal(repr(v))
    if not isinstance(v, str):
        return INVALIDE
    s = _NOMBRE_PROPRE.sub("", _ESPACES.sub("", chiffres(v)))
    if re.fullmatch(r"\d{1,3}(\.\d{3})+", s):  # 10.000: the dot as French thousands separator
        s = s.replace(".", "")
    if "," in s and "." in s:  # the last one is the decimal separator
        if s.rfind(",") > s.rfind("."):
            s = s.replace(".", "").replace(",", ".")
        else:
            s = s.replace(",", "")
    else:
        s = s.replace(",", ".")
    if not re.fullmatch(r"[+-]?(\d+(\.\d*)?|\.\d+)", s):
        return INVALIDE
    try:
        return Decimal(s)
    except InvalidOperation:  # pragma: no cover - the pattern above excludes it
        return INVALIDE


def nombre(v: object) -> object:
    """A number: numeric cell, or text such as '1 234,50 €', '1234.5', '1 234'."""
    if est_vide(v):
        return None
    return _nombre(v)


ENTIER_MAX = 10**6  # no count of a dossier comes near; beyond, a typing error (and int64 safety)
CENTIMES_MAX = 10**12  # ten billion euros


def entier(v: object) -> object:
    """A whole number (a count): '12', 12.0; '10,5' or 'douze' are INVALIDE."""
    n = nombre(v)
    if not isinstance(n, Decimal):
        return n  # None or INVALIDE
    return int(n) if n == n.to_integral_value() and abs(n) <= ENTIER_MAX else INVALIDE


def centimes(v: object) -> object:
    """An amount in euros, as integer cents rounded half up; an empty amount is 0."""
    n = nombre(v)
    if n is None:
        return 0
    if not isinstance(n, Decimal) or abs(n) * 100 > CENTIMES_MAX:
        return INVALIDE
    exposant = n.as_tuple().exponent  # 'n', 'N', 'F' only for NaN and infinities, refused above
    if isinstance(v, str) and isinstance(exposant, int) and exposant < -2:
        return INVALIDE  # '10,000' typed: ten euros or ten thousand? the operator says
    return int((n * 100).quantize(Decimal(1), rounding=ROUND_HALF_UP))


_DATE_TEXTE = (
    (re.compile(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})"), (3, 2, 1)),
    (re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})"), (1, 2, 3)),
)
_EXCEL_ORIGINE = dt.date(1899, 12, 30)


@lru_cache(maxsize=4096, typed=True)
def _date(v: object) -> object:
    if isinstance(v, dt.datetime):
        v = v.date()
    if isinstance(v, dt.date):
        return v if 1900 <= v.year < 2200 else INVALIDE
    if isinstance(v, (int, float)) and not isinstance(v, bool) and 20000 <= v <= 80000:
        return _EXCEL_ORIGINE + dt.timedelta(days=int(v))  # a date cell formatted as number
    if isinstance(v, str):
        s = chiffres(v).strip()
        for motif, (a, m, j) in _DATE_TEXTE:
            r = motif.fullmatch(s)
            if r:
                try:
                    return _date(dt.date(int(r.group(a)), int(r.group(m)), int(r.group(j))))
                except ValueError:
                    return INVALIDE  # 31/02: a date that does not exist
    return INVALIDE


def date(v: object) -> object:
    """A date: date cell, or '15/06/2027', '15-06-2027', '2027-06-15'."""
    if est_vide(v):
        return None
    return _date(v)


_DUREE = re.compile(
    r"(?:(?P<h>\d+)\s*(?:h|heures?|:)\s*(?P<m>\d{1,2})?\s*(?:min)?"
    r"|(?P<min>\d+)\s*(?:min|mn|minutes?)"
    r"|(?P<dec>\d+[.,]\d+)\s*(?:h|heures?))"
)
DUREE_MAX = 12  # hours: a longer session is a typing error (90 meant as minutes, say)


@lru_cache(maxsize=1024, typed=True)
def _duree(v: object) -> object:
    if isinstance(v, dt.time):
        return Decimal(v.hour) + Decimal(v.minute) / 60 + Decimal(v.second) / 3600
    if isinstance(v, dt.timedelta):
        return Decimal(int(v.total_seconds())) / 3600
    n = _nombre(v)
    if isinstance(n, Decimal):
        return n if 0 < n <= DUREE_MAX else INVALIDE
    if not isinstance(v, str):
        return INVALIDE
    r = _DUREE.fullmatch(chiffres(v).strip().lower())
    if not r:
        return INVALIDE
    if r.group("min"):
        heures = Decimal(r.group("min")) / 60
    elif r.group("dec"):
        heures = Decimal(r.group("dec").replace(",", "."))
    elif int(r.group("m") or 0) >= 60:
        return INVALIDE  # 1h75
    else:
        heures = Decimal(r.group("h")) + Decimal(r.group("m") or 0) / 60
    return heures if 0 < heures <= DUREE_MAX else INVALIDE


def duree(v: object) -> object:
    """A duration in hours: '1h30', '1 h 30', '1:30', '90 min', '1,5', 1.5."""
    if est_vide(v):
        return None
    return _duree(v)


@lru_cache(maxsize=1024, typed=True)
def choix(v: object, options: tuple[str, ...]) -> object:
    """One of a list, matched like labels ('bac + 2' is 'Bac+2', '6ème' is '6e')."""
    if est_vide(v):
        return None
    k = cle_libelle(texte(v))
    for o in options:
        if cle_libelle(o) == k:
            return o
    k = _ALIAS.get(k, k)
    for o in options:
        if cle_libelle(o) == k:
            return o
    return texte(v)  # kept as typed: the list check reports it


_ALIAS = {
    "6eme": "6e",
    "5eme": "5e",
    "4eme": "4e",
    "3eme": "3e",
    "seconde": "2nde",
    "2de": "2nde",
    "premiere": "1re",
    "1ere": "1re",
    "term": "terminale",
    "tle": "terminale",
    "bac2": "bac2",
    "bacplus2": "bac2",
    "bac5": "bac5etplus",
    "bac5plus": "bac5etplus",
    "aucun": "sansdiplome",
    "cap": "capbep",
    "bep": "capbep",
}

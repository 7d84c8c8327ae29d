"""PDF rendering of the letters with WeasyPrint: only the project's own template files
are served, fonts are stamped at a fixed date, no identifier: same HTML, same bytes."""

from __future__ import annotations

import contextlib
import functools
import logging
import mimetypes
import os
from pathlib import Path
from urllib.parse import urlsplit
from urllib.request import url2pathname

import weasyprint
from weasyprint.text.fonts import FontConfiguration

from campaign.ecrire.courriers import FEUILLES, GABARITS

EPOQUE_POLICES = 1767225600  # 2026-01-01T00:00:00Z, the stamp of the fonts embedded in letters


class _SansAvisHarfBuzz(logging.Filter):
    """WeasyPrint warns, for each font of each letter, that it subsets with fontTools when
    the system lacks HarfBuzz-Subset: expected here (the fonts are pre-cut), and noise."""

    def filter(self, record: logging.LogRecord) -> bool:
        return "HarfBuzz-Subset" not in record.getMessage()


logging.getLogger("weasyprint").addFilter(_SansAvisHarfBuzz())


class RecuperateurGabarits(weasyprint.URLFetcher):
    """Serves the files under `racine` and nothing else (no network, no other file)."""

    def __init__(self, racine: Path = GABARITS):
        super().__init__(allowed_protocols=("file",), fail_on_errors=False)
        self.racine = racine.resolve()

    def fetch(self, url, headers=None):
        parties = urlsplit(url)
        if parties.scheme != "file" or parties.netloc not in ("", "localhost"):
            raise ValueError(f"ressource refusée : {url}")
        chemin = Path(url2pathname(parties.path)).resolve()
        if not chemin.is_relative_to(self.racine) or not chemin.is_file():
            raise ValueError(f"ressource refusée : {url}")
        type_mime = mimetypes.guess_type(chemin.name)[0] or "application/octet-stream"
        return weasyprint.urls.URLFetcherResponse(
            chemin.as_uri(), chemin.read_bytes(), {"Content-Type": type_mime})


@contextlib.contextmanager
def _horodatage_fixe():
    """fontTools stamps each font subset it writes with the current time ('head' table), so
    the same letter rendered a second later differs; SOURCE_DATE_EPOCH (the reproducible-
    builds convention, honoured by fontTools) fixes that stamp."""
    avant = os.environ.get("SOURCE_DATE_EPOCH")
    os.environ["SOURCE_DATE_EPOCH"] = str(EPOQUE_POLICES)
    try:
        yield
    finally:
        if avant is None:
            del os.environ["SOURCE_DATE_EPOCH"]
        else:
            os.environ["SOURCE_DATE_EPOCH"] = avant


@functools.lru_cache(maxsize=4)
def _feuilles(racine: Path, polices: bool, _versions: tuple) -> tuple:
    """The parsed stylesheets and their fonts, once per process (a documented WeasyPrint
    pattern: one FontConfiguration shared by the documents); -20 % per letter."""
    config = FontConfiguration()
    recuperateur = RecuperateurGabarits(racine)
    noms = FEUILLES if polices else FEUILLES[1:]
    return config, [weasyprint.CSS(filename=str(racine / nom), font_config=config,
                                   url_fetcher=recuperateur) for nom in noms]


def pdf(page: str, racine: Path = GABARITS, polices: bool = True) -> bytes:
    """HTML -> PDF bytes, reproducible: no identifier, dates from the HTML's metadata, fixed
    font stamps. Same HTML, same bytes, in any process at any time.

    `polices=False` leaves out the shipped fonts (the system's DejaVu Sans then), for the
    bench's comparison only."""
    versions = tuple((n, (racine / n).stat().st_mtime_ns) for n in FEUILLES)
    config, feuilles = _feuilles(racine, polices, versions)
    document = weasyprint.HTML(string=page, base_url=racine.as_uri() + "/",
                               url_fetcher=RecuperateurGabarits(racine))
    with _horodatage_fixe():
        return document.write_pdf(stylesheets=feuilles, font_config=config,
                                  pdf_identifier=False, uncompressed_pdf=False)



"""PDF rendering of the letters with WeasyPrint: only the files of the templates folders
(the Caf's own, then the shipped one) are served, fonts are stamped at a fixed date, the
file identifier is the md5 of the content (pydyf), dates come from the HTML: same HTML, same
bytes. PDF/A-3b, tagged (a
structure tree in reading order; backgrounds such as the PROJET mark are artifacts), with
XMP title, author, subject and language from the HTML's <head>."""

from __future__ import annotations

import base64
import contextlib
import functools
import html
import logging
import mimetypes
import multiprocessing.util
import os
import shutil
from pathlib import Path
from urllib.parse import urlsplit
from urllib.request import url2pathname

import weasyprint
from weasyprint.text.fonts import FontConfiguration

from campaign.ecrire.courriers.pdf import sous_ensembles
from campaign.ecrire.gabarits import chercher, dossiers_gabarits

FEUILLES_STYLE = ("polices.css", "courrier.css")  # @font-face first; given to WeasyPrint, not linked
VARIANTE_PDF = "pdf/a-3b"  # archived decisions: PDF/A-3b, tagged, XMP from the HTML's <head>
XMP_PDF_UA = "pdfua-1.xmp"  # and PDF/UA-1: its mark added to the XMP (WeasyPrint makes one variant)
IMAGES_EN_LIGNE = ("image/png", "image/jpeg")  # the data: URIs served: a signature's image
EPOQUE_POLICES = 1767225600  # 2026-01-01T00:00:00Z, the stamp of the fonts embedded in letters


class _SansAvisHarfBuzz(logging.Filter):
    """WeasyPrint warns, for each font of each letter, that it subsets with fontTools when
    the system lacks HarfBuzz-Subset: expected here (the fonts are pre-cut), and noise."""

    def filter(self, record: logging.LogRecord) -> bool:
        return "HarfBuzz-Subset" not in record.getMessage()


logging.getLogger("weasyprint").addFilter(_SansAvisHarfBuzz())


class RecuperateurGabarits(weasyprint.URLFetcher):
    """Serves the files of the templates folders, and the data: URIs a letter carries (its
    signature's image), and nothing else (no network, no other file). A URL under any of the
    folders is looked up in all of them, first found wins: the Caf's stylesheet asking for
    `fonts/x.ttf` beside it gets the shipped font."""

    def __init__(self, dossiers: tuple[Path, ...] | None = None):
        super().__init__(allowed_protocols=("file", "data"), fail_on_errors=False)
        self.dossiers = tuple(d.resolve() for d in (dossiers or dossiers_gabarits()))

    def fetch(self, url: str, headers: dict | None = None) -> weasyprint.urls.URLFetcherResponse:
        parties = urlsplit(url)
        if parties.scheme == "data":  # the signature's image, carried by the letter's HTML
            type_mime, _, donnees = url.removeprefix("data:").partition(";base64,")
            if type_mime not in IMAGES_EN_LIGNE or not donnees:
                raise ValueError(f"ressource refusée : {url[:60]}")
            return weasyprint.urls.URLFetcherResponse(
                url, base64.b64decode(donnees, validate=True), {"Content-Type": type_mime}
            )
        if parties.scheme != "file" or parties.netloc not in ("", "localhost"):
            raise ValueError(f"ressource refusée : {url}")
        chemin = self._trouver(Path(url2pathname(parties.path)).resolve())
        if chemin is None:
            raise ValueError(f"ressource refusée : {url}")
        type_mime = mimetypes.guess_type(chemin.name)[0] or "application/octet-stream"
        return weasyprint.urls.URLFetcherResponse(
            chemin.as_uri(), chemin.read_bytes(), {"Content-Type": type_mime}
        )

    def _trouver(self, demande: Path) -> Path | None:
        relatif = next((demande.relative_to(d) for d in self.dossiers if demande.is_relative_to(d)), None)
        if relatif is None:
            return None
        for dossier in self.dossiers:
            chemin = (dossier / relatif).resolve()
            if chemin.is_relative_to(dossier) and chemin.is_file():
                return chemin
        return None


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
def _feuilles(dossiers: tuple[Path, ...], polices: bool, _versions: tuple) -> tuple:
    """The parsed stylesheets and their fonts, once per process (a documented WeasyPrint
    pattern: one FontConfiguration shared by the documents); -20 % per letter."""
    config = FontConfiguration()
    recuperateur = RecuperateurGabarits(dossiers)
    noms = FEUILLES_STYLE if polices else FEUILLES_STYLE[1:]
    feuilles = [
        weasyprint.CSS(filename=str(chercher(nom, dossiers)), font_config=config, url_fetcher=recuperateur)
        for nom in noms
    ]
    _effacer_a_la_sortie(config)
    return config, feuilles


def _effacer_a_la_sortie(config: FontConfiguration) -> None:
    """WeasyPrint copies the @font-face fonts into a temporary folder (`weasyprint-*`) that only
    the configuration's `__del__` removes; a configuration kept for the process's life, as here,
    is never collected, so every process that made a letter left its folder behind (seen: 1,494
    folders, 193 MB in /tmp after a season of runs). Removed when the process ends: through
    multiprocessing's exit hooks, which run in pool workers as well as at the main process's
    exit (atexit alone never runs in a worker). Only the process that made it removes it."""
    dossier = getattr(config, "_folder", None)  # WeasyPrint's own attribute; None if no font-face
    if dossier is not None:
        multiprocessing.util.Finalize(config, _effacer, args=(str(dossier), os.getpid()), exitpriority=0)


def _effacer(dossier: str, proprietaire: int) -> None:
    if os.getpid() == proprietaire:  # a forked child inherits the hook, not the folder
        shutil.rmtree(dossier, ignore_errors=True)


def pdf(page: str, dossiers: tuple[Path, ...] | None = None, polices: bool = True) -> bytes:
    """HTML -> PDF/A-3b bytes, reproducible: a content-derived identifier, dates from the HTML's
    metadata, fixed font stamps. Same HTML, same bytes, in any process at any time.

    `dossiers`: the templates folders (`gabarits.dossiers_gabarits`), the shipped one by
    default. `polices=False` leaves out the shipped fonts (the system's DejaVu Sans then),
    for the bench's comparison only."""
    dossiers = dossiers or dossiers_gabarits()
    trouvees = [chercher(n, dossiers) for n in FEUILLES_STYLE]
    versions = tuple((str(f), f.stat().st_mtime_ns) for f in trouvees)
    config, feuilles = _feuilles(dossiers, polices, versions)
    document = weasyprint.HTML(
        string=page, base_url=dossiers[0].as_uri() + "/", url_fetcher=RecuperateurGabarits(dossiers)
    )
    # the same subset made once; streams deflated at zlib's default level, not pydyf's 9
    with _horodatage_fixe(), sous_ensembles.gardes():
        return document.write_pdf(
            stylesheets=feuilles,
            font_config=config,
            pdf_variant=VARIANTE_PDF,
            pdf_tags=True,
            xmp_metadata=[chercher(XMP_PDF_UA, dossiers).as_uri()],
            pdf_identifier=True,
            uncompressed_pdf=False,
        )


# A page in the letters' fonts (regular, bold, italic) holding every character of the socle:
# laid out once by each renderer before its first letter, it loads WeasyPrint, the fonts and
# the stylesheets and makes the font subsets that nearly every letter then reuses.
PAGE_ECHAUFFEMENT = """<!DOCTYPE html><html lang="fr"><head><meta charset="utf-8"><title>-</title>
<meta name="dcterms.created" content="2026-01-01"><meta name="dcterms.modified" content="2026-01-01">
</head><body><p>{socle}</p><p><strong>{socle}</strong></p><p><em>{socle}</em></p></body></html>"""


def echauffer(dossiers: tuple[Path, ...]) -> None:
    """Lay out the warm-up page; never raises (a broken template of the Caf's is reported by the
    letters themselves, in their own words)."""
    with contextlib.suppress(Exception):  # whatever fails here fails again, reported, later
        pdf(PAGE_ECHAUFFEMENT.format(socle=html.escape(sous_ensembles.SOCLE)), dossiers)

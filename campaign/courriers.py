"""The decision letters: Jinja HTML -> PDF with WeasyPrint, a cache, two processes.

What each letter says is built in `courrier_vue`; here it is rendered and written:

- Jinja with StrictUndefined (a missing value is an error, never a blank) and autoescape
  (an operator's `<b>` prints as typed);
- WeasyPrint with a URL fetcher that serves only files under `templates/` (the CSS and the
  shipped fonts): no network, no other file, whatever the operator typed;
- reproducible PDFs: fixed metadata (dates from the letter's date, no random identifier),
  so the same inputs and letter date give the same bytes and the same sha256;
- a cache of PDFs keyed by the view, the templates and fonts, and the WeasyPrint version:
  an analyst's rerun only renders the letters whose content changed;
- cold letters rendered in a pool of processes (WeasyPrint is CPU-bound, one core each).
"""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import functools
import hashlib
import json
import logging
import mimetypes
import os
import shutil
import tempfile
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from urllib.parse import urlsplit
from urllib.request import url2pathname

import weasyprint
from jinja2 import Environment, FileSystemLoader, StrictUndefined
from weasyprint.text.fonts import FontConfiguration

from campaign import sorties
from campaign.courrier_vue import Lettre, lettres

GABARITS = Path(__file__).resolve().parent.parent / "templates"
GABARIT = "courrier.html.j2"
FEUILLES = ("polices.css", "courrier.css")  # @font-face first; given to WeasyPrint, not linked
DOSSIER_COURRIERS = "courriers"
PUBLIPOSTAGE = "publipostage.csv"
COLONNES_PUBLIPOSTAGE = ("fichier", "siret", "destinataire", "courriel", "adresse", "code_postal",
                         "commune", "courrier", "decision", "total", "sha256")
EPOQUE_POLICES = 1767225600  # 2026-01-01T00:00:00Z, the stamp of the fonts embedded in letters
SEUIL_PARALLELE = 4  # below this many letters to render, a pool costs more than it saves


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


def environnement(racine: Path = GABARITS) -> Environment:
    return Environment(loader=FileSystemLoader(racine), autoescape=True,
                       undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True)


def html(vue: dict, env: Environment | None = None) -> str:
    """The letter's HTML; raises jinja2.UndefinedError when the view lacks a value."""
    return (env or environnement()).get_template(GABARIT).render(vue=vue)


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


def empreinte_gabarits(racine: Path = GABARITS) -> str:
    """Hash of every file under templates/ (names and bytes) and of the WeasyPrint version."""
    h = hashlib.sha256(f"weasyprint {weasyprint.__version__}\n".encode())
    for chemin in sorted(p for p in racine.rglob("*") if p.is_file()):
        h.update(chemin.relative_to(racine).as_posix().encode() + b"\0")
        h.update(hashlib.sha256(chemin.read_bytes()).digest())
    return h.hexdigest()


def cle(vue: dict, empreinte: str) -> str:
    texte = json.dumps(vue, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256((empreinte + "\n" + texte).encode("utf-8")).hexdigest()


def _ecrire_atomique(chemin: Path, contenu: bytes) -> None:
    chemin.parent.mkdir(parents=True, exist_ok=True)
    fd, provisoire = tempfile.mkstemp(dir=chemin.parent, prefix=".", suffix=".part")
    with os.fdopen(fd, "wb") as f:
        f.write(contenu)
    os.replace(provisoire, chemin)


def _rendre(pages: list[str], processus: int) -> list[bytes]:
    if processus > 1 and len(pages) >= SEUIL_PARALLELE:
        with ProcessPoolExecutor(max_workers=processus) as pool:
            return list(pool.map(pdf, pages, chunksize=max(1, len(pages) // (processus * 8))))
    return [pdf(p) for p in pages]


def produire(liste: list[Lettre], dossier_courriers: Path, cache: Path | None,
             processus: int = 2) -> tuple[dict[str, bytes], int, int]:
    """Write each letter's PDF into `dossier_courriers`; -> ({nom_pdf: bytes}, rendus, caches)."""
    env, empreinte = environnement(), empreinte_gabarits()
    cles = [cle(lettre.vue, empreinte) for lettre in liste]
    resultats: dict[str, bytes] = {}
    a_rendre: list[int] = []
    for i, (lettre, k) in enumerate(zip(liste, cles)):
        en_cache = cache / k[:2] / f"{k}.pdf" if cache else None
        if en_cache is not None and en_cache.is_file():
            resultats[lettre.nom_pdf] = en_cache.read_bytes()
        else:
            a_rendre.append(i)
    pages = [html(liste[i].vue, env) for i in a_rendre]  # template errors surface here
    for i, contenu in zip(a_rendre, _rendre(pages, processus)):
        resultats[liste[i].nom_pdf] = contenu
        if cache is not None:
            _ecrire_atomique(cache / cles[i][:2] / f"{cles[i]}.pdf", contenu)
    dossier_courriers.mkdir(parents=True, exist_ok=True)
    for nom, contenu in resultats.items():
        (dossier_courriers / nom).write_bytes(contenu)
    return resultats, len(a_rendre), len(liste) - len(a_rendre)


def ecrire_publipostage(chemin: Path, liste: list[Lettre], pdfs: dict[str, bytes]) -> None:
    """publipostage.csv: one row per letter, sorted by file, with the PDF's sha256."""
    lignes = []
    for lettre in sorted(liste, key=lambda x: x.fichier):
        p = lettre.publipostage
        lignes.append([p["fichier"], p["siret"], p["destinataire"], p["courriel"], p["adresse"],
                       p["code_postal"], p["commune"], f"{DOSSIER_COURRIERS}/{lettre.nom_pdf}",
                       p["decision"], sorties.euros(p["total"]),
                       hashlib.sha256(pdfs[lettre.nom_pdf]).hexdigest()])
    with chemin.open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)  # RFC 4180 line ends, like the other CSV outputs
        w.writerow(COLONNES_PUBLIPOSTAGE)
        w.writerows(lignes)


def ecrire_courriers(resultat, dossier_sortie: Path, date_courrier: dt.date,
                     cache: Path | None, processus: int = 2) -> dict:
    """courriers/<siret>-<slug>.pdf for each TRAITE or INCOMPLET dossier, and publipostage.csv.

    -> {"rendus", "caches", "sans_courrier" (files without a letter: ILLISIBLE, IGNORE),
        "fichiers" (paths written, relative to dossier_sortie),
        "courriers" ({fichier: its letter's path}, for synthese.xlsx's links)}.
    """
    liste, sans_courrier = lettres(resultat, date_courrier)
    dossier = dossier_sortie / DOSSIER_COURRIERS
    if dossier.exists():
        shutil.rmtree(dossier)  # no stale letter of a dossier that left the campagne
    pdfs, rendus, caches = produire(liste, dossier, cache, processus)
    if not liste:
        dossier.mkdir(parents=True, exist_ok=True)
    ecrire_publipostage(dossier_sortie / PUBLIPOSTAGE, liste, pdfs)
    fichiers = sorted(f"{DOSSIER_COURRIERS}/{lettre.nom_pdf}" for lettre in liste) + [PUBLIPOSTAGE]
    return {"rendus": rendus, "caches": caches, "sans_courrier": sans_courrier,
            "fichiers": fichiers,
            "courriers": {lettre.fichier: f"{DOSSIER_COURRIERS}/{lettre.nom_pdf}" for lettre in liste}}

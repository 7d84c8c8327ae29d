"""The decision letters: Jinja HTML -> PDF with WeasyPrint, a cache, two processes.

What each letter says is built in `courrier_vue`; here it is rendered and written:

- Jinja with StrictUndefined (a missing value is an error, never a blank) and autoescape
  (an operator's `<b>` prints as typed);
- templates from the Caf's own folder (`[caf] gabarits`), then the shipped `templates/`;
- WeasyPrint with a URL fetcher that serves only files of those folders (the CSS and the
  shipped fonts): no network, no other file, whatever the operator typed;
- reproducible PDFs: fixed metadata (dates from the letter's date, no random identifier),
  so the same inputs and letter date give the same bytes and the same sha256;
- a cache of PDFs keyed by the view, the templates and fonts, and the WeasyPrint version:
  an analyst's rerun only renders the letters whose content changed;
- cold letters rendered in a pool of processes (WeasyPrint is CPU-bound, one core each).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import shutil
from collections.abc import Callable
from functools import partial
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined, TemplateError, TemplateSyntaxError

from campaign.atelier import Atelier
from campaign.ecrire.cache_courriers import cle_cache, elaguer, empreinte_gabarits
from campaign.ecrire.courrier_vue import Lettre, lettres
from campaign.ecrire.publipostage import DOSSIER_COURRIERS, PUBLIPOSTAGE, ecrire_publipostage
from campaign.ecriture import ecrire_entier
from campaign.erreurs import CampaignError
from campaign.gabarits import dossier_gabarits, dossiers_gabarits
from campaign.progression import Progression

GABARITS = dossier_gabarits()  # the shipped folder
GABARIT = "courrier.html.j2"
SEUIL_PARALLELE = 4  # below this many letters to render, a pool costs more than it saves
SEUILS_RAMASSE_MIETTES = (10_000, 50, 50)  # a renderer's gc thresholds (Python's: 700, 10, 10)
PENDANT = "et, en même temps, le classeur du comité"  # the letters' bar while `pendant` is done


def environnement(dossiers: tuple[Path, ...] | None = None) -> Environment:
    """Jinja over the templates folders, first found wins (a Caf's folder may hold only
    its letterhead, `_entete.html.j2`: the other templates are the shipped ones)."""
    return Environment(
        loader=FileSystemLoader(dossiers or dossiers_gabarits()),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def html(vue: dict, env: Environment | None = None) -> str:
    """The letter's HTML; raises jinja2.UndefinedError when the view lacks a value."""
    return (env or environnement()).get_template(GABARIT).render(vue=vue)


def pdf(page: str, dossiers: tuple[Path, ...] | None = None, polices: bool = True) -> bytes:
    """HTML -> PDF bytes (see `rendu_pdf.pdf`); WeasyPrint is imported only when a letter is
    rendered, so a rerun whose letters all come from the cache does not pay for it."""
    from campaign.ecrire import rendu_pdf

    return rendu_pdf.pdf(page, dossiers, polices)


def __getattr__(nom: str):
    if nom == "RecuperateurGabarits":  # the fetcher lives with the renderer
        from campaign.ecrire.rendu_pdf import RecuperateurGabarits

        return RecuperateurGabarits
    raise AttributeError(nom)


def echauffer(dossiers: tuple[Path, ...]) -> None:
    """A renderer process's first letter, laid out ahead (`Atelier.preparer`, in a worker): see
    `rendu_pdf.echauffer`. Then what it loaded (WeasyPrint, fonts, stylesheets) is set apart
    from the garbage collector's rounds, which come ten times less often: a letter makes
    hundreds of thousands of short-lived objects, and the collector's rounds over them and over
    WeasyPrint cost 5 % of a letter (50 MB more per renderer)."""
    import gc

    from campaign.ecrire import rendu_pdf

    rendu_pdf.echauffer(dossiers)
    gc.collect()
    gc.freeze()
    gc.set_threshold(*SEUILS_RAMASSE_MIETTES)


def _rendre(
    pages: list[str],
    processus: int,
    dossiers: tuple[Path, ...],
    atelier: Atelier | None = None,
    pendant: Callable[[], object] | None = None,
) -> list[bytes]:
    """The PDFs of `pages`, in order: in the run's workers when it has some (already warm: even
    one letter goes there), in a pool of their own for many letters, else here. `pendant` is
    done here once the letters are handed to the workers, while they render (only then)."""
    rendre = partial(pdf, dossiers=dossiers)
    pdfs: list[bytes] = []
    a_soi = atelier is None and len(pages) >= SEUIL_PARALLELE
    travail = atelier or Atelier(processus if a_soi else 1)
    with (
        Progression("Courriers", len(pages)) as progression,
        travail if atelier is None else contextlib.nullcontext(),
    ):
        if travail.parallele and pages:
            rendus = travail.map(rendre, pages)  # one letter per task: no idle core at the end
            if pendant is not None:
                progression.avancer(0, detail=PENDANT)
                pendant()
                progression.avancer(0, detail="")
            for contenu in rendus:
                pdfs.append(contenu)
                progression.avancer()
        else:
            for page in pages:
                pdfs.append(rendre(page))
                progression.avancer()
    return pdfs


def _pages(liste: list[Lettre], env: Environment, dossiers: tuple[Path, ...]) -> list[str]:
    """The letters' HTML; an error in a Caf's own template is the analyst's to fix (one French
    sentence), an error in the shipped ones is a bug and stays one."""
    try:
        return [html(lettre.vue, env) for lettre in liste]
    except TemplateError as exc:
        if len(dossiers) == 1:
            raise
        ou = (
            f" (« {exc.filename} », ligne {exc.lineno})"
            if isinstance(exc, TemplateSyntaxError) and exc.filename
            else ""
        )
        raise CampaignError(
            f"Un gabarit du dossier de la Caf {dossiers[0]} ne peut pas être utilisé{ou} : "
            f"{exc.message or type(exc).__name__} ; corrigez-le, ou retirez-le de ce dossier pour "
            "reprendre le gabarit livré."
        ) from exc


def produire(
    liste: list[Lettre],
    dossier_courriers: Path,
    cache: Path | None,
    processus: int = 2,
    dossiers: tuple[Path, ...] | None = None,
    atelier: Atelier | None = None,
    pendant: Callable[[], object] | None = None,
) -> tuple[dict[str, bytes], int, int]:
    """Write each letter's PDF into `dossier_courriers`; -> ({nom_pdf: bytes}, rendus, caches).
    `dossiers`: the templates folders (`gabarits.dossiers_gabarits`), the shipped one by default;
    `pendant`: done while the workers render (`_rendre`), if they do."""
    dossiers = dossiers or dossiers_gabarits()
    env, empreinte = environnement(dossiers), empreinte_gabarits(dossiers)
    cles = [cle_cache(lettre.vue, empreinte) for lettre in liste]
    resultats: dict[str, bytes] = {}
    a_rendre: list[int] = []
    for i, (lettre, k) in enumerate(zip(liste, cles)):
        en_cache = cache / k[:2] / f"{k}.pdf" if cache else None
        if en_cache is not None and en_cache.is_file():
            resultats[lettre.nom_pdf] = en_cache.read_bytes()
        else:
            a_rendre.append(i)
    pages = _pages([liste[i] for i in a_rendre], env, dossiers)  # template errors surface here
    for i, contenu in zip(a_rendre, _rendre(pages, processus, dossiers, atelier, pendant)):
        resultats[liste[i].nom_pdf] = contenu
        if cache is not None:
            ecrire_entier(cache / cles[i][:2] / f"{cles[i]}.pdf", contenu)
    if cache is not None:
        elaguer(cache, set(cles))
    dossier_courriers.mkdir(parents=True, exist_ok=True)
    for nom, contenu in resultats.items():
        (dossier_courriers / nom).write_bytes(contenu)
    return resultats, len(a_rendre), len(liste) - len(a_rendre)


def ecrire_courriers(
    resultat,
    dossier_sortie: Path,
    date_courrier: dt.date,
    cache: Path | None,
    processus: int = 2,
    date_imposee: bool = True,
    atelier: Atelier | None = None,
    pendant: Callable[[dict[str, str]], object] | None = None,
) -> dict:
    """courriers/<siret>-<slug>.pdf for each TRAITE or INCOMPLET dossier, and publipostage.csv.
    `pendant(liens)` is done while the run's workers render the letters, when they have some to
    render; `liens` is the "courriers" of the result below.

    -> {"rendus", "caches", "sans_courrier" (files without a letter: ILLISIBLE, IGNORE),
        "fichiers" (paths written, relative to dossier_sortie),
        "courriers" ({fichier: its letter's path}, for synthese.xlsx's links)}.
    """
    liste, sans_courrier = lettres(resultat, date_courrier, date_imposee)
    dossier = dossier_sortie / DOSSIER_COURRIERS
    if dossier.exists():
        shutil.rmtree(dossier)  # no stale letter of a dossier that left the campagne
    dossiers = dossiers_gabarits(resultat.campagne.gabarits)
    liens = {lettre.fichier: f"{DOSSIER_COURRIERS}/{lettre.nom_pdf}" for lettre in liste}
    a_faire = partial(pendant, liens) if pendant is not None else None
    pdfs, rendus, caches = produire(liste, dossier, cache, processus, dossiers, atelier, a_faire)
    if not liste:
        dossier.mkdir(parents=True, exist_ok=True)
    ecrire_publipostage(dossier_sortie / PUBLIPOSTAGE, liste, pdfs)
    fichiers = sorted(f"{DOSSIER_COURRIERS}/{lettre.nom_pdf}" for lettre in liste) + [PUBLIPOSTAGE]
    return {
        "rendus": rendus,
        "caches": caches,
        "sans_courrier": sans_courrier,
        "fichiers": fichiers,
        "courriers": liens,
    }

"""The letters of a run: each rendered once (`ecrire.courriers.rendu`), kept in a cache, the
cold ones in the run's pool of processes, then written with publipostage.csv.

- a cache of PDFs keyed by the view, the templates and fonts, and the rendering code and
  libraries (`cache_courriers`): an analyst's rerun only renders the letters whose content
  changed;
- cold letters rendered in the run's worker processes (WeasyPrint is CPU-bound, one core
  each); `pendant` (the committee's workbook) is written here meanwhile;
- beside each completion request, the operator's dossier pre-filled and annotated
  (`dossier_vierge.a_corriger`), written on every run, whether its letter came from the cache
  or not.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import gc
import shutil
from collections.abc import Callable
from functools import partial
from pathlib import Path

from campaign.dossier_vierge.a_corriger import ecrire_classeurs_a_corriger
from campaign.ecrire.courriers import rendu
from campaign.ecrire.courriers.completion import joindre_classeur
from campaign.ecrire.courriers.publipostage import DOSSIER_COURRIERS, PUBLIPOSTAGE, ecrire_publipostage
from campaign.ecrire.courriers.vue import Lettre, lettres
from campaign.ecrire.gabarits import dossiers_gabarits
from campaign.lire.lecture import Lecture
from campaign.run.atelier import Atelier
from campaign.run.cache_courriers import cle_cache, elaguer, empreinte_gabarits
from campaign.run.fichiers import ecrire_entier
from campaign.run.progression import Progression

SEUIL_PARALLELE = 4  # below this many letters to render, a pool costs more than it saves
SEUILS_RAMASSE_MIETTES = (10_000, 50, 50)  # a renderer's gc thresholds (Python's: 700, 10, 10)
PENDANT = "et, en même temps, le classeur du comité"  # the letters' bar while `pendant` is done


def preparer_rendu(dossiers: tuple[Path, ...]) -> None:
    """A worker of the run's pool made ready to render (`Atelier.preparer`): its first letter
    laid out ahead (`rendu.echauffer`), then what it loaded (WeasyPrint, fonts, stylesheets)
    set apart from the garbage collector, whose rounds come ten times less often in this
    process that only renders: a letter makes hundreds of thousands of short-lived objects,
    and the rounds over them and over WeasyPrint cost a tenth of a letter's CPU (measured
    2026-12-07: 75 against 83 ms a letter; 50 MB more per renderer). The run's own process
    is left as Python sets it."""
    rendu.echauffer(dossiers)
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
    rendre = partial(rendu.pdf, dossiers=dossiers)
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
    env, empreinte = rendu.environnement(dossiers), empreinte_gabarits(dossiers)
    cles = [cle_cache(lettre.vue, empreinte) for lettre in liste]
    resultats: dict[str, bytes] = {}
    a_rendre: list[int] = []
    for i, (lettre, k) in enumerate(zip(liste, cles)):
        en_cache = cache / k[:2] / f"{k}.pdf" if cache else None
        if en_cache is not None and en_cache.is_file():
            resultats[lettre.nom_pdf] = en_cache.read_bytes()
        else:
            a_rendre.append(i)
    pages = rendu.pages([liste[i] for i in a_rendre], env, dossiers)  # template errors surface here
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


def classeurs_joints(resultat, liste: list[Lettre]) -> dict[str, Lecture]:
    """The pre-filled workbook of each completion request, named as its PDF (`.xlsx`), said
    in its view: -> {name: the INCOMPLET file's reading}."""
    classeurs = {}
    for lettre in liste:
        lecture = resultat.incomplets.get(lettre.fichier)
        if lettre.vue.get("variante") == "completion" and lecture is not None:
            nom = lettre.nom_pdf.removesuffix(".pdf") + ".xlsx"
            joindre_classeur(lettre.vue, nom)
            classeurs[nom] = lecture
    return classeurs


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
    """courriers/<siret>-<slug>.pdf for each TRAITE or INCOMPLET dossier, beside an INCOMPLET
    one's PDF its pre-filled dossier (`.xlsx`), and publipostage.csv.
    `pendant(liens)` is done while the run's workers render the letters, when they have some to
    render; `liens` is the "courriers" of the result below.

    -> {"rendus", "caches", "sans_courrier" (files without a letter: ILLISIBLE, IGNORE),
        "fichiers" (paths written, relative to dossier_sortie),
        "courriers" ({fichier: its letter's path}, for synthese.xlsx's links)}.
    """
    liste, sans_courrier = lettres(resultat, date_courrier, date_imposee)
    classeurs = classeurs_joints(resultat, liste)  # before the cache keys: the letter names it
    dossier = dossier_sortie / DOSSIER_COURRIERS
    if dossier.exists():
        shutil.rmtree(dossier)  # no stale letter of a dossier that left the campagne
    dossiers = dossiers_gabarits(resultat.campagne.gabarits)
    liens = {lettre.fichier: f"{DOSSIER_COURRIERS}/{lettre.nom_pdf}" for lettre in liste}
    a_faire = partial(pendant, liens) if pendant is not None else None
    pdfs, rendus, caches = produire(liste, dossier, cache, processus, dossiers, atelier, a_faire)
    if not liste:
        dossier.mkdir(parents=True, exist_ok=True)
    ecrire_classeurs_a_corriger(dossier, resultat.campagne, classeurs, resultat.anomalies)
    ecrire_publipostage(dossier_sortie / PUBLIPOSTAGE, liste, pdfs)
    ecrits = [lettre.nom_pdf for lettre in liste] + list(classeurs)
    fichiers = sorted(f"{DOSSIER_COURRIERS}/{nom}" for nom in ecrits) + [PUBLIPOSTAGE]
    return {
        "rendus": rendus,
        "caches": caches,
        "sans_courrier": sans_courrier,
        "fichiers": fichiers,
        "courriers": liens,
    }

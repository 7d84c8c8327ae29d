"""`campaign run` from its arguments to its exit code: the campagne and the output path checked,
the lock taken, then either the outputs already there (a rerun without change,
`campaign.run.relance`) or the pipeline. The pipeline and its libraries (pandas, pandera,
WeasyPrint) are imported only when there is work to do: a rerun without change reads no
workbook and loads none of them; otherwise they load while the dossiers are being read.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import io
from pathlib import Path

from campaign.calendrier import aujourdhui, verifier_date_courrier
from campaign.decider.parametres import charger_parametres
from campaign.ecrire.gabarits import fichiers as fichiers_gabarits
from campaign.erreurs import CampaignError
from campaign.lire.campagne import Campagne, charger_campagne
from campaign.run import console, relance
from campaign.run import sortie as dossier_sortie
from campaign.run.console import lisible
from campaign.run.verrou import verrou_sortie

JOURS = (2000, 2200)  # the years a day of the run may be in


def _date_courrier(texte: str | None) -> dt.date | None:
    if texte is None:
        return None
    try:
        return dt.date.fromisoformat(texte)
    except ValueError as exc:
        raise CampaignError(
            f"La date des courriers « {texte} » doit s'écrire AAAA-MM-JJ, par exemple 2026-12-01."
        ) from exc


def _resume_sans_changement(resultat, sortie: Path, bilan: dict) -> list[str]:
    """The summary a rerun without change prints: every letter from the cache, nothing changed."""
    flux = io.StringIO()
    sans_changement = {**bilan, "rendus": 0, "caches": bilan["rendus"] + bilan["caches"], "changements": []}
    console.resume(resultat, sortie, sans_changement, flux=flux)
    return flux.getvalue().splitlines()


def executer(
    dossier: Path, sortie: Path | None = None, date_courrier: str | None = None, courriers: bool = True
) -> int:
    """`campaign run`: 0 all decided, 1 some INCOMPLET or ILLISIBLE, 2 could not start."""
    campagne = charger_campagne(dossier)
    if campagne.gabarits is not None:  # a Caf's templates folder: bounded (dossier.md §7)
        fichiers_gabarits(campagne.gabarits)
    charger_parametres(campagne.debut)  # a missing parameter stops the run before reading
    sortie = dossier_sortie.verifier(sortie or Path("outputs") / campagne.annee, dossier)
    date = _date_courrier(date_courrier)
    jour = aujourdhui()
    if not JOURS[0] <= jour.year <= JOURS[1]:  # every date computed from it must exist
        raise CampaignError(
            f"Le jour de l'exécution serait le {jour.isoformat()} : vérifiez l'horloge de "
            "l'ordinateur (ou la variable SOURCE_DATE_EPOCH), puis relancez."
        )
    if date is not None and courriers:
        verifier_date_courrier(date, jour)
    options = {"date_courrier": date, "courriers": courriers}
    avant = dossier_sortie.courante(dossier_sortie.absolu(sortie))
    try:
        return _executer(campagne, dossier, sortie, options)
    except BaseException as exc:
        exc.sortie = sortie  # type: ignore[attr-defined]  # the CLI checks what it holds
        with contextlib.suppress(OSError):  # whether this run switched the outputs before it failed
            remplacees = dossier_sortie.courante(dossier_sortie.absolu(sortie)) != avant
            exc.sorties_remplacees = remplacees  # type: ignore[attr-defined]
        raise


def _executer(campagne: Campagne, dossier: Path, sortie: Path, options: dict) -> int:
    # what the letters depend on: the date given, or today's (a letter is dated the day it is made)
    lue = {
        **options,
        "date_lettres": (options["date_courrier"] or aujourdhui()) if options["courriers"] else None,
    }
    with verrou_sortie(sortie, "campaign run"):  # one run at a time; not while `envoyer` reads
        cle = relance.cle(dossier, dossier_sortie.absolu(sortie), campagne.gabarits, lue, campagne.historique)
        faite = relance.deja_faite(sortie, cle)
        if faite is not None:
            dossier_sortie.nettoyer(dossier_sortie.absolu(sortie))  # a killed run's leftovers
        else:
            from campaign.lire.comite import lire_comites
            from campaign.run.atelier import Atelier
            from campaign.run.lecteurs import lecteurs_de_la_campagne

            comites = lire_comites(dossier, campagne.comites)  # a bad committee file stops the run here
            with (  # one pool of workers for the run: reading, then the letters
                Atelier() as atelier,
                lecteurs_de_la_campagne(campagne, dossier, sortie, atelier) as lecteurs,
            ):
                from campaign.run.pipeline import produire  # its libraries load while the dossiers are read

                resultat, bilan, code = produire(
                    campagne, dossier, sortie, options, comites, lecteurs, atelier
                )
            try:
                resume = _resume_sans_changement(resultat, sortie, bilan)
            except Exception:  # the summary printed below fails the same way, and says so
                resume = None
            if resume is not None:
                relance.enregistrer(sortie, cle, code, resume)
    if faite is not None:
        print(
            lisible(
                "Rien n'a changé depuis la dernière exécution (mêmes fichiers, même programme, mêmes "
                f"options) : les sorties de {sortie}/ sont à jour, vérifiées fichier par fichier."
            )
        )
        for ligne in faite.resume:
            print(ligne)
        return faite.code
    console.resume(resultat, sortie, bilan)
    return code

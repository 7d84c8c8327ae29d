"""The campagne, as the mission says it: lire, valider, décider, écrire.

The data a run hands to the writers is `campaign.resultat.Resultat` (docs/architecture.md).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pandas as pd

from campaign.calendrier import verifier_seances_citees
from campaign.decider import motivations
from campaign.decider.decision import Decisions, collectifs_examines, decider_traites, dossiers_examines
from campaign.decider.decisions_finales import appliquer, textes_finaux
from campaign.decider.parametres import avec_reglages, charger_parametres
from campaign.decider.referentiel import REGISTRE
from campaign.ecrire.gabarits import dossiers_gabarits
from campaign.ecrire.proces_verbal import ecrire_proces_verbaux
from campaign.ecrire.synthese.classeur import ecrire_synthese
from campaign.ecrire.tables.csv_campagne import (
    ecrire_anomalies,
    ecrire_decisions,
    ecrire_dossiers,
    ecrire_manifest,
)
from campaign.ecrire.tables.csv_comite import arbitrage_manifest, ecrire_decisions_finales, seances_manifest
from campaign.lire.anomalies import AVERTISSEMENT, BLOQUANT, Anomalie
from campaign.lire.campagne import Campagne
from campaign.lire.comite import FichierComite
from campaign.lire.historique import Historique, lire_precedente
from campaign.lire.lecture import Lecture
from campaign.lire.seances import non_declares
from campaign.resultat import RegleDecrite, Resultat
from campaign.run import console
from campaign.run import sortie as dossier_sortie
from campaign.run.atelier import Atelier
from campaign.run.changements import comparer
from campaign.run.courriers import ecrire_courriers, preparer_rendu
from campaign.run.lecteurs import Lecteurs
from campaign.run.progression import Progression
from campaign.valider.validation import Table, codes_par_ligne, valider


def lire(
    dossier: Path,
    processus: int = 2,
    exclus: tuple[str, ...] = (),
    cache: Path | None = None,
    atelier: Atelier | None = None,
) -> list[Lecture]:
    """Read every file of the folder, in name order (two processes for a large folder: the
    run's `atelier`, or a pool of its own); `exclus`: names that are not dossiers (the Caf's
    templates folder); with a `cache`, only the files not read before (`lire.lecteurs`,
    `lire.memoire`)."""
    with Lecteurs(dossier, processus, exclus, cache, atelier) as lecteurs:
        return lecteurs.lectures()


def decider(
    campagne: Campagne,
    lectures,
    tables,
    anomalies,
    etats,
    comites: list[FichierComite] | None = None,
    historique: Historique | None = None,
) -> Resultat:
    """The dossiers read and checked, decided; `historique`: last year's outputs, read here from
    `[historique] precedente` when not given (`produire` reads them before the dossiers)."""
    if historique is None and campagne.historique is not None:
        historique = lire_precedente(campagne.historique)
    parametres = avec_reglages(charger_parametres(campagne.debut), campagne)
    traites = sorted(f for f, s in etats.items() if s == "TRAITE")
    decisions = decider_traites(tables, traites, parametres)
    dossiers = _dossiers(lectures, tables, anomalies, etats, decisions)
    comite = appliquer(
        comites or [],
        decisions,
        dossiers_examines(tables, traites),
        collectifs_examines(tables, traites),
        dossiers,
        parametres,
        int(campagne.enveloppe * 100),
        campagne.arbitrage,
    )
    textes = motivations.textes(decisions, parametres)
    etat = comite.dossiers.reindex(dossiers["fichier"]).reset_index(drop=True)
    apres_total = list(dossiers.columns).index("total") + 1  # dossiers.csv's order (comite.md §4)
    dossiers.insert(apres_total, "etat", etat["etat"].fillna("").to_numpy())
    dossiers.insert(apres_total + 1, "decision_finale", etat["decision_finale"].fillna("").to_numpy())
    dossiers.insert(apres_total + 2, "total_final", etat["total_final"].fillna(0).astype("int64").to_numpy())
    regles = tuple(
        RegleDecrite(r.code, r.niveau, r.nature, r.echec, r.libelle, r.reference, r.lien, r.texte)
        for r in REGISTRE.values()
    )
    comite.textes = textes_finaux(comite, decisions, textes, parametres)
    lignes = codes_par_ligne(tables["Collectifs"]) if "Collectifs" in tables else {}
    return Resultat(
        campagne,
        parametres,
        dossiers,
        decisions,
        anomalies + comite.anomalies,
        textes,
        regles,
        comite,
        _demandes(tables["Budget"]),
        lignes,
        historique=historique,
        incomplets={lec.fichier: lec for lec in lectures if etats.get(lec.fichier) == "INCOMPLET"},
    )


def _demandes(budget: Table) -> dict[str, int | None]:
    """fichier -> its Budget's line P74-CAF-CLAS in cents (None when not a valid amount)."""
    v = budget.valeurs
    if "P74-CAF-CLAS" not in v.columns:
        return {}
    premieres = v.drop_duplicates("fichier")
    return {
        str(f): None if pd.isna(m) else int(m)
        for f, m in zip(premieres["fichier"], premieres["P74-CAF-CLAS"])
    }


def _dossiers(lectures, tables, anomalies, etats, decisions: Decisions) -> pd.DataFrame:
    """One row per file: its fate, its operator as read, its counts and total."""
    porteur = tables["Porteur"].valeurs.drop(columns="position").set_index("fichier")
    porteur.index = porteur.index.astype(object)
    siret_faux = {a.fichier for a in anomalies if a.code == "SIRET-INVALIDE"}
    n_collectifs = tables["Collectifs"].valeurs.groupby("fichier").size()
    par_fichier: dict[str, list[Anomalie]] = {}
    for a in anomalies:
        par_fichier.setdefault(a.fichier, []).append(a)
    sirets, noms = porteur["siret"].to_dict(), porteur["nom"].to_dict()
    lignes = []
    for lec in lectures:
        f = lec.fichier
        a_f = par_fichier.get(f, [])
        siret, nom = sirets.get(f), noms.get(f)
        lignes.append(
            {
                "fichier": f,
                "sha256": lec.sha256,
                "statut": etats[f],
                "decision": decisions.dossiers["decision"].get(f, "") if etats[f] == "TRAITE" else "",
                "siret": "" if pd.isna(siret) or f in siret_faux else siret,
                "nom": "" if pd.isna(nom) else nom,
                "collectifs": int(n_collectifs.get(f, 0)),
                "bloquants": sum(a.gravite == BLOQUANT for a in a_f),
                "avertissements": sum(a.gravite == AVERTISSEMENT for a in a_f),
                "total": int(decisions.dossiers["total"].get(f, 0)) if etats[f] == "TRAITE" else 0,
            }
        )
    dossiers = pd.DataFrame(lignes)
    infos = (
        porteur.drop(columns=["siret", "nom"])
        .rename(columns={"statut": "statut_juridique"})
        .reindex(dossiers["fichier"])
        .reset_index(drop=True)
    )
    return pd.concat([dossiers, infos], axis=1)


def seances_citees(resultat: Resultat) -> dict[dt.date, int]:
    """Each session a letter cites (a decision, a postponement, a proposition after it) and how
    many letters cite it."""
    citees: dict[dt.date, int] = {}
    for jour in resultat.comite.dossiers["date_seance"].dropna():
        citees[jour] = citees.get(jour, 0) + 1
    return citees


def code_retour(resultat: Resultat) -> int:
    """`campaign run`'s exit code for a completed run: 1 when a dossier is INCOMPLET or ILLISIBLE."""
    return 1 if resultat.dossiers["statut"].isin(["INCOMPLET", "ILLISIBLE"]).any() else 0


def ecrire(
    resultat: Resultat,
    sortie: Path,
    date_courrier: dt.date | None = None,
    courriers: bool = True,
    comite_non_utilises: tuple[str, ...] = (),
    atelier: Atelier | None = None,
) -> dict:
    """Write every output into a new version folder, then switch the output path to it
    (`campaign.run.sortie`): never a half-written folder. The caller holds the lock. The committee's
    workbook and the minutes are written while the workers render the letters, if they do."""
    sortie = dossier_sortie.absolu(sortie)
    dossier_sortie.nettoyer(sortie)
    provisoire = dossier_sortie.nouvelle(sortie)
    proces_verbaux: list[str] | None = None  # the minutes' paths, once written

    def classeur_et_proces_verbaux(liens: dict[str, str]) -> None:
        """Done while the workers render the letters (`ecrire_courriers`), if they render any."""
        nonlocal proces_verbaux
        ecrire_synthese(resultat, provisoire / "synthese.xlsx", liens)
        proces_verbaux = ecrire_proces_verbaux(resultat, provisoire)

    try:
        sirets = resultat.dossiers.set_index("fichier")["siret"]
        ecrire_dossiers(provisoire / "dossiers.csv", resultat.dossiers)
        ecrire_decisions(provisoire / "decisions.csv", resultat.decisions.collectifs, sirets)
        ecrire_decisions_finales(provisoire / "decisions_finales.csv", resultat.comite.collectifs, sirets)
        ecrire_anomalies(provisoire / "anomalies.csv", resultat.anomalies)
        bilan: dict[str, Any] = {
            "rendus": 0,
            "caches": 0,
            "sans_courrier": [],
            "fichiers": [],
            "courriers": {},
        }
        date_imposee = date_courrier is not None
        if courriers and date_courrier is not None:  # before anything is written (comite.md §5)
            verifier_seances_citees(date_courrier, seances_citees(resultat))
        if not courriers:
            date_courrier = None
        else:
            date_courrier = date_courrier or resultat.jour
            cache = sortie.parent / ".cache" / "courriers"
            bilan = ecrire_courriers(
                resultat,
                provisoire,
                date_courrier,
                cache,
                date_imposee=date_imposee,
                atelier=atelier,
                pendant=classeur_et_proces_verbaux,
            )
        if not courriers:  # the workbook alone (no letters: no minutes either)
            with Progression("Classeur du comité", None):
                ecrire_synthese(resultat, provisoire / "synthese.xlsx", {})
        elif proces_verbaux is None:  # no letter rendered by the workers: nothing to do it beside
            with Progression("Classeur du comité", None):
                classeur_et_proces_verbaux(bilan["courriers"])
        produits = [
            "dossiers.csv",
            "decisions.csv",
            "decisions_finales.csv",
            "anomalies.csv",
            "synthese.xlsx",
            *bilan["fichiers"],
            *(proces_verbaux or []),
        ]
        ecrire_manifest(
            provisoire / "manifest.json",
            resultat.campagne,
            resultat.parametres,
            resultat.dossiers,
            console.comptes(resultat),
            produits,
            date_courrier,
            seances_manifest(resultat.comite),
            provisoire,
            arbitrage_manifest(resultat.comite.arbitrage),
            resultat.historique,
        )
        bilan["changements"] = comparer(sortie, provisoire)
        bilan["comite_non_utilises"] = list(comite_non_utilises)
        dossier_sortie.remplacable(sortie)  # a file put there during the run is not removed either
    except BaseException:
        dossier_sortie.abandonner(provisoire)
        raise
    dossier_sortie.basculer(sortie, provisoire)
    return bilan


def produire(
    campagne: Campagne,
    dossier: Path,
    sortie: Path,
    options: dict,
    comites: list[FichierComite],
    lecteurs: Lecteurs,
    atelier: Atelier,
) -> tuple[Resultat, dict, int]:
    """The whole run, under the caller's lock, from the committee's files read and the dossiers
    being read by the run's `atelier` (`lire.lecteurs.lecteurs_de_la_campagne`): -> (resultat,
    what was written, exit code). Last year's outputs are read first: a malformed one stops the
    run (exit 2) before the dossiers are waited for."""
    historique = lire_precedente(campagne.historique) if campagne.historique is not None else None
    lectures = lecteurs.lectures()
    if options.get("courriers", True):  # the renderers warm up while this process decides
        atelier.preparer(preparer_rendu, dossiers_gabarits(campagne.gabarits))
    else:  # no letters: the workers are done
        atelier.fermer()
    tables, anomalies, etats = valider(lectures)
    resultat = decider(campagne, lectures, tables, anomalies, etats, comites, historique)
    non_utilises = tuple(non_declares(dossier, campagne.comites))
    bilan = ecrire(resultat, sortie, **options, comite_non_utilises=non_utilises, atelier=atelier)
    return resultat, bilan, code_retour(resultat)

"""`campaign envoyer`: the dry run, the sending (`remise`), the journal's repair (envoi.md).

Before anything: the journal read strictly, the outputs checked against the campagne folder
and against their manifest (publipostage.csv, every PDF and every workbook sent beside one),
the TLS context built. Both locks (the output folder, shared with `run`, and the journal) are held throughout.
"""

from __future__ import annotations

import shutil
import sys
from contextlib import nullcontext
from pathlib import Path
from typing import TextIO

from campaign.ecrire.courriers.publipostage import PUBLIPOSTAGE
from campaign.envoyer import courriel, poste, publipostage, remise
from campaign.envoyer.compte_rendu import Bilan, afficher
from campaign.envoyer.journal import Journal
from campaign.envoyer.publipostage import Courrier
from campaign.envoyer.reglages import Options, contexte_tls, reglages
from campaign.envoyer.repartition import repartir
from campaign.erreurs import CampaignError
from campaign.lire.campagne import Campagne, Envoi, charger_campagne
from campaign.run.console import lisible
from campaign.run.verrou import verrou_sortie

APERCU = Path("envoi") / "apercu"
APERCU_POSTE = Path("envoi") / "a_poster.pdf"


def _seulement(courriers: list[Courrier], sirets: tuple[str, ...]) -> list[Courrier]:
    if not sirets:
        return courriers
    inconnus = [s for s in sirets if not any(c.siret == s for c in courriers)]
    if inconnus:
        raise CampaignError(
            f"--seulement {inconnus[0]} : aucun courrier de publipostage.csv n'a ce SIRET "
            "(14 chiffres, sans espace) ; vérifiez-le."
        )
    return [c for c in courriers if c.siret in sirets]


def _essai(campagne: Campagne, envoi: Envoi, dossier: Path, sortie: Path, b: Bilan) -> None:
    """The dry run: every message as a .eml, the post preview; no connection, no journal."""
    env = courriel.environnement(campagne.gabarits)
    apercu = sortie / APERCU
    shutil.rmtree(apercu, ignore_errors=True)
    apercu.mkdir(parents=True)
    b.apercu = apercu
    for a in b.repartition.a_envoyer:
        pieces = publipostage.pieces_intactes(sortie, a.courrier)
        if pieces is None:
            b.pdf_modifies.append(a.courrier)
            continue
        m = courriel.message(env, campagne, envoi, a.courrier, *pieces, remplace=a.remplace)
        (apercu / (a.courrier.nom_pdf.removesuffix(".pdf") + ".eml")).write_bytes(m.as_bytes())
        b.envoyes.append(a.courrier)
    pretes = poste.pretes(sortie, b.repartition.a_poster, b.pdf_modifies)
    b.postes = [a for a, _ in pretes]
    cible = sortie / APERCU_POSTE
    for vieux in (cible, cible.with_suffix(".csv")):
        vieux.unlink(missing_ok=True)
    if pretes:
        poste.ecrire(cible, dossier, pretes)
        b.fichier_poste = cible


def _reparer(journal: Journal, flux: TextIO) -> int:
    """--reparer-journal: the cut last line set aside, nothing sent."""
    with journal.verrou:
        repare = journal.reparer()
    if repare is None:
        print(
            lisible(
                f"Le journal des envois {journal.chemin} se termine par une ligne complète : rien à réparer."
            ),
            file=flux,
        )
        return 0
    cote, lignes = repare
    print(
        lisible(
            f"Journal des envois réparé : la ligne coupée est mise de côté dans {cote} ; "
            f"{journal.chemin} s'arrête à sa ligne {lignes}, la dernière complète. Relancez "
            "campaign envoyer (un essai d'abord) : un courrier dont la réponse du serveur "
            "était sur la ligne coupée est retenu, à vérifier."
        ),
        file=flux,
    )
    return 0


def envoyer(
    dossier: Path, sortie: Path | None = None, options: Options | None = None, flux: TextIO | None = None
) -> int:
    """0: everything that may leave left (or would, in a dry run), or --limite reached;
    1: a letter failed, was refused or held back; 2 (CampaignError): nothing could start."""
    options = options or Options()
    flux = flux or sys.stdout
    if options.reparer_journal:
        return _reparer(Journal(dossier), flux)
    campagne = charger_campagne(dossier)
    envoi = reglages(campagne, str(dossier / "campagne.toml"))
    # the agent's and the sender's addresses: checked when campagne.toml was loaded
    sortie = sortie or Path("outputs") / campagne.annee
    journal = Journal(dossier)
    # a dry run writes no journal: it creates no envois/ folder just to lock it
    verrou_journal = (
        journal.verrou if options.pour_de_vrai or journal.chemin.parent.is_dir() else nullcontext()
    )
    envois_avant = journal.chemin.parent.is_dir()
    try:
        with verrou_sortie(sortie, "campaign envoyer"), verrou_journal:
            journal.lire()  # strictly, before anything else: a damaged journal starts nothing
            manifest = publipostage.verifier_concordance(dossier, sortie, campagne.texte)
            publipostage.verifier_sorties(sortie, manifest, [PUBLIPOSTAGE])
            tous = publipostage.lire(sortie, manifest.get("empreintes_sorties"))
            pieces = [p for c in tous if c.envoyable for p in (c.courrier, c.classeur) if p]
            publipostage.verifier_sorties(sortie, manifest, pieces)
            contexte = contexte_tls(envoi)
            b = Bilan(
                repartir(_seulement(tous, options.seulement), journal, options),
                options.pour_de_vrai,
                cadence=envoi.cadence,
            )
            if options.pour_de_vrai:
                remise.pour_de_vrai(campagne, envoi, dossier, sortie, journal, options, b, contexte)
            else:
                _essai(campagne, envoi, dossier, sortie, b)
    finally:
        if not envois_avant and journal.chemin.parent.is_dir() and not any(journal.chemin.parent.iterdir()):
            journal.chemin.parent.rmdir()  # made for the lock only: nothing was sent nor printed
    afficher(b, campagne.annee, f"campaign envoyer {dossier}", flux)
    return b.code

"""`campaign envoyer`: the dry run, and the sending itself (envoi.md).

Before anything: the journal read strictly, the outputs checked against the campagne folder
and against their manifest (publipostage.csv and every PDF), the TLS context built. Then the
order of every letter sent: hash its PDF again (a file changed by hand is not sent), write
TENTATIVE to the journal, hand the message over, write what the server answered. A failure
before the end of the data is retried after growing waits; after it, the letter is held
(its last row stays TENTATIVE) and the sending stops; a refusal sends the letter to the post.
Both locks (the output folder, shared with `run`, and the journal) are held throughout.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import shutil
import ssl
import sys
import time
from contextlib import nullcontext
from email.utils import parseaddr
from pathlib import Path
from typing import TextIO

from campaign.console import lisible
from campaign.ecrire.publipostage import PUBLIPOSTAGE
from campaign.envoyer import adresse, courriel, poste, publipostage
from campaign.envoyer.compte_rendu import Avancement, Bilan, afficher
from campaign.envoyer.connexion import (
    INCERTAIN,
    Connexion,
    ExpediteurRefuse,
    Reponse,
    ServeurSature,
    texte_reponse,
)
from campaign.envoyer.journal import ECHEC, ENVOYE, POSTE, REFUSE, TENTATIVE, Journal
from campaign.envoyer.poste import APoster
from campaign.envoyer.publipostage import Courrier
from campaign.envoyer.reglages import Options, contexte_tls, mot_de_passe, reglages
from campaign.envoyer.repartition import AEnvoyer, repartir
from campaign.erreurs import CampaignError
from campaign.lire.campagne import Campagne, Envoi, charger_campagne
from campaign.verrou import verrou_sortie

APERCU = Path("envoi") / "apercu"
APERCU_POSTE = Path("envoi") / "a_poster.pdf"


def _pdf(sortie: Path, c: Courrier) -> bytes | None:
    """The letter's PDF, if it is still the one publipostage.csv recorded."""
    try:
        contenu = (sortie / c.courrier).read_bytes()
    except OSError:
        return None
    return contenu if hashlib.sha256(contenu).hexdigest() == c.sha256 else None


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


def _poste(sortie: Path, lettres: list[APoster], b: Bilan) -> list[tuple[APoster, bytes]]:
    pretes = []
    for a in lettres:
        contenu = _pdf(sortie, a.courrier)
        if contenu is None:
            b.pdf_modifies.append(a.courrier)
        else:
            pretes.append((a, contenu))
    b.postes = [a for a, _ in pretes]
    return pretes


def _essai(campagne: Campagne, envoi: Envoi, dossier: Path, sortie: Path, b: Bilan) -> None:
    """The dry run: every message as a .eml, the post preview; no connection, no journal."""
    env = courriel.environnement(campagne.gabarits)
    apercu = sortie / APERCU
    shutil.rmtree(apercu, ignore_errors=True)
    apercu.mkdir(parents=True)
    b.apercu = apercu
    for a in b.repartition.a_envoyer:
        contenu = _pdf(sortie, a.courrier)
        if contenu is None:
            b.pdf_modifies.append(a.courrier)
            continue
        m = courriel.message(env, campagne, envoi, a.courrier, contenu, a.remplace)
        (apercu / (a.courrier.nom_pdf.removesuffix(".pdf") + ".eml")).write_bytes(m.as_bytes())
        b.envoyes.append(a.courrier)
    pretes = _poste(sortie, b.repartition.a_poster, b)
    cible = sortie / APERCU_POSTE
    for vieux in (cible, cible.with_suffix(".csv")):
        vieux.unlink(missing_ok=True)
    if pretes:
        poste.ecrire(cible, dossier, pretes)
        b.fichier_poste = cible


def _un_courrier(
    cnx: Connexion,
    journal: Journal,
    envoi: Envoi,
    a: AEnvoyer,
    octets: bytes,
    message_id: str,
    options: Options,
    cadence: Cadence,
) -> Reponse:
    """Hand one letter over, retrying a failure before the end of its data after each wait of
    `options.attentes`. INCERTAIN (the data went, no answer) is never retried, nor journaled:
    the letter's last row stays TENTATIVE. A refused login on reconnecting raises."""
    c = a.courrier
    expediteur = parseaddr(envoi.expediteur)[1]
    copies = [envoi.copie_cachee] if envoi.copie_cachee else []
    reponse = Reponse(ECHEC, "", "")
    for attente in (0.0, *options.attentes):
        time.sleep(attente)
        cadence.attendre()
        cnx.nouveau_message()
        if cnx.smtp is None:
            try:
                cnx.ouvrir()
            except OSError as exc:  # unreachable, busy (421), a bound broken, TLS refused
                quoi = "serveur saturé" if isinstance(exc, ServeurSature) else "serveur injoignable"
                reponse = Reponse(ECHEC, "", f"{quoi} ({type(exc).__name__} : {exc})")
                journal.ajouter(c, ECHEC, c.courriel, reponse=reponse.texte, message_id=message_id)
                continue
        journal.ajouter(c, TENTATIVE, c.courriel, message_id=message_id)
        try:
            reponse = cnx.remettre(expediteur, c.courriel, copies, octets)
        except ExpediteurRefuse as exc:
            journal.ajouter(c, ECHEC, c.courriel, reponse=f"expéditeur refusé : {exc}", message_id=message_id)
            raise
        if reponse.resultat == INCERTAIN:
            return reponse
        journal.ajouter(c, reponse.resultat, c.courriel, reponse.code, reponse.texte, message_id)
        if reponse.resultat != ECHEC:
            break
    return reponse


class Cadence:
    """At most `par_minute` messages handed over a minute."""

    def __init__(self, par_minute: int):
        self.intervalle = 60.0 / par_minute
        self.dernier = -float("inf")

    def attendre(self) -> None:
        pause = self.dernier + self.intervalle - time.monotonic()
        if pause > 0:
            time.sleep(pause)
        self.dernier = time.monotonic()


def _ouvrir(cnx: Connexion, envoi: Envoi) -> None:
    """The first connection: any failure here means nothing was handed over (exit 2)."""
    rien = "rien n'a été envoyé"
    try:
        cnx.nouveau_message()
        cnx.ouvrir()
    except ssl.SSLCertVerificationError as exc:
        raise CampaignError(
            f"Le certificat du serveur de courriel {envoi.serveur} n'est pas reconnu "
            f"({exc.verify_message or exc.reason or exc}) : si la Caf a sa propre autorité de "
            f"certification, indiquez-la dans [envoi] autorite ; {rien}."
        ) from None
    except ServeurSature as exc:
        raise CampaignError(
            f"Le serveur de courriel {envoi.serveur} est saturé ({exc.smtp_code} "
            f"{lisible(texte_reponse(exc.smtp_error))}) : relancez la même commande "
            f"plus tard ; {rien}."
        ) from None
    except OSError as exc:
        raise CampaignError(
            f"Le serveur de courriel {envoi.serveur} (port {envoi.port}) est "
            f"injoignable ({exc}) : vérifiez [envoi] dans campagne.toml et le "
            f"réseau ; {rien}."
        ) from None


def _pour_de_vrai(
    campagne: Campagne,
    envoi: Envoi,
    dossier: Path,
    sortie: Path,
    journal: Journal,
    options: Options,
    b: Bilan,
    contexte: ssl.SSLContext,
) -> None:
    env = courriel.environnement(campagne.gabarits)
    a_envoyer = b.repartition.a_envoyer
    cnx = Connexion(envoi, mot_de_passe(envoi) if a_envoyer else None, options.bornes, contexte)
    if a_envoyer:
        _ouvrir(cnx, envoi)
    refuses: list[APoster] = []
    avancement, cadence, tentes = Avancement(len(a_envoyer)), Cadence(envoi.cadence), 0
    try:
        for a in a_envoyer:
            if options.limite is not None and tentes >= options.limite:
                b.limite_atteinte = True
                break
            contenu = _pdf(sortie, a.courrier)  # hashed again just before it leaves
            if contenu is None:
                b.pdf_modifies.append(a.courrier)
                continue
            m = courriel.message(env, campagne, envoi, a.courrier, contenu, a.remplace)
            tentes += 1
            try:
                r = _un_courrier(cnx, journal, envoi, a, m.as_bytes(), m["Message-ID"], options, cadence)
            except ExpediteurRefuse as exc:
                b.arret = (
                    f"le serveur refuse l'expéditeur {envoi.expediteur} ({exc}) : vérifiez "
                    "[envoi] expediteur dans campagne.toml."
                )
                break
            except CampaignError as exc:  # a login refused on reconnecting, a journal unwritable
                if not journal.remis:
                    raise  # nothing handed over: exit 2
                b.arret = str(exc)
                return  # the post waits for the next command (its rows could not be written either)
            if r.resultat == ENVOYE:
                b.envoyes.append(a.courrier)
            elif r.resultat == REFUSE:
                b.refuses.append((a.courrier, f"{r.code} {r.texte}"))
                refuses.append(APoster(a.courrier, REFUSE))
            elif r.resultat == INCERTAIN:
                b.incertains.append((a.courrier, r.texte))
            else:
                b.echecs.append((a.courrier, f"{r.code} {r.texte}".strip()))
            avancement.avancer(echec=r.resultat != ENVOYE)
            if r.resultat == INCERTAIN:  # did it leave? a person looks before anything else goes
                b.arret = (
                    f"le serveur {envoi.serveur} a reçu le courrier {a.courrier.nom_pdf} sans "
                    "confirmer qu'il l'acceptait : vérifiez dans sa boîte d'envoi s'il est parti. "
                    "Relancez la même commande pour les autres courriers ; celui-ci reste retenu "
                    "jusqu'à --renvoyer-modifies."
                )
                break
            if r.resultat == ECHEC and cnx.smtp is None:  # the server, not this letter: stop
                b.arret = (
                    f"le serveur {envoi.serveur} ne répond plus après {len(options.attentes)} "
                    "nouvelles tentatives ; relancez la même commande plus tard."
                )
                break
    except BaseException:
        cnx.couper()  # Ctrl-C: every row is already on disk, the rerun resumes from them
        raise
    finally:
        avancement.finir()
        cnx.fermer()
    pretes = _poste(sortie, b.repartition.a_poster + refuses, b)
    if pretes:
        horodatage = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
        b.fichier_poste = journal.chemin.parent / f"a_poster-{horodatage}.pdf"
        n = 1
        while b.fichier_poste.exists() or b.fichier_poste.with_suffix(".csv").exists():
            n += 1  # two sendings within a second: never overwrite a file to print
            b.fichier_poste = journal.chemin.parent / f"a_poster-{horodatage}-{n}.pdf"
        try:
            poste.ecrire(b.fichier_poste, dossier, pretes)
        except OSError as exc:
            erreur = journal.erreur_ecriture(exc, b.fichier_poste)
            b.fichier_poste = None
            if not journal.remis:
                raise erreur from None
            b.arret = f"le lot à poster n'a pas pu être écrit : {erreur}"
            return
        for postee, _ in pretes:
            journal.ajouter(postee.courrier, POSTE, reponse=postee.raison)


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
    if adresse.raison(str(campagne.caf["agent"]["courriel"])) is not None:
        raise CampaignError(
            f"{dossier / 'campagne.toml'} : la clé « caf.agent.courriel » doit être une "
            "seule adresse de courriel (elle sert d'adresse de réponse)."
        )
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
            tous = publipostage.lire(sortie)
            publipostage.verifier_sorties(sortie, manifest, [c.courrier for c in tous if c.envoyable])
            contexte = contexte_tls(envoi)
            b = Bilan(
                repartir(_seulement(tous, options.seulement), journal, options),
                options.pour_de_vrai,
                cadence=envoi.cadence,
            )
            if options.pour_de_vrai:
                _pour_de_vrai(campagne, envoi, dossier, sortie, journal, options, b, contexte)
            else:
                _essai(campagne, envoi, dossier, sortie, b)
    finally:
        if not envois_avant and journal.chemin.parent.is_dir() and not any(journal.chemin.parent.iterdir()):
            journal.chemin.parent.rmdir()  # made for the lock only: nothing was sent nor printed
    afficher(b, campagne.annee, f"campaign envoyer {dossier}", flux)
    return b.code

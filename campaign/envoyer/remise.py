"""The sending itself (`--pour-de-vrai`, envoi.md §4-§6): one connection, each letter's PDF
hashed again, TENTATIVE journaled, the message handed over, the answer journaled. A failure
before the end of the data is retried after growing waits; after it, the letter is held (its
last row stays TENTATIVE) and the sending stops; a refusal sends the letter to the post. Once
a message was handed over, a stop is said in the summary (exit 1), never as "nothing started".
"""

from __future__ import annotations

import datetime as dt
import ssl
import time
from email.utils import parseaddr
from pathlib import Path

from campaign.envoyer import courriel, poste, publipostage
from campaign.envoyer.compte_rendu import Avancement, Bilan
from campaign.envoyer.connexion import INCERTAIN, Connexion, ExpediteurRefuse, Reponse, ServeurSature
from campaign.envoyer.conversation import texte_reponse
from campaign.envoyer.journal import ECHEC, ENVOYE, POSTE, REFUSE, TENTATIVE, Journal
from campaign.envoyer.poste import APoster
from campaign.envoyer.reglages import Options, mot_de_passe
from campaign.envoyer.repartition import AEnvoyer
from campaign.erreurs import CampaignError
from campaign.lire.campagne import Campagne, Envoi
from campaign.run.console import lisible


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


def pour_de_vrai(
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
            pieces = publipostage.pieces_intactes(sortie, a.courrier)  # hashed again just before it leaves
            if pieces is None:
                b.pdf_modifies.append(a.courrier)
                continue
            m = courriel.message(env, campagne, envoi, a.courrier, *pieces, remplace=a.remplace)
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
    pretes = poste.pretes(sortie, b.repartition.a_poster + refuses, b.pdf_modifies)
    b.postes = [a for a, _ in pretes]
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

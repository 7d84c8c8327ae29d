"""`campagne.toml`: the departmental settings of one campagne (dossier.md §6).

A missing or malformed file stops the run before anything is written, with one French
sentence naming the key and the form expected.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from campaign.erreurs import CampaignError
from campaign.lire.campagne_cles import lire_toml, montant, verifier_cles
from campaign.lire.seances import Seance, seances


@dataclass(frozen=True)
class Regles:
    axes: str
    ecretement: bool
    seuil_part_caf: Decimal
    date_debut_preconisee: dt.date
    date_fin_preconisee: dt.date


@dataclass(frozen=True)
class Envoi:
    """`[envoi]`: the Caf's mail server (envoi.md §2). Never a password."""

    serveur: str
    port: int
    securite: str  # starttls | ssl | aucune
    utilisateur: str | None
    expediteur: str
    copie_cachee: str | None
    cadence: int  # at most this many messages a minute
    autorite: Path | None  # the Caf's certificate authority, resolved from the campagne folder


SECURITES = {"starttls": 587, "ssl": 465, "aucune": 25}
CLES_ENVOI = (
    "serveur",
    "port",
    "securite",
    "utilisateur",
    "expediteur",
    "copie_cachee",
    "cadence",
    "autorite",
)
LOCAUX = ("localhost", "127.0.0.1", "::1")
_ADRESSE = re.compile(r"[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}")


@dataclass(frozen=True)
class Campagne:
    annee: str
    caf: dict
    enveloppe: Decimal
    acompte: Decimal
    regles: Regles
    texte: str  # the file as written, for the manifest
    gabarits: Path | None = None  # the Caf's own letter templates ([caf] gabarits), checked to exist
    envoi: Envoi | None = None  # absent: the letters cannot be sent by `campaign envoyer`
    comites: tuple[Seance, ...] = ()  # in date order (comite.md §1)
    bilan_avant: dt.date | None = None  # [budget] bilan_avant: the bilan's deadline, in the letters

    @property
    def debut(self) -> dt.date:
        """1 September of year N: the date the campagne's parameters are taken at."""
        return dt.date(int(self.annee[:4]), 9, 1)


def _erreur(chemin: Path, cle: str, attendu: str) -> CampaignError:
    return CampaignError(f"{chemin} : la clé « {cle} » doit être {attendu}.")


def _lire(d: dict, chemin: Path, cle: str, types, attendu: str, defaut=None, requis=True):
    partie, _, nom = cle.rpartition(".")
    for morceau in filter(None, partie.split(".")):
        d = d.get(morceau, {})
        if not isinstance(d, dict):
            raise _erreur(chemin, morceau, "une table [" + morceau + "]")
    if nom not in d:
        if requis:
            raise _erreur(chemin, cle, attendu + " (elle est absente)")
        return defaut
    v = d[nom]
    if not isinstance(v, types) or isinstance(v, bool) != (types is bool):
        raise _erreur(chemin, cle, attendu)
    if types is dt.date and isinstance(v, dt.datetime):
        raise _erreur(chemin, cle, attendu + " (une date sans heure)")
    return v


def _premier_lundi_apres(jour: dt.date) -> dt.date:
    return jour + dt.timedelta(days=(7 - jour.weekday()) % 7)


def _gabarits(d: dict, chemin: Path) -> Path | None:
    """`[caf] gabarits`: the Caf's own templates folder, relative to the campagne folder."""
    attendu = 'le nom d\'un dossier de gabarits entre guillemets, par exemple "gabarits-caf26"'
    nom = _lire(d, chemin, "caf.gabarits", str, attendu, requis=False)
    if nom is None:
        return None
    if not nom.strip():
        raise _erreur(chemin, "caf.gabarits", attendu)
    dossier = chemin.parent / nom
    if not dossier.is_dir():
        raise CampaignError(
            f"{chemin} : la clé « caf.gabarits » nomme le dossier {dossier}, qui n'existe pas : "
            "créez-le à côté de campagne.toml (il contient les gabarits propres à la Caf, "
            "par exemple _entete.html.j2), ou retirez la clé pour utiliser les gabarits livrés."
        )
    return dossier


def _envoi(d: dict, chemin: Path, dossier: Path) -> Envoi | None:
    table = d.get("envoi")
    if table is None:
        return None
    if not isinstance(table, dict):
        raise _erreur(chemin, "envoi", "une table [envoi]")
    if any("passe" in k or "password" in k for k in table):
        raise CampaignError(
            f"{chemin} : le mot de passe du serveur de courriel ne s'écrit jamais dans "
            "campagne.toml ; retirez-le et donnez-le dans la variable "
            "CAMPAIGN_SMTP_MOT_DE_PASSE ou au clavier quand il est demandé."
        )
    inconnues = sorted(set(table) - set(CLES_ENVOI))
    if inconnues:
        raise _erreur(
            chemin,
            f"envoi.{inconnues[0]}",
            "l'une de " + ", ".join(CLES_ENVOI) + " (clé inconnue : faute de frappe ?)",
        )
    texte = "un texte entre guillemets"
    serveur = _lire(d, chemin, "envoi.serveur", str, 'un nom de serveur, par exemple "smtp.caf26.fr"')
    if not re.fullmatch(r"[A-Za-z0-9.:-]+", serveur):
        raise _erreur(chemin, "envoi.serveur", 'un nom de serveur, par exemple "smtp.caf26.fr"')
    securite = _lire(
        d, chemin, "envoi.securite", str, '"starttls", "ssl" ou "aucune"', "starttls", requis=False
    )
    if securite not in SECURITES:
        raise _erreur(chemin, "envoi.securite", '"starttls", "ssl" ou "aucune"')
    if securite == "aucune" and serveur not in LOCAUX:
        raise _erreur(
            chemin,
            "envoi.securite",
            '"starttls" ou "ssl" : « aucune » n\'est admis que pour un serveur sur cette machine (localhost)',
        )
    port = _lire(
        d, chemin, "envoi.port", int, "un numéro de port, par exemple 587", SECURITES[securite], requis=False
    )
    if not 0 < port < 65536:
        raise _erreur(chemin, "envoi.port", "un numéro de port, par exemple 587")
    adresses = {}
    for cle, requis in (("utilisateur", False), ("expediteur", True), ("copie_cachee", False)):
        v = _lire(d, chemin, f"envoi.{cle}", str, texte, requis=requis)
        if cle != "utilisateur" and v is not None:
            brute = v.rsplit("<", 1)[-1].rstrip(">").strip() if cle == "expediteur" else v
            if not _ADRESSE.fullmatch(brute) or any(ord(c) < 32 for c in v):
                raise _erreur(
                    chemin,
                    f"envoi.{cle}",
                    'une adresse de courriel, par exemple "Caf de la Drôme <clas@caf26.fr>"'
                    if cle == "expediteur"
                    else '"clas-archives@caf26.fr"',
                )
        adresses[cle] = v
    cadence = _lire(
        d, chemin, "envoi.cadence", int, "un nombre de messages par minute, par exemple 30", 30, requis=False
    )
    if cadence <= 0:
        raise _erreur(chemin, "envoi.cadence", "un nombre de messages par minute, par exemple 30")
    autorite = _lire(d, chemin, "envoi.autorite", str, texte, requis=False)
    fichier_ac = None
    if autorite is not None:
        fichier_ac = (dossier / autorite).resolve()
        if not fichier_ac.is_file():
            raise _erreur(
                chemin, "envoi.autorite", f"le chemin d'un certificat (.pem) ; {fichier_ac} est introuvable"
            )
    return Envoi(
        serveur,
        port,
        securite,
        adresses["utilisateur"],
        adresses["expediteur"],
        adresses["copie_cachee"],
        cadence,
        fichier_ac,
    )


def charger_campagne(dossier: Path) -> Campagne:
    chemin = dossier / "campagne.toml"
    if not dossier.is_dir():
        raise CampaignError(f"Le dossier de campagne {dossier} n'existe pas.")
    if not chemin.is_file():
        raise CampaignError(
            f"Le fichier {chemin} est absent : chaque dossier de campagne doit "
            "contenir un campagne.toml (voir le README)."
        )
    texte, d = lire_toml(chemin)
    verifier_cles(d, chemin)
    annee = _lire(d, chemin, "annee", str, 'une année scolaire entre guillemets, par exemple "2026-2027"')
    m = re.fullmatch(r"(\d{4})-(\d{4})", annee)
    if not m or int(m.group(2)) != int(m.group(1)) + 1:
        raise _erreur(chemin, "annee", 'une année scolaire de la forme "2026-2027"')
    n = int(m.group(1))
    texte_requis = "un texte entre guillemets"
    caf = {
        "nom": _lire(d, chemin, "caf.nom", str, texte_requis),
        "adresse": _lire(
            d,
            chemin,
            "caf.adresse",
            list,
            'une liste de lignes, par exemple ["1 rue de la Paix", "26000 Valence"]',
        ),
        "ville": _lire(d, chemin, "caf.ville", str, texte_requis),
        "tribunal": _lire(d, chemin, "caf.tribunal", str, texte_requis),
        "signataire": {
            k: _lire(d, chemin, f"caf.signataire.{k}", str, texte_requis) for k in ("nom", "qualite")
        },
        "agent": {
            k: _lire(d, chemin, f"caf.agent.{k}", str, texte_requis)
            for k in ("nom", "qualite", "courriel", "telephone")
        },
    }
    if not all(isinstance(x, str) for x in caf["adresse"]):
        raise _erreur(chemin, "caf.adresse", "une liste de lignes de texte")
    gabarits = _gabarits(d, chemin)
    en_euros, part = "un montant en euros, par exemple 250000.00", "une part, par exemple 0.70"
    enveloppe = montant(
        _lire(d, chemin, "budget.enveloppe", (Decimal, int), en_euros), chemin, "budget.enveloppe", en_euros
    )
    acompte = montant(
        _lire(d, chemin, "budget.acompte", (Decimal, int), part), chemin, "budget.acompte", part, Decimal(1)
    )
    seuil = montant(
        _lire(d, chemin, "regles.seuil_part_caf", (Decimal, int), part, Decimal("0.80"), requis=False),
        chemin,
        "regles.seuil_part_caf",
        part,
        Decimal(1),
    )
    axes = _lire(
        d,
        chemin,
        "regles.axes",
        str,
        '"toutes_actions" ou "une_action_par_axe"',
        "toutes_actions",
        requis=False,
    )
    if axes not in ("toutes_actions", "une_action_par_axe"):
        raise _erreur(chemin, "regles.axes", '"toutes_actions" ou "une_action_par_axe"')
    regles = Regles(
        axes=axes,
        ecretement=_lire(d, chemin, "regles.ecretement", bool, "true ou false", True, requis=False),
        seuil_part_caf=seuil,
        date_debut_preconisee=_lire(
            d,
            chemin,
            "regles.date_debut_preconisee",
            dt.date,
            f"une date sans guillemets, par exemple {n}-11-02",
            _premier_lundi_apres(dt.date(n, 11, 2)),
            requis=False,
        ),
        date_fin_preconisee=_lire(
            d,
            chemin,
            "regles.date_fin_preconisee",
            dt.date,
            f"une date sans guillemets, par exemple {n + 1}-06-15",
            dt.date(n + 1, 6, 15),
            requis=False,
        ),
    )
    if regles.date_fin_preconisee <= regles.date_debut_preconisee:
        raise CampaignError(
            f"{chemin} : la date de fin préconisée ({regles.date_fin_preconisee.isoformat()}) doit "
            f"suivre la date de début préconisée ({regles.date_debut_preconisee.isoformat()}) ; "
            "corrigez l'une ou l'autre dans [regles]."
        )
    bilan_avant = _lire(
        d,
        chemin,
        "budget.bilan_avant",
        dt.date,
        f"une date sans guillemets, par exemple {n + 1}-09-30",
        None,
        requis=False,
    )
    return Campagne(
        annee,
        caf,
        enveloppe,
        acompte,
        regles,
        texte,
        gabarits,
        _envoi(d, chemin, dossier),
        seances(d, chemin),
        bilan_avant,
    )

"""`campagne.toml`: the departmental settings of one campagne (dossier.md §6).

A missing or malformed file stops the run before anything is written, with one French
sentence naming the key and the form expected.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from campaign.adresse_courriel import raison
from campaign.erreurs import CampaignError
from campaign.lire.campagne_arbitrage import lire_arbitrage, lire_historique
from campaign.lire.campagne_cles import erreur_cle, lire_cle, lire_toml, montant, verifier_cles
from campaign.lire.campagne_envoi import Envoi, lire_envoi
from campaign.lire.seances import Seance, seances
from campaign.lire.signature import Signature, lire_signature


@dataclass(frozen=True)
class Regles:
    axes: str
    ecretement: bool
    seuil_part_caf: Decimal
    date_debut_preconisee: dt.date
    date_fin_preconisee: dt.date


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
    signature: Signature | None = None  # [caf] signature: the image above the signatory's name
    arbitrage: str | None = None  # [arbitrage] mode (arbitrage.md §2): None, nothing is reduced
    historique: Path | None = None  # [historique] precedente: last year's output folder

    @property
    def debut(self) -> dt.date:
        """1 September of year N: the date the campagne's parameters are taken at."""
        return dt.date(int(self.annee[:4]), 9, 1)


ANNEES = (2000, 2100)  # a campagne's first year: every date computed from it stays far from the limits


def _date_bornee(d: dict, chemin: Path, cle: str, exemple: str, defaut, debut: int, fin: int):
    """A date key of campagne.toml within the years `debut`..`fin` (a date typed 9999-12-31
    never reaches a computation: a deadline 30 days later would not exist)."""
    valeur = lire_cle(d, chemin, cle, dt.date, exemple, defaut, requis=False)
    if valeur is not None and not debut <= valeur.year <= fin:
        raise erreur_cle(chemin, cle, f"{exemple}, entre {debut} et {fin}")
    return valeur


def _premier_lundi_apres(jour: dt.date) -> dt.date:
    return jour + dt.timedelta(days=(7 - jour.weekday()) % 7)


def _gabarits(d: dict, chemin: Path) -> Path | None:
    """`[caf] gabarits`: the Caf's own templates folder, relative to the campagne folder."""
    attendu = 'le nom d\'un dossier de gabarits entre guillemets, par exemple "gabarits-caf26"'
    nom = lire_cle(d, chemin, "caf.gabarits", str, attendu, requis=False)
    if nom is None:
        return None
    if not nom.strip():
        raise erreur_cle(chemin, "caf.gabarits", attendu)
    dossier = chemin.parent / nom
    if not dossier.is_dir():
        raise CampaignError(
            f"{chemin} : la clé « caf.gabarits » nomme le dossier {dossier}, qui n'existe pas : "
            "créez-le à côté de campagne.toml (il contient les gabarits propres à la Caf, "
            "par exemple _entete.html.j2), ou retirez la clé pour utiliser les gabarits livrés."
        )
    return dossier


FONDEMENT_COMITE = (
    "La prestation de service CLAS est accordée par la Caf dans la limite de ses crédits "
    "d'action sociale, après avis du comité départemental CLAS, au regard du référentiel "
    "national et du cahier des charges départemental."
)
PIECES_JUSTIFICATIVES = (  # [caf] pieces_justificatives: what the blank dossier asks to attach
    "les statuts de l'association, pour une première demande ou s'ils ont changé",
    "un relevé d'identité bancaire (RIB, IBAN) au nom du porteur",
    "le dernier bilan financier approuvé (compte de résultat et bilan)",
    "pour un renouvellement, le bilan du CLAS de l'année précédente (rapport d'activité)",
    "une attestation d'assurance en responsabilité civile pour l'action",
)
DONNEES_PERSONNELLES = (
    "Les informations de ce dossier sont traitées par la Caf pour instruire votre demande de "
    "financement CLAS et suivre l'action ; elles sont conservées le temps nécessaire à ce suivi. "
    "Conformément au règlement général sur la protection des données (RGPD) et à la loi "
    "Informatique et Libertés, les personnes citées peuvent accéder aux informations qui les "
    "concernent, les faire rectifier ou s'opposer à leur traitement en écrivant au délégué à la "
    "protection des données de la Caf."
)


def _dossier_vierge(d: dict, chemin: Path, n: int) -> dict:
    """What the blank dossier says of the Caf's own: return date, documents, personal data."""
    exemple = f"une date sans guillemets, par exemple {n}-06-30"
    retour = lire_cle(d, chemin, "caf.date_retour_dossier", dt.date, exemple, None, requis=False)
    if retour is not None and not n - 1 <= retour.year <= n + 1:
        raise erreur_cle(chemin, "caf.date_retour_dossier", f"{exemple}, entre {n - 1} et {n + 1}")
    liste = 'une liste de textes, par exemple ["les statuts", "un RIB"]'
    pieces = lire_cle(
        d, chemin, "caf.pieces_justificatives", list, liste, list(PIECES_JUSTIFICATIVES), requis=False
    )
    if not all(isinstance(x, str) and x.strip() for x in pieces):
        raise erreur_cle(chemin, "caf.pieces_justificatives", liste + ", sans texte vide")
    texte = lire_cle(
        d, chemin, "caf.donnees_personnelles", str, "un texte entre guillemets", "", requis=False
    )
    return {
        "date_retour_dossier": retour,
        "pieces_justificatives": tuple(x.strip() for x in pieces),
        "donnees_personnelles": texte.strip() or DONNEES_PERSONNELLES,
    }


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
    annee = lire_cle(d, chemin, "annee", str, 'une année scolaire entre guillemets, par exemple "2026-2027"')
    annee = unicodedata.normalize("NFKC", annee).strip()  # full-width digits: ASCII ones (dossier.md §7)
    m = re.fullmatch(r"([0-9]{4})-([0-9]{4})", annee)
    if not m or int(m.group(2)) != int(m.group(1)) + 1 or not ANNEES[0] <= int(m.group(1)) <= ANNEES[1]:
        raise erreur_cle(
            chemin, "annee", f'une année scolaire de la forme "2026-2027", entre {ANNEES[0]} et {ANNEES[1]}'
        )
    n = int(m.group(1))
    texte_requis = "un texte entre guillemets"
    caf = {
        "nom": lire_cle(d, chemin, "caf.nom", str, texte_requis),
        "adresse": lire_cle(
            d,
            chemin,
            "caf.adresse",
            list,
            'une liste de lignes, par exemple ["1 rue de la Paix", "26000 Valence"]',
        ),
        "ville": lire_cle(d, chemin, "caf.ville", str, texte_requis),
        "tribunal": lire_cle(d, chemin, "caf.tribunal", str, texte_requis),
        "signataire": {
            k: lire_cle(d, chemin, f"caf.signataire.{k}", str, texte_requis) for k in ("nom", "qualite")
        },
        "agent": {
            k: lire_cle(d, chemin, f"caf.agent.{k}", str, texte_requis)
            for k in ("nom", "qualite", "courriel", "telephone")
        },
        "fondement_comite": lire_cle(
            d, chemin, "caf.fondement_comite", str, texte_requis, FONDEMENT_COMITE, requis=False
        ).strip()
        or FONDEMENT_COMITE,
    }
    if not all(isinstance(x, str) for x in caf["adresse"]):
        raise erreur_cle(chemin, "caf.adresse", "une liste de lignes de texte")
    if raison(caf["agent"]["courriel"]) is not None:  # the Reply-To of every message (envoi.md §3)
        raise CampaignError(
            f"{chemin} : la clé « caf.agent.courriel » doit être une seule adresse de courriel "
            "(elle sert d'adresse de réponse)."
        )
    caf.update(_dossier_vierge(d, chemin, n))
    gabarits = _gabarits(d, chemin)
    en_euros, part = "un montant en euros, par exemple 250000.00", "une part, par exemple 0.70"
    enveloppe = montant(
        lire_cle(d, chemin, "budget.enveloppe", (Decimal, int), en_euros),
        chemin,
        "budget.enveloppe",
        en_euros,
    )
    acompte = montant(
        lire_cle(d, chemin, "budget.acompte", (Decimal, int), part),
        chemin,
        "budget.acompte",
        part,
        Decimal(1),
    )
    seuil = montant(
        lire_cle(d, chemin, "regles.seuil_part_caf", (Decimal, int), part, Decimal("0.80"), requis=False),
        chemin,
        "regles.seuil_part_caf",
        part,
        Decimal(1),
    )
    axes = lire_cle(
        d,
        chemin,
        "regles.axes",
        str,
        '"toutes_actions" ou "une_action_par_axe"',
        "toutes_actions",
        requis=False,
    )
    if axes not in ("toutes_actions", "une_action_par_axe"):
        raise erreur_cle(chemin, "regles.axes", '"toutes_actions" ou "une_action_par_axe"')
    regles = Regles(
        axes=axes,
        ecretement=lire_cle(d, chemin, "regles.ecretement", bool, "true ou false", True, requis=False),
        seuil_part_caf=seuil,
        date_debut_preconisee=_date_bornee(
            d,
            chemin,
            "regles.date_debut_preconisee",
            f"une date sans guillemets, par exemple {n}-11-02",
            _premier_lundi_apres(dt.date(n, 11, 2)),
            n - 1,
            n + 2,
        ),
        date_fin_preconisee=_date_bornee(
            d,
            chemin,
            "regles.date_fin_preconisee",
            f"une date sans guillemets, par exemple {n + 1}-06-15",
            dt.date(n + 1, 6, 15),
            n - 1,
            n + 2,
        ),
    )
    if regles.date_fin_preconisee <= regles.date_debut_preconisee:
        raise CampaignError(
            f"{chemin} : la date de fin préconisée ({regles.date_fin_preconisee.isoformat()}) doit "
            f"suivre la date de début préconisée ({regles.date_debut_preconisee.isoformat()}) ; "
            "corrigez l'une ou l'autre dans [regles]."
        )
    bilan_avant = _date_bornee(
        d,
        chemin,
        "budget.bilan_avant",
        f"une date sans guillemets, par exemple {n + 1}-09-30",
        None,
        n,
        n + 10,
    )
    return Campagne(
        annee,
        caf,
        enveloppe,
        acompte,
        regles,
        texte,
        gabarits,
        lire_envoi(d, chemin, dossier),
        seances(d, chemin, n),
        bilan_avant,
        lire_signature(d, chemin, gabarits),
        lire_arbitrage(d, chemin),
        lire_historique(d, chemin, annee),
    )

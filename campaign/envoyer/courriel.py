"""One e-mail per letter (envoi.md §3): the standard library's `email` package, SMTP policy.

No text read from a dossier can add or break a header: the recipient is one address checked
by `adresse`, the operator's name in the subject has its control characters replaced by
spaces and is cut at 80 characters, and the policy refuses any header holding a line end.
"""

from __future__ import annotations

import datetime as dt
import re
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import format_datetime, make_msgid
from pathlib import Path
from zoneinfo import ZoneInfo

from jinja2 import Environment, FileSystemLoader, StrictUndefined, TemplateError

from campaign import formats
from campaign.ecrire.courriers.completion import date_limite
from campaign.ecrire.gabarits import dossiers_gabarits
from campaign.envoyer.publipostage import Courrier
from campaign.erreurs import CampaignError
from campaign.lire.campagne import Campagne, Envoi

GABARIT = "courriel.txt.j2"
LONGUEUR_NOM = 80
OBJETS = {
    "DEMANDE-COMPLEMENT": "Demande de compléments",
    "DECISION": "Décision",
    "AJOURNEMENT": "Ajournement",
    "PROPOSITION": "Proposition",
}
XLSX = "vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FUSEAU = ZoneInfo("Europe/Paris")  # the Caf's time, in the Date header (envoi.md §6)
CONTROLES = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def environnement(gabarits_caf: Path | None = None) -> Environment:
    """The Caf's own folder first, then the shipped one. Plain text: no HTML escaping; a
    missing value is an error, never a blank."""
    return Environment(
        loader=FileSystemLoader(dossiers_gabarits(gabarits_caf)),
        autoescape=False,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


def propre(texte: str) -> str:
    """Control characters (line ends included) -> spaces, runs of spaces -> one."""
    return " ".join(CONTROLES.sub(" ", texte).split())


def _date(iso: str) -> str:
    try:
        return formats.date_longue(dt.date.fromisoformat(iso))
    except ValueError:
        return iso


def objet(campagne: Campagne, courrier: Courrier, remplace: str | None = None) -> str:
    nom = propre(courrier.destinataire)[:LONGUEUR_NOM].rstrip()
    texte = f"CLAS {campagne.annee} — {OBJETS.get(courrier.nature, courrier.nature)} — {nom}"
    return texte + (f" (remplace le courrier du {_date(remplace)})" if remplace else "")


def _date_limite(courrier: Courrier) -> str:
    """A completion request's deadline, as its letter states it (`completion.date_limite`)."""
    if courrier.nature != "DEMANDE-COMPLEMENT":
        return ""
    try:
        return formats.date_longue(date_limite(dt.date.fromisoformat(courrier.date_courrier)))
    except ValueError:
        return ""


def corps(env: Environment, campagne: Campagne, courrier: Courrier, remplace: str | None = None) -> str:
    vue = {
        "annee": campagne.annee,
        "nature": courrier.nature,
        "caf": campagne.caf["nom"],
        "destinataire": propre(courrier.destinataire),
        "date": _date(courrier.date_courrier),
        "date_limite": _date_limite(courrier),
        "remplace": _date(remplace) if remplace else "",
        "agent": {k: propre(str(v)) for k, v in campagne.caf["agent"].items()},
        "classeur": courrier.classeur.rsplit("/", 1)[-1],  # the pre-filled dossier attached, or ""
    }
    try:
        return env.get_template(GABARIT).render(vue=vue)
    except TemplateError as exc:
        dossiers = ", ".join(str(d) for d in getattr(env.loader, "searchpath", []))
        raise CampaignError(
            f"Le gabarit {GABARIT} (cherché dans {dossiers}) ne peut pas être rendu "
            f"({type(exc).__name__} : {exc}) : corrigez-le ; le courrier "
            f"{courrier.nom_pdf} n'a pas été envoyé."
        ) from exc


def message(
    env: Environment,
    campagne: Campagne,
    envoi: Envoi,
    courrier: Courrier,
    pdf: bytes,
    classeur: bytes | None = None,
    remplace: str | None = None,
) -> EmailMessage:
    """The message of one letter, its PDF attached and, for a completion request, the
    operator's pre-filled dossier beside it (`classeur`); `courrier.courriel` must have passed
    `adresse.raison`."""
    m = EmailMessage(policy=SMTP)
    m["From"] = envoi.expediteur
    m["To"] = courrier.courriel
    m["Reply-To"] = campagne.caf["agent"]["courriel"]
    m["Subject"] = objet(campagne, courrier, remplace)
    m["Date"] = format_datetime(dt.datetime.now(FUSEAU))
    m["Message-ID"] = make_msgid("clas", domain=envoi.expediteur.rsplit("@", 1)[-1].rstrip(">").strip())
    m.set_content(corps(env, campagne, courrier, remplace), subtype="plain", charset="utf-8")
    m.add_attachment(pdf, maintype="application", subtype="pdf", filename=courrier.nom_pdf)
    if classeur is not None and courrier.classeur:
        nom = courrier.classeur.rsplit("/", 1)[-1]
        m.add_attachment(classeur, maintype="application", subtype=XLSX, filename=nom)
    return m

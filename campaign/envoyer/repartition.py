"""Where each letter goes now (envoi.md §3-§5): pure, from publipostage.csv and the journal.

- not sendable: drafts (PROPOSITION) and letters marked `envoyable = non`;
- already gone: an ENVOYE or POSTE row for this letter (never twice);
- held back: a TENTATIVE last row (handed over, no answer: did the server get it?), or a
  DECISION taken again after another one was sent; both go only with --renvoyer-modifies;
- by post: no usable address, or refused by the server (REFUSE);
- by e-mail: the rest.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from campaign import adresse_courriel as adresse
from campaign.envoyer.journal import REFUSE, TENTATIVE, Journal
from campaign.envoyer.poste import APoster
from campaign.envoyer.publipostage import Courrier
from campaign.envoyer.reglages import Options

INTERROMPUE = (
    "remis au serveur sans réponse (ou envoi interrompu) : vérifiez dans la boîte d'envoi du "
    "serveur s'il est parti"
)
DECISION = "DECISION"


@dataclass(frozen=True)
class AEnvoyer:
    courrier: Courrier
    remplace: str | None = None  # date_courrier of the DECISION letter this one replaces


@dataclass
class Repartition:
    envoyables: list[Courrier] = field(default_factory=list)
    non_envoyables: list[Courrier] = field(default_factory=list)
    deja_partis: list[Courrier] = field(default_factory=list)
    retenus: list[tuple[Courrier, str]] = field(default_factory=list)
    a_envoyer: list[AEnvoyer] = field(default_factory=list)
    a_poster: list[APoster] = field(default_factory=list)


def _remplacee(journal_envoyes: dict[str, list[dict[str, str]]], c: Courrier) -> dict[str, str] | None:
    """The last DECISION sent to this dossier with another content, if any."""
    if c.nature != DECISION:
        return None
    autres = [r for r in journal_envoyes.get(c.siret or c.fichier, []) if r["empreinte"] != c.empreinte]
    return autres[-1] if autres else None


def repartir(courriers: list[Courrier], journal: Journal, options: Options) -> Repartition:
    etats = journal.etats()
    decisions = journal.envoyes(DECISION)
    r = Repartition()
    for c in courriers:
        if not c.envoyable or c.nature == "PROPOSITION":  # a draft never leaves, whatever the CSV says
            r.non_envoyables.append(c)
            continue
        r.envoyables.append(c)
        etat = etats.get(c.identite)
        if etat is not None and etat.parti:
            r.deja_partis.append(c)
            continue
        if etat is not None and REFUSE in etat.resultats:
            r.a_poster.append(APoster(c, REFUSE))
            continue
        pourquoi = adresse.raison(c.courriel)
        if pourquoi is not None:
            r.a_poster.append(APoster(c, pourquoi))
            continue
        remplacee = _remplacee(decisions, c)
        if etat is not None and etat.dernier == TENTATIVE and not options.renvoyer_modifies:
            r.retenus.append((c, INTERROMPUE))
        elif remplacee is not None and not options.renvoyer_modifies:
            pourquoi = (
                f"décision modifiée depuis le courrier envoyé le {remplacee['horodatage'][:10]} "
                f"(daté du {remplacee['date_courrier']})"
            )
            r.retenus.append((c, pourquoi))
        else:
            r.a_envoyer.append(AEnvoyer(c, remplacee["date_courrier"] if remplacee else None))
    return r
